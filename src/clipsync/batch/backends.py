"""Where the items run: a local process pool, or a Dask cluster. Both give the driver a
``concurrent.futures.Executor`` and say what became of the items whose worker died.

* :class:`LocalPool`: a ``ProcessPoolExecutor``, one process per worker, one thread each
  (pocketsphinx holds the GIL while it decodes, so threads would not help). When a worker
  dies, the pool is broken and every pending item fails with ``BrokenProcessPool``; the pool
  is rebuilt and the pending items are submitted again. Each worker says which item it
  starts, so only the item whose worker died by itself (not those the broken pool ended) is
  charged with the death.
* :class:`DaskCluster`: ``distributed.Client.get_executor()`` on an existing scheduler, or on
  a cluster started here (``LocalCluster``, processes with one thread each). Dask reruns an
  item whose worker died on another worker by itself, up to the scheduler's
  ``allowed-failures`` (set to 2 for a cluster started here), then fails it with
  ``KilledWorker``. ``distributed`` is the optional extra ``clipsync[cluster]``, imported only here.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from .work import EXIT_MEMORY, Outcome, Task, align_task

#: Seconds between two questions to a Dask scheduler about its workers (they may come and go).
SLOTS_EVERY_S = 5.0
#: How many times an item may lose its worker (its first run and two more) before it fails.
MAX_DEATHS = 3


class ClusterMissing(RuntimeError):
    """``distributed`` is not installed: the message says what to install."""


class Backend(Protocol):
    """What the driver needs of the place where the items run."""

    #: Whether one dead worker fails every running item (the local pool), not only its own.
    shared_fate: bool

    def slots(self) -> int:
        """How many items to keep running at once."""
        ...

    def submit(self, task: Task) -> Future[Outcome]: ...

    def started(self) -> list[tuple[str, str]]:
        """(item id, worker) of the items that started since the last call (when known)."""
        ...

    def lost(self, exc: BaseException) -> bool:
        """Whether ``exc`` (a future's exception) means the item's worker died."""
        ...

    def recover(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        """After the items ``ids`` lost their worker: for each item charged with the death,
        how many deaths that was and what happened. The others are just run again."""
        ...

    def describe(self) -> str: ...

    def abort(self) -> None:
        """Stop at once (Ctrl+C): running items are abandoned."""
        ...

    def close(self) -> None: ...


# -- the local pool -------------------------------------------------------------------------

_started_queue: Any = None


def _init_worker(queue: Any) -> None:
    global _started_queue
    _started_queue = queue
    # Ctrl+C in a terminal reaches the whole process group: the driver stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _local_task(task: Task) -> Outcome:
    _started_queue.put((task.id, os.getpid()))
    return align_task(task)


def _death(code: int | None) -> str:
    if code == EXIT_MEMORY:
        return "ended itself at its memory limit"
    if code is not None and code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


class LocalPool:
    """``workers`` processes on this machine (default: one per core)."""

    shared_fate = True

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        # One thread a worker, numpy's libraries included (as Dask's nanny sets them too).
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, "1")
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["clipsync.batch.work"])
        self._running: dict[str, int] = {}  # item id -> pid of its worker
        self._processes: dict[int, BaseProcess] = {}
        self._start()

    def _start(self) -> None:
        self._queue = self._context.SimpleQueue()
        self._pool = ProcessPoolExecutor(
            self.workers, mp_context=self._context, initializer=_init_worker, initargs=(self._queue,)
        )

    def slots(self) -> int:
        return self.workers

    def submit(self, task: Task) -> Future[Outcome]:
        return self._pool.submit(_local_task, task)

    def started(self) -> list[tuple[str, str]]:
        news = []
        while not self._queue.empty():
            item, pid = self._queue.get()
            self._running[item] = pid
            news.append((item, f"{os.uname().nodename}:{pid}"))
        if news:
            self._processes.update((p.pid, p) for p in multiprocessing.active_children() if p.pid)
        return news

    def lost(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def recover(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        self.started()  # the last words of the workers
        self._pool.shutdown(wait=True)  # joins the workers: their exit codes are known
        deaths: dict[str, tuple[int, str]] = {}
        terminated = -signal.SIGTERM  # what the broken pool does to the workers still alive
        for item in ids:
            process = self._processes.get(self._running.get(item, -1))
            if process is not None:
                process.join(5)
                if process.exitcode != terminated:
                    deaths[item] = (1, f"its worker (pid {process.pid}) {_death(process.exitcode)}")
        if not deaths:  # cannot tell which one (a worker ended by SIGTERM): all are suspects
            deaths = {i: (1, "its worker died") for i in ids}
        for item in ids:
            self._running.pop(item, None)
        self._processes = {pid: p for pid, p in self._processes.items() if p.is_alive()}
        self._start()
        return deaths

    def describe(self) -> str:
        return f"{self.workers} local worker{'s' if self.workers != 1 else ''}"

    def abort(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in multiprocessing.active_children():
            process.terminate()
        for process in multiprocessing.active_children():
            process.join(5)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


# -- Dask -------------------------------------------------------------------------------------


def import_distributed() -> Any:
    """The ``distributed`` module, or :class:`ClusterMissing` saying how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise ClusterMissing(
            f"running on a Dask cluster needs the 'distributed' package, which is not installed ({exc}). "
            "Install clipsync's cluster extra: pip install 'clipsync[cluster]'"
        ) from None
    return distributed


class DaskCluster:
    """An existing Dask scheduler (``tcp://HOST:8786``) or ``local_workers`` started here."""

    shared_fate = False

    def __init__(
        self, scheduler: str | None = None, local_workers: int = 0, memory_limit: int | None = None
    ) -> None:
        distributed = import_distributed()
        import dask

        self.cluster = None
        if scheduler is None:
            with dask.config.set({"distributed.scheduler.allowed-failures": MAX_DEATHS - 1}):
                self.cluster = distributed.LocalCluster(
                    n_workers=local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    memory_limit=memory_limit or "auto",
                    silence_logs=logging.ERROR,
                )
            self.client = distributed.Client(self.cluster)
            self.address = self.cluster.scheduler_address
        else:
            self.client = distributed.Client(scheduler, timeout="30s")
            self.address = scheduler
        self.client.wait_for_workers(1, timeout=60)
        self._killed = distributed.KilledWorker
        self._slots, self._asked = 0, -SLOTS_EVERY_S
        # pure=False: an item sent again is run again, never answered from a earlier result.
        self._executor: Executor = self.client.get_executor(pure=False)

    def slots(self) -> int:
        # Two items a thread: each worker has its next item at hand when one ends, instead of
        # waiting for the round trip through the driver. Asked of the scheduler every few seconds.
        now = time.monotonic()
        if now - self._asked > SLOTS_EVERY_S:
            self._slots = 2 * max(1, sum(self.client.nthreads().values()))
            self._asked = now
        return self._slots

    def submit(self, task: Task) -> Future[Outcome]:
        return self._executor.submit(align_task, task)

    def started(self) -> list[tuple[str, str]]:
        return []

    def lost(self, exc: BaseException) -> bool:
        return isinstance(exc, self._killed)

    def recover(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        # Dask already ran each of these items on allowed-failures + 1 workers that all died.
        return {i: (self._allowed + 1, "its workers died (Dask's KilledWorker)") for i in ids}

    @property
    def _allowed(self) -> int:
        get: Callable[..., int] = self.client.run_on_scheduler
        with contextlib.suppress(Exception):
            return int(get(lambda dask_scheduler: dask_scheduler.allowed_failures))
        return MAX_DEATHS - 1

    def describe(self) -> str:
        workers = len(self.client.nthreads())
        where = "a local Dask cluster" if self.cluster is not None else f"the Dask cluster at {self.address}"
        threads = sum(self.client.nthreads().values())
        return f"{where} ({workers} worker{'s' if workers != 1 else ''}, {threads} threads)"

    def abort(self) -> None:
        self._executor.shutdown(wait=False)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
