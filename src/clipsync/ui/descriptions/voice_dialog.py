"""Description voice…: how descriptions are said, with "Speak a sample" to hear it at once.

Voice, speed, pitch, volume, how low the main sound goes while a description speaks, when the
video waits, handing descriptions to the screen reader instead, and showing them as text. OK
keeps them (in the settings file); the sample is said with what is set in the dialog now.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clipsync.core.descriptions import PauseMode, VoiceSettings
from clipsync.core.descriptions.voice import VOICES
from clipsync.ui.descriptions.voice_controller import DescriptionVoice

SAMPLE = "On screen: a map of Syria, with Aleppo marked in the north."
PAUSE_CHOICES = (
    (PauseMode.WHEN_NEEDED, "Pause the video only when a description does not fit (extended description)"),
    (PauseMode.NEVER, "Never pause (descriptions that do not fit are only shown)"),
    (PauseMode.ALWAYS, "Always pause for a description"),
)


def _slider(low: int, high: int, value: int, name: str, parent: QWidget) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal, parent)
    slider.setRange(low, high)
    slider.setValue(value)
    slider.setAccessibleName(name)
    return slider


class VoiceDialog(QDialog):
    """The description voice's settings (see module)."""

    def __init__(self, voice: DescriptionVoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Description voice")
        self.voice = voice
        s = voice.voice_settings
        self.voice_box = QComboBox(self)
        self.voice_box.setEditable(True)
        self.voice_box.addItems(list(VOICES))
        self.voice_box.setCurrentText(s.voice)
        self.voice_box.setAccessibleName("Voice")
        self.speed = QSpinBox(self)
        self.speed.setRange(80, 450)
        self.speed.setSuffix(" words a minute")
        self.speed.setValue(s.words_per_minute)
        self.speed.setAccessibleName("Speed")
        self.pitch = _slider(0, 99, s.pitch, "Pitch", self)
        self.volume = _slider(0, 100, s.volume, "Volume", self)
        self.duck = _slider(0, 100, s.duck, "Main sound while a description speaks", self)
        self.duck_label = QLabel(self)
        self.duck.valueChanged.connect(lambda v: self.duck_label.setText(f"{v} % of its volume"))
        self.duck_label.setText(f"{s.duck} % of its volume")
        self.pause = QComboBox(self)
        for mode, text in PAUSE_CHOICES:
            self.pause.addItem(text, mode.value)
        self.pause.setCurrentIndex(self.pause.findData(s.pause.value))
        self.pause.setAccessibleName("When the video pauses")
        self.screen_reader = QCheckBox(
            "Hand descriptions to the screen reader instead of speaking them", self
        )
        self.screen_reader.setChecked(s.screen_reader)
        self.show_text = QCheckBox("Also show each description as text under the video", self)
        self.show_text.setChecked(s.show_text)
        self.sample_button = QPushButton("Speak a &sample", self)
        self.sample_button.clicked.connect(self.speak_sample)

        form = QFormLayout()
        form.addRow("&Voice:", self.voice_box)
        form.addRow("S&peed:", self.speed)
        form.addRow("P&itch:", self.pitch)
        form.addRow("V&olume:", self.volume)
        form.addRow("&Main sound while speaking:", self.duck)
        form.addRow("", self.duck_label)
        form.addRow("&Pausing:", self.pause)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.screen_reader)
        layout.addWidget(self.show_text)
        layout.addWidget(self.sample_button)
        layout.addWidget(buttons)

    def chosen(self) -> VoiceSettings:
        """The settings as the dialog shows them now."""
        return VoiceSettings(
            voice=self.voice_box.currentText().strip(),
            words_per_minute=self.speed.value(),
            pitch=self.pitch.value(),
            volume=self.volume.value(),
            duck=self.duck.value(),
            pause=PauseMode(self.pause.currentData()),
            screen_reader=self.screen_reader.isChecked(),
            show_text=self.show_text.isChecked(),
            enabled=self.voice.voice_settings.enabled,
        ).clamped()

    def speak_sample(self) -> None:
        self.voice.speak_sample(SAMPLE, self.chosen())

    def accept(self) -> None:
        self.voice.apply_settings(self.chosen())
        super().accept()
