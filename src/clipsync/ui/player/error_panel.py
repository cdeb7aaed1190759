"""The panel shown instead of the video when media cannot be played."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ErrorPanel(QWidget):
    """ "No media source currently available", the reason, and ways out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Error")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet("ErrorPanel { background: #15181c; } QLabel { color: #eceff3; }")
        self.title = QLabel("No media source currently available", self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600; color: #ff8787;")
        self.reason = QLabel(self)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Error reason")
        self.open_button = QPushButton("Open…", self)
        self.retry_button = QPushButton("Retry", self)
        self.open_button.setAccessibleName("Open a media file")
        self.retry_button.setAccessibleName("Retry")
        for label in (self.title, self.reason):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)
        layout.addStretch()
