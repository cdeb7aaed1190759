"""``clipsync batch MANIFEST -o OUTDIR``: align an archive, on every core or on a Dask cluster.

Exit codes: 0 every item aligned or skipped, 1 some failed (or the manifest cannot be read),
2 bad arguments, 130 interrupted (Ctrl+C; the next run goes on from there).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from clipsync import __version__
from clipsync.core.errors import InputError

from .backends import Backend, ClusterMissing, DaskCluster, LocalPool
from .driver import Driver, Interrupted, Options
from .manifest import read_items
from .progress import Events, JsonEvents, TextEvents

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``2GB``, ``1500MB``, ``512MiB``, ``2G`` or a number of bytes, as bytes.

    >>> parse_size("2GB"), parse_size("512MiB"), parse_size("1000")
    (2000000000, 536870912, 1000)
    """
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (write it like 2GB or 1500MB)")
    number, unit, binary = match.groups()
    base = 1024 if binary.lower().startswith("i") else 1000
    return int(float(number) * base ** " kmgt".index(unit.lower() or " "))


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clipsync batch",
        description="Align many recordings to their articles: on every core of this machine, or on "
        "a Dask cluster. Writes OUTDIR/ID.sync.json and ID.vtt for each item and "
        "OUTDIR/batch-report.jsonl; a second run skips what is done. See docs/batch.md.",
    )
    parser.add_argument(
        "manifest",
        type=Path,
        help="JSON Lines or CSV with the keys media, text (and optionally id, out), paths relative "
        "to it; or a folder, where NAME.<media> pairs with NAME.txt",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR", help="output folder")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive, metavar="N", help="local worker processes (default: one per core)"
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://HOST:8786)"
    )
    where.add_argument(
        "--local-cluster",
        type=_positive,
        metavar="N",
        help="start a Dask cluster of N workers here and run on it",
    )
    parser.add_argument("--force", action="store_true", help="align every item again")
    parser.add_argument(
        "--retry-failed", action="store_true", help="align again the items that failed before"
    )
    parser.add_argument(
        "--memory-limit",
        type=parse_size,
        metavar="SIZE",
        help="memory of each worker process (2GB, 1500MB...): an item that needs more fails",
    )
    parser.add_argument("--json", action="store_true", help="one JSON event per line on stdout")
    parser.add_argument("--version", action="version", version=f"clipsync {__version__}")
    return parser


def _backend(args: argparse.Namespace) -> Backend:
    if args.scheduler:
        return DaskCluster(scheduler=args.scheduler)
    if args.local_cluster:
        return DaskCluster(local_workers=args.local_cluster, memory_limit=args.memory_limit)
    return LocalPool(args.workers)


def main(argv: list[str]) -> int:
    """Run ``clipsync batch``; returns the exit code."""
    args = _parser().parse_args(argv)
    err = sys.stderr
    try:
        entries = read_items(args.manifest, args.output)
    except InputError as exc:
        print(f"clipsync batch: {exc}", file=err)
        return 1
    events: Events = JsonEvents() if args.json else TextEvents()
    try:
        backend = _backend(args)
    except ClusterMissing as exc:
        print(f"clipsync batch: {exc}", file=err)
        return 1
    except OSError as exc:  # the scheduler cannot be reached
        print(f"clipsync batch: cannot reach the Dask scheduler {args.scheduler}: {exc}", file=err)
        return 1
    options = Options(args.output, args.force, args.retry_failed, args.memory_limit)
    try:
        summary = Driver(backend, options, events).run(entries)
    except Interrupted:
        return 130
    finally:
        backend.close()
    return 1 if summary.failed else 0
