#!/usr/bin/env bash
# Set up what is missing, then open clipsync (on the bundled clip when no file is given).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/clipsync "$@"
