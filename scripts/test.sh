#!/usr/bin/env bash
# The README's test command; CI runs it through .ci/run. Headless (offscreen Qt, dummy audio);
# no network but the package registries (Debian's and PyPI) during set-up.
#
#   bash scripts/test.sh [PYTEST ARGS]
#       What CI runs. Proves the repository stands on its own:
#       1. copies it (tracked files and untracked ones .gitignore does not exclude; no .venv, no
#          caches) into an empty temporary folder, and there runs scripts/setup.sh (Debian
#          packages, a .venv of its own), ruff check, ruff format --check, mypy, lint-imports and
#          pytest. Nothing beside the copy can be read: this is the fresh-clone check;
#       2. runs scripts/check_install.sh in that copy: the wheel, installed into a fresh venv
#          outside the repository, runs `clipsync --version` and a snapshot of the bundled clip;
#          the desktop entry and the AppStream metainfo are validated.
#   bash scripts/test.sh --here [PYTEST ARGS]      (or CLIPSYNC_TEST_HERE=1)
#       Quick, for development: set-up, lint and tests in this working tree and its .venv,
#       without the copy and the packaging checks.
#   CLIPSYNC_TEST_KEEP=1 keeps the temporary copy (its path is printed) for a look after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

here=${CLIPSYNC_TEST_HERE:-}
if [ "${1:-}" = "--here" ]; then
  here=1
  shift
fi

if [ -z "$here" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/clipsync-test.XXXXXX")
  if [ -z "${CLIPSYNC_TEST_KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; fi
  bash scripts/copy_repo.sh "$tmp/clipsync"
  echo "test: in a copy of the repository with nothing beside it: $tmp/clipsync" >&2
  cd "$tmp/clipsync"
  CLIPSYNC_TEST_HERE=1 bash scripts/test.sh "$@"
  bash scripts/check_install.sh
  echo "test: all passed (lint, types, import contracts, tests in a clean copy; packaging)" >&2
  exit 0
fi

bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen CLIPSYNC_AUDIO_OUTPUT=adummy
.venv/bin/ruff check src tests scripts benchmarks resources
.venv/bin/ruff format --check src tests scripts benchmarks resources
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
