#!/usr/bin/env bash
# Bootstrap everything clipsync needs on Debian/Ubuntu, idempotently:
#   Debian packages (libVLC + plugins, Qt's runtime libraries, ffmpeg and speech engines for
#   the clip builder, the aligner and described video's voice (espeak-ng), Xvfb for screenshots,
#   D-Bus, at-spi2-core, pyatspi and xdotool for the screen-reader test, the desktop-entry and
#   AppStream validators), a virtual environment at .venv,
#   and the package with its test extras and its cluster extra (Dask, for clipsync batch)
#   installed into it.
# Only what is missing is installed; with sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libvlc5 vlc-plugin-base                                  # media playback
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3   # Qt runtime
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxcb-xinerama0
  fonts-dejavu-core fonts-liberation2                       # caption fonts
  ffmpeg flite espeak-ng            # clip builder, aligner, test media; espeak-ng: described video
  xvfb xauth                                                # screenshots without a display
  dbus at-spi2-core python3-pyatspi xdotool                 # the screen-reader test (AT-SPI bus, keys)
  desktop-file-utils appstream                              # validate the desktop entry and metainfo
  python3 python3-venv
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)" >&2
  "$python" -m venv .venv
fi
stamp=.venv/.clipsync-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing clipsync into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test,cluster]"
  touch "$stamp"
fi
