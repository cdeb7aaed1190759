"""Jumps below 1x (issue 18): libVLC shows the target's picture only once it has waited for the
target's moment, (target - keyframe) x (1 / rate - 1) after the seek, and a jump asked for
meanwhile still gets the earlier one's first pictures. Deterministic: pure rules, the fake player
and a hand clock."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from clipsync.core.timing.picture_times import PictureTimes
from clipsync.media import seek_aim
from clipsync.media.fake_players import FakePlayer
from clipsync.media.media_index import MediaIndex
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


def playing_slowly(qtbot: QtBot, clip_sync: Path) -> tuple[Rig, list[int]]:
    """The rig at 0.75x, keyframes 10 s apart, 10 pictures in; the text painted from then on."""
    rig = Rig(qtbot, clip_sync, 25.0, player=SlowPlayer())
    rig.player.index = MediaIndex([0.0, 10000.0, 20000.0, 30000.0], 0.0, 0.0)
    rig.controller.set_rate(0.75)
    rig.play(10)
    painted: list[int] = []
    rig.controller.frameReady.connect(lambda image: painted.append(rig.controller.text_position()))
    return rig, painted


def test_the_controller_waits_for_the_target_below_1x(qtbot: QtBot, clip_sync: Path) -> None:
    """Through the controller at 0.75x, keyframes 10 s apart: the landing does not time out
    while libVLC waits (it did after 0.5 s, and the old picture on screen got the new text for
    the rest of the wait: bench_matrix.py --raw, 30 fps H.264, 170 ms); the target's picture
    lands when it comes."""
    rig, painted = playing_slowly(qtbot, clip_sync)
    before = rig.controller.text_position()
    rig.controller.seek(35840)
    wait_s = seek_aim.landing_wait_ms(rig.player.index, 35840, 0.75) / 1000
    assert wait_s > 1.9
    qtbot.wait(rig.controller.LANDING_TIMEOUT_MS + 150)  # the time-out without the wait
    assert rig.controller._pictures.pending and rig.controller.text_position() == before
    assert painted == []
    rig.wall.t += wait_s
    rig.player.position = 35840
    rig.player.show_frame(rig.wall.t)  # the target's picture
    qtbot.waitUntil(lambda: painted == [35840])
    assert not rig.controller._pictures.pending


def test_a_jump_while_an_earlier_one_waits_gets_the_earlier_ones_pictures_as_old() -> None:
    """At 0.75x, keyframes 10 s apart (bench_matrix.py --raw): a speed change (a seek) waits
    ~1.8 s for its target; a seek 0.85 s later still gets one or two pictures of the first
    target, at the first one's time. They were taken for the second one's landing (the text
    20 s off). H.264 MP4 at 25 fps: two of them, then the new target's."""
    interval = 0.04 / 0.75
    times = PictureTimes(40.0, rate=0.75)
    last = steady(times, 10.0, 5, interval)
    speed = last + 0.001
    times.jump(15440, at=speed, decode_ms=5520, wait_s=1.84)
    assert times.picture(speed + 0.003, False, 0) is None and times.old  # in flight
    times.jump(35840, at=speed + 0.85, decode_ms=5920, wait_s=1.973)
    for late in (1.808, 1.862):  # 0.98 and 1.01 x the first one's wait
        assert times.picture(speed + late, False, 0) is None and times.old and times.pending
    assert times.picture(speed + 0.85 + 1.99, False, 0) == 35840 and times.landed


def test_after_the_earlier_ones_pictures_the_landing_may_be_a_frame_late() -> None:
    """HEVC in MKV: one picture of the first target, then the new target's own, one frame later
    (1.09 x the first one's wait): both are taken for old (at most two), and the next one is
    counted as the target (a frame behind until the player reports its time). Without an
    earlier jump waiting, the same picture is the landing."""
    interval = 1001 / 24 / 1000 / 0.75
    times = PictureTimes(1001 / 24, rate=0.75)
    last = steady(times, 10.0, 5, interval)
    speed = last + 0.001
    times.jump(15515, at=speed, decode_ms=5454, wait_s=1.818)
    times.jump(35869, at=speed + 0.875, decode_ms=5788, wait_s=1.929)
    stale = speed + 1.933
    assert times.picture(stale, False, 0) is None and times.old
    assert times.picture(stale + interval, False, 0) is None and times.old
    assert times.picture(stale + 2 * interval, False, 0) == 35869 and times.landed
    plain = PictureTimes(1001 / 24, rate=0.75)
    last = steady(plain, 10.0, 5, interval)
    plain.jump(35869, at=last + 0.876, decode_ms=5788, wait_s=1.929)
    assert plain.picture(last + 1.934, False, 0) == 35869 and plain.landed


def test_a_speed_change_to_1x_while_libvlc_waits_keeps_the_landing_waiting(
    qtbot: QtBot, clip_sync: Path
) -> None:
    """At 0.75x a jump 5.84 s after its keyframe waits ~1.95 s; a speed change to 1x 1.15 s
    into that wait asks for the jump again, and libVLC showed the target 2.07 s after that
    (VP9 in WebM, keyframes 10 s apart; bench_matrix.py --raw). Its landing waits that long:
    with the 0.5 s time-out the text ran on over the old picture, and the target's picture,
    when it came, was counted a frame on."""
    rig, painted = playing_slowly(qtbot, clip_sync)
    rig.controller.seek(35840)
    qtbot.wait(300)
    rig.wall.t += 1.15
    rig.controller.set_rate(1.0)  # asked for again, at 1x (no wait of its own)
    assert rig.player.landing_wait_ms(35840) == 0.0
    qtbot.wait(rig.controller.LANDING_TIMEOUT_MS + 300)
    assert rig.controller._pictures.pending and painted == []
    rig.wall.t += 2.07
    rig.player.position = rig.media_ms = 35840
    rig.player.show_frame(rig.wall.t)  # the target's picture
    qtbot.waitUntil(lambda: painted == [35840])
    assert not rig.controller._pictures.pending
