"""Scale: a made-up 3-hour article with 30,000 sentences in the article panel.

Run in its own process (so its memory is its own):

    python bench_scale.py [--sentences N] [--words] [--window] [--json OUT]

``--words`` gives every sentence word times (about 420,000 words for 30,000 sentences).

* load: from the sync document on disk to the panel laid out and painted once. With
  ``--window`` the real path is timed, ``MainWindow.load_text`` (parse, index, captions,
  article panel, quotes list, timeline); without it ``load_sync`` + ``ArticleView.set_article``.
* memory: the process's resident set after loading (VmRSS) and its peak (VmHWM), in MB.
* update: one position update as playback makes it, ``ArticleView.set_now`` +
  ``set_read_position`` (what ``PlayerViews.now_changed`` calls) and the repaint it causes
  (``processEvents``), timed at the start, middle and end of the document: it must not grow.
  Stepping from sentence to sentence (``update_*``) and, with ``--words``, from word to word as
  playback does (``word_update_*``: at each painted frame the window calls
  ``set_read_position``, and ``set_now`` when the sentence or quote part changes), plus a
  frame where nothing changes (``frame_update_ms``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_media


def proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=30_000)
    parser.add_argument("--window", action="store_true", help="load through MainWindow.load_text")
    parser.add_argument("--words", action="store_true", help="give every sentence word times")
    parser.add_argument("--updates", type=int, default=200, help="updates timed per region")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    doc = bench_media.long_article_doc(args.sentences, words=args.words)
    from PySide6.QtWidgets import QApplication

    from clipsync.core.formats.syncdoc import load_sync
    from clipsync.core.text.lookup import TranscriptIndex
    from clipsync.ui.text.article_view import ArticleView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = None
    if args.window:
        from clipsync.core.settings import SettingsStore
        from clipsync.ui.app import create_window

        config = bench_media.cache_dir() / "scale-config"
        config.mkdir(exist_ok=True)
        os.environ["CLIPSYNC_CONFIG_DIR"] = str(config)
        window = create_window(player=None, settings=SettingsStore(config / "settings.json"))
        window.resize(1280, 760)
        window.show()
        view = window.article_view
    else:
        view = ArticleView()
        view.resize(520, 700)
        view.show()
    app.processEvents()
    gc.collect()
    rss_before = proc_status_mb("VmRSS")

    t0 = time.perf_counter()
    if window is not None:
        window.load_text(doc, None)
        article = window.controller.article
        index = window.controller.index
    else:
        article = load_sync(doc)
        index = TranscriptIndex(article)
        view.set_article(article)
    t_built = time.perf_counter()
    app.processEvents()  # first layout and paint of the panel
    t_shown = time.perf_counter()
    assert article is not None and index is not None
    parse_s = _time(lambda: load_sync(doc))
    rss_after = proc_status_mb("VmRSS")
    peak = proc_status_mb("VmHWM")

    settle_until = time.perf_counter() + 1.5
    while time.perf_counter() < settle_until:  # let the document's lazy layout finish
        app.processEvents()
    refs = index.timed_refs
    regions = {"start": 10, "middle": len(refs) // 2, "end": len(refs) - args.updates - 10}
    per_region: dict[str, list[float]] = {}
    call_region: dict[str, list[float]] = {}
    jump_ms: dict[str, float] = {}
    for name, first in regions.items():
        # Get there (a seek: dims everything before at once; timed apart), then play on.
        sentence = refs[first].sentence
        t = time.perf_counter()
        _update(view, index, sentence.start_ms or 0)
        app.processEvents()
        jump_ms[name] = (time.perf_counter() - t) * 1000
        times, calls = [], []
        for k in range(first + 1, first + 1 + args.updates):
            position = refs[k].sentence.start_ms or 0
            t = time.perf_counter()
            _update(view, index, position)
            t_call = time.perf_counter()
            app.processEvents()
            times.append((time.perf_counter() - t) * 1000)
            calls.append((t_call - t) * 1000)
        per_region[name] = times
        call_region[name] = calls
    everything = [v for times in per_region.values() for v in times]
    result = {
        "scale.sentences": len(article.sentences),
        "scale.words": sum(len(s.words) for s in article.sentences),
        "scale.load_s": t_shown - t0,
        "scale.build_s": t_built - t0,
        "scale.parse_s": parse_s,
        "scale.rss_mb": rss_after,
        "scale.rss_peak_mb": peak,
        "scale.rss_added_mb": rss_after - rss_before,
        "scale.update_ms": statistics.median(everything),
        "scale.update_p95_ms": _pct(everything, 95),
        "scale.update_calls_ms": statistics.median(v for c in call_region.values() for v in c),
        "scale.update_start_ms": statistics.median(per_region["start"]),
        "scale.update_middle_ms": statistics.median(per_region["middle"]),
        "scale.update_end_ms": statistics.median(per_region["end"]),
        "scale.jump_to_end_ms": jump_ms["end"],
        "scale.path": "MainWindow.load_text" if window is not None else "load_sync + ArticleView.set_article",
    }
    if result["scale.words"]:
        result |= _word_steps(app, view, index, regions, args.updates)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)
    sys.stdout.flush()
    os._exit(0)  # skip tearing down 30,000 sentences of Qt objects


def _update(view: object, index: object, position: int) -> None:
    """What PlayerViews.now_changed does for the article panel."""
    now = index.at(position)  # type: ignore[attr-defined]
    view.set_now(now)  # type: ignore[attr-defined]
    view.set_read_position(position)  # type: ignore[attr-defined]


def _word_steps(
    app: object, view: object, index: object, regions: dict[str, int], updates: int
) -> dict[str, float]:
    """Play on word by word (and frame by frame) from each region, as the window does."""
    refs = index.timed_refs  # type: ignore[attr-defined]
    out: dict[str, float] = {}
    steps: dict[str, list[float]] = {}
    frames: list[float] = []
    for name, first in regions.items():
        positions = [w.start_ms for ref in refs[first : first + 40] for w in ref.sentence.words][:updates]
        last = index.at(positions[0] - 1)  # type: ignore[attr-defined]
        _update(view, index, positions[0] - 1)
        app.processEvents()  # type: ignore[attr-defined]
        times = []
        for position in positions:
            t = time.perf_counter()
            now = index.at(position)  # type: ignore[attr-defined]
            if now.ref is not last.ref or now.part is not last.part:  # the controller's nowChanged
                view.set_now(now)  # type: ignore[attr-defined]
                last = now
            view.set_read_position(position)  # type: ignore[attr-defined]
            app.processEvents()  # type: ignore[attr-defined]
            times.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()  # the next frame, 1 ms later: nothing to change
            view.set_read_position(position + 1)  # type: ignore[attr-defined]
            app.processEvents()  # type: ignore[attr-defined]
            frames.append((time.perf_counter() - t) * 1000)
        steps[name] = times
    everything = [v for times in steps.values() for v in times]
    out["scale.word_update_ms"] = statistics.median(everything)
    out["scale.word_update_p95_ms"] = _pct(everything, 95)
    for name, times in steps.items():
        out[f"scale.word_update_{name}_ms"] = statistics.median(times)
    out["scale.frame_update_ms"] = statistics.median(frames)
    return out


def _time(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


if __name__ == "__main__":
    raise SystemExit(main())
