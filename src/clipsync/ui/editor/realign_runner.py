"""Runs "Re-align from here" on a worker thread, with progress and cancel.

As in the Align dialog, the aligner runs on a plain Python thread and reports through queued
Qt signals, so playback and the GUI keep running; cancel sets the aligner's flag and nothing
is changed.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from clipsync.core.editing.edits import EditState


class _Signals(QObject):
    progress = Signal(float)
    finished = Signal(object)  # Realignment
    failed = Signal(str)
    cancelled = Signal()


class RealignRunner(QObject):
    """One re-alignment at a time; ``finished`` carries the core's ``Realignment``."""

    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.progress.connect(self.progress, queued)
        self._signals.finished.connect(self._finished, queued)
        self._signals.failed.connect(self._failed, queued)
        self._signals.cancelled.connect(self._cancelled, queued)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.start_state: EditState | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, media: Path, state: EditState, from_id: str | None, *, first_only: bool = False) -> None:
        """Re-time the stretches of ``state`` from ``from_id`` on (see :func:`realign`)."""
        if self.running:
            return
        from clipsync.core.alignment import AlignmentCancelled
        from clipsync.core.alignment.realign import realign
        from clipsync.core.errors import InputError

        self.start_state = state
        cancel = self._cancel = threading.Event()
        signals = self._signals

        def work() -> None:
            try:
                result = realign(
                    media,
                    state,
                    from_id,
                    first_only=first_only,
                    progress=lambda fraction, _eta: signals.progress.emit(fraction),
                    cancel=cancel,
                )
            except AlignmentCancelled:
                signals.cancelled.emit()
            except InputError as exc:
                signals.failed.emit(str(exc))
            except Exception as exc:  # shown, not lost in a thread
                signals.failed.emit(f"Re-alignment failed: {exc}")
            else:
                if cancel.is_set():
                    signals.cancelled.emit()
                else:
                    signals.finished.emit(result)

        self._thread = threading.Thread(target=work, name="clipsync-realign", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker thread (tests, shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _finished(self, result: object) -> None:
        self._thread = None
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        self._thread = None
        self.failed.emit(message)

    def _cancelled(self) -> None:
        self._thread = None
        self.cancelled.emit()
