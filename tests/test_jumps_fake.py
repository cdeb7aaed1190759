"""The text belongs to the picture on screen while the user acts: deterministic tests with the
fake player and a hand clock (a late landing, pictures from before a seek, a rate change
during a seek, pause, frame steps at the end, replay)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.timing.clock import PlaybackClock
from clipsync.core.timing.picture_times import PictureTimes
from clipsync.media.fake_players import FakePlayer
from clipsync.ui.player.controller import PlaybackController, State

FRAME = 40  # 25 fps


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Rig:
    def __init__(self, qtbot: QtBot, clip_sync: Path) -> None:
        self.qtbot = qtbot
        self.wall = Wall()
        self.player = FakePlayer()
        self.player.video(1000 / FRAME)
        self.controller = PlaybackController(self.player, PlaybackClock(self.wall))
        self.controller.set_article(load_sync(clip_sync))
        self.controller.open(Path("clip.mp4"))
        self.frame()
        qtbot.waitUntil(lambda: self.controller.state is State.PLAYING)
        self.controller._poll.stop()  # the test drives time by hand

    def frame(self, after_ms: float = 0, *, repeat: bool = False, burst: bool = False) -> None:
        """A picture arrives ``after_ms`` from now (the hand clock moves on); unless the next
        one comes in the same ``burst``, a landing held back is shown before this returns."""
        self.wall.t += after_ms / 1000
        self.player.show_frame(self.wall.t, repeat=repeat)
        self.qtbot.waitUntil(lambda: self.controller.frame_number == self.player.frames - 1)
        if not burst:
            self.qtbot.waitUntil(lambda: self.controller._held is None)

    def play_frames(self, count: int) -> None:
        for _ in range(count):
            self.player.advance(round(FRAME * self.player.rate))
            self.frame(FRAME)

    @property
    def text(self) -> int:
        return self.controller.text_position()


@pytest.fixture
def rig(qtbot: QtBot, clip_sync: Path) -> Rig:
    return Rig(qtbot, clip_sync)


def test_pictures_from_before_a_seek_keep_the_old_text(rig: Rig) -> None:
    """Pictures that arrive right after a seek were on their way before it: the text stays
    with them; it switches to the target with the first picture of the new position."""
    rig.play_frames(10)
    before = rig.text
    rig.wall.t += 0.010  # asked between two pictures
    rig.controller.seek(120_000)
    assert rig.controller.position() == 120_000  # the timeline moves at once
    shown = rig.controller.frame
    rig.frame(30)  # old pictures, already timed by libVLC: on the old cadence, not shown
    rig.frame(40)
    assert rig.text == before and rig.controller.frame is shown
    rig.frame(15)  # the first picture of the new position (off the old cadence)
    assert rig.text == 120_000
    rig.play_frames(3)
    assert rig.text == 120_000 + 3 * FRAME


def test_text_follows_a_late_landing_once_the_player_reports_it(rig: Rig) -> None:
    """Where libVLC lands elsewhere than asked (here 600 ms late), the text follows the
    picture as soon as the player's time says so, and stays on the frame grid."""
    rig.controller.set_rate(1.5)
    rig.controller.seek(60_000)
    rig.player.position = 60_600  # where it really landed
    rig.frame(50)
    assert rig.text == 60_000  # nothing says otherwise yet
    rig.play_frames(3)
    rig.player.publish()  # libVLC's next time report
    rig.qtbot.wait(5)
    rig.play_frames(2)
    assert abs(rig.text - rig.player.position) <= 1.5 * FRAME  # one picture at 1.5x
    assert rig.text % FRAME == 0


def test_rate_change_during_a_seek_keeps_the_target(rig: Rig) -> None:
    """A speed change while a jump waits for its picture does not move the target: libVLC is
    asked for it again at the new rate (it re-times its clock on a rate change, and with
    pictures not flowing the text had nothing to follow: at 0.75x with keyframes 10 s apart the
    picture then moved 2.4 s for two frames); the clock then runs at the new rate."""
    rig.play_frames(5)
    rig.controller.seek(90_000)
    rig.controller.set_rate(2.0)
    seeks = [c for c in rig.player.calls if c.startswith("seek")]
    assert seeks[-2:] == ["seek 90000", "seek 90000"]
    rig.frame(55)
    assert rig.text == 90_000 and rig.controller.clock.rate == 2.0
    rig.wall.t += 0.1
    assert 90_150 <= rig.controller.position() <= 90_250


def test_rate_change_while_playing_seeks_to_the_picture_on_screen(rig: Rig) -> None:
    """libVLC jumps by an unreported amount on a rate change: the controller re-seeks to the
    next frame so picture and text go on together."""
    rig.play_frames(25)
    shown = rig.text
    rig.controller.set_rate(1.5)
    assert rig.player.calls[-1] == f"seek {shown + FRAME}"  # the next picture
    rig.frame(55)
    assert rig.text == shown + FRAME


def test_pause_counts_the_last_pictures_and_ignores_repeats(rig: Rig) -> None:
    """Pictures libVLC still shows after a pause follow on one frame each; the same picture
    shown again while paused does not move the text."""
    rig.play_frames(10)
    shown = rig.text
    rig.controller.pause()
    rig.frame(40)  # one more picture was on its way
    assert rig.text == shown + FRAME
    for _ in range(5):
        rig.frame(73, repeat=True)
    assert rig.text == shown + FRAME
    assert rig.controller.position() == shown + FRAME


def test_frame_step_moves_with_the_picture_and_stops_at_the_end(rig: Rig) -> None:
    """`.` moves the text with the new picture (not before it); a repeated picture (libVLC's
    first step after a seek shows the same one) does not; no step past the last frame."""
    rig.controller.pause()
    rig.qtbot.wait(5)
    start = rig.text
    rig.controller.step_frame(True)
    assert rig.text == start  # not before the picture
    rig.frame(20, repeat=True)
    assert rig.text == start
    rig.controller.step_frame(True)
    rig.frame(20)
    assert rig.text == start + FRAME
    rig.controller.seek(rig.player.length_ms - FRAME)
    rig.frame(55)
    steps = rig.player.calls.count("next_frame")
    rig.controller.step_frame(True)
    assert rig.player.calls.count("next_frame") == steps  # nothing after the last picture


def test_replay_after_the_end_lands_at_the_start(rig: Rig) -> None:
    """Play after the end starts again from 0: the text switches with the first new picture."""
    rig.controller.seek(rig.player.length_ms - 200)
    rig.frame(55)
    rig.play_frames(6)  # runs into the end
    rig.qtbot.waitUntil(lambda: rig.controller.state is State.ENDED)
    rig.controller.play()
    assert rig.controller.position() == 0
    rig.frame(55)
    assert rig.text == 0


def test_a_jump_with_no_new_picture_lands_after_a_while(rig: Rig, qtbot: QtBot) -> None:
    """A still picture never changes: after the landing time-out the target stands."""
    rig.controller.pause()
    rig.controller.seek(30_000)
    qtbot.waitUntil(lambda: rig.text == 30_000, timeout=2000)


def test_picture_times_in_flight_window() -> None:
    """Pure rules (pictures not flowing before the jump): in-flight pictures and repeats give no
    new time; steps have no in-flight window."""
    times = PictureTimes(40.0)
    times.picture(4.99, False, 200)
    times.jump(1000, at=5.0)
    assert times.picture(5.02, False, 0) is None and times.old  # in flight: old
    assert times.picture(5.06, False, 0) is None and times.old  # in step with the old ones
    assert times.picture(5.2, True, 0) == 1000  # the old one's bytes, later: new on screen
    assert times.picture(5.22, True, 0) is None and not times.old  # the same picture again
    times.jump(1040, at=6.0, in_flight=False)
    assert times.picture(6.001, False, 0) == 1040
    assert times.picture(6.04, False, 0) == 1080
    times.reported()
    assert times.picture(6.08, False, 1118) == 1120


def test_old_pictures_keep_the_cadence_of_the_pictures_before_the_jump() -> None:
    """Pure rules: while pictures flow, a picture in one of the next two slots of their
    cadence is old, any other picture is the first new one, however early it comes."""
    times = PictureTimes(40.0)
    for k in range(3):
        times.picture(10.0 + 0.04 * k, False, 1000 + 40 * k)
    times.jump(5000, at=10.09)
    assert times.picture(10.1201, False, 0) is None and times.old  # slot 1, 0.1 ms late
    assert times.picture(10.16, False, 0) is None and times.old  # slot 2
    assert times.picture(10.171, False, 0) == 5000 and times.landed
    for k in range(1, 3):
        times.picture(10.171 + 0.04 * k, False, 5000 + 40 * k)
    times.jump(9000, at=10.252)
    assert times.picture(10.262, False, 0) == 9000 and times.landed  # early, off the cadence
    times.picture(10.302, False, 9040)
    times.jump(3000, at=10.31)
    assert times.picture(10.344, False, 0) is None and times.old  # slot 1, 2 ms late (the GIL)
    assert times.picture(10.3805, False, 0) == 3000  # 1.5 ms before slot 2: new


def test_pictures_while_a_stream_refills_after_a_jump_are_old() -> None:
    """Pure rules: a stream plays on what it had until the new position's data comes (the
    same old picture again and again); pictures while the player's buffer fills again after
    the jump are old, the first one after it is full is the target. A refill that began
    before the jump, and a file's refill (over before any picture), change nothing."""
    times = PictureTimes(40.0)
    for k in range(3):
        times.picture(10.0 + 0.04 * k, False, 1000 + 40 * k)
    times.buffering(0.0, 10.085)  # before the jump: not its refill
    times.jump(24000, at=10.09)
    times.buffering(0.0, 10.091)
    assert times.picture(10.16, False, 0) is None and times.old  # off the cadence, still old
    for k in range(1, 40):  # shown again and again, for seconds
        assert times.picture(10.16 + 0.07 * k, True, 0) is None and times.old
    times.buffering(50.0, 13.2)
    times.buffering(100.0, 13.3)
    assert times.picture(13.31, False, 0) == 24000 and times.landed
    assert times.picture(13.35, False, 24040) == 24040
    times.jump(5000, at=14.0)
    times.buffering(0.0, 14.0005)
    times.buffering(100.0, 14.001)
    assert times.picture(14.06, False, 0) == 5000 and times.landed


def test_a_streams_old_pictures_before_the_report_of_its_emptied_buffer_are_old() -> None:
    """Pure rules: beside a busy core, the report of the buffer a stream's seek emptied may be
    handled after the first old pictures (HLS: one was painted with the new text). A stream's
    pictures within ``REFILL_REPORT_S`` of the seek are old until that report; from the report
    on, the refill counts from the seek. A frame step is not a seek: its picture lands."""
    times = PictureTimes(40.0)
    times.buffering(100.0, 9.0)  # a stream: the player reports its buffer
    for k in range(3):
        times.picture(10.0 + 0.04 * k, False, 1000 + 40 * k)
    times.jump(24000, at=10.09)
    assert times.picture(10.15, False, 0) is None and times.old  # off the cadence, no report yet
    assert times.picture(10.22, True, 0) is None and times.old  # the same one, again
    times.buffering(0.0, 10.25)  # stamped late
    assert times.picture(10.3, True, 0) is None and times.old
    times.buffering(100.0, 11.0)
    assert times.picture(11.01, False, 0) == 24000 and times.landed
    times.count_from(24040)
    times.jump(24080, at=12.0, in_flight=False)  # a frame step
    assert times.picture(12.01, False, 0) == 24080


def test_an_old_picture_shown_twice_at_once_stays_old() -> None:
    """libVLC may show an old picture twice within a millisecond: the second is old too. The
    same bytes coming later are the new position's first picture (a speed change seeks to the
    next frame, which may be the very frame that was dropped)."""
    times = PictureTimes(40.0)
    for k in range(3):
        times.picture(10.0 + 0.04 * k, False, 1000 + 40 * k)
    times.jump(1120, at=10.09)
    assert times.picture(10.12, False, 0) is None and times.old  # slot 1: old
    assert times.picture(10.121, True, 0) is None and times.old  # shown again at once: old
    assert times.picture(10.15, True, 0) == 1120 and times.landed  # the same bytes later: new


def test_a_landing_a_burst_moved_moves_again_only_in_a_tight_burst() -> None:
    """At 1.5x the late old picture may come 16 ms before the first new one, and the next new
    one 16 ms after it: the landing moves once, then the next picture is the next frame."""
    times = PictureTimes(100 / 3, rate=1.5)  # a picture every 22.2 ms
    for k in range(3):
        times.picture(10.0 + k / 45, False, 1000 + round(k * 100 / 3))
    times.jump(5000, at=10.05)
    assert times.picture(10.0667, False, 0) is None and times.old  # on the old cadence
    assert times.picture(10.075, False, 0) == 5000 and times.hold_s  # right behind it: held
    assert times.picture(10.091, False, 0) == 5000 and times.landed  # a burst: the real first
    assert times.picture(10.107, False, 0) == 5033 and not times.landed  # the next frame


def test_a_first_new_picture_well_after_the_old_ones_moves_only_in_a_tight_burst() -> None:
    """A landing that comes more than a frame after the last old picture is the first new
    one: the next picture 16 ms later (at 1.5x) is its next frame, not the real landing."""
    times = PictureTimes(100 / 3, rate=1.5)
    for k in range(3):
        times.picture(10.0 + k / 45, False, 1000 + round(k * 100 / 3))
    times.jump(5000, at=10.05)
    assert times.picture(10.0667, False, 0) is None and times.old
    assert times.picture(10.1, False, 0) == 5000 and times.landed  # 33 ms after the old one
    assert times.picture(10.116, False, 0) == 5033  # 16 ms later: the next frame
    for k in range(3):
        times.picture(10.3 + k / 45, False, 0)
    times.jump(9000, at=10.35)
    assert times.picture(10.3667, False, 0) is None and times.old
    assert times.picture(10.4, False, 0) == 9000
    assert times.picture(10.405, False, 0) == 9000 and times.landed  # 5 ms: a tight burst


def test_an_old_picture_in_a_burst_before_the_first_new_one_does_not_shift_the_text(rig: Rig) -> None:
    """libVLC may show one more old picture and the first new one within a few ms: the
    landing moves to the second, so the pictures after it are not one frame off."""
    rig.play_frames(10)
    shown = rig.controller.frame
    rig.controller.seek(50_000)
    rig.frame(55, burst=True)  # an old picture, late and out of step: held back as the landing
    rig.controller._hold_timer.stop()  # (the next picture comes within the hold, however busy)
    assert rig.controller.frame is shown  # not on screen with the new text
    rig.frame(8)  # the real first picture, in the same burst
    assert rig.text == 50_000 and rig.controller.frame is not shown
    rig.play_frames(2)
    assert rig.text == 50_000 + 2 * FRAME


def test_a_first_new_picture_taken_for_old_shifts_the_next_one_by_a_frame(rig: Rig) -> None:
    """When pictures were not flowing before the jump (paused), old ones are told by when they
    come. A new position's first picture may come in step with the old ones and be taken for
    old (not shown); the next one, in step with it, is then the target's next frame."""
    rig.play_frames(10)
    rig.controller.pause()
    rig.wall.t += 1.0
    rig.controller.seek(70_000)
    rig.frame(10)  # in flight: old, not shown
    rig.frame(38)  # after the in-flight window but in step with the old pictures: not shown
    assert rig.controller.text_position() < 70_000
    rig.frame(40)  # in step again: the one before was the first new picture
    assert rig.text == 70_000 + FRAME


def test_opening_other_media_drops_a_jump_still_waiting(rig: Rig) -> None:
    """A jump that never got its picture does not hold the next media's clock: it plays."""
    rig.controller.seek(60_000)
    rig.controller.open(Path("other.mp4"))
    rig.player.frames = 0  # its first picture
    rig.frame(40)
    rig.qtbot.waitUntil(lambda: rig.controller.state is State.PLAYING)
    assert rig.controller.clock.running


def test_a_landing_picture_equal_to_a_dropped_old_one_is_shown_with_its_text(rig: Rig) -> None:
    """After a speed change (a seek to the next frame) the old picture on its way may be that
    very frame: the landing picture then has the same bytes as the dropped one, yet it is new
    on screen and lands."""
    rig.play_frames(25)
    shown = rig.text
    rig.controller.set_rate(1.25)
    rig.frame(40)  # on its way, on the old cadence: the next frame, dropped
    rig.frame(45, repeat=True)  # the landing picture: the same frame again
    assert rig.text == shown + FRAME


def test_a_next_frame_shown_again_after_a_speed_change_is_that_frame_not_an_old_one(rig: Rig) -> None:
    """After a speed change (a seek to the next frame) libVLC showed that frame, at once again
    (both taken for old), a third time 70 ms later, and the frame after it 4 ms behind: the
    picture shown again is the target's own (one picture only since the seek), and the next
    one is the frame after it, not the real first picture of a landing to move (the matrix:
    the text a frame behind until the next time report, 16 times in 2 runs of the 10 s
    keyframe clips)."""
    rig.controller.set_rate(1.5)
    for _ in range(25):
        rig.player.advance(FRAME)
        rig.frame(FRAME / 1.5)
    shown = rig.text
    rig.wall.t += 0.005
    rig.controller.set_rate(1.75)
    rig.frame(FRAME / 1.5 - 5)  # the next frame, on the old cadence: taken for old
    rig.frame(0.3, repeat=True)  # libVLC shows it again at once
    rig.frame(70, repeat=True, burst=True)  # and again: it lands
    rig.frame(4)
    assert rig.text == shown + 2 * FRAME


def test_counting_from_a_rounded_frame_start_does_not_drift() -> None:
    """At 30 fps frames start at fractions of a millisecond: counting on from 62966 (frame
    1889, rounded) reaches frame 1890 at 63000, not 62999 (a sentence starting at 63000
    would be missed)."""
    times = PictureTimes(1000 / 30)
    times.count_from(62966)
    assert times.picture(1.0, False, 0) == 63000
    times.count_from(62950)  # not a frame start: counted on as it is
    assert times.picture(2.0, False, 0) == 62983


def test_the_first_picture_of_a_media_is_where_it_starts() -> None:
    """Playing starts before any picture is out (an HLS stream shows its first one before any
    time is reported): the first picture is the start position, not a frame after it."""
    times = PictureTimes(40.0)
    times.count_from(0, first=True)
    assert times.picture(1.0, False, 150) == 0
    assert times.picture(1.04, False, 190) == 40
    times.count_from(40)  # a resume: the next picture follows the one on screen
    assert times.picture(2.0, False, 1000) == 80


def test_pictures_before_the_frame_rate_is_known_follow_the_clock() -> None:
    """A stream's frame rate is known only after its first pictures: counting them by an
    unknown frame would stand still, so the clock gives their time, and the count goes on
    from there once the frame rate is known."""
    times = PictureTimes(None)
    times.count_from(0, first=True)
    assert times.picture(1.0, False, 0) == 0
    assert times.picture(1.04, False, 40) == 40
    assert times.picture(1.08, False, 81) == 81
    times.frame_ms = 40.0
    assert times.picture(1.12, False, 120) == 121
