"""The clipsync command: help, time options, and snapshots of the window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from clipsync import __version__, bundled
from clipsync.cli import main


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLIPSYNC_AUDIO_OUTPUT="adummy")
    return subprocess.run(
        [sys.executable, "-m", "clipsync", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_help_lists_commands_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names the three commands and the options of the player."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for text in (
        "clipsync snapshot",
        "clipsync align",
        "clipsync install-desktop",
        "--sync",
        "--start",
        "MEDIA",
    ):
        assert text in out


def test_bad_start_time_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """--start with a malformed time exits with a usage error that names the value."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--start", "1:99"])
    assert exit_info.value.code == 2
    assert "1:99" in capsys.readouterr().err


def test_bundled_clip_is_the_default() -> None:
    """Without MEDIA the bundled clip opens, with its sync document beside it."""
    clip = bundled.clip()
    assert clip.name == "syria.mp4" and clip.is_file()
    assert clip.with_name("syria.sync.json").is_file()


@pytest.mark.parametrize("command", [[], ["snapshot"], ["align"], ["install-desktop"]])
def test_version_of_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package's version and exits 0, after any command too."""
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"clipsync {__version__}"


def test_version_from_the_command_line() -> None:
    """`python -m clipsync --version` works in a fresh process and matches the installed metadata."""
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"clipsync {version('clipsync')}" == f"clipsync {__version__}"


@pytest.mark.slow
def test_snapshot_renders_the_window_at_a_position(tmp_path: Path) -> None:
    """`clipsync snapshot --at` writes a PNG of the window and exits 0."""
    out = tmp_path / "shot.png"
    result = run_cli("snapshot", "--at", "1:30", "-o", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600


@pytest.mark.slow
def test_snapshot_shows_the_picture_of_its_position(tmp_path: Path) -> None:
    """At 2:16.8 the bundled clip shows Samantha Power's lower third and at 1:30 John Kirby's
    (a near-black box where the title card the clip starts with is white): three snapshots of
    each in a row, as a seek libVLC lost while starting or paused left the title card."""
    for n in range(3):
        for at in ("2:16.8", "1:30"):
            out = tmp_path / f"shot{n}-{at}.png"
            result = run_cli("snapshot", "--at", at, "-o", str(out))
            assert result.returncode == 0, (n, at, result.stderr)
            image = QImage(str(out))
            assert (image.width(), image.height()) == (1280, 760)
            box = image.pixelColor(100, 330)  # inside the lower third's box
            assert max(box.red(), box.green(), box.blue()) < 40, (n, at, box.name())


@pytest.mark.slow
def test_snapshot_of_bad_media_fails_with_the_error_state(tmp_path: Path) -> None:
    """A non-media file gives the window in its error state and a non-zero exit."""
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    out = tmp_path / "shot.png"
    result = run_cli("snapshot", str(bad), "--at", "0:05", "-o", str(out))
    assert result.returncode == 1
    assert "notes.mp4" in result.stderr
    assert out.is_file()
