"""Plain python-vlc reproduction: damaged pictures after seeks, with libVLC's avcodec "hurry up"
and without it (issue 18).

    python benchmarks/repro/hurry_up.py [--clip vp9-23976-k10-webm] [--rate 1.5] [--runs 2]

Plays a clip of the encoding matrix at ``--rate`` and seeks ten times, each target 2-9 s after
a keyframe (the decoder has seconds of pictures to decode before the target's), first with
libVLC's defaults, then with ``--no-avcodec-hurry-up``. Each picture's frame number is read
from its pixels; a picture whose number cannot be read, or reads as more than two frames away
from the one before it in the run after a landing, is damaged (a block the decoder dropped
breaks every picture after it up to the next keyframe).

With hurry-up on (libVLC's default) avcodec counts pictures that come out late and, past 11 in
a row, stops decoding blocks, reference pictures too ("More than 11 late frames, dropping
frame" in its log; modules/codec/avcodec/video.c). After a seek far from a keyframe at 1.5x that
happens on a 2-core machine: 2026-12-05, libVLC 3.0.24, vp9-23976-k10-webm, 1.5x: see
docs/libvlc.md for the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
import bench_matrix

from benchmarks.repro.seek import Frames, Probe

#: Seek targets (s): 2-9 s after the 10 s clips' keyframes.
TARGETS_S = (27.0, 36.4, 15.9, 29.5, 18.3, 37.0, 12.5, 26.0, 34.2, 19.1)


def damaged(media: Path, frames: Frames, rate: float, options: tuple[str, ...]) -> tuple[int, int]:
    """Pictures shown, and of them damaged, over the ten seeks (1.5 s of playing after each)."""
    probe = Probe(media, options)
    probe.player.play()
    time.sleep(0.5)
    probe.player.set_rate(rate)
    time.sleep(0.5)
    shown = bad = 0
    for target in TARGETS_S:
        t0 = time.monotonic()
        probe.player.set_time(int(target * 1000))
        time.sleep(1.5)
        pictures = [n for _, n in probe.since(t0)]
        near = frames.at(target * 1000)
        first = next((i for i, n in enumerate(pictures) if n is not None and abs(n - near) <= 3), None)
        if first is None:
            bad += len(pictures)  # it never showed the target: all of them are wrong
            shown += len(pictures)
            continue
        previous = pictures[first]
        for n in pictures[first:]:
            shown += 1
            if n is None or not 0 <= n - previous <= 2:
                bad += 1
            else:
                previous = n
    probe.player.stop()
    return shown, bad


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clip", default="vp9-23976-k10-webm", help="a clip of bench_matrix.py")
    parser.add_argument("--rate", type=float, default=1.5)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    import vlc

    clip, _ = bench_matrix.make(bench_matrix.BY_NAME[args.clip], bench_matrix.CLIP_S)
    frames = Frames(bench_matrix.load_frame_times(clip))
    print(f"libVLC {vlc.libvlc_get_version().decode()}, {clip.name}, rate {args.rate:g}")
    for run in range(1, args.runs + 1):
        for name, options in (("hurry-up (default)", ()), ("--no-avcodec-hurry-up", ("--no-avcodec-hurry-up",))):
            shown, bad = damaged(clip, frames, args.rate, options)
            print(f"  run {run}, {name:22s}: {bad} of {shown} pictures after the landings damaged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
