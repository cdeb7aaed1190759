"""Aligning an article that is not a transcript, measured on human voices with exact truth.

Run: ``.venv/bin/python benchmarks/align_untranscribed.py [--json FILE]`` (about a minute).

A news clip's narration is not its article: sentences of the text are never read, and other
speech (an intro, another voice) is in no sentence. The compositions here are made of real
human voices: the lines of Sonnet 1 read by a LibriVox reader (``tests/data/human-speech/``),
cut at the pauses between them, and the pocketsphinx test recordings of another speaker as the
speech that is in no sentence. The text is the sonnet's fourteen lines; some are not read. Each
piece is trimmed and placed at a known time (:func:`clipsync.core.alignment.synthetic.join_recordings`),
so every boundary is known exactly.

Per composition it prints: the read lines' boundary error (start and end, mean and p95, ms),
how many unread lines got a time (goal: none), how many timed lines cover speech that is not
theirs by more than 50 ms (goal: none), and the real-time factor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from clipsync.core.alignment import AlignmentResult, AlignmentStats, align_article
from clipsync.core.alignment.audio import probe_duration_ms
from clipsync.core.alignment.synthetic import join_recordings
from clipsync.core.errors import InputError
from clipsync.core.text.article import Article, Block, BlockKind, Sentence

ROOT = Path(__file__).resolve().parents[1]
HUMAN = ROOT / "tests" / "data" / "human-speech"
SONNET = HUMAN / "sonnet-001.mp3"
LINES = [line.strip() for line in (HUMAN / "sonnet-001.txt").read_text().splitlines() if line.strip()]
OTHER = {  # another speaker: speech that is in no line of the text
    "intro": HUMAN / "goforward.wav",  # 2.8 s
    "short": HUMAN / "cards-003.wav",  # 1.5 s
    "long": HUMAN / "cards-005.wav",  # 3.5 s
}
CUT_MARGIN_MS = 150
OVERLAP_MS = 50  # a timed line covering this much of someone else's speech is wrong


@dataclass(frozen=True)
class Composition:
    """What is heard, in order: ``("line", i)`` for line ``i`` of the sonnet, ``("other", key)``."""

    name: str
    pieces: tuple[tuple[str, int | str], ...]
    bed: str = ""


COMPOSITIONS = [
    Composition(
        "5 of 14 read (2 skipped between), 1.5 s + 3.5 s of another voice",
        (
            ("line", 0),
            ("line", 1),
            ("other", "short"),
            ("line", 3),
            ("line", 4),
            ("other", "long"),
            ("line", 6),
        ),
    ),
    Composition(
        "same, noise bed -20 dB",
        (
            ("line", 0),
            ("line", 1),
            ("other", "short"),
            ("line", 3),
            ("line", 4),
            ("other", "long"),
            ("line", 6),
        ),
        bed="noise",
    ),
    Composition(
        "intro by another voice, 10 of 14 read, another voice between",
        (
            ("other", "intro"),
            ("line", 0),
            ("line", 1),
            ("line", 2),
            ("line", 4),
            ("other", "short"),
            ("line", 5),
            ("line", 7),
            ("line", 8),
            ("other", "long"),
            ("line", 9),
            ("line", 11),
            ("line", 13),
        ),
    ),
]


@dataclass(frozen=True)
class Figures:
    name: str
    read: int
    unread: int
    start_mean: float
    start_p95: float
    end_mean: float
    end_p95: float
    all_mean: float
    all_p95: float
    unread_timed: int
    read_untimed: int
    covering_foreign: int
    rtf: float


#: Where each line of the sonnet is read (ms), found by aligning the whole reading as a
#: transcript (the aligner before the garbage loop: every line found, in order, outside pauses).
#: Each cut reaches ``CUT_MARGIN_MS`` into the pauses around the line (no further than halfway),
#: then is trimmed to the speech: wider, it took in the reader's breath before the next line,
#: which no one would call part of a line.
LINE_TIMES = [
    (2670, 5100), (5880, 8610), (9230, 11450), (11930, 14340), (15230, 18400), (18830, 22260),
    (22770, 25070), (25700, 30360), (31180, 33980), (34300, 36490), (36990, 40160), (40610, 43620),
    (44490, 48170), (48520, 52250),
]  # fmt: skip


def line_cuts(work: Path) -> list[Path]:
    """Each sonnet line as a recording of its own, cut in the pauses around it."""
    times = LINE_TIMES
    cuts = []
    for i, (start, end) in enumerate(times):
        lo = max((times[i - 1][1] + start) // 2 if i else 0, start - CUT_MARGIN_MS)
        hi = min((end + times[i + 1][0]) // 2 if i + 1 < len(times) else end + 300, end + CUT_MARGIN_MS)
        out = work / f"line-{i:02d}.wav"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-ss", f"{lo / 1000:.3f}", "-t", f"{(hi - lo) / 1000:.3f}",
             "-i", str(SONNET), "-ac", "1", "-ar", "16000", str(out)],
            check=True,
        )  # fmt: skip
        cuts.append(out)
    return cuts


def _article(lines: list[str]) -> Article:
    sentences = tuple(Sentence(f"s{i + 1}", text) for i, text in enumerate(lines))
    return Article(title="", blocks=(Block(BlockKind.LINES, sentences),))


def measure(comp: Composition, cuts: list[Path], work: Path, seed: int = 1) -> Figures:
    recordings = [
        (LINES[int(k)] if kind == "line" else "", cuts[int(k)] if kind == "line" else OTHER[str(k)])
        for kind, k in comp.pieces
    ]
    rng = np.random.default_rng(seed)
    pauses = [int(p) for p in rng.integers(350, 900, len(recordings))]
    out = work / f"{abs(hash(comp.name)) % 10**8}-{seed}.m4a"
    kw = {"bed": comp.bed, "bed_db": -20.0} if comp.bed else {}
    spans = join_recordings(recordings, out, pause_ms=pauses, seed=seed, **kw)  # type: ignore[arg-type]
    truth: dict[int, tuple[int, int]] = {}
    foreign: list[tuple[int, tuple[int, int]]] = []  # (line said or -1 for another voice, span)
    for (kind, k), span in zip(comp.pieces, spans, strict=True):
        if kind == "line":
            truth[int(k)] = (span.start_ms, span.end_ms)
        foreign.append((int(k) if kind == "line" else -1, (span.start_ms, span.end_ms)))
    started = time.monotonic()
    try:
        result = align_article(out, _article(LINES))
    except InputError as exc:
        print(f"{comp.name}: {exc}", file=sys.stderr)
        result = _unaligned(out)
    work_s = time.monotonic() - started
    got = result.article.sentences
    starts, ends = [], []
    unread_timed = read_untimed = covering = 0
    for i, sentence in enumerate(got):
        if i not in truth:
            unread_timed += sentence.timed
        elif not sentence.timed:
            read_untimed += 1
        else:
            assert sentence.start_ms is not None and sentence.end_ms is not None
            starts.append(sentence.start_ms - truth[i][0])
            ends.append(sentence.end_ms - truth[i][1])
        if sentence.timed:
            a, b = sentence.start_ms or 0, sentence.end_ms or 0
            if any(owner != i and min(b, e) - max(a, s) > OVERLAP_MS for owner, (s, e) in foreign):
                covering += 1
    both = np.abs(np.asarray(starts + ends, float)) if starts else np.zeros(1)
    s_abs, e_abs = np.abs(np.asarray(starts or [0], float)), np.abs(np.asarray(ends or [0], float))
    return Figures(
        f"{comp.name} (seed {seed})",
        len(truth),
        len(LINES) - len(truth),
        float(s_abs.mean()),
        float(np.percentile(s_abs, 95)),
        float(e_abs.mean()),
        float(np.percentile(e_abs, 95)),
        float(both.mean()),
        float(np.percentile(both, 95)),
        unread_timed,
        read_untimed,
        covering,
        work_s / (result.stats.media_ms / 1000),
    )


def _unaligned(media: Path) -> AlignmentResult:
    """What a failed alignment amounts to: nothing timed."""
    stats = AlignmentStats(probe_duration_ms(media), 0.0, 0, len(LINES), 0, 0, 0)
    return AlignmentResult(_article(LINES), tuple(f"s{i + 1}" for i in range(len(LINES))), stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--seeds", type=int, default=2, help="pause and noise draws per composition")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="clipsync-untranscribed-") as folder:
        work = Path(folder)
        cuts = line_cuts(work)
        for comp in COMPOSITIONS:
            for seed in range(1, args.seeds + 1):
                rows.append(measure(comp, cuts, work, seed))
    print(
        f"{'composition':<66} {'read':>4} {'unread':>6}  {'start mean/p95':>14}  {'end mean/p95':>13}  "
        f"{'all mean/p95':>13}  unread timed  read untimed  covering other speech  RTF"
    )
    for r in rows:
        print(
            f"{r.name:<66} {r.read:>4} {r.unread:>6}  {r.start_mean:6.0f} /{r.start_p95:5.0f}  "
            f"{r.end_mean:5.0f} /{r.end_p95:5.0f}  {r.all_mean:5.0f} /{r.all_p95:5.0f}  "
            f"{r.unread_timed:>12}  {r.read_untimed:>12}  {r.covering_foreign:>21}  {r.rtf:.3f}"
        )
    errors = [r.all_mean for r in rows]
    print(
        f"\nall compositions: mean of means {np.mean(errors):.1f} ms; unread lines timed "
        f"{sum(r.unread_timed for r in rows)} of {sum(r.unread for r in rows)}; lines covering other speech "
        f"{sum(r.covering_foreign for r in rows)}; read lines left untimed {sum(r.read_untimed for r in rows)}"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
