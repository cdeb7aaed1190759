"""The announcer: one place where status messages go to screen readers.

Each message is sent twice, for the two kinds of screen reader in use:

- as a ``QAccessibleAnnouncementEvent`` (polite, or assertive for errors), which Qt sends on
  Linux as the AT-SPI signal ``object:announcement`` (Orca 45 and later speak it);
- as a change of an accessible description that Orca 43 (Debian 12's, which ignores
  announcements) speaks. Orca 43 speaks a description change only for the object that has the
  focus, so the text goes to the status element in the status bar (a label the user can Tab
  to, which also shows the text) and, while another widget of the window has the focus, to
  that widget's description, which gets its own back when the focus leaves it.

Qt sends nothing when no assistive technology listens: then this costs two property writes.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

_POLITE = QAccessible.AnnouncementPoliteness.Polite
_ASSERTIVE = QAccessible.AnnouncementPoliteness.Assertive


@dataclass(frozen=True, slots=True)
class Heard:
    """One message as it was sent (kept for the record and the tests)."""

    text: str
    assertive: bool = False


class Announcer(QObject):
    """Says status messages to screen readers (see the module's docstring).

    ``status`` is the status element; the window puts it in its status bar. It shows each
    message for :attr:`SHOWN_MS` (a position in it soon goes stale); its description keeps the
    last one.
    """

    SHOWN_MS = 6000

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.status = QLabel(parent)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Player status")
        self.status.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        #: Every message sent, in order.
        self.heard: list[Heard] = []
        self._borrowed: tuple[QWidget, str] | None = None  # (focused widget, its own description)
        self._shown = QTimer(self)
        self._shown.setSingleShot(True)
        self._shown.setInterval(self.SHOWN_MS)
        self._shown.timeout.connect(self.status.clear)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def say(self, text: str, *, assertive: bool = False) -> None:
        """Have screen readers say ``text`` (plain words; assertive interrupts: errors only)."""
        text = " ".join(text.split())
        if not text:
            return
        self.heard.append(Heard(text, assertive))
        self.status.setText(text)
        self._shown.start()
        self.status.setAccessibleDescription(text)
        self._tell_focused(text)
        event = QAccessibleAnnouncementEvent(self.status, text)
        event.setPoliteness(_ASSERTIVE if assertive else _POLITE)
        QAccessible.updateAccessibility(event)

    def _tell_focused(self, text: str) -> None:
        """Orca 43 speaks a description change of the focused object only (see above)."""
        focused = QApplication.focusWidget()
        if focused is None or focused is self.status or focused.window() is not self.status.window():
            return
        if self._borrowed is None or self._borrowed[0] is not focused:
            self._give_back()
            self._borrowed = (focused, focused.accessibleDescription())
        focused.setAccessibleDescription(text)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self._borrowed is not None and self._borrowed[0] is old:
            self._give_back()

    def _give_back(self) -> None:
        borrowed, self._borrowed = self._borrowed, None
        if borrowed is not None:
            with suppress(RuntimeError):  # the widget is gone
                borrowed[0].setAccessibleDescription(borrowed[1])
