"""The real clipsync window, measured from inside (run by ``run.py``, one process per job).

    python bench_app.py startup MEDIA TEXT            print {"shown": t, "first_frame": t} (monotonic)
    python bench_app.py play MEDIA TEXT               play; print {"playing": t} at the first frame
    python bench_app.py sync MEDIA TEXT [options]     sync + seek measurements, JSON on stdout

The window is made as ``clipsync.ui.app.run`` makes it (``application``, ``create_window``,
``show``, ``open_media``), with a fresh settings folder, 1280x760, offscreen.

Sync is measured at paint time: ``VideoView.on_painted`` is called right after each paint
with the picture painted. For the first paint of each new picture the hook reads the frame
number out of the picture, and takes ``controller.position()`` (the clock the text is chosen
by), ``controller.player.time_ms()`` (libVLC's time as it comes: the naive clock), the
highlighted sentence (``article_view.highlighted_sentence_ids()``) and the caption
(``window._caption_now()``). Everything is judged afterwards against the cue list.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")
# A fresh settings folder: no resume bar, no caption delay from an earlier run.
os.environ["CLIPSYNC_CONFIG_DIR"] = tempfile.mkdtemp(prefix="clipsync-bench-")


def _window():  # type: ignore[no-untyped-def]
    from clipsync.ui.app import application, create_window

    app = application()
    window = create_window()
    window.resize(1280, 760)
    return app, window


# Start-up and plain playback -------------------------------------------------------------
def startup(media: Path, text: Path, *, keep_playing: bool) -> int:
    from PySide6.QtCore import QTimer

    app, window = _window()
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
    sys.stdout.flush()
    os._exit(0 if "first_frame" in marks else 1)


# Sync and seek -----------------------------------------------------------------------------
class Recorder:
    """Collects one row per paint; the rows are judged after the run."""

    def __init__(self, window: object) -> None:
        import bench_media

        self.decode = bench_media.decode_frame_number
        self.window = window
        self.rows: list[dict[str, object]] = []
        self.segment = ""
        self.events: list[tuple[float, str]] = []  # (perf_counter, "seek" | "pause" | "resume" | ...)
        self._last_key: int | None = None
        self._last_number: int | None = None
        self.listeners: list[object] = []

    def on_painted(self, image: object) -> None:
        t = time.perf_counter()
        if image is None:
            return
        w = self.window
        c = w.controller  # type: ignore[attr-defined]
        # A new picture is a new frame number: libVLC hands the same picture over again
        # (a new QImage) every ~70 ms while paused, and that is a repaint, not a frame.
        key = image.cacheKey()  # type: ignore[attr-defined]
        if key != self._last_key:
            self._last_key = key
            number = self.decode(image)
            new = number is None or number != self._last_number
            self._last_number = number
        else:
            number, new = self._last_number, False
        # The position the text was chosen for: ``text_position()`` if the controller has one
        # (text locked to the picture), else the clock.
        position = c.text_position() if hasattr(c, "text_position") else c.position()
        naive = c.player.time_ms() if c.player is not None else -1
        caption = w._caption_now()  # type: ignore[attr-defined]
        row = {
            "t": t,
            "new": new,
            "n": number,
            "pos": position,
            "naive": naive,
            "hl": w.article_view.highlighted_sentence_ids(),  # type: ignore[attr-defined]
            "cap": (tuple(caption.lines), caption.speaker) if caption is not None else None,
            "state": str(c.state),
            "rate": c.rate,
            "seg": self.segment,
        }
        if self.segment:
            self.rows.append(row)
        for listener in list(self.listeners):
            listener(row)  # type: ignore[operator]

    def mark(self, what: str) -> None:
        self.events.append((time.perf_counter(), what))


def run_sync(args: argparse.Namespace) -> int:
    import bench_media
    from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest

    from clipsync.ui.controller import State
    from clipsync.ui.transport_bar import RATES

    app, window = _window()
    controller = window.controller
    recorder = Recorder(window)
    window.video.on_painted = recorder.on_painted
    window.show()
    window.open_media(args.media, args.text, None)

    def wait_until(predicate: object, timeout_s: float) -> bool:
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if predicate():  # type: ignore[operator]
                return True
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)
        return bool(predicate())  # type: ignore[operator]

    def pump(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    if not wait_until(lambda: controller.state is State.PLAYING and controller.frame is not None, 20):
        print(json.dumps({"error": f"the clip did not start: {controller.state} {controller.error}"}))
        sys.stdout.flush()
        os._exit(1)
    length = controller.length_ms or int(args.seconds_clip * 1000)
    rng = random.Random(6)
    out: dict[str, object] = {"segments": {}}

    # 1. Sync: play, seek and pause on a fixed plan, at each rate.
    for rate in args.rates:
        window.rate_box.setCurrentIndex(RATES.index(rate))
        controller.seek(0, play=True)
        pump(0.3)
        segment = f"rate{rate:g}"
        recorder.segment = segment
        recorder.mark(f"start {segment}")
        duration = args.duration
        seek_every = duration / max(1, args.seeks)
        plan: list[tuple[float, str]] = [(1.0 + k * seek_every, "seek") for k in range(args.seeks)]
        pause_every = duration / max(1, args.pauses)
        for k in range(args.pauses):
            at = 2.5 + k * pause_every
            plan += [(at, "pause"), (at + 0.8, "resume")]
        plan.sort()
        start = time.perf_counter()
        for at, action in plan:
            if at >= duration:
                continue
            pump(max(0.0, at - (time.perf_counter() - start)))
            if action == "seek":
                target = rng.randrange(2000, max(3000, length - 15_000), 100)
                recorder.mark("seek")
                controller.seek(target)
            elif action == "pause":
                recorder.mark("pause")
                controller.pause()
            else:
                recorder.mark("resume")
                controller.play()
        pump(max(0.0, duration - (time.perf_counter() - start)))
        recorder.segment = ""
        out["segments"][segment] = {"wall_s": time.perf_counter() - start}  # type: ignore[index]

    # 2. Seek to a quote: a click on its marker, until a picture within a frame of its start.
    window.rate_box.setCurrentIndex(RATES.index(1.0))
    slider = window.timeline.slider
    quotes = [q for q in slider.quotes if q.start_ms is not None and q.start_ms < length - 3000]
    activated: list[object] = []
    slider.quoteActivated.connect(activated.append)
    latencies: list[float | None] = []
    misses = 0
    order: list[object] = []
    for _ in range(args.quote_seeks):
        if not order:
            order = quotes[:]
            rng.shuffle(order)
        position = controller.position()
        pick = next((q for q in order if abs((q.start_ms or 0) - position) > 3000), order[0])
        order.remove(pick)
        x = slider.x_for(pick.start_ms or 0)
        activated.clear()
        found: dict[str, float] = {}
        target_holder: dict[str, int] = {}

        def on_row(
            row: dict[str, object], found: dict[str, float] = found, th: dict[str, int] = target_holder
        ) -> None:
            n = row["n"]
            if (
                "target" in th
                and "t" not in found
                and row["new"]
                and n is not None
                and abs(bench_media.frame_time_ms(n) - th["target"]) <= bench_media.FRAME_MS + 0.5  # type: ignore[arg-type]
            ):
                found["t"] = row["t"]  # type: ignore[assignment]

        recorder.listeners = [on_row]
        t0 = time.perf_counter()
        QTest.mouseClick(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, 5))
        if not activated:
            misses += 1
            recorder.listeners = []
            continue
        target_holder["target"] = activated[0].start_ms  # type: ignore[attr-defined]
        if activated[0] is not pick:
            misses += 1
        wait_until(lambda found=found: "t" in found, args.seek_timeout)
        latencies.append((found["t"] - t0) * 1000 if "t" in found else None)
        recorder.listeners = []
        pump(0.4)
    out["seek"] = {"latencies_ms": latencies, "wrong_or_missed_clicks": misses}
    out["rows"] = recorder.rows
    out["events"] = recorder.events
    # The captions each frame should show, from the cue list (judged in run.py).
    out["presentation"] = window.caption_style.presentation
    out["caption_delay_ms"] = window.caption_delay_ms
    json.dump(out, sys.stdout)
    sys.stdout.flush()
    os._exit(0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("startup", "play", "sync"))
    parser.add_argument("media", type=Path)
    parser.add_argument("text", type=Path)
    parser.add_argument("--rates", type=float, nargs="+", default=[1.0, 1.5])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of playback per rate")
    parser.add_argument("--seeks", type=int, default=20)
    parser.add_argument("--pauses", type=int, default=5)
    parser.add_argument("--quote-seeks", type=int, default=30)
    parser.add_argument("--seek-timeout", type=float, default=3.0)
    parser.add_argument("--seconds-clip", type=float, default=150.0)
    args = parser.parse_args()
    if args.mode == "sync":
        return run_sync(args)
    return startup(args.media, args.text, keep_playing=args.mode == "play")


if __name__ == "__main__":
    raise SystemExit(main())
