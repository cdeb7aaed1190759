"""Plain python-vlc reproduction: where libVLC 3 lands after a seek, and which pictures come
after it, at several rates. No Qt, no clipsync: only python-vlc and the measurement clip.

    python benchmarks/repro/seek.py [--rates 0.5,1,1.5,2] [--seeks 8] [--how plain|aimed|paused] [--clip NAME]

``plain``  ``set_time(target)`` while playing (what a player does naively).
``paused`` ``set_pause(1)``, ``set_time(target)``, wait for the first picture of the new position,
           then ``set_pause(0)`` (what clipsync's backend does).
``rate1``  ``set_rate(1)``, ``set_time(target)``, wait for the landing, then restore the rate.

For every seek it prints: how many pictures from *before* the seek were displayed after
``set_time`` returned, the frame number of the first new picture minus the target's, and the
offset of the pictures 0.5-1 s later from where a player that landed on the target would be.
The clip carries its frame number in every picture (see ``bench_media.py``); ``--clip`` takes
a clip of the encoding matrix instead (``bench_matrix.py``: another frame rate, codec or
container; its frames are placed by their own times, and ``aimed`` aims from its own index,
e.g. the Cues of a Matroska/WebM file).
"""

from __future__ import annotations

import argparse
import ctypes
import random
import statistics
import sys
import threading
import time
from pathlib import Path

import vlc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/: bench_media imports audio_code
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
import bisect

from benchmarks.bench_baseline import CleanupCb, DisplayCb, FormatCb, LockCb, UnlockCb
from benchmarks.bench_media import BITS, FPS, make_clip
from clipsync.media import seek_aim
from clipsync.media.media_index import MediaIndex, read_index

W, H = 640, 360


def read_number(buf: bytes) -> int | None:
    """The frame number drawn at the top of an RV32 picture (``None`` when not clean)."""
    number = 0
    for i in range(BITS):
        x = int((i + 0.5) * W / BITS)
        top = buf[(20 * W + x) * 4 + 1]
        low = buf[(60 * W + x) * 4 + 1]
        if abs(top - low) < 128:
            return None
        if top > low:
            number |= 1 << i
    return number


class Probe:
    def __init__(self, media: Path | str, options: tuple[str, ...] = ()) -> None:
        """``media``: a file, or an address (a ``str``)."""
        self.instance = vlc.Instance(["--quiet", "--no-xlib", "--aout=adummy", *options])
        self.player = self.instance.media_player_new()
        # A ring of buffers: with one, libVLC writes the next picture while the last is read
        # (at 1.5x and above, torn pictures that read as no number).
        self.buffers = [(ctypes.c_ubyte * (W * H * 4))() for _ in range(12)]
        self.next = 0
        self.pictures: list[tuple[float, int | None]] = []
        self.lock = threading.Lock()
        self.cbs = (
            FormatCb(self._format),
            CleanupCb(lambda o: None),
            LockCb(self._lock),
            UnlockCb(lambda o, p, q: None),
            DisplayCb(self._display),
        )
        lib = vlc.dll
        ptr = ctypes.c_void_p(int(ctypes.cast(self.player, ctypes.c_void_p).value or 0))
        lib.libvlc_video_set_format_callbacks.argtypes = [ctypes.c_void_p, FormatCb, CleanupCb]
        lib.libvlc_video_set_format_callbacks(ptr, self.cbs[0], self.cbs[1])
        lib.libvlc_video_set_callbacks.argtypes = [
            ctypes.c_void_p,
            LockCb,
            UnlockCb,
            DisplayCb,
            ctypes.c_void_p,
        ]
        lib.libvlc_video_set_callbacks(ptr, self.cbs[2], self.cbs[3], self.cbs[4], None)
        if isinstance(media, Path):
            self.player.set_media(self.instance.media_new_path(str(media)))
        else:
            self.player.set_media(self.instance.media_new_location(media))
        self.paused = threading.Event()
        self.player.event_manager().event_attach(vlc.EventType.MediaPlayerPaused, lambda e: self.paused.set())

    def _format(self, opaque, chroma, width, height, pitches, lines):  # type: ignore[no-untyped-def]
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0], pitches[0], lines[0] = W, H, W * 4, H
        return 1

    def _lock(self, opaque, planes):  # type: ignore[no-untyped-def]
        self.next = (self.next + 1) % len(self.buffers)
        planes[0] = ctypes.addressof(self.buffers[self.next])
        return self.next + 1

    def _display(self, opaque, picture):  # type: ignore[no-untyped-def]
        number = read_number(bytes(self.buffers[(picture or 1) - 1]))
        with self.lock:
            self.pictures.append((time.monotonic(), number))

    def since(self, t0: float) -> list[tuple[float, int | None]]:
        with self.lock:
            return [(t - t0, n) for t, n in self.pictures if t >= t0]

    def wait_picture(self, t0: float, near: int, timeout: float = 2.0, slack: int = 2) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(n is not None and abs(n - near) <= slack for _, n in self.since(t0)):
                return True
            time.sleep(0.002)
        return False


class Frames:
    """Frame number <-> media time: the 30 fps clip's n x 33.3 ms, or a matrix clip's own times."""

    def __init__(self, times: list[float] | None = None) -> None:
        self.times = times

    def at(self, ms: float) -> int:
        if self.times is None:
            return round(ms * FPS / 1000)
        return max(0, bisect.bisect_right(self.times, ms + 0.5) - 1)

    def ms(self, n: float) -> float:
        if self.times is None:
            return n * 1000 / FPS
        i = min(max(int(n), 0), len(self.times) - 1)
        return self.times[i] + (n - i) * (self.times[1] - self.times[0])


def one_seek(
    probe: Probe, rate: float, target_ms: int, how: str, index: MediaIndex, frames: Frames
) -> dict[str, float]:
    """Seek ``how``; return stale pictures, landing error (ms) and the offset after resuming."""
    player = probe.player
    target_frame = frames.at(target_ms)
    aim = seek_aim.aim(index, target_ms, rate) if "aimed" in how else target_ms
    t0 = time.monotonic()
    if how.startswith("paused"):
        probe.paused.clear()
        player.set_pause(1)
        probe.paused.wait(1.0)
        t_seek = time.monotonic()
        player.set_time(aim)
        probe.wait_picture(t_seek, target_frame, slack=4)
        t_resume = time.monotonic()
        player.set_pause(0)
    else:
        t_seek = time.monotonic()
        player.set_time(aim)
        t_resume = t_seek
    time.sleep(1.2)
    seen = [(t, n) for t, n in probe.since(t0) if n is not None]
    after_seek = [(t, n) for t, n in seen if t >= t_seek - t0]
    near = 1500.0  # ms: the pictures of the new position (targets are 3 s or more apart)
    first = next((i for i, (_, n) in enumerate(after_seek) if abs(frames.ms(n) - target_ms) <= near), None)
    if first is None:
        return {"stale": float(len(after_seek)), "landing_ms": float("nan"), "after_resume_ms": float("nan")}
    landed_t, landed_n = after_seek[first]
    # Pictures 0.5-1 s after the resume: shown minus where a player that landed on the target
    # and ran at ``rate`` from the resume would be.
    start = max(landed_t, t_resume - t0)
    offsets = [
        frames.ms(n) - (frames.ms(target_frame) + (t - start) * rate * 1000)
        for t, n in after_seek[first:]
        if 0.5 <= t - start <= 1.0
    ]
    return {
        "stale": float(first),
        "landing_ms": frames.ms(landed_n) - frames.ms(target_frame),
        "after_resume_ms": statistics.median(offsets) if offsets else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="0.5,0.75,1,1.5,2")
    parser.add_argument("--seeks", type=int, default=8)
    parser.add_argument("--how", default="plain", choices=["plain", "aimed", "paused", "paused-aimed"])
    parser.add_argument(
        "--clip", help="a clip of the encoding matrix (bench_matrix.py), e.g. vp9-23976-k10-webm"
    )
    parser.add_argument("--verbose", action="store_true", help="print every seek")
    args = parser.parse_args()
    if args.clip:
        import bench_matrix

        clip, _ = bench_matrix.make(bench_matrix.BY_NAME[args.clip], bench_matrix.CLIP_S)
        frames = Frames(bench_matrix.load_frame_times(clip))
    else:
        clip, frames = make_clip("sync", 640, 360, 40), Frames()
    index = read_index(clip)
    assert index is not None
    probe = Probe(clip)
    probe.player.play()
    time.sleep(1.0)
    rng = random.Random(10)
    print(f"libVLC {vlc.libvlc_get_version().decode()}, seek {args.how!r}, {clip.name}")
    position = 3000
    keys = set(round(k) for k in index.keyframes_ms)
    for rate in (float(r) for r in args.rates.split(",")):
        probe.player.set_rate(rate)
        time.sleep(0.5)
        rows = []
        for _ in range(args.seeks):
            # 3-35 s in, never a keyframe's own picture, at least 3 s from the last target.
            target = position
            while abs(target - position) < 3000 or round(frames.ms(frames.at(target))) in keys:
                target = rng.randrange(3000, 35000)
            position = target
            rows.append(one_seek(probe, rate, round(frames.ms(frames.at(target))), args.how, index, frames))
            if args.verbose:
                print(f"  target {target}: {rows[-1]}")
        stale = [r["stale"] for r in rows]
        landing = [r["landing_ms"] for r in rows if r["landing_ms"] == r["landing_ms"]] or [float("nan")]
        after = [r["after_resume_ms"] for r in rows if r["after_resume_ms"] == r["after_resume_ms"]] or [
            float("nan")
        ]
        print(
            f"rate {rate:4g}: old pictures after set_time {sum(stale):3.0f} in {len(rows)} seeks "
            f"({len(rows) - len(landing)} not seen to land); "
            f"first new picture - target: median {statistics.median(landing):+5.0f} ms, worst {max(landing, key=abs):+5.0f}; "
            f"0.5-1 s after resuming: median {statistics.median(after):+5.0f} ms, worst {max(after, key=abs):+5.0f}"
        )
    probe.player.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
