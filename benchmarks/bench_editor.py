"""The timing editor's figures: the waveform of a one-hour file (computed, then from the
cache), drawing the waveform strip at any zoom, and re-aligning between two anchors.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_editor.py [--runs N] [--json OUT]``

* **hour**: the bundled clip's sound encoded as 48 kHz stereo AAC (as a video's sound
  usually is) and repeated 17 times without re-encoding (1:01:29), made once in the
  benchmark cache folder.
* **waveform ready**: ``envelope_for`` with an empty cache (what the first Ctrl+E on a media
  costs, off the GUI thread), median of ``--runs``; then with the cache filled.
* **draw**: one paint of the 1400 x 140 waveform strip (``WaveformView.render`` into an image)
  showing the whole hour, 10 min, 1 min, 10 s and 1 s, with the bundled document's
  sentences and words repeated over the hour as spans; median and max of 30 paints each.
* **re-align**: on the bundled clip, each sentence in turn has its start moved 2 s late by
  hand, is unlocked, and its neighbours locked; re-aligning the stretch between them must
  give back the true start and end (goal: within 40 ms). Error over all sentences, and time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_media

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "resources" / "clip" / "syria.mp4"
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"
COPIES = 17


def hour_file() -> Path:
    """The one-hour 48 kHz stereo AAC file (made once)."""
    folder = bench_media.cache_dir()
    piece, hour = folder / "syria-48k-stereo.m4a", folder / "hour-48k-stereo.m4a"
    if not hour.is_file():
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(CLIP), "-vn", "-ac", "2", "-ar", "48000", "-c:a", "aac",
             "-b:a", "128k", str(piece)],
            check=True,
        )  # fmt: skip
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-stream_loop", str(COPIES - 1), "-i", str(piece), "-c", "copy",
             str(hour)],
            check=True,
        )  # fmt: skip
    return hour


def waveform_ready(hour: Path, runs: int) -> dict[str, float]:
    from clipsync.core.alignment.waveform import cache_path, envelope_for

    cold = []
    for _ in range(runs):
        cache_path(hour).unlink(missing_ok=True)
        started = time.perf_counter()
        envelope_for(hour)
        cold.append(time.perf_counter() - started)
    warm = []
    for _ in range(max(runs, 5)):
        started = time.perf_counter()
        envelope_for(hour)
        warm.append(time.perf_counter() - started)
    return {
        "waveform_cold_s_median": statistics.median(cold),
        "waveform_cold_s_max": max(cold),
        "waveform_cached_s_median": statistics.median(warm),
    }


def hour_article():  # type: ignore[no-untyped-def]
    """The bundled document's sentences (with words) repeated over the hour."""
    from clipsync.core.editing.edits import word_columns
    from clipsync.core.formats.syncdoc import load_sync
    from clipsync.core.text.article import Block, BlockKind
    from clipsync.core.text.words import WordTimes

    doc = load_sync(SYNC)
    period = 217_060
    sentences = []
    for copy in range(COPIES):
        shift = copy * period
        for s in doc.sentences:
            if not s.timed:
                continue
            starts, ends, char_starts, char_ends = word_columns(s.words)
            words = WordTimes((t + shift for t in starts), (t + shift for t in ends), char_starts, char_ends)
            sentences.append(
                replace(
                    s,
                    id=f"{s.id}-{copy}",
                    start_ms=(s.start_ms or 0) + shift,
                    end_ms=(s.end_ms or 0) + shift,
                    words=words,
                )
            )
    return replace(
        doc, blocks=(Block(BlockKind.PARAGRAPH, tuple(sentences)),), quotes=(), duration_ms=COPIES * period
    )


def draw(hour: Path) -> dict[str, float]:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from clipsync.core.alignment.waveform import envelope_for
    from clipsync.ui.editor.waveform_view import WaveformView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    view = WaveformView()
    view.resize(1400, 140)
    view.set_envelope(envelope_for(hour))
    article = hour_article()
    view.set_article(article)
    view.length_ms = article.duration_ms or 0
    image = QImage(view.size(), QImage.Format.Format_RGB32)
    out: dict[str, float] = {}
    for label, span in (
        ("1h", 3_600_000),
        ("10min", 600_000),
        ("1min", 60_000),
        ("10s", 10_000),
        ("1s", 1_000),
    ):
        times = []
        for i in range(30):
            view.view_span = float(span)
            view.view_start = ((article.duration_ms or 0) - span) * i / 29  # spread over the hour
            view.position = int(view.view_start + span / 3)
            started = time.perf_counter()
            view.render(image)
            times.append((time.perf_counter() - started) * 1000)
        out[f"draw_{label}_ms_median"] = statistics.median(times)
        out[f"draw_{label}_ms_max"] = max(times)
    app.processEvents()
    return out


def realign_accuracy() -> dict[str, float]:
    from clipsync.core.alignment.realign import realign
    from clipsync.core.editing.edits import Boundary, Edge, EditState
    from clipsync.core.editing.timing_edits import move_boundary, set_anchor
    from clipsync.core.formats.syncdoc import load_sync

    truth = EditState(load_sync(SYNC))
    sentences = truth.article.sentences
    errors, seconds = [], []
    for k in range(1, len(sentences) - 1):
        s = sentences[k]
        if not s.timed:
            continue
        state = move_boundary(truth, Boundary(s.id, Edge.START), (s.start_ms or 0) + 2000).apply(truth)
        state = set_anchor(state, s.id, False).apply(state)
        state = set_anchor(state, sentences[k - 1].id, True).apply(state)
        state = set_anchor(state, sentences[k + 1].id, True).apply(state)
        started = time.perf_counter()
        got = realign(CLIP, state, sentences[k - 1].id, first_only=True).state.article.sentences[k]
        seconds.append(time.perf_counter() - started)
        errors += [abs((got.start_ms or 0) - (s.start_ms or 0)), abs((got.end_ms or 0) - (s.end_ms or 0))]
    return {
        "realign_cases": len(seconds),
        "realign_error_ms_mean": statistics.mean(errors),
        "realign_error_ms_max": max(errors),
        "realign_s_median": statistics.median(seconds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold waveform runs (median)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    # The waveform cache of these runs stays in the benchmark folder, not the user's.
    os.environ["CLIPSYNC_CACHE_DIR"] = str(bench_media.cache_dir() / "clipsync-cache")
    hour = hour_file()
    results: dict[str, float] = {}
    results |= waveform_ready(hour, args.runs)
    results |= draw(hour)
    results |= realign_accuracy()
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value:10.3f}")
    goals = {
        "waveform of one hour ready <= 5 s": results["waveform_cold_s_median"] <= 5.0,
        "drawn at any zoom <= 16 ms": max(
            v for k, v in results.items() if k.startswith("draw_") and "median" in k
        )
        <= 16,
        "re-align within 40 ms": results["realign_error_ms_max"] <= 40,
    }
    for goal, met in goals.items():
        print(f"{'met ' if met else 'MISSED'}  {goal}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
