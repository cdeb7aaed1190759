"""What the window's views show of the playback: the stage (video or error panel), the timeline,
the transport's time, state, speed, volume and mute, the article's highlight. Each controller
signal reaches the views through here; the window only builds this and hands it its views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget

from clipsync.ui.a11y import PlaybackAnnouncements
from clipsync.ui.player import ErrorPanel, PlaybackController, State, Timeline, TransportBar, VideoView
from clipsync.ui.text import ArticleView


@dataclass
class Views:
    """The window's widgets that show the playback."""

    stage: QStackedWidget
    video: VideoView
    error_panel: ErrorPanel
    timeline: Timeline
    transport: TransportBar
    article_view: ArticleView


class PlayerViews(QObject):
    """Keeps :class:`Views` in step with a :class:`PlaybackController` (see the module)."""

    def __init__(
        self,
        controller: PlaybackController,
        views: Views,
        notify: Callable[..., None],
        status: PlaybackAnnouncements,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller, self.views, self.notify, self.status = controller, views, notify, status
        c, v = controller, views
        c.stateChanged.connect(self.set_state)
        c.errorChanged.connect(v.error_panel.reason.setText)
        c.bufferingChanged.connect(v.video.set_buffering)
        c.frameReady.connect(v.video.set_image)
        # The word highlight follows the painted frame (the controller's nowChanged only
        # fires for a new sentence or quote part; without frames the 10 Hz tick moves it).
        c.frameReady.connect(lambda _image: v.article_view.set_read_position(c.text_position()))
        c.nowChanged.connect(self.now_changed)
        c.positionTick.connect(self.position_changed)
        c.lengthChanged.connect(self.length_changed)
        c.seekableChanged.connect(v.timeline.slider.setEnabled)
        c.bufferedChanged.connect(v.timeline.set_buffered)
        v.transport.play_button.clicked.connect(c.toggle)
        v.transport.rate_box.currentIndexChanged.connect(self.rate_chosen)
        v.transport.mute_button.toggled.connect(self.mute)
        v.transport.volume.valueChanged.connect(self.volume)
        v.timeline.slider.seekRequested.connect(c.seek)
        v.error_panel.retry_button.clicked.connect(c.retry)

    def set_state(self, state: State) -> None:
        v = self.views
        v.stage.setCurrentWidget(v.error_panel if state is State.ERROR else v.video)
        v.video.set_loading(state is State.OPENING)
        v.transport.show_state(state)
        if state is State.ERROR:
            v.timeline.slider.setEnabled(False)
            self.notify(f"No media source currently available: {self.controller.error}", error=True)
        elif state is State.ENDED:
            self.notify("Ended. Press Play to watch again.")
        elif state in (State.OPENING, State.PLAYING):
            v.timeline.slider.setEnabled(self.controller.seekable)  # a live stream cannot seek

    def now_changed(self, _now: object) -> None:
        v = self.views
        v.article_view.set_now(self.controller.now)
        v.article_view.set_read_position(self.controller.text_position())
        v.video.update()

    def position_changed(self, position: int) -> None:
        v = self.views
        v.timeline.set_position(position)
        v.transport.show_time(position, v.timeline.length_ms)
        v.article_view.set_read_position(self.controller.text_position())

    def length_changed(self, length: int) -> None:
        self.views.timeline.set_length(length)
        self.views.transport.show_time(self.controller.position(), length)

    def mute(self, muted: bool) -> None:
        if self.controller.player is not None:
            self.controller.player.set_muted(muted)
        self.views.transport.show_muted(muted)

    def volume(self, value: int) -> None:
        if self.controller.player is not None:
            self.controller.player.set_volume(value)
        self.views.transport.show_volume(value)

    def rate_chosen(self, _index: int) -> None:
        rate = self.views.transport.rate()
        self.controller.set_rate(rate)
        self.views.video.show_message(f"Speed {rate:g}×")
        self.status.rate_changed(rate)
