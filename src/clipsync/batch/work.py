"""What runs in a worker process: align one item and give back its outputs as text.

:func:`align_task` never raises for a bad item: a missing or undecodable media, a text not in
the recording, a memory limit passed, any error of the aligner, all come back as a failed
:class:`Outcome` with a reason. The driver writes the outputs (so a worker on another machine
needs to read the media, not to write anywhere), which keeps every write in one process.

The memory limit is enforced here, the same way on the local pool and on Dask: a thread
watches the worker process (and its ffmpeg) and, past the limit, stops the aligner at its next
cancel check (every 2 s of sound), so the item fails with the reason. Should the aligner not
stop within :data:`HARD_STOP_S`, the worker process ends itself, as the kernel's memory
killer would, and the driver treats it as a dead worker.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import psutil

from clipsync.core.alignment import AlignmentCancelled, align_article
from clipsync.core.errors import InputError
from clipsync.core.formats.subtitles import cues_from_article, vtt_text
from clipsync.core.formats.syncdoc import dumps, to_json
from clipsync.core.text.article import Article

from .inputs import ItemError, download
from .manifest import is_address

#: Seconds between two looks at the worker's memory.
MEMORY_POLL_S = 0.2
#: Seconds the aligner has to stop once the limit is passed, before the process ends itself.
HARD_STOP_S = 20.0
#: The exit code of a worker that ended itself for memory.
EXIT_MEMORY = 86
MB = 1_000_000  # as --memory-limit counts (2GB is 2,000,000,000 bytes)


@dataclass(frozen=True, slots=True)
class Task:
    """One item as sent to a worker: the media's path or address and the article, read."""

    id: str
    media: str
    article: Article
    made_from: dict[str, Any]
    memory_limit: int | None = None  # bytes, for the whole worker process


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker made of a task: the outputs' text, or why there are none."""

    id: str
    kind: str  # "" when aligned, else why not: media, text, network, memory, error
    reason: str
    sync_text: str = ""
    vtt_text: str = ""
    audio_s: float = 0.0
    work_s: float = 0.0
    sentences: int = 0
    timed: int = 0
    not_said: tuple[str, ...] = ()
    worker: str = ""
    peak_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.kind


def worker_name() -> str:
    """``host:pid`` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _rss(process: psutil.Process) -> int:
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # it ended meanwhile
            total += child.memory_info().rss
    return int(total)


class MemoryGuard:
    """Watches this process's memory (with its children) while a task runs; records the peak
    and, past ``limit`` bytes, becomes set (the aligner's cancel flag)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.peak = 0
        self.over_at: float | None = None
        self._done = threading.Event()
        self._process = psutil.Process()
        self._thread = threading.Thread(target=self._watch, name="clipsync-memory", daemon=True)

    def is_set(self) -> bool:
        return self.over_at is not None

    @property
    def reason(self) -> str:
        limit = (self.limit or 0) / MB
        return f"memory limit passed: the worker used {self.peak / MB:.0f} MB (limit {limit:.0f} MB)"

    def _watch(self) -> None:
        while not self._done.wait(MEMORY_POLL_S):
            self._look()

    def _look(self) -> None:
        rss = _rss(self._process)
        self.peak = max(self.peak, rss)
        if self.limit is None or rss <= self.limit:
            return
        now = time.monotonic()
        if self.over_at is None:
            self.over_at = now
        elif now - self.over_at > HARD_STOP_S:
            os._exit(EXIT_MEMORY)  # the aligner did not stop: end as the memory killer would

    def __enter__(self) -> MemoryGuard:
        self._look()
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._done.set()
        self._thread.join()
        self._look()


def _media_name(media: str) -> str:
    return PurePosixPath(urlsplit(media).path).name if is_address(media) else Path(media).name


def align_task(task: Task) -> Outcome:
    """Align ``task`` and return its sync document and WebVTT as text (or why not)."""
    started = time.monotonic()
    name = worker_name()
    guard = MemoryGuard(task.memory_limit)

    def failed(kind: str, reason: str) -> Outcome:
        return Outcome(
            task.id, kind, reason, work_s=time.monotonic() - started, worker=name, peak_mb=guard.peak / MB
        )

    with guard, tempfile.TemporaryDirectory(prefix="clipsync-batch-") as tmp:
        try:
            media = download(task.media, Path(tmp)) if is_address(task.media) else Path(task.media)
            result = align_article(media, task.article, cancel=guard)
        except ItemError as exc:
            return failed(exc.kind, exc.reason)
        except AlignmentCancelled:
            return failed("memory", guard.reason)
        except MemoryError:
            return failed("memory", f"out of memory ({guard.peak / MB:.0f} MB in use)")
        except InputError as exc:
            kind = "text" if "text" in exc.reason or exc.path is None else "media"
            return failed(kind, f"{task.media}: {exc.reason}" if exc.path is not None else str(exc))
        except Exception as exc:  # a bug or an odd file: reported, and the batch goes on
            return failed("error", f"{type(exc).__name__}: {exc}")
    article = result.article
    if article.media_file is None:
        article = replace(article, media_file=_media_name(task.media))
    document = to_json(article)
    document["made_from"] = task.made_from
    stats = result.stats
    return Outcome(
        task.id,
        "",
        "",
        sync_text=dumps(document) + "\n",
        vtt_text=vtt_text(cues_from_article(article), title=article.title),
        audio_s=stats.media_ms / 1000,
        work_s=time.monotonic() - started,
        sentences=stats.sentences,
        timed=stats.sentences_aligned,
        not_said=tuple(result.unaligned),
        worker=name,
        peak_mb=guard.peak / MB,
    )
