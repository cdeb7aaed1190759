"""The Edit timings panel under the timeline: the waveform with the sentences as spans, the
selected sentence (and boundary) with its times and text, dragging boundaries, correcting the
text; the commands on the selection are in :mod:`clipsync.ui.editor.timing_commands`, the
sentences to review in :mod:`clipsync.ui.editor.review_commands`, their keys and menu in
:mod:`clipsync.ui.editor.timing_actions`.

After each edit, undo or redo the article, the captions, the quotes and the waveform are
shown again (at once for a key; coalesced during a drag, so it redraws at the pace of the
event loop, not of the mouse).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clipsync.core.editing.edits import Boundary, Edge, EditError, EditState, boundary_stops, timed_neighbours
from clipsync.core.editing.text_edits import change_text
from clipsync.core.editing.timing_edits import move_boundary
from clipsync.core.text.article import Sentence
from clipsync.core.timing.timecode import format_precise
from clipsync.ui.editor.description_authoring import DescriptionAuthoring
from clipsync.ui.editor.edit_session import EditSession
from clipsync.ui.editor.review_commands import ReviewCommands
from clipsync.ui.editor.timing_commands import TimingCommands
from clipsync.ui.editor.waveform_view import WaveformLoader, WaveformView
from clipsync.ui.player import State

if TYPE_CHECKING:
    from clipsync.ui.editor.timing_actions import EditorHost, TimingActions


class TimingEditor(QWidget):
    """The timing editor of one window (see module)."""

    def __init__(self, host: EditorHost, actions: TimingActions) -> None:
        super().__init__(host.parent)
        self.host = host
        self.menu_actions = actions  # (not "actions": QWidget.actions() exists)
        self.session: EditSession | None = None
        self.selected: str | None = None
        self.boundary: Boundary | None = None
        self._drag_burst: object = None
        self.setAccessibleName("Timing editor")
        self.waveform = WaveformView(self)
        self.loader = WaveformLoader(self)
        self._build()
        self.commands = TimingCommands(self)
        self.review = ReviewCommands(self)
        self.descriptions = DescriptionAuthoring(self)
        self.layout().addWidget(self.descriptions.warning)  # type: ignore[union-attr]
        self._publish_timer = QTimer(self)
        self._publish_timer.setSingleShot(True)
        self._publish_timer.timeout.connect(self._publish)
        self._playhead = QTimer(self)
        self._playhead.setInterval(33)
        self._playhead.timeout.connect(self._follow_playhead)
        self._connect()

    # Layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        a = self.menu_actions
        # A tool bar, so that on a narrow window what does not fit goes into its ">>" menu.
        bar = QToolBar("Timing", self)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            a.zoom_out, a.zoom_in, None, a.set_start, a.set_end, a.end_and_next, None, a.play_sentence,
            a.loop_sentence, None, a.lock, a.not_in_recording, a.bring_back, None, a.next_review, None,
            a.realign, a.undo, a.redo, None, a.save,
        ):  # fmt: skip
            if action is None:
                bar.addSeparator()
                continue
            bar.addAction(action)
            button = bar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(action.text().replace("&", "").rstrip("…"))

        a.next_review.setIconText("Next to review")
        a.next_review.setToolTip("Select the next sentence the aligner was unsure of (Ctrl+J)")
        self.info = QLabel("", self)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setAccessibleName("Selected sentence")
        self.text_edit = QLineEdit(self)
        self.text_edit.setAccessibleName("Sentence text")
        self.text_edit.setToolTip("F2 to correct the selected sentence's text; Enter keeps it, Esc cancels")
        self.text_edit.setReadOnly(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel re-alignment")
        self.progress.hide()
        self.cancel_button.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.info)
        row.addWidget(self.text_edit, 1)
        self.saved_label = QLabel("", self)
        self.saved_label.setAccessibleName("Saved state")
        self.saved_label.setStyleSheet("QLabel { color: #c92a2a; }")
        row.addWidget(self.saved_label)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(2)
        layout.addWidget(bar)
        layout.addWidget(self.waveform)
        layout.addLayout(row)

    def _connect(self) -> None:
        w = self.waveform
        w.boundaryPressed.connect(self._boundary_pressed)
        w.boundaryDragged.connect(self._boundary_dragged)
        w.dragFinished.connect(lambda: setattr(self, "_drag_burst", None))
        w.sentenceClicked.connect(self._sentence_clicked)
        w.seekRequested.connect(lambda ms: self.host.controller.seek(ms, exact=True))
        self.loader.progress.connect(lambda f: w.set_envelope(None, f"Reading the sound… {f * 100:.0f}%"))
        self.loader.ready.connect(self._waveform_ready)
        self.loader.failed.connect(lambda _media, reason: w.set_envelope(None, reason))
        self.text_edit.returnPressed.connect(self._commit_text)
        self.text_edit.installEventFilter(self)
        c = self.host.controller
        c.lengthChanged.connect(lambda length: setattr(w, "length_ms", length))

    # Session --------------------------------------------------------------------------------
    def set_session(self, session: EditSession | None) -> None:
        """Edit ``session`` (a newly loaded text), or nothing."""
        if self.session is not None:
            self.session.changed.disconnect(self._changed)
        self.session = session
        self.selected, self.boundary = None, None
        if session is not None:
            session.changed.connect(self._changed)
            media = session.media
            if media is not None and media != self.loader.media:
                self.waveform.set_envelope(None, "Reading the sound…")
                self.loader.start(media)
            self.waveform.length_ms = self.host.controller.length_ms
            self.select_at_playhead()
        else:
            self.waveform.set_article(None)
        self._publish(new_text=True)

    def showEvent(self, event: object) -> None:
        self._playhead.start()
        self.waveform.set_position(self.host.controller.position())
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: object) -> None:
        self._playhead.stop()
        super().hideEvent(event)  # type: ignore[arg-type]

    def _waveform_ready(self, media: Path, envelope: object) -> None:
        if self.session is not None and media == self.session.media:
            self.waveform.set_envelope(envelope)  # type: ignore[arg-type]

    @property
    def state(self) -> EditState | None:
        return self.session.state if self.session is not None else None

    # Selection ------------------------------------------------------------------------------
    def select(self, sid: str | None, boundary: Boundary | None = None, *, reveal: bool = True) -> None:
        """Select sentence ``sid`` (and one of its boundaries: its start by default)."""
        state = self.state
        if state is None or sid is None:
            self.selected, self.boundary = None, None
        else:
            sentence = state.article.sentence(sid)
            self.selected = sid
            self.boundary = boundary or (Boundary(sid, Edge.START) if sentence.timed else None)
            if reveal and sentence.timed:
                start, end = sentence.start_ms or 0, sentence.end_ms or 0
                w = self.waveform
                if start < w.view_start or end > w.view_start + w.view_span:
                    if end - start < w.view_span * 0.8:
                        w.view_start = max(0.0, start - w.view_span * 0.1)
                    else:
                        w.show_range(start, end)
        self.waveform.set_selection(self.selected, self.boundary)
        self._show_selection()

    def select_at_playhead(self) -> None:
        """Select the sentence being said, or the next one to be said."""
        state = self.state
        if state is None:
            return
        position = self.host.controller.position()
        timed = [s for s in state.article.sentences if s.timed]
        now = next((s for s in timed if (s.start_ms or 0) <= position < (s.end_ms or 0)), None)
        after = next((s for s in timed if (s.start_ms or 0) >= position), None)
        chosen = now or after or (timed[-1] if timed else None)
        self.select(chosen.id if chosen else state.article.sentences[0].id)

    def step_sentence(self, delta: int) -> None:
        """The previous (-1) or next (+1) sentence in reading order."""
        state = self.state
        if state is None:
            return
        ids = [s.id for s in state.article.sentences]
        index = ids.index(self.selected) if self.selected in ids else 0
        self.select(ids[max(0, min(len(ids) - 1, index + delta))])

    def step_review(self, delta: int) -> None:
        """The next (+1) or previous (-1) sentence that needs review (see ReviewCommands)."""
        self.review.step(delta)

    def step_boundary(self, delta: int) -> None:
        """The previous or next boundary in time: sentence edges and the words' edges inside."""
        state = self.state
        if state is None:
            return
        if self.selected is None:
            self.select_at_playhead()
        if self.selected is None:
            return
        # The stops of the selected sentence and of its neighbours: enough for one step.
        before, after = timed_neighbours(state.article, self.selected)
        around = (before, state.article.sentence(self.selected), after)
        points = boundary_stops(state.article, [x.id for x in around if x is not None and x.timed])
        if not points:
            return
        keys = [b for _, b in points]
        if self.boundary in keys:
            index = keys.index(self.boundary) + delta
        else:
            position = self.host.controller.position()
            index = next((i for i, (at, _) in enumerate(points) if at >= position), len(points) - 1)
        _at, boundary = points[max(0, min(len(points) - 1, index))]
        self.select(boundary.sentence_id, boundary)

    def _show_selection(self) -> None:
        state = self.state
        if state is None or self.selected is None:
            self.info.setText("No text to edit")
            self.text_edit.setText("")
            return
        sentences = state.article.sentences
        s = state.article.sentence(self.selected)
        number = state.article.ref(s.id).index + 1
        when = (
            f"{format_precise(s.start_ms or 0)} – {format_precise(s.end_ms or 0)}"
            if s.timed
            else "not in the recording"
        )
        which = ""
        if self.boundary is not None:
            part = f"word {self.boundary.word + 1} " if self.boundary.word is not None else ""
            which = f" · {part}{self.boundary.edge.value} selected"
        locked = " · locked" if s.id in state.anchors else ""
        sure = f" · confidence {s.confidence:.2f}" if s.confidence is not None and s.timed else ""
        self.info.setText(
            f"Sentence {number} of {len(sentences)} · {when}{which}{locked}{sure}{self.review.summary()}"
        )
        if self.text_edit.isReadOnly():
            self.text_edit.setText(s.text)
            self.text_edit.setCursorPosition(0)
        self.menu_actions.selection_changed(s.timed, s.id in state.anchors)

    # Edits ----------------------------------------------------------------------------------
    def describe(self, what: str) -> None:
        """Described video: ``add``, ``edit``, ``move`` or ``delete`` a description."""
        getattr(self.descriptions, what)()

    def zoom(self, factor: float) -> None:
        """Zoom the waveform in (``factor`` < 1) or out, around the playhead."""
        self.waveform.zoom(factor)

    def _boundary_pressed(self, boundary: Boundary) -> None:
        self._drag_burst = object()
        self.select(boundary.sentence_id, boundary, reveal=False)

    def _boundary_dragged(self, boundary: Boundary, ms: int) -> None:
        self.commands.perform(lambda st: move_boundary(st, boundary, ms), self._drag_burst)

    def sentence_activated(self, sentence: Sentence) -> None:
        """A sentence clicked in the article is selected here too."""
        if self.isVisible():
            self.select(sentence.id)

    def _sentence_clicked(self, sid: str, at_ms: int) -> None:
        """A click inside a sentence selects it and its nearer edge."""
        state = self.state
        if state is None:
            return
        s = state.article.sentence(sid)
        edge = Edge.START if abs(at_ms - (s.start_ms or 0)) <= abs(at_ms - (s.end_ms or 0)) else Edge.END
        self.select(sid, Boundary(sid, edge), reveal=False)

    def edit_text(self) -> None:
        """Put the cursor in the selected sentence's text (Enter keeps, Esc cancels)."""
        if self.commands.selected_id() is None:
            return
        self.text_edit.setReadOnly(False)
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_edit.selectAll()

    def _commit_text(self) -> None:
        sid, session = self.selected, self.session
        if self.text_edit.isReadOnly() or sid is None or session is None:
            return
        try:
            change = change_text(session.state, sid, self.text_edit.text())
        except EditError as exc:
            self.host.notify(f"{exc}".capitalize(), error=True)  # keep editing: it can be fixed
            return
        session.perform(change)
        self._end_text_edit()

    def _end_text_edit(self) -> None:
        self.text_edit.setReadOnly(True)
        self.waveform.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_selection()

    def eventFilter(self, watched: object, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeyEvent

        if (
            watched is self.text_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and not self.text_edit.isReadOnly()
        ):
            self._end_text_edit()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # Playing ----------------------------------------------------------------------------
    def _follow_playhead(self) -> None:
        c = self.host.controller
        self.waveform.set_position(c.position(), follow=c.state is State.PLAYING)

    # Showing the edits ----------------------------------------------------------------------
    def _changed(self, state: EditState) -> None:
        if self.waveform.dragging:
            self._publish_timer.start(0)  # a drag: show the latest step when the loop is free
        else:
            self._publish()

    def _publish(self, *, new_text: bool = False) -> None:
        """Show the edited article everywhere: text panel, captions, quotes, timeline, waveform."""
        state = self.state
        if state is not None:
            article = state.article
            self.host.publish(article)
            self.waveform.set_article(article, state.anchors, self.review.published(new_text=new_text))
            if self.boundary is not None and self.boundary.time_in(article) is None:
                self.boundary = None
        self.waveform.set_selection(self.selected, self.boundary)
        self._show_selection()
        self.descriptions.refresh()
        dirty = self.session is not None and self.session.dirty
        self.saved_label.setText("Unsaved changes" if dirty else "")
        self.host.set_modified(dirty)
