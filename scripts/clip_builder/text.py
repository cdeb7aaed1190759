"""What the clip builder says, piece by piece: a sentence cut at its quote-part boundaries, each
piece in its spoken form, and the pause after each piece inside its sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clipsync.core.text.article import Article, Sentence

# Pauses inside a sentence, between its pieces (quote part / narration), in seconds.
PHRASE_GAP_S = 0.12
COMMA_GAP_S = 0.20  # the text breaks after a comma, semicolon, colon or dash

QUOTE_MARKS = '“”"‘’«»„'


def speakable(text: str) -> str:
    """The spoken form of a piece of the article; only pronunciation changes, never the words.

    >>> speakable("“We remain committed to a peaceful Syria,” ")
    'We remain committed to a peaceful Syria,'
    >>> speakable("U.S. Ambassador to the UN Samantha Power said, “")
    'U.S. Ambassador to the U.N. Samantha Power said,'
    >>> speakable("O’Brien called it barbarism… the country – and that")
    "O'Brien called it barbarism. the country, and that"
    """
    text = text.strip().strip(QUOTE_MARKS).strip()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s*[–—]\s*|\s+-\s+", ", ", text)  # a dash between words is a pause
    text = text.replace("…", ".")
    text = re.sub(r"\bUN\b", "U.N.", text)  # flite says "un" for UN
    return text


@dataclass(frozen=True)
class Piece:
    """One synthesized run of a sentence: ``text[start:end]``, maybe a quote part."""

    start: int
    end: int
    spoken: str
    part_index: int | None  # index in ``Article.quote_parts()`` order, or None for narration


def sentence_pieces(article: Article, sentence: Sentence) -> list[Piece]:
    """The sentence cut at its quote-part boundaries; pieces with nothing to say are dropped."""
    parts = sorted(
        (p.char_start, p.char_end, i)
        for i, (_, p) in enumerate(article.quote_parts())
        if p.sentence_id == sentence.id
    )
    spans: list[tuple[int, int, int | None]] = []
    pos = 0
    for start, end, part_index in parts:
        if start > pos:
            spans.append((pos, start, None))
        spans.append((start, end, part_index))
        pos = end
    if pos < len(sentence.text):
        spans.append((pos, len(sentence.text), None))
    pieces = []
    for start, end, index in spans:
        spoken = speakable(sentence.text[start:end])
        if not re.search(r"\w", spoken):
            if index is not None:
                raise ValueError(f"quote part {start}..{end} of {sentence.id} has nothing to say")
            continue
        pieces.append(Piece(start, end, spoken, index))
    return pieces


def gap_after(sentence: Sentence, piece: Piece) -> float:
    """The pause after a piece inside its sentence: longer where the text has a comma."""
    tail = sentence.text[: piece.end].rstrip().rstrip(QUOTE_MARKS).rstrip()
    return COMMA_GAP_S if tail.endswith((",", ";", ":", "–", "—", "-")) else PHRASE_GAP_S
