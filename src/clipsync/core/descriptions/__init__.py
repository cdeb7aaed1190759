"""Described video for blind viewers: descriptions as data (a WebVTT track, the sync document's
``descriptions``), the gaps in the speech, the plan that fits each description into one (pausing
the video only when it does not fit), the scheduler that plays that plan, and the espeak-ng voice.
Pure Python: no Qt, no vlc."""

from clipsync.core.descriptions.gaps import Gap, is_speech, speech, speech_gaps
from clipsync.core.descriptions.model import (
    DescribedArticle,
    Description,
    descriptions_of,
    in_time_order,
    next_id,
    with_descriptions,
)
from clipsync.core.descriptions.plan import PauseMode, Plan, Slot, Unspoken, misfit, plan
from clipsync.core.descriptions.scheduler import Act, Action, DescriptionScheduler
from clipsync.core.descriptions.track import (
    parse_track,
    read_track,
    track_path_for,
    track_text,
    track_url_for,
)
from clipsync.core.descriptions.voice import Rendering, VoiceSettings, VoiceUnavailable, render

__all__ = [
    "Act",
    "Action",
    "DescribedArticle",
    "Description",
    "DescriptionScheduler",
    "Gap",
    "PauseMode",
    "Plan",
    "Rendering",
    "Slot",
    "Unspoken",
    "VoiceSettings",
    "VoiceUnavailable",
    "descriptions_of",
    "in_time_order",
    "is_speech",
    "misfit",
    "next_id",
    "parse_track",
    "plan",
    "read_track",
    "render",
    "speech",
    "speech_gaps",
    "track_path_for",
    "track_text",
    "track_url_for",
    "with_descriptions",
]
