"""Plain python-vlc reproduction: where libVLC 3 lands after a seek, and which pictures come
after it, at several rates. No Qt, no clipsync: only python-vlc and the measurement clip.

    python benchmarks/repro_seek.py [--rates 0.5,1,1.5,2] [--seeks 8] [--how plain|paused|rate1]

``plain``  ``set_time(target)`` while playing (what a player does naively).
``paused`` ``set_pause(1)``, ``set_time(target)``, wait for the first picture of the new position,
           then ``set_pause(0)`` (what clipsync's backend does).
``rate1``  ``set_rate(1)``, ``set_time(target)``, wait for the landing, then restore the rate.

For every seek it prints: how many pictures from *before* the seek were displayed after
``set_time`` returned, the frame number of the first new picture minus the target's, and the
offset of the pictures 0.5-1 s later from where a player that landed on the target would be.
The clip carries its frame number in every picture (see ``bench_media.py``).
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_media import BITS, FPS, make_clip  # noqa: E402

FormatCb = ctypes.CFUNCTYPE(
    ctypes.c_uint,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
)
CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
LockCb = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
UnlockCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
DisplayCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
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
    def __init__(self, media: Path, options: tuple[str, ...] = ()) -> None:
        self.instance = vlc.Instance(["--quiet", "--no-xlib", "--aout=adummy", *options])
        self.player = self.instance.media_player_new()
        self.buffer = (ctypes.c_ubyte * (W * H * 4))()
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
        self.player.set_media(self.instance.media_new_path(str(media)))

    def _format(self, opaque, chroma, width, height, pitches, lines):  # type: ignore[no-untyped-def]
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0], pitches[0], lines[0] = W, H, W * 4, H
        return 1

    def _lock(self, opaque, planes):  # type: ignore[no-untyped-def]
        planes[0] = ctypes.addressof(self.buffer)
        return 0

    def _display(self, opaque, picture):  # type: ignore[no-untyped-def]
        number = read_number(bytes(self.buffer))
        with self.lock:
            self.pictures.append((time.monotonic(), number))

    def since(self, t0: float) -> list[tuple[float, int | None]]:
        with self.lock:
            return [(t - t0, n) for t, n in self.pictures if t >= t0]

    def wait_picture(self, t0: float, near: int, timeout: float = 2.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(n is not None and abs(n - near) <= 2 for _, n in self.since(t0)):
                return True
            time.sleep(0.002)
        return False


def one_seek(probe: Probe, rate: float, target_ms: int, how: str) -> dict[str, float]:
    player = probe.player
    before = probe.since(time.monotonic() - 0.2)
    last_before = next((n for _, n in reversed(before) if n is not None), None)
    target_frame = round(target_ms * FPS / 1000)
    t0 = time.monotonic()
    if how == "paused":
        player.set_pause(1)
        player.set_time(target_ms)
        probe.wait_picture(t0, target_frame)
        t_resume = time.monotonic()
        player.set_pause(0)
    elif how == "rate1":
        player.set_rate(1.0)
        player.set_time(target_ms)
        probe.wait_picture(t0, target_frame)
        t_resume = time.monotonic()
        player.set_rate(rate)
    else:
        player.set_time(target_ms)
        t_resume = t0
    time.sleep(1.2)
    seen = probe.since(t0)
    numbers = [(t, n) for t, n in seen if n is not None]
    # Pictures continuing the old position: close to where playback was before the seek.
    stale = sum(
        1
        for _, n in numbers
        if last_before is not None and abs(n - last_before) <= 10 and abs(n - target_frame) > 10
    )
    new = [
        (t, n)
        for t, n in numbers
        if abs(n - target_frame) <= 60 or last_before is None or abs(n - last_before) > 10
    ]
    first_new = new[0][1] - target_frame if new else float("nan")
    # Steady offset 0.6-1.1 s after the resume: frame shown minus where a player that landed on
    # the target at the resume would be.
    late = [
        n - (target_frame + (t - (t_resume - t0)) * rate * FPS)
        for t, n in new
        if 0.6 <= t - (t_resume - t0) <= 1.1
    ]
    return {
        "stale": stale,
        "first_new_frames": first_new,
        "steady_offset_ms": statistics.median(late) * 1000 / FPS if late else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="0.5,1,1.5,2")
    parser.add_argument("--seeks", type=int, default=8)
    parser.add_argument("--how", default="plain", choices=["plain", "paused", "rate1"])
    args = parser.parse_args()
    clip = make_clip("sync", 640, 360, 40)
    probe = Probe(clip)
    probe.player.play()
    time.sleep(1.0)
    rng = random.Random(10)
    print(
        f"libVLC {vlc.libvlc_get_version().decode()}, seek by {args.how!r}, clip {clip.name} (keyframe every 2 s)"
    )
    for rate in (float(r) for r in args.rates.split(",")):
        probe.player.set_rate(rate)
        time.sleep(0.5)
        rows = []
        for _ in range(args.seeks):
            # Targets on a frame, never on a keyframe (every 60th frame), 3-35 s.
            frame = rng.randrange(90, 1050)
            if frame % 60 == 0:
                frame += 17
            rows.append(one_seek(probe, rate, round(frame * 1000 / FPS), args.how))
        stale = [r["stale"] for r in rows]
        first = [r["first_new_frames"] * 1000 / FPS for r in rows]
        steady = [r["steady_offset_ms"] for r in rows]
        print(
            f"rate {rate:g}: old pictures after set_time: {sum(stale)} in {len(rows)} seeks (max {max(stale)}); "
            f"first new picture - target: median {statistics.median(first):+.0f} ms, max {max(first, key=abs):+.0f} ms; "
            f"0.6-1.1 s later, picture - expected: median {statistics.median(steady):+.0f} ms, "
            f"max {max(steady, key=abs):+.0f} ms"
        )
    probe.player.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
