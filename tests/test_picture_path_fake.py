"""The content deciding which picture is on screen after a jump, when the references come while
a picture waits, after the landing, and before the first jump (issue 18): the controller with the fake
player, a hand clock and made-up pictures (see test_picture_match.py)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from clipsync.core.timing.picture_match import References, signature
from clipsync.media.media_index import MediaIndex
from clipsync.media.player import EventKind, PlayerEvent
from test_any_video_fake import Rig
from test_picture_match import H, W, picture


class Pictures:
    """A rig whose pictures are made-up ones, and what the controller painted (text times)."""

    def __init__(self, qtbot: QtBot, clip_sync: Path, fps: float) -> None:
        self.qtbot = qtbot
        self.rig = Rig(qtbot, clip_sync, fps)
        self.frame_ms = 1000 / fps
        self.painted: list[int] = []
        self.rig.controller.frameReady.connect(
            lambda image: self.painted.append(self.rig.controller.text_position())
        )

    def show(self, n: int, after_s: float) -> None:
        """Picture ``n`` comes ``after_s`` after the last one."""
        rig = self.rig
        rig.wall.t += after_s
        rig.player.show_frame(rig.wall.t, picture=(picture(n), W, H))
        self.qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)

    def references(self, target: int, first: int, last: int) -> None:
        """The media's own pictures ``first`` to ``last`` come for the jump to ``target``."""
        pictures = tuple((n * self.frame_ms, signature(picture(n), W, H)) for n in range(first, last + 1))
        self.rig.player.on_event(PlayerEvent(EventKind.REFERENCES, References(target, pictures)))

    def jump_that_matches(self, n: int) -> None:
        """A jump to picture ``n`` whose landing matches its reference: this media's pictures
        can be matched."""
        target = round(n * self.frame_ms)
        self.rig.controller.seek(target)
        self.references(target, n - 3, n + 40)
        self.show(n, 0.06)
        self.qtbot.waitUntil(lambda: self.rig.controller._held is None)
        assert self.painted[-1] == target and self.rig.controller._content_works


def test_references_that_come_while_a_landing_is_held_decide_it(qtbot: QtBot, clip_sync: Path) -> None:
    """At 60 fps the rules hold a landing for the next picture (100 ms): the references that
    come meanwhile say it is none of the target's pictures (the late old picture), so it is
    never painted and the jump waits on; the target's own picture is then painted at once."""
    p = Pictures(qtbot, clip_sync, 60.0)
    p.rig.play(20)
    p.jump_that_matches(360)
    for n in range(361, 370):
        p.show(n, 1 / 60)
    p.painted.clear()
    p.rig.controller.seek(30_000)
    p.show(390, 0.05)  # the late old picture, taken for the landing and held
    assert p.rig.controller._held is not None and p.painted == []
    p.references(30_000, 1797, 1890)
    assert p.rig.controller._held is None and p.rig.controller._pictures.pending
    p.show(1800, 0.03)
    assert p.painted == [30_000] and p.rig.controller._held is None


def test_after_the_landing_a_picture_like_none_of_the_references_is_left_out(
    qtbot: QtBot, clip_sync: Path
) -> None:
    """A picture from 2 s before the target after the landing (libVLC's AV1 decoder after a
    speed change) is not painted with the count's text, and the count goes on as before; a
    new picture past the references' last is not judged by them."""
    p = Pictures(qtbot, clip_sync, 25.0)
    p.rig.play(20)
    p.jump_that_matches(150)
    p.show(151, 0.04)
    p.show(100, 0.04)  # 2 s before the target: none of the references
    p.show(152, 0.04)
    assert p.painted[-2:] == [6040, 6080]
    for n in range(153, 191):
        p.show(n, 0.04)
    p.show(300, 0.04)  # past the references (to 190): counted as 191, as without them
    assert p.painted[-1] == 191 * 40


def test_the_first_jump_tells_old_pictures_by_their_content(qtbot: QtBot, clip_sync: Path) -> None:
    """Once the media's index is known, the references around a picture of steady playback
    are asked for, once: the pictures after it match them, so that at the first jump a late
    old picture, like none of the jump's references, is never painted with the new text."""
    p = Pictures(qtbot, clip_sync, 25.0)
    asked: list[int] = []
    p.rig.player.request_references = asked.append  # type: ignore[method-assign]
    p.rig.play(5)
    assert asked == []  # no index yet: PyAV cannot read it, or has not yet
    p.rig.player.index = MediaIndex([0.0], 0.0, 0.0, frame_ms=40.0)
    p.show(6, 0.04)
    assert asked == [240]
    p.references(240, 3, 45)
    for n in range(7, 10):
        p.show(n, 0.04)
    assert p.rig.controller._content_works and asked == [240]
    p.painted.clear()
    p.rig.controller.seek(30_000)
    p.references(30_000, 747, 790)
    p.show(22, 0.03)  # the late old picture, off the old pictures' cadence
    p.show(750, 0.03)
    assert p.painted == [30_000]


def test_while_playing_pictures_from_before_the_target_are_not_the_jumps(
    qtbot: QtBot, clip_sync: Path
) -> None:
    """A jump while playing whose first pictures are, by their content, 3 and 2 frames before
    the target (libVLC showed them from the time it was asked for, after a short decode): they
    are not painted, and the target's own is, with its text; the player learns once how early
    they came. Paused, such a picture is the landing (libVLC shows no other)."""
    p = Pictures(qtbot, clip_sync, 30.0)
    missed: list[float] = []
    p.rig.player.seek_missed = missed.append  # type: ignore[method-assign]
    p.rig.play(20)
    p.jump_that_matches(300)
    for n in range(301, 310):
        p.show(n, 1 / 30)
    p.painted.clear()
    missed.clear()
    p.rig.controller.seek(20_000)
    p.references(20_000, 595, 640)
    p.show(597, 0.04)
    p.show(598, 1 / 30)
    assert p.painted == [] and p.rig.controller._pictures.pending
    p.show(600, 1 / 30)
    assert p.painted == [20_000] and missed == [-100]
    p.rig.controller.pause()
    p.painted.clear()
    p.rig.controller.seek(30_000)
    p.references(30_000, 895, 940)
    p.show(897, 0.05)
    qtbot.waitUntil(lambda: p.rig.controller._held is None)
    assert p.painted == [29_900]
