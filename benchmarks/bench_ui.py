"""Driving the real clipsync window for the measurements, and recording what it paints.

Used inside the benchmark processes (``bench_app.py sync`` and ``bench_app.py audio``): the
window is made as ``clipsync.ui.app.run`` makes it; every action goes through what a user
would touch (a click on a quote's marker, the ``]`` key, the speed box), except the plain
seeks of the sync plan, which call ``controller.seek`` as before.

The recorder is called right after each paint of the video with the picture painted
(``VideoView.on_painted``). For each paint it keeps the frame number read out of the
picture, the position the text was chosen for, libVLC's own time, the highlighted sentence
and the caption; everything is judged afterwards (``bench_judge.py``).
"""

from __future__ import annotations

import functools
import random
import time
from dataclasses import dataclass, field
from typing import Any

import bench_media


class Recorder:
    """Collects one row per paint; the rows are judged after the run."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.rows: list[dict[str, object]] = []
        self.segment = ""
        self.events: list[tuple[float, str]] = []  # (perf_counter, "seek" | "jump" | "rate" | ...)
        self.seeks: list[tuple[float, int]] = []  # every controller.seek the app made: (t, target)
        self._last_key: int | None = None
        self._last_number: int | None = None
        self.listeners: list[Any] = []
        self.last_new_number: int | None = None  # the last new picture painted (readable)
        window.video.on_painted = self.on_painted
        self._wrap_seek(window.controller)

    def _wrap_seek(self, controller: Any) -> None:
        """Log every seek the app asks the controller for (the requested target), then do it."""
        original = controller.seek

        @functools.wraps(original)
        def seek(position_ms: int, *args: Any, **kwargs: Any) -> Any:
            self.seeks.append((time.perf_counter(), int(position_ms)))
            return original(position_ms, *args, **kwargs)

        controller.seek = seek

    def on_painted(self, image: Any) -> None:
        t = time.perf_counter()
        if image is None:
            return
        w = self.window
        c = w.controller
        # A new picture is a new frame number: libVLC hands the same picture over again
        # (a new QImage) every ~70 ms while paused, and that is a repaint, not a frame.
        key = image.cacheKey()
        if key != self._last_key:
            self._last_key = key
            number = bench_media.decode_frame_number(image)
            new = number is None or number != self._last_number
            self._last_number = number
        else:
            number, new = self._last_number, False
        if new and number is not None:
            self.last_new_number = number
        # The position the text was chosen for: ``text_position()`` if the controller has one
        # (text locked to the picture), else the clock.
        position = c.text_position() if hasattr(c, "text_position") else c.position()
        naive = c.player.time_ms() if c.player is not None else -1
        caption = w._caption_now()
        row = {
            "t": t,
            "new": new,
            "n": number,
            "pos": position,
            "naive": naive,
            "hl": w.article_view.highlighted_sentence_ids(),
            "cap": (tuple(caption.lines), caption.speaker) if caption is not None else None,
            "state": str(c.state),
            "rate": c.rate,
            "seg": self.segment,
        }
        if self.segment:
            self.rows.append(row)
        for listener in list(self.listeners):
            listener(row)

    def mark(self, what: str) -> float:
        t = time.perf_counter()
        self.events.append((t, what))
        return t


@dataclass
class Driver:
    """The window, its event loop and the recorder, with the user's actions."""

    app: Any
    window: Any
    recorder: Recorder
    rng: random.Random = field(default_factory=lambda: random.Random(6))
    jumps: list[dict[str, object]] = field(default_factory=list)

    @property
    def controller(self) -> Any:
        return self.window.controller

    def wait_until(self, predicate: Any, timeout_s: float) -> bool:
        from PySide6.QtCore import QEventLoop

        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if predicate():
                return True
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)
        return bool(predicate())

    def pump(self, seconds: float) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
        loop.exec()

    def length_ms(self, fallback_ms: int) -> int:
        return int(self.controller.length_ms or fallback_ms)

    # Actions --------------------------------------------------------------------------
    def choose_rate(self, rate: float) -> None:
        """Set the speed through the speed box (its index, as a choice in the list does)."""
        from clipsync.ui.player.transport_bar import RATES

        self.recorder.mark("rate")
        self.window.rate_box.setCurrentIndex(RATES.index(rate))

    def quote_jump(
        self, method: str, *, min_distance_ms: int = 3000, margin_ms: int = 5000, not_ahead_ms: int = 0
    ) -> dict[str, object]:
        """Jump to a quote the way a user does: ``"marker"`` clicks on a quote's marker on the
        timeline (a quote at least ``min_distance_ms`` away), ``"key"`` presses ``]`` (the
        next quote; a marker click instead when the next quote is less than 1.5 s ahead or
        within ``margin_ms`` of the end). Neither picks a quote less than ``not_ahead_ms``
        ahead when another will do. Returns what was done: time, method, the quote's
        start (``target``), whether it was made (the click hit the marker), the target of the
        ``controller.seek`` the app made (``None`` if it went another way) and the last
        picture painted before."""
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        window, controller = self.window, self.controller
        slider = window.timeline.slider
        length = self.length_ms(0)
        position = controller.position()
        quotes = [q for q in slider.quotes if q.start_ms is not None and q.start_ms < length - margin_ms]
        if method == "key":
            upcoming = controller.index.next_quote(position) if controller.index else None
            ahead = (upcoming.start_ms or 0) - position if upcoming else 0
            if upcoming is None or ahead < max(1500, not_ahead_ms) or upcoming not in quotes:
                method = "marker"
        before = self.recorder.last_new_number
        seeks_before = len(self.recorder.seeks)
        if method == "key":
            target = int(upcoming.start_ms)  # type: ignore[union-attr]
            t0 = self.recorder.mark("jump")
            QTest.keyClick(window, Qt.Key.Key_BracketRight)
            made = True
        else:
            far = [q for q in quotes if abs((q.start_ms or 0) - position) >= min_distance_ms] or quotes
            far = [q for q in far if not 0 < (q.start_ms or 0) - position < not_ahead_ms] or far
            pick = self.rng.choice(far)
            target = int(pick.start_ms or 0)
            activated: list[Any] = []
            slider.quoteActivated.connect(activated.append)
            t0 = self.recorder.mark("jump")
            QTest.mouseClick(
                slider,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
                QPoint(slider.x_for(target), 5),
            )
            slider.quoteActivated.disconnect(activated.append)
            made = bool(activated)
            if activated and activated[0].start_ms is not None:
                target = int(activated[0].start_ms)
        asked = [ms for _, ms in self.recorder.seeks[seeks_before:]]
        jump: dict[str, object] = {
            "t": t0,
            "method": method,
            "target": target,
            "made": made,  # the click hit a marker (a key press always counts)
            "asked": asked[0] if asked else None,  # the seek the app asked for, if through seek()
            "from_ms": position,
            "before_n": before,
            "rate": controller.rate,
            "seg": self.recorder.segment,
        }
        self.jumps.append(jump)
        return jump


def make_window() -> tuple[Any, Any]:
    """The application and the main window, as ``clipsync.ui.app.run`` makes them (1280x760)."""
    from clipsync.ui.app import application, create_window

    app = application()
    window = create_window()
    window.resize(1280, 760)
    return app, window
