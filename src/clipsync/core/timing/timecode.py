"""Time codes: every time in clipsync is an ``int`` of milliseconds.

>>> parse("3:37")
217000
>>> parse("1:02:03.5")
3723500
>>> format_clock(217000)
'3:37'
>>> format_precise(3723500)
'1:02:03.500'
"""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^\s*(?:(?:(?P<h>\d+):)?(?P<m>\d+):)?(?P<s>\d+)(?:[.,](?P<frac>\d{1,3}))?\s*$")


def parse(text: str) -> int:
    """Parse ``s``, ``m:ss``, ``h:mm:ss`` with an optional ``.mmm`` (or ``,mmm``) fraction.

    Raises ``ValueError`` with the offending text for anything else (negative times,
    minutes or seconds of 60 and more below an hour or minute field, stray characters).
    """
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(f"not a time code: {text!r} (expected m:ss or h:mm:ss.mmm)")
    hours = int(match["h"] or 0)
    minutes = int(match["m"] or 0)
    seconds = int(match["s"])
    if match["m"] is not None and seconds >= 60:
        raise ValueError(f"not a time code: {text!r} (seconds must be below 60)")
    if match["h"] is not None and minutes >= 60:
        raise ValueError(f"not a time code: {text!r} (minutes must be below 60)")
    frac = match["frac"] or ""
    millis = int(frac.ljust(3, "0")) if frac else 0
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def format_clock(ms: int) -> str:
    """``m:ss`` (or ``h:mm:ss`` from an hour on), truncated to the second, as players show."""
    sign = "-" if ms < 0 else ""
    total = abs(ms) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes}:{seconds:02d}"


def format_precise(ms: int) -> str:
    """``m:ss.mmm`` (or ``h:mm:ss.mmm``): exact to the millisecond."""
    sign = "-" if ms < 0 else ""
    return f"{sign}{format_clock(abs(ms))}.{abs(ms) % 1000:03d}"


def format_vtt(ms: int) -> str:
    """``hh:mm:ss.mmm`` as WebVTT writes it."""
    total, millis = divmod(ms, 1000)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
