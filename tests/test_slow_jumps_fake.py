"""Jumps below 1x (issue 18): libVLC shows the target's picture only once it has waited for the
target's moment, (target - keyframe) x (1 / rate - 1) after the seek, and old pictures of the
position before may still come meanwhile. Deterministic: pure rules and the fake player."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from clipsync.core.timing.picture_times import PictureTimes
from clipsync.media import seek_aim
from clipsync.media.media_index import MediaIndex
from clipsync.media.player import FakePlayer
from test_any_video_fake import Rig, steady


class SlowPlayer(FakePlayer):
    """A fake player that says how long libVLC waits below 1x, as the real backend does."""

    def landing_wait_ms(self, target_ms: int) -> float:
        return seek_aim.landing_wait_ms(self.index, target_ms, self.rate)


def test_the_wait_below_1x_grows_with_the_distance_from_the_keyframe() -> None:
    index = MediaIndex([0.0, 10000.0, 20000.0], 0.0, 0.0)
    assert seek_aim.landing_wait_ms(index, 12000, 0.75) == 2000 * (1 / 0.75 - 1)
    assert seek_aim.landing_wait_ms(index, 19000, 0.5) == 9000
    assert seek_aim.landing_wait_ms(index, 19000, 1.0) == 0.0
    assert seek_aim.landing_wait_ms(index, 19000, 1.5) == 0.0
    assert seek_aim.landing_wait_ms(None, 19000, 0.5) == 0.0


def test_below_1x_pictures_long_before_the_wait_are_old() -> None:
    """25 fps H.264, keyframes 10 s apart, at 0.75x (bench_matrix.py --raw): two old pictures
    came 0.96 s after a seek whose target came only after ~2 s; taken for the landing, they put
    the text 20 s ahead of the picture. Before half the wait a picture is old; after it, and
    without a wait, it is the landing."""
    interval = 0.04 / 0.75
    times = PictureTimes(40.0, rate=0.75)
    last = steady(times, 10.0, 5, interval)
    times.jump(35840, at=last + 0.004, decode_ms=5920, wait_s=1.973)
    for late in (0.958, 1.012):
        assert times.picture(last + late, False, 0) is None and times.old and times.pending
    assert times.picture(last + 1.99, False, 0) == 35840 and times.landed
    plain = PictureTimes(40.0, rate=0.75)
    last = steady(plain, 10.0, 5, interval)
    plain.jump(35840, at=last + 0.004, decode_ms=5920)
    assert plain.picture(last + 0.958, False, 0) == 35840  # what the wait prevents
    paused = PictureTimes(40.0, rate=0.75)
    paused.jump(35840, at=20.0, playing=False, in_flight=False, wait_s=1.973)
    assert paused.picture(20.03, False, 0) == 35840  # a frame step waits for nothing


def test_the_controller_waits_for_the_target_below_1x(qtbot: QtBot, clip_sync: Path) -> None:
    """Through the controller at 0.75x, keyframes 10 s apart: the landing does not time out
    while libVLC waits (it did after 0.5 s, and the old picture on screen got the new text);
    old pictures that come meanwhile are not painted; the target's picture lands."""
    rig = Rig(qtbot, clip_sync, 25.0, player=SlowPlayer())
    rig.player.index = MediaIndex([0.0, 10000.0, 20000.0, 30000.0], 0.0, 0.0)
    rig.controller.set_rate(0.75)
    rig.play(10)
    painted: list[int] = []
    rig.controller.frameReady.connect(lambda image: painted.append(rig.controller.text_position()))
    before = rig.controller.text_position()
    rig.controller.seek(35840)
    wait_s = seek_aim.landing_wait_ms(rig.player.index, 35840, 0.75) / 1000
    assert wait_s > 1.9
    qtbot.wait(rig.controller.LANDING_TIMEOUT_MS + 150)  # the time-out without the wait
    assert rig.controller._pictures.pending and rig.controller.text_position() == before
    rig.wall.t += 0.96
    rig.player.show_frame(rig.wall.t)  # an old picture, half-way through the wait
    qtbot.wait(50)
    assert rig.controller._pictures.pending and painted == []
    rig.wall.t += wait_s - 0.96
    rig.player.position = 35840
    rig.player.show_frame(rig.wall.t)  # the target's picture
    qtbot.waitUntil(lambda: painted == [35840])
    assert not rig.controller._pictures.pending
