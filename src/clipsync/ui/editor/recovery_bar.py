"""The bar over the video that offers unsaved timing edits found after a crash."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class RecoveryBar(QFrame):
    """ "Unsaved edits were found": Recover or Discard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery-bar")
        self.setStyleSheet("#recovery-bar { background: #fff3bf; border-bottom: 1px solid #f0c36d; }")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.recover_button = QPushButton("Recover", self)
        self.discard_button = QPushButton("Discard", self)
        self.recover_button.setAccessibleName("Recover unsaved edits")
        self.discard_button.setAccessibleName("Discard unsaved edits")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.recover_button)
        layout.addWidget(self.discard_button)
        self.hide()
