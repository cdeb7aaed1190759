"""Where libVLC landed after each jump of ``bench_matrix.py --raw DIR``, by clip and rate.

    python benchmarks/bench_landings.py DIR/*.json [--by-depth]

For every seek and quote jump of the sync benchmark: the frame number of the first picture of
the new position libVLC handed over (read from the trace's ``frame`` entries, every picture,
painted or not) minus that of the target's first frame. 0 is a landing on the target; -1 a
frame early (the text is then counted a frame ahead of the picture until libVLC's next time
report). Speed changes (a jump to the picture on screen) are left out. ``--by-depth`` adds
each landing's distance from its keyframe (ms of media), which the aim depends on.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_matrix
import bench_media

from clipsync.media.media_index import read_index

NEAR_MS = 600  # the first picture within this of the target is the new position's


def landings(raw: Path) -> dict[float, list[tuple[int, int]]]:
    """Per rate: (landing error in frames, distance from the keyframe in ms) for each jump."""
    spec = bench_matrix.BY_NAME[raw.stem]
    clip, _ = bench_matrix.make(spec, bench_matrix.CLIP_S)
    index = read_index(clip)
    bench_media.use_frame_times(bench_matrix.load_frame_times(clip))
    data = json.loads(raw.read_text())
    trace = sorted(data["trace"], key=lambda entry: entry[1])
    rows, frames = data["rows"], [e for e in trace if e[0] == "frame" and e[2] is not None]
    row_times, frame_times = [r["t"] for r in rows], [e[1] for e in frames]
    jumps = [e for e in trace if e[0] == "jump"]
    out: dict[float, list[tuple[int, int]]] = collections.defaultdict(list)
    for k, (_, at, target) in enumerate(jumps):
        until = min(jumps[k + 1][1] if k + 1 < len(jumps) else at + 1, at + 0.6)
        i = bisect.bisect_right(row_times, at)
        j = bisect.bisect_right(frame_times, at)
        if i >= len(rows) or j == 0:
            continue
        first = bench_media.first_frame_from(target)
        if abs(frames[j - 1][2] - first) <= 2:
            continue  # a speed change: the jump is to the picture on screen
        new = [
            e[2]
            for e in frames[j:]
            if e[1] < until and abs(bench_media.frame_time_ms(e[2]) - target) < NEAR_MS
        ]
        key = index.key_before(target) if index is not None else None
        if new:
            out[rows[i]["rate"]].append((new[0] - first, round(target - key) if key is not None else -1))
    bench_media.use_frame_times(None)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", nargs="+", type=Path, help="bench_matrix.py --raw files (video clips)")
    parser.add_argument("--by-depth", action="store_true")
    args = parser.parse_args()
    for raw in args.raw:
        spec = bench_matrix.BY_NAME.get(raw.stem)
        if spec is None or spec.audio_only:  # matrix.json, an audio-only clip
            continue
        for rate, found in sorted(landings(raw).items()):
            errors = collections.Counter(error for error, _ in found)
            on = 100 * errors[0] / len(found)
            line = f"{raw.stem:24s} {rate:4}x  {len(found):3} jumps  on the frame {on:5.1f} %  {dict(sorted(errors.items()))}"
            print(line + (f"  {sorted(found, key=lambda f: f[1])}" if args.by_depth else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
