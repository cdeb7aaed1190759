"""What a batch aligns: the items of a manifest (JSON Lines or CSV) or of a folder.

A manifest has one item a line (JSON Lines: one object; CSV: a header row, then one row) with
the keys ``media`` and ``text`` and, optionally, ``id`` and ``out``:

* ``media``: a media file, relative to the manifest's folder, or an http(s) address;
* ``text``: the article (plain text, Markdown, a saved web page), relative to the manifest's
  folder, or the address of the article's page;
* ``id``: the item's name in the report and its output's name (default: the media's stem);
* ``out``: the sync document to write, relative to the output folder (default ``ID.sync.json``).

A folder pairs each media file ``NAME.<ext>`` with ``NAME.txt`` (or ``.md``, ``.html``) beside it.

A line that cannot be an item does not stop the others: :func:`read_items` returns it as a
:class:`BadLine` (``file:line: reason``), which the batch reports as a failed item.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from clipsync.core.errors import InputError
from clipsync.core.files import read_text
from clipsync.core.formats.syncdoc import SUFFIX

#: Suffixes of the media files a folder is searched for.
MEDIA_SUFFIXES = (
    ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts",
    ".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".wma",
)  # fmt: skip
#: Suffixes of a media file's article in a folder, best first.
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
KEYS = ("id", "media", "text", "out")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_BAD_ID = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to align: a media (a path or an address) and its article, and where to write."""

    id: str
    media: str
    text: str
    out: Path  # the sync document; its WebVTT goes beside it
    line: int | None = None  # where it is in the manifest (None for a folder)


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line of the manifest that is not an item, with the reason (``file:line: reason``)."""

    id: str
    reason: str
    line: int


def is_address(source: str) -> bool:
    """``http://...`` or any other ``scheme://``: not a file name (other schemes are refused later)."""
    return _SCHEME.match(source) is not None


def read_items(source: Path, outdir: Path) -> list[Item | BadLine]:
    """The items of a manifest file or a folder, in order, with the lines that are not items.

    Raises :class:`InputError` when ``source`` is neither a readable manifest nor a folder.
    """
    if source.is_dir():
        return folder_items(source, outdir)
    text = read_text(source)
    kind = "jsonl" if source.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"
    if source.suffix.lower() not in (".jsonl", ".ndjson", ".json", ".csv"):
        kind = "jsonl" if text.lstrip().startswith("{") else "csv"
    rows = _jsonl_rows(source, text) if kind == "jsonl" else _csv_rows(source, text)
    found: list[Item | BadLine] = []
    ids: dict[str, int] = {}
    outs: dict[Path, int] = {}
    for line, row in rows:
        item = _item(source, line, row, outdir) if isinstance(row, dict) else BadLine("", row, line)
        if isinstance(item, Item):
            if item.id in ids:
                item = _bad(source, line, f'the id "{item.id}" is already used on line {ids[item.id]}')
            elif item.out in outs:
                item = _bad(
                    source, line, f"the output {item.out} is already written by line {outs[item.out]}"
                )
            else:
                ids[item.id], outs[item.out] = line, line
        if isinstance(item, BadLine) and not item.id:
            item = BadLine(f"line-{line}", f"{source}:{line}: {item.reason}", line)
        found.append(item)
    if not found:
        raise InputError(source, "the manifest lists no items")
    return found


def _bad(source: Path, line: int, reason: str) -> BadLine:
    return BadLine(f"line-{line}", f"{source}:{line}: {reason}", line)


def _jsonl_rows(source: Path, text: str) -> list[tuple[int, dict[str, object] | str]]:
    rows: list[tuple[int, dict[str, object] | str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            rows.append((number, f"not a JSON object ({exc.msg} at column {exc.colno})"))
            continue
        rows.append((number, value if isinstance(value, dict) else "not a JSON object"))
    return rows


def _csv_rows(source: Path, text: str) -> list[tuple[int, dict[str, object] | str]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return []
    except csv.Error as exc:
        raise InputError(source, f"not a CSV file ({exc})", 1) from None
    missing = [key for key in ("media", "text") if key not in header]
    if missing:
        raise InputError(
            source,
            f"the first row must name the columns (media, text, and optionally id, out); "
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing",
            1,
        )
    rows: list[tuple[int, dict[str, object] | str]] = []
    try:
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                rows.append((number, f"{len(values)} columns where the first row has {len(header)}"))
                continue
            rows.append((number, dict(zip(header, (v.strip() for v in values), strict=True))))
    except csv.Error as exc:
        rows.append((reader.line_num, f"not a CSV row ({exc})"))
    return rows


def _item(source: Path, line: int, row: dict[str, object], outdir: Path) -> Item | BadLine:
    unknown = sorted(set(row) - set(KEYS))
    if unknown:
        return _bad(source, line, f"unknown key {unknown[0]!r} (the keys are {', '.join(KEYS)})")
    values: dict[str, str] = {}
    for key in KEYS:
        value = row.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return _bad(source, line, f'"{key}" must be a string, not {json.dumps(value)}')
        values[key] = value.strip()
    for key in ("media", "text"):
        if key not in values:
            return _bad(source, line, f'"{key}" is missing')
    base = source.parent
    media = _resolve(base, values["media"])
    text = _resolve(base, values["text"])
    item_id = values.get("id") or _stem(media)
    problem = _check_id(item_id)
    if problem:
        return _bad(source, line, problem)
    out_name = values.get("out") or item_id + SUFFIX
    out = outdir / out_name
    if not out_name.endswith(SUFFIX):
        return _bad(source, line, f'"out" must end in {SUFFIX} (got "{out_name}")')
    if ".." in PurePosixPath(out_name.replace("\\", "/")).parts or Path(out_name).is_absolute():
        return _bad(source, line, f'"out" must stay inside the output folder (got "{out_name}")')
    return Item(item_id, media, text, out, line)


def _resolve(base: Path, value: str) -> str:
    if is_address(value):
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def _stem(media: str) -> str:
    if is_address(media):
        name = unquote(PurePosixPath(urlsplit(media).path).name)
        return PurePosixPath(name).stem or urlsplit(media).hostname or "item"
    return Path(media).stem


def _check_id(item_id: str) -> str | None:
    if _BAD_ID.search(item_id) or item_id in (".", "..") or item_id.startswith("."):
        return f'the id "{item_id}" cannot be a file name (no /, \\, :, *, ?, quotes, <, >, | or leading dot)'
    return None


def folder_items(folder: Path, outdir: Path) -> list[Item | BadLine]:
    """Each media file of ``folder`` (not its subfolders) with the article of the same name.

    A media file without an article is a :class:`BadLine` saying which names were looked for.
    """
    found: list[Item | BadLine] = []
    media_files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES)
    seen: dict[str, Path] = {}
    for number, media in enumerate(media_files, 1):
        if media.stem in seen:
            found.append(BadLine(media.name, f"{media}: {seen[media.stem].name} has the same name", number))
            continue
        seen[media.stem] = media
        text = next((media.with_suffix(s) for s in TEXT_SUFFIXES if media.with_suffix(s).is_file()), None)
        if text is None:
            names = ", ".join(media.stem + s for s in TEXT_SUFFIXES)
            found.append(BadLine(media.stem, f"{media}: no article beside it (looked for {names})", number))
            continue
        found.append(Item(media.stem, str(media), str(text), outdir / (media.stem + SUFFIX)))
    if not found:
        raise InputError(folder, f"no media file in this folder (looked for {', '.join(MEDIA_SUFFIXES)})")
    return found
