"""The package carries its bundled files: every package is listed, resources are found, even zipped."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from clipsync import __version__, bundled

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_under_src_is_packaged() -> None:
    """A new subpackage must be added to pyproject's list, else the wheel would lack it."""
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert found | {"clipsync.resources"} == listed


def test_resources_package_is_the_top_level_folder() -> None:
    """From a checkout (editable install), the bundled files are the repository's resources/."""
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["clipsync.resources"] == "resources"
    assert bundled.clip() == ROOT / "resources" / "clip" / "syria.mp4"
    assert bundled.folder() == ROOT / "resources"


def test_every_bundled_file_is_in_package_data() -> None:
    """Each file under resources/ matches one of the package-data patterns (so the wheel has it)."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["clipsync.resources"]
    resources = ROOT / "resources"
    files = [
        p.relative_to(resources)
        for p in resources.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"
    ]
    assert files
    for file in files:
        assert any(_glob(file, pattern) for pattern in patterns), file


def _glob(file: Path, pattern: str) -> bool:
    """``pattern`` as setuptools reads it: ``*`` within a folder, ``**/`` any folders."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, file.as_posix()) is not None


def test_bundled_paths_exist() -> None:
    """Every accessor names a file that exists."""
    for path in (
        bundled.clip(),
        bundled.sync_schema(),
        bundled.sync_schema(1),
        bundled.desktop_entry(),
        bundled.metainfo(),
        bundled.icon_svg(),
        *(bundled.icon_png(n) for n in bundled.ICON_SIZES),
    ):
        assert path.is_file(), path


def test_version_has_one_source() -> None:
    """pyproject takes the version from clipsync.__version__; the metainfo's release names it."""
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "clipsync.__version__"}
    assert f'<release version="{__version__}"' in bundled.metainfo().read_text(encoding="utf-8")


def test_zipped_install_copies_the_clip_folder_out(tmp_path: Path) -> None:
    """Installed as a zip, the clip is copied to a real folder with its sync document beside it."""
    archive = tmp_path / "clipsync.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for source in (ROOT / "src" / "clipsync").glob("*.py"):
            zf.write(source, f"clipsync/{source.name}")
        zf.write(ROOT / "resources" / "__init__.py", "clipsync/resources/__init__.py")
        for name in ("syria.sync.json", "syria.vtt"):
            zf.write(ROOT / "resources" / "clip" / name, f"clipsync/resources/clip/{name}")
        zf.writestr("clipsync/resources/clip/syria.mp4", b"stand-in")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from clipsync import bundled\n"
        "assert bundled.__file__.startswith(sys.argv[1]), bundled.__file__\n"
        "clip = bundled.clip()\n"
        "print(clip)\n"
        "assert clip.read_bytes() == b'stand-in'\n"
        "assert clip.with_name('syria.sync.json').is_file()\n"
        "assert bundled.clip() == clip  # copied once\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(archive)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    extracted = Path(result.stdout.strip())
    assert not str(extracted).startswith(str(archive))
    assert not extracted.parent.exists(), "the copy is removed when the process exits"
