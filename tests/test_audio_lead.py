"""The audio lead of a jump above 1x (media/audio_lead.py), with a recording setter in place of
libVLC's audio_set_delay; the real sound is measured in test_seek_landing.py."""

from __future__ import annotations

import threading
import time

import pytest

from clipsync.media import audio_lead
from clipsync.media.audio_lead import AudioLead, lead_ms


class Delays:
    def __init__(self) -> None:
        self.set: list[int] = []
        self.lock = threading.Lock()

    def __call__(self, us: int) -> None:
        with self.lock:
            self.set.append(us)

    def wait_for(self, us: int, timeout: float = 2.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if self.set and self.set[-1] == us:
                    return True
            time.sleep(0.005)
        return False


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio_lead, "HOLD_S", 0.05)
    monkeypatch.setattr(audio_lead, "STEP_EVERY_S", 0.01)


def test_the_lead_grows_with_the_rate_and_is_none_at_1x_or_below() -> None:
    assert lead_ms(0.5) == lead_ms(1.0) == 0
    assert 0 < lead_ms(1.25) < lead_ms(1.5) < lead_ms(2.0) <= 160


def test_a_jump_above_1x_sets_the_lead_then_takes_it_back_in_steps() -> None:
    delays = Delays()
    lead = AudioLead(delays)
    lead.jumped(1.5)
    assert delays.set[0] == -lead_ms(1.5) * 1000
    assert delays.wait_for(0), delays.set
    steps = [b - a for a, b in zip(delays.set, delays.set[1:], strict=False)]
    assert steps and all(0 < s <= audio_lead.STEP_MS * 1000 for s in steps), delays.set
    assert lead.lead_ms == 0


def test_a_jump_at_1x_or_after_a_long_decode_has_no_lead() -> None:
    delays = Delays()
    lead = AudioLead(delays)
    lead.jumped(1.0)
    lead.jumped(2.0, decode_ms=audio_lead.LONG_DECODE_MS)
    time.sleep(0.1)
    assert delays.set == [] and lead.lead_ms == 0


def test_a_new_jump_replaces_the_lead_and_a_jump_at_1x_ends_it_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audio_lead, "HOLD_S", 5.0)  # no step back during this test
    delays = Delays()
    lead = AudioLead(delays)
    lead.jumped(2.0)
    lead.jumped(1.5)
    lead.jumped(1.0)
    assert delays.set == [-lead_ms(2.0) * 1000, -lead_ms(1.5) * 1000, 0]


def test_after_stop_nothing_is_set() -> None:
    delays = Delays()
    lead = AudioLead(delays)
    lead.jumped(1.5)
    lead.stop()
    time.sleep(0.2)
    assert delays.set == [-lead_ms(1.5) * 1000]
