"""``clipsync batch`` throughput (issue 20): the same clips on 1 and 2 local workers and on a local
Dask cluster of 2 workers.

    python benchmarks/batch.py [--clips 16] [--runs 3] [--json OUT]

Each configuration runs the real command (``clipsync batch --json`` in a separate
process, into a fresh folder) ``--runs`` times, interleaved, and the median is reported:

* hours of audio per wall-hour (the wall time of the whole command: start-up included);
* the driver's own wall time (from its first item to its summary: start-up left out);
* peak memory per worker (the largest of the items' peaks: the worker process and its ffmpeg);
* per-item overhead: (wall time x workers - the items' own work) / items, i.e. the worker time
  not spent inside an item (start-up, hand-over, writing, idle at the end);
* the per-item cost of a run with nothing to do (every item skipped): what the driver spends
  on each item alone (reading its article, its media's size and time, checking its output).

The clips are synthesized (espeak-ng, several voices) with 2 to 10 sentences each, so a fit of
work against length gives the aligner's fixed cost per item and its cost per second of audio,
from which a 3-minute clip's cost and a paper projection for 10,000 clips are worked out.
Clips are made once into ``benchmarks/.cache/batch`` (or ``$CLIPSYNC_BENCH_CACHE/batch``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from clipsync.core.alignment.synthetic import make_clip

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("CLIPSYNC_BENCH_CACHE", HERE / ".cache")) / "batch"
SENTENCES = [
    "The council met on Tuesday to discuss the new budget.",
    "Members argued for more money for schools and roads.",
    "The mayor said the city could not afford every request.",
    "A vote is expected before the end of the month.",
    "Meanwhile the river has risen after a week of rain.",
    "Several streets near the harbour were closed overnight.",
    "Engineers are checking the old bridge for damage.",
    "Residents were told to keep away from the water.",
    "In sport, the home team won its third match in a row.",
    "The coach praised the young players for their patience.",
]
VOICES = ["en-us", "en", "en-us+f3", "en+m3"]
CONFIGS = {
    "local-1": ["--workers", "1"],
    "local-2": ["--workers", "2"],
    "dask-2": ["--local-cluster", "2"],
}
WORKERS = {"local-1": 1, "local-2": 2, "dask-2": 2}


def make_clips(count: int, longer: int = 1) -> Path:
    """``count`` clips of 2 to 10 sentences (``longer`` times as many with ``--longer``) and
    their articles, and their manifest."""
    CACHE.mkdir(parents=True, exist_ok=True)
    rows = []
    tag = f"-x{longer}" if longer > 1 else ""
    for i in range(count):
        n = (2 + (i * 3) % 9) * longer
        sentences = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(n)]
        media, text = CACHE / f"clip-{i:02d}{tag}.wav", CACHE / f"clip-{i:02d}{tag}.txt"
        if not media.exists():
            text.write_text(f"Bulletin {i}\n\n" + " ".join(sentences) + "\n")
            make_clip(sentences, CACHE / ".making.wav", voice=VOICES[i % len(VOICES)], pause_ms=700)
            (CACHE / ".making.wav").rename(media)
        rows.append({"id": f"clip-{i:02d}", "media": str(media), "text": str(text)})
    manifest = CACHE / f"manifest-{count}{tag}.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return manifest


def long_clip(minutes: int) -> Path:
    """The human reading of Sonnet 1 (53 s) looped to about ``minutes``, with its text as many
    times over; its manifest."""
    sonnet = HERE.parent / "tests" / "data" / "human-speech" / "sonnet-001.mp3"
    loops = max(1, round(minutes * 60 / 53))
    media, text = CACHE / f"long-{loops}.mp3", CACHE / f"long-{loops}.txt"
    if not media.exists():
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-stream_loop",
                str(loops - 1),
                "-i",
                str(sonnet),
                "-c",
                "copy",
                str(media),
            ],
            check=True,
        )
        lines = sonnet.with_suffix(".txt").read_text().strip().splitlines()
        text.write_text(
            "Sonnet 1, again and again\n\n" + "\n\n".join("\n".join(lines) for _ in range(loops)) + "\n"
        )
    manifest = CACHE / f"long-{loops}.jsonl"
    manifest.write_text(json.dumps({"id": "long", "media": str(media), "text": str(text)}) + "\n")
    return manifest


def run(manifest: Path, outdir: Path, args: list[str]) -> dict[str, Any]:
    """One ``clipsync batch`` run: wall time and its events."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "clipsync", "batch", str(manifest), "-o", str(outdir), "--json", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not events or events[-1]["event"] != "summary":
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    items = [e for e in events if e["event"] == "item"]
    return {"wall_s": wall, "driver_s": events[-1]["wall_s"], "items": items}


def figures(runs: list[dict[str, Any]], workers: int) -> dict[str, float]:
    def median(values: list[float]) -> float:
        return float(statistics.median(values))

    audio = sum(i["audio_s"] for i in runs[0]["items"])
    n = len(runs[0]["items"])
    wall = median([r["wall_s"] for r in runs])
    work = median([sum(i["work_s"] for i in r["items"]) for r in runs])
    return {
        "wall_s": round(wall, 2),
        "driver_s": round(median([r["driver_s"] for r in runs]), 2),
        "audio_h_per_wall_h": round(audio / wall, 1),
        "peak_mb_per_worker": round(max(i["peak_mb"] for r in runs for i in r["items"]), 1),
        "overhead_s_per_item": round((wall * workers - work) / n, 3),
        "work_s_per_item": round(work / n, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--longer", type=int, default=1, help="clips this many times longer (more sentences)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--long-minutes", type=int, default=0, help="also align one clip this long alone: its peak memory"
    )
    args = parser.parse_args()
    manifest = make_clips(args.clips, args.longer)
    load_before = os.getloadavg()
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in CONFIGS}
    with tempfile.TemporaryDirectory(prefix="clipsync-bench-batch-") as tmp:
        for r in range(args.runs):
            for name, extra in CONFIGS.items():
                outdir = Path(tmp) / f"{name}-{r}"
                results[name].append(run(manifest, outdir, extra))
                print(f"run {r + 1}/{args.runs} {name}: {results[name][-1]['wall_s']:.1f} s", file=sys.stderr)
        outdir = Path(tmp) / "local-2-0"
        skipped = [run(manifest, outdir, ["--workers", "2"]) for _ in range(args.runs)]
        if args.long_minutes:
            long = run(long_clip(args.long_minutes), Path(tmp) / "long", ["--workers", "1"])["items"][0]
            out_long = {k: long[k] for k in ("audio_s", "work_s", "peak_mb", "timed", "sentences")}
        shutil.rmtree(tmp, ignore_errors=True)
    out: dict[str, Any] = {name: figures(results[name], WORKERS[name]) for name in CONFIGS}
    items = results["local-1"][0]["items"]
    audio = np.array([i["audio_s"] for i in items])
    work = np.array(
        [statistics.median(r["items"][k]["work_s"] for r in results["local-1"]) for k in range(len(items))]
    )
    slope, fixed = np.polyfit(audio, work, 1)
    out["clips"] = {
        "count": len(items),
        "audio_s": round(float(audio.sum()), 1),
        "min_s": round(float(audio.min()), 1),
        "max_s": round(float(audio.max()), 1),
    }
    out["aligner"] = {
        "fixed_s_per_item": round(float(fixed), 2),
        "work_s_per_audio_s": round(float(slope), 4),
        "three_minute_clip_s": round(float(fixed + slope * 180), 1),
    }
    out["driver_s_per_item_skipped"] = round(
        statistics.median(r["driver_s"] for r in skipped) / len(items), 4
    )
    out["speedup_2_vs_1"] = round(out["local-1"]["wall_s"] / out["local-2"]["wall_s"], 2)
    out["dask_vs_local_2"] = round(out["dask-2"]["wall_s"] / out["local-2"]["wall_s"], 3)
    out["dask_vs_local_2_driver"] = round(out["dask-2"]["driver_s"] / out["local-2"]["driver_s"], 3)
    if args.long_minutes:
        out["long_clip"] = out_long
    out["meta"] = {
        "cores": os.cpu_count(),
        "load_before": [round(x, 1) for x in load_before],
        "load_after": [round(x, 1) for x in os.getloadavg()],
        "runs": args.runs,
    }
    print(json.dumps(out, indent=1))
    print(
        f"goals: 2 workers {out['speedup_2_vs_1']}x one (goal >= 1.8); "
        f"Dask {out['dask_vs_local_2']:.0%} of the local pool's time (goal <= 115%)",
        file=sys.stderr,
    )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
