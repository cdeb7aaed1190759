"""Shared fixtures: headless Qt, dummy audio, fresh settings for every test, the bundled clip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before Qt or libVLC load: no display, no sound card.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")

ROOT = Path(__file__).resolve().parents[1]
CLIP_DIR = ROOT / "resources" / "clip"
SEED_ARTICLE = CLIP_DIR / "syria.page.txt"  # the captured web page the article came from


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty settings and cache folders: never the user's real ones."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("CLIPSYNC_CONFIG_DIR", str(folder))
    monkeypatch.setenv("CLIPSYNC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return folder


@pytest.fixture
def clip_media() -> Path:
    return CLIP_DIR / "syria.mp4"


@pytest.fixture
def clip_sync() -> Path:
    return CLIP_DIR / "syria.sync.json"
