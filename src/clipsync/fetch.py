"""Fetching over http and https with the standard library, with plain-words errors.

Everything here blocks: callers run it off the GUI thread (``ui/window/location_commands.py``
for the window's texts, the libVLC backend's probes, the aligner's article address). Each call has a timeout and each download a size limit, and
every failure is a :class:`FetchError` whose text says what went wrong in words a user knows:
host not found, connection refused, timed out, an HTTP status with its meaning, not a media
stream, TLS certificate rejected.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from clipsync import __version__

USER_AGENT = f"clipsync/{__version__}"
#: Text files (sync documents, captions) larger than this are refused.
TEXT_LIMIT = 5 * 1024 * 1024
CHUNK = 64 * 1024

STATUS_MEANINGS = {
    400: "the server did not understand the request",
    401: "the server wants a user name and password",
    403: "the server refuses access to it",
    404: "there is nothing at this address on the server",
    405: "the server does not allow this request",
    408: "the server gave up waiting",
    410: "it has been removed from the server for good",
    416: "the server cannot send that part of the file",
    429: "the server has had too many requests; wait a little and retry",
    500: "the server failed while answering; retry later",
    502: "a gateway in front of the server got a bad answer",
    503: "the server is unavailable for now; retry later",
    504: "a gateway in front of the server got no answer in time",
}


class Failure(StrEnum):
    HOST_NOT_FOUND = "host not found"
    REFUSED = "connection refused"
    TIMED_OUT = "timed out"
    HTTP_STATUS = "HTTP status"
    NOT_MEDIA = "not a media stream"
    TLS = "TLS certificate rejected"
    TOO_LARGE = "too large"
    CLOSED = "connection closed"
    OTHER = "network error"


class FetchError(Exception):
    """A fetch failed; ``str()`` is the reason in plain words."""

    def __init__(self, kind: Failure, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Probe:
    """What the first bytes of a media address say."""

    final_url: str
    status: int
    content_type: str
    #: The whole file's size when the server says it (``None`` for live or unknown).
    size: int | None
    head: bytes

    @property
    def is_playlist(self) -> bool:
        kind = self.content_type
        return "mpegurl" in kind or self.head.lstrip().startswith(b"#EXTM3U")


def describe_status(status: int, reason: str = "") -> str:
    """``HTTP 404 Not Found: there is nothing at this address on the server``."""
    words = reason or http.client.responses.get(status, "")
    meaning = STATUS_MEANINGS.get(status) or (
        "the server failed while answering" if status >= 500 else "the server refused the request"
    )
    return f"HTTP {status} {words}: {meaning}".replace("  ", " ")


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def explain(exc: BaseException, url: str, timeout: float) -> FetchError:
    """The :class:`FetchError` for an exception raised while fetching ``url``."""
    if isinstance(exc, FetchError):
        return exc
    host = _host(url)
    if isinstance(exc, urllib.error.HTTPError):
        return FetchError(Failure.HTTP_STATUS, describe_status(exc.code, exc.reason or ""), status=exc.code)
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or "it could not be verified"
        return FetchError(
            Failure.TLS,
            f"The TLS certificate of {host} was rejected ({detail}): the connection is not safe, so "
            "nothing was loaded.",
        )
    if isinstance(reason, ssl.SSLError):
        return FetchError(
            Failure.TLS, f"The secure connection (TLS) to {host} failed: {reason.reason or reason}."
        )
    if isinstance(reason, socket.gaierror):
        name = urlsplit(url).hostname or host
        return FetchError(Failure.HOST_NOT_FOUND, f"The host {name} was not found (check the address).")
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(
            Failure.REFUSED,
            f"The server at {host} refused the connection: nothing is listening there (it is down, or "
            "the address is wrong).",
        )
    if isinstance(reason, TimeoutError | socket.timeout):
        return FetchError(Failure.TIMED_OUT, f"The server at {host} did not answer within {timeout:g} s.")
    if isinstance(reason, http.client.IncompleteRead):
        got = len(reason.partial)
        return FetchError(
            Failure.CLOSED,
            f"The server at {host} closed the connection before sending everything"
            f" ({got} of {got + (reason.expected or 0)} bytes).",
        )
    if isinstance(reason, ConnectionResetError | http.client.RemoteDisconnected | BrokenPipeError):
        return FetchError(Failure.CLOSED, f"The server at {host} closed the connection without an answer.")
    if isinstance(reason, OSError) and reason.strerror:
        return FetchError(Failure.OTHER, f"Could not reach {host}: {reason.strerror}.")
    return FetchError(Failure.OTHER, f"Could not reach {host}: {reason}.")


def _open(url: str, timeout: float, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    response = urllib.request.urlopen(request, timeout=timeout)
    assert isinstance(response, http.client.HTTPResponse)
    return response


def _check_scheme(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(Failure.OTHER, f"{url} is not an http:// or https:// address.")


def fetch_bytes(url: str, *, timeout: float = 10.0, limit: int = TEXT_LIMIT) -> bytes:
    """The body at ``url``: at most ``limit`` bytes, all of it within ``timeout`` seconds."""
    _check_scheme(url)
    deadline = time.monotonic() + timeout
    try:
        with _open(url, timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _too_large(url, int(declared), limit)
            body = bytearray()
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(
                        Failure.TIMED_OUT,
                        f"{_host(url)} was too slow: the file did not arrive within {timeout:g} s"
                        f" ({len(body)} bytes in that time).",
                    )
                chunk = response.read1(CHUNK)
                if not chunk:
                    break
                body += chunk
                if len(body) > limit:
                    raise _too_large(url, None, limit)
            if declared and declared.isdigit() and len(body) < int(declared):
                raise http.client.IncompleteRead(bytes(body), int(declared) - len(body))
            return bytes(body)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise explain(exc, url, timeout) from None


def _too_large(url: str, size: int | None, limit: int) -> FetchError:
    what = f"{size / 1e6:.1f} MB" if size else "larger"
    return FetchError(
        Failure.TOO_LARGE,
        f"The file at {url} is too large ({what}; the limit for a text file is {limit / 1e6:.0f} MB).",
    )


def probe_media(url: str, *, timeout: float = 10.0) -> Probe:
    """Ask for the first bytes of ``url`` and say whether a media stream is there.

    Raises :class:`FetchError` with the reason when the server cannot be reached, answers with
    an error status, or sends a web page instead of media.
    """
    _check_scheme(url)
    try:
        with _open(url, timeout, {"Range": "bytes=0-8191"}) as response:
            head = response.read(8192)
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            size = _total_size(response)
            probe = Probe(response.geturl(), response.status, kind, size, head)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise explain(exc, url, timeout) from None
    if kind in ("text/html", "application/xhtml+xml") or _looks_like_html(head):
        raise FetchError(
            Failure.NOT_MEDIA,
            f"{url} is a web page ({kind or 'HTML'}), not a media stream: open the address of the video "
            "itself (it often ends in .mp4, .webm or .m3u8).",
        )
    if not head:
        raise FetchError(Failure.NOT_MEDIA, f"{url} is empty (the server sent 0 bytes), not a media stream.")
    return probe


def _total_size(response: http.client.HTTPResponse) -> int | None:
    whole = (response.headers.get("Content-Range") or "").rpartition("/")[2]
    if whole.isdigit():
        return int(whole)
    length = response.headers.get("Content-Length")
    return int(length) if response.status == 200 and length and length.isdigit() else None


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:64].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))
