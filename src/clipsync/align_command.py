"""``clipsync align MEDIA TEXT [-o OUT]``: time an article to a recording, offline.

TEXT is a plain-text or Markdown article, a saved web page (HTML: its article is taken out of
the page by :mod:`clipsync.core.text.webpage`), or the http(s) address of the article's page
(fetched once, with a timeout and a size limit, and read as HTML or as plain text).

Writes the sync document (default: beside the media, ``<stem>.sync.json``) and a WebVTT
beside it, then says how many sentences need a person's review. Progress and time left go to
stderr. Ctrl+C stops cleanly: exit code 130 and no output file (each file is written to a
temporary name and renamed only when complete).
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from clipsync import __version__
from clipsync.core.alignment import AlignmentCancelled, AlignmentResult, align_article
from clipsync.core.errors import InputError
from clipsync.core.files import read_bytes
from clipsync.core.formats.subtitles import write_vtt
from clipsync.core.formats.syncdoc import save_sync, sync_path_for
from clipsync.core.text.article import Article
from clipsync.core.text.review import REVIEW_BELOW, needs_review
from clipsync.core.text.textparse import parse_article, parse_article_file
from clipsync.core.text.webpage import article_text_from_html, is_html
from clipsync.fetch import FetchError, fetch_bytes

#: Seconds an article's page may take to arrive, as for a text at an address in the player.
ADDRESS_TIMEOUT_S = 10.0
#: The suffixes of a saved web page (any file that starts like HTML is one too).
HTML_SUFFIXES = (".html", ".htm")
#: At most this many sentence ids are listed in the review summary.
REVIEW_LIST_MAX = 10
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class AddressError(InputError):
    """An article's address that gave no article; ``str()`` reads ``ADDRESS: reason``."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url  # before InputError's __init__, which formats the message
        super().__init__(None, reason)

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"


def is_address(text: str) -> bool:
    """True when ``text`` is an address (``http://...``, ``https://...``, or another scheme,
    which is then refused with a reason) rather than a file name."""
    return _SCHEME.match(text.strip()) is not None


def load_article(source: str | Path, *, timeout: float | None = None) -> Article:
    """The article in ``source``: a plain-text or Markdown file, a saved web page (HTML, by its
    ``.html``/``.htm`` suffix or its first bytes), or the http(s) address of the article's page.

    Raises :class:`InputError` naming the file or address and the reason (an :class:`AddressError`
    for an address: it cannot be fetched, or it holds no article).
    """
    if isinstance(source, str) and is_address(source):
        return article_from_address(source.strip(), timeout=timeout)
    return article_from_file(Path(source))


def article_from_file(path: Path) -> Article:
    """The article of a plain-text/Markdown file or of a saved web page."""
    data = read_bytes(path)
    if path.suffix.lower() not in HTML_SUFFIXES and not is_html(data[:1024]):
        return parse_article_file(path)
    article = parse_article(article_text_from_html(data, source=str(path)), source=path.name)
    if not article.sentences:
        raise InputError(path, "no article text found in the web page")
    return article


def article_from_address(url: str, *, timeout: float | None = None) -> Article:
    """The article of the page at ``url`` (http or https only), fetched with ``timeout``
    (default :data:`ADDRESS_TIMEOUT_S`) and the size limit of a text file; read as a web page
    when it is HTML, else as plain text (UTF-8)."""
    wait = ADDRESS_TIMEOUT_S if timeout is None else timeout
    try:
        data = fetch_bytes(url, timeout=wait)
    except FetchError as exc:
        raise AddressError(url, f"the page could not be fetched: {exc}") from None
    if not data.strip():
        raise AddressError(url, "the page is empty (the server sent no text)")
    if is_html(data) or urlsplit(url).path.lower().endswith(HTML_SUFFIXES):
        try:
            text = article_text_from_html(data, source=url)
        except InputError as exc:
            raise AddressError(url, exc.reason) from None
        what = "in the web page"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AddressError(
                url, "this is neither a web page nor UTF-8 text (give the address of the article's page)"
            ) from None
        what = "at this address"
    article = parse_article(text, source=url)
    if not article.sentences:
        raise AddressError(url, f"no article text found {what}")
    return article


def review_summary(article: Article, *, limit: int = REVIEW_LIST_MAX) -> str:
    """One line on the sentences of an aligned ``article`` that need a person's review, e.g.
    ``3 sentences need review (confidence below 0.5): s4, s7, s12``; at most ``limit`` ids.

    >>> from clipsync.core.text.textparse import parse_article
    >>> review_summary(parse_article("Title here\\n\\nIt rained. It stopped."))
    'No sentence needs review (the aligner gave no confidences)'
    """
    flagged = [s.id for s in needs_review(article, REVIEW_BELOW)]
    if not flagged:
        known = any(s.timed and s.confidence is not None for s in article.sentences)
        return "No sentence needs review" + ("" if known else " (the aligner gave no confidences)")
    shown = ", ".join(flagged[:limit])
    if len(flagged) > limit:
        shown += f" and {len(flagged) - limit} more"
    count = "1 sentence needs" if len(flagged) == 1 else f"{len(flagged)} sentences need"
    return f"{count} review (confidence below {REVIEW_BELOW:g}): {shown}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clipsync align",
        description="Align an article (plain text, Markdown, a saved web page or the address of its "
        "page) to the speech in a recording, offline, and write a clipsync sync document and a "
        "WebVTT file.",
    )
    parser.add_argument("media", type=Path, help="audio or video file (anything ffmpeg can read)")
    parser.add_argument(
        "text",
        help="the article: a plain-text or Markdown file (headline first), a saved web page "
        "(.html, .htm), or the http:// or https:// address of the article's page",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="sync document to write (default: MEDIA's folder and name, .sync.json); "
        "the WebVTT goes beside it",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--version", action="version", version=f"clipsync {__version__}")
    return parser


def vtt_path_for(sync_path: Path) -> Path:
    """The WebVTT written beside a sync document: ``clip.sync.json`` -> ``clip.vtt``."""
    name = sync_path.name
    stem = name[: -len(".sync.json")] if name.endswith(".sync.json") else sync_path.stem
    return sync_path.with_name(stem + ".vtt")


def save_result(result: AlignmentResult, media: Path, out: Path) -> tuple[Path, Path]:
    """Write the sync document and its WebVTT; both are atomic. Returns their paths."""
    article = result.article
    if article.media_file is None:
        article = replace(article, media_file=media.name)
    vtt = vtt_path_for(out)
    save_sync(article, out)
    try:
        write_vtt(article, vtt)
    except BaseException:
        out.unlink(missing_ok=True)  # all or nothing
        raise
    return out, vtt


class ProgressBar:
    """A one-line text progress bar with percentage and time left, redrawn at most 10 times/s.

    When the stream is not a terminal (a log file, CI), it writes a plain line every 10 s instead.
    """

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._last = 0.0
        self._tty = stream.isatty()
        self._interval = 0.1 if self._tty else 10.0

    def __call__(self, fraction: float, eta_s: float | None) -> None:
        now = time.monotonic()
        if now - self._last < self._interval and fraction < 1.0:
            return
        self._last = now
        filled = round(self.width * fraction)
        left = "--:--" if eta_s is None else f"{int(eta_s) // 60:02d}:{int(eta_s) % 60:02d}"
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"aligning [{bar}] {fraction * 100:5.1f}%  time left {left}"
        self.stream.write(f"\r{line} " if self._tty else f"{line}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()


def main(argv: list[str]) -> int:
    """Run ``clipsync align``; returns the exit code (0 ok, 1 bad input, 130 interrupted)."""
    args = _parser().parse_args(argv)
    media: Path = args.media
    out: Path = args.output or sync_path_for(media)
    err = sys.stderr
    bar = None if args.quiet else ProgressBar(err)
    cancel = threading.Event()
    try:
        if is_address(args.text) and not args.quiet:
            print(f"fetching {args.text.strip()}", file=err)
        article = load_article(args.text)
        # The work runs in a thread so Ctrl+C reaches this one at once and sets the flag.
        box: dict[str, object] = {}

        def work() -> None:
            try:
                box["result"] = align_article(media, article, progress=bar, cancel=cancel)
            except BaseException as exc:
                box["error"] = exc

        worker = threading.Thread(target=work, name="clipsync-align", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
        except KeyboardInterrupt:
            cancel.set()
            worker.join()
            raise
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        result = box["result"]
        assert isinstance(result, AlignmentResult)
        if bar is not None:
            bar.finish()
        sync_file, vtt_file = save_result(result, media, out)
    except KeyboardInterrupt:
        if bar is not None:
            bar.finish()
        print("clipsync align: interrupted; nothing was written", file=err)
        return 130
    except AlignmentCancelled:
        print("clipsync align: cancelled; nothing was written", file=err)
        return 130
    except InputError as exc:
        if bar is not None:
            bar.finish()
        print(f"clipsync align: {exc}", file=err)
        return 1
    stats = result.stats
    print(
        f"aligned {stats.sentences_aligned} of {stats.sentences} sentences in {stats.work_s:.1f} s "
        f"({stats.real_time_factor:.3f} s per second of media)",
        file=err,
    )
    if result.unaligned:
        print(f"not found in the recording: {', '.join(result.unaligned)}", file=err)
    print(review_summary(result.article), file=err)
    print(f"wrote {sync_file}\nwrote {vtt_file}", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
