#!/usr/bin/env bash
# Packaging checks, run by scripts/test.sh (alone: bash scripts/check_install.sh, after setup.sh):
#   1. builds the wheel (pip wheel --no-deps) from a copy of the repository's files and checks it
#      holds the bundled files;
#   2. installs it into a fresh virtual environment in a temporary folder outside the repository
#      (dependencies from the package registry) and, from another empty folder there, runs
#      `clipsync --version` and `clipsync snapshot --at 1:00 -o shot.png` of the bundled clip
#      (the PNG must be a real picture of the window), then `clipsync install-desktop` into a
#      temporary XDG_DATA_HOME and `--uninstall`;
#   3. validates the desktop entry (desktop-file-validate) and the AppStream metainfo
#      (appstreamcli validate --no-net), as installed from the wheel.
# Headless (offscreen Qt, dummy audio); nothing is written outside the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
python=${PYTHON:-python3}
app_id=org.clipsync.clipsync

bash scripts/setup.sh  # the validators and .venv (for pip); only what is missing
work=$(mktemp -d "${TMPDIR:-/tmp}/clipsync-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { echo "check_install: $*" >&2; }

say "building the wheel from a copy of the repository's files (no stale build/ output)"
bash scripts/copy_repo.sh "$work/src"
.venv/bin/python -m pip wheel -q --no-deps -w "$work/dist" "$work/src"
wheel=$(ls "$work"/dist/clipsync-*.whl)
version=$(.venv/bin/python -c 'import clipsync; print(clipsync.__version__)')

say "checking $(basename "$wheel") holds the bundled files"
.venv/bin/python - "$wheel" "$app_id" <<'EOF'
import sys, zipfile
wheel, app_id = sys.argv[1:]
names = set(zipfile.ZipFile(wheel).namelist())
res = "clipsync/resources/"
needed = [f"{res}clip/syria.{ext}" for ext in ("mp4", "article.json", "page.txt", "sync.json", "vtt")]
needed += [f"{res}schema/clipsync-sync-1.schema.json", f"{res}desktop/{app_id}.desktop",
           f"{res}desktop/{app_id}.metainfo.xml", f"{res}icons/hicolor/scalable/apps/{app_id}.svg"]
needed += [f"{res}icons/hicolor/{n}x{n}/apps/{app_id}.png" for n in (16, 24, 32, 48, 64, 128, 256)]
needed += ["clipsync/bundled.py", "clipsync/cli.py", "clipsync/py.typed"]
missing = [n for n in needed if n not in names]
if missing:
    sys.exit("check_install: the wheel lacks " + ", ".join(missing))
EOF

say "installing it into a fresh venv outside the repository"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$wheel"
mkdir "$work/run" "$work/home"
cd "$work/run"
# Only the fresh install: no checkout on the path, the user's settings and menus untouched.
export HOME="$work/home" CLIPSYNC_CONFIG_DIR="$work/config" XDG_DATA_HOME="$work/share"
export QT_QPA_PLATFORM=offscreen CLIPSYNC_AUDIO_OUTPUT=adummy
unset PYTHONPATH
clipsync="$work/venv/bin/clipsync"

found=$("$work/venv/bin/python" -c 'from clipsync import bundled; print(bundled.clip())')
case "$found" in
  "$work/venv/"*) ;;
  *) say "the installed clipsync finds its clip at $found, not in its venv"; exit 1 ;;
esac
case "$found" in "$repo"/*) say "the installed clipsync reads the checkout"; exit 1 ;; esac

out=$("$clipsync" --version)
[ "$out" = "clipsync $version" ] || { say "--version said '$out', expected 'clipsync $version'"; exit 1; }
say "$out"

say "snapshot of the bundled clip at 1:00"
"$clipsync" snapshot --at 1:00 -o shot.png
"$work/venv/bin/python" - shot.png <<'EOF'
import sys
from PySide6.QtGui import QGuiApplication, QImage
app = QGuiApplication([])
image = QImage(sys.argv[1])
if image.isNull():
    sys.exit("check_install: snapshot wrote no readable PNG")
colours = {image.pixel(x, y) for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)}
print(f"check_install: shot.png {image.width()}x{image.height()}, {len(colours)} colours", file=sys.stderr)
if image.width() < 1000 or image.height() < 600 or len(colours) < 256:
    sys.exit("check_install: the snapshot is too small or nearly blank")
EOF

say "install-desktop and --uninstall into a temporary XDG_DATA_HOME"
"$clipsync" install-desktop > /dev/null
entry="$XDG_DATA_HOME/applications/$app_id.desktop"
desktop-file-validate "$entry"
grep -qx "Exec=$clipsync %f" "$entry" || { say "the installed entry does not start $clipsync"; exit 1; }
[ -f "$XDG_DATA_HOME/icons/hicolor/256x256/apps/$app_id.png" ]
"$clipsync" install-desktop --uninstall > /dev/null
[ ! -e "$entry" ] && [ ! -e "$XDG_DATA_HOME/icons/hicolor/256x256/apps/$app_id.png" ]

say "validating the desktop entry and the metainfo"
data=$("$work/venv/bin/python" -c 'from clipsync import bundled; print(bundled.desktop_entry().parent)')
desktop-file-validate "$data/$app_id.desktop"
appstreamcli validate --no-net --pedantic "$data/$app_id.metainfo.xml" >&2
say "all packaging checks passed"
