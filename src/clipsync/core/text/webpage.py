"""A saved web page (HTML) -> the plain text of its article, ready for :mod:`textparse`.

A news page carries far more than its article: site navigation, a cookie banner, the video
player's interface ("Play", "0:00 / 3:37", "No media source currently available"), "Related
stories", "More on this story", a footer. Telling the article from all that is a job of its
own, done here by trafilatura, a maintained extractor built and benchmarked for exactly this
(boilerplate removal on news pages), rather than by rules of our own that each new site breaks.

The result is what :func:`clipsync.core.text.textparse.parse_article` reads: the headline (the
page's title metadata: its headline, ``og:title``, ``<title>`` or ``<h1>``) on the first line,
then the paragraphs separated by blank lines; sub-headings become ``## `` Markdown headings and
line breaks inside a paragraph (verse, transcripts) stay line breaks. Quotation marks are kept as
they are, so quotes and speakers are found as in plain text.

trafilatura is called only on the text given: no download, no URL, and no deduplication (its
process-wide cache would make a second extraction of the same page differ from the first). It
is imported on first use, so the player does not pay for it at start-up.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from clipsync.core.errors import InputError

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252 (their curly quotes are
# bytes 0x91-0x94), and an ASCII-readable page labelled UTF-16 is really UTF-8.
_LABEL_MEANS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}


def is_html(data: bytes) -> bool:
    """True when ``data`` looks like an HTML page (doctype/html/head/body tags near the start).

    >>> is_html(b"<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> is_html(b"Talks halted\\n\\nThe <html> tag is not a page.")
    False
    """
    head = data[:1024].removeprefix(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"<") and _HTML_START.search(head) is not None


def decode_html(data: bytes) -> str:
    """The text of a page: its byte-order mark, else its ``<meta>`` charset, else UTF-8.

    >>> decode_html(b'<meta charset="windows-1252"><p>\\x93Caf\\xe9\\x94</p>')[-13:]
    '<p>“Café”</p>'
    """
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if m := _META_CHARSET.search(data[:8192]):
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
            return data.decode(_LABEL_MEANS.get(name, name))
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown or wrong label: fall back to UTF-8
    return data.decode("utf-8", errors="replace")


def article_text_from_html(html: str | bytes, *, source: str = "page") -> str:
    """The article of a web page as plain text: headline, blank line, paragraphs separated by
    blank lines. Raises clipsync.core.errors.InputError (naming ``source``) when no article
    text can be found (an empty page, a page that is only navigation)."""
    text = decode_html(html) if isinstance(html, bytes) else html
    document = _extract(text) if text.strip() else None
    title = " ".join((getattr(document, "title", None) or "").split())
    blocks = _blocks(document.body) if document is not None and document.body is not None else []
    blocks = [b for b in blocks if b.removeprefix("## ") != title]  # the headline repeated
    if not any(not b.startswith("## ") for b in blocks):
        raise InputError(source, "no article text found in the web page")
    return "\n\n".join(([title] if title else []) + blocks) + "\n"


def _extract(text: str) -> Any:
    """trafilatura's document (``.title``, ``.body``) for ``text``, or None when it finds none."""
    import trafilatura  # here, not at the top: only aligning a page needs it

    return trafilatura.bare_extraction(
        text,
        url=None,
        with_metadata=True,  # the title
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        favor_precision=True,  # a page without an article gives nothing, not its link lists
        deduplicate=False,
    )


def _blocks(body: Any) -> list[str]:
    """The paragraphs (and ``## `` headings) of trafilatura's body tree, in reading order."""
    out: list[str] = []
    for element in body:
        if element.tag in ("list", "quote") and len(element):
            out += _blocks(element)  # list items, block-quote paragraphs: one block each
            continue
        text = _clean(_text(element))
        if text:
            out.append(f"## {text}" if element.tag == "head" else text)
    return out


def _text(element: Any) -> str:
    """An element's text with its ``<lb/>`` line breaks as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean(text: str) -> str:
    """Runs of spaces made one, each line stripped, empty lines dropped."""
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
