"""Where the files that ship with clipsync are: the bundled clip, the sync schema, icons, desktop files.

They live in the repository's top-level ``resources/`` folder, which ``pyproject.toml`` packages
as ``clipsync.resources``. :mod:`importlib.resources` finds that package the same way in a wheel,
in an editable install and in a source checkout set up by ``scripts/setup.sh``. libVLC and the
"text beside the media" lookup need real files in a real folder, so a folder that is not on
disk (a zipped install) is copied to a temporary folder once, kept until the process exits.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

APP_ID = "org.clipsync.clipsync"
"""The desktop entry's and AppStream component's id (reverse-DNS, as both specifications ask)."""

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""The PNG sizes rendered from the SVG icon (``scripts/render_icons.py``)."""

_PACKAGE = "clipsync.resources"
_extracted: dict[str, Path] = {}


def resource(*parts: str) -> Traversable:
    """A bundled file or folder, e.g. ``resource("clip", "syria.mp4")`` (it may not be on disk)."""
    item = files(_PACKAGE)
    for part in parts:
        item = item / part
    return item


def folder(*parts: str) -> Path:
    """A bundled folder as a real directory (copied out once if the package is not on disk)."""
    item = resource(*parts)
    if isinstance(item, Path):
        return item
    key = "/".join(parts)
    if key not in _extracted:
        target = Path(tempfile.mkdtemp(prefix="clipsync-"))
        atexit.register(shutil.rmtree, target, ignore_errors=True)
        _copy_tree(item, target)
        _extracted[key] = target
    return _extracted[key]


def path(*parts: str) -> Path:
    """A bundled file as a real path (its folder is copied out once if not on disk)."""
    *parent, name = parts
    return folder(*parent) / name


def _copy_tree(source: Traversable, target: Path) -> None:
    for child in source.iterdir():
        if child.is_dir():
            (target / child.name).mkdir()
            _copy_tree(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())


def clip() -> Path:
    """The bundled clip, with its sync document and WebVTT beside it."""
    return path("clip", "syria.mp4")


def sync_schema(version: int = 2) -> Path:
    """The published JSON Schema of the sync document (``version`` 1 or 2, the newest)."""
    return path("schema", f"clipsync-sync-{version}.schema.json")


def desktop_entry() -> Path:
    """The freedesktop desktop entry (``Exec=clipsync %f``)."""
    return path("desktop", f"{APP_ID}.desktop")


def metainfo() -> Path:
    """The AppStream metainfo file."""
    return path("desktop", f"{APP_ID}.metainfo.xml")


def icon_svg() -> Path:
    """The scalable application icon."""
    return path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg")


def icon_png(size: int) -> Path:
    """The application icon rendered at ``size`` x ``size`` pixels (one of :data:`ICON_SIZES`)."""
    return path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
