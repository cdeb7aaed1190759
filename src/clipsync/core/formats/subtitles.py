"""Timed text in and out: WebVTT (with ``<v Speaker>`` voice spans), SRT, and plain text.

Reading and writing the cue files themselves is left to well-kept libraries: webvtt-py for
WebVTT (cue identifiers, cue text with its tags) and pysubs2 for SRT. This module only maps
cues to and from the article model. One cue per timed sentence; its identifier is the
sentence id; the quote parts inside it are voice spans, so another player shows who speaks, and
its word times are karaoke time stamps (see :mod:`clipsync.core.formats.cue_text`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clipsync.core.errors import InputError
from clipsync.core.files import read_text, write_text_atomic
from clipsync.core.formats.cue_text import Stamp, cue_markup, parse_cue_markup
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker
from clipsync.core.text.words import NO_WORDS, WordTimes, word_spans
from clipsync.core.timing.timecode import format_clock, format_vtt, parse


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed line of text, with the character ranges spoken by named voices."""

    start_ms: int
    end_ms: int
    text: str
    identifier: str = ""
    voices: tuple[tuple[int, int, str], ...] = ()  # (char_start, char_end, speaker name)
    words: tuple[Stamp, ...] = ()  # (char where a word starts, its start in ms)


def cues_from_article(article: Article) -> list[Cue]:
    """One cue per timed sentence, in time order, with its quote parts as voices."""
    cues = []
    for sentence in article.sentences:
        if sentence.start_ms is None or sentence.end_ms is None:
            continue
        voices = tuple(
            sorted((p.char_start, p.char_end, q.speaker.name) for q, p in article.quotes_in(sentence.id))
        )
        # (A word said as the cue starts needs no stamp: WebVTT wants stamps after the start.)
        words = tuple((w.char_start, w.start_ms) for w in sentence.words if w.start_ms > sentence.start_ms)
        cues.append(Cue(sentence.start_ms, sentence.end_ms, sentence.text, sentence.id, voices, words))
    return sorted(cues, key=lambda c: c.start_ms)


def write_vtt(article: Article, path: str | Path) -> None:
    """Export ``article`` as WebVTT, atomically."""
    write_text_atomic(Path(path), vtt_text(cues_from_article(article), title=article.title))


def vtt_text(cues: list[Cue], *, title: str = "") -> str:
    import webvtt  # imported on use: it costs start-up time and most runs never need it

    vtt = webvtt.WebVTT()
    for cue in cues:
        vtt.captions.append(
            webvtt.Caption(
                format_vtt(cue.start_ms),
                format_vtt(cue.end_ms),
                cue_markup(cue.text, cue.voices, cue.words, cue.start_ms),
                identifier=cue.identifier or None,
            )
        )
    header = "WEBVTT" + (f" - {title}" if title and "-->" not in title and "\n" not in title else "")
    body = vtt.content
    return header + body[len("WEBVTT") :] if body.startswith("WEBVTT") else body


def read_vtt(path: str | Path) -> list[Cue]:
    """Cues of a WebVTT file; a malformed file raises :class:`InputError`."""
    path = Path(path)
    text = read_text(path)
    bad = _first_bad_timing_line(text)
    if bad is not None:
        raise InputError(
            path, "malformed WebVTT: not a valid cue timing (hh:mm:ss.mmm --> hh:mm:ss.mmm)", bad
        )
    import webvtt

    try:
        vtt = webvtt.from_string(text)
    except Exception as exc:  # webvtt-py raises several types; all mean "malformed"
        raise InputError(path, f"malformed WebVTT: {exc}", _first_bad_timing_line(text)) from None
    cues = []
    for caption in vtt.captions:
        plain, voices, stamps = parse_cue_markup(caption.raw_text)
        cues.append(
            Cue(_ms(caption.start), _ms(caption.end), plain, caption.identifier or "", voices, stamps)
        )
    _check_cues(path, text, cues)
    return cues


def _ms(stamp: str) -> int:
    """Milliseconds of a WebVTT time stamp (``[hh:]mm:ss.mmm``)."""
    return parse(stamp)


def write_srt(article: Article, path: str | Path) -> None:
    """Export ``article`` as SRT (plain text, speaker names dropped as SRT has no voices)."""
    write_text_atomic(Path(path), srt_text(cues_from_article(article)))


def srt_text(cues: list[Cue]) -> str:
    import pysubs2  # imported on use, as webvtt

    subs = pysubs2.SSAFile()
    for cue in cues:
        # pysubs2 stores text in its own markup: "\N" is a line break, braces start overrides.
        escaped = cue.text.replace("\\", "\\\\").replace("{", "\\{").replace("\n", "\\N")
        subs.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms, text=escaped))
    result: str = subs.to_string("srt")
    return result


def read_srt(path: str | Path) -> list[Cue]:
    """Cues of an SRT file; a malformed file raises :class:`InputError`."""
    path = Path(path)
    text = read_text(path)
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text, format_="srt")
    except Exception as exc:
        raise InputError(path, f"malformed SRT: {exc}") from None
    if not subs.events and text.strip():
        raise InputError(path, "no subtitle cues found (is this an SRT file?)", 1)
    cues = [Cue(e.start, e.end, e.plaintext, str(i + 1)) for i, e in enumerate(subs.events)]
    _check_cues(path, text, cues)
    return cues


def write_plain(article: Article, path: str | Path) -> None:
    """Export ``article`` as plain text, one sentence a line, each with its time stamp."""
    lines = []
    for block in article.blocks:
        for s in block.sentences:
            stamp = f"[{format_clock(s.start_ms)}]" if s.start_ms is not None else "[--:--]"
            lines.append(f"{stamp} {s.text}")
        lines.append("")
    write_text_atomic(Path(path), "\n".join(lines).rstrip("\n") + "\n")


def article_from_cues(cues: list[Cue], *, title: str, media_file: str | None = None) -> Article:
    """A transcript made of cues: one paragraph, one sentence per cue, voices as quotes."""
    speakers: dict[str, Speaker] = {}
    sentences: list[Sentence] = []
    quotes: list[Quote] = []
    for index, cue in enumerate(cues):
        sid = f"c{index + 1}"
        sentences.append(Sentence(sid, cue.text, cue.start_ms, cue.end_ms, karaoke_words(cue)))
        for start, end, name in cue.voices:
            speaker = speakers.setdefault(name, Speaker(_slug(name, speakers), name))
            quotes.append(
                Quote(f"q{len(quotes) + 1}", speaker, (QuotePart(sid, start, end, cue.start_ms, cue.end_ms),))
            )
    return Article(
        title=title,
        blocks=(Block(BlockKind.PARAGRAPH, tuple(sentences)),),
        speakers=tuple(speakers.values()),
        quotes=tuple(quotes),
        media_file=media_file,
    )


def karaoke_words(cue: Cue) -> WordTimes:
    """A cue's word times from its karaoke time stamps.

    The word timed by a stamp is the first word (:func:`word_spans`) at or after it; the text
    before the first stamp starts with a word said at the cue's start. A word lasts until the
    next timed word starts (the last one until the cue ends): WebVTT keeps no word ends. Words
    between two stamps that are not the first after a stamp get no time of their own.
    """
    if not cue.words:
        return NO_WORDS
    spans = word_spans(cue.text)
    starts = [a for a, _ in spans]
    timed: list[tuple[int, int, int]] = []  # (ms, char_start, char_end)
    if spans and (not cue.words or spans[0][0] < cue.words[0][0]):
        timed.append((cue.start_ms, *spans[0]))
    for char, ms in cue.words:
        k = bisect_left(starts, char)
        if k == len(spans) or not cue.start_ms <= ms < cue.end_ms:
            continue
        if not timed or (spans[k][0] >= timed[-1][2] and ms > timed[-1][0]):
            timed.append((ms, *spans[k]))
    ends = [ms for ms, _, _ in timed[1:]] + [cue.end_ms]
    return WordTimes((ms for ms, _, _ in timed), ends, (a for _, a, _ in timed), (b for _, _, b in timed))


def _slug(name: str, taken: dict[str, Speaker]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "speaker"
    slug, n = base, 2
    used = {s.id for s in taken.values()}
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _first_bad_timing_line(text: str) -> int | None:
    """The first line with ``-->`` that is not a valid cue timing, to point the user at it."""
    timing = re.compile(r"^\s*(\d+:)?\d{2}:\d{2}[.,]\d{3}\s+-->\s+(\d+:)?\d{2}:\d{2}[.,]\d{3}(\s.*)?$")
    for number, line in enumerate(text.splitlines(), 1):
        if "-->" in line and not timing.match(line):
            return number
    return None


def _timing_lines(text: str) -> Iterator[int]:
    for number, line in enumerate(text.splitlines(), 1):
        if "-->" in line:
            yield number


def _check_cues(path: Path, text: str, cues: list[Cue]) -> None:
    """Reject cues that end before they start, go backwards in time, or overlap."""
    lines = list(_timing_lines(text))
    for i, cue in enumerate(cues):
        line = lines[i] if i < len(lines) else None
        if cue.end_ms <= cue.start_ms:
            raise InputError(path, f"cue {i + 1} ends ({format_vtt(cue.end_ms)}) before it starts", line)
        stamps = [ms for _, ms in cue.words]
        if any(not cue.start_ms < ms < cue.end_ms for ms in stamps) or stamps != sorted(set(stamps)):
            raise InputError(
                path,
                f"cue {i + 1}: its word time stamps must rise and lie inside the cue "
                f"({format_vtt(cue.start_ms)} to {format_vtt(cue.end_ms)})",
                line,
            )
        if i and cue.start_ms < cues[i - 1].end_ms:
            prev = cues[i - 1]
            what = (
                "starts before the previous cue"
                if cue.start_ms < prev.start_ms
                else "overlaps the previous cue"
            )
            raise InputError(
                path,
                f"cue {i + 1} {what} ({format_vtt(cue.start_ms)} < {format_vtt(prev.end_ms)})",
                line,
            )
