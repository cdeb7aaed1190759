"""What the timing editor's commands do to the selected sentence or boundary: the edits
(set at the playhead, end + next start, nudge, not in the recording, bring back, lock),
playing the sentence alone or in a loop, and re-aligning in the background.

Each edit is a core operation (:mod:`clipsync.core.editing.timing_edits`) on the session's state,
pushed on its undo stack; an edit the core refuses is explained in the status bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from clipsync.core.editing.edits import (
    Boundary,
    Change,
    Edge,
    EditError,
    EditState,
    difference,
    timed_neighbours,
)
from clipsync.core.editing.timing_edits import (
    bring_back,
    mark_not_in_recording,
    move_boundary,
    nudge,
    set_anchor,
    set_end_and_next_start,
)
from clipsync.ui.editor.realign_runner import RealignRunner
from clipsync.ui.player import State

if TYPE_CHECKING:
    from clipsync.core.alignment.realign import Realignment
    from clipsync.ui.editor.timing_editor import TimingEditor

_NUDGE_BURST_S = 1.5  # nudges of one boundary this close together are one undo step


class TimingCommands(QObject):
    """The commands of one timing editor (see module)."""

    def __init__(self, editor: TimingEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.host = editor.host
        self.looping = False
        self._nudge: tuple[Boundary | None, float, int] = (None, 0.0, 0)
        self._loop_range: tuple[int, int] | None = None
        self.runner = RealignRunner(self)
        self.runner.progress.connect(lambda f: editor.progress.setValue(round(f * 1000)))
        self.runner.finished.connect(self._realigned)
        self.runner.failed.connect(lambda message: self._realign_over(message, error=True))
        self.runner.cancelled.connect(lambda: self._realign_over("Re-alignment cancelled; nothing changed."))
        editor.cancel_button.clicked.connect(self.runner.cancel)
        self.host.controller.stateChanged.connect(self._playback_state)
        self._loop_timer = QTimer(self)
        self._loop_timer.setSingleShot(True)
        self._loop_timer.timeout.connect(self._play_again)

    # Edits ----------------------------------------------------------------------------------
    def perform(self, operation: Callable[[EditState], Change], burst: object = None) -> bool:
        """Make one edit on the selection; a refused edit is explained in the status bar."""
        if self.editor.session is None:
            self.host.notify("Open a text to edit its timings.", error=True)
            return False
        if self.runner.running:
            self.host.notify("Re-aligning: wait for it to finish, or cancel it.", error=True)
            return False
        try:
            change = operation(self.editor.session.state)
        except EditError as exc:
            self.host.notify(f"{exc}".capitalize(), error=True)
            return False
        return self.editor.session.perform(change, burst)

    def selected_id(self) -> str | None:
        """The selected sentence's id; without one, the status bar says how to select."""
        if self.editor.selected is None:
            self.host.notify("Select a sentence first (click it, or Alt+Up / Alt+Down).", error=True)
        return self.editor.selected

    def set_edge_here(self, edge: Edge | str) -> None:
        """Set the selected sentence's start or end at the playhead."""
        sid = self.selected_id()
        if sid is not None:
            boundary = Boundary(sid, Edge(edge))
            at = self.host.controller.position()
            if self.perform(lambda st: move_boundary(st, boundary, at)):
                self.editor.select(sid, boundary, reveal=False)

    def end_and_next(self) -> None:
        """End the selected sentence at the playhead and start the next one there; select it."""
        sid = self.selected_id()
        if sid is None:
            return
        at = self.host.controller.position()
        if self.perform(lambda st: set_end_and_next_start(st, sid, at)) and self.editor.state is not None:
            _, after = timed_neighbours(self.editor.state.article, sid)
            if after is not None:
                self.editor.select(after.id, Boundary(after.id, Edge.END), reveal=False)

    def nudge(self, delta_ms: int) -> None:
        """Move the selected boundary by ``delta_ms``; a burst of nudges is one undo step."""
        boundary = self.editor.boundary
        if boundary is None:
            self.host.notify("Select a boundary first (Alt+, / Alt+. or click one).", error=True)
            return
        last, when, serial = self._nudge
        now = time.monotonic()
        if last != boundary or now - when > _NUDGE_BURST_S:
            serial += 1
        self._nudge = (boundary, now, serial)
        if self.perform(lambda st: nudge(st, boundary, delta_ms), ("nudge", serial)):
            at = boundary.time_in(self.editor.state.article) if self.editor.state else None
            if at is not None:
                self.host.controller.seek(at, exact=True)  # hear it from the boundary

    def mark_not_in_recording(self) -> None:
        sid = self.selected_id()
        if sid is not None and self.perform(lambda st: mark_not_in_recording(st, sid)):
            self.editor.select(sid)

    def bring_back(self) -> None:
        sid = self.selected_id()
        if sid is not None and self.perform(lambda st: bring_back(st, sid)):
            self.editor.select(sid)

    def toggle_lock(self) -> None:
        sid = self.selected_id()
        if sid is not None and self.editor.state is not None:
            locked = sid in self.editor.state.anchors
            self.perform(lambda st: set_anchor(st, sid, not locked))

    # Playing --------------------------------------------------------------------------------
    def play_sentence(self) -> None:
        """Play the selected sentence alone (again and again while looping)."""
        state, sid = self.editor.state, self.selected_id()
        if state is None or sid is None:
            return
        s = state.article.sentence(sid)
        if not s.timed:
            self.host.notify(
                "This sentence is not in the recording, so there is nothing to play.", error=True
            )
            return
        self._loop_range = (s.start_ms or 0, s.end_ms or 0)
        self.host.controller.play_range(*self._loop_range)

    def set_looping(self, on: bool) -> None:
        self.looping = on
        if on:
            self.play_sentence()

    def _playback_state(self, state: State) -> None:
        if (
            state is State.PAUSED
            and self.looping
            and self._loop_range is not None
            and self.editor.isVisible()
            and self.host.controller.position() >= self._loop_range[1] - 80  # not paused by the user
        ):
            # Once the pause is over: this runs inside the controller's pausing.
            self._loop_timer.start(0)

    def _play_again(self) -> None:
        if self.looping and self._loop_range is not None:
            self.host.controller.play_range(*self._loop_range)

    # Re-aligning ----------------------------------------------------------------------------
    def realign(self, *, first_only: bool = False) -> None:
        """Re-time what is not locked from the selected sentence on (or only up to the next
        anchor), in the background."""
        session = self.editor.session
        if session is None or session.media is None:
            self.host.notify("Open the media and its text to re-align.", error=True)
            return
        if self.runner.running:
            return
        self.editor.progress.setValue(0)
        self.editor.progress.show()
        self.editor.cancel_button.show()
        self.host.notify("Re-aligning…")
        self.runner.start(session.media, session.state, self.editor.selected, first_only=first_only)

    def _realigned(self, result: Realignment) -> None:
        session = self.editor.session
        start = self.runner.start_state
        if session is None or start is None or session.state is not start:
            self._realign_over("The text changed meanwhile; re-alignment not applied.", error=True)
            return
        session.perform(difference(start, result.state, "Re-align"))
        parts = [f"Re-aligned {result.retimed} sentences"]
        if result.not_found:
            parts.append(f"{len(result.not_found)} not found in the recording")
        parts += list(result.problems)
        self._realign_over("; ".join(parts) + ".", error=bool(result.problems))

    def _realign_over(self, message: str, *, error: bool = False) -> None:
        self.editor.progress.hide()
        self.editor.cancel_button.hide()
        self.host.notify(message, error=error)
