"""Where to ask libVLC 3 to seek so that its first picture is the target's (pure: no vlc).

After a precise seek libVLC decodes from the keyframe K before the target and starts its
clock as if that decoding had taken (target - K) of *media* time at rate 1, so above rate 1
it lands (rate - 1) x (target - K) late (benchmarks/repro/seek.py shows it; docs/libvlc.md,
"Jumps", explains it). Asking for K + (target - K) / rate lands on the target, less the time
libVLC takes from its clock start to the first picture (``START_LATENCY_MS``, also run through
at the rate). That time grows with the pictures libVLC still decodes after its clock start
(those between the request and the target) and with how fast this machine decodes them now
(``Pace``, learnt from each seek). Below rate 1 nothing is late, and the first picture comes a
little *before* the target (``first_picture_ms``).
"""

from __future__ import annotations

import math

from clipsync.media.media_index import MediaIndex

#: Wall time from libVLC's clock start after a seek to its first picture (its 10 ms wake-up
#: plus decoding), run through at the rate: at rate r the picture lands (r - 1) x this late
#: unless the seek is aimed that much earlier. First measured 20-60 ms on 2 cores shared with
#: other jobs (the 640x360 30 fps H.264 benchmark clip), hence 30. On a quiet machine, with
#: each picture's frame number recorded (bench_matrix.py --raw), 30 put the app's landings at
#: 1.5x a frame early in 9 of 16 seeks (30 fps H.264), 7 of 16 (60 fps) and 6-15 of 12-16 in
#: the Matroska/WebM clips; with 10, 16 of 16 and 15 of 16 of the MP4s' were on their frame.
#: The learnt pace (``Pace``) adds what a busier machine takes.
START_LATENCY_MS = 10
#: ... and this much more per unit of rate above 1.5x (at 2x, with 10 the probe's landings came a
#: frame late in 6 of 18 seeks, with 30 a frame early in 7 of 18).
START_LATENCY_ABOVE_MS = 20
#: An MP4 with B-frames decodes its first keyframe before 0 (by the reordering delay), but
#: libVLC counts from about 3/4 of that delay *after* 0 in that first group of pictures
#: (measured on the 30 fps H.264 benchmark clip, 2 B-frames):
#: aimed from its decode time the picture came 2 frames early at 1.5x (3-4 at 2x), from 0 one
#: frame early; from 3/4 every target of the first 2 s landed on its frame at 1.5x (20 of 20;
#: 2x: 14 of 20, the rest one late).
FIRST_KEY_SHARE = 0.75


class Pace:
    """How long libVLC takes, on this machine now, per picture it decodes after a seek: the
    time from the request to the first new picture over the pictures from the keyframe to the
    target, learnt from each seek (``landed``) and used from the next one on (``asked``).

    libVLC's clock starts once it has decoded from the keyframe to the request; above 1x the
    pictures from the request to the target are decoded *after* that, against the clock, so
    the aim leads by that decode too (``aim``). Beside a busy core that decode is slower and an
    aim with a constant landed 1-2 frames late (docs/benchmarks.md, "The suite beside a busy
    core").

    >>> index = MediaIndex([0.0, 2000.0], 0.0, 0.0, frame_ms=40.0)
    >>> pace = Pace()
    >>> pace.asked(index, 1600, 1.5); pace.landed(took_ms=80.0)  # 40 pictures, 2 ms each
    >>> pace.ms_per_picture, Pace.DEFAULT_MS        # it counts from the next seek on
    (1.0, 1.0)
    >>> pace.asked(index, 3000, 1.5); pace.ms_per_picture
    1.5
    """

    #: Before any seek (measured on 2 cores, quiet, on the 640x360 30 fps H.264 benchmark
    #: clip, keyframes 2 s apart: 45-73 ms from the request to the first new picture of seeks
    #: 2 s after their keyframe, 60 pictures, at 1.5x and 2x).
    DEFAULT_MS = 1.0
    #: A seek closer to its keyframe says little: its time is mostly libVLC's fixed costs
    #: (seeks 0.5 s after a keyframe of that clip took 15-45 ms for 15 pictures).
    MIN_PICTURES = 24
    #: How much of the newest seek goes into the estimate: the load changes from one minute
    #: to the next, and one seek's time varies by about a third.
    WEIGHT = 0.5
    #: A picture's time is kept within these (a seek that waited for a stalled disk).
    LIMITS_MS = (0.25, 4.0)

    #: A time report further than this many frames from the target says something else
    #: happened (AV1's forced first picture, a landing taken on an old picture): no sample.
    MAX_MISS_FRAMES = 3

    def __init__(self) -> None:
        self.ms_per_picture = self.DEFAULT_MS
        self._pictures = 0.0  # from the keyframe to the last seek's target (0: not counted)
        self._rate = 1.0
        self._frame_ms = 0.0
        self._sample: float | None = None

    def asked(self, index: MediaIndex | None, target_ms: int, rate: float) -> None:
        """A seek to ``target_ms`` is asked for: the last one's landing goes into the estimate."""
        if self._sample is not None:
            self.ms_per_picture += self.WEIGHT * (self._sample - self.ms_per_picture)
            self._sample = None
        key = index.key_before(target_ms) if index is not None else None
        frame_ms = index.frame_ms if index is not None else None
        # Below 1x libVLC waits for the target's moment: its first picture says nothing of its pace.
        self._pictures = (target_ms - key) / frame_ms if frame_ms and key is not None and rate >= 1.0 else 0.0
        self._rate, self._frame_ms = rate, frame_ms or 0.0

    def landed(self, took_ms: float) -> None:
        """The last seek's first new picture came ``took_ms`` after it was asked for. Told
        again when the landing moves (a later picture was the first new one): the last counts."""
        if self._pictures >= self.MIN_PICTURES and took_ms > 0:
            self._sample = self._limited(took_ms / self._pictures)

    def missed(self, error_ms: float) -> None:
        """libVLC's first time report after the last seek's landing put its first new picture
        ``error_ms`` after the target (negative: before). Above 1x that is what the aim's lead
        lacked, through the rate: the pace that would have landed it replaces the one from
        ``landed``. The time to the first picture is only a proxy for the decode *after*
        libVLC's clock start, which the lead is for: seeks 6-10 s after their keyframe at 1.5x
        (H.264 at 25 fps, HEVC and VP9 at 23.976, VP9 at 60; 640x360) came 1-2 frames late with
        it in 3 matrix runs (bench_matrix.py --raw, 2026-12-05), where those within 3 s landed
        on their frame."""
        after = self._pictures * (1.0 - 1.0 / self._rate) if self._rate > 1.0 else 0.0
        if self._pictures < self.MIN_PICTURES or after <= 0:
            return
        if abs(error_ms) > self.MAX_MISS_FRAMES * self._frame_ms:
            return
        self._sample = self._limited(self.ms_per_picture + error_ms / ((self._rate - 1.0) * after))

    def _limited(self, ms: float) -> float:
        low, high = self.LIMITS_MS
        return min(high, max(low, ms))


def aim(index: MediaIndex | None, target_ms: int, rate: float, pace_ms: float = 0.0) -> int:
    """The time to ask for so that the first picture at ``rate`` is the one at ``target_ms``
    (without a keyframe index, or below 1x: the target; at 1x a little into the picture in an
    MP4, ``MediaIndex.shown_from_ms``). ``pace_ms``: libVLC's decode time per picture now
    (``Pace``; 0: the constant latency alone).

    >>> index = MediaIndex([80.0, 2080.0, 4080.0], 80.0, 80.0)
    >>> aim(index, 3000, 1.0), aim(index, 3000, 2.0)
    (3000, 2490)
    >>> aim(MediaIndex([0.0, 2000.0], 0.0, 0.0), 2000, 2.0)  # on a keyframe: no earlier
    2000
    """
    if index is None or rate < 1.0:
        return target_ms
    if rate == 1.0:  # an MP4 shows the picture on screen just before the time asked for
        return target_ms + math.ceil(index.shown_from_ms)
    # The target's group of pictures starts at the last keyframe *shown* at or before it: a
    # target between a keyframe's decode time and its picture (the last frames before it,
    # with B-frames) is decoded from the keyframe before (aimed from the later one, it landed
    # 1.5 s late at 1.75x).
    key = index.key_before(target_ms)
    if key is None:
        return target_ms
    if key < 0:
        key = FIRST_KEY_SHARE * index.decode_lead_ms
    lead = (rate - 1.0) * (
        start_latency_ms(rate) + pace_ms * pictures_after_start(index, target_ms - key, rate)
    )
    # Never before the keyframe: libVLC would decode from the one before it. A target on a
    # keyframe (or less than ``lead`` after it) is asked for at the keyframe, a little late
    # ((rate - 1) x the latency, under a frame) rather than a group of pictures late: the
    # 29.97 fps clip with keyframes every 0.5 s landed 7 frames late at 1.5x on 1001 ms.
    return max(math.ceil(key), round(key + (target_ms - key - lead) / rate))  # key >= 0 here


def start_latency_ms(rate: float) -> float:
    """libVLC's latency from its clock start to the first picture at ``rate``, as the aim
    counts it (``START_LATENCY_MS``, ``START_LATENCY_ABOVE_MS``).

    >>> start_latency_ms(1.5), start_latency_ms(2.0)
    (10.0, 20.0)
    """
    return START_LATENCY_MS + START_LATENCY_ABOVE_MS * max(0.0, rate - 1.5)


def pictures_after_start(index: MediaIndex, depth_ms: float, rate: float) -> float:
    """How many pictures libVLC decodes after its clock start to reach a target ``depth_ms``
    after its keyframe: those between the request, about K + depth / rate, and the target.

    >>> pictures_after_start(MediaIndex([0.0], 0.0, 0.0, frame_ms=40.0), 2000.0, 2.0)
    25.0
    """
    if not index.frame_ms:
        return 0.0
    return max(0.0, depth_ms) * (1.0 - 1.0 / rate) / index.frame_ms


def landing_wait_ms(index: MediaIndex | None, target_ms: int, rate: float) -> float:
    """How long after a seek below 1x libVLC shows the first picture of ``target_ms``: it
    plays from the keyframe K before the target at the rate and shows nothing before the
    target's moment, (target - K) x (1 / rate - 1) (0 at 1x and above, or without an index).
    Measured at 0.75x on five clips (H.264 MP4 at 29.97, 30 and 60 fps, H.264 MKV at 50 fps,
    ``bench_matrix.py --raw``): the first new picture came 0.99-1.2 x this after the seek
    (0.1-0.7 s). Not when the seek came while an earlier one still waited: then the earlier
    one's first picture came at its own time, and the new one's soon after it (HEVC in MKV,
    keyframes 10 s apart: at 0.58 x this).

    >>> landing_wait_ms(MediaIndex([0.0, 10000.0], 0.0, 0.0), 16000, 0.5)
    6000.0
    """
    key = index.key_before(target_ms) if index is not None else None
    if key is None or rate >= 1.0:
        return 0.0
    return max(0.0, target_ms - key) * (1.0 / rate - 1.0)


def first_picture_ms(index: MediaIndex | None, target_ms: int, rate: float, frame_ms: float | None) -> int:
    """The first picture libVLC shows after a seek to ``target_ms``. Below 1x nothing is late,
    so it also shows the pictures decoded after the target's *decode* time: the first one is
    the B-frame reordering delay and half a frame before the target, in step with the sound,
    which starts at the target. Above 1x the target (the seek is aimed), unless the aim cannot
    be early enough: in an MP4's first group of pictures libVLC counts from after 0 (see
    ``FIRST_KEY_SHARE``), so a target before that is asked for there, and the first picture is
    the first one that starts at or after the request (a seek to 0 at 1.5x showed the picture at
    66.7 ms in the 30 fps H.264 clip and at 80 ms in the 25 fps one: ``bench_matrix.py --raw``).

    >>> first_picture_ms(MediaIndex([80.0, 2080.0], 80.0, 80.0), 3000, 0.5, 40.0)
    2880
    >>> first_picture_ms(MediaIndex([0.0, 2000.0], 80.0, 80.0), 0, 1.5, 40.0)  # asked for 60
    80
    """
    if index is None or not frame_ms or rate == 1.0:
        return target_ms
    if rate > 1.0:
        request = aim(index, target_ms, rate)
        if request <= target_ms:
            return target_ms
        first = index.first_ms + math.ceil((request - index.first_ms) / frame_ms - 1e-6) * frame_ms
        return round(first)
    first = target_ms - index.reorder_ms - frame_ms / 2
    return max(0, round(round(first / frame_ms) * frame_ms))
