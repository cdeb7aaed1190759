"""Helpers for the network tests: the states a window goes through, and the text on each painted
frame checked against the frame number drawn in the picture (see ``media_server.make_numbered_clip``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from clipsync.media.network import NetPhase, NetStatus
from clipsync.ui.player.controller import State
from clipsync.ui.window.main_window import MainWindow
from media_server import frame_number

FRAME_MS = 40  # the bundled clip and its numbered copy: 25 fps


class StateLog:
    """Every state the window shows, in order: playback states and network phases."""

    def __init__(self, window: MainWindow) -> None:
        self.seen: list[str] = []
        self.controller = controller = window.controller
        controller.stateChanged.connect(lambda state: self._add(str(state)))
        controller.networkChanged.connect(self._network)

    def _network(self, status: NetStatus) -> None:
        # A network phase over, the window shows the playback state again.
        self._add(str(status.phase if status.phase is not NetPhase.NONE else self.controller.state))

    def _add(self, label: str) -> None:
        if not self.seen or self.seen[-1] != label:
            self.seen.append(label)

    def went_through(self, *labels: str) -> bool:
        """``labels`` appear in this order (others may come between)."""
        rest = iter(self.seen)
        return all(any(seen == label for seen in rest) for label in labels)


@dataclass
class PaintCheck:
    """On every painted frame: is the text (sentence and caption) the one for that picture?"""

    window: MainWindow
    #: Text chosen for a time this close to the picture's counts as right (0: frame-true).
    tolerance_ms: int = 0
    checked: int = 0
    wrong: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.window.video.on_painted = self._painted

    def _painted(self, image: QImage | None) -> None:
        controller = self.window.controller
        if image is None or controller.index is None or controller.state is not State.PLAYING:
            return
        number = frame_number(image)
        if number is None:
            return  # a picture damaged while the decoder catches up: nothing to compare
        true_ms = number * FRAME_MS
        shown_ms = controller.text_position()
        self.checked += 1
        self.numbers.append(number)
        index = controller.index
        if index.at(shown_ms).ref is index.at(true_ms).ref:
            return
        # Not the same sentence: only right when a sentence starts within a frame of the picture.
        low, high = min(shown_ms, true_ms) - FRAME_MS, max(shown_ms, true_ms) + FRAME_MS
        if index.at(low).ref is not index.at(high).ref and abs(shown_ms - true_ms) <= FRAME_MS:
            return
        if abs(shown_ms - true_ms) <= self.tolerance_ms:
            return
        self.wrong.append(f"picture {number} ({true_ms} ms) painted with the text for {shown_ms} ms")


def wait_state(qtbot: QtBot, window: MainWindow, state: State, timeout_ms: int = 15_000) -> None:
    qtbot.waitUntil(lambda: window.controller.state is state, timeout=timeout_ms)


def opens_the_good_clip(qtbot: QtBot, window: MainWindow, url: str) -> None:
    """After a fault the same window still opens and plays a good stream."""
    window.open_location(url)
    wait_state(qtbot, window, State.PLAYING)
    controller = window.controller
    start = controller.position()
    try:
        qtbot.waitUntil(lambda: controller.position() > start + 400, timeout=5000)
    except Exception as exc:
        raise AssertionError(
            f"not playing on: {controller.state} at {controller.position()} (from {start}),"
            f" network {controller.net_status}, clock running {controller.clock.running},"
            f" frames {controller.frame_number}"
        ) from exc
    assert window.video.image is not None and not window.video.network_text
    assert window.stage.currentWidget() is window.video
