"""Plain python-vlc reproduction: damaged pictures after a seek above 1x, with libVLC's file
caching as it comes (1000 ms) and with 3000 ms.

    python benchmarks/repro/seek_damage.py [--clip h264-25-k10-mp4] [--rates 1.25,1.5,2] [--how aimed]

Plays a clip of the encoding matrix (keyframes 10 s apart by default) and seeks to targets 2-9 s
after a keyframe, aimed as clipsync aims (``seek_aim.aim``, ``--how aimed``) or plain
(``set_time(target)``). Each picture's frame number is read from its pixels; for the 1.5 s after
a seek it counts the pictures whose number cannot be read: damaged ones.

Why (libVLC 3.0, ``src/input/es_out.c``): after a seek libVLC decodes from the keyframe K and
starts its clock as if that had taken the time at 1x, so above 1x the pictures it reads next
are late by (request - K)(1 - 1/rate) (``seek_aim``'s docstring). When a reading comes later
than the file caching allows, ``ES_OUT_SET_(GROUP_)PCR`` "is called too late": libVLC raises its
delay and resets (``ES_OUT_RESET_PCR``), which flushes the decoders in the middle of the group
of pictures: every picture up to the next keyframe is decoded without its references (grey,
smeared). An aimed seek asks for K + (T - K)/rate, so its pictures are late by up to a quarter
of T - K (at 2x); with 3 s of caching that stays under the limit for keyframes up to 12 s apart.
2026-12-05, libVLC 3.0.24: see docs/libvlc.md ("Damaged pictures after a seek above 1x").
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
from clipsync.media import seek_aim
from clipsync.media.media_index import MediaIndex, read_index

#: The file caching that removes the damage (keyframes up to 12 s apart).
FILE_CACHING_MS = 3000
#: Seek targets (s): 2-9 s after the 10 s clips' keyframes, at least 3 s apart.
TARGETS_S = (27.0, 36.4, 15.9, 29.5, 18.3, 47.0, 12.5, 26.0, 34.2, 19.1)


def damaged(
    media: Path, frames: Frames, index: MediaIndex, rate: float, how: str, caching_ms: int
) -> tuple[int, int, int]:
    """Over the seeks: pictures shown in the 1.5 s after each, those damaged, and the seeks
    with any damaged picture."""
    probe = Probe(media, (f"--file-caching={caching_ms}",))
    probe.player.play()
    time.sleep(0.5)
    probe.player.set_rate(rate)
    time.sleep(0.5)
    shown = bad = seeks = 0
    for target_s in TARGETS_S:
        target = round(frames.ms(frames.at(target_s * 1000)))
        t0 = time.monotonic()
        probe.player.set_time(seek_aim.aim(index, target, rate) if how == "aimed" else target)
        time.sleep(1.5)
        numbers = [n for t, n in probe.since(t0) if t > 0.01]  # not the old ones on their way
        shown += len(numbers)
        bad += numbers.count(None)
        seeks += None in numbers
    probe.player.stop()
    return shown, bad, seeks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clip", default="h264-25-k10-mp4", help="a clip of bench_matrix.py")
    parser.add_argument("--rates", default="1.25,1.5,2")
    parser.add_argument("--how", default="aimed", choices=["aimed", "plain"])
    args = parser.parse_args()
    import vlc

    clip, _ = bench_matrix.make(bench_matrix.BY_NAME[args.clip], bench_matrix.CLIP_S)
    frames = Frames(bench_matrix.load_frame_times(clip))
    index = read_index(clip)
    assert index is not None
    print(f"libVLC {vlc.libvlc_get_version().decode()}, {clip.name}, {args.how} seeks")
    for rate in (float(r) for r in args.rates.split(",")):
        for caching in (1000, FILE_CACHING_MS):
            shown, bad, seeks = damaged(clip, frames, index, rate, args.how, caching)
            print(
                f"  rate {rate:4g}, file caching {caching:4d} ms: {bad:3d} of {shown} pictures damaged,"
                f" after {seeks} of {len(TARGETS_S)} seeks"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
