"""Deterministic tests of the timing logic: the controller driven by a fake player and a hand clock."""

from __future__ import annotations

from pathlib import Path
from time import monotonic

import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.timing.clock import PlaybackClock
from clipsync.media.fake_players import FakePlayer
from clipsync.media.player import EventKind, LoadTracker, PlayerEvent
from clipsync.ui.player.controller import PlaybackController, State


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def rig(qtbot: QtBot, clip_sync: Path) -> tuple[PlaybackController, FakePlayer, Wall]:
    wall = Wall()
    player = FakePlayer()
    controller = PlaybackController(player, PlaybackClock(wall))
    controller.set_article(load_sync(clip_sync))
    controller.open(Path("clip.mp4"))
    qtbot.waitUntil(lambda: controller.state is State.OPENING)
    player.on_event(PlayerEvent(EventKind.FIRST_FRAME))
    qtbot.waitUntil(lambda: controller.state is State.PLAYING)
    controller._poll.stop()  # the test drives time by hand
    return controller, player, wall


def run(
    controller: PlaybackController,
    player: FakePlayer,
    wall: Wall,
    ms: int,
    step: int = 10,
    publish_every: int = 250,
) -> None:
    """Play ``ms`` of media in ``step`` increments; the player publishes its time coarsely."""
    for elapsed in range(step, ms + 1, step):
        wall.t += step / 1000
        player.advance(step)
        if elapsed % publish_every == 0:
            player.publish()
        controller.tick()


def test_now_changes_exactly_at_sentence_starts(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """With a coarse player time, the interpolated clock moves the highlight at each start within a step."""
    controller, player, wall = rig
    qtbot.wait(10)  # deliver queued events
    changes: list[tuple[str | None, int]] = []
    controller.nowChanged.connect(lambda now: changes.append((now.sentence_id, player.position)))
    run(controller, player, wall, 30_000)
    article = controller.article
    assert article is not None
    entered = [(sid, pos) for sid, pos in changes if sid]
    assert [sid for sid, _ in entered] == [s.id for s in article.sentences if s.start_ms < 30_000]  # type: ignore[operator]
    for sid, pos in entered:
        assert 0 <= pos - article.sentence(sid).start_ms <= 10  # type: ignore[operator]


def test_seek_updates_now_at_once(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """A seek sets the highlight for the new position before any tick."""
    controller, player, _wall = rig
    article = controller.article
    late, early = article.sentences[12], article.sentences[5]  # type: ignore[union-attr]
    controller.seek(late.start_ms + 5)
    assert controller.now.sentence_id == late.id
    controller.seek(early.start_ms + 5)
    assert controller.now.sentence_id == early.id
    assert player.position == early.start_ms + 5


def test_play_quote_only_pauses_at_its_end(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """play_range pauses when the clock reaches the quote's end."""
    controller, player, wall = rig
    qtbot.wait(10)
    quote = controller.article.quotes[1]  # type: ignore[union-attr]
    controller.play_range(quote.start_ms, quote.end_ms)
    qtbot.wait(10)
    run(controller, player, wall, quote.end_ms - quote.start_ms + 500)
    assert controller.state is State.PAUSED
    assert abs(controller.position() - quote.end_ms) <= 10


def test_pause_freezes_the_position(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """Paused, the clock does not move however much wall time passes."""
    controller, player, wall = rig
    run(controller, player, wall, 1000)
    controller.pause()
    frozen = controller.position()
    wall.t += 10
    controller.tick()
    assert controller.position() == frozen


def test_rate_changes_speed_up_the_clock(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """At 1.5x the clock advances 1.5 ms per wall-clock ms."""
    controller, player, wall = rig
    controller.set_rate(1.5)
    start = controller.position()
    run(controller, player, wall, 1000, publish_every=10**9)
    assert controller.position() - start == 1500


@pytest.mark.parametrize(
    ("events", "failed"),
    [
        ([EventKind.OPENING, EventKind.PLAYING, EventKind.ENDED], True),
        ([EventKind.OPENING, EventKind.FIRST_FRAME, EventKind.ENDED], False),
        ([EventKind.OPENING, EventKind.ERROR], True),
    ],
)
def test_load_tracker_decides_failure(events: list[EventKind], failed: bool) -> None:
    """An end before any frame or time, or an error event, is a failed open; a normal end is not."""
    tracker = LoadTracker()
    results = [tracker.feed(PlayerEvent(kind)) for kind in events]
    assert bool(results[-1]) is failed


def test_end_without_a_frame_is_an_error(qtbot: QtBot) -> None:
    """A 'media' that ends at once (a truncated file) puts the controller in the error state."""
    player = FakePlayer(length_ms=0)
    controller = PlaybackController(player)
    controller.open(Path("broken.mp4"))
    player.on_event(PlayerEvent(EventKind.ENDED))
    qtbot.waitUntil(lambda: controller.state is State.ERROR)
    assert "truncated" in controller.error


def test_text_is_chosen_for_the_frame_on_the_frame_grid(qtbot: QtBot, clip_sync: Path) -> None:
    """With video, the text position is the painted frame's time, rounded to whole frames."""
    wall = Wall()
    player = FakePlayer()
    player.video(25)
    controller = PlaybackController(player, PlaybackClock(wall))
    controller.set_article(load_sync(clip_sync))
    controller.open(Path("clip.mp4"))
    player.show_frame(wall.t)
    qtbot.waitUntil(lambda: controller.state is State.PLAYING)
    for _ in range(10):
        wall.t += 0.033  # frames painted at irregular moments
        player.show_frame(wall.t)
        qtbot.waitUntil(lambda: controller.frame_number == player.frames - 1)
        assert controller.text_position() % 40 == 0
        assert abs(controller.text_position() - controller.position()) <= 20


def test_clock_waits_for_new_pictures_after_a_seek(qtbot: QtBot, clip_sync: Path) -> None:
    """After a seek while playing the clock holds the target until a new picture comes 30 ms later."""
    player = FakePlayer()
    player.video(25)
    controller = PlaybackController(player)
    controller.open(Path("clip.mp4"))
    player.show_frame(monotonic())
    qtbot.waitUntil(lambda: controller.state is State.PLAYING)
    controller.seek(60_000)
    qtbot.wait(50)
    assert controller.position() == 60_000  # held: no picture of the new position yet
    player.show_frame(monotonic())
    qtbot.waitUntil(lambda: controller.clock.running)
    qtbot.wait(50)
    assert 60_030 <= controller.position() <= 60_500  # running again (generous bound: a busy CI)
