"""The sync document: an article with its timings, as versioned JSON (``*.sync.json``).

The format is described in ``docs/sync-format.md`` and by the JSON Schema in
``resources/schema/clipsync-sync-1.schema.json``. Loading checks everything a view relies on
(ids, order, overlaps, times within the media) and reports the first problem as an
:class:`InputError` naming the file, the line and the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from clipsync.core.article import (
    Article,
    Block,
    BlockKind,
    Quote,
    QuotePart,
    Sentence,
    Speaker,
    Word,
)
from clipsync.core.errors import InputError
from clipsync.core.files import read_text, write_text_atomic

FORMAT = "clipsync-sync"
VERSION = 1
SUFFIX = ".sync.json"


def sync_path_for(media: Path) -> Path:
    """Where the sync document of ``media`` lives: same folder, same stem."""
    return media.with_name(media.stem + SUFFIX)


def load_sync(path: str | Path) -> Article:
    """Read and check a sync document; any problem raises :class:`InputError`."""
    path = Path(path)
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"malformed JSON: {exc.msg}", exc.lineno) from None
    return parse_sync(data, path=path, text=text)


def parse_sync(data: Any, *, path: Path | None = None, text: str = "") -> Article:
    """Build an :class:`Article` from decoded JSON, checking it as :func:`load_sync` does."""
    return _Reader(path, text).article(data)


def save_sync(article: Article, path: str | Path) -> None:
    """Write ``article`` as a sync document, atomically (a reader never sees half a file)."""
    write_text_atomic(Path(path), json.dumps(to_json(article), ensure_ascii=False, indent=1) + "\n")


def to_json(article: Article) -> dict[str, Any]:
    """The JSON value of ``article`` (what :func:`save_sync` writes)."""

    def sentence(s: Sentence) -> dict[str, Any]:
        out: dict[str, Any] = {"id": s.id, "text": s.text, "start_ms": s.start_ms, "end_ms": s.end_ms}
        if s.words:
            out["words"] = [{"text": w.text, "start_ms": w.start_ms, "end_ms": w.end_ms} for w in s.words]
        return out

    return {
        "format": FORMAT,
        "version": VERSION,
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


class _Reader:
    """Checks a decoded document field by field; errors carry a JSON path and a line."""

    def __init__(self, path: Path | None, text: str) -> None:
        self.path = path
        self.text = text

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

    def article(self, data: Any) -> Article:
        if not isinstance(data, dict):
            raise self.fail("document", "expected a JSON object at the top level")
        fmt = data.get("format")
        if fmt != FORMAT:
            raise self.fail("format", f"expected {FORMAT!r}, got {fmt!r}: not a clipsync sync document")
        version = data.get("version")
        if version != VERSION:
            raise self.fail(
                "version", f"unknown format version {version!r}; this clipsync reads version {VERSION}"
            )
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

        blocks = []
        seen: dict[str, Sentence] = {}
        last_end, last_id = -1, None
        for bi, raw_block in enumerate(self.field(data, "blocks", list, "document")):
            where = f"blocks[{bi}]"
            kind_name = self.field(raw_block, "kind", str, where)
            try:
                kind = BlockKind(kind_name)
            except ValueError:
                raise self.fail(f"{where}.kind", f"unknown block kind {kind_name!r}") from None
            sentences = []
            for si, raw in enumerate(self.field(raw_block, "sentences", list, where)):
                swhere = f"{where}.sentences[{si}]"
                sid = self.field(raw, "id", str, swhere)
                if sid in seen:
                    raise self.fail(swhere, f"duplicate sentence id {sid!r}", sid)
                text = self.field(raw, "text", str, swhere, sid)
                if not text.strip():
                    raise self.fail(swhere, "empty sentence text", sid)
                start, end = self.times(raw, swhere, sid)
                if start is not None and end is not None:
                    if start < last_end:
                        raise self.fail(
                            swhere,
                            f"sentence {sid!r} starts at {start} ms, before sentence {last_id!r} ends at {last_end} ms (out of order or overlapping)",
                            sid,
                        )
                    if duration is not None and end > duration:
                        raise self.fail(
                            swhere,
                            f"sentence {sid!r} ends at {end} ms, beyond the media's {duration} ms",
                            sid,
                        )
                    last_end, last_id = end, sid
                words = []
                for wi, w in enumerate(self.field(raw, "words", list, swhere, sid, optional=True) or []):
                    wwhere = f"{swhere}.words[{wi}]"
                    ws, we = self.times(w, wwhere, sid)
                    if ws is None or we is None:
                        raise self.fail(wwhere, "a word needs start_ms and end_ms", sid)
                    words.append(Word(self.field(w, "text", str, wwhere, sid), ws, we))
                sentence = Sentence(sid, text, start, end, tuple(words))
                seen[sid] = sentence
                sentences.append(sentence)
            blocks.append(Block(kind, tuple(sentences)))
        if not seen:
            raise self.fail("blocks", "the document has no sentences")

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
                if not 0 <= cs < ce <= len(seen[ref].text):
                    raise self.fail(pwhere, f"characters {cs}..{ce} are outside sentence {ref!r}", qid)
                ps, pe = self.times(p, pwhere, qid)
                s = seen[ref]
                if (
                    ps is not None
                    and pe is not None
                    and s.start_ms is not None
                    and s.end_ms is not None
                    and not (s.start_ms <= ps and pe <= s.end_ms)
                ):
                    raise self.fail(pwhere, f"times {ps}..{pe} ms fall outside sentence {ref!r}", qid)
                parts.append(QuotePart(ref, cs, ce, ps, pe))
            if not parts:
                raise self.fail(where, "a quote needs at least one part", qid)
            quotes.append(Quote(qid, speakers[speaker_id], tuple(parts)))

        return Article(
            title=title,
            blocks=tuple(blocks),
            speakers=tuple(speakers.values()),
            quotes=tuple(quotes),
            language=language,
            media_file=media_file,
            duration_ms=duration,
            source=source,
        )
