"""Plain python-vlc reproduction: which pictures come after a seek, and when. No Qt, no clipsync.

    python benchmarks/repro/old_pictures.py [--rate 1] [--seeks 30]

libVLC 3's video callbacks carry no timestamp. This plays the measurement clip (its frame
number is drawn in every picture, see ``bench_media.py``), seeks ``--seeks`` times while
playing, and sorts the pictures shown after each ``set_time`` by their number: *old* (the next
frames of the old position), *late old* (15-40 frames after the old position: what the decoder
had in hand) and the *first new* one. For each it prints when it came relative to the cadence
of the pictures before the seek (how far from the nearest slot, in ms) and, for the late old
picture, how long before the first new one it came. What it shows (docs/libvlc.md, "Jumps"):
old pictures come exactly on the old cadence, first new ones anywhere, and the late old one
right before the first new one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/: bench_media imports audio_code
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from benchmarks.bench_media import FPS, make_clip
from benchmarks.repro.seek import Probe


def offsets(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(abs(v) for v in values)
    within = sum(v <= 1.0 for v in ordered)
    return (
        f"{len(values):3d}: |off the old cadence| median {statistics.median(ordered):5.1f} ms, "
        f"max {ordered[-1]:5.1f} ms, within 1 ms {within}/{len(values)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--seeks", type=int, default=30)
    args = parser.parse_args()
    probe = Probe(make_clip("sync", 640, 360, 40))
    probe.player.play()
    time.sleep(1.0)
    probe.player.set_rate(args.rate)
    time.sleep(0.5)
    interval = 1 / FPS / args.rate
    rng = random.Random(7)
    old: list[float] = []
    late: list[float] = []
    first_new: list[float] = []
    burst: list[float] = []
    for _ in range(args.seeks):
        frame = rng.randrange(90, 1050)
        before = [(t, n) for t, n in probe.since(0.0) if n is not None]
        last_at, last_n = before[-1]
        asked = time.monotonic()
        probe.player.set_time(round(frame * 1000 / FPS))
        time.sleep(0.5 + rng.random() * 0.3)
        late_at = None
        for at, n in [(t, n) for t, n in probe.since(0.0) if n is not None and t >= asked][:6]:
            slots = (at - last_at) / interval
            off_ms = (slots - round(slots)) * interval * 1000
            if abs(n - frame) <= 2:
                first_new.append(off_ms)
                if late_at is not None:
                    burst.append((at - late_at) * 1000)
                break
            if 0 < n - last_n <= 3:
                old.append(off_ms)
            elif 15 <= n - last_n <= 40:
                late.append(off_ms)
                late_at = at
    probe.player.stop()
    print(
        f"rate {args.rate:g}, {args.seeks} seeks while playing ({FPS} fps, one frame {interval * 1000:.1f} ms)"
    )
    print(f"  old pictures       {offsets(old)}")
    print(f"  late old pictures  {offsets(late)}")
    print(f"  first new pictures {offsets(first_new)}")
    if burst:
        print(
            f"  late old picture -> first new one: {min(burst):.1f} to {max(burst):.1f} ms "
            f"(median {statistics.median(burst):.1f}, {len(burst)} seeks)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
