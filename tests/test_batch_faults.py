"""``clipsync batch`` when things go wrong mid-run: a worker process killed (SIGKILL) while it
aligns, and Ctrl+C. In both, every item ends ``ok`` or ``failed`` with a reason (or is left for
the next run), no output is partial, and a re-run does the rest without redoing what is done."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_batch_support import (
    SONNET,
    assert_whole,
    batch_command,
    example_rows,
    items,
    report,
    run_batch,
    watch_batch,
    write_manifest,
)


def test_a_killed_worker_is_replaced_and_its_item_retried_at_most_twice(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.jsonl", example_rows(sonnet=True))
    outdir = tmp_path / "out"
    kills: list[int] = []

    def kill_the_sonnets_worker(times: int) -> Callable[[subprocess.Popen[str], dict[str, Any]], None]:
        def on_event(process: subprocess.Popen[str], event: dict[str, Any]) -> None:
            if event["event"] == "started" and event["id"] == "sonnet-001" and len(kills) < times:
                pid = int(event["worker"].rpartition(":")[2])
                os.kill(pid, signal.SIGKILL)
                kills.append(pid)

        return on_event

    # Its worker killed each time it starts: the sonnet fails after its third worker died;
    # the items that shared the broken pool with it are run again and end well.
    code, events = watch_batch(batch_command(manifest, outdir, "--workers", "2"), kill_the_sonnets_worker(3))
    got = items(events)
    assert code == 1 and len(kills) == 3 and len(set(kills)) == 3
    sonnet = got["sonnet-001"]
    assert sonnet["status"] == "failed" and sonnet["kind"] == "worker" and sonnet["runs"] == 3
    assert sonnet["reason"].startswith("its worker died 3 times (its worker (pid ")
    assert "was killed by SIGKILL" in sonnet["reason"]
    others = {i: e for i, e in got.items() if i != "sonnet-001"}
    assert len(others) == 6 and all(e["status"] == "ok" for e in others.values())
    assert assert_whole(outdir) == set(others)  # nothing partial, nothing of the sonnet
    # A re-run aligns the sonnet (killed once more: it is retried on a new worker) and
    # skips the others.
    kills.clear()
    code, events = watch_batch(batch_command(manifest, outdir, "--workers", "2"), kill_the_sonnets_worker(1))
    got = items(events)
    assert code == 0 and len(kills) == 1
    assert got["sonnet-001"]["status"] == "ok" and got["sonnet-001"]["runs"] == 2
    assert got["sonnet-001"]["worker"] != f"{os.uname().nodename}:{kills[0]}"
    assert all(e["status"] == "skipped" for i, e in got.items() if i != "sonnet-001")
    assert assert_whole(outdir) == set(got)
    assert report(outdir)["sonnet-001"]["timed"] == 14


@pytest.mark.parametrize("whole_group", [False, True], ids=["kill -INT", "Ctrl+C in a terminal"])
def test_ctrl_c_stops_cleanly_and_the_next_run_goes_on(tmp_path: Path, whole_group: bool) -> None:
    """SIGINT to the batch alone (``kill -INT``), or to its whole process group as a terminal's
    Ctrl+C sends it (the workers and their ffmpeg get it too)."""
    rows = example_rows()
    rows.insert(1, {"id": "sonnet-001", "media": str(SONNET), "text": str(SONNET.with_suffix(".txt"))})
    manifest = write_manifest(tmp_path / "m.jsonl", rows)
    outdir = tmp_path / "out"
    sent: list[str] = []

    def interrupt_after_the_first_item(process: subprocess.Popen[str], event: dict[str, Any]) -> None:
        if event["event"] == "item" and not sent:
            sent.append(event["id"])
            if whole_group:
                os.killpg(process.pid, signal.SIGINT)
            else:
                process.send_signal(signal.SIGINT)

    code, events = watch_batch(
        batch_command(manifest, outdir, "--workers", "1"), interrupt_after_the_first_item
    )
    assert code == 130 and events[-2]["event"] == "interrupted" and events[-1]["event"] == "summary"
    done = {i for i, e in items(events).items() if e["status"] == "ok"}
    assert sent[0] in done and "sonnet-001" not in done  # it was being aligned: abandoned
    assert assert_whole(outdir) == done
    assert set(report(outdir)) == done
    if not whole_group:
        return  # the re-run once is enough
    code, events = run_batch(manifest, outdir, "--workers", "2")
    statuses = {i: e["status"] for i, e in items(events).items()}
    assert code == 0 and {i for i, s in statuses.items() if s == "skipped"} == done
    assert {i for i, s in statuses.items() if s == "ok"} == {r.get("id") or "goforward" for r in rows} - done
    assert assert_whole(outdir) == set(statuses)
