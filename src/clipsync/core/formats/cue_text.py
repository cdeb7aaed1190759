"""WebVTT cue text, in and out: voice spans and karaoke time stamps around plain text.

A cue's text is escaped plain text with two kinds of tags that WebVTT defines:

* ``<v John Kirby>inconsistent,</v>``: who says these words (a quote part);
* ``<00:01:11.821>``: a time stamp, the "karaoke" form. The text after it is said from that
  time on, so a stamp before each word gives the words' start times. WebVTT has no word end:
  read back, a word lasts until the next one starts (the last one until the cue ends).

Everything else (``<b>``, ``<c.class>``, ruby...) is dropped on reading: only plain text is
ever shown.
"""

from __future__ import annotations

import html
import re

from clipsync.core.timing.timecode import format_vtt, parse

Voice = tuple[int, int, str]  # char_start, char_end, speaker name
Stamp = tuple[int, int]  # char where a word starts, its time in ms


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cue_markup(
    text: str, voices: tuple[Voice, ...] = (), stamps: tuple[Stamp, ...] = (), start_ms: int = 0
) -> str:
    """The WebVTT cue text: escaped ``text`` with voice spans and a time stamp before each
    word of ``stamps`` said after ``start_ms`` (the cue's start; a stamp must be later)."""
    events: list[tuple[int, int, str]] = []  # (char, order at that char, tag)
    for start, end, name in voices:
        events.append((start, 1, f"<v {escape(name)}>"))
        events.append((end, 0, "</v>"))
    for char, ms in stamps:
        if ms > start_ms:
            events.append((char, 2, f"<{format_vtt(ms)}>"))
    out, pos = [], 0
    for char, _, tag in sorted(events):
        out.append(escape(text[pos:char]))
        out.append(tag)
        pos = char
    out.append(escape(text[pos:]))
    # A cue's text may not contain a blank line or "-->"; sentences never do, but be safe.
    return re.sub(r"\n\s*\n", "\n", "".join(out)).replace("-->", "--&gt;")


_TAG = re.compile(r"<(/?)([^>\s.]*)(?:\.[^>\s]*)?(?:\s+([^>]*))?>")
_STAMP = re.compile(r"(?:\d+:)?\d{2}:\d{2}\.\d{3}")


def parse_cue_markup(raw: str) -> tuple[str, tuple[Voice, ...], tuple[Stamp, ...]]:
    """Plain text, voice ranges and karaoke time stamps (char, ms) from WebVTT cue text."""
    text: list[str] = []
    length = 0
    voices = []
    stamps = []
    open_voice: tuple[int, str] | None = None
    pos = 0
    for match in _TAG.finditer(raw):
        chunk = html.unescape(raw[pos : match.start()])
        text.append(chunk)
        length += len(chunk)
        closing, name, annotation = match.groups()
        inner = match.group(0)[1:-1]
        if _STAMP.fullmatch(inner):
            stamps.append((length, parse(inner)))
        elif name == "v":
            if open_voice is not None:
                voices.append((open_voice[0], length, open_voice[1]))
                open_voice = None
            if not closing:
                open_voice = (length, (annotation or "").strip())
        pos = match.end()
    chunk = html.unescape(raw[pos:])
    text.append(chunk)
    length += len(chunk)
    if open_voice is not None:  # a voice span may run to the end of the cue without </v>
        voices.append((open_voice[0], length, open_voice[1]))
    return "".join(text), tuple((s, e, n) for s, e, n in voices if e > s), tuple(stamps)
