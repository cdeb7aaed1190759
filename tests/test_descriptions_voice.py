"""The descriptions' voice: real espeak-ng renders (exact length, silence cut), the settings
as stored, and the second libVLC player playing a render at the playback speed."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np
import pytest

from clipsync.core.descriptions import PauseMode, VoiceSettings, VoiceUnavailable, render
from clipsync.media.vlc_backend import VlcVoicePlayer

TEXT = "On screen: John Kirby, State Department Spokesperson."


def samples(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2"), wav.getframerate()


def test_a_render_has_its_exact_length_and_no_silence_around_it(tmp_path: Path) -> None:
    done = render(TEXT, VoiceSettings(), tmp_path)
    pcm, rate = samples(done.path)
    assert done.length_ms == -(-len(pcm) * 1000 // rate)
    assert 2000 < done.length_ms < 6000
    # It starts and ends with sound: no more than the 5 ms margin of quiet at either end.
    loud = np.flatnonzero(np.abs(pcm) > 200)
    assert loud[0] <= rate * 0.006 and len(pcm) - loud[-1] <= rate * 0.006
    # Made once: the same text and voice give the same file.
    assert render(TEXT, VoiceSettings(volume=40), tmp_path) == done


def test_speed_and_voice_change_the_render(tmp_path: Path) -> None:
    slow = render(TEXT, VoiceSettings(words_per_minute=120), tmp_path)
    fast = render(TEXT, VoiceSettings(words_per_minute=300), tmp_path)
    assert fast.length_ms < slow.length_ms * 0.6
    other = render(TEXT, VoiceSettings(voice="en-gb-x-rp"), tmp_path)
    assert other.path != render(TEXT, VoiceSettings(), tmp_path).path


def test_an_unknown_voice_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(VoiceUnavailable, match="voice 'xx-nowhere'"):
        render(TEXT, VoiceSettings(voice="xx-nowhere"), tmp_path)


def test_settings_survive_storage_and_bad_values_fall_back() -> None:
    chosen = VoiceSettings("en-gb-x-rp", 220, 60, 80, 20, PauseMode.ALWAYS, True, True)
    assert VoiceSettings.from_dict(chosen.to_dict()) == chosen
    odd = VoiceSettings.from_dict({"voice": 3, "words_per_minute": 9000, "pause": "sometimes", "duck": True})
    assert odd == VoiceSettings(words_per_minute=450)
    assert VoiceSettings.from_dict("junk") == VoiceSettings()


@pytest.mark.slow
def test_the_second_libvlc_player_plays_a_render(tmp_path: Path) -> None:
    done = render(TEXT, VoiceSettings(), tmp_path)
    voice = VlcVoicePlayer()
    try:
        for rate in (1.0, 2.0):
            voice.speak(done.path, rate)
            deadline = time.monotonic() + 5
            while voice._player.get_time() <= 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert voice._player.get_time() > 0
            assert voice._player.get_rate() == pytest.approx(rate)
            voice.pause()
            voice.resume()
            voice.stop()
    finally:
        voice.release()
