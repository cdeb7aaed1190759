#!/usr/bin/env bash
# Set up what is missing, then lint (ruff), type-check (mypy), check the layer contracts
# (import-linter) and run the whole test suite headless (offscreen Qt, dummy audio).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen CLIPSYNC_AUDIO_OUTPUT=adummy
.venv/bin/ruff check src tests scripts benchmarks
.venv/bin/ruff format --check src tests scripts benchmarks
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
