"""The timing rules take what they need from the media (issue 18): frame rates other than 25
and 30, a first picture that is not at 0 (Matroska), a variable frame rate (a phone's video),
B-frame reordering and keyframes from the container's index. Deterministic: the fake player
and a hand clock; the real-libVLC counterparts are in tests/test_any_video.py."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.timing.clock import PlaybackClock
from clipsync.core.timing.frame_grid import FrameGrid
from clipsync.core.timing.picture_times import PictureTimes
from clipsync.media.fake_players import FakePlayer
from clipsync.media.media_index import MATROSKA_KEY_LAG_MS, MediaIndex
from clipsync.media.seek_aim import aim, first_picture_ms, start_latency_ms
from clipsync.ui.player.controller import PlaybackController, State


def phone_times(count: int) -> list[float]:
    """Picture times like a phone's: ~60, ~30 and ~20 frames a second in turn, with jitter
    (no constant grid fits them)."""
    jitter = itertools.cycle((0.4, -0.3, 0.1, -0.2, 0.3))
    times, t = [], 0.0
    for k in range(count):
        times.append(round(t, 3))
        base = (16.667, 33.333, 50.0)[(k // 60) % 3]
        t += base + next(jitter)
    return times


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Rig:
    """The controller with a fake player whose pictures come at the media's own times."""

    def __init__(
        self,
        qtbot: QtBot,
        clip_sync: Path,
        fps: float,
        origin_ms: float = 0.0,
        times: list[float] | None = None,
        player: FakePlayer | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.wall = Wall()
        self.player = player or FakePlayer()
        self.player.video(fps, origin_ms, times)
        self.grid = FrameGrid(1000 / fps, origin_ms, times)
        self.controller = PlaybackController(self.player, PlaybackClock(self.wall))
        self.controller.set_article(load_sync(clip_sync))
        self.controller.open(Path("clip.mkv"))
        self.media_ms = self.grid.nearest(0) if times is None else times[0]
        self.frame()
        qtbot.waitUntil(lambda: self.controller.state is State.PLAYING)
        self.controller._poll.stop()  # the test drives time by hand

    def frame(self, after_ms: float = 0) -> None:
        self.wall.t += after_ms / 1000
        self.player.show_frame(self.wall.t)
        self.qtbot.waitUntil(lambda: self.controller.frame_number == self.player.frames - 1)
        self.qtbot.waitUntil(lambda: self.controller._held is None)

    def play(self, count: int) -> list[tuple[float, int]]:
        """``count`` pictures of steady playback at 1x: (the picture's time, the text's)."""
        shown = []
        for _ in range(count):
            following = self.grid.after(self.media_ms)
            step = following - self.media_ms
            self.media_ms = following
            self.player.position = round(following)
            self.frame(step)
            shown.append((following, self.controller.text_position()))
        return shown


@pytest.mark.parametrize(
    ("fps", "origin_ms"),
    [(24000 / 1001, 0.0), (25.0, 0.0), (30000 / 1001, 0.0), (50.0, 21.0), (60.0, 0.0)],
    ids=["23.976", "25", "29.97", "50-first-at-21ms", "60"],
)
def test_each_picture_gets_its_own_time_at_any_frame_rate(
    qtbot: QtBot, clip_sync: Path, fps: float, origin_ms: float
) -> None:
    """Steady playback and a jump at 23.976-60 fps, with a first picture 21 ms after 0 (a
    Matroska file whose sound starts first): each picture's text is chosen for the picture's
    own start, rounded to the ms, and counting after a landing does not drift."""
    rig = Rig(qtbot, clip_sync, fps, origin_ms)
    shown = rig.play(40)
    assert all(text == round(t) for t, text in shown), shown[:5]
    target = round(rig.grid.nearest(61_000))
    rig.controller.seek(target)
    rig.wall.t += 0.06  # the first new picture comes after the old ones could
    rig.player.position = target
    rig.media_ms = rig.grid.nearest(target)
    rig.frame()
    assert rig.controller.text_position() == target
    counted = rig.play(300)  # counted from the landing until libVLC reports its time
    assert all(text == round(t) for t, text in counted), [(t, x) for t, x in counted if round(t) != x][:3]


def test_a_variable_frame_rate_follows_the_pictures_own_times(qtbot: QtBot, clip_sync: Path) -> None:
    """A phone's video (60, 30, 20 fps in turn, jittered): with the pictures' times from the
    media each picture's text is its own; the grid of the nominal rate would be off."""
    times = phone_times(3000)
    rig = Rig(qtbot, clip_sync, 60.0, times=times)
    shown = rig.play(400)
    assert all(text == round(t) for t, text in shown)
    nominal = FrameGrid(1000 / 60)
    assert sum(round(nominal.nearest(t)) != round(t) for t, _ in shown) > 100  # why the times matter
    target = round(times[1500])
    rig.controller.seek(target)
    rig.wall.t += 0.06
    rig.player.position = target
    rig.media_ms = times[1500]
    rig.frame()
    assert rig.controller.text_position() == target
    counted = rig.play(200)  # counting after a landing walks the table, through rate changes
    assert all(text == round(t) for t, text in counted)


def test_at_60_fps_a_landing_followed_by_a_long_gap_was_the_late_old_picture() -> None:
    """Above 40 fps the late old picture (from ~24 frames after the old position) comes
    30-160 ms before the first new one, not in a burst: a landing waits for the next picture;
    after a long gap that one is the target's, in step it is counted on."""
    times = PictureTimes(1000 / 60)
    for k in range(5):
        times.picture(10.0 + k / 60, False, 1000 + round(k * 1000 / 60))
    times.jump(5000, at=10.0 + 4 / 60 + 0.005)
    assert times.picture(10.0 + 5 / 60, False, 0) is None and times.old  # on the old cadence
    late_old = 10.0 + 5 / 60 + 0.03
    assert times.picture(late_old, False, 0) == 5000 and times.hold_s >= 0.05  # held back
    assert times.picture(late_old + 0.045, False, 0) == 5000 and times.landed  # the real first
    assert times.picture(late_old + 0.045 + 1 / 60, False, 0) == 5017
    # A first new picture followed in step: the next one is a frame on.
    times.jump(9000, at=20.0)
    assert times.picture(20.06, False, 0) == 9000
    assert times.picture(20.06 + 1 / 60, False, 0) == 9017


def test_with_a_variable_frame_rate_old_pictures_keep_the_cadence_of_where_they_are() -> None:
    """A phone's video: libVLC gives the stream one nominal frame rate, but in a 30 fps stretch
    the pictures come 33 ms apart. After a seek, an old picture on that cadence is old (with
    the cadence taken from the nominal rate it was the landing), and the first new picture is
    the landing."""
    table = phone_times(400)
    k0 = 100  # the second stretch: ~30 fps
    start = 10.0
    nominal = 27.3  # what libVLC reports for such a file: its average frame rate
    times = PictureTimes(nominal, grid=FrameGrid(nominal, times=table))
    for k in range(k0, k0 + 5):
        assert times.picture(start + (table[k] - table[k0]) / 1000, False, round(table[k])) == round(table[k])
    last = start + (table[k0 + 4] - table[k0]) / 1000
    step = (table[k0 + 5] - table[k0 + 4]) / 1000
    target = round(table[300])
    times.jump(target, at=last + 0.006)
    assert times.picture(last + step, False, 0) is None and times.old  # on the 33 ms cadence
    assert times.picture(last + step + 0.047, False, 0) == target and times.landed


def test_picture_times_count_on_the_media_grid() -> None:
    """PictureTimes alone: a landing, then pictures counted one each on the media's grid
    (a first picture at 21 ms at 50 fps; a phone's table)."""
    times = PictureTimes(20.0, grid=FrameGrid(20.0, 21.0))
    assert times.on_grid(1013) == 1021 and times.on_grid(1030) == 1021
    times.jump(2021, at=10.0)
    assert times.picture(10.07, False, 2021) == 2021
    assert [times.picture(10.07 + 0.02 * k, False, 0) for k in (1, 2, 3)] == [2041, 2061, 2081]
    table = phone_times(200)
    phone = PictureTimes(1000 / 60, grid=FrameGrid(1000 / 60, times=table))
    phone.jump(round(table[100]), at=10.0)
    assert phone.picture(10.07, False, 0) == round(table[100])
    steps = [phone.picture(10.07 + (t - table[100]) / 1000, False, 0) for t in table[101:104]]  # in step
    assert steps == [round(t) for t in table[101:104]]


@pytest.mark.parametrize("rate", [1.5, 2.0])
def test_the_aim_counts_from_where_libvlc_does_for_each_container(rate: float) -> None:
    """MP4/MOV: from the keyframe's decode time (its picture less the reordering delay);
    Matroska/WebM: from a little after the keyframe's own picture (their index has
    presentation times; ``MATROSKA_KEY_LAG_MS``)."""
    lead = (rate - 1) * start_latency_ms(rate)
    lag = MATROSKA_KEY_LAG_MS
    mp4 = MediaIndex([66.7, 10066.7, 20066.7], decode_lead_ms=66.7, reorder_ms=66.7)
    mkv = MediaIndex([21.0, 10021.0, 20021.0], decode_lead_ms=-lag, reorder_ms=40.0, first_ms=21.0)
    for target in (13_000, 19_990, 25_000):
        key_mp4 = (10066.7 if target < 20066.7 else 20066.7) - 66.7
        key_mkv = (10021.0 if target < 20021.0 else 20021.0) + lag
        assert aim(mp4, target, rate) == round(key_mp4 + (target - key_mp4 - lead) / rate)
        assert aim(mkv, target, rate) == round(key_mkv + (target - key_mkv - lead) / rate)
    # A target shown before a keyframe's own picture belongs to the group before it.
    assert aim(mkv, 20_000, rate) == round(10021 + lag + (20000 - 10021 - lag - lead) / rate)
    assert aim(mkv, 13_000, 1.0) == 13_000 and aim(None, 13_000, rate) == 13_000
    # Below 1x the first picture is the reordering delay and half a frame early, for both.
    assert first_picture_ms(mkv, 13_000, 0.5, 20.0) == 12_960  # 13000 - 40 - 10, on the 20 ms grid


def test_the_first_picture_of_a_quote_is_the_first_that_starts_in_it() -> None:
    """A quote at 4100 ms starts inside a frame at 25, 23.976 and 29.97 fps: its first picture
    is the next one, whose start (rounded to the ms, as the player counts) is in the quote;
    the request is that start rounded down (libVLC shows it first in MP4 and Matroska)."""
    assert FrameGrid(40.0).at_or_after(4100) == 4120.0
    assert FrameGrid(40.0).at_or_after(4120) == 4120.0  # on a frame's start: that frame
    assert FrameGrid(40.0).seek_to(4100) == (4120, 4120)
    assert FrameGrid(1001 / 24).seek_to(4100) == (4129, 4129)  # 4129.125
    assert FrameGrid(1001 / 30).seek_to(15100) == (15115, 15115)  # 15115.1
    assert FrameGrid(1001 / 30).seek_to(33900) == (33900, 33901)  # 33900.5: rounds to 33901
    assert FrameGrid(1001 / 30).seek_to(33901) == (33900, 33901)
    assert FrameGrid(20.0, 21.0).seek_to(0) == (21, 21)  # the first picture, at 21 ms
    assert FrameGrid(20.0, 21.0).seek_to(1000) == (1001, 1001)
    table = [0.0, 16.7, 50.2, 100.0]
    assert FrameGrid(16.7, times=table).seek_to(20) == (50, 50)
    assert FrameGrid(16.7, times=table).seek_to(50) == (50, 50)  # 50.2 rounds to 50
    assert FrameGrid(20.0, times=table).at_or_after(130) == 140.0  # past the table: its rate


@pytest.mark.parametrize(
    ("fps", "quote_ms", "asked", "first"), [(25.0, 4100, 4120, 4120), (24000 / 1001, 4100, 4129, 4129)]
)
def test_a_quote_jump_into_a_frame_lands_on_the_quotes_first_frame(
    qtbot: QtBot, clip_sync: Path, fps: float, quote_ms: int, asked: int, first: int
) -> None:
    """The jump asks the player for the quote's first frame and the landing picture gets that
    frame's time, whose sentence is the quote's: the picture and its text agree, as in steady
    playback (before, the picture on screen at the quote's start was given the quote's time)."""
    rig = Rig(qtbot, clip_sync, fps)
    rig.play(5)
    rig.controller.seek(quote_ms)
    assert rig.player.calls[-1] == f"seek {asked}"
    rig.wall.t += 0.06
    rig.media_ms = rig.grid.at_or_after(quote_ms)
    rig.player.position = asked
    rig.frame()
    assert rig.controller.text_position() == first
    counted = rig.play(30)
    assert all(text == round(t) for t, text in counted)


def steady(times: PictureTimes, start: float, count: int, interval: float) -> float:
    """``count`` pictures of steady playback from ``start``; when the last one came."""
    for k in range(count):
        times.picture(start + k * interval, False, 44_000 + round(k * interval * 1000))
    return start + (count - 1) * interval


def test_after_a_long_decode_a_landing_shown_again_was_the_late_old_picture() -> None:
    """Keyframes 10 s apart (HEVC, VP9 at 23.976 fps): after one old picture on the cadence,
    the late old one comes tens of ms before the first new one; the video output then shows
    it again (the same bytes) before the first new picture. The landing waits for the next
    picture, a repeat takes it back, and the first new picture is the target's."""
    interval = 1001 / 24 / 1000
    times = PictureTimes(1001 / 24)
    last = steady(times, 10.0, 5, interval)
    times.jump(27507, at=last + 0.016, decode_ms=7487)
    assert times.picture(last + interval, False, 0) is None and times.old  # on the old cadence
    late_old = last + interval + 0.032
    assert times.picture(late_old, False, 0) == 27507 and times.hold_s >= PictureTimes.LATE_HOLD_S
    assert times.picture(late_old + 0.07, True, 0) is None and times.old and times.pending
    assert times.picture(late_old + 0.097, True, 0) is None and times.old  # shown again, still old
    first = late_old + 0.11
    assert times.picture(first, False, 0) == 27507 and times.landed and not times.hold_s
    assert times.picture(first + interval, False, 0) == 27549  # counted on from the landing


def test_after_a_long_decode_a_landing_followed_in_step_was_new() -> None:
    """The same media: a first new picture followed by the next in step is the target's (it
    waited for that next picture, which is counted on from it); one followed after a long gap
    was the late old picture, and the picture after the gap is the target's."""
    interval = 1001 / 24 / 1000
    times = PictureTimes(1001 / 24)
    last = steady(times, 10.0, 5, interval)
    times.jump(6110, at=last + 0.01, decode_ms=6110)
    assert times.picture(last + 0.09, False, 0) == 6110 and times.hold_s >= PictureTimes.LATE_HOLD_S
    assert times.picture(last + 0.09 + interval, False, 0) == 6152 and not times.landed
    times.jump(15307, at=20.0, decode_ms=5307)
    assert times.picture(20.05, False, 0) == 15307  # the late old picture, held
    assert times.picture(20.05 + 0.09, False, 0) == 15307 and times.landed  # after a long gap
    assert times.picture(20.14 + interval, False, 0) == 15349


def test_above_1x_a_first_picture_long_after_the_old_ones_is_not_moved_by_the_next() -> None:
    """VP9 at 23.976 fps, keyframes 10 s apart, at 1.5x: after a long decode libVLC shows the
    target's picture late (3 intervals after the old one) and the next one 8 ms after it, to
    catch up. That next one is the frame after the target, not the target's (the matrix: 32
    such moves wrong, 1 right). The late old picture right behind an old one is still taken
    back by the first new picture coming in a burst after it."""
    interval = 1001 / 24 / 1000 / 1.5
    times = PictureTimes(1001 / 24, rate=1.5)
    last = steady(times, 10.0, 5, interval)
    times.jump(6381, at=last + 0.01, decode_ms=6351)
    assert times.picture(last + interval, False, 0) is None and times.old  # on the old cadence
    first = last + 4 * interval
    assert times.picture(first, False, 0) == 6381 and times.landed
    assert times.picture(first + 0.008, False, 0) == 6423 and not times.landed
    assert times.picture(first + 0.008 + interval, False, 0) == 6465

    times = PictureTimes(1001 / 24, rate=1.5)
    last = steady(times, 10.0, 5, interval)
    times.jump(6381, at=last + 0.01, decode_ms=6351)
    assert times.picture(last + interval, False, 0) is None and times.old
    late_old = last + 1.4 * interval
    assert times.picture(late_old, False, 0) == 6381 and times.landed  # held
    assert times.picture(late_old + 0.008, False, 0) == 6381 and times.landed  # the target's


def test_a_seek_right_after_opening_a_60_fps_file_lets_the_start_up_pictures_go_by() -> None:
    """60 fps H.264 (bench_matrix.py --raw): a seek to 0 right after the first picture brought
    the four pictures libVLC had decoded ahead to start, in step (on the cadence of the
    pictures before, when two had come), then the target's; so did a
    phone's file whose first pictures are 60 fps (its average is lower). At 30 fps two came,
    and the third picture, in step too, was the target's."""
    times = PictureTimes(1000 / 60)
    times.picture(10.0, False, 0)
    times.jump(0, at=10.02)
    old_then_landing(times, [10.02 + a for a in (0.0077, 0.0253, 0.0423, 0.0583)], 10.02 + 0.0809)
    assert times.picture(10.02 + 0.0926, False, 33) == 17  # the next, counted on
    # The first new picture in step with the last old one is still the target's.
    times = PictureTimes(1000 / 60)
    times.picture(10.0, False, 0)
    times.jump(0, at=10.02)
    old_then_landing(times, [10.02 + a for a in (0.004, 0.021, 0.038, 0.053)], 10.02 + 0.065)

    # The same after two pictures in step: the four come on their cadence.
    times = PictureTimes(1000 / 60)
    times.picture(10.0, False, 0)
    times.picture(10.0167, False, 17)
    times.jump(0, at=10.0227)
    old_then_landing(times, [10.0167 + slot / 60 + 0.0005 for slot in (1, 2, 3, 4)], 10.0167 + 0.078)

    # A phone's file: 60 fps at its start, 33 fps on average (20 fps later).
    starts = [k * 1000 / 60 for k in range(60)] + [1000 + k * 50 for k in range(40)]
    times = PictureTimes(30.0, grid=FrameGrid(30.0, 0.0, starts))
    times.count_from(0, first=True)  # started: the first pictures are counted
    assert times.picture(10.0, False, 0) == 0 and times.picture(10.017, False, 0) == 17
    times.reported()
    times.jump(0, at=10.02)
    old_then_landing(times, [10.017 + slot / 60 + 0.0005 for slot in (1, 2, 3, 4)], 10.017 + 0.078)

    times = PictureTimes(1000 / 30)
    times.picture(10.0, False, 0)
    times.jump(0, at=10.035)
    old_then_landing(times, [10.035 + 0.002, 10.035 + 0.037], 10.035 + 0.064)


def old_then_landing(times: PictureTimes, old: list[float], first: float) -> None:
    """The pictures at ``old`` are taken for old ones, the one at ``first`` for the landing on 0."""
    for at in old:
        assert times.picture(at, False, 33) is None and times.old
    assert times.picture(first, False, 33) == 0 and times.landed


def test_a_repeat_soon_after_a_landing_right_behind_the_old_pictures_takes_it_back() -> None:
    """Keyframes 2 s apart (30 fps): a landing 20 ms after an old picture on the cadence is held
    only for a burst. Shown again 20 ms after it, before any other picture, it was the late old
    picture (AV1 through libavcodec does so in most seeks): the jump waits on. Shown again 90
    ms after it, it is a repeat of the landing (a real one shown twice came 120-185 ms after
    it), and so is one 20 ms after a landing that came long after the jump, alone."""
    for again_s, taken_back in ((0.02, True), (0.09, False)):
        times = PictureTimes(1000 / 30)
        last = steady(times, 10.0, 5, 1 / 30)
        times.jump(5000, at=last + 0.005, decode_ms=1000)
        assert times.picture(last + 1 / 30, False, 0) is None and times.old  # on the cadence
        landing = last + 1 / 30 + 0.02
        assert times.picture(landing, False, 0) == 5000 and times.hold_s < PictureTimes.LATE_HOLD_S
        assert times.picture(landing + again_s, True, 0) is None
        assert times.old == times.pending == taken_back
    times = PictureTimes(1000 / 30)
    last = steady(times, 10.0, 5, 1 / 30)
    times.jump(5000, at=last + 0.01, decode_ms=1000)
    assert times.picture(last + 0.07, False, 0) == 5000
    assert times.picture(last + 0.09, True, 0) is None and not times.old and not times.pending


def test_a_landing_held_for_a_burst_and_shown_again_was_the_late_old_picture() -> None:
    """HEVC in MKV at 1.5x, 2.1 s after the keyframe (no long decode): after an old picture on
    the cadence, the late old one came 26 ms later (off the cadence), was held for a burst and shown again 1.8
    and 3.5 ms after it; the first new picture came 30 ms after it. Taken for the landing, the
    old one was painted with the new text, and the target's picture counted a frame on. A first
    picture shown again within 2.5 ms stays the landing."""
    interval = 1001 / 24 / 1000 / 1.5
    times = PictureTimes(1001 / 24, rate=1.5)
    last = steady(times, 10.0, 5, interval)
    times.jump(12116, at=last + 0.005, decode_ms=2100)
    assert times.picture(last + interval, False, 0) is None and times.old  # on the cadence
    late_old = last + interval + 0.026  # 1.8 ms before the next slot of the cadence
    assert times.picture(late_old, False, 0) == 12116 and times.landed and times.hold_s > 0.0035
    assert times.picture(late_old + 0.0018, True, 0) is None and not times.old
    assert times.picture(late_old + 0.0035, True, 0) is None and times.old and times.pending
    assert times.picture(late_old + 0.030, False, 0) == 12116 and times.landed
    again = PictureTimes(1001 / 24, rate=1.5)
    last = steady(again, 10.0, 5, interval)
    again.jump(12116, at=last + 0.005, decode_ms=2100)
    again.picture(last + interval, False, 0)
    assert again.picture(last + interval + 0.026, False, 0) == 12116
    assert again.picture(last + interval + 0.0282, True, 0) is None and not again.old and not again.pending


def test_the_controller_never_shows_the_late_old_picture_after_a_long_decode(
    qtbot: QtBot, clip_sync: Path
) -> None:
    """Through the controller, with the media's index (keyframes 10 s apart): the late old
    picture is held, taken back when it is shown again, and never painted; the text changes
    with the first new picture."""
    rig = Rig(qtbot, clip_sync, 24000 / 1001)
    rig.player.index = MediaIndex([0.0, 10010.0, 20020.0, 30030.0], 0.0, 0.0)
    rig.play(30)
    painted: list[int] = []
    rig.controller.frameReady.connect(lambda image: painted.append(rig.controller.text_position()))
    before = rig.controller.text_position()
    rig.controller.seek(27500)
    request, first = rig.grid.seek_to(27500)
    assert rig.player.calls[-1] == f"seek {request}"
    interval_ms = 1001 / 24
    rig.frame(interval_ms)  # an old picture on the cadence
    rig.wall.t += 0.03
    rig.player.show_frame(rig.wall.t)  # the late old picture: held
    qtbot.wait(20)
    rig.wall.t += 0.06
    rig.player.show_frame(rig.wall.t, repeat=True)  # shown again: it was old
    qtbot.waitUntil(lambda: rig.controller._held is None)
    assert rig.controller.text_position() == before and painted == []
    rig.media_ms = rig.grid.at_or_after(27500)
    rig.player.position = first
    rig.frame(20)  # the first new picture
    assert painted == [first] and rig.controller.text_position() == first
    assert all(text == round(t) for t, text in rig.play(10))


def test_a_held_landing_shown_again_at_once_stays_held(qtbot: QtBot, clip_sync: Path) -> None:
    """A landing held back (here after a long decode) that libVLC shows again within 2 ms is
    the same picture, nothing new: it is not painted on that account (it was, and the late
    old picture of a 30 fps quote jump was painted with the quote's text). The next picture,
    after a long gap, says the held one was old; the first painted is the target's."""
    rig = Rig(qtbot, clip_sync, 24000 / 1001)
    rig.player.index = MediaIndex([0.0, 10010.0, 20020.0, 30030.0], 0.0, 0.0)
    rig.play(30)
    painted: list[int] = []
    rig.controller.frameReady.connect(lambda image: painted.append(rig.controller.text_position()))
    rig.controller.seek(27500)
    _, first = rig.grid.seek_to(27500)
    rig.frame(1001 / 24)  # an old picture on the cadence
    for after, repeat in ((0.03, False), (0.001, True)):  # the late old picture, and again
        rig.wall.t += after
        rig.player.show_frame(rig.wall.t, repeat=repeat)
        qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)
    assert rig.controller._held is not None and painted == []
    rig.media_ms = rig.grid.at_or_after(27500)
    rig.player.position = first
    rig.frame(80)  # the first new picture, after a long gap
    assert painted == [first] and rig.controller.text_position() == first


def test_after_a_long_decode_a_picture_off_the_step_is_held_in_the_landings_place() -> None:
    """HEVC at 10 s keyframes: an old picture 7 ms off the cadence is taken for the landing,
    the late old one comes 30 ms after it (off the step of new pictures) and is shown again;
    then the first new picture. Neither old one is confirmed, and the text is the target's
    from the first new picture on."""
    interval = 1001 / 24 / 1000
    times = PictureTimes(1001 / 24)
    last = steady(times, 10.0, 5, interval)
    times.jump(14911, at=last + 0.018, decode_ms=4901)
    assert times.picture(last + interval + 0.0074, False, 0) == 14911  # held
    assert times.picture(last + interval + 0.037, False, 0) == 14911 and times.landed  # held again
    assert times.hold_s >= PictureTimes.LATE_HOLD_S
    assert times.picture(last + interval + 0.087, True, 0) is None and times.old and times.pending
    first = last + interval + 0.096
    assert times.picture(first, False, 0) == 14911 and times.landed
    assert times.picture(first + interval, False, 0) == 14953


def test_at_60_fps_a_held_landing_shown_again_was_the_late_old_picture() -> None:
    """60 fps H.264 in MP4 at 1x (bench_matrix.py --raw with each picture's frame number): the
    late old picture, 23 frames after the old position, is held as the landing and shown again
    3.5-18 ms later, and then comes the target's picture (14 of 50 seeks). The repeat takes the
    landing back, so the target's picture is not counted a frame on. A real first picture shown
    twice at once (within a millisecond) stays the landing; so does any while paused."""
    times = PictureTimes(1000 / 60)
    last = steady(times, 10.0, 5, 1 / 60)
    times.jump(27500, at=last + 0.004)
    assert times.picture(last + 1 / 60, False, 0) is None and times.old  # on the old cadence
    late_old = last + 0.0206
    assert times.picture(late_old, False, 0) == 27500 and times.hold_s >= PictureTimes.LATE_HOLD_S
    assert times.picture(late_old + 0.015, True, 0) is None and times.old and times.pending
    first = late_old + 0.023
    assert times.picture(first, False, 0) == 27500 and times.landed
    assert times.picture(first + 1 / 60, False, 0) == 27517
    times.jump(36250, at=20.0)
    assert times.picture(20.05, False, 0) == 36250 and times.landed
    assert times.picture(20.0506, True, 0) is None and not times.old and not times.pending
    times.jump(40000, at=30.0, playing=False)
    assert times.picture(30.05, False, 0) == 40000 and times.landed
    assert times.picture(30.065, True, 0) is None and not times.old and not times.pending


def test_below_2x_only_the_first_two_slots_of_the_old_cadence_hold_old_pictures() -> None:
    """60 fps H.264 at 1.5x (11 ms between pictures): libVLC's old pictures come in the first
    two slots of the old cadence, and the target's picture may come in the third, on the same
    cadence. It is the landing; counted in time (45 ms, four slots) it was taken for old and the
    text ran 3 frames behind. From 2x the time still counts (three old pictures in 48 ms)."""
    interval = 1 / 60 / 1.5
    times = PictureTimes(1000 / 60, rate=1.5)
    times.picture(9.0, False, 0)  # opened a while ago (not libVLC's start-up: START_S)
    last = steady(times, 10.0, 5, interval)
    times.jump(36400, at=last + 0.0005)
    assert times.picture(last + interval, False, 0) is None and times.old
    assert times.picture(last + 2 * interval + 0.001, False, 0) is None and times.old
    assert times.picture(last + 3 * interval + 0.002, False, 0) == 36400 and times.landed
    fast = PictureTimes(1000 / 30, rate=2.0)
    last = steady(fast, 20.0, 5, 1 / 60)
    fast.jump(9000, at=last + 0.0005)
    assert [fast.picture(last + k / 60, False, 0) for k in (1, 2, 3)] == [None, None, None]
