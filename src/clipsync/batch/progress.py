"""How a batch shows its progress: a progress bar (rich) on a terminal, a plain line per item
otherwise, or, with ``--json``, one JSON event per line on stdout for scripts.

Events (``"event"`` key): ``start`` (items, where they run), ``started`` (an item began on a
worker, when known), ``item`` (an item's report line), ``summary`` (the run's summary) and
``interrupted``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@dataclass
class Summary:
    """What a run did: counts, hours of audio aligned, wall time, failures by reason."""

    items: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    audio_s: float = 0.0
    work_s: float = 0.0
    started: float = field(default_factory=time.monotonic)
    wall_s: float = 0.0
    failures: Counter[str] = field(default_factory=Counter)
    example: dict[str, str] = field(default_factory=dict)

    def add(self, line: dict[str, Any]) -> None:
        status = line["status"]
        setattr(self, status, getattr(self, status) + 1)
        self.audio_s += line.get("audio_s", 0.0) if status == "ok" else 0.0
        self.work_s += line.get("work_s", 0.0)
        if status == "failed":
            kind = line.get("kind", "error")
            self.failures[kind] += 1
            self.example.setdefault(kind, line.get("reason", ""))
        self.stop()

    def stop(self) -> None:
        self.wall_s = time.monotonic() - self.started

    @property
    def done(self) -> int:
        return self.ok + self.failed + self.skipped

    @property
    def rate(self) -> float:
        """Hours of audio aligned per hour of wall time."""
        return self.audio_s / self.wall_s if self.wall_s > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "audio_hours": round(self.audio_s / 3600, 4),
            "work_hours": round(self.work_s / 3600, 4),
            "wall_s": round(self.wall_s, 2),
            "audio_hours_per_wall_hour": round(self.rate, 2),
            "failures": {
                kind: {"count": n, "example": self.example[kind]} for kind, n in self.failures.items()
            },
        }

    def text(self) -> str:
        lines = [
            f"{self.items} items: {self.ok} aligned, {self.failed} failed, {self.skipped} skipped",
            f"{self.audio_s / 3600:.3f} hours of audio in {self.wall_s:.1f} s: "
            f"{self.rate:.1f} hours of audio per wall-hour",
        ]
        for kind, count in self.failures.most_common():
            lines.append(f"  failed ({kind}): {count}, e.g. {self.example[kind]}")
        return "\n".join(lines)


class Events(Protocol):
    def start(self, items: int, where: str) -> None: ...
    def started(self, item: str, worker: str) -> None: ...
    def item(self, line: dict[str, Any], summary: Summary) -> None: ...
    def finish(self, summary: Summary, interrupted: bool) -> None: ...


class JsonEvents:
    """One JSON object a line on ``stream`` (stdout)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def _emit(self, event: str, **data: Any) -> None:
        self.stream.write(json.dumps({"event": event, **data}, ensure_ascii=False) + "\n")
        self.stream.flush()

    def start(self, items: int, where: str) -> None:
        self._emit("start", items=items, where=where)

    def started(self, item: str, worker: str) -> None:
        self._emit("started", id=item, worker=worker)

    def item(self, line: dict[str, Any], summary: Summary) -> None:
        self._emit("item", **line)

    def finish(self, summary: Summary, interrupted: bool) -> None:
        if interrupted:
            self._emit("interrupted", done=summary.done)
        self._emit("summary", **summary.to_json())


class TextEvents:
    """A rich progress bar on a terminal (items done and failed, hours aligned, time left);
    a plain line per item elsewhere (a log file, CI). The summary at the end either way."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.console = Console(file=stream or sys.stderr, highlight=False, soft_wrap=True)
        self.live = self.console.is_terminal
        self.progress = Progress(
            TextColumn("aligning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[hours]:.2f} h of audio"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self.task = self.progress.add_task("batch", total=None, failed=0, hours=0.0)

    def start(self, items: int, where: str) -> None:
        self.console.print(f"clipsync batch: {items} items on {where}", markup=False)
        self.progress.update(self.task, total=items)
        if self.live:
            self.progress.start()

    def started(self, item: str, worker: str) -> None:
        pass

    def item(self, line: dict[str, Any], summary: Summary) -> None:
        self.progress.update(
            self.task, completed=summary.done, failed=summary.failed, hours=summary.audio_s / 3600
        )
        if not self.live or line["status"] == "failed":
            what = line["status"] + (f": {line['reason']}" if line.get("reason") else "")
            self.console.print(f"[{summary.done}/{summary.items}] {line['id']} {what}", markup=False)

    def finish(self, summary: Summary, interrupted: bool) -> None:
        if self.live:
            self.progress.stop()
        if interrupted:
            self.console.print("clipsync batch: interrupted; the next run goes on from here", markup=False)
        self.console.print(summary.text(), markup=False)
