"""Shared fixtures: headless Qt, dummy audio, fresh settings for every test, the bundled clip."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from media_server import MediaServer, hls_files, make_hls, make_numbered_clip

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from clipsync.ui.window.main_window import MainWindow

# A run started in the background of a script (`cmd &` without job control, nohup) inherits
# SIGINT *ignored*, and so would every process a test starts: the Ctrl+C tests (clipsync align,
# clipsync batch) then see their SIGINT do nothing and the command finish with 0. Tests start
# from Python's own default, as a run in a terminal has it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Before Qt or libVLC load: no display, no sound card.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")

ROOT = Path(__file__).resolve().parents[1]
# The benchmarks' helpers import each other as top-level modules (audio_code): tests that use
# them (test_seek_landing) need their folder on the path, whatever order the tests run in.
sys.path.insert(0, str(ROOT / "benchmarks"))
CLIP_DIR = ROOT / "resources" / "clip"
SEED_ARTICLE = CLIP_DIR / "syria.page.txt"  # the captured web page the article came from


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty settings and cache folders: never the user's real ones."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("CLIPSYNC_CONFIG_DIR", str(folder))
    monkeypatch.setenv("CLIPSYNC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return folder


@pytest.fixture
def clip_media() -> Path:
    return CLIP_DIR / "syria.mp4"


@pytest.fixture
def clip_sync() -> Path:
    return CLIP_DIR / "syria.sync.json"


@pytest.fixture(scope="session")
def net_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """What the test server serves: the bundled clip and its text, an HLS version of its first
    20 s, a copy of its first 30 s with the frame number in the picture and an HLS version of
    that (all made here with ffmpeg, once per run; nothing is downloaded)."""
    work = tmp_path_factory.mktemp("net-media")
    clip = CLIP_DIR / "syria.mp4"
    numbered = make_numbered_clip(clip, work / "numbered.mp4", seconds=30)
    playlist = make_hls(clip, work / "hls", seconds=20)
    numbered_playlist = make_hls(numbered, work / "numbered-hls", seconds=30)
    # The same segments as a live stream: no end, no type (players cannot seek in it).
    live = playlist.with_name("live.m3u8")
    live.write_text(
        "".join(
            line + "\n"
            for line in playlist.read_text().splitlines()
            if line not in ("#EXT-X-ENDLIST", "#EXT-X-PLAYLIST-TYPE:VOD")
        )
    )
    return {
        "syria.mp4": clip,
        "syria.sync.json": CLIP_DIR / "syria.sync.json",
        "syria.vtt": CLIP_DIR / "syria.vtt",
        "syria.es.vtt": CLIP_DIR / "syria.vtt",  # stands in for a Spanish caption track
        "numbered.mp4": numbered,
        "numbered.sync.json": CLIP_DIR / "syria.sync.json",
        **hls_files(playlist),
        "hls/index.sync.json": CLIP_DIR / "syria.sync.json",
        "hls/live.m3u8": live,
        **hls_files(numbered_playlist, prefix="nhls/"),
        "nhls/index.sync.json": CLIP_DIR / "syria.sync.json",
    }


@pytest.fixture
def media_server(net_files: dict[str, Path]) -> Iterator[MediaServer]:
    """A real HTTP server on 127.0.0.1 (a free port) for one test; stopped afterwards."""
    server = MediaServer(net_files)
    yield server
    server.stop()


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    """A shown main window with nothing open (a test file may define its own)."""
    from clipsync.ui.app import create_window  # Qt only once the environment above is set

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    return window
