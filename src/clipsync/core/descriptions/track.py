"""Reading a WebVTT description track (``NAME.descriptions.vtt`` beside the media).

Each cue is one description: its start is the description's time, its text what is said (tags
dropped, entities decoded: plain text). The cue's end is not used: how long a description takes
is known once it is rendered to speech (:mod:`clipsync.core.descriptions.voice`). Cues without an
identifier get ``d1``, ``d2``... A malformed track raises :class:`InputError` naming the line.
The cues themselves are parsed by webvtt-py; the checks here only find the line to name.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

from clipsync.core.descriptions.model import Description, in_time_order
from clipsync.core.errors import InputError
from clipsync.core.files import read_text
from clipsync.core.location import sibling_url, url_name
from clipsync.core.timing.timecode import format_vtt, parse

SUFFIX = ".descriptions.vtt"

_TIMING = re.compile(r"^\s*((?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}\.\d{3})(\s.*)?$")


def track_name(media_name: str) -> str:
    """The description track's file name for a media.

    >>> track_name("syria.mp4"), track_name("Interview 3.final.webm")
    ('syria.descriptions.vtt', 'Interview 3.final.descriptions.vtt')
    """
    return PurePosixPath(media_name).stem + SUFFIX


def track_path_for(media: Path) -> Path:
    """Where the description track of a media file lies: beside it (see :func:`track_name`)."""
    return media.with_name(track_name(media.name))


def track_url_for(media_url: str) -> str:
    """The address of the description track of the media at ``media_url``.

    >>> track_url_for("http://127.0.0.1:8765/news/syria.mp4?t=1")
    'http://127.0.0.1:8765/news/syria.descriptions.vtt'
    """
    return sibling_url(media_url, track_name(url_name(media_url) or "index"))


def read_track(path: Path) -> tuple[Description, ...]:
    """The descriptions of the WebVTT file at ``path`` (:class:`InputError` when it is bad)."""
    return parse_track(read_text(path), path)


def parse_track(text: str, source: str | Path | None = None) -> tuple[Description, ...]:
    """The descriptions of a WebVTT text; ``source`` names it in errors (a file or an address).

    >>> [(d.id, d.time_ms, d.text) for d in parse_track("WEBVTT\\n\\n00:01.500 --> 00:04.000\\nA <b>map</b> &amp; a flag.\\n")]
    [('d1', 1500, 'A map & a flag.')]
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not re.match(r"WEBVTT(\s|$)", lines[0]):
        raise InputError(source, "not a WebVTT file: the first line must be WEBVTT", 1)
    timing_lines = []
    for number, line in enumerate(lines, 1):
        if "-->" in line:
            match = _TIMING.match(line)
            if match is None:
                raise InputError(
                    source, "malformed WebVTT: not a valid cue timing (hh:mm:ss.mmm --> hh:mm:ss.mmm)", number
                )
            start, end = parse(match.group(1)), parse(match.group(2))
            if end <= start:
                raise InputError(source, "a cue ends before it starts", number)
            timing_lines.append(number)
    if not timing_lines:
        raise InputError(
            source, "no description cues found (each needs a timing line: hh:mm:ss.mmm --> hh:mm:ss.mmm)", 1
        )
    import webvtt  # imported on use: it costs start-up time

    try:
        captions = webvtt.from_string(text.lstrip("\ufeff")).captions
    except Exception as exc:  # webvtt-py raises several types; all mean "malformed"
        raise InputError(source, f"malformed WebVTT: {exc}") from None
    if len(captions) != len(timing_lines):
        raise InputError(
            source, f"malformed WebVTT: {len(timing_lines)} cue timings but {len(captions)} cues"
        )
    descriptions = []
    seen: set[str] = set()
    for i, (caption, at_line) in enumerate(zip(captions, timing_lines, strict=True)):
        said = " ".join(html.unescape(caption.text).split())
        if not said:
            raise InputError(source, f"description cue {i + 1} has no text", at_line)
        identifier = (caption.identifier or "").strip() or f"d{i + 1}"
        if identifier in seen:
            raise InputError(source, f"two description cues have the identifier {identifier!r}", at_line)
        seen.add(identifier)
        descriptions.append(Description(identifier, parse(caption.start), said))
    return in_time_order(descriptions)


def track_text(descriptions: tuple[Description, ...], length_ms: dict[str, int] | None = None) -> str:
    """``descriptions`` as a WebVTT description track; each cue lasts its spoken length when
    known (``length_ms`` by id), else 2 s.

    >>> print(track_text((Description("d1", 1500, "A map & a flag."),)), end="")
    WEBVTT
    <BLANKLINE>
    d1
    00:00:01.500 --> 00:00:03.500
    A map &amp; a flag.
    """
    out = ["WEBVTT", ""]
    for d in descriptions:
        end = d.time_ms + max(1, (length_ms or {}).get(d.id, 2000))
        text = d.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out += [d.id, f"{format_vtt(d.time_ms)} --> {format_vtt(end)}", text, ""]
    return "\n".join(out[:-1]) + "\n"
