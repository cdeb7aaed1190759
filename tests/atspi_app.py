"""clipsync as ``python -m clipsync`` starts it, with a trace of what its player does.

Run by ``tests/atspi_drive.py`` (with the app's Python) instead of ``-m clipsync``:

    APP_PYTHON tests/atspi_app.py TRACE.jsonl [CLIPSYNC ARGS]

Each line of ``TRACE.jsonl`` is one thing the playback controller saw or said, timed in
seconds from ``$CLIPSYNC_TRACE_T0`` (the driver's ``time.monotonic()`` at its start, the same
clock on this machine): the backend's events (libVLC's buffering percentages, playing, paused,
its time...), the states the controller went into, the network states it told (connecting,
buffering, stalled), and the gaps in the pictures (new pictures coming again after a pause of
more than :data:`PICTURE_GAP_S`). A failure of the screen-reader test shows them, so it says
why an announcement did not come, not only which.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

#: New pictures coming again after this long without one are written down (with the gap).
PICTURE_GAP_S = 0.3


def main() -> int:
    trace_path, args = sys.argv[1], sys.argv[2:]
    t0 = float(os.environ.get("CLIPSYNC_TRACE_T0") or time.monotonic())
    trace = open(trace_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (open while the app runs)

    def write(what: str, value: Any = None, at: float | None = None) -> None:
        line = {"at": round((at if at is not None else time.monotonic()) - t0, 3), "what": what}
        if value is not None:
            line["value"] = value
        trace.write(json.dumps(line, ensure_ascii=False) + "\n")

    from clipsync.media.player import EventKind
    from clipsync.ui.player import controller as controller_module

    Controller = controller_module.PlaybackController
    created = Controller.__init__
    on_event = Controller._on_event
    network_frame = Controller._network_frame
    pictures: dict[int, float] = {}  # id(controller) -> when its last new picture came

    def traced_init(self: Any, *a: Any, **k: Any) -> None:
        created(self, *a, **k)
        self.stateChanged.connect(lambda state: write("state", str(state.value)))
        self.networkChanged.connect(
            lambda status: write(
                "network", status.phase.value + (f" {status.percent} %" if status.percent else "")
            )
        )

    def traced_on_event(self: Any, ev: Any) -> None:
        value = ev.value if isinstance(ev.value, int | float | str | bool) else None
        if ev.kind is not EventKind.TIME or self.net is not None:  # a file's time: too many
            write(f"libvlc {ev.kind.value}", value, ev.at)
        on_event(self, ev)

    def traced_network_frame(self: Any, picture: Any) -> None:
        at = picture.at or time.monotonic()
        if not picture.repeat:
            last = pictures.get(id(self))
            if last is None or at - last > PICTURE_GAP_S:
                gap = None if last is None else round(at - last, 3)
                write("new pictures" + ("" if gap is None else f" after {gap} s without"), None, at)
            pictures[id(self)] = at
        network_frame(self, picture)

    Controller.__init__ = traced_init  # type: ignore[method-assign]
    Controller._on_event = traced_on_event  # type: ignore[method-assign]
    Controller._network_frame = traced_network_frame  # type: ignore[method-assign]
    write("start", args)

    from clipsync.cli import main as clipsync_main

    sys.argv = ["clipsync", *args]
    return clipsync_main()


if __name__ == "__main__":
    sys.exit(main())
