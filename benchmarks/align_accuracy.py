"""Accuracy and speed of ``clipsync align`` on clips whose sentence boundaries are known exactly.

Run: ``.venv/bin/python benchmarks/align_accuracy.py`` (about two minutes on 2 cores).

Clips: the bundled ``resources/clip/syria.mp4`` (its ``syria.sync.json`` holds the exact
sentence and word times), clips made here from the seed article's sentences with other voices,
speeds and a noise or music bed (see :mod:`clipsync.core.alignment.synthetic`), and clips made
from recordings of human voices (``tests/data/human-speech/``: each utterance trimmed and joined
with known pauses, clean and under a noise bed). For each clip it prints the sentence start and
end error (mean, p95, max, in ms), the word start error where the words' truth is known (the
bundled clip), and the real time factor, for the aligner with boundary refinement, without it,
and a naive baseline that spreads the sentences over the speech in proportion to their length.
Last, Sonnet 1 read by a human (no exact truth): is every line found, in order, outside pauses?
"""

from __future__ import annotations

import argparse
import difflib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from align_untranscribed import cpu_s

from clipsync.core.alignment import align_article
from clipsync.core.alignment.aligner import _speech_frames
from clipsync.core.alignment.audio import PcmStream, frame_energy_db
from clipsync.core.alignment.synthetic import join_recordings, make_clip
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Block, BlockKind, Sentence
from clipsync.core.text.textparse import parse_article_file

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "resources" / "clip"
HUMAN = ROOT / "tests" / "data" / "human-speech"
UTTERANCES = [
    ("Ten of clubs.", "cards-001.wav"),
    ("Four queen of clubs.", "cards-002.wav"),
    ("Seven of clubs.", "cards-003.wav"),
    ("Five five.", "cards-004.wav"),
    ("Eight of spades four of clubs seven of hearts.", "cards-005.wav"),
    ("Go forward ten meters.", "goforward.wav"),
]
SEED = CLIP / "syria.page.txt"  # the captured web page the article came from


@dataclass(frozen=True)
class Case:
    name: str
    media: Path
    article: Article  # text to align (no times)
    truth: list[tuple[int, int]]  # true (start, end) per sentence, in order
    # true (word, start) per sentence where the words' times are known exactly
    word_truth: list[list[tuple[str, int]]] | None = field(default=None)


@dataclass(frozen=True)
class Row:
    clip: str
    method: str
    start: tuple[float, float, float]
    end: tuple[float, float, float]
    rtf: float | None
    rtf_cpu: float | None  # CPU seconds (this process and ffmpeg) per second of media
    words: tuple[float, float, float] | None = None  # word start error, where known
    n_words: int = 0


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
        cpu = cpu_s()
        result = align_article(case.media, case.article, refine=refine)
        rtf_cpu = (cpu_s() - cpu) / (result.stats.media_ms / 1000)
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
        word_errors = _word_errors(got, case.word_truth) if case.word_truth else []
        rows.append(
            Row(
                case.name,
                method,
                _stats(starts),
                _stats(ends),
                result.stats.real_time_factor,
                rtf_cpu,
                _stats(word_errors) if word_errors else None,
                len(word_errors),
            )
        )
    base = _baseline(case.media, [len(s.text) for s in case.article.sentences])
    rows.append(
        Row(
            case.name,
            "naive baseline (length-proportional)",
            _stats([b[0] - t[0] for b, t in zip(base, case.truth, strict=True)]),
            _stats([b[1] - t[1] for b, t in zip(base, case.truth, strict=True)]),
            None,
            None,
        )
    )
    return rows


def _word_errors(got: Sequence[Sentence], truth: list[list[tuple[str, int]]]) -> list[float]:
    """Start error of every word found in both, sentence by sentence (words matched by text,
    in order: the page text and the clip's text may spell a few words differently)."""
    errors: list[float] = []
    for sentence, true_words in zip(got, truth, strict=True):
        mine = [(w.text_in(sentence.text).lower(), w.start_ms) for w in sentence.words]
        matcher = difflib.SequenceMatcher(
            a=[w for w, _ in mine], b=[w.lower() for w, _ in true_words], autojunk=False
        )
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                errors.append(mine[block.a + k][1] - true_words[block.b + k][1])
    return errors


def _human_cases(work: Path, quick: bool) -> list[Case]:
    """Clips of human utterances (three rounds in shuffled order), clean and under noise."""
    rng = np.random.default_rng(11)
    order = [i for _ in range(1 if quick else 3) for i in rng.permutation(len(UTTERANCES))]
    chosen = [(UTTERANCES[i][0], HUMAN / UTTERANCES[i][1]) for i in order]
    pauses = [int(p) for p in rng.integers(250, 900, len(chosen))]
    article = Article(
        title="",
        blocks=(
            Block(BlockKind.PARAGRAPH, tuple(Sentence(f"s{i + 1}", t) for i, (t, _) in enumerate(chosen))),
        ),
    )
    cases = []
    for name, kw in [
        ("human voices (pocketsphinx test data), clean", {}),
        ("human voices, noise bed -20 dB", {"bed": "noise", "bed_db": -20.0}),
    ]:
        out = work / f"human-{len(cases)}.m4a"
        spans = join_recordings(chosen, out, pause_ms=pauses, **kw)  # type: ignore[arg-type]
        cases.append(Case(name, out, article, [(s.start_ms, s.end_ms) for s in spans]))
    return cases


def _sonnet() -> list[str]:
    """Sonnet 1 read by a human: every line found, in order, none in a pause of 300 ms or more."""
    from clipsync.core.text.textparse import parse_article_file

    media = HUMAN / "sonnet-001.mp3"
    started, cpu = time.monotonic(), cpu_s()
    result = align_article(media, parse_article_file(HUMAN / "sonnet-001.txt"))
    work, cpu = time.monotonic() - started, cpu_s() - cpu
    with PcmStream(media) as stream:
        speech, _ = _speech_frames(frame_energy_db(stream.read(10**10)))
    lines = result.article.sentences
    found = [(s.start_ms, s.end_ms) for s in lines if s.start_ms is not None and s.end_ms is not None]
    in_pause = 0
    for start, end in found:
        frames = speech[start // 10 : end // 10]
        if len(frames) and frames.mean() < 0.5:
            in_pause += 1
    pauses = []  # silent runs of 300 ms or more
    i = 0
    while i < len(speech):
        j = i
        while j < len(speech) and not speech[j]:
            j += 1
        if j - i >= 30:
            pauses.append((i * 10, j * 10))
        i = max(j, i + 1)
    deep = sum(1 for start, end in found for p0, p1 in pauses if p0 < start < p1 - 200 or p0 + 200 < end < p1)
    lengths = [b - a for a, b in found]
    return [
        f"Sonnet 1 (LibriVox, 53 s, {len(lines)} lines): {len(found)} of {len(lines)} lines found, "
        f"{'in order' if [a for a, _ in found] == sorted(a for a, _ in found) else 'OUT OF ORDER'}, "
        f"{in_pause} placed in a pause, {deep} boundaries more than 200 ms inside a pause of 300 ms or more; "
        f"lines last {min(lengths) / 1000:.1f}–{max(lengths) / 1000:.1f} s; RTF {work / 53.3:.3f} (CPU {cpu / 53.3:.3f})"
    ]


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
                [[(w.text_in(s.text), w.start_ms) for w in s.words] for s in truth.sentences],
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
    return cases + _human_cases(work, quick)


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
    print(
        "| clip | method | start mean / p95 / max (ms) | end mean / p95 / max (ms) | word start mean / p95 / max (ms) | RTF (CPU) |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        rtf = f"{r.rtf:.3f} ({r.rtf_cpu:.3f})" if r.rtf is not None else "–"
        start = " / ".join(f"{v:.0f}" for v in r.start)
        end = " / ".join(f"{v:.0f}" for v in r.end)
        words = " / ".join(f"{v:.0f}" for v in r.words) + f" ({r.n_words} words)" if r.words else "–"
        print(f"| {r.clip} | {r.method} | {start} | {end} | {words} | {rtf} |")
    human = [r for r in rows if r.clip.startswith("human") and r.method.startswith("pocketsphinx +")]
    if human:
        print(
            f"\nHuman voices, sentence boundaries: worst mean {max(max(r.start[0], r.end[0]) for r in human):.0f} ms, "
            f"worst p95 {max(max(r.start[1], r.end[1]) for r in human):.0f} ms (goal: mean <= 25, p95 <= 80)"
        )
    worded = [r for r in rows if r.words and r.method.startswith("pocketsphinx +")]
    for r in worded:
        assert r.words is not None
        print(f"Word starts, {r.clip}: mean {r.words[0]:.0f} ms, p95 {r.words[1]:.0f} ms (goal: mean <= 40)")
    if not args.quick:
        print("\n" + "\n".join(_sonnet()))
    aligned = [r for r in rows if r.method.startswith("pocketsphinx +")]
    allstarts = [r.start[0] for r in aligned] + [r.end[0] for r in aligned]
    print(
        f"\nWorst mean error {max(allstarts):.0f} ms, worst p95 "
        f"{max(max(r.start[1], r.end[1]) for r in aligned):.0f} ms, worst RTF "
        f"{max(r.rtf or 0 for r in aligned):.3f} (CPU {max(r.rtf_cpu or 0 for r in aligned):.3f}) "
        "(goal: mean <= 40, p95 <= 120, RTF <= 0.1)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
