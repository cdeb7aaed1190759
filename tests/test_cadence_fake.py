"""The old pictures' cadence after a jump (issue 18): where the last pictures before it put
their slots. Deterministic: pure rules with made-up times taken from a recorded trace."""

from __future__ import annotations

from clipsync.core.timing.picture_times import PictureTimes


def test_a_late_last_picture_does_not_move_the_cadence_of_the_old_ones() -> None:
    """60 fps H.264 at 1x, a quote jump (bench_matrix.py --raw, the same jump in two runs): the
    last picture before it came 1.3 ms late; the first old picture came on the cadence of the
    ones before, 1.4 ms early against that late one, and was taken for the landing, so it and
    the late old picture after it were painted with the quote's text. On the cadence of the
    earliest of the last pictures it is old; the late old picture is held, taken back when it
    is shown again, and the quote's own picture lands."""
    times = PictureTimes(1000 / 60)
    for k, at in enumerate((9.9355 - 0.0167, 9.9479, 9.9645, 9.9811, 9.9992)):  # the last one late
        times.picture(at, False, 44_300 + 17 * k)
    times.jump(27500, at=10.0016)
    assert times.picture(10.0145, False, 0) is None and times.old  # on the cadence: old
    assert times.picture(10.0257, False, 0) == 27500 and times.hold_s > 0  # the late old one, held
    assert times.picture(10.0490, True, 0) is None and times.old and times.pending  # shown again
    assert times.picture(10.0557, False, 0) == 27500 and times.landed  # the quote's picture
    assert times.picture(10.0724, False, 0) == 27517


def test_the_cadence_still_follows_pictures_that_all_come_late() -> None:
    """Pictures that come steadily late (a busy machine) move the cadence with them: only the
    last four count, so an early start long ago does not pull it back."""
    times = PictureTimes(40.0)
    at = 20.0
    for k in range(12):
        times.picture(at, False, 10_000 + 40 * k)
        at += 0.040 + (0.003 if k == 5 else 0.0)  # one step 3 ms long: the rest come later
    times.jump(30000, at=at - 0.035)
    assert times.picture(at, False, 0) is None and times.old  # the next slot, 3 ms after the old start
