"""``clipsync align MEDIA TEXT [-o OUT]``: time an article to a recording, offline.

Writes the sync document (default: beside the media, ``<stem>.sync.json``) and a WebVTT
beside it. Progress and time left go to stderr. Ctrl+C stops cleanly: exit code 130 and no
output file (each file is written to a temporary name and renamed only when complete).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from clipsync import __version__
from clipsync.core.alignment import AlignmentCancelled, AlignmentResult, align_article
from clipsync.core.errors import InputError
from clipsync.core.formats.subtitles import write_vtt
from clipsync.core.formats.syncdoc import save_sync, sync_path_for
from clipsync.core.text.textparse import parse_article_file


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clipsync align",
        description="Align a plain-text or Markdown article to the speech in a recording, offline, "
        "and write a clipsync sync document and a WebVTT file.",
    )
    parser.add_argument("media", type=Path, help="audio or video file (anything ffmpeg can read)")
    parser.add_argument("text", type=Path, help="the article: plain text or Markdown, headline first")
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
        article = parse_article_file(args.text)
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
    print(f"wrote {sync_file}\nwrote {vtt_file}", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
