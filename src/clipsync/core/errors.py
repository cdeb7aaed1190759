"""The one error type for bad input files: it says which file, where, and what is wrong."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A file the user gave us is unusable.

    ``str(error)`` reads ``file:line: reason`` (the line only where one is known), so it can
    be shown to the user as it is.
    """

    def __init__(self, path: str | Path | None, reason: str, line: int | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<input>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.reason}"
