"""``clipsync batch --scheduler`` on a real Dask cluster: a scheduler and two workers started as
separate processes on 127.0.0.1 (``dask scheduler``, ``dask worker``), as an operator would
start them on several machines. A worker process is killed mid-batch; the outputs must still
equal the local pool's, byte for byte, and a second run has nothing to do.

``distributed`` is the ``cluster`` extra, which ``scripts/setup.sh`` installs for the tests:
it is imported here without a skip, so a missing install fails."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed
import psutil
import pytest

from test_batch import local_run
from test_batch_support import (
    assert_whole,
    batch_command,
    items,
    outputs,
    report,
    run_batch,
    watch_batch,
    write_manifest,
)

DASK = Path(sys.executable).with_name("dask")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A Dask scheduler and two single-thread workers on 127.0.0.1: the scheduler's address and
    the two ``dask worker`` processes (each a nanny that runs the worker as its child)."""
    info = tmp_path / "scheduler.json"
    common = ["--no-dashboard", "--host", "127.0.0.1"]
    started = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--port", "0", "--scheduler-file", str(info), *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            worker = [
                str(DASK),
                "worker",
                "--scheduler-file",
                str(info),
                "--nthreads",
                "1",
                "--nworkers",
                "1",
            ]
            started.append(
                subprocess.Popen(
                    [*worker, *common],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address, started[1:]
    finally:
        for process in reversed(started):  # each in its own group: the nanny and its worker
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_a_dask_cluster_aligns_like_the_local_pool_though_a_worker_is_killed(
    cluster: tuple[str, list[subprocess.Popen[bytes]]],
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    address, workers = cluster
    manifest, local_out, local_events = local_run(tmp_path_factory.getbasetemp())
    outdir = tmp_path / "out"
    killed: list[int] = []

    def kill_a_worker_after_the_first_item(process: subprocess.Popen[str], event: dict[str, Any]) -> None:
        if event["event"] == "item" and not killed:  # the worker that did it, busy with the next
            worker = psutil.Process(int(event["worker"].rpartition(":")[2]))
            assert worker.parent().pid in {w.pid for w in workers}  # a dask worker's process
            worker.kill()
            killed.append(worker.pid)

    command = batch_command(manifest, outdir, "--scheduler", address)
    code, events = watch_batch(command, kill_a_worker_after_the_first_item)
    got = items(events)
    assert code == 0, events[-1]
    assert events[0]["where"].startswith(f"the Dask cluster at {address} (2 workers")
    assert killed and len(got) == 9 and all(e["status"] == "ok" for e in got.values())
    assert assert_whole(outdir) == set(got)
    assert outputs(outdir) == outputs(local_out)  # the same documents and captions, byte for byte
    dask_workers = {line["worker"] for line in report(outdir).values()}
    local_workers = {e["worker"] for e in local_events.values()}
    assert len(dask_workers) >= 2 and not dask_workers & local_workers
    # The cluster's run resumes like any: nothing to do the second time.
    code, events = run_batch(manifest, outdir, "--scheduler", address)
    assert code == 0 and all(e["status"] == "skipped" for e in items(events).values())


def test_a_local_dask_cluster_started_by_the_batch(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    manifest, local_out, _ = local_run(tmp_path_factory.getbasetemp())
    rows = [json.loads(raw) for raw in manifest.read_text().splitlines()][:3]
    outdir = tmp_path / "out"
    code, events = run_batch(write_manifest(tmp_path / "m.jsonl", rows), outdir, "--local-cluster", "2")
    assert code == 0 and events[0]["where"].startswith("a local Dask cluster (2 workers")
    got = outputs(outdir)
    assert len(got) == 6 and got == {name: data for name, data in outputs(local_out).items() if name in got}
