"""Where a media or text comes from: a local file or an ``http``/``https`` address.

What the user types (on the command line, in File > Open location…) is parsed here, once, and
anything that is neither a local file nor a web address is refused with a sentence that says
why. Pure: nothing here touches the network or the disk.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

SCHEMES = ("http", "https")
#: A scheme as RFC 3986 spells it; one letter is a Windows drive ("C:\\clips"), not a scheme.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


class LocationError(ValueError):
    """The text is not a location clipsync can open; ``str()`` says why, in plain words."""


@dataclass(frozen=True)
class Location:
    """A local file (``path``) or a web address (``url``); exactly one is set."""

    path: Path | None = None
    url: str | None = None

    @property
    def is_url(self) -> bool:
        return self.url is not None

    @property
    def name(self) -> str:
        """The file name, for titles and messages: ``syria.mp4`` for both kinds."""
        if self.path is not None:
            return self.path.name
        return url_name(self.url or "") or (urlsplit(self.url or "").hostname or "")

    @property
    def key(self) -> str:
        """A stable text for this location (settings keys, recent lists)."""
        return self.url if self.url is not None else str(self.path)

    def __str__(self) -> str:
        return self.key


def parse_location(text: str) -> Location:
    """``text`` as a :class:`Location`; raises :class:`LocationError` with the reason.

    >>> parse_location("http://127.0.0.1:8765/syria.mp4").url
    'http://127.0.0.1:8765/syria.mp4'
    >>> parse_location("clips/talk.mp4").path
    PosixPath('clips/talk.mp4')
    >>> parse_location("ftp://example.org/a.mp4")
    Traceback (most recent call last):
    ...
    clipsync.core.location.LocationError: "ftp://example.org/a.mp4" uses ftp:, which clipsync does not open: it opens http:// and https:// addresses and local files.
    """
    text = text.strip()
    if not text:
        raise LocationError("No location given: type a web address (http:// or https://) or a file path.")
    match = _SCHEME.match(text)
    if match is None:
        return Location(path=Path(text).expanduser())
    scheme = match.group(1).lower()
    if scheme == "file":
        return Location(path=_file_url_path(text))
    if scheme not in SCHEMES:
        raise LocationError(
            f'"{_shorten(text)}" uses {scheme}:, which clipsync does not open: it opens http:// and '
            "https:// addresses and local files."
        )
    return Location(url=_check_web_url(text, scheme))


def _check_web_url(text: str, scheme: str) -> str:
    if any(ch.isspace() for ch in text):
        # A pasted address with spaces: they belong to the path (browsers send them as %20).
        parts = urlsplit(text)
        text = urlunsplit(parts._replace(path=quote(parts.path, safe="/%:@!$&'()*+,;=~")))
    parts = urlsplit(text)
    if not parts.netloc or not parts.hostname:
        raise LocationError(
            f'"{_shorten(text)}" has no host name (it should look like {scheme}://host/file).'
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise LocationError(f'"{_shorten(text)}" has an invalid port number.') from None
    # The scheme and host are case-insensitive; normalise them so one media has one key.
    netloc = parts.netloc.rsplit("@", 1)
    netloc[-1] = netloc[-1].lower()
    return urlunsplit((scheme, "@".join(netloc), parts.path or "/", parts.query, ""))


def _file_url_path(text: str) -> Path:
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        raise LocationError(
            f'"{_shorten(text)}" is a file on another computer ({parts.netloc}): '
            "clipsync opens local files and http:// or https:// addresses."
        )
    if not parts.path:
        raise LocationError(f'"{_shorten(text)}" names no file.')
    return Path(unquote(parts.path))


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def url_name(url: str) -> str:
    """The last segment of the address's path, decoded (``syria.mp4``); ``""`` for ``/``."""
    return unquote(posixpath.basename(urlsplit(url).path))


def sibling_url(url: str, name: str) -> str:
    """The address of ``name`` in the same folder as ``url`` (no query, no fragment).

    >>> sibling_url("https://example.org/clips/syria.mp4?token=1", "syria.sync.json")
    'https://example.org/clips/syria.sync.json'
    """
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/{quote(name)}", "", ""))


def url_stem(url: str) -> str:
    """The media's name without its extension: ``syria`` for ``…/syria.mp4``."""
    name = url_name(url)
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


def is_hls(url: str) -> bool:
    """An HLS playlist (``.m3u8``), by its address.

    >>> is_hls("http://127.0.0.1:8765/hls/index.m3u8?x=1"), is_hls("http://host/a.mp4")
    (True, False)
    """
    return urlsplit(url).path.lower().endswith(".m3u8")
