"""Drive clipsync by keys and listen to it on the AT-SPI bus, as a screen reader would.

Run by ``tests/test_announce_atspi.py`` with Debian's system ``python3`` (``python3-pyatspi`` is
not on PyPI) inside ``dbus-run-session``, on an Xvfb display:

    python3 tests/atspi_drive.py APP_PYTHON CLIP MISSING STREAM OUT.json

It listens for ``object:announcement`` and for accessible-description changes, starts clipsync
(``APP_PYTHON -m clipsync``, on xcb, with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``) and, once it
is on the bus, drives it with xdotool's keys: File > Open location (Ctrl+L) with a file that is
not there, then with ``CLIP``; Space (pause), Space (play), ``]`` (next quote), Ctrl+Up
(faster); then the address ``STREAM`` (a loopback server that is slow to answer and stalls). Each step waits until the texts it expects were announced (or a timeout), then the
next one starts. ``OUT.json`` gets ``{"steps": [...], "events": [...]}``.

Nothing here is imported by pytest (pyatspi is imported in :func:`main`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

#: A generous deadline for each step's announcements (each step goes on as soon as they came).
STEP_TIMEOUT_S = 60.0
MAIN_WINDOW = "– clipsync$"
LOCATION_DIALOG = "^Open location$"


def steps(clip: str, missing: str, stream: str) -> list[tuple[str, list[list[str]], list[str]]]:
    """(what the step does, its xdotool commands, the announcements it waits for, in order)."""
    main = ["search", "--sync", "--onlyvisible", "--name", MAIN_WINDOW, "windowfocus", "--sync"]
    dialog = ["search", "--sync", "--onlyvisible", "--name", LOCATION_DIALOG, "windowfocus", "--sync"]

    def open_location(path: str) -> list[list[str]]:
        return [main, ["key", "ctrl+l"], dialog, ["key", "ctrl+a"], ["type", path], ["key", "Return"]]

    return [
        ("open a file that is not there", open_location(missing), ["No media source currently available"]),
        ("open the bundled clip", open_location(clip), ["Loading syria.mp4", "Playing"]),
        ("Space: pause", [main, ["key", "space"]], ["Paused at "]),
        ("Space: play", [main, ["key", "space"]], ["Playing"]),
        ("]: next quote", [main, ["key", "bracketright"]], ["Quote: John Kirby"]),
        ("Ctrl+Up: faster", [main, ["key", "ctrl+Up"]], ["Speed 1.25 times"]),
        (
            "open a stream that is slow to start and stalls",
            open_location(stream),
            [
                "Loading ",
                "Connecting to 127.0.0.1",
                "Buffering ",
                "Playing",
                "Stalled: waiting for the network",
                "Playing again",
            ],
        ),
    ]


def main() -> int:
    import pyatspi  # Debian's python3-pyatspi, in the system python3
    from gi.repository import GLib

    app_python, clip, missing, stream, out = sys.argv[1:6]
    started = time.monotonic()
    events: list[dict[str, Any]] = []
    done: list[dict[str, Any]] = []

    def heard(event: Any) -> None:
        try:
            name, role = event.source.name, event.source.getRoleName()
            focused = event.source.getState().contains(pyatspi.STATE_FOCUSED)
        except Exception:  # the object may be gone already
            name, role, focused = "", "", False
        events.append(
            {
                "at": round(time.monotonic() - started, 3),
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
    )
    app = subprocess.Popen([app_python, "-m", "clipsync"], env=env)
    plan = steps(clip, missing, stream)
    state: dict[str, Any] = {"step": -1, "since": time.monotonic(), "seen": 0}

    def on_bus() -> bool:
        desktop = pyatspi.Registry.getDesktop(0)
        return any(child is not None and child.name == "clipsync" for child in desktop)

    def start_step(index: int) -> None:
        state.update(step=index, since=time.monotonic(), seen=len(announcements()))
        for command in plan[index][1]:
            subprocess.run(["xdotool", *command], check=False, timeout=10)

    def announcements() -> list[dict[str, Any]]:
        return [e for e in events if e["type"] == "object:announcement"]

    def tick() -> bool:
        index = state["step"]
        if app.poll() is not None:
            done.append({"step": "the app ended", "heard": False, "code": app.returncode})
            return stop()
        if index < 0:  # wait for the app on the bus (it hears no listener before)
            if on_bus():
                time.sleep(1.0)
                start_step(0)
            elif time.monotonic() - state["since"] > STEP_TIMEOUT_S:
                done.append({"step": "clipsync on the bus", "heard": False})
                return stop()
            return True
        what, _, expected = plan[index]
        texts = [e["text"] for e in announcements()[state["seen"] :]]
        found, k = [], 0
        for text in texts:  # the expected texts, in order
            if k < len(expected) and text.startswith(expected[k]):
                found.append(text)
                k += 1
        ok = k == len(expected)
        if ok or time.monotonic() - state["since"] > STEP_TIMEOUT_S:
            done.append({"step": what, "expected": expected, "heard": ok, "texts": texts})
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
    with open(out, "w", encoding="utf-8") as file:
        json.dump({"steps": done, "events": events}, file, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
