"""The ``clipsync`` command: open the app, take a snapshot, or align an article."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clipsync import __version__, bundled
from clipsync.core.location import Location, LocationError, parse_location
from clipsync.core.timing.timecode import parse

VERSION = f"clipsync {__version__}"

DESCRIPTION = """\
clipsync plays a clip and keeps its article and quotes in step with what is being said.

commands:
  clipsync [MEDIA] [--sync FILE] [--start TIME] [--descriptions FILE]
                                                     open the player (the bundled clip without MEDIA)
  clipsync snapshot [MEDIA] [--sync FILE] --at TIME -o FILE.png
                                                     save a picture of the window paused at TIME
  clipsync align MEDIA TEXT [-o OUT]                 align an article (text, web page, address) to a recording
  clipsync batch MANIFEST -o OUTDIR [--workers N | --scheduler ADDRESS | --local-cluster N]
                                                     align an archive (a manifest or a folder) on every core
  clipsync install-desktop [--uninstall]             add clipsync to the desktop's menu (or remove it)

MEDIA is a file or an http:// or https:// address (progressive MP4/WebM or HLS .m3u8); its text
(FILE.sync.json, .vtt or .srt) is looked for beside it, and --sync takes a file or an address.
TIME is s, m:ss or h:mm:ss(.mmm). Run "clipsync COMMAND --help" for a command's options."""


def _time(text: str) -> int:
    try:
        return parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _location(text: str) -> Location:
    try:
        return parse_location(text)
    except LocationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _media_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "media",
        nargs="?",
        type=_location,
        default=None,
        help="media file or http(s) address (default: the bundled clip)",
    )
    parser.add_argument(
        "--sync",
        type=_location,
        metavar="FILE",
        help="text file or address: .sync.json, .vtt or .srt (default: found beside MEDIA)",
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "align":
        from clipsync.align_command import main as align_main

        return align_main(argv[1:])
    if argv and argv[0] == "batch":
        from clipsync.batch import main as batch_main

        return batch_main(argv[1:])
    if argv and argv[0] == "install-desktop":
        from clipsync.desktop_install import main as install_main

        return install_main(argv[1:])
    if argv and argv[0] == "snapshot":
        parser = argparse.ArgumentParser(
            prog="clipsync snapshot",
            description="Save a picture of the window paused at a position, then exit.",
        )
        _media_args(parser)
        parser.add_argument("--at", type=_time, required=True, metavar="TIME", help="position to show")
        parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png")
        parser.add_argument("--version", action="version", version=VERSION)
        args = parser.parse_args(argv[1:])
        # A snapshot needs no screen and no sound: render offscreen unless told otherwise.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")  # a paused picture needs no sound
        from clipsync.ui.app import snapshot

        return snapshot(args.media or Location(path=bundled.clip()), args.sync, args.at, args.output)
    parser = argparse.ArgumentParser(
        prog="clipsync", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _media_args(parser)
    parser.add_argument("--start", type=_time, metavar="TIME", help="start playing at TIME")
    parser.add_argument(
        "--descriptions",
        type=_location,
        metavar="FILE",
        help="described video: a WebVTT description track, file or address (default: MEDIA's "
        "NAME.descriptions.vtt beside it)",
    )
    parser.add_argument("--version", action="version", version=VERSION)
    args = parser.parse_args(argv)
    if not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            "clipsync: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Run it in a desktop session, under xvfb-run, or take a picture with 'clipsync snapshot'.",
            file=sys.stderr,
        )
        return 1
    from clipsync.ui.app import run

    return run(args.media or Location(path=bundled.clip()), args.sync, args.start, args.descriptions)
