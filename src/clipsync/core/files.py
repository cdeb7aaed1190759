"""Reading the user's text files with clear errors, and writing files atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from clipsync.core.errors import InputError


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; a missing or unreadable file (or a folder) raises InputError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def read_text(path: Path, *, allow_empty: bool = False) -> str:
    """The UTF-8 text of ``path``; missing, unreadable, non-UTF-8 or empty files raise InputError."""
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 text", raw[: exc.start].count(b"\n") + 1) from None
    if not allow_empty and not text.strip():
        raise InputError(path, "the file is empty")
    return text


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``.

    A reader (or a crash) never sees half a file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
