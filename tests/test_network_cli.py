"""The clipsync command with addresses: play one, take a snapshot of one, refuse other schemes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from clipsync.cli import main
from clipsync.ui.app import create_window
from clipsync.ui.player.controller import State
from media_server import MediaServer
from network_window import wait_state

pytestmark = pytest.mark.slow


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLIPSYNC_AUDIO_OUTPUT="adummy")
    return subprocess.run(
        [sys.executable, "-m", "clipsync", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_snapshot_of_an_address(media_server: MediaServer, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run_cli("snapshot", media_server.url("good", "syria.mp4"), "--at", "1:30", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() >= 1000
    # The text was fetched from beside the media on the same server.
    assert media_server.requested("good", "syria.sync.json")


def test_snapshot_of_a_failing_address_says_why(media_server: MediaServer, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run_cli("snapshot", media_server.url("good", "missing.mp4"), "--at", "0:05", "-o", str(out))
    assert result.returncode == 1
    assert "HTTP 404 Not Found: there is nothing at this address on the server" in result.stderr


def test_other_schemes_are_refused_by_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ftp://127.0.0.1/syria.mp4"])
    assert exit_info.value.code == 2
    assert '"ftp://127.0.0.1/syria.mp4" uses ftp:' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "http:// or https:// address" in capsys.readouterr().out


def test_a_live_stream_cannot_be_seeked(qtbot: QtBot, media_server: MediaServer) -> None:
    """HLS without an end (live): it plays, and the timeline is disabled."""
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    window.open_location(media_server.url("good", "hls/live.m3u8"))
    wait_state(qtbot, window, State.PLAYING)
    qtbot.wait(500)
    assert not window.controller.seekable
    assert not window.timeline.slider.isEnabled()
