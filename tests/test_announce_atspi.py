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
from pathlib import Path

import pytest

from media_server import Fault, MediaServer

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


def test_a_screen_reader_hears_the_driven_sequence(tmp_path: Path, clip_media: Path) -> None:
    """Open a missing file (an error, assertive, with its reason), open the bundled clip
    (loading, playing), Space (paused), Space (playing), ] (Kirby's quote), Ctrl+Up (speed),
    then the clip from a loopback server that answers after 1 s and stalls for 12 s early on
    (connecting, buffering, playing, stalled, playing again): each is an announcement with its
    politeness, and a description change of the status element and of the widget that has the
    focus (what Orca 43 speaks)."""
    _check_tools()
    missing = tmp_path / "nothing-here" / "missing.mp4"
    out = tmp_path / "heard.json"
    media = MediaServer({"syria.mp4": clip_media})
    # The first 200 kB (the index is 140 kB, then ~7 s of the clip) at once, then 1.5 times the
    # clip's bitrate, and nothing from 215 kB (~8.6 s of the clip, ~1 s after the burst) for
    # 12 s. The stall must outlast what libVLC holds: it plays at 1.25x here (the step before),
    # so its pictures run out ~7 s after it starts and ~5 s before the data comes again. (With
    # 250 kB, ~12.4 s of the clip, and 8 s, they ran out within half a second of the data coming
    # again, or not at all: no stall was seen when libVLC started a little late, under load.)
    media.scenario(
        "slow", Fault(first_byte_delay=1.0, stall_at=215_000, stall_s=12, rate=17_000, burst=200_000)
    )
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
    assert [s["heard"] for s in steps] == [True] * 7, json.dumps(steps, indent=1, ensure_ascii=False)

    announcements = [(e["text"], e["politeness"]) for e in events if e["type"] == "object:announcement"]
    error = f"No media source currently available: The file {missing} does not exist."
    start = announcements.index((error, ASSERTIVE))
    assert announcements[start - 1] == ("Loading missing.mp4", POLITE)
    speed = announcements.index(("Speed 1.25 times", POLITE))
    driven, streamed = announcements[start + 1 : speed + 1], announcements[speed + 1 :]
    paused = driven[2][0] if len(driven) > 2 else ""
    assert paused.startswith("Paused at 0:0")  # a second or so after it started
    assert driven == [
        ("Loading syria.mp4", POLITE),
        ("Playing", POLITE),
        (paused, POLITE),
        ("Playing", POLITE),
        ("Quote: John Kirby, State Department Spokesperson", POLITE),
        ("Speed 1.25 times", POLITE),
    ]

    # The stream: its steps in order, each once; buffering at most once a second.
    texts = [text for text, politeness in streamed if politeness == POLITE]
    assert len(texts) == len(streamed)
    port = stream.split("/")[2]
    assert texts[:2] == ["Loading syria.mp4", f"Connecting to {port}"]
    buffering = [
        e["at"] for e in events if e["type"] == "object:announcement" and e["text"].startswith("Buffering")
    ]
    assert 1 <= len(buffering) <= 4 and all(b - a >= 1.0 for a, b in itertools.pairwise(buffering))
    rest = [t for t in texts[2:] if not t.startswith("Buffering ")]
    assert rest[:3] == ["Playing", "Stalled: waiting for the network", "Playing again"]
    assert all(a != b for a, b in itertools.pairwise(texts))

    described = [e for e in events if e["type"].endswith("accessible-description")]
    for text, _ in announcements:
        assert any(e["text"] == text and e["source"] == "Player status" for e in described), text
    # From Space on, the keys go to the window, and the widget with the focus says each
    # message too (before, the focus was in the location dialog).
    for text, _ in driven[2:]:
        assert any(e["text"] == text and e["focused"] for e in described), text
