"""``clipsync install-desktop [--uninstall]``: add clipsync to the user's desktop menu, or remove it.

Copies the desktop entry to ``$XDG_DATA_HOME/applications`` and the icons to
``$XDG_DATA_HOME/icons/hicolor`` (``~/.local/share`` when ``XDG_DATA_HOME`` is unset or not an
absolute path, as the XDG Base Directory specification says). The entry's ``Exec`` is the
absolute path of the ``clipsync`` that runs the command, so the menu works even when that
folder (a venv, pipx's ``~/.local/bin``) is not on the desktop session's PATH. With the
entry's MIME types, "Open with clipsync" is offered for video and audio files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from clipsync import __version__, bundled

# Characters that make a desktop entry's Exec argument need quoting (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home(environ: os._Environ[str] | dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME`` if it is an absolute path, else ``~/.local/share``."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share"


def exec_argument(arg: str) -> str:
    """``arg`` written as one argument of a desktop entry's ``Exec`` key.

    >>> exec_argument("/usr/bin/clipsync")
    '/usr/bin/clipsync'
    >>> exec_argument("/home/a b/clipsync")
    '"/home/a b/clipsync"'
    """
    arg = arg.replace("%", "%%")
    if any(c in _RESERVED for c in arg):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        arg = f'"{inner}"'
    # The whole value is then a desktop-entry string, where a backslash is written twice.
    return arg.replace("\\", "\\\\")


def launcher() -> list[str]:
    """The command that starts this clipsync: its ``clipsync`` script, else ``python -m clipsync``."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "clipsync" and argv0.is_file():
        return [str(argv0.absolute())]
    beside = Path(sys.executable).with_name("clipsync")  # the venv's script, for python -m clipsync
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("clipsync")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "clipsync"]


def entry_text(command: list[str]) -> str:
    """The bundled desktop entry with ``Exec`` (and ``TryExec``) set to ``command``."""
    lines = []
    for line in bundled.desktop_entry().read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_argument(a) for a in command) + " %f"
            lines.append(line)
            lines.append("TryExec=" + command[0].replace("\\", "\\\\"))
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def installed_files(home: Path) -> list[Path]:
    """Every file ``install`` writes under ``home``."""
    hicolor = home / "icons" / "hicolor"
    icon = f"{bundled.APP_ID}.png"
    return [
        home / "applications" / f"{bundled.APP_ID}.desktop",
        hicolor / "scalable" / "apps" / f"{bundled.APP_ID}.svg",
        *(hicolor / f"{n}x{n}" / "apps" / icon for n in bundled.ICON_SIZES),
    ]


def install(home: Path, command: list[str] | None = None) -> list[Path]:
    """Write the desktop entry and icons under ``home``; returns the files written."""
    entry, svg, *pngs = installed_files(home)
    sources = [bundled.icon_svg(), *(bundled.icon_png(n) for n in bundled.ICON_SIZES)]
    for target, source in zip([svg, *pngs], sources, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_name(entry.name + ".tmp")
    tmp.write_text(entry_text(command or launcher()), encoding="utf-8")
    os.replace(tmp, entry)  # a menu never reads half an entry
    _refresh(home)
    return [entry, svg, *pngs]


def uninstall(home: Path) -> list[Path]:
    """Remove what ``install`` wrote under ``home``; returns the files removed."""
    removed = []
    for path in installed_files(home):
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(path)
    _refresh(home)
    return removed


def _refresh(home: Path) -> None:
    """Tell the desktop: rebuild the MIME-type cache of the entries, mark the icon theme changed."""
    applications = home / "applications"
    tool = shutil.which("update-desktop-database")
    if tool and applications.is_dir():
        # Optional: menus also rescan by themselves; only "Open with" lists use this cache.
        subprocess.run([tool, "-q", str(applications)], check=False, capture_output=True)
    hicolor = home / "icons" / "hicolor"
    if hicolor.is_dir():
        os.utime(hicolor)  # icon themes notice changes by the folder's modification time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="clipsync install-desktop",
        description="Add clipsync to your desktop's menu (entry and icons under ~/.local/share, "
        "or $XDG_DATA_HOME), with 'Open with clipsync' for video and audio files.",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove what install-desktop added")
    parser.add_argument("--version", action="version", version=f"clipsync {__version__}")
    args = parser.parse_args(argv)
    home = data_home()
    try:
        if args.uninstall:
            removed = uninstall(home)
            for path in removed:
                print(f"removed {path}")
            if not removed:
                print(f"clipsync: nothing to remove under {home}")
            return 0
        for path in install(home):
            print(f"installed {path}")
    except OSError as exc:
        print(f"clipsync: could not write under {home}: {exc}", file=sys.stderr)
        return 1
    return 0
