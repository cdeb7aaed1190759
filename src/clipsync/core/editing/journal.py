"""The edit journal: unsaved edits written beside the document as they are made, so a crash
or a kill loses at most the last second of work.

``talk.sync.json`` gets ``talk.sync.json.edits`` while it has unsaved edits: JSON lines, the
first naming the document and the SHA-256 of the file the edits were made to, then one line
per edit made (``{"do": change}``) or undone (``{"undo": change}``), each with the sentences,
quotes and anchor flags it touched before and after. Lines are appended and flushed at once
(fsync'd at most once a second); the file goes away when the document is saved or the edits
are thrown away. On the next open, :func:`read_journal` finds it and :func:`replay` redoes the
edits on the document (a half-written last line, from a crash mid-write, is left out).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from clipsync.core.descriptions.model import Description
from clipsync.core.editing.edits import Change, EditState, word_columns
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import parse_sync, to_json
from clipsync.core.text.article import Article, Quote, QuotePart, Sentence
from clipsync.core.text.words import NO_WORDS, WordTimes

FORMAT = "clipsync-edits"
VERSION = 1
SUFFIX = ".edits"
_FSYNC_EVERY_S = 1.0


def journal_path(document: Path) -> Path:
    """Where the journal of ``document`` lives: beside it, ``.edits`` added to its name."""
    return document.with_name(document.name + SUFFIX)


def fingerprint(document: Path) -> str:
    """The SHA-256 of the document's bytes: which version of it the edits were made to."""
    return hashlib.sha256(document.read_bytes()).hexdigest()


# Changes as JSON ------------------------------------------------------------------------


def _sentence_json(s: Sentence) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "text": s.text, "start_ms": s.start_ms, "end_ms": s.end_ms}
    if s.words:
        out["words"] = list(word_columns(s.words))
    return out


def _sentence(data: dict[str, Any]) -> Sentence:
    words = WordTimes(*data["words"]) if data.get("words") else NO_WORDS
    return Sentence(data["id"], data["text"], data["start_ms"], data["end_ms"], words)


def _quote_json(q: Quote) -> dict[str, Any]:
    parts = [[p.sentence_id, p.char_start, p.char_end, p.start_ms, p.end_ms] for p in q.parts]
    return {"id": q.id, "speaker": q.speaker.id, "parts": parts}


def _quote(data: dict[str, Any], article: Article) -> Quote:
    parts = tuple(QuotePart(*p) for p in data["parts"])
    return Quote(data["id"], article.speaker(data["speaker"]), parts)


def change_json(change: Change) -> dict[str, Any]:
    """A change as a JSON value (see :func:`change_from_json`)."""
    return {
        "label": change.label,
        "before": [_sentence_json(s) for s in change.before.values()],
        "after": [_sentence_json(s) for s in change.after.values()],
        "quotes_before": {str(i): _quote_json(q) for i, q in change.quotes_before.items()},
        "quotes_after": {str(i): _quote_json(q) for i, q in change.quotes_after.items()},
        "anchors_before": dict(change.anchors_before),
        "anchors_after": dict(change.anchors_after),
        **_descriptions_json(change),
    }


def _descriptions_json(change: Change) -> dict[str, Any]:
    """Described video's edits (only when there are: older journals lack the keys)."""
    if not (change.descriptions_before or change.descriptions_after):
        return {}

    def one(d: Description | None) -> list[Any] | None:
        return None if d is None else [d.id, d.time_ms, d.text]

    return {
        "descriptions_before": {k: one(d) for k, d in change.descriptions_before.items()},
        "descriptions_after": {k: one(d) for k, d in change.descriptions_after.items()},
    }


def _descriptions(data: dict[str, Any] | None) -> dict[str, Description | None]:
    return {k: None if v is None else Description(v[0], int(v[1]), v[2]) for k, v in (data or {}).items()}


def change_from_json(data: dict[str, Any], article: Article) -> Change:
    """The change written by :func:`change_json`; speakers are looked up in ``article``."""
    return Change(
        data["label"],
        {s["id"]: _sentence(s) for s in data["before"]},
        {s["id"]: _sentence(s) for s in data["after"]},
        {int(i): _quote(q, article) for i, q in data["quotes_before"].items()},
        {int(i): _quote(q, article) for i, q in data["quotes_after"].items()},
        {k: bool(v) for k, v in data["anchors_before"].items()},
        {k: bool(v) for k, v in data["anchors_after"].items()},
        None,
        _descriptions(data.get("descriptions_before")),
        _descriptions(data.get("descriptions_after")),
    )


# Writing --------------------------------------------------------------------------------


class Journal:
    """Appends the edits of one document to its journal; the file is made at the first edit."""

    def __init__(self, document: Path, document_sha256: str) -> None:
        self.document = document
        self.path = journal_path(document)
        self.sha256 = document_sha256
        self._file: IO[str] | None = None
        self._synced = 0.0

    def record(self, kind: str, change: Change) -> None:
        """Append one edit made (``"do"``) or undone (``"undo"``); raises ``OSError`` when the
        journal cannot be written."""
        if self._file is None:
            self._file = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 - kept open while editing
            head = {"journal": FORMAT, "version": VERSION, "document": self.document.name}
            head |= {"sha256": self.sha256, "started": time.time()}
            self._write(head, sync=True)
        self._write({kind: change_json(change)})

    def _write(self, data: dict[str, Any], *, sync: bool = False) -> None:
        assert self._file is not None
        self._file.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()  # in the OS's hands now: a crash of this process loses nothing
        now = time.monotonic()
        if sync or now - self._synced >= _FSYNC_EVERY_S:
            os.fsync(self._file.fileno())  # and on the disk: power loss costs at most a second
            self._synced = now

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def discard(self) -> None:
        """Close and delete the journal (the edits were saved or thrown away)."""
        self.close()
        self.path.unlink(missing_ok=True)

    @property
    def started(self) -> bool:
        return self._file is not None


# Reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    """Unsaved edits found beside a document."""

    path: Path
    started: float  # when the first edit was made (seconds since the epoch)
    steps: tuple[tuple[str, dict[str, Any]], ...]  # ("do" | "undo", change as JSON)
    matches: bool  # made to the document as it is now (same SHA-256)
    dropped_lines: int  # unreadable lines at the end (a crash while writing)

    @property
    def edits(self) -> int:
        """How many edits remain once the undone ones are taken off."""
        return sum(1 if kind == "do" else -1 for kind, _ in self.steps)


def read_journal(document: Path) -> Recovery | None:
    """The unsaved edits beside ``document``, or ``None`` when there are none; a journal that
    cannot be read at all raises :class:`InputError`."""
    path = journal_path(document)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"the unsaved edits cannot be read ({exc})") from None
    try:
        head = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError:
        head = None
    if not isinstance(head, dict) or head.get("journal") != FORMAT or head.get("version") != VERSION:
        raise InputError(path, "not a clipsync edit journal (or from a newer clipsync)", 1)
    steps: list[tuple[str, dict[str, Any]]] = []
    dropped = 0
    for line in lines[1:]:
        try:
            entry = json.loads(line)
            ((kind, change),) = entry.items()
            if kind not in ("do", "undo") or not isinstance(change, dict):
                raise ValueError(kind)
        except (ValueError, AttributeError):
            dropped = len(lines) - 1 - len(steps)
            break
        steps.append((kind, change))
    try:
        matches = fingerprint(document) == head.get("sha256")
    except OSError:
        matches = False
    return Recovery(path, float(head.get("started", 0)), tuple(steps), matches, dropped)


def replay(state: EditState, recovery: Recovery) -> EditState:
    """``state`` with the journal's edits redone (and its undos undone); raises
    :class:`InputError` when they do not fit the document or would make it invalid."""
    try:
        for kind, data in recovery.steps:
            change = change_from_json(data, state.article)
            state = change.apply(state) if kind == "do" else change.revert(state)
        parse_sync(to_json(state.article))  # every check the loader makes
    except InputError as exc:
        raise InputError(recovery.path, f"the edits do not fit the document: {exc.reason}") from None
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
        raise InputError(recovery.path, f"the edits do not fit the document ({exc!r})") from None
    return state
