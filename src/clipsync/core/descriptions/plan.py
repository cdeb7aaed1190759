"""Fitting each description into the speech: where it is spoken, and whether the video waits.

A description is spoken in the first gap in the speech (:mod:`clipsync.core.descriptions.gaps`)
at or after its time, never over a speaker's words. When its speech is longer than what is left
of the gap, the viewer chooses (:class:`PauseMode`):

* ``WHEN_NEEDED`` (the default): the video pauses at the gap's end and resumes as soon as the
  description ends: extended description, WCAG 1.2.7, and only then;
* ``NEVER``: it is not spoken (it is still shown in the article);
* ``ALWAYS``: the video pauses at every description, as Able Player does.

The plan is in media time and holds at every speed: the voice follows the playback speed (a
description of 2 s at 1x takes 1 s of wall time at 2x, as does the gap), so what fits at 1x fits
at 2x, and a pause lasts ``(voice - room) / speed`` of wall time. Pure: a fake clock tests it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from clipsync.core.descriptions.gaps import Gap
from clipsync.core.descriptions.model import Description
from clipsync.core.timing.timecode import format_clock

#: A gap with less room than this left after a description's time is passed by for the next.
MIN_ROOM_MS = 250
#: A voice ends, or the video waits, this long before the next words (a margin for the poll
#: that stops the video; well under a frame at 30 fps).
GUARD_MS = 10


class PauseMode(StrEnum):
    """When the video pauses for a description."""

    NEVER = "never"
    WHEN_NEEDED = "when_needed"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class Slot:
    """One description placed: its voice starts at ``start_ms`` (media time) and lasts
    ``length_ms`` at 1x; ``hold_ms`` is where the video waits for it (``None``: it fits)."""

    description: Description
    start_ms: int
    length_ms: int
    gap: Gap
    hold_ms: int | None = None

    @property
    def room_ms(self) -> int:
        """The part of the gap the voice may use while the video plays."""
        return self.gap.end_ms - GUARD_MS - self.start_ms

    @property
    def held_ms(self) -> int:
        """How long (media ms at 1x) the video waits for it: 0 when it fits."""
        return 0 if self.hold_ms is None else self.start_ms + self.length_ms - self.hold_ms

    @property
    def end_ms(self) -> int:
        """Where the video is when the voice ends."""
        return self.start_ms + self.length_ms if self.hold_ms is None else self.hold_ms


@dataclass(frozen=True, slots=True)
class Unspoken:
    """A description that is not spoken, and why (in words)."""

    description: Description
    reason: str


@dataclass(frozen=True)
class Plan:
    slots: tuple[Slot, ...] = ()
    unspoken: tuple[Unspoken, ...] = ()


Item = tuple[Description, int]  # a description and its spoken length at 1x, ms


def plan(
    items: Sequence[Item], gaps: Sequence[Gap], mode: PauseMode = PauseMode.WHEN_NEEDED, from_ms: int = 0
) -> Plan:
    """Where each description is spoken, playing on from ``from_ms``.

    From a jump into the middle of a gap, the descriptions of that gap whose time has passed are
    spoken from the jump's position if they still fit in what is left of it; those whose place
    is further on are planned as usual; the rest are behind.

    >>> gaps = [Gap(0, 5000), Gap(9000, 10000)]
    >>> p = plan([(Description("d1", 0, "Title."), 3000), (Description("d2", 6000, "A map."), 2500)], gaps)
    >>> [(s.description.id, s.start_ms, s.hold_ms, s.held_ms) for s in p.slots]
    [('d1', 0, None, 0), ('d2', 9000, 9990, 1510)]
    >>> title = [(Description("d1", 0, "T."), 3000)]
    >>> [(s.description.id, s.start_ms) for s in plan(title, gaps, from_ms=1500).slots]
    [('d1', 1500)]
    >>> plan(title, gaps, from_ms=3000).unspoken[0].reason
    'jumped to 0:03 in its gap: 3.0 s of speech no longer fits the 2.0 s left'
    """
    ordered = sorted(items, key=lambda item: item[0].time_ms)
    if from_ms <= 0:
        return _place(ordered, gaps, mode, 0, [], [])
    whole = _place(ordered, gaps, mode, 0, [], [])
    here = next((g for g in gaps if from_ms in g), None)
    lengths = {d.id: length for d, length in ordered}
    slots: list[Slot] = []
    unspoken: list[Unspoken] = []
    cursor = from_ms
    ahead: list[Item] = []
    for slot in whole.slots:
        d = slot.description
        if slot.start_ms >= from_ms:
            ahead.append((d, slot.length_ms))
        elif here is not None and slot.gap == here:
            left = here.end_ms - GUARD_MS - cursor
            if mode is PauseMode.ALWAYS:
                slots.append(Slot(d, cursor, slot.length_ms, here, cursor))
            elif slot.length_ms <= left:
                slots.append(Slot(d, cursor, slot.length_ms, here))
                cursor += slot.length_ms
            else:
                unspoken.append(
                    Unspoken(
                        d,
                        f"jumped to {format_clock(from_ms)} in its gap: {slot.length_ms / 1000:.1f} s of "
                        f"speech no longer fits the {left / 1000:.1f} s left",
                    )
                )
    ahead += [
        (u.description, lengths[u.description.id]) for u in whole.unspoken if u.description.time_ms >= from_ms
    ]
    ahead.sort(key=lambda item: item[0].time_ms)
    return _place(ahead, gaps, mode, cursor, slots, unspoken)


def _place(
    items: Sequence[Item],
    gaps: Sequence[Gap],
    mode: PauseMode,
    cursor: int,
    slots: list[Slot],
    unspoken: list[Unspoken],
) -> Plan:
    """Place ``items`` (in time order) one after another from ``cursor``."""
    held: Gap | None = None  # the video waits at ``cursor`` for the last slot, in this gap
    for d, length in items:
        if held is not None and d.time_ms <= cursor and mode is not PauseMode.NEVER:
            # The video already waits here: this one is said before it goes on.
            slots.append(Slot(d, cursor, length, held, cursor))
            continue
        at = max(d.time_ms, cursor)
        gap = next((g for g in gaps if g.end_ms - max(at, g.start_ms) >= MIN_ROOM_MS), None)
        if gap is None:
            unspoken.append(Unspoken(d, f"no silence after {format_clock(d.time_ms)} to say it in"))
            continue
        start = max(at, gap.start_ms)
        room = gap.end_ms - GUARD_MS - start
        if mode is PauseMode.ALWAYS:
            slots.append(Slot(d, start, length, gap, start))
            cursor, held = start, gap
        elif length <= room:
            slots.append(Slot(d, start, length, gap))
            cursor, held = start + length, None
        elif mode is PauseMode.WHEN_NEEDED:
            hold = max(start, gap.end_ms - GUARD_MS)
            slots.append(Slot(d, start, length, gap, hold))
            cursor, held = hold, gap
        else:
            unspoken.append(Unspoken(d, misfit(length, room, start)))
    return Plan(tuple(slots), tuple(unspoken))


def misfit(length_ms: int, room_ms: int, at_ms: int) -> str:
    """Why a description does not fit its gap, in words.

    >>> misfit(4200, 1800, 109351)
    '4.2 s of speech does not fit the 1.8 s gap at 1:49'
    """
    return f"{length_ms / 1000:.1f} s of speech does not fit the {room_ms / 1000:.1f} s gap at {format_clock(at_ms)}"
