"""The playback states every view follows."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where playback is (a network stream's own states are in ``NetStatus``)."""

    IDLE = "idle"
    OPENING = "opening"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    ERROR = "error"
