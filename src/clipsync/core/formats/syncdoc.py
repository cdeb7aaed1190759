"""The sync document: an article with its timings, as versioned JSON (``*.sync.json``).

The format is described in ``docs/sync-format.md`` and by the JSON Schemas in
``resources/schema/`` (``clipsync-sync-2.schema.json``; version 1 is the same without word
times). Loading checks everything a view relies on (ids, order, overlaps, times within the
media, words inside their sentence) and reports the first problem as an :class:`InputError`
naming the file, the line and the reason (the checks are in :mod:`clipsync.core.formats.sync_reader`).
Both versions load; a document is saved as version 1
when it has no word times (so older readers still open it) and as version 2 when it has.
The aligner's confidences (``confidence`` of a sentence, ``word_confidence`` of its words) are
optional keys that older readers ignore, so they need no new version; they are written only
when known, so a document without them is saved exactly as before. The same goes for ``descriptions``,
the described video's texts (:mod:`clipsync.core.descriptions`): an optional list, written only
when there is one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from clipsync.core.collector import collector_paused
from clipsync.core.descriptions.model import descriptions_of
from clipsync.core.errors import InputError
from clipsync.core.files import read_text, write_text_atomic
from clipsync.core.formats.sync_reader import FORMAT, VERSION, VERSIONS, SyncReader
from clipsync.core.text.article import (
    Article,
    BlockKind,
    Sentence,
)

__all__ = [
    "FORMAT",
    "SUFFIX",
    "VERSION",
    "VERSIONS",
    "dumps",
    "load_sync",
    "parse_sync",
    "save_sync",
    "to_json",
]

SUFFIX = ".sync.json"


def sync_path_for(media: Path) -> Path:
    """Where the sync document of ``media`` lives: same folder, same stem."""
    return media.with_name(media.stem + SUFFIX)


def load_sync(path: str | Path) -> Article:
    """Read and check a sync document; any problem raises :class:`InputError`."""
    path = Path(path)
    text = read_text(path)
    with collector_paused():  # millions of new objects, no cycles
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"malformed JSON: {exc.msg}", exc.lineno) from None
        return parse_sync(data, path=path, text=text)


def parse_sync(data: Any, *, path: Path | None = None, text: str = "") -> Article:
    """Build an :class:`Article` from decoded JSON, checking it as :func:`load_sync` does."""
    return SyncReader(path, text).article(data)


def save_sync(article: Article, path: str | Path) -> None:
    """Write ``article`` as a sync document, atomically (a reader never sees half a file)."""
    write_text_atomic(Path(path), dumps(to_json(article)) + "\n")


_ONE_LINE = ("words", "word_confidence")  # a sentence's lists of numbers, one line each


def dumps(data: dict[str, Any]) -> str:
    """The document as indented JSON, with each sentence's word times (and word confidences)
    on one line.

    (Indenting every number would give a 30,000-sentence article millions of lines.)
    """
    columns: list[str] = []

    def column(numbers: list[Any]) -> str:
        columns.append(json.dumps(numbers, separators=(",", ":")))
        return f"\x00clipsync-words-{len(columns) - 1}\x00"

    def mark(value: Any) -> Any:
        if isinstance(value, dict):
            if isinstance(value.get("words"), list) and "text" in value:
                return {
                    k: column(v) if k in _ONE_LINE and isinstance(v, list) else mark(v)
                    for k, v in value.items()
                }
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(data), ensure_ascii=False, indent=1)
    return re.sub(r'"\\u0000clipsync-words-(\d+)\\u0000"', lambda m: columns[int(m.group(1))], text)


def _rounded(confidence: float) -> float:
    """A confidence as written: 3 decimals (finer would only be noise)."""
    return round(float(confidence), 3)


def to_json(article: Article) -> dict[str, Any]:
    """The JSON value of ``article`` (what :func:`save_sync` writes): version 2 when a
    sentence has word times, else version 1."""
    # Version 1 readers know neither word times nor blocks of lines.
    has_words = any(s.words for s in article.sentences) or any(
        b.kind is BlockKind.LINES for b in article.blocks
    )

    def sentence(s: Sentence) -> dict[str, Any]:
        out: dict[str, Any] = {"id": s.id, "text": s.text, "start_ms": s.start_ms, "end_ms": s.end_ms}
        if s.confidence is not None:
            out["confidence"] = _rounded(s.confidence)
        if s.words:
            out["words"] = s.words.flat()
            if s.words.confidence:
                out["word_confidence"] = [_rounded(c) for c in s.words.confidence]
        return out

    out: dict[str, Any] = {
        "format": FORMAT,
        "version": 2 if has_words else 1,
        "title": article.title,
        "language": article.language,
        "source": article.source,
        "media": {"file": article.media_file, "duration_ms": article.duration_ms},
        "speakers": {sp.id: {"name": sp.name, "role": sp.role} for sp in article.speakers},
        "blocks": [
            {"kind": b.kind.value, "sentences": [sentence(s) for s in b.sentences]} for b in article.blocks
        ],
        "quotes": [
            {
                "id": q.id,
                "speaker": q.speaker.id,
                "parts": [
                    {
                        "sentence": p.sentence_id,
                        "char_start": p.char_start,
                        "char_end": p.char_end,
                        "start_ms": p.start_ms,
                        "end_ms": p.end_ms,
                    }
                    for p in q.parts
                ],
            }
            for q in article.quotes
        ],
    }
    descriptions = descriptions_of(article)
    if descriptions:  # optional: a document without any is written as before, byte for byte
        out["descriptions"] = [{"id": d.id, "time_ms": d.time_ms, "text": d.text} for d in descriptions]
    return out
