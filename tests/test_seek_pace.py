"""The seek aim learns how fast libVLC decodes on this machine now (issue 18, a busy core):
each seek's time from the request to its first new picture sets the lead of the next one.
Deterministic: made-up indexes and times, and the controller with the fake player and a hand
clock; the real-libVLC landings are in tests/test_seek_landing.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.timing.picture_times import PictureTimes
from clipsync.media.media_index import MediaIndex
from clipsync.media.seek_aim import Pace, aim, pictures_after_start, start_latency_ms
from test_any_video_fake import Rig

#: A 25 fps MP4-like index without reordering, keyframes 2 s apart.
INDEX = MediaIndex([0.0, 2000.0, 4000.0, 6000.0], 0.0, 0.0, frame_ms=40.0)


def test_the_aim_leads_by_the_pictures_decoded_after_libvlcs_clock_start() -> None:
    """Above 1x the pictures between the request and the target are decoded after libVLC's
    clock starts: at ``pace_ms`` each, the aim leads by them too, the more the further the
    target is from its keyframe; with no pace (0) it is the constant latency alone."""
    assert pictures_after_start(INDEX, 1960.0, 2.0) == pytest.approx(24.5)
    assert pictures_after_start(INDEX, 1960.0, 1.5) == pytest.approx(1960 / 3 / 40)
    # 2x, 1960 ms after its keyframe: 24.5 pictures after the clock start at 1 ms each.
    assert aim(INDEX, 5960, 2.0, pace_ms=1.0) == round(4000 + (1960 - (start_latency_ms(2.0) + 24.5)) / 2)
    assert aim(INDEX, 5960, 2.0) == round(4000 + (1960 - start_latency_ms(2.0)) / 2)
    # Near the keyframe the decode term is small; far from it, large.
    near = aim(INDEX, 4200, 2.0) - aim(INDEX, 4200, 2.0, pace_ms=2.0)
    far = aim(INDEX, 5960, 2.0) - aim(INDEX, 5960, 2.0, pace_ms=2.0)
    assert near <= 3 and 24 <= far <= 25  # 2.5 and 24.5 pictures, 2 ms each, through the rate (rounded)
    # At and below 1x nothing is late: the pace changes nothing.
    assert aim(INDEX, 5960, 1.0, pace_ms=3.0) == 5960 and aim(INDEX, 5960, 0.5, pace_ms=3.0) == 5960


def test_the_pace_is_learnt_from_each_seeks_first_picture_and_aims_the_next() -> None:
    """A seek whose first new picture came late (a busy core) makes the next seek's aim
    earlier; seeks too near their keyframe, below 1x or without an index teach nothing; when
    the landing moves to a later picture, the later one counts."""
    pace = Pace()
    assert pace.ms_per_picture == Pace.DEFAULT_MS
    quiet = aim(INDEX, 5960, 2.0, pace.ms_per_picture)
    # 1960 ms after its keyframe: 49 pictures; the first new one came 147 ms after the request.
    pace.asked(INDEX, 5960, 2.0)
    pace.landed(took_ms=70.0)  # a late old picture taken for the landing first...
    pace.landed(took_ms=147.0)  # ...then the real first new picture: 3 ms a picture
    assert pace.ms_per_picture == Pace.DEFAULT_MS  # it counts from the next seek
    pace.asked(INDEX, 3960, 2.0)
    assert pace.ms_per_picture == pytest.approx(Pace.DEFAULT_MS + Pace.WEIGHT * (3.0 - Pace.DEFAULT_MS))
    busy = aim(INDEX, 5960, 2.0, pace.ms_per_picture)
    assert busy < quiet - 10  # about 49 / 2 pictures x 2 ms more lead, through the rate
    learnt = pace.ms_per_picture
    # Teach nothing: a target 0.4 s after its keyframe (10 pictures: libVLC's fixed costs),
    # a seek below 1x (libVLC waits for the target's moment), a file without an index.
    for index, target, rate in ((INDEX, 4400, 2.0), (INDEX, 5960, 0.5), (None, 5960, 2.0)):
        pace.landed(took_ms=0.0)  # nothing to learn from a time-out either
        pace.asked(index, target, rate)
        pace.landed(took_ms=400.0)
    pace.asked(INDEX, 5960, 2.0)
    assert pace.ms_per_picture == learnt
    # One stalled seek moves it at most to the limit's half-way.
    pace.landed(took_ms=10_000.0)
    pace.asked(INDEX, 5960, 2.0)
    assert pace.ms_per_picture == pytest.approx(learnt + Pace.WEIGHT * (Pace.LIMITS_MS[1] - learnt))


class TimedPlayer(Rig):
    """The rig, with the landing times the controller tells its player."""

    def __init__(self, qtbot: QtBot, clip_sync: Path) -> None:
        super().__init__(qtbot, clip_sync, 25.0)
        self.told: list[float] = []
        self.player.seek_landed = self.told.append  # type: ignore[method-assign]


def test_the_controller_tells_the_player_how_long_each_seek_took(qtbot: QtBot, clip_sync: Path) -> None:
    """From the request to the picture the landing ends on (after the late old picture that
    came right before it in a burst); a frame step and a time-out tell nothing."""
    rig = TimedPlayer(qtbot, clip_sync)
    rig.player.index = INDEX
    rig.play(20)
    asked = rig.wall.t
    rig.controller.seek(5960)
    _request, first = rig.grid.seek_to(5960)
    rig.frame(40)  # an old picture on the cadence
    rig.wall.t += 0.035
    rig.player.show_frame(rig.wall.t)  # the late old picture: taken for the landing, held
    rig.media_ms = rig.grid.at_or_after(5960)
    rig.player.position = first
    rig.frame(8)  # the first new picture, in a burst right behind it: the landing moves
    assert rig.told == [pytest.approx(0.035 + 0.04), pytest.approx(0.035 + 0.04 + 0.008)]
    assert rig.told[-1] == pytest.approx(rig.wall.t - asked)
    rig.play(10)
    rig.controller.pause()
    rig.told.clear()
    rig.controller.step_frame()
    rig.frame(40)
    assert rig.told == []
    rig.controller.seek(3000)  # no picture comes: the landing times out
    qtbot.waitUntil(lambda: not rig.controller._pictures.pending, timeout=2000)
    assert rig.told == []


def test_at_2x_an_unbroken_run_of_old_pictures_on_the_cadence_is_old() -> None:
    """Beside a busy core, the first seek after a speed change to 2x brought 4-5 old pictures,
    one in each slot of the old cadence, and the fourth was taken for the landing (the text
    then ran 3-4 frames ahead of the picture). In an unbroken run they are old; a picture
    after a slot with none is new, and at 1.5x and 1x the count stays as it was (at 1.5x the
    first new pictures came on in the old cadence on a quiet machine)."""

    def seek(times: PictureTimes, slots: list[int], rate: float) -> list[int | None]:
        interval = 1 / 30 / rate
        for k in range(6):
            times.picture(10.0 + k * interval, False, 1000 + round(k * 1000 / 30 * rate))
        last = 10.0 + 5 * interval
        times.jump(5933, at=last + 0.004)
        olds = [times.picture(last + k * interval, False, 0) for k in slots]  # on the cadence
        first_new = last + (slots[-1] + 3.4) * interval  # after a gap, off the cadence
        return [*olds, times.picture(first_new, False, 0), times.picture(first_new + interval, False, 0)]

    assert seek(PictureTimes(1000 / 30, rate=2.0), [1, 2, 3, 4, 5], 2.0) == [None] * 5 + [5933, 5967]
    # A slot left empty breaks the run: the picture in the slot after it is the first new one.
    assert seek(PictureTimes(1000 / 30, rate=2.0), [1, 2, 3, 5], 2.0)[3] == 5933
    # At 1.5x and 1x two old pictures (libavcodec's count), as before: a third on the cadence is new.
    assert seek(PictureTimes(1000 / 30, rate=1.5), [1, 2, 3], 1.5)[2] == 5933
    assert seek(PictureTimes(1000 / 30), [1, 2, 3], 1.0)[2] == 5933


def test_the_aim_learns_from_libvlcs_time_report_how_far_off_its_landing_was() -> None:
    """libVLC's first time report after a landing says where its first new picture really
    was. Above 1x a landing a frame late makes the next aim earlier by what that frame
    lacked (through the rate, by the estimate's weight); a report further than a few frames
    off, a seek near its keyframe and one at 1x teach nothing."""
    index = MediaIndex([0.0, 10_000.0, 20_000.0], 0.0, 0.0, frame_ms=40.0)

    def next_aim(error_ms: float | None, target: int = 16_400, rate: float = 1.5) -> int:
        pace = Pace()
        pace.asked(index, target, rate)
        pace.landed(took_ms=100.0)  # 160 pictures from the keyframe: 0.625 ms each
        pace.asked(index, target, rate)
        pace.landed(took_ms=100.0)
        if error_ms is not None:
            pace.missed(error_ms)
        pace.asked(index, 16_400, 1.5)
        return aim(index, 16_400, 1.5, pace.ms_per_picture)

    on_target = next_aim(0.0)
    assert on_target - next_aim(40.0) == pytest.approx(Pace.WEIGHT * 40.0 / 1.5, abs=1)
    assert next_aim(-40.0) > on_target  # a frame early: later (the pace has a floor)
    unreported = next_aim(None)  # the time to the first picture alone
    assert next_aim(200.0) == unreported  # 5 frames: something else happened
    assert next_aim(40.0, target=10_400) == next_aim(None, target=10_400)  # 10 pictures in
    assert next_aim(40.0, rate=1.0) == next_aim(None, rate=1.0)


def test_the_controller_tells_the_player_where_the_first_time_report_put_a_landing(
    qtbot: QtBot, clip_sync: Path
) -> None:
    """The first time report after a seek landed, against the clock that ran from the landing:
    once per landing, not after a pause, not for a frame step."""
    rig = Rig(qtbot, clip_sync, 25.0)
    missed: list[float] = []
    rig.player.seek_missed = missed.append  # type: ignore[method-assign]
    rig.play(20)
    rig.controller.seek(6000)
    rig.wall.t += 0.06
    rig.player.position = 6000
    rig.media_ms = 6000
    rig.frame()  # the landing
    rig.play(6)
    rig.wall.t += 0.01
    rig.player.position = 6000 + 250 + 40  # libVLC had landed a frame after the target
    rig.player.publish()
    rig.player.position += 250
    rig.wall.t += 0.25
    rig.player.publish()
    assert missed == [pytest.approx(40, abs=1)]
    rig.controller.seek(9000)
    rig.wall.t += 0.06
    rig.player.position = rig.media_ms = 9000
    rig.frame()
    rig.controller.pause()
    rig.controller.play()
    rig.wall.t += 0.3
    rig.player.position = 9300
    rig.player.publish()
    rig.controller.pause()
    rig.controller.step_frame()
    rig.frame(40)
    rig.controller.play()
    rig.wall.t += 0.3
    rig.player.position += 340
    rig.player.publish()
    assert missed == [pytest.approx(40, abs=1)]
