"""An item's outputs (its sync document and WebVTT) and the batch's report, all written so that
a crash or Ctrl+C leaves nothing half-written.

* Each file goes to a temporary file in the same folder, then ``os.replace`` (the core's
  ``write_text_atomic``). The WebVTT is written first and the sync document last: the sync
  document, which records what it was made from, says the item is done.
* Ctrl+C while an item's two files and its report line are being written waits until they are.
* Temporary files that a killed run left behind are removed at the next start.
* A second run skips an item only when its sync document loads without a problem, records the
  same inputs, and its WebVTT reads back with one cue per timed sentence.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from clipsync.align_command import vtt_path_for
from clipsync.core.errors import InputError
from clipsync.core.files import write_text_atomic
from clipsync.core.formats.subtitles import read_vtt
from clipsync.core.formats.syncdoc import load_sync

from .inputs import MadeFrom

REPORT_NAME = "batch-report.jsonl"
# What write_text_atomic leaves when its process is killed: ".NAME.random.tmp".
_TEMPORARY = re.compile(r"^\..+\.(sync\.json|vtt|jsonl)\.[^.]+\.tmp$")


def why_not_done(out: Path, made_from: MadeFrom) -> str | None:
    """``None`` when ``out`` is a complete output of these inputs, else why it is not."""
    if not out.is_file():
        return "no output yet"
    try:
        article = load_sync(out)
        recorded = json.loads(out.read_text(encoding="utf-8")).get("made_from")
    except (InputError, OSError, ValueError) as exc:
        return f"its sync document is not valid ({exc})"
    if recorded != made_from.to_json():
        return "its output was made from other inputs"
    vtt = vtt_path_for(out)
    try:
        cues = read_vtt(vtt)
    except InputError as exc:
        return f"its WebVTT is missing or not valid ({exc})"
    if len(cues) != sum(1 for s in article.sentences if s.timed):
        return "its WebVTT is incomplete"
    return None


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl+C (SIGINT) inside the block is acted on when the block is over."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def commit(out: Path, sync_text: str, vtt_text: str) -> None:
    """Put an item's WebVTT, then its sync document, in place (each atomically; the caller
    holds Ctrl+C back meanwhile, :func:`interrupts_deferred`)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(vtt_path_for(out), vtt_text)
    write_text_atomic(out, sync_text)


def remove_leftovers(outdir: Path) -> int:
    """Remove the temporary files a killed run left in ``outdir``; returns how many."""
    removed = 0
    for path in outdir.rglob(".*.tmp"):
        if _TEMPORARY.match(path.name):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class Report:
    """``OUTDIR/batch-report.jsonl``: one line per item of this run's manifest.

    The lines are written as the items finish (to a temporary file, flushed each time) and the
    file takes the report's name when the run ends, interrupted or not; an item this run did not
    reach keeps its line from the previous report. :attr:`previous` is the previous report.
    """

    def __init__(self, outdir: Path, ids: list[str]) -> None:
        self.path = outdir / REPORT_NAME
        self.previous: dict[str, dict[str, Any]] = read_report(self.path)
        self._ids = ids
        self._written: set[str] = set()
        fd, tmp = tempfile.mkstemp(prefix=f".{REPORT_NAME}.", suffix=".tmp", dir=outdir)
        self._tmp = Path(tmp)
        self._file: TextIO = os.fdopen(fd, "w", encoding="utf-8")

    def add(self, line: dict[str, Any]) -> None:
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._file.flush()
        self._written.add(line["id"])

    def close(self) -> None:
        """Carry the lines of the items not reached, and put the report in place."""
        with interrupts_deferred():
            for item in self._ids:
                if item not in self._written and item in self.previous:
                    self.add(self.previous[item])
            self._file.close()
            os.chmod(self._tmp, 0o644)
            os.replace(self._tmp, self.path)


def read_report(path: Path) -> dict[str, dict[str, Any]]:
    """The lines of a report by item id (unreadable lines are left out)."""
    lines: dict[str, dict[str, Any]] = {}
    with contextlib.suppress(OSError):
        for raw in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                line = json.loads(raw)
                if isinstance(line, dict) and isinstance(line.get("id"), str):
                    lines[line["id"]] = line
    return lines
