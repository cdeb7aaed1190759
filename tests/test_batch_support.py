"""What the batch tests share: an archive of short clips (human and synthesized speech), running
``clipsync batch`` as a real subprocess, and checking that an output folder holds only whole
outputs. (A module of helpers, named so the batch tests sit together; it has no tests.)

The human clips are those of ``tests/data/human-speech`` listed by the example manifest
``tests/data/batch/manifest.jsonl``; the synthesized ones are spoken here by espeak-ng and flite.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clipsync.core.alignment.synthetic import make_clip
from clipsync.core.formats.subtitles import read_vtt
from clipsync.core.formats.syncdoc import load_sync

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "batch" / "manifest.jsonl"
SONNET = ROOT / "tests" / "data" / "human-speech" / "sonnet-001.mp3"
SONNET_TEXT = SONNET.with_suffix(".txt")
SYNTHESIZED = [
    ("synth-espeak", "espeak-ng", ["The river rose in the night.", "By morning the bridge was closed."]),
    ("synth-flite", "flite", ["Prices fell for a third month.", "Shops expect a quiet winter."]),
    ("synth-espeak-slow", "espeak-ng", ["A new library opens on Monday."]),
]


def example_rows(*, sonnet: bool = False) -> list[dict[str, str]]:
    """The example manifest's items with absolute paths (the sonnet only when asked: it is the
    longest, 53 s)."""
    rows = []
    for raw in EXAMPLE.read_text().splitlines():
        row = json.loads(raw)
        if row.get("id") == "sonnet-001" and not sonnet:
            continue
        row["media"] = str((EXAMPLE.parent / row["media"]).resolve())
        row["text"] = str((EXAMPLE.parent / row["text"]).resolve())
        rows.append(row)
    return rows


def make_archive(folder: Path) -> list[dict[str, str]]:
    """The synthesized clips and their articles in ``folder`` (made once) and the manifest rows
    of all nine short clips: six human, three synthesized."""
    rows = example_rows()
    folder.mkdir(parents=True, exist_ok=True)
    for name, engine, sentences in SYNTHESIZED:
        media, text = folder / f"{name}.wav", folder / f"{name}.txt"
        if not media.exists():
            text.write_text("News in brief\n\n" + " ".join(sentences) + "\n")
            make_clip(sentences, folder / f".{name}.wav", engine=engine, pause_ms=500, lead_ms=400)
            (folder / f".{name}.wav").rename(media)
        rows.append({"id": name, "media": str(media), "text": str(text)})
    return rows


def write_manifest(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def batch_command(manifest: Path, outdir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "clipsync", "batch", str(manifest), "-o", str(outdir), "--json", *args]


def run_batch(
    manifest: Path, outdir: Path, *args: str, timeout: float = 240
) -> tuple[int, list[dict[str, Any]]]:
    """Run ``clipsync batch ... --json``; its exit code and its events."""
    done = subprocess.run(
        batch_command(manifest, outdir, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert events and events[-1]["event"] == "summary", done.stderr[-3000:]
    return done.returncode, events


def items(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in events if e["event"] == "item"}


def report(outdir: Path) -> dict[str, dict[str, Any]]:
    lines = [json.loads(raw) for raw in (outdir / "batch-report.jsonl").read_text().splitlines()]
    by_id = {line["id"]: line for line in lines}
    assert len(by_id) == len(lines), "one line per item"
    return by_id


def assert_whole(outdir: Path) -> set[str]:
    """Every output in ``outdir`` is whole: no temporary file, each sync document loads, records
    its inputs and has its WebVTT with one cue per timed sentence. Returns the ids found."""
    leftovers = [p.name for p in outdir.rglob("*.tmp")]
    assert not leftovers, f"temporary files left: {leftovers}"
    found = set()
    for doc in outdir.rglob("*.sync.json"):
        article = load_sync(doc)
        assert "made_from" in json.loads(doc.read_text())
        cues = read_vtt(doc.with_name(doc.name.removesuffix(".sync.json") + ".vtt"))
        assert len(cues) == sum(1 for s in article.sentences if s.timed) > 0
        found.add(doc.name.removesuffix(".sync.json"))
    for vtt in outdir.rglob("*.vtt"):
        assert vtt.with_name(vtt.stem + ".sync.json").exists(), f"{vtt.name} without its sync document"
    return found


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every output file's bytes by its path under ``outdir`` (the report left out)."""
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name != "batch-report.jsonl"
    }


def watch_batch(
    command: list[str],
    on_event: Callable[[subprocess.Popen[str], dict[str, Any]], None],
    timeout: float = 240,
) -> tuple[int, list[dict[str, Any]]]:
    """Run a batch in its own process group, calling ``on_event`` with each event as it comes."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    events = []
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            event = json.loads(raw)
            events.append(event)
            on_event(process, event)
        return process.wait(timeout), events
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
