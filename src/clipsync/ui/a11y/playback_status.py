"""What playback announces: loading, the network's state (connecting, buffering with its
percentage, stalled, retrying), playing and paused, a speed change, and reaching a quote with
its speaker. Errors, and the window's other status messages, reach the announcer through the
window's ``notify`` (assertive for errors), with their reason.

Fed by the controller's signals; each message goes to ``say`` (:meth:`Announcer.say`). Nothing
is said twice in a row: a state is said when it changes, buffering in steps of
:data:`BUFFERING_STEP` percent at most once a second, a quote when it is reached (not again
for its next part when playback just goes on into it), a speaker's role only the first time.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from PySide6.QtCore import QObject

from clipsync.core.location import url_name
from clipsync.core.text.article import Quote, QuotePart
from clipsync.core.text.lookup import Now
from clipsync.core.timing.timecode import format_clock
from clipsync.media.network import NetPhase, NetStatus
from clipsync.ui.player import PlaybackController, State

#: Buffering is said at its first report, then when it has passed another multiple of this
#: percentage and at least BUFFERING_EVERY_S after the last time it was said.
BUFFERING_STEP = 25
BUFFERING_EVERY_S = 1.0


def rate_text(rate: float) -> str:
    """>>> rate_text(1.5), rate_text(1.0)
    ('Speed 1.5 times', 'Normal speed')
    """
    return "Normal speed" if rate == 1.0 else f"Speed {rate:g} times"


def quote_text(quote: Quote, *, with_role: bool = True) -> str:
    """>>> from clipsync.core.text.article import Speaker
    >>> quote_text(Quote("q1", Speaker("power", "Samantha Power", "U.S. Ambassador to the UN"), ()))
    'Quote: Samantha Power, U.S. Ambassador to the UN'
    """
    speaker = quote.speaker
    return f"Quote: {speaker.name}" + (f", {speaker.role}" if speaker.role and with_role else "")


class PlaybackAnnouncements(QObject):
    """Says what ``controller`` is doing through ``say(text)`` (see the module's docstring).

    A QObject, so that its connections to the controller go with it (the controller may
    outlive the window: give the announcer as ``parent``).
    """

    def __init__(
        self,
        controller: PlaybackController,
        say: Callable[[str], None],
        clock: Callable[[], float] = monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.say = say
        self.clock = clock
        self._buffering_said = 0.0  # when (clock) buffering was last said
        self._phase = NetPhase.NONE
        self._buffering_step = -1
        self._attempt = 0
        self._quote: tuple[Quote, int] | None = None  # the quote said last and its part's number
        self._part: QuotePart | None = None  # the quote part playing now
        self._introduced: set[str] = set()  # speakers whose role was said (once per media)
        controller.stateChanged.connect(self.state_changed)
        controller.networkChanged.connect(self.network_changed)
        controller.nowChanged.connect(self.now_changed)

    def state_changed(self, state: State) -> None:
        c = self.controller  # (it says each state once: only when it changes)
        if state is State.OPENING:
            name = c.media_path.name if c.media_path is not None else url_name(c.media_url or "")
            self.say(f"Loading {name or c.media_url or 'media'}")
            self._quote = None  # a new media (or a retry) says its quote again
            self._introduced.clear()
        elif state is State.PLAYING:
            self.say("Playing")
        elif state is State.PAUSED:
            self.say(f"Paused at {format_clock(c.text_position())}")
        # (ended and error are the window's messages, with the reason; idle says nothing)

    def rate_changed(self, rate: float) -> None:
        self.say(rate_text(rate))

    def network_changed(self, status: NetStatus) -> None:
        phase, previous = status.phase, self._phase
        self._phase = phase
        if phase is NetPhase.BUFFERING:
            step, now = (status.percent or 0) // BUFFERING_STEP, self.clock()
            later = step > self._buffering_step and now - self._buffering_said >= BUFFERING_EVERY_S
            if previous is not NetPhase.BUFFERING or later:
                self._buffering_step, self._buffering_said = step, now
                self.say(f"Buffering {status.percent or 0} %")
        elif phase is NetPhase.STALLED:
            if previous is not NetPhase.STALLED:
                self.say("Stalled: waiting for the network")
        elif phase is NetPhase.RETRYING:
            if previous is not NetPhase.RETRYING or status.attempt != self._attempt:
                self._attempt = status.attempt
                self.say(status.text().rstrip("…"))
        elif phase is NetPhase.CONNECTING:
            if previous is not NetPhase.CONNECTING:
                self.say(f"Connecting to {status.host}")
        elif previous in (NetPhase.STALLED, NetPhase.RETRYING) and self.controller.state is State.PLAYING:
            self.say("Playing again")

    def now_changed(self, now: Now) -> None:
        quote, part = now.quote, now.part
        previous, self._part = self._part, part
        if quote is None or part is None or part is previous:
            return  # not in a quote, or in the same part still (a new sentence of it)
        number = quote.parts.index(part)
        last, self._quote = self._quote, (quote, number)
        if last is not None and last[0] is quote and number == last[1] + 1:
            return  # playing on into the next part of the quote just said
        self.say(quote_text(quote, with_role=quote.speaker.id not in self._introduced))
        self._introduced.add(quote.speaker.id)
