"""The descriptions' voice in the Qt layer: the bundled clip's track said in the gaps of its
speech, driven by a fake player on a hand clock (exact, fast), with real espeak-ng renders. A
real libVLC run of the same is in test_descriptions_window.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from clipsync.core.descriptions import PauseMode, VoiceSettings, is_speech, read_track, speech
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.settings import SettingsStore, default_settings_path
from clipsync.core.timing.clock import PlaybackClock
from clipsync.media.fake_players import FakePlayer, FakeVoicePlayer
from clipsync.media.player import EventKind, PlayerEvent
from clipsync.ui.descriptions import DescriptionVoice
from clipsync.ui.player import PlaybackController, State

CLIP = Path(__file__).resolve().parents[1] / "resources" / "clip"


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


RIGS: list[Rig] = []


@pytest.fixture(autouse=True)
def _close_rigs() -> Iterator[None]:
    yield
    while RIGS:
        RIGS.pop().close()


class Rig:
    def __init__(self, qtbot: QtBot, settings: VoiceSettings | None = None, rate: float = 1.0) -> None:
        RIGS.append(self)
        self.wall = Wall()
        self.player = FakePlayer()
        self.controller = PlaybackController(self.player, PlaybackClock(self.wall))
        self.article = load_sync(CLIP / "syria.sync.json")
        self.controller.set_article(self.article)
        self.controller.open(Path("syria.mp4"))
        self.player.on_event(PlayerEvent(EventKind.FIRST_FRAME))
        qtbot.waitUntil(lambda: self.controller.state is State.PLAYING)
        self.controller._poll.stop()  # the test drives time by hand
        self.voice_player = FakeVoicePlayer()
        self.store = SettingsStore(default_settings_path())
        if settings is not None:
            self.store.set("descriptions", settings.to_dict())
        self.announced: list[str] = []
        self.voice = DescriptionVoice(
            self.controller, self.store, lambda: self.voice_player, lambda: 80, self.announced.append
        )
        self.voice.set_article(self.article, read_track(CLIP / "syria.descriptions.vtt"))
        qtbot.waitUntil(lambda: bool(self.voice.plan.slots), timeout=10_000)
        self.voice._poll.stop()  # the test drives time by hand: start afresh from here
        self.voice._load()
        self.voice._poll.stop()
        self.voice.log.clear()
        self.voice_player.calls.clear()
        self.announced.clear()
        self.controller.set_rate(rate)

    def run(self, ms: int, step: int = 10) -> None:
        """``ms`` of wall time in steps: the player plays (unless paused), both poll."""
        for _ in range(ms // step):
            self.wall.t += step / 1000
            self.player.advance(step)
            self.controller.tick()
            self.voice.tick()
            QCoreApplication.processEvents()

    def close(self) -> None:
        self.voice.shutdown()
        self.controller.shutdown()
        self.voice.deleteLater()
        self.controller.deleteLater()
        QCoreApplication.processEvents()

    def acts(self, description: str | None = None) -> list[tuple[float, int, str]]:
        return [(w, p, a) for w, p, a, d in self.voice.log if description is None or d in (description, "")]


def test_a_description_that_fits_is_said_in_its_gap_with_the_sound_ducked(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.controller.seek(90_000)
    rig.run(6000)
    log = rig.acts()
    assert [a for _, _, a in log] == ["duck", "speak", "unduck"]
    (w0, p0, _), (w1, p1, _), (w2, p2, _) = log
    assert 91_636 <= p1 <= 91_636 + 10  # at the gap's start, within a poll
    assert (w0, p0) == (w1, p1)  # ducked as it starts
    assert rig.voice_player.calls[0].startswith("speak description-")
    length = rig.voice.renderings["kirby"].length_ms
    assert (w2 - w1) * 1000 == pytest.approx(length, abs=11)
    assert p2 < 95_258  # it ended before the speech went on
    assert rig.player.volume == 80  # given back (ducked to 30 % of 80 meanwhile)
    assert "pause" not in rig.player.calls


@pytest.mark.parametrize("rate", [1.0, 2.0])
def test_too_long_holds_the_video_at_the_gaps_end_until_said(qtbot: QtBot, rate: float) -> None:
    rig = Rig(qtbot, rate=rate)
    rig.controller.seek(105_000)
    rig.run(int(12_000 / rate))
    log = rig.acts("obrien")
    assert [a for _, _, a in log] == ["duck", "speak", "hold", "unduck", "release"]
    speak, hold, release = log[1], log[2], log[4]
    assert 109_351 <= speak[1] <= 109_351 + 10 * rate
    assert 111_102 - 10 * rate <= hold[1] <= 111_102  # the video waits 10 ms before the gap's end
    length = rig.voice.renderings["obrien"].length_ms
    assert (release[0] - speak[0]) * 1000 == pytest.approx(length / rate, abs=11)  # follows the speed
    assert release[1] == hold[1]
    assert rig.controller.state is State.PLAYING
    assert rig.voice_player.rate == rate


def test_never_pause_and_the_screen_reader(qtbot: QtBot) -> None:
    never = Rig(qtbot, VoiceSettings(pause=PauseMode.NEVER))
    assert [u.description.id for u in never.voice.plan.unspoken] == ["obrien", "power"]
    handed = Rig(qtbot, VoiceSettings(screen_reader=True))
    handed.controller.seek(105_000)
    handed.run(8000)
    assert handed.announced == [
        "On screen: Stephen O’Brien, UN Humanitarian Affairs and Emergency Relief Coordinator."
    ]
    assert handed.voice_player.calls == [] and "pause" not in handed.player.calls


def test_a_seek_stops_the_voice_and_a_pause_pauses_it(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.controller.seek(91_000)
    rig.run(1000)
    assert rig.voice.current is not None and rig.voice.current.id == "kirby"
    rig.controller.pause()
    rig.run(500)
    rig.controller.play()
    rig.run(300)
    rig.controller.seek(30_000)
    rig.run(100)
    assert [a for _, _, a in rig.acts()] == ["duck", "speak", "pause_voice", "resume_voice", "stop", "unduck"]
    assert rig.voice.current is None and rig.player.volume == 80


@pytest.mark.parametrize("rate", [1.0, 1.5, 2.0])
def test_nothing_is_said_over_speech_in_the_whole_clip(qtbot: QtBot, rate: float) -> None:
    rig = Rig(qtbot, rate=rate)
    rig.controller.seek(0)
    rig.run(int(225_000 / rate))
    spans = speech(rig.article)
    said = {}
    for _, position, act, did in rig.voice.log:
        if act == "speak":
            said[did] = position
    assert set(said) == {d.id for d in rig.voice.descriptions}
    for did, start in said.items():
        length = rig.voice.renderings[did].length_ms
        # The video moves while the voice speaks only up to the hold: from start to the hold
        # (or the end) no word is said.
        holds = [p for _, p, a, d in rig.voice.log if a == "hold" and d == did]
        end = holds[0] if holds else start + length
        assert not is_speech(spans, start, end), did
