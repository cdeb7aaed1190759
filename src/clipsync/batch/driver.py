"""The batch driver: one loop over a :class:`~clipsync.batch.backends.Backend`'s executor, the
same for the local pool and for Dask.

For each item, in the manifest's order: read its article and what its media is (size and
time, or ETag), skip it when its output is complete and made from the same inputs (or when it
failed before with the same inputs, unless ``retry_failed``), else submit it. At most
``backend.slots()`` items run at once, so an item is prepared only when a worker is about to
be free. Each result is written (outputs, then a report line) by this process alone. An item
whose worker died is run again, up to :data:`~clipsync.batch.backends.MAX_DEATHS` deaths.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .backends import MAX_DEATHS, Backend
from .inputs import ItemError, MadeFrom, knowable, media_identity, read_article
from .manifest import BadLine, Item
from .outputs import Report, commit, interrupts_deferred, remove_leftovers, why_not_done
from .progress import Events, Summary
from .work import Outcome, Task

#: Failures that may well not happen again (a dead worker, the network): a next run retries them.
TRANSIENT = ("worker", "network")
#: Seconds between two looks at the running items (and at which worker started what).
POLL_S = 0.25


@dataclass
class Options:
    outdir: Path
    force: bool = False
    retry_failed: bool = False
    memory_limit: int | None = None  # bytes per worker process


@dataclass
class Attempt:
    item: Item
    task: Task
    made_from: MadeFrom
    deaths: int = 0
    runs: int = 0


class Interrupted(Exception):
    """Ctrl+C: the run stopped; its summary so far is attached."""

    def __init__(self, summary: Summary) -> None:
        super().__init__("interrupted")
        self.summary = summary


class Driver:
    def __init__(self, backend: Backend, options: Options, events: Events) -> None:
        self.backend = backend
        self.options = options
        self.events = events

    def run(self, entries: list[Item | BadLine]) -> Summary:
        """Align every entry; returns the summary. Raises :class:`Interrupted` on Ctrl+C."""
        outdir = self.options.outdir
        outdir.mkdir(parents=True, exist_ok=True)
        remove_leftovers(outdir)
        self.report = Report(outdir, [e.id for e in entries])
        self.summary = Summary(items=len(entries))
        waiting: deque[Item | BadLine] = deque(entries)
        again: deque[Attempt] = deque()
        running: dict[Future[Outcome], Attempt] = {}
        self.events.start(len(entries), self.backend.describe())
        try:
            while waiting or again or running:
                while (waiting or again) and len(running) < self.backend.slots():
                    attempt = again.popleft() if again else self._prepare(waiting.popleft())
                    if attempt is not None:
                        attempt.runs += 1
                        running[self.backend.submit(attempt.task)] = attempt
                if running:
                    self._collect(running, again)
        except KeyboardInterrupt:
            self.backend.abort()
            self.summary.stop()
            self.report.close()
            self.events.finish(self.summary, interrupted=True)
            raise Interrupted(self.summary) from None
        self.summary.stop()
        self.report.close()
        self.events.finish(self.summary, interrupted=False)
        return self.summary

    # -- before: what the item is, and whether it is done -----------------------------------

    def _prepare(self, entry: Item | BadLine) -> Attempt | None:
        if isinstance(entry, BadLine):
            self._finish({"id": entry.id, "status": "failed", "kind": "manifest", "reason": entry.reason})
            return None
        try:
            identity = media_identity(entry.media)
            article, digest = read_article(entry.text)
        except ItemError as exc:
            self._finish(self._line(entry, "failed", exc.reason, kind=exc.kind))
            return None
        made_from = MadeFrom(identity, digest)
        if not self.options.force:
            if knowable(identity) and why_not_done(entry.out, made_from) is None:
                reason = "done before: its output is complete and made from the same inputs"
                self._finish(self._line(entry, "skipped", reason))
                return None
            before = self.report.previous.get(entry.id, {})
            failed_before = before.get("status") == "failed" or before.get("failed_before")
            failed_before = failed_before and before.get("kind") not in TRANSIENT
            if (
                failed_before
                and before.get("inputs") == made_from.fingerprint
                and not self.options.retry_failed
            ):
                reason = f"failed before with the same inputs ({before.get('reason', '')}); --retry-failed redoes it"
                line = self._line(entry, "skipped", reason)
                line.update(
                    failed_before=True, kind=before.get("kind", "error"), inputs=made_from.fingerprint
                )
                self._finish(line)
                return None
        task = Task(entry.id, entry.media, article, made_from.to_json(), self.options.memory_limit)
        return Attempt(entry, task, made_from)

    # -- after: results, deaths ----------------------------------------------------------------

    def _collect(self, running: dict[Future[Outcome], Attempt], again: deque[Attempt]) -> None:
        done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for item, worker in self.backend.started():
            self.events.started(item, worker)
        lost: list[Attempt] = []
        for future in done:
            attempt = running.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:
                if self.backend.lost(exc):
                    lost.append(attempt)
                    continue
                outcome = Outcome(attempt.item.id, "error", f"{type(exc).__name__}: {exc}")
            self._done(attempt, outcome)
        if not lost:
            return
        if self.backend.shared_fate:  # a dead local worker breaks the pool: all running items come back
            for future in wait(running, timeout=30).done:
                if self.backend.lost(future.exception() or Exception()):
                    lost.append(running.pop(future))
        deaths = self.backend.recover([a.item.id for a in lost])
        for attempt in reversed(lost):
            count, what = deaths.get(attempt.item.id, (0, ""))
            attempt.deaths += count
            if attempt.deaths >= MAX_DEATHS:
                reason = f"its worker died {attempt.deaths} times ({what})"
                self._done(attempt, Outcome(attempt.item.id, "worker", reason))
            else:
                again.appendleft(attempt)

    def _done(self, attempt: Attempt, outcome: Outcome) -> None:
        item = attempt.item
        line = (
            self._line(item, "ok", "")
            if outcome.ok
            else self._line(item, "failed", outcome.reason, kind=outcome.kind)
        )
        line.update(
            sentences=outcome.sentences,
            timed=outcome.timed,
            not_said=list(outcome.not_said),
            audio_s=round(outcome.audio_s, 3),
            work_s=round(outcome.work_s, 3),
            worker=outcome.worker,
            peak_mb=round(outcome.peak_mb, 1),
            runs=attempt.runs,
            inputs=attempt.made_from.fingerprint,
        )
        with interrupts_deferred():  # Ctrl+C now: the item's files and its report line, then stop
            if outcome.ok:
                commit(item.out, outcome.sync_text, outcome.vtt_text)
            self._finish(line)

    def _line(self, item: Item, status: str, reason: str, *, kind: str = "") -> dict[str, Any]:
        line: dict[str, Any] = {"id": item.id, "status": status}
        if reason:
            line["reason"] = reason
        if kind:
            line["kind"] = kind
        line.update(media=item.media, text=item.text, out=str(item.out))
        return line

    def _finish(self, line: dict[str, Any]) -> None:
        self.report.add(line)
        self.summary.add(line)
        self.events.item(line, self.summary)
