"""Status a screen reader speaks (WCAG 4.1.3), captured in-process (offscreen Qt).

The announcement events are caught where the announcer hands them to Qt (offscreen Qt has no
AT-SPI bridge; tests/test_announce_atspi.py listens on the real bus). A fake player with a
hand-driven clock drives the controller for the sequence tests; one test plays the bundled clip
through real libVLC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from time import monotonic

import pytest
import shiboken6
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.lookup import TranscriptIndex
from clipsync.core.timing.clock import PlaybackClock
from clipsync.media.fake_players import FakePlayer
from clipsync.media.network import NetPhase, NetStatus
from clipsync.media.player import EventKind, PlayerEvent
from clipsync.ui.a11y import Announcer, PlaybackAnnouncements
from clipsync.ui.player.controller import PlaybackController, State
from clipsync.ui.window.main_window import MainWindow

KIRBY = "Quote: John Kirby, State Department Spokesperson"
OBRIEN = "Quote: Stephen O’Brien, UN Humanitarian Affairs and Emergency Relief Coordinator"
POWER = "Quote: Samantha Power, U.S. Ambassador to the UN"
KERRY = "Quote: John Kerry, U.S. Secretary of State"


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, object]]:
    """(message, politeness name, source object) of every announcement event sent to Qt."""
    sent: list[tuple[str, str, object]] = []
    real = QAccessible.updateAccessibility

    def capture(event: object) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            sent.append((event.message(), event.politeness().name, event.object()))
        real(event)  # type: ignore[arg-type]

    monkeypatch.setattr(QAccessible, "updateAccessibility", capture)
    return sent


def test_a_message_is_an_announcement_and_a_description_change(
    qtbot: QtBot, events: list[tuple[str, str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Polite by default, assertive for errors; the status element and the focused widget get
    the text as their description (Orca 43 speaks that), and the focused widget gets its own
    description back when the focus leaves it. The status element shows a message for a
    while; its description keeps it."""
    monkeypatch.setattr(Announcer, "SHOWN_MS", 300)
    window = QWidget()
    qtbot.addWidget(window)
    first, second = QLineEdit(window), QLineEdit(window)
    first.setAccessibleDescription("Search the article")
    announcer = Announcer(window)
    column = QVBoxLayout(window)
    for widget in (first, second, announcer.status):
        column.addWidget(widget)
    window.show()
    window.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)

    announcer.say("Paused at  1:53")
    announcer.say("Cannot play: file not found", assertive=True)
    assert events == [
        ("Paused at 1:53", "Polite", announcer.status),
        ("Cannot play: file not found", "Assertive", announcer.status),
    ]
    assert [(h.text, h.assertive) for h in announcer.heard] == [
        ("Paused at 1:53", False),
        ("Cannot play: file not found", True),
    ]
    assert announcer.status.accessibleDescription() == "Cannot play: file not found"
    assert announcer.status.text() == "Cannot play: file not found"
    assert first.accessibleDescription() == "Cannot play: file not found"

    second.setFocus()
    qtbot.waitUntil(second.hasFocus)
    assert first.accessibleDescription() == "Search the article"
    announcer.say("Playing")
    assert (
        second.accessibleDescription() == "Playing" and first.accessibleDescription() == "Search the article"
    )
    announcer.say("   ")  # nothing to say: nothing sent
    assert len(events) == 3
    assert announcer.status.text() == "Playing"
    qtbot.waitUntil(lambda: announcer.status.text() == "", timeout=2000)
    assert announcer.status.accessibleDescription() == "Playing"


class Rig:
    """A controller over a fake player, its announcements collected in ``said``."""

    def __init__(self, qtbot: QtBot, clip_sync: Path, clock: Callable[[], float] = monotonic) -> None:
        self.qtbot = qtbot
        self.player = FakePlayer()
        self.controller = PlaybackController(self.player, PlaybackClock())
        self.controller.set_article(load_sync(clip_sync))
        self.said: list[str] = []
        self.status = PlaybackAnnouncements(self.controller, self.said.append, clock)

    def event(self, kind: EventKind, value: object = None) -> None:
        assert self.player.on_event is not None
        self.player.on_event(PlayerEvent(kind, value))  # type: ignore[arg-type]
        self.qtbot.wait(5)  # queued to the GUI thread


@pytest.fixture
def rig(qtbot: QtBot, clip_sync: Path) -> Iterator[Rig]:
    rig = Rig(qtbot, clip_sync)
    yield rig
    rig.controller.shutdown()


def test_loading_playing_paused_and_speed(qtbot: QtBot, rig: Rig) -> None:
    c = rig.controller
    c.open(Path("/clips/clip.mp4"))
    qtbot.waitUntil(lambda: c.state is State.OPENING)
    rig.event(EventKind.FIRST_FRAME)
    qtbot.waitUntil(lambda: c.state is State.PLAYING)
    rig.event(EventKind.PLAYING)  # libVLC says it again: not said again
    c.seek(113_500)  # a jump while playing says no state; it lands in O'Brien's second quote
    c.pause()
    c.play()
    rig.event(EventKind.PLAYING)
    rig.status.rate_changed(1.5)
    rig.status.rate_changed(1.0)
    assert rig.said == [
        "Loading clip.mp4",
        "Playing",
        OBRIEN,
        "Paused at 1:53",
        "Playing",
        "Speed 1.5 times",
        "Normal speed",
    ]


def test_buffering_in_steps_stalls_and_retries(qtbot: QtBot, clip_sync: Path) -> None:
    """Buffering is said with its percentage at its first report, then once it has passed
    another quarter and a second has gone by; connecting and a stall once each; each retry
    with its attempt."""
    wall = [0.0]
    rig = Rig(qtbot, clip_sync, clock=lambda: wall[0])
    say = rig.status.network_changed
    say(NetStatus(NetPhase.CONNECTING, "127.0.0.1", waited_s=0))
    say(NetStatus(NetPhase.CONNECTING, "127.0.0.1", waited_s=2))
    for at, percent in [
        (0, 3),
        (0.4, 9),
        (0.8, 18),
        (1.2, 24),
        (1.6, 26),
        (1.7, 51),
        (2.0, 60),
        (2.7, 80),
        (2.8, 99),
    ]:
        wall[0] = at
        say(NetStatus(NetPhase.BUFFERING, "127.0.0.1", percent=percent))
    say(NetStatus())
    say(NetStatus(NetPhase.STALLED, "127.0.0.1", waited_s=0))
    say(NetStatus(NetPhase.STALLED, "127.0.0.1", waited_s=1))
    say(NetStatus(NetPhase.STALLED, "127.0.0.1", waited_s=2))
    say(NetStatus())
    say(NetStatus(NetPhase.RETRYING, "127.0.0.1", attempt=1, position_ms=61_000))
    say(NetStatus(NetPhase.RETRYING, "127.0.0.1", attempt=1, position_ms=61_000))
    say(NetStatus(NetPhase.RETRYING, "127.0.0.1", attempt=2, position_ms=61_000))
    assert rig.said == [
        "Connecting to 127.0.0.1",
        "Buffering 3 %",
        "Buffering 26 %",  # 1.6 s: a quarter more, a second on
        "Buffering 80 %",  # 51 % and 60 % came too soon after
        "Stalled: waiting for the network",
        "Connection lost at 1:01. Retrying (1 of 3)",
        "Connection lost at 1:01. Retrying (2 of 3)",
    ]
    rig.controller.shutdown()


def test_each_quote_is_said_once_with_its_speaker(rig: Rig, clip_sync: Path) -> None:
    """Played through from start to end (every 40 ms): each quote when it is reached, a
    quote's next part not again, a speaker's role the first time only; a jump back into a
    quote says it again."""
    index = TranscriptIndex(rig.controller.article)  # type: ignore[arg-type]
    for position in range(0, 217_000, 40):
        rig.status.now_changed(index.at(position))
    assert rig.said == [
        KIRBY,
        OBRIEN,
        "Quote: Stephen O’Brien",  # a second quote of his, 4 s later
        POWER,
        KERRY,
        "Quote: John Kerry",
    ]
    rig.said.clear()
    power = next(q for q in index.article.quotes if q.speaker.id == "power")
    rig.status.now_changed(index.at(power.parts[1].start_ms or 0))  # into its middle part
    rig.status.now_changed(index.at((power.parts[1].start_ms or 0) + 2000))  # the same part
    assert rig.said == ["Quote: Samantha Power"]


@pytest.mark.slow
def test_the_window_says_what_the_bundled_clip_does(
    qtbot: QtBot, window: MainWindow, clip_media: Path, tmp_path: Path
) -> None:
    """Through real libVLC: open, pause, play, next quote, faster; then a file that is not a
    media is said assertively, with the reason."""
    heard = window.announcer.heard
    window.open_media(clip_media)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    window.controller.pause()
    qtbot.wait(500)  # as a person would (libVLC's own pause comes after the controller's)
    window.controller.play()
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=5000)
    window.window_actions.next_quote.trigger()
    qtbot.waitUntil(lambda: any(h.text == KIRBY for h in heard), timeout=5000)
    window.window_actions.faster.trigger()
    texts = [h.text for h in heard]
    assert texts[:2] == ["Loading syria.mp4", "Playing"]
    assert texts[2].startswith("Paused at 0:0") and texts[3:] == ["Playing", KIRBY, "Speed 1.25 times"]
    assert not any(h.assertive for h in heard)

    bad = tmp_path / "notes.mp4"
    bad.write_text("This is not a video.\n" * 50)
    window.open_media(bad)
    qtbot.waitUntil(lambda: window.controller.state is State.ERROR, timeout=10_000)
    error = heard[-1]
    assert error.assertive and window.controller.error and window.controller.error in error.text
    assert window.announcer.status.accessibleDescription() == error.text


def test_a_window_closed_before_its_controller_says_nothing_more(qtbot: QtBot, clip_sync: Path) -> None:
    """The controller may outlive the window (tests, a window rebuilt): its signals no longer
    reach the deleted status element."""
    controller = PlaybackController(FakePlayer(), PlaybackClock())
    controller.set_article(load_sync(clip_sync))
    window = QWidget()
    announcer = Announcer(window)
    PlaybackAnnouncements(controller, announcer.say, parent=announcer)
    index = TranscriptIndex(controller.article)  # type: ignore[arg-type]
    controller.nowChanged.emit(index.at(113_500))
    assert [h.text for h in announcer.heard] == [OBRIEN]
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(announcer.status))
    controller.nowChanged.emit(index.at(134_000))  # Power's quote: would be said, and fail
    controller.stateChanged.emit(State.PAUSED)
    controller.shutdown()
