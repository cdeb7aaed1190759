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
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from clipsync.core.alignment import AlignmentResult, AlignmentStats, align_article
from clipsync.core.alignment.audio import RATE, probe_duration_ms
from clipsync.core.alignment.grammar import tokens
from clipsync.core.alignment.synthetic import join_recordings, read_recording, trim_recording, write_media
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Block, BlockKind, Sentence
from clipsync.core.text.review import REVIEW_BELOW

ROOT = Path(__file__).resolve().parents[1]
HUMAN = ROOT / "tests" / "data" / "human-speech"
SONNET = HUMAN / "sonnet-001.mp3"
LINES = [line.strip() for line in (HUMAN / "sonnet-001.txt").read_text().splitlines() if line.strip()]
OTHER = {  # another speaker (pocketsphinx test data): speech in no line, or a quote
    "intro": (HUMAN / "goforward.wav", "Go forward ten meters."),  # 2.8 s
    "short": (HUMAN / "cards-003.wav", "Seven of clubs."),  # 1.5 s
    "long": (HUMAN / "cards-005.wav", "Eight of spades four of clubs seven of hearts."),  # 3.5 s
}
CUT_MARGIN_MS = 150
OVERLAP_MS = 50  # a timed line covering this much of someone else's speech is wrong
#: Lines read with words left out (``P4``): the sonnet's stretch cut out, and which words it held.
LEFT_OUT = {4: (17050, 17600, (4, 5)), 7: (27620, 28140, (4, 5))}  # "thine own", "to thy"
#: Lines read with words added (``A2``): where the reader's own words (cut from another line, in
#: the sonnet's time, ms) are spliced in: ``line: (at, from, to)``. The words come from a line the
#: composition reads after (so that an unread line holding them cannot be taken for the line);
#: every cut is a word boundary at a dip in loudness, found by aligning the whole reading as a
#: transcript ("should | by", "now | the").
ADDED = {2: (10370, 19930, 20600), 8: (32340, 35350, 35950)}  # "flame with", "to the gaudy"
WRONG_MS = 100  # a boundary this far off is wrong (for the review flag's precision and recall)


@dataclass(frozen=True)
class Composition:
    """What is heard, in order: ``L3`` is line 3 of the sonnet, ``P4`` line 4 read with the
    words of ``LEFT_OUT`` left out, ``O:key`` another speaker's recording that is in no
    sentence, ``Q:key`` one that is in the text as a quote (a sentence of its own, just before
    the line heard after it)."""

    name: str
    heard: str
    bed: str = ""

    def pieces(self) -> list[tuple[str, str]]:
        return [(word[0], word[2:] if word[1] == ":" else word[1:]) for word in self.heard.split()]

    def text(self) -> tuple[list[str], dict[tuple[str, str], int]]:
        """The text's sentences, and where each piece heard is in it (lines and quotes)."""
        pieces = self.pieces()
        quotes_before = {}
        for n, (kind, key) in enumerate(pieces):
            if kind == "Q":
                following = next((int(k) for c, k in pieces[n + 1 :] if c in "LP"), len(LINES))
                quotes_before.setdefault(following, []).append(key)
        sentences: list[str] = []
        where: dict[tuple[str, str], int] = {}
        for i in range(len(LINES) + 1):
            for key in quotes_before.get(i, []):
                where["Q", key] = len(sentences)
                sentences.append(f"\u201c{OTHER[key][1]}\u201d")
            if i < len(LINES):
                where["L", str(i)] = where["P", str(i)] = where["A", str(i)] = len(sentences)
                sentences.append(LINES[i])
        return sentences, where


COMPOSITIONS = [
    Composition(
        "5 of 14 read (2 skipped between), 1.5 s + 3.5 s of another voice", "L0 L1 O:short L3 L4 O:long L6"
    ),
    Composition("same, noise bed -20 dB", "L0 L1 O:short L3 L4 O:long L6", bed="noise"),
    Composition(
        "intro by another voice, 10 of 14 read, another voice between",
        "O:intro L0 L1 L2 L4 O:short L5 L7 L8 O:long L9 L11 L13",
    ),
    Composition(
        "quotes in another voice inside the reading, 1 line skipped", "L0 L1 Q:intro L2 L3 Q:long L5 L6 L7"
    ),
    Composition(
        "quotes in another voice, noise bed -20 dB", "L0 L1 Q:intro L2 L3 Q:long L5 L6 L7", bed="noise"
    ),
    Composition("two lines read with two words left out each", "L0 P4 L5 P7 L8"),
    Composition("same, noise bed -20 dB", "L0 P4 L5 P7 L8", bed="noise"),
    Composition("two lines read with two words added each", "L0 A2 L5 A8 L9"),
    Composition("same, noise bed -20 dB", "L0 A2 L5 A8 L9", bed="noise"),
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
    words_left_out: int
    left_out_timed: int  # words left out by the reader that still got a time
    said_untimed: int  # words of read lines said but given no time
    added_ms: int  # speech added inside read lines (an ad-lib)
    added_taken_ms: int  # ... of it inside the time of one of the text's words
    wrong: int  # timed where not said, covering other speech, or a boundary > WRONG_MS off
    flagged: int  # confidence under REVIEW_BELOW
    flagged_wrong: int
    rtf: float
    rtf_cpu: float  # CPU seconds (this process and ffmpeg) per second of media


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


def partial_cuts(work: Path) -> dict[int, Path]:
    """The lines of ``LEFT_OUT`` as recordings without the words left out."""
    sonnet = read_recording(SONNET)
    out = {}
    for line, (a, b, _) in LEFT_OUT.items():
        lo, hi = LINE_TIMES[line][0] - CUT_MARGIN_MS, LINE_TIMES[line][1] + CUT_MARGIN_MS
        samples = np.concatenate(
            [sonnet[lo * RATE // 1000 : a * RATE // 1000], sonnet[b * RATE // 1000 : hi * RATE // 1000]]
        )
        out[line] = work / f"partial-{line:02d}.wav"
        write_media(samples, out[line])
    return out


def added_cuts(work: Path, added: dict[int, tuple[int, int, int]] = ADDED) -> dict[int, tuple[Path, int]]:
    """The lines of ``added`` (as ``ADDED``) with the words added, and where the addition starts
    in the trimmed recording (ms)."""
    sonnet = read_recording(SONNET)
    out = {}
    for line, (at, a, b) in added.items():
        lo, hi = LINE_TIMES[line][0] - CUT_MARGIN_MS, LINE_TIMES[line][1] + CUT_MARGIN_MS
        ms = RATE // 1000
        samples = np.concatenate(
            [sonnet[lo * ms : at * ms], sonnet[a * ms : b * ms], sonnet[at * ms : hi * ms]]
        )
        trimmed = trim_recording(samples)
        lead = next(k for k in range(len(samples)) if np.array_equal(samples[k : k + 64], trimmed[:64]))
        path = work / f"added-{line:02d}.wav"
        write_media(trimmed, path)
        out[line] = (path, (at - lo) - lead // ms)
    return out


def _article(lines: list[str]) -> Article:
    sentences = tuple(Sentence(f"s{i + 1}", text) for i, text in enumerate(lines))
    return Article(title="", blocks=(Block(BlockKind.LINES, sentences),))


def _recording(kind: str, key: str, cuts: Cuts) -> Path:
    return {
        "L": lambda: cuts.lines[int(key)],
        "P": lambda: cuts.partial[int(key)],
        "A": lambda: cuts.added[int(key)][0],
    }.get(kind, lambda: OTHER[key][0])()


@dataclass(frozen=True)
class Cuts:
    """The recordings compositions are made of (see :func:`line_cuts` and the others)."""

    lines: list[Path]
    partial: dict[int, Path]
    added: dict[int, tuple[Path, int]]

    @classmethod
    def make(cls, work: Path) -> Cuts:
        return cls(line_cuts(work), partial_cuts(work), added_cuts(work))


def _bundled_sentences() -> list[str]:
    """The bundled clip's article, sentence by sentence (text that is never said here)."""
    return [s.text for s in load_sync(ROOT / "resources" / "clip" / "syria.sync.json").sentences]


def measure(
    comp: Composition, cuts: Cuts, work: Path, seed: int = 1, repeat: int = 1, more: int = 0
) -> Figures:
    """The figures of one composition; its real-time factors are the median of ``repeat``
    alignments of the same recording (the figures of time are those of the first). ``more``:
    that many sentences of the bundled clip's article are added to the text after the sonnet's
    lines (none of them said): how the cost grows with the text."""
    pieces = comp.pieces()
    sentences, where = comp.text()
    recordings = [(k, _recording(kind, k, cuts)) for kind, k in pieces]
    left_out = {where["P", k]: LEFT_OUT[int(k)][2] for kind, k in pieces if kind == "P"}
    rng = np.random.default_rng(seed)
    pauses = [int(p) for p in rng.integers(350, 900, len(recordings))]
    out = work / f"{abs(hash(comp.name)) % 10**8}-{seed}.m4a"
    kw = {"bed": comp.bed, "bed_db": -20.0} if comp.bed else {}
    spans = join_recordings(recordings, out, pause_ms=pauses, seed=seed, **kw)  # type: ignore[arg-type]
    truth: dict[int, tuple[int, int]] = {}
    added: dict[int, tuple[int, int]] = {}  # sentence: the stretch added inside it (ms)
    heard: list[tuple[int, tuple[int, int]]] = []  # (sentence said, or -1: in no sentence; span)
    for piece, span in zip(pieces, spans, strict=True):
        said = where.get(piece, -1)
        if said >= 0:
            truth[said] = (span.start_ms, span.end_ms)
        if piece[0] == "A":
            _at, a, b = ADDED[int(piece[1])]
            begins = span.start_ms + cuts.added[int(piece[1])][1]
            added[said] = (begins, begins + b - a)
        heard.append((said, (span.start_ms, span.end_ms)))
    if more:
        sentences = sentences + _bundled_sentences()[:more]
    article = _article(sentences)
    walls, cpus = [], []
    for run in range(repeat):
        started, cpu = time.monotonic(), cpu_s()
        try:
            got = align_article(out, article)
        except InputError as exc:
            print(f"{comp.name}: {exc}", file=sys.stderr)
            got = _unaligned(out, article)
        walls.append(time.monotonic() - started)
        cpus.append(cpu_s() - cpu)
        if run == 0:
            result = got
    work_s, cpu_used = float(np.median(walls)), float(np.median(cpus))
    starts, ends = [], []
    unread_timed = read_untimed = covering = left_out_timed = said_untimed = added_taken = 0
    wrong, flagged = set(), set()
    for i, sentence in enumerate(result.article.sentences):
        if sentence.confidence is not None and sentence.confidence < REVIEW_BELOW:
            flagged.add(i)
        if i not in truth:
            unread_timed += sentence.timed
            if sentence.timed:
                wrong.add(i)
        elif not sentence.timed:
            read_untimed += 1
        else:
            assert sentence.start_ms is not None and sentence.end_ms is not None
            starts.append(sentence.start_ms - truth[i][0])
            ends.append(sentence.end_ms - truth[i][1])
            if max(abs(starts[-1]), abs(ends[-1])) > WRONG_MS:
                wrong.add(i)
            timed_words = {w.char_start for w in sentence.words}
            if i in added:
                a, b = added[i]
                added_taken += sum(max(0, min(b, w.end_ms) - max(a, w.start_ms)) for w in sentence.words)
            for n, token in enumerate(tokens(sentence.text)):
                not_said = n in left_out.get(i, ())
                left_out_timed += not_said and token.start in timed_words
                said_untimed += not not_said and token.start not in timed_words
        if sentence.timed:
            a, b = sentence.start_ms or 0, sentence.end_ms or 0
            if any(owner != i and min(b, e) - max(a, s) > OVERLAP_MS for owner, (s, e) in heard):
                covering += 1
                wrong.add(i)
    both = np.abs(np.asarray(starts + ends, float)) if starts else np.zeros(1)
    s_abs, e_abs = np.abs(np.asarray(starts or [0], float)), np.abs(np.asarray(ends or [0], float))
    return Figures(
        f"{comp.name} (seed {seed})",
        len(truth),
        len(sentences) - len(truth),
        float(s_abs.mean()),
        float(np.percentile(s_abs, 95)),
        float(e_abs.mean()),
        float(np.percentile(e_abs, 95)),
        float(both.mean()),
        float(np.percentile(both, 95)),
        unread_timed,
        read_untimed,
        covering,
        sum(len(v) for v in left_out.values()),
        left_out_timed,
        said_untimed,
        sum(b - a for a, b in added.values()),
        added_taken,
        len(wrong),
        len(flagged),
        len(wrong & flagged),
        work_s / (result.stats.media_ms / 1000),
        cpu_used / (result.stats.media_ms / 1000),
    )


def cpu_s() -> float:
    """CPU seconds of this process and its children (ffmpeg decoding): the work on one core, as
    a figure that other jobs on the machine do not inflate."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _unaligned(media: Path, article: Article) -> AlignmentResult:
    """What a failed alignment amounts to: nothing timed."""
    stats = AlignmentStats(probe_duration_ms(media), 0.0, 0, len(article.sentences), 0, 0, 0)
    return AlignmentResult(article, tuple(s.id for s in article.sentences), stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--seeds", type=int, default=2, help="pause and noise draws per composition")
    parser.add_argument(
        "--repeat", type=int, default=3, help="alignments of each recording (RTF: their median)"
    )
    parser.add_argument(
        "--more", type=int, default=0, help="sentences of the bundled article added to the text (never said)"
    )
    parser.add_argument("--only", type=int, help="only this composition (its number in COMPOSITIONS)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="clipsync-untranscribed-") as folder:
        work = Path(folder)
        cuts = Cuts.make(work)
        for comp in COMPOSITIONS if args.only is None else [COMPOSITIONS[args.only]]:
            for seed in range(1, args.seeds + 1):
                rows.append(measure(comp, cuts, work, seed, args.repeat, args.more))
    print(
        "| composition | read / not read | start mean / p95 (ms) | end mean / p95 | all mean / p95 | "
        "not read but timed | read but untimed | covering other speech | words left out: timed / of | "
        "words said but untimed | added speech inside a word's time (ms) | wrong / flagged / both | RTF (CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.name} | {r.read} / {r.unread} | {r.start_mean:.0f} / {r.start_p95:.0f} | "
            f"{r.end_mean:.0f} / {r.end_p95:.0f} | {r.all_mean:.0f} / {r.all_p95:.0f} | {r.unread_timed} | "
            f"{r.read_untimed} | {r.covering_foreign} | {r.left_out_timed} / {r.words_left_out} | "
            f"{r.said_untimed} | {r.added_taken_ms} / {r.added_ms} | {r.wrong} / {r.flagged} / {r.flagged_wrong} | "
            f"{r.rtf:.3f} ({r.rtf_cpu:.3f}) |"
        )
    wrong, flagged, both = (sum(getattr(r, k) for r in rows) for k in ("wrong", "flagged", "flagged_wrong"))
    pooled = np.abs(np.concatenate([[r.all_mean] for r in rows]))
    print(
        f"\nAll: worst mean {max(r.all_mean for r in rows):.0f} ms, worst p95 {max(r.all_p95 for r in rows):.0f} ms "
        f"(mean of means {pooled.mean():.1f}); not read but timed {sum(r.unread_timed for r in rows)} of "
        f"{sum(r.unread for r in rows)}; covering other speech {sum(r.covering_foreign for r in rows)}; read but "
        f"untimed {sum(r.read_untimed for r in rows)}; words left out but timed "
        f"{sum(r.left_out_timed for r in rows)} of {sum(r.words_left_out for r in rows)}, words said but untimed "
        f"{sum(r.said_untimed for r in rows)}; review flag: precision "
        f"{both / flagged if flagged else float('nan'):.2f} ({both} of {flagged} flagged are wrong), recall "
        f"{both / wrong if wrong else float('nan'):.2f} ({both} of {wrong} wrong are flagged); "
        f"worst RTF {max(r.rtf for r in rows):.3f} (CPU {max(r.rtf_cpu for r in rows):.3f})"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
