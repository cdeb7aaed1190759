"""Network playback over loopback (issue 11): open to first picture, and end of a stall to playing.

    python benchmarks/bench_network.py [--runs N] [--stalls N]

Everything runs in this process against the test server of the suite (``tests/media_server.py``)
on 127.0.0.1: a real libVLC player in a real :class:`PlaybackController`, offscreen Qt, dummy
audio. Media are made with ffmpeg into the benchmark cache (an HLS copy of the bundled clip's
first 20 s, and a copy of its first 30 s with the frame number drawn in each picture).

- *open to first picture*: from ``open``/``open_url`` to the first picture handed to the views,
  for the local file, the same file over HTTP (progressive) and the HLS copy; a new player
  each run, the first run of each kind discarded (warm-up).
- *end of stall to resume*: the server sends the numbered clip a little faster than it plays,
  then nothing at all for 4 s mid-play (on any connection), then goes on; from the moment it
  sends again to the first new picture (the controller leaves "Waiting for the network…"),
  and to the first undamaged one (its frame number reads cleanly from the pixels: libVLC
  flushes its decoders after a stall, so pictures are grey until the next keyframe).

Prints the median (and the range) of the runs, and one JSON line for the record.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")

import bench_media  # noqa: E402
from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clipsync.media.network import NetPhase  # noqa: E402
from clipsync.media.vlc_backend import VlcPlayer  # noqa: E402
from clipsync.ui.player.controller import PlaybackController  # noqa: E402
from media_server import Fault, MediaServer, frame_number, hls_files, make_hls, make_numbered_clip  # noqa: E402

CLIP = ROOT / "resources" / "clip" / "syria.mp4"


def wait_until(predicate: object, timeout_s: float) -> bool:
    loop_deadline = time.monotonic() + timeout_s
    app = QApplication.instance()
    assert app is not None
    while time.monotonic() < loop_deadline:
        if predicate():  # type: ignore[operator]
            return True
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)
    return False


def open_to_first_picture(kind: str, target: str) -> float:
    """Seconds from asking to open ``target`` to the first picture on the GUI thread."""
    controller = PlaybackController(VlcPlayer())
    first: list[float] = []
    controller.frameReady.connect(lambda image: first or first.append(time.monotonic()))
    start = time.monotonic()
    if kind == "local":
        controller.open(Path(target))
    else:
        controller.open_url(target)
    ok = wait_until(lambda: bool(first), 15)
    controller.shutdown()
    if not ok:
        raise RuntimeError(f"no picture from {target} within 15 s")
    return first[0] - start


def stall_to_resume(server: MediaServer, run: int) -> tuple[float, float] | None:
    """(to the first undamaged new picture, to leaving the stalled state), in s, for one stall;
    ``None`` when libVLC had read far enough ahead to play through the silence."""
    fault = Fault(stall_at=60_000, stall_s=4.0, rate=9_000, burst=20_000)
    name = f"stall{run}"
    server.scenario(name, fault)
    controller = PlaybackController(VlcPlayer())
    seen: dict[str, float] = {}
    newest = {"number": -1}

    def on_frame(image: object) -> None:
        number = frame_number(image)
        if number is None:
            return
        if fault.stall_ended_at is not None and number > newest["number"] and "picture" not in seen:
            seen["picture"] = time.monotonic()
        if fault.stall_ended_at is None:
            newest["number"] = max(newest["number"], number)

    def on_network(status: object) -> None:
        phase = status.phase  # type: ignore[attr-defined]
        if phase is NetPhase.STALLED:
            seen["stalled"] = time.monotonic()
        elif phase is NetPhase.NONE and "stalled" in seen and "state" not in seen:
            seen["state"] = time.monotonic()

    controller.frameReady.connect(on_frame)
    controller.networkChanged.connect(on_network)
    controller.open_url(server.url(name, "numbered.mp4"))
    ok = wait_until(lambda: "picture" in seen and "state" in seen, 25)
    controller.shutdown()
    if fault.stall_ended_at is None:
        raise RuntimeError(f"stall run {run}: the server never reached the stall")
    if not ok:
        return None
    return seen["picture"] - fault.stall_ended_at, seen["state"] - fault.stall_ended_at


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):.0f} ms (range {min(ms):.0f}–{max(ms):.0f}, {len(ms)} runs)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="opens of each kind (default 9)")
    parser.add_argument("--stalls", type=int, default=5, help="stalls (default 5, ~12 s each)")
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication(sys.argv[:1])
    work = bench_media.cache_dir() / "network"
    numbered = make_numbered_clip(CLIP, work / "numbered-30s.mp4", seconds=30)
    playlist = make_hls(CLIP, work / "hls-20s", seconds=20)
    server = MediaServer({"syria.mp4": CLIP, "numbered.mp4": numbered, **hls_files(playlist)})
    results: dict[str, float] = {}
    try:
        targets = {
            "local file": ("local", str(CLIP)),
            "progressive over loopback": ("url", server.url("good", "syria.mp4")),
            "HLS over loopback": ("url", server.url("good", "hls/index.m3u8")),
        }
        print("Open to first picture")
        for label, (kind, target) in targets.items():
            open_to_first_picture(kind, target)  # warm-up, not counted
            times = [open_to_first_picture(kind, target) for _ in range(args.runs)]
            print(f"  {label:28} {summary(times)}")
            results[f"open.{kind}.{label.split()[0].lower()}_ms"] = round(statistics.median(times) * 1000, 1)
        print("End of a 4 s stall to playing again")
        pictures, states = [], []
        run = misses = 0
        while len(states) < args.stalls and misses <= args.stalls:
            measured = stall_to_resume(server, run)
            run += 1
            if measured is None:
                misses += 1
                continue
            pictures.append(measured[0])
            states.append(measured[1])
        if misses:
            print(f"  ({misses} run(s) played through the silence without a visible stall: not counted)")
        print(f"  {'to playing again':28} {summary(states)}")
        print(f"  {'to the first undamaged picture':28} {summary(pictures)}")
        results["stall.resume_playing_ms"] = round(statistics.median(states) * 1000, 1)
        results["stall.resume_clean_picture_ms"] = round(statistics.median(pictures) * 1000, 1)
    finally:
        server.stop()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
