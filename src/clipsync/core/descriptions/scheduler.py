"""Playing a plan: when to speak, duck, hold the video and let it go, as playback goes on.

:class:`DescriptionScheduler` is a pure state machine. It is told the position of the video
(``update``, every 10 ms or so, with the wall clock) and what the viewer does (``user_paused``,
``user_resumed``); it answers with :class:`Action` values that the Qt layer carries out on the
players. It also times each voice: the length of what is said is known (rendered ahead), and
it goes at the playback speed, so the voice ends ``length / speed`` after it starts, pauses not
counted. (libVLC's own end event marks the end of its input, which some audio outputs report
a second before the sound has been played.) A seek is seen as a jump of the position (or said
with ``jumped``): it stops the voice, lets a held video go, and plans again from there. A fake
clock drives it in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from clipsync.core.descriptions.gaps import Gap
from clipsync.core.descriptions.plan import GUARD_MS, Item, PauseMode, Plan, Slot, plan


class Act(StrEnum):
    DUCK = "duck"  # lower the main sound
    UNDUCK = "unduck"  # give it back
    SPEAK = "speak"  # start the slot's voice (at the playback speed)
    STOP = "stop"  # stop the voice
    PAUSE_VOICE = "pause_voice"
    RESUME_VOICE = "resume_voice"
    HOLD = "hold"  # pause the video for the voice
    RELEASE = "release"  # play the video again


@dataclass(frozen=True, slots=True)
class Action:
    act: Act
    slot: Slot | None = None


class DescriptionScheduler:
    """What to do, moment by moment, to speak a plan of descriptions.

    ``poll_ms``: how often ``update`` is called (wall ms); the video is held when the position
    is less than one poll before the gap's end, so that it never runs into the speech.
    ``lead_ms``: a voice is started this much wall time before its time, and counted from then
    on as that much later, for the time the voice player takes to make its first sound (about
    5 ms to libVLC's audio output: 0 is fine, see ``benchmarks/descriptions.py``).
    """

    #: A position this far from where playback should be is a jump (a seek).
    JUMP_MS = 400
    #: A voice that would end this soon before the next begins keeps the sound ducked.
    JOIN_MS = 150

    def __init__(self, mode: PauseMode = PauseMode.WHEN_NEEDED, lead_ms: int = 0, poll_ms: int = 0) -> None:
        self.mode = mode
        self.lead_ms = lead_ms
        self.poll_ms = poll_ms
        self.rate = 1.0
        self.items: list[Item] = []
        self.gaps: list[Gap] = []
        self.plan = Plan()
        self.speaking: Slot | None = None
        self.holding = False
        self.ducked = False
        self.voice_paused = False
        #: How much of the voice speaking has been said, in ms at 1x (negative: not sounding yet).
        self.said_ms = 0.0
        self._next = 0
        self._last: tuple[int, float, bool] | None = None  # position, wall s, running
        self._planned_at = 0  # the position the plan was made from

    # Setting up --------------------------------------------------------------------------
    def load(self, items: Sequence[Item], gaps: Sequence[Gap], position_ms: int) -> list[Action]:
        """New descriptions (or lengths, or gaps): plan again from ``position_ms``. A voice
        speaking goes on; the rest is planned after it."""
        self.items, self.gaps = list(items), list(gaps)
        return self._replan(position_ms)

    def set_mode(self, mode: PauseMode, position_ms: int) -> list[Action]:
        self.mode = mode
        return self._replan(position_ms)

    def set_rate(self, rate: float) -> None:
        self.rate = rate

    def _replan(self, position_ms: int) -> list[Action]:
        speaking = self.speaking.description.id if self.speaking else None
        items = [item for item in self.items if item[0].id != speaking]
        self.plan = plan(items, self.gaps, self.mode, position_ms)
        self._next = 0
        self._planned_at = position_ms
        return []

    # Playback ----------------------------------------------------------------------------
    def update(self, position_ms: int, running: bool, wall_s: float) -> list[Action]:
        """The video is at ``position_ms`` (``running``: playing) at wall time ``wall_s``."""
        actions: list[Action] = []
        if self._is_jump(position_ms, wall_s):
            actions += self.jumped(position_ms)
        if self._last is not None and self.speaking is not None and not self.voice_paused:
            self.said_ms += (wall_s - self._last[1]) * 1000 * self.rate
            if self.said_ms >= self.speaking.length_ms:
                actions += self.voice_finished(position_ms)
        self._last = (position_ms, wall_s, running)
        slot = self.speaking
        if slot is not None:
            due = slot.hold_ms is not None and position_ms + self.poll_ms * self.rate >= slot.hold_ms
            if due and not self.holding and running:
                self.holding = True
                actions.append(Action(Act.HOLD, slot))
            return actions
        slots = self.plan.slots
        if (
            running
            and self._next < len(slots)
            and position_ms >= slots[self._next].start_ms - self.lead_ms * self.rate
        ):
            actions += self._start(slots[self._next], position_ms)
        return actions

    def _is_jump(self, position_ms: int, wall_s: float) -> bool:
        if self._last is None:  # the first position since the plan was made
            return abs(position_ms - self._planned_at) > self.JUMP_MS
        last, at, running = self._last
        expected = last + (wall_s - at) * 1000 * self.rate if running else last
        return abs(position_ms - expected) > self.JUMP_MS

    def _start(self, slot: Slot, position_ms: int) -> list[Action]:
        self._next += 1
        late = position_ms - slot.start_ms
        if (
            late > 0
            and slot.hold_ms is None
            and slot.start_ms + slot.length_ms + late > slot.gap.end_ms - GUARD_MS
        ):
            # Started late (a busy machine, a slow poll): it would now run into the speech.
            if self.mode is PauseMode.NEVER:
                return []
            slot = replace(slot, hold_ms=max(position_ms, slot.gap.end_ms - GUARD_MS))
        self.speaking = slot
        self.voice_paused = False
        self.said_ms = -self.lead_ms * self.rate
        actions = []
        if not self.ducked:
            self.ducked = True
            actions.append(Action(Act.DUCK, slot))
        if slot.hold_ms is not None and slot.hold_ms <= position_ms and not self.holding:
            self.holding = True
            actions.append(Action(Act.HOLD, slot))
        actions.append(Action(Act.SPEAK, slot))
        return actions

    def voice_finished(self, position_ms: int) -> list[Action]:
        """The voice has said all of the slot being spoken (``update`` finds it)."""
        if self.speaking is None:
            return []
        self.speaking = None
        slots = self.plan.slots
        following = slots[self._next] if self._next < len(slots) else None
        if self.holding:
            if following is not None and following.start_ms <= position_ms:
                return self._start(following, position_ms)  # said while the video still waits
            self.holding = False
            return [*self._unduck(), Action(Act.RELEASE)]
        if (
            following is not None
            and following.start_ms <= position_ms + (self.JOIN_MS + self.lead_ms) * self.rate
        ):
            return []  # the next one starts at once: the sound stays ducked
        return self._unduck()

    def _unduck(self) -> list[Action]:
        if not self.ducked:
            return []
        self.ducked = False
        return [Action(Act.UNDUCK)]

    def jumped(self, position_ms: int) -> list[Action]:
        """A seek to ``position_ms``: the voice stops, a held video goes on, a new plan."""
        actions = []
        if self.speaking is not None:
            self.speaking = None
            actions.append(Action(Act.STOP))
        actions += self._unduck()
        if self.holding:
            self.holding = False
            actions.append(Action(Act.RELEASE))
        self.voice_paused = False
        self._last = None
        self._replan(position_ms)
        return actions

    # The viewer --------------------------------------------------------------------------
    def user_paused(self) -> list[Action]:
        """The viewer paused: the voice pauses with the video."""
        if self.speaking is not None and not self.holding and not self.voice_paused:
            self.voice_paused = True
            return [Action(Act.PAUSE_VOICE)]
        return []

    def user_resumed(self) -> list[Action]:
        """The viewer pressed play: a paused voice goes on; while the video waited for a voice,
        the viewer chose not to wait: the voice stops."""
        if self.holding:
            self.holding = False
            self.speaking = None
            return [Action(Act.STOP), *self._unduck()]
        if self.voice_paused:
            self.voice_paused = False
            return [Action(Act.RESUME_VOICE)]
        return []
