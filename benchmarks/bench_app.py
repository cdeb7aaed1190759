"""The real clipsync window, measured from inside (run by ``run.py``, one process per job).

    python bench_app.py startup MEDIA TEXT            print {"shown": t, "first_frame": t} (monotonic)
    python bench_app.py play MEDIA TEXT               play; print {"playing": t} at the first frame
    python bench_app.py sync MEDIA TEXT [options]     sync + seek measurements, JSON on stdout
    python bench_app.py audio MEDIA TEXT --wav OUT    quote jumps at 0.5x-2x, sound to OUT (WAV)

The window is made as ``clipsync.ui.app.run`` makes it (``application``, ``create_window``,
``show``, ``open_media``), with a fresh settings folder, 1280x760, offscreen unless
``QT_QPA_PLATFORM`` says otherwise. ``sync`` is ``bench_sync.py``, ``audio`` is
``bench_audio.py``; both drive the window through ``bench_ui.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import scratch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")
scratch.begin()  # a fresh settings folder: no resume bar, no caption delay from an earlier run


# Start-up and plain playback -------------------------------------------------------------
def startup(media: Path, text: Path, *, keep_playing: bool) -> int:
    from PySide6.QtCore import QTimer

    from clipsync.ui.app import application, create_window

    # Not bench_ui.make_window: its imports (numpy, for the sync judge) would count as start-up.
    app = application()
    window = create_window()
    window.resize(1280, 760)
    marks: dict[str, float] = {}

    def on_painted(image: object) -> None:
        now = time.monotonic()
        marks.setdefault("shown", now)
        if image is not None and "first_frame" not in marks:
            marks["first_frame"] = now
            if keep_playing:
                print(json.dumps({"playing": now}), flush=True)
            else:
                print(json.dumps(marks), flush=True)
                QTimer.singleShot(0, app.quit)

    window.video.on_painted = on_painted
    window.show()
    window.open_media(media, text, None)
    QTimer.singleShot(30_000 if not keep_playing else 3_600_000, app.quit)
    app.exec()
    if "first_frame" not in marks:
        print(json.dumps({**marks, "first_frame": None, "error": window.controller.error}), flush=True)
    scratch.leave(0 if "first_frame" in marks else 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("startup", "play", "sync", "audio"))
    parser.add_argument("media", type=Path)
    parser.add_argument("text", type=Path)
    parser.add_argument("--rates", type=float, nargs="+", default=[1.0, 1.5])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of playback per rate")
    parser.add_argument("--seeks", type=int, default=20)
    parser.add_argument("--pauses", type=int, default=5)
    parser.add_argument("--jumps", type=int, default=10, help="quote jumps per rate")
    parser.add_argument("--rate-changes", type=int, default=5, help="speed box changes per rate")
    parser.add_argument("--wav", type=Path, help="audio: where libVLC's afile output writes the sound")
    parser.add_argument("--gap", type=float, default=1.3, help="audio: seconds between jumps")
    parser.add_argument("--quote-seeks", type=int, default=30)
    parser.add_argument("--seek-timeout", type=float, default=3.0)
    parser.add_argument("--seconds-clip", type=float, default=150.0)
    parser.add_argument("--frames", type=Path, help="sync: the clip's frame times (bench_matrix.py)")
    args = parser.parse_args()
    if args.mode == "sync":
        from bench_sync import run_sync

        return run_sync(args)
    if args.mode == "audio":
        from bench_audio import run_audio

        return run_audio(args)
    return startup(args.media, args.text, keep_playing=args.mode == "play")


if __name__ == "__main__":
    raise SystemExit(main())
