"""What an item was made from, and fetching a media address to align it.

An output records its inputs (``made_from`` in the sync document) so a later run can tell
whether it is still the output of the same inputs:

* the media: a file's path, size and modification time; an address's ETag, or its
  Last-Modified and size when it has no ETag (an address with neither is aligned again on
  every run: nothing tells that it is the same);
* the article: a hash of the article as read (its sentences, quotes and title), so a change to
  the text file that changes what is aligned is a new input;
* the aligner: clipsync's and pocketsphinx's versions.

Addresses are fetched under the player's rules (:mod:`clipsync.fetch`): http and https only,
a timeout, a web page refused as "not a media stream", every failure in plain words.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import urllib.request
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from clipsync import __version__
from clipsync.align_command import load_article
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import to_json
from clipsync.core.text.article import Article
from clipsync.fetch import USER_AGENT, explain

from .manifest import is_address

#: Seconds a server may stay silent while a media address is checked or fetched.
NETWORK_TIMEOUT_S = 30.0
_CHUNK = 1 << 20


def _aligner_version() -> str:
    try:
        sphinx = version("pocketsphinx")
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        sphinx = "?"
    return f"clipsync {__version__}, pocketsphinx {sphinx}"


ALIGNER = _aligner_version()


class ItemError(Exception):
    """An item that cannot be aligned: ``kind`` groups the reasons in the summary."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def _http_only(url: str) -> None:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ItemError("media", f"{url}: only http:// and https:// addresses can be fetched")


def _request(url: str, method: str) -> http.client.HTTPResponse:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT_S)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise ItemError("network", f"{url}: {explain(exc, url, NETWORK_TIMEOUT_S)}") from None
    assert isinstance(response, http.client.HTTPResponse)
    return response


def media_identity(media: str) -> dict[str, Any]:
    """What tells this media from another version of it (see the module's doc)."""
    if not is_address(media):
        try:
            stat = os.stat(media)
        except FileNotFoundError:
            raise ItemError("media", f"{media}: file not found") from None
        except OSError as exc:
            raise ItemError("media", f"{media}: cannot be read ({exc.strerror or exc})") from None
        return {"file": media, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _http_only(media)
    identity: dict[str, Any] = {"url": media}
    try:
        with _request(media, "HEAD") as response:
            headers = response.headers
    except ItemError as exc:
        if "HTTP 405" in exc.reason or "HTTP 501" in exc.reason:  # no HEAD here: the GET will tell
            return identity
        raise
    if headers.get("ETag"):
        identity["etag"] = headers["ETag"]
    elif headers.get("Last-Modified"):
        identity["last_modified"] = headers["Last-Modified"]
        identity["size"] = headers.get("Content-Length")
    return identity


def knowable(identity: dict[str, Any]) -> bool:
    """Whether two runs can tell that this media is the same (a file, or an address with an
    ETag or a Last-Modified date)."""
    return "file" in identity or "etag" in identity or "last_modified" in identity


def read_article(text: str) -> tuple[Article, str]:
    """The article of a file or an address (as ``clipsync align`` reads it) and its hash."""
    try:
        article = load_article(text, timeout=NETWORK_TIMEOUT_S)
    except InputError as exc:
        raise ItemError("text", str(exc)) from None
    if not article.sentences:
        raise ItemError("text", f"{text}: no article text found")
    digest = hashlib.sha256(json.dumps(to_json(article), sort_keys=True).encode()).hexdigest()
    return article, digest


@dataclass(frozen=True, slots=True)
class MadeFrom:
    """The inputs an output was made from, as recorded in it."""

    media: dict[str, Any]
    text_sha256: str
    aligner: str = ALIGNER

    def to_json(self) -> dict[str, Any]:
        return {"media": self.media, "text_sha256": self.text_sha256, "aligner": self.aligner}

    @property
    def fingerprint(self) -> str:
        """A short hash of all of it (recorded in the report for a failed item)."""
        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()[:16]


def download(url: str, folder: Path) -> Path:
    """Fetch the media at ``url`` into ``folder``; returns the file. Raises :class:`ItemError`
    when it cannot be fetched, is a web page, or arrives short."""
    _http_only(url)
    name = Path(urlsplit(url).path).name or "media"
    target = folder / name
    with _request(url, "GET") as response:
        kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            raise ItemError(
                "media", f"{url}: is a web page ({kind}), not a media stream: give the address of the media"
            )
        declared = response.headers.get("Content-Length")
        got = 0
        try:
            with target.open("wb") as out:
                while chunk := response.read1(_CHUNK):
                    out.write(chunk)
                    got += len(chunk)
        except (OSError, http.client.HTTPException) as exc:
            raise ItemError("network", f"{url}: {explain(exc, url, NETWORK_TIMEOUT_S)}") from None
    if declared and declared.isdigit() and got < int(declared):
        reason = explain(http.client.IncompleteRead(b"x" * got, int(declared) - got), url, NETWORK_TIMEOUT_S)
        raise ItemError("network", f"{url}: {reason}")
    if got == 0:
        raise ItemError("media", f"{url}: is empty (the server sent 0 bytes), not a media stream")
    return target
