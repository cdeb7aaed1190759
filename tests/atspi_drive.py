"""Drive clipsync by keys and listen to it on the AT-SPI bus, as a screen reader would.

Run by ``tests/test_announce_atspi.py`` with Debian's system ``python3`` (``python3-pyatspi`` is
not on PyPI) inside ``dbus-run-session``, on an Xvfb display:

    python3 tests/atspi_drive.py APP_PYTHON CLIP MISSING STREAM STALL_URL RESUME_URL OUT.json

It listens for ``object:announcement`` and for accessible-description changes, starts clipsync
(``APP_PYTHON tests/atspi_app.py``: ``-m clipsync`` with a trace of its player, on xcb, with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``) and, once it is on the bus and heard, drives it with
xdotool's keys: File > Open location (Ctrl+L) with a file that is not there, then with
``CLIP``; Space (pause), Space (play), ``]`` (next quote), Ctrl+Up (faster); then the address
``STREAM``, from a loopback server that is slow to answer and goes silent when ``STALL_URL``
is asked for until ``RESUME_URL`` is: the driver asks for the one when it has heard the stream
"Playing" and for the other when it has heard "Stalled". So the stall starts once libVLC plays
(however its reading of the file went) and lasts until it has run out of pictures (however
much it holds, at whatever speed); both answers (204: done) are kept. Each step waits until the texts it expects were announced, in order (or a deadline), then the next
one starts. ``OUT.json`` gets ``{"started": ..., "steps": [...], "events": [...], "trace": [...]}``
(``trace``: what the app's player did, see ``tests/atspi_app.py``; times in seconds from the
driver's start, ``started`` its ``time.monotonic()``).

Nothing here is imported by pytest (pyatspi is imported in :func:`main`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

#: A generous deadline for each step's announcements (each step goes on as soon as they came).
STEP_TIMEOUT_S = 60.0
#: Once on the bus, the app is pressed Space this often until it is heard (see ``tick``).
PROBE_EVERY_S = 2.0
MAIN_WINDOW = "– clipsync$"
LOCATION_DIALOG = "^Open location$"
PLAYING, STALLED = "Playing", "Stalled: waiting for the network"


def steps(clip: str, missing: str, stream: str) -> list[tuple[str, list[list[str]], list[str]]]:
    """(what the step does, its xdotool commands, the announcements it waits for, in order:
    regular expressions each announcement must match whole)."""
    main = ["search", "--sync", "--onlyvisible", "--name", MAIN_WINDOW, "windowfocus", "--sync"]
    dialog = ["search", "--sync", "--onlyvisible", "--name", LOCATION_DIALOG, "windowfocus", "--sync"]

    def open_location(path: str) -> list[list[str]]:
        return [main, ["key", "ctrl+l"], dialog, ["key", "ctrl+a"], ["type", path], ["key", "Return"]]

    return [
        (
            "open a file that is not there",
            open_location(missing),
            [r"No media source currently available: .*"],
        ),
        ("open the bundled clip", open_location(clip), [r"Loading syria\.mp4", "Playing"]),
        ("Space: pause", [main, ["key", "space"]], [r"Paused at \d+:\d\d"]),
        ("Space: play", [main, ["key", "space"]], ["Playing"]),
        ("]: next quote", [main, ["key", "bracketright"]], [r"Quote: John Kirby, .*"]),
        ("Ctrl+Up: faster", [main, ["key", "ctrl+Up"]], [r"Speed 1\.25 times"]),
        (
            "open a stream that is slow to start and stalls",
            open_location(stream),
            [
                r"Loading syria\.mp4",
                r"Connecting to 127\.0\.0\.1:\d+",
                r"Buffering \d+ %",
                PLAYING,  # then the driver has the server stall (STALL_URL)
                STALLED,  # then the driver has it send again (RESUME_URL)
                "Playing again",
            ],
        ),
    ]


def in_order(expected: list[str], texts: list[str]) -> int:
    """How many of ``expected`` (in order) ``texts`` holds, other texts between them allowed."""
    k = 0
    for text in texts:
        if k < len(expected) and re.fullmatch(expected[k], text):
            k += 1
    return k


def control(url: str) -> int:
    """Ask the test's media server for ``url`` (its stall, its resume); the answer's status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def main() -> int:
    import pyatspi  # Debian's python3-pyatspi, in the system python3
    from gi.repository import GLib

    app_python, clip, missing, stream, stall_url, resume_url, out = sys.argv[1:8]
    control_urls = {"stall": stall_url, "resume": resume_url}
    started = time.monotonic()
    events: list[dict[str, Any]] = []
    done: list[dict[str, Any]] = []
    trace = Path(out).with_suffix(".trace.jsonl")

    def now() -> float:
        return round(time.monotonic() - started, 3)

    def heard(event: Any) -> None:
        try:
            name, role = event.source.name, event.source.getRoleName()
            focused = event.source.getState().contains(pyatspi.STATE_FOCUSED)
        except Exception:  # the object may be gone already
            name, role, focused = "", "", False
        events.append(
            {
                "at": now(),
                "type": event.type,
                "politeness": event.detail1,  # announcements: 1 polite, 2 assertive
                "text": str(event.any_data or ""),
                "source": name,
                "role": role,
                "focused": focused,
            }
        )

    pyatspi.Registry.registerEventListener(
        heard, "object:announcement", "object:property-change:accessible-description"
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        CLIPSYNC_AUDIO_OUTPUT="adummy",
        CLIPSYNC_TRACE_T0=repr(started),
    )
    here = Path(__file__).resolve().parent
    app = subprocess.Popen([app_python, str(here / "atspi_app.py"), str(trace)], env=env)
    plan = steps(clip, missing, stream)
    state: dict[str, Any] = {"step": -1, "since": time.monotonic(), "seen": 0, "probed": None}

    def on_bus() -> bool:
        desktop = pyatspi.Registry.getDesktop(0)
        return any(child is not None and child.name == "clipsync" for child in desktop)

    def xdotool(commands: list[list[str]]) -> None:
        for command in commands:
            subprocess.run(["xdotool", *command], check=False, timeout=10)

    def start_step(index: int) -> None:
        state.update(step=index, since=time.monotonic(), seen=len(announcements()))
        done.append({"step": plan[index][0], "expected": plan[index][2], "heard": False, "began": now()})
        xdotool(plan[index][1])

    def announcements() -> list[dict[str, Any]]:
        return [e for e in events if e["type"] == "object:announcement"]

    def tick() -> bool:
        index = state["step"]
        if app.poll() is not None:
            done.append({"step": "the app ended", "heard": False, "code": app.returncode})
            return stop()
        if index < 0:
            # Qt sends nothing before it knows that someone listens, and it may learn it after
            # it is on the bus: the first step starts once the app was heard (its own start
            # says "Playing"; when that was too early, Space makes it say something).
            late = time.monotonic() - state["since"] > STEP_TIMEOUT_S
            if announcements():
                start_step(0)
            elif late:
                done.append({"step": "clipsync on the bus and heard", "heard": False, "at": now()})
                return stop()
            elif on_bus() and (state["probed"] is None or time.monotonic() - state["probed"] > PROBE_EVERY_S):
                state["probed"] = time.monotonic()
                xdotool([plan[2][1][0], ["key", "space"]])
            return True
        expected = plan[index][2]
        step = done[-1]
        step["heard_texts"] = [[e["at"], e["text"]] for e in announcements()[state["seen"] :]]
        texts = [text for _, text in step["heard_texts"]]
        k = in_order(expected, texts)
        for after, action in ((PLAYING, "stall"), (STALLED, "resume")):
            if STALLED in expected and k > expected.index(after) and action not in step:
                # The stream plays: its network goes silent. libVLC has run out of pictures:
                # the network comes back. (204: done; 409: the server was not in a state to.)
                step[action] = {"at": now(), "status": control(control_urls[action])}
        ok = k == len(expected)
        if ok or time.monotonic() - state["since"] > STEP_TIMEOUT_S:
            step.update(heard=ok, ended=now())
            if not ok or index + 1 == len(plan):
                GLib.timeout_add(1500, stop)  # what is still on its way comes in meanwhile
                return False
            start_step(index + 1)
        return True

    def stop() -> bool:
        pyatspi.Registry.stop()
        return False

    GLib.timeout_add(50, tick)
    pyatspi.Registry.start()
    app.terminate()
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()
    lines = trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []
    record = {
        "started": started,
        "steps": done,
        "events": events,
        "trace": [json.loads(line) for line in lines],
    }
    with open(out, "w", encoding="utf-8") as file:
        json.dump(record, file, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
