#!/usr/bin/env bash
# Copy this repository's files to DEST (created, must not exist): the tracked files and the
# untracked ones that .gitignore does not exclude, as a fresh clone plus uncommitted work would
# have them. No .venv, no caches, no build output. Outside a git checkout: everything but those.
# Usage: bash scripts/copy_repo.sh DEST
set -euo pipefail
dest=${1:?usage: copy_repo.sh DEST}
cd "$(dirname "$0")/.."
[ ! -e "$dest" ] || { echo "copy_repo: $dest already exists" >&2; exit 1; }
mkdir -p "$dest"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  # --ignore-failed-read: a tracked file deleted in the work tree is simply not copied.
  git ls-files -z --cached --others --exclude-standard \
    | tar --null --files-from=- --ignore-failed-read -cf - 2> >(grep -v "Cannot stat" >&2) \
    | tar -xf - -C "$dest"
else
  tar --exclude=./.venv --exclude=./.git --exclude=./build --exclude=./dist --exclude='*.egg-info' \
    --exclude=__pycache__ --exclude=.pytest_cache --exclude=.mypy_cache --exclude=.ruff_cache \
    --exclude=.hypothesis --exclude=./benchmarks/.cache -cf - . | tar -xf - -C "$dest"
fi
