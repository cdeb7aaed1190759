"""Plain-text or Markdown article -> :class:`Article` (no times yet).

What it does, in order:

* **Lines and blocks.** Markdown markup is reduced to text (``#`` headings, emphasis, links,
  list bullets, block quotes; images are dropped). A blank line ends a paragraph; in Markdown
  a paragraph may wrap over several lines.
* **Page chrome** captured with the article is dropped, line by line: known interface phrases
  ("Accessibility links", "please wait", "No media source currently available"...), player
  time lines ("0:00 0:03:37 0:00"), one-word lines without punctuation, and any later
  line repeating the headline.
* **Headline**: the first ``# `` heading, else the first line left. Other headings are
  ``heading`` blocks.
* **Front matter.** When the headline is repeated further down (as captured web pages do,
  above the player), the lines between the two are front matter: a photo caption ("FILE - ...",
  "Photo: ...", "... (AP Photo)") becomes an ``image_caption`` block, anything else a
  ``standfirst``; standfirsts are placed before captions, which is the order the hand-made
  ``syria.article.json`` and the bundled narration use. Without a repeat, a caption-looking
  line right after the headline is an ``image_caption``; everything else is a paragraph.
* **Lines.** A paragraph of three lines or more that each start with a capital letter (or digit),
  some of them ending without a full stop, is verse or a transcript with one utterance a
  line: its lines are kept apart (a ``lines`` block) and no sentence runs from one line into
  the next, so no unit lasts for tens of seconds. Other paragraphs' lines are joined (text
  wrapped at a fixed width).
* **Sentences** end at ``.``, ``!``, ``?`` or ``…`` (closing quotes included) before a capital,
  digit or opening quote; abbreviations (Mr., Sept., U.S., U.N., initials) do not end one.
* **Quotes**: curly or straight double quotation marks. A quote left open at the end of a
  paragraph closes there. Two quotes of one paragraph separated by a short attribution
  ("...,” he said, “...") are one quote with two parts. Quotes of three words or fewer with no
  attribution (scare quotes) are not quotes.
* **Speakers** come from "said X", "X said", "according to X" and similar verbs, searched in
  the attribution between split parts, then after the quote in its sentence, then before it.
  "He/she said" means the last person named. A surname after a title ("Secretary Kerry") is
  completed from an earlier full mention ("John Kerry"). A speaker's id is the slug of the
  surname ("O’Brien" -> ``obrien``).

Quote parts are character spans ``[char_start, char_end)`` of their sentence, without the
quotation marks (see ``resources/clip/syria.article.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from clipsync.core.errors import InputError
from clipsync.core.files import read_text
from clipsync.core.text.article import Article, Block, BlockKind, Sentence
from clipsync.core.text.quote_finder import QuoteFinder

_CHROME_PHRASES = {
    "accessibility links",
    "breaking news",
    "please wait",
    "no media source currently available",
    "skip to main content",
    "skip to content",
    "advertisement",
    "share",
    "share this",
    "print",
    "email",
    "embed",
    "download",
    "listen",
    "watch",
    "menu",
    "search",
    "sign in",
    "log in",
    "subscribe",
    "related",
    "related stories",
    "comments",
    "loading",
    "loading...",
    "see comments",
    "back to top",
    "cookie settings",
}
_TIME_LINE = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\s+(?:\d{1,2}:)?\d{1,2}:\d{2})*\s*$")
_CAPTION = re.compile(
    r"^(?:FILE\s*[-–—]|FILE PHOTO\b|PHOTO:|Photo:|Image:|Pictured:)|\((?:AP|AFP|Reuters|Getty)[^)]*\)\s*$"
)

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc", "no",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "approx", "dept", "est", "fig", "vol", "rev", "hon", "pres",
}  # fmt: skip


def parse_article_file(path: str | Path) -> Article:
    """Read a plain-text or Markdown article file; unreadable or empty files raise InputError."""
    path = Path(path)
    text = read_text(path, allow_empty=True)
    article = parse_article(text, source=path.name)
    if not article.sentences:
        raise InputError(path, "no article text found")
    return article


def parse_article(text: str, *, source: str = "") -> Article:
    """The article in ``text`` (plain text or Markdown), with sentences, quotes and speakers.

    >>> a = parse_article("# Talks halted\\n\\n“We are done,” said Secretary Jane Roe. She left.")
    >>> [s.text for s in a.sentences]
    ['Talks halted', '“We are done,” said Secretary Jane Roe.', 'She left.']
    >>> [(q.speaker.id, q.speaker.name) for q in a.quotes]
    [('roe', 'Jane Roe')]
    """
    lines = _clean_lines(text)
    blocks = _blocks(lines)
    if not blocks:
        return Article(title="", blocks=(), source=source)
    numbered: list[Block] = []
    paragraphs: list[tuple[str, list[tuple[int, int, Sentence]]]] = []  # text, (start, end, s)
    count = 0
    for kind, body in blocks:
        spans = _line_sentences(body) if kind is BlockKind.LINES else split_sentences(body)
        sentences = []
        placed = []
        for start, end in spans:
            count += 1
            sentence = Sentence(f"s{count}", body[start:end])
            sentences.append(sentence)
            placed.append((start, end, sentence))
        if sentences:
            numbered.append(Block(kind, tuple(sentences)))
            paragraphs.append((body, placed))
    speakers, quotes = QuoteFinder().find(paragraphs)
    return Article(
        title=numbered[0].sentences[0].text if numbered[0].kind is BlockKind.HEADLINE else "",
        blocks=tuple(numbered),
        speakers=tuple(speakers),
        quotes=tuple(quotes),
        source=source,
    )


# --- lines and blocks ------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    heading: int = 0  # Markdown heading level, 0 for body text
    blank_before: bool = True


def _markdown_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return text


def _is_chrome(text: str) -> bool:
    plain = text.strip().lower().rstrip(":")
    if plain in _CHROME_PHRASES or _TIME_LINE.match(text):
        return True
    return len(text.split()) == 1 and not re.search(r"[.!?,;:…”\"]", text)


def _clean_lines(text: str) -> list[_Line]:
    """Non-empty, non-chrome lines with Markdown reduced to text."""
    out: list[_Line] = []
    blank = True
    in_code = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        if not line or re.fullmatch(r"[-*_=]{3,}", line):
            blank = True
            continue
        heading = 0
        if m := re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line):
            heading, line = len(m.group(1)), m.group(2)
        line = re.sub(r"^(?:>\s*)+", "", line)
        line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line) if not heading else line
        line = re.sub(r"\s+", " ", _markdown_inline(line)).strip()
        if not line or (not heading and _is_chrome(line)):
            blank = True
            continue
        out.append(_Line(line, heading, blank))
        blank = bool(heading)
    return out


def _blocks(lines: list[_Line]) -> list[tuple[BlockKind, str]]:
    """Kinds and texts of the blocks, front matter sorted out (see the module docstring)."""
    if not lines:
        return []
    head_index = next((i for i, ln in enumerate(lines) if ln.heading == 1), 0)
    headline = lines[head_index].text
    rest = [ln for ln in lines[head_index + 1 :]]
    # Join wrapped lines into paragraphs.
    paras: list[_Line] = []
    for ln in rest:
        if ln.text == headline:
            paras.append(_Line(ln.text, -1))  # a repeat of the headline: marks the body start
        elif paras and not ln.blank_before and not ln.heading and paras[-1].heading == 0:
            paras[-1] = _Line(paras[-1].text + "\n" + ln.text, 0, paras[-1].blank_before)
        else:
            paras.append(_Line(ln.text, ln.heading))
    out: list[tuple[BlockKind, str]] = [(BlockKind.HEADLINE, headline)]
    repeat = next((i for i, p in enumerate(paras) if p.heading == -1), None)
    if repeat is not None:
        front, body = paras[:repeat], paras[repeat:]
        out += [(BlockKind.STANDFIRST, p.text) for p in front if not _CAPTION.search(p.text)]
        out += [(BlockKind.IMAGE_CAPTION, p.text) for p in front if _CAPTION.search(p.text)]
    else:
        body = paras
        while body and body[0].heading == 0 and _CAPTION.search(body[0].text):
            out.append((BlockKind.IMAGE_CAPTION, body[0].text))
            body = body[1:]
    for p in body:
        if p.heading == -1:
            continue
        if p.heading:
            out.append((BlockKind.HEADING, p.text))
        elif _is_lines(p.text.split("\n")):
            out.append((BlockKind.LINES, p.text))
        else:
            out.append((BlockKind.PARAGRAPH, p.text.replace("\n", " ")))
    return [(kind, text if kind is BlockKind.LINES else text.replace("\n", " ")) for kind, text in out]


_LINE_START = re.compile(r"^[“\"‘'«(\[]?[A-Z0-9]")
_LINE_CLOSED = re.compile(r"[.!?…][”\"’'»)\]]*$")


def _is_lines(lines: list[str]) -> bool:
    """Whether a paragraph's lines are units of their own (verse, one utterance a line).

    Three lines at least: two lines that happen to start with capitals are more likely prose
    wrapped at a fixed width.

    >>> _is_lines(["From fairest creatures we desire increase,", "That thereby beauty's rose might never die,",
    ...            "But as the riper should by time decease,"])
    True
    >>> _is_lines(["The talks were halted on Monday after the", "Russian side refused to stop, and the",
    ...            "delegations left."])
    False
    """
    return (
        len(lines) >= 3
        and all(_LINE_START.match(line) for line in lines)
        and any(not _LINE_CLOSED.search(line) for line in lines[:-1])
    )


def _line_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a ``lines`` paragraph: each line on its own, split at sentence ends."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + a, offset + b) for a, b in split_sentences(line)]
        offset += len(line) + 1
    return spans


# --- sentences ---------------------------------------------------------------------------

_END = re.compile(r"([.!?…]+)([”\"’'»)\]]*)(\s+)(?=[“\"‘'«(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph.

    >>> t = "The U.S. and Mr. Smith met Sept. 29. “It’s over…” He left. Then?"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['The U.S. and Mr. Smith met Sept. 29.', '“It’s over…”', 'He left.', 'Then?']
    """
    spans = []
    start = 0
    for m in _END.finditer(text):
        if m.group(1) == ".":
            word = re.search(r"([\w.’'\-]+)\.$", text[: m.start(1) + 1])
            stem = word.group(1) if word else ""
            last = stem.split(".")[-1] if "." in stem else stem
            if (
                stem.lower() in _ABBREVIATIONS
                or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", stem)  # U.S, U.N, a.m
                or (len(last) == 1 and last.isupper())  # initials: John F. Kennedy
            ):
                continue
        end = m.end(2)
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end(3)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans
