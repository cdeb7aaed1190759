"""The bar above the video that offers to resume where the viewer stopped last time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from clipsync.core.timing.timecode import format_clock


class ResumeBar(QWidget):
    """ "You stopped at 1:00 last time", Resume and Start over; hidden until :meth:`offer`."""

    resumeRequested = Signal(int)  # the position to resume from, in ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._position_ms = 0
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.resume_button = QPushButton("Resume", self)
        self.restart_button = QPushButton("Start over", self)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.label, 1)
        bar.addWidget(self.resume_button)
        bar.addWidget(self.restart_button)
        self.resume_button.clicked.connect(self._resume)
        self.restart_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, position_ms: int) -> None:
        """Show the bar, offering to resume from ``position_ms``."""
        self._position_ms = position_ms
        self.label.setText(f"You stopped at {format_clock(position_ms)} last time.")
        self.resume_button.setText(f"Resume from {format_clock(position_ms)}")
        self.show()

    def _resume(self) -> None:
        self.hide()
        self.resumeRequested.emit(self._position_ms)
