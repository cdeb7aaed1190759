"""The transport under the video: play/pause, the time, the speed, mute and volume."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from clipsync.core.timing.timecode import format_clock
from clipsync.ui.player.controller import State

RATES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


class TransportBar(QWidget):
    """The transport's widgets and how they look; the window connects them to the controller."""

    def __init__(self, volume: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_button = QToolButton(self)
        self.play_button.setAccessibleName("Play")
        self.play_button.setIconSize(QSize(22, 22))
        self.rate_box = QComboBox(self)
        self.rate_box.setAccessibleName("Playback speed")
        self.rate_box.setToolTip("Playback speed (pitch is kept)")
        for rate in RATES:
            self.rate_box.addItem(f"{rate:g}×", rate)
        self.rate_box.setCurrentIndex(RATES.index(1.0))
        self.mute_button = QToolButton(self)
        self.mute_button.setCheckable(True)
        self.mute_button.setAccessibleName("Mute")
        self.mute_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume))
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setValue(volume)
        self.volume.setMaximumWidth(110)
        self.volume.setAccessibleName("Volume")
        self.time_label = QLabel("0:00 / 0:00", self)
        self.time_label.setAccessibleName("Time")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 4)
        row.addWidget(self.play_button)
        row.addWidget(self.time_label)
        row.addStretch()
        row.addWidget(QLabel("Speed", self))
        row.addWidget(self.rate_box)
        row.addWidget(self.mute_button)
        row.addWidget(self.volume)

    def rate(self) -> float:
        """The chosen playback speed."""
        return RATES[self.rate_box.currentIndex()]

    def step_rate(self, direction: int) -> None:
        """The next faster (+1) or slower (-1) speed, staying within :data:`RATES`."""
        index = max(0, min(len(RATES) - 1, self.rate_box.currentIndex() + direction))
        self.rate_box.setCurrentIndex(index)

    def show_state(self, state: State) -> None:
        """Play or Pause on the button, which is off while there is nothing to play."""
        playing = state is State.PLAYING
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setAccessibleName("Pause" if playing else "Play")
        self.play_button.setToolTip("Pause (Space)" if playing else "Play (Space)")
        self.play_button.setEnabled(state not in (State.ERROR, State.IDLE))

    def show_time(self, position_ms: int, length_ms: int) -> None:
        """ "1:02 / 3:37" """
        self.time_label.setText(f"{format_clock(position_ms)} / {format_clock(length_ms)}")

    def show_muted(self, muted: bool) -> None:
        """The mute button's icon and name follow the sound being off or on."""
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute_button.setIcon(self.style().standardIcon(icon))
        self.mute_button.setAccessibleName("Unmute" if muted else "Mute")

    def show_volume(self, value: int) -> None:
        """The volume slider's tool tip says the level."""
        self.volume.setToolTip(f"Volume {value}%")
