"""What a screen reader hears, on the real AT-SPI bus.

Qt's offscreen platform has no AT-SPI, so this test starts an Xvfb display of its own, and in a
D-Bus session of its own (``dbus-run-session``; at-spi2-core starts the accessibility bus and
its registry) runs ``tests/atspi_drive.py`` with Debian's system ``python3`` and its
``python3-pyatspi``. The driver starts clipsync on xcb with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``,
drives it with keys (xdotool) and records every ``object:announcement`` and accessible
description change. ``scripts/setup.sh`` installs all of it; a missing piece fails the test
with what to install (it is never skipped).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from atspi_drive import STEP_TIMEOUT_S
from media_server import Fault, MediaServer, Request

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"
POLITE, ASSERTIVE = 1, 2


def _check_tools() -> None:
    missing = [tool for tool in ("Xvfb", "dbus-run-session", "xdotool") if shutil.which(tool) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        missing.append("at-spi2-core")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
    if probe.returncode != 0:
        missing.append("python3-pyatspi (for /usr/bin/python3)")
    assert not missing, f"missing {', '.join(missing)}: run scripts/setup.sh"


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb server on a free display (it writes the number it took to a pipe)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    return server, f":{number}"


def _report(record: dict[str, Any], fault: Fault, requests: list[Request]) -> str:
    """Each step: what was expected, what was heard when; for the stream, what the app's player
    did meanwhile (libVLC's events, its states, the network states, the gaps in the pictures)
    and what the server did (its requests, the stall). Times in seconds from the driver's start."""
    started = record.get("started", 0.0)
    lines = []
    for step in record["steps"]:
        lines.append(f"step {step.get('step')!r}: {'heard' if step.get('heard') else 'NOT HEARD'}")
        lines.append(f"  expected, in order: {step.get('expected')}")
        lines.append(f"  began {step.get('began')} s, ended {step.get('ended')} s; heard:")
        lines += [f"    {at:8.3f}  {text}" for at, text in step.get("heard_texts", [])]
        for action in ("stall", "resume"):
            if action in step:
                asked = step[action]
                answer = {204: "done", 409: "REFUSED (stalled already, or not stalled)"}.get(asked["status"])
                lines.append(
                    f"  the driver asked the server to {action} at {asked['at']} s: {answer or asked['status']}"
                )
    last = record["steps"][-1] if record["steps"] else {}
    began = last.get("began", 0.0)
    lines.append(f"the app's player from {began} s (the last step):")
    lines += [
        f"    {e['at']:8.3f}  {e['what']}" + (f" {e['value']}" if "value" in e else "")
        for e in record.get("trace", [])
        if e["at"] >= began - 0.1
    ]
    lines.append("the server:")
    lines += [
        f"    {r.at - started:8.3f}  {r.method} {r.scenario}/{r.name} from byte {r.start}" for r in requests
    ]

    def when(at: float | None) -> str:
        return "never" if at is None else f"{at - started:.3f} s"

    lines.append(f"    stall: began {when(fault.stall_started_at)}, ended {when(fault.stall_ended_at)}")
    return "\n".join(lines)


def test_a_screen_reader_hears_the_driven_sequence(tmp_path: Path, clip_media: Path) -> None:
    """Open a missing file (an error, assertive, with its reason), open the bundled clip
    (loading, playing), Space (paused), Space (playing), ] (Kirby's quote), Ctrl+Up (speed),
    then the clip from a loopback server that answers after 1 s, and is silent from when the
    driver has heard it play until it has heard "Stalled" (connecting, buffering, playing,
    stalled, playing again): each is an announcement with its politeness, and a description
    change of the status element and of the widget that has the focus (what Orca 43 speaks)."""
    _check_tools()
    missing = tmp_path / "nothing-here" / "missing.mp4"
    out = tmp_path / "heard.json"
    media = MediaServer({"syria.mp4": clip_media})
    # The first 200 kB (the index is 140 kB, then ~5 s of the clip) at once, then 1.5 times the
    # clip's bitrate. The server goes silent when the driver has heard the stream "Playing" and
    # sends again when it has heard "Stalled": the stall starts once libVLC plays (whichever
    # parts of the file it read first, and however late) and lasts until its pictures ran out
    # (however much it holds, at 1.25x here), not for a number of bytes and seconds that
    # guesses both (60 s at most: the step's deadline).
    fault = Fault(
        first_byte_delay=1.0, stall_s=STEP_TIMEOUT_S, resume=threading.Event(), rate=17_000, burst=200_000
    )
    media.scenario("slow", fault)
    stream = media.url("slow", "syria.mp4")
    server, display = _start_xvfb()
    try:
        run = subprocess.run(
            [
                "dbus-run-session",
                "--",
                SYSTEM_PYTHON,
                str(ROOT / "tests" / "atspi_drive.py"),
                sys.executable,
                str(clip_media),
                str(missing),
                stream,
                media.control_url("stall", "slow"),
                media.control_url("resume", "slow"),
                str(out),
            ],
            env=dict(os.environ, DISPLAY=display),
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(10)
        media.stop()
    assert out.exists(), f"the driver failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    record = json.loads(out.read_text(encoding="utf-8"))
    steps, events = record["steps"], record["events"]
    report = _report(record, fault, media.requested("slow", "syria.mp4"))
    (tmp_path / "report.txt").write_text(report, encoding="utf-8")  # kept for a look at a pass too
    assert [s["heard"] for s in steps] == [True] * 7, report
    # The server went silent after "Playing", and "Stalled" was said while it was (not on a
    # hiccup of the app's own).
    assert steps[-1]["stall"]["status"] == 204 and steps[-1]["resume"]["status"] == 204, report

    announcements = [(e["text"], e["politeness"]) for e in events if e["type"] == "object:announcement"]
    error = f"No media source currently available: The file {missing} does not exist."
    start = announcements.index((error, ASSERTIVE))
    assert announcements[start - 1] == ("Loading missing.mp4", POLITE), report
    speed = announcements.index(("Speed 1.25 times", POLITE))
    driven, streamed = announcements[start + 1 : speed + 1], announcements[speed + 1 :]
    paused = driven[2][0] if len(driven) > 2 else ""
    assert paused.startswith("Paused at 0:0"), report  # a second or so after it started
    assert driven == [
        ("Loading syria.mp4", POLITE),
        ("Playing", POLITE),
        (paused, POLITE),
        ("Playing", POLITE),
        ("Quote: John Kirby, State Department Spokesperson", POLITE),
        ("Speed 1.25 times", POLITE),
    ], report

    # The stream: its steps in order, each once; buffering at most once a second.
    texts = [text for text, politeness in streamed if politeness == POLITE]
    assert len(texts) == len(streamed), report
    port = stream.split("/")[2]
    assert texts[:2] == ["Loading syria.mp4", f"Connecting to {port}"], report
    buffering = [
        e["at"] for e in events if e["type"] == "object:announcement" and e["text"].startswith("Buffering")
    ]
    assert 1 <= len(buffering) <= 4 and all(b - a >= 1.0 for a, b in itertools.pairwise(buffering)), report
    rest = [t for t in texts[2:] if not t.startswith("Buffering ")]
    assert rest[:3] == ["Playing", "Stalled: waiting for the network", "Playing again"], report
    assert all(a != b for a, b in itertools.pairwise(texts)), report

    described = [e for e in events if e["type"].endswith("accessible-description")]
    for text, _ in announcements:
        assert any(e["text"] == text and e["source"] == "Player status" for e in described), text
    # From Space on, the keys go to the window, and the widget with the focus says each
    # message too (before, the focus was in the location dialog).
    for text, _ in driven[2:]:
        assert any(e["text"] == text and e["focused"] for e in described), text
