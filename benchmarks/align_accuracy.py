"""Accuracy and speed of ``clipsync align`` on clips whose sentence boundaries are known exactly.

Run: ``.venv/bin/python benchmarks/align_accuracy.py`` (about a minute on 2 cores).

Clips: the bundled ``resources/clip/syria.mp4`` (its ``syria.sync.json`` holds the exact
times), and clips made here from the seed article's sentences with other voices, speeds and a
noise or music bed (see :mod:`clipsync.core.alignment.synthetic`). For each clip it prints the
sentence start and end error (mean, p95, max, in ms) and the real time factor, for the aligner
with boundary refinement, without it, and a naive baseline that spreads the sentences over
the speech in proportion to their length.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipsync.core.alignment import align_article
from clipsync.core.alignment.audio import PcmStream, frame_energy_db
from clipsync.core.alignment.synthetic import make_clip
from clipsync.core.article import Article, Block, BlockKind, Sentence
from clipsync.core.syncdoc import load_sync
from clipsync.core.textparse import parse_article_file

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "resources" / "clip"
SEED = CLIP / "syria.page.txt"  # the captured web page the article came from


@dataclass(frozen=True)
class Case:
    name: str
    media: Path
    article: Article  # text to align (no times)
    truth: list[tuple[int, int]]  # true (start, end) per sentence, in order


@dataclass(frozen=True)
class Row:
    clip: str
    method: str
    start: tuple[float, float, float]
    end: tuple[float, float, float]
    rtf: float | None


def _stats(errors: Sequence[float]) -> tuple[float, float, float]:
    e = np.abs(np.asarray(errors, dtype=float))
    return float(e.mean()), float(np.percentile(e, 95)), float(e.max())


def _baseline(media: Path, n_chars: Sequence[int]) -> list[tuple[int, int]]:
    """Sentences spread over the speech (first to last loud frame) in proportion to length."""
    with PcmStream(media) as stream:
        energy = frame_energy_db(stream.read(10**10))
    loud = np.nonzero(energy > np.percentile(energy, 98) - 30)[0]
    first, last = int(loud[0]) * 10, int(loud[-1] + 1) * 10
    total = sum(n_chars)
    out, pos = [], float(first)
    for n in n_chars:
        step = (last - first) * n / total
        out.append((round(pos), round(pos + step)))
        pos += step
    return out


def _evaluate(case: Case) -> list[Row]:
    rows = []
    for refine in (True, False):
        result = align_article(case.media, case.article, refine=refine)
        got = result.article.sentences
        starts, ends = [], []
        for s, (t0, t1) in zip(got, case.truth, strict=True):
            if s.start_ms is None or s.end_ms is None:
                starts.append(10_000.0)  # a missed sentence counts as a 10 s error
                ends.append(10_000.0)
                continue
            starts.append(s.start_ms - t0)
            ends.append(s.end_ms - t1)
        method = "pocketsphinx + energy refinement" if refine else "pocketsphinx alone"
        rows.append(Row(case.name, method, _stats(starts), _stats(ends), result.stats.real_time_factor))
    base = _baseline(case.media, [len(s.text) for s in case.article.sentences])
    rows.append(
        Row(
            case.name,
            "naive baseline (length-proportional)",
            _stats([b[0] - t[0] for b, t in zip(base, case.truth, strict=True)]),
            _stats([b[1] - t[1] for b, t in zip(base, case.truth, strict=True)]),
            None,
        )
    )
    return rows


def _cases(work: Path, quick: bool) -> list[Case]:
    cases = []
    media, sync = CLIP / "syria.mp4", CLIP / "syria.sync.json"
    seed = parse_article_file(SEED)
    if media.is_file() and sync.is_file():
        truth = load_sync(sync)
        cases.append(
            Case(
                "bundled syria.mp4 (3:37, flite)",
                media,
                seed,
                [(s.start_ms or 0, s.end_ms or 0) for s in truth.sentences],
            )
        )
    else:
        print(f"note: {media} not built yet; skipping the bundled clip", file=sys.stderr)
    texts = [s.text for s in seed.sentences if len(s.text) > 20]
    if quick:
        texts = texts[:6]
    variants = [
        ("espeak-ng en-us, 175 wpm, clean", dict(engine="espeak-ng", voice="en-us")),
        ("espeak-ng en-gb, 220 wpm, noise bed -20 dB", dict(engine="espeak-ng", voice="en-gb", speed=220, bed="noise")),
        ("flite slt, slower, music bed -18 dB", dict(engine="flite", voice="slt", speed=150, bed="music", bed_db=-18.0)),
        ("flite awb, noise bed -15 dB", dict(engine="flite", voice="awb", bed="noise", bed_db=-15.0)),
    ]  # fmt: skip
    rng = np.random.default_rng(7)
    for name, kw in variants:
        out = work / f"{len(cases)}.m4a"
        pauses = [int(p) for p in rng.integers(250, 900, len(texts))]
        spans = make_clip(texts, out, pause_ms=pauses, **kw)  # type: ignore[arg-type]
        article = Article(
            title="",
            blocks=(
                Block(BlockKind.PARAGRAPH, tuple(Sentence(f"s{i + 1}", t) for i, t in enumerate(texts))),
            ),
        )
        cases.append(Case(name, out, article, [(s.start_ms, s.end_ms) for s in spans]))
    return cases


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter made clips (6 sentences)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="clipsync-bench-") as tmp:
        rows = [row for case in _cases(Path(tmp), args.quick) for row in _evaluate(case)]
    print(f"Machine: {_machine()}\n")
    print("| clip | method | start mean / p95 / max (ms) | end mean / p95 / max (ms) | RTF |")
    print("|---|---|---|---|---|")
    for r in rows:
        rtf = f"{r.rtf:.3f}" if r.rtf is not None else "–"
        start = " / ".join(f"{v:.0f}" for v in r.start)
        end = " / ".join(f"{v:.0f}" for v in r.end)
        print(f"| {r.clip} | {r.method} | {start} | {end} | {rtf} |")
    aligned = [r for r in rows if r.method.startswith("pocketsphinx +")]
    allstarts = [r.start[0] for r in aligned] + [r.end[0] for r in aligned]
    print(
        f"\nWorst mean error {max(allstarts):.0f} ms, worst p95 "
        f"{max(max(r.start[1], r.end[1]) for r in aligned):.0f} ms, worst RTF "
        f"{max(r.rtf or 0 for r in aligned):.3f} (goal: mean <= 40, p95 <= 120, RTF <= 0.1)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
