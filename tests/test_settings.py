"""The settings store: kept across restarts, atomic, and never blocking start-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clipsync.core.captions.caption_style import PRESETS, CaptionStyle
from clipsync.core.settings import SettingsStore, default_settings_path


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_default_path_is_the_test_config_folder(_fresh_settings: Path) -> None:
    """Tests never touch the user's settings: the path follows CLIPSYNC_CONFIG_DIR."""
    assert default_settings_path() == _fresh_settings / "settings.json"
    assert SettingsStore().path == _fresh_settings / "settings.json"


def test_default_path_follows_xdg_when_no_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without CLIPSYNC_CONFIG_DIR the file lives in $XDG_CONFIG_HOME/clipsync."""
    monkeypatch.delenv("CLIPSYNC_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_settings_path() == tmp_path / "clipsync" / "settings.json"


def test_missing_file_gives_defaults_without_warning(path: Path) -> None:
    """A first start has the default settings and nothing to warn about."""
    store = SettingsStore(path)
    assert store.warning is None
    assert store.caption_style == CaptionStyle()
    assert store.captions_enabled is True
    assert store.caption_delay_ms("clip.mp4") == 0
    assert store.resume_position_ms("clip.mp4") is None
    assert store.recent_files == []
    assert store.get("volume", 80) == 80


def test_every_setting_survives_a_restart(path: Path) -> None:
    """What one store saves, a new store reads back."""
    store = SettingsStore(path)
    style = PRESETS["Yellow on black"].with_changes(edge="uniform", language="fr", presentation="roll_up")
    store.caption_style = style
    store.captions_enabled = False
    store.set_caption_delay_ms("clip.mp4", -350)
    store.set_resume_position_ms("clip.mp4", 61_500)
    store.add_recent_file("/a.mp4")
    store.add_recent_file("/b.mp4")
    store.add_recent_file("/a.mp4")
    store.set("volume", 42)

    again = SettingsStore(path)
    assert again.warning is None
    assert again.caption_style == style
    assert again.captions_enabled is False
    assert again.caption_delay_ms("clip.mp4") == -350
    assert again.caption_delay_ms("other.mp4") == 0
    assert again.resume_position_ms("clip.mp4") == 61_500
    assert again.recent_files == ["/a.mp4", "/b.mp4"]
    assert again.get("volume") == 42


def test_out_of_range_values_are_clamped(path: Path) -> None:
    """Caption delay is kept within ±10 s, recent files to ten, style numbers to their ranges."""
    store = SettingsStore(path)
    assert store.set_caption_delay_ms("m", 99_000) == 10_000
    assert store.set_caption_delay_ms("m", -99_000) == -10_000
    store.recent_files = [f"/{i}.mp4" for i in range(25)]
    assert len(store.recent_files) == 10
    store.caption_style = CaptionStyle(size_pct=400, text_opacity=2.0)
    assert SettingsStore(path).caption_style.size_pct == 200
    assert SettingsStore(path).caption_style.text_opacity == 1.0


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('{\n "captions_enabled": false,\n "caption_style": {"size_pct": 1', 3),  # half-written
        ("{\n\n  nonsense\n}", 3),
        ("", None),
        ("[1, 2, 3]", 1),
    ],
)
def test_corrupt_file_gives_defaults_and_a_warning_naming_the_file(
    path: Path, content: str, line: int | None
) -> None:
    """A broken or half-written file never stops start-up: defaults, and a warning with file and line."""
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    store = SettingsStore(path)
    assert store.caption_style == CaptionStyle()
    assert store.captions_enabled is True
    assert store.warning is not None
    assert str(path) in store.warning
    if line is not None:
        assert f"{path}:{line}" in store.warning


def test_unreadable_bytes_give_defaults_and_a_warning(path: Path) -> None:
    """A file that is not UTF-8 (say, binary garbage) is reported, not a crash."""
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    store = SettingsStore(path)
    assert store.warning is not None and str(path) in store.warning
    assert store.caption_style == CaptionStyle()


def test_corrupt_file_is_kept_for_the_user(path: Path) -> None:
    """The unreadable file is copied aside before the next save replaces it."""
    path.parent.mkdir(parents=True)
    path.write_text("{ broken", encoding="utf-8")
    store = SettingsStore(path)
    store.captions_enabled = False
    assert (path.parent / "settings.json.corrupt").read_text(encoding="utf-8") == "{ broken"
    assert SettingsStore(path).captions_enabled is False


def test_wrong_types_use_defaults_for_those_values_only(path: Path) -> None:
    """Values of the wrong kind are replaced by defaults and named; good values are kept."""
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "captions_enabled": "yes",
                "caption_delay_ms": {"good.mp4": 200, "bad.mp4": "soon"},
                "recent_files": "not a list",
                "caption_style": {"text_color": "#ffff00", "size_pct": "big"},
                "ui": {"volume": 30},
            }
        ),
        encoding="utf-8",
    )
    store = SettingsStore(path)
    assert store.warning is not None
    for name in ("captions_enabled", "recent_files", "caption_style", "bad.mp4"):
        assert name in store.warning
    assert store.captions_enabled is True
    assert store.caption_delay_ms("good.mp4") == 200
    assert store.caption_delay_ms("bad.mp4") == 0
    assert store.recent_files == []
    assert store.caption_style.text_color == "#ffff00"
    assert store.caption_style.size_pct == 100
    assert store.get("volume") == 30


def test_writes_are_atomic_and_leave_no_temporary_files(path: Path) -> None:
    """After many saves the folder holds exactly the settings file, which is complete JSON."""
    store = SettingsStore(path)
    for i in range(20):
        store.set_resume_position_ms(f"m{i}.mp4", i * 1000)
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    assert json.loads(path.read_text(encoding="utf-8"))["resume_position_ms"]["m19.mp4"] == 19_000


def test_ui_state_must_be_json(path: Path) -> None:
    """Generic UI state accepts JSON values and refuses anything the file cannot hold."""
    store = SettingsStore(path)
    store.set("splitter", [300, 500])
    assert SettingsStore(path).get("splitter") == [300, 500]
    with pytest.raises(TypeError):
        store.set("bad", object())


def test_unwritable_location_keeps_values_in_memory(tmp_path: Path) -> None:
    """A settings path that cannot be written (its folder is a file) warns instead of crashing."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    store = SettingsStore(blocker / "settings.json")
    store.caption_style = PRESETS["Large text"]
    assert store.caption_style == PRESETS["Large text"]
    assert store.warning is not None and str(blocker / "settings.json") in store.warning
