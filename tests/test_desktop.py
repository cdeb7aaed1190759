"""The desktop knows clipsync: icon, desktop entry, AppStream metainfo and install-desktop."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

from clipsync import bundled
from clipsync.desktop_install import data_home, entry_text, install, installed_files, uninstall

ROOT = Path(__file__).resolve().parents[1]
VIDEO_AND_AUDIO = {"video/mp4", "video/x-matroska", "video/webm", "audio/mpeg", "audio/ogg", "audio/flac"}


def validator(name: str) -> str:
    """A desktop tool's path; scripts/setup.sh installs them (desktop-file-utils, appstream)."""
    path = shutil.which(name)
    assert path, f"{name} is not installed: run scripts/setup.sh (Debian: desktop-file-utils, appstream)"
    return path


def validate_entry(path: Path) -> None:
    result = subprocess.run(
        [validator("desktop-file-validate"), str(path)], capture_output=True, text=True, timeout=30
    )
    # It prints errors, warnings and hints; a clean entry prints nothing.
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def run_command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clipsync", *args], capture_output=True, text=True, timeout=60, env=env
    )


# The bundled files ---------------------------------------------------------------------


def test_desktop_entry_is_valid() -> None:
    """desktop-file-validate finds nothing to say about the entry."""
    validate_entry(bundled.desktop_entry())


def test_desktop_entry_opens_media_with_clipsync() -> None:
    """Exec takes one file, the icon is clipsync's, and video and audio types are offered."""
    entry = read_entry(bundled.desktop_entry())
    assert entry["Exec"] == "clipsync %f"
    assert entry["Icon"] == bundled.APP_ID
    assert bundled.desktop_entry().name == f"{bundled.APP_ID}.desktop"
    mime = set(entry["MimeType"].rstrip(";").split(";"))
    assert mime >= VIDEO_AND_AUDIO
    assert all(t.startswith(("video/", "audio/")) for t in mime)


def test_metainfo_is_valid() -> None:
    """appstreamcli validates the metainfo (offline, pedantic) and it launches the entry."""
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", "--pedantic", str(bundled.metainfo())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = bundled.metainfo().read_text(encoding="utf-8")
    assert f"<id>{bundled.APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{bundled.APP_ID}.desktop</launchable>' in text


def test_metainfo_validator_catches_a_broken_file(tmp_path: Path) -> None:
    """The validator really checks: a metainfo without a summary fails."""
    broken = tmp_path / f"{bundled.APP_ID}.metainfo.xml"
    text = bundled.metainfo().read_text(encoding="utf-8")
    broken.write_text(text.replace("<summary>", "<!--").replace("</summary>", "-->"), encoding="utf-8")
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", str(broken)], capture_output=True, timeout=60
    )
    assert result.returncode != 0


def load_render_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_icons", ROOT / "scripts" / "render_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("size", bundled.ICON_SIZES)
def test_icon_pngs_are_the_svg_rendered(qapp: object, size: int) -> None:
    """Each committed PNG is the SVG at its size (re-run scripts/render_icons.py after editing it)."""
    png = QImage(str(bundled.icon_png(size))).convertToFormat(QImage.Format.Format_ARGB32)
    assert (png.width(), png.height()) == (size, size)
    assert png.pixelColor(0, 0).alpha() == 0, "the corners are transparent"
    assert png.pixelColor(size // 2, size // 2).alpha() == 255
    fresh = load_render_icons().render(bundled.icon_svg(), size)
    differences = [
        abs(png.pixelColor(x, y).rgba64().red8() - fresh.pixelColor(x, y).rgba64().red8())
        + abs(png.pixelColor(x, y).alpha() - fresh.pixelColor(x, y).alpha())
        for y in range(size)
        for x in range(size)
    ]
    assert sum(differences) / len(differences) < 2.0


def test_application_and_window_have_the_icon(qapp: object) -> None:
    """The application's icon holds every PNG size; the main window shows it."""
    from clipsync.media.fake_players import FakePlayer
    from clipsync.ui.app import application, create_window

    app = application()
    sizes = {(s.width(), s.height()) for s in app.windowIcon().availableSizes()}
    assert {(n, n) for n in bundled.ICON_SIZES} <= sizes
    assert app.desktopFileName() == bundled.APP_ID
    window = create_window(FakePlayer())
    try:
        assert not window.windowIcon().isNull()
        assert window.windowIcon().cacheKey() == app.windowIcon().cacheKey()
    finally:
        window.close()


# install-desktop -------------------------------------------------------------------------


def test_data_home_follows_xdg() -> None:
    """XDG_DATA_HOME when absolute; ~/.local/share when unset, empty or relative."""
    assert data_home({"XDG_DATA_HOME": "/x/share", "HOME": "/h"}) == Path("/x/share")
    assert data_home({"HOME": "/h"}) == Path("/h/.local/share")
    assert data_home({"XDG_DATA_HOME": "", "HOME": "/h"}) == Path("/h/.local/share")
    assert data_home({"XDG_DATA_HOME": "rel/share", "HOME": "/h"}) == Path("/h/.local/share")


def test_install_desktop_and_uninstall(tmp_path: Path) -> None:
    """`clipsync install-desktop` writes a valid entry and the icons; --uninstall removes them."""
    share = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(share), HOME=str(tmp_path / "home"))
    result = run_command("install-desktop", env=env)
    assert result.returncode == 0, result.stderr
    files = installed_files(share)
    for path in files:
        assert path.is_file(), path
        assert f"installed {path}" in result.stdout
    assert not (tmp_path / "home").exists(), "nothing goes to ~/.local/share when XDG_DATA_HOME is set"
    entry_path = share / "applications" / f"{bundled.APP_ID}.desktop"
    validate_entry(entry_path)
    entry = read_entry(entry_path)
    command = entry["Exec"].removesuffix(" %f")
    assert Path(command).is_absolute() and os.access(command, os.X_OK), command
    assert entry["TryExec"] == command
    # The entry's command really is this clipsync.
    version = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("clipsync ")
    for size in bundled.ICON_SIZES:
        icon = QImage(str(share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{bundled.APP_ID}.png"))
        assert (icon.width(), icon.height()) == (size, size)
    validator("update-desktop-database")  # install-desktop refreshes the "Open with" cache with it
    cache = (share / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")
    assert f"video/mp4={bundled.APP_ID}.desktop;" in cache

    result = run_command("install-desktop", "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in files)
    assert result.stdout.count("removed ") == len(files)
    assert bundled.APP_ID not in (share / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")

    again = run_command("install-desktop", "--uninstall", env=env)
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_install_desktop_defaults_to_home(tmp_path: Path) -> None:
    """Without XDG_DATA_HOME the files go to ~/.local/share."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env["HOME"] = str(tmp_path)
    assert run_command("install-desktop", env=env).returncode == 0
    assert (tmp_path / ".local" / "share" / "applications" / f"{bundled.APP_ID}.desktop").is_file()
    assert run_command("install-desktop", "--uninstall", env=env).returncode == 0
    assert not (tmp_path / ".local" / "share" / "applications" / f"{bundled.APP_ID}.desktop").exists()


def test_entry_for_a_command_with_spaces_and_quotes_is_valid(tmp_path: Path) -> None:
    """A launcher path with spaces, quotes, $ and a backslash is quoted as the specification says."""
    share = tmp_path / "share"
    command = ['/opt/my apps/it\'s "clip$ync"\\bin/clipsync']
    install(share, command)
    entry_path = share / "applications" / f"{bundled.APP_ID}.desktop"
    validate_entry(entry_path)
    exec_line = next(line for line in entry_path.read_text().splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/opt/my apps/it\'s \\\\"clip\\\\$ync\\\\"\\\\\\\\bin/clipsync" %f'
    assert entry_text(["/usr/bin/clipsync"]).count("Exec=/usr/bin/clipsync %f") == 1
    assert len(uninstall(share)) == len(installed_files(share))


def test_install_desktop_reports_an_unwritable_place(tmp_path: Path) -> None:
    """A data folder that cannot be written gives a clear message and exit code 1, no traceback."""
    blocker = tmp_path / "share"
    blocker.write_text("a file where the folder should be")
    env = dict(os.environ, XDG_DATA_HOME=str(blocker))
    result = run_command("install-desktop", env=env)
    assert result.returncode == 1
    assert f"could not write under {blocker}" in result.stderr
    assert "Traceback" not in result.stderr
