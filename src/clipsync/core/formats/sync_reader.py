"""Reading a sync document: every field checked, the first problem named with its place.

:class:`SyncReader` turns decoded JSON into an :class:`Article` (see
:func:`clipsync.core.formats.syncdoc.load_sync`). Errors are :class:`InputError` with a JSON path
(``blocks[3].sentences[0].words``) and, where it can be found, the line of the element's
``"id"`` in the file. A well-formed sentence is checked inline; a version 2 document's word
times are checked all at once (:func:`clipsync.core.text.words.words_from_flat`). The aligner's
optional confidences (a sentence's ``confidence``, its words' ``word_confidence``) must be
numbers from 0 to 1, one a word.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from clipsync.core.descriptions.model import Description, with_descriptions
from clipsync.core.errors import InputError
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker
from clipsync.core.text.words import (
    NO_WORDS,
    WordsError,
    WordTimes,
    confidence_problem,
    confidences_from_lists,
    words_from_flat,
)

FORMAT = "clipsync-sync"
VERSION = 2  # the newest version this reader knows
VERSIONS = (1, 2)


class _Pending:
    """Sentences' version 2 words as read, waiting to be checked all together (as columns)."""

    def __init__(self) -> None:
        self.raw: list[list[Any]] = []
        self.lengths: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.places: list[tuple[str, str, int]] = []  # sentence id, its block, its index there

    def add(self, raw: list[Any], text: str, start: int, end: Any, sid: str, block: str, index: int) -> None:
        self.raw.append(raw)
        self.lengths.append(len(text))
        self.starts.append(start)
        self.ends.append(end)
        self.places.append((sid, block, index))


class SyncReader:
    """Checks a decoded document field by field; errors carry a JSON path and a line."""

    def __init__(self, path: Path | None, text: str) -> None:
        self.path = path
        self.text = text
        self.version = VERSION

    def fail(self, where: str, reason: str, anchor: str | None = None) -> InputError:
        return InputError(self.path, f"{where}: {reason}", self._line_of(anchor))

    def _line_of(self, anchor: str | None) -> int | None:
        """The line of ``"id": "<anchor>"`` in the source text, to point the user at it."""
        if not anchor or not self.text:
            return None
        match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(anchor)), self.text)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def field(
        self,
        obj: Any,
        key: str,
        kind: type | tuple[type, ...],
        where: str,
        anchor: str | None = None,
        *,
        optional: bool = False,
    ) -> Any:
        if not isinstance(obj, dict):
            raise self.fail(where, "expected an object", anchor)
        if key not in obj or obj[key] is None:
            if optional:
                return None
            raise self.fail(f"{where}.{key}", "missing", anchor)
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(f"{where}.{key}", f"expected {names}, got {type(value).__name__}", anchor)
        return value

    def times(self, obj: dict[str, Any], where: str, anchor: str | None) -> tuple[int | None, int | None]:
        start = self.field(obj, "start_ms", int, where, anchor, optional=True)
        end = self.field(obj, "end_ms", int, where, anchor, optional=True)
        if (start is None) != (end is None):
            raise self.fail(where, "start_ms and end_ms must both be set or both be null", anchor)
        if start is not None and end is not None:
            if start < 0:
                raise self.fail(where, f"start_ms {start} is negative", anchor)
            if end <= start:
                raise self.fail(where, f"end_ms {end} is not after start_ms {start}", anchor)
        return start, end

    def sentence_fields(
        self, raw: Any, where: str, seen: dict[str, Any]
    ) -> tuple[str, str, int | None, int | None]:
        """A sentence's id, text and times, each checked, with a clear message for the first
        problem (the slow path of :meth:`article`)."""
        sid = self.field(raw, "id", str, where)
        if sid in seen:
            raise self.fail(where, f"duplicate sentence id {sid!r}", sid)
        text = self.field(raw, "text", str, where, sid)
        if not text.strip():
            raise self.fail(where, "empty sentence text", sid)
        start, end = self.times(raw, where, sid)
        return sid, text, start, end

    def sentence_order(
        self,
        sid: str,
        start: int,
        end: int,
        last_id: str | None,
        last_end: int,
        duration: int | None,
        where: str,
    ) -> None:
        """Raise for a timed sentence that goes back in time or past the media's end."""
        if start < last_end:
            raise self.fail(
                where,
                f"sentence {sid!r} starts at {start} ms, before sentence {last_id!r} ends at {last_end} ms (out of order or overlapping)",
                sid,
            )
        if duration is not None and end > duration:
            raise self.fail(
                where, f"sentence {sid!r} ends at {end} ms, beyond the media's {duration} ms", sid
            )

    def words_v1(
        self, value: Any, text: str, start: int | None, end: int | None, where: str, sid: str
    ) -> WordTimes:
        """Version 1's undocumented ``[{"text", "start_ms", "end_ms"}]``: each word is found
        in the sentence text, in order, to give it its characters."""
        where = f"{where}.words"
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {type(value).__name__}", sid)
        columns: tuple[list[int], ...] = ([], [], [], [])
        pos = 0
        for wi, w in enumerate(value):
            wwhere = f"{where}[{wi}]"
            ws, we = self.times(w, wwhere, sid)
            if ws is None or we is None:
                raise self.fail(wwhere, "a word needs start_ms and end_ms", sid)
            word = self.field(w, "text", str, wwhere, sid)
            at = text.find(word, pos) if word else -1
            if at < 0:
                raise self.fail(wwhere, f"the word {word!r} is not in the sentence text", sid)
            pos = at + len(word)
            for column, v in zip(columns, (ws, we, at, pos), strict=True):
                column.append(v)
        words = WordTimes(*columns)
        problem = words.problem(len(text), start, end)
        if problem:
            raise self.fail(where, problem, sid)
        return words

    def confidence(self, value: Any, where: str, sid: str) -> float:
        """A sentence's ``confidence``: a number from 0 to 1."""
        problem = confidence_problem(value)
        if problem:
            raise self.fail(f"{where}.confidence", problem, sid)
        return float(value)

    def word_confidences(
        self, words: dict[str, WordTimes], pending: list[tuple[str, Any, str]]
    ) -> dict[str, WordTimes]:
        """The sentences' ``word_confidence`` (id, list, place) put with their words, checked all
        at once; the first bad one is named by :meth:`word_confidence`."""
        sure = confidences_from_lists(
            [words.get(sid) for sid, _, _ in pending], [raw for _, raw, _ in pending]
        )
        if sure is None:
            for sid, raw, where in pending:
                self.word_confidence(raw, words.get(sid), where, sid)
            raise self.fail("document", "the word confidences are wrong")  # pragma: no cover
        return dict(zip((sid for sid, _, _ in pending), sure, strict=True))

    def word_confidence(self, value: Any, words: WordTimes | None, where: str, sid: str) -> WordTimes:
        """``words`` with the sentence's ``word_confidence``: one number from 0 to 1 a word (the
        slow path, one sentence at a time, that says what is wrong)."""
        where = f"{where}.word_confidence"
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list of numbers from 0 to 1, got {type(value).__name__}", sid)
        if not words:
            raise self.fail(where, "a sentence without words has no word confidences", sid)
        if len(value) != len(words):
            raise self.fail(where, f"{len(value)} confidences for {len(words)} words", sid)
        for i, v in enumerate(value):
            problem = confidence_problem(v)
            if problem:
                raise self.fail(f"{where}[{i}]", problem, sid)
        return words.with_confidence(value)

    def words_v2(self, pending: _Pending) -> dict[str, WordTimes]:
        """Every sentence's version 2 words at once (see :func:`words_from_flat`), by id."""
        try:
            words = words_from_flat(pending.raw, pending.lengths, pending.starts, pending.ends)
        except WordsError as exc:
            sid, block, index = pending.places[exc.index]
            raise self.fail(f"{block}.sentences[{index}].words", exc.problem, sid) from None
        return dict(zip((sid for sid, _, _ in pending.places), words, strict=True))

    def article(self, data: Any) -> Article:
        if not isinstance(data, dict):
            raise self.fail("document", "expected a JSON object at the top level")
        fmt = data.get("format")
        if fmt != FORMAT:
            raise self.fail("format", f"expected {FORMAT!r}, got {fmt!r}: not a clipsync sync document")
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise self.fail(
                "version",
                f"this document is format version {version}, newer than this clipsync reads "
                f"(versions 1 to {VERSION}): update clipsync to open it",
            )
        if version not in VERSIONS or isinstance(version, bool):
            raise self.fail(
                "version", f"unknown format version {version!r}; this clipsync reads versions 1 and {VERSION}"
            )
        self.version = version
        title = self.field(data, "title", str, "document")
        language = self.field(data, "language", str, "document", optional=True) or "en"
        source = self.field(data, "source", str, "document", optional=True) or ""
        media = self.field(data, "media", dict, "document", optional=True) or {}
        media_file = self.field(media, "file", str, "media", optional=True)
        duration = self.field(media, "duration_ms", int, "media", optional=True)

        speakers: dict[str, Speaker] = {}
        for sid, sp in (self.field(data, "speakers", dict, "document", optional=True) or {}).items():
            where = f"speakers.{sid}"
            speakers[sid] = Speaker(
                sid,
                self.field(sp, "name", str, where),
                self.field(sp, "role", str, where, optional=True) or "",
            )

        raw_blocks = []
        seen: dict[str, tuple[str, int | None, int | None]] = {}  # id -> text, start, end
        pending = _Pending()  # sentences with version 2 words, checked all at once
        v1_words: dict[str, WordTimes] = {}
        confidences: dict[str, float] = {}
        word_confidences: list[tuple[str, Any, str]] = []  # id, list, where: once words are read
        last_end, last_id = -1, None
        for bi, raw_block in enumerate(self.field(data, "blocks", list, "document")):
            where = f"blocks[{bi}]"
            kind_name = self.field(raw_block, "kind", str, where)
            try:
                kind = BlockKind(kind_name)
            except ValueError:
                raise self.fail(f"{where}.kind", f"unknown block kind {kind_name!r}") from None
            if kind is BlockKind.LINES and self.version == 1:
                raise self.fail(f"{where}.kind", "block kind 'lines' needs format version 2")
            ids = []
            for si, raw in enumerate(self.field(raw_block, "sentences", list, where)):
                # The usual, well-formed sentence is checked inline (30,000 of them take 0.1 s
                # less); anything else goes through the checks that say what is wrong.
                if type(raw) is dict:
                    sid, text = raw.get("id"), raw.get("text")
                    start, end = raw.get("start_ms"), raw.get("end_ms")
                else:
                    sid = text = start = end = None
                if not (
                    type(sid) is str
                    and sid not in seen
                    and type(text) is str
                    and text
                    and not text.isspace()
                    and (
                        (type(start) is int and type(end) is int and 0 <= start < end)
                        or (start is None and end is None)
                    )
                ):
                    sid, text, start, end = self.sentence_fields(raw, f"{where}.sentences[{si}]", seen)
                if start is not None and end is not None:
                    if start < last_end or (duration is not None and end > duration):
                        self.sentence_order(
                            sid, start, end, last_id, last_end, duration, f"{where}.sentences[{si}]"
                        )
                    last_end, last_id = end, sid
                raw_words = raw.get("words")
                if type(raw_words) is list and raw_words and self.version == 2 and start is not None:
                    pending.add(raw_words, text, start, end, sid, where, si)  # the usual case
                elif raw_words is not None:
                    swhere = f"{where}.sentences[{si}]"
                    if self.version == 1:
                        v1_words[sid] = self.words_v1(raw_words, text, start, end, swhere, sid)
                    elif not isinstance(raw_words, list):
                        raise self.fail(
                            f"{swhere}.words",
                            f"expected a list of numbers, got {type(raw_words).__name__}",
                            sid,
                        )
                    elif start is None or end is None:
                        raise self.fail(f"{swhere}.words", "an untimed sentence cannot have timed words", sid)
                if "confidence" in raw or "word_confidence" in raw:  # (optional; most have none)
                    swhere = f"{where}.sentences[{si}]"
                    if raw.get("confidence") is not None:
                        confidences[sid] = self.confidence(raw["confidence"], swhere, sid)
                    if raw.get("word_confidence") is not None:
                        word_confidences.append((sid, raw["word_confidence"], swhere))
                seen[sid] = (text, start, end)
                ids.append(sid)
            raw_blocks.append((kind, ids))
        if not seen:
            raise self.fail("blocks", "the document has no sentences")
        words = self.words_v2(pending) if pending.raw else v1_words
        if word_confidences:
            words.update(self.word_confidences(words, word_confidences))
        blocks = [
            Block(
                kind,
                tuple(
                    Sentence(sid, *seen[sid], words.get(sid, NO_WORDS), confidences.get(sid)) for sid in ids
                ),
            )
            for kind, ids in raw_blocks
        ]

        quotes = []
        for qi, raw in enumerate(self.field(data, "quotes", list, "document", optional=True) or []):
            where = f"quotes[{qi}]"
            qid = self.field(raw, "id", str, where)
            speaker_id = self.field(raw, "speaker", str, where, qid)
            if speaker_id not in speakers:
                raise self.fail(f"{where}.speaker", f"unknown speaker {speaker_id!r}", qid)
            parts = []
            for pi, p in enumerate(self.field(raw, "parts", list, where, qid)):
                pwhere = f"{where}.parts[{pi}]"
                ref = self.field(p, "sentence", str, pwhere, qid)
                if ref not in seen:
                    raise self.fail(pwhere, f"unknown sentence {ref!r}", qid)
                cs = self.field(p, "char_start", int, pwhere, qid)
                ce = self.field(p, "char_end", int, pwhere, qid)
                if not 0 <= cs < ce <= len(seen[ref][0]):
                    raise self.fail(pwhere, f"characters {cs}..{ce} are outside sentence {ref!r}", qid)
                ps, pe = self.times(p, pwhere, qid)
                _, s_start, s_end = seen[ref]
                if (
                    ps is not None
                    and pe is not None
                    and s_start is not None
                    and s_end is not None
                    and not (s_start <= ps and pe <= s_end)
                ):
                    raise self.fail(pwhere, f"times {ps}..{pe} ms fall outside sentence {ref!r}", qid)
                parts.append(QuotePart(ref, cs, ce, ps, pe))
            if not parts:
                raise self.fail(where, "a quote needs at least one part", qid)
            quotes.append(Quote(qid, speakers[speaker_id], tuple(parts)))

        article = Article(
            title=title,
            blocks=tuple(blocks),
            speakers=tuple(speakers.values()),
            quotes=tuple(quotes),
            language=language,
            media_file=media_file,
            duration_ms=duration,
            source=source,
        )
        raw_descriptions = self.field(data, "descriptions", list, "document", optional=True)
        if raw_descriptions:
            return with_descriptions(article, self.descriptions(raw_descriptions, duration))
        return article

    def descriptions(self, raw_list: list[Any], duration: int | None) -> list[Description]:
        """The optional ``descriptions``: each an id (unique), a time within the media, a text."""
        out: list[Description] = []
        seen: set[str] = set()
        for di, raw in enumerate(raw_list):
            where = f"descriptions[{di}]"
            did = self.field(raw, "id", str, where)
            if did in seen:
                raise self.fail(where, f"duplicate description id {did!r}", did)
            seen.add(did)
            at = self.field(raw, "time_ms", int, where, did)
            if at < 0 or (duration is not None and at > duration):
                raise self.fail(f"{where}.time_ms", f"{at} ms is outside the media (0 to {duration} ms)", did)
            text = self.field(raw, "text", str, where, did)
            if not text.strip():
                raise self.fail(f"{where}.text", "empty description text", did)
            out.append(Description(did, at, text))
        return out
