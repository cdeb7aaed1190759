"""The viewer's settings, kept in one small JSON file across restarts.

Loading never fails: a missing file gives the defaults; a corrupt, half-written or wrongly
typed one gives the defaults for what cannot be read and sets :attr:`SettingsStore.warning`
(naming the file and, for broken JSON, the line) so the application can say so without being
blocked. Every change is saved at once and atomically; when saving fails (a read-only folder)
the values are kept in memory and ``warning`` says why.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Final

from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.files import write_text_atomic

FORMAT: Final = "clipsync-settings"
VERSION: Final = 1
MAX_CAPTION_DELAY_MS: Final = 10_000
MAX_RECENT_FILES: Final = 10
#: How many media files keep their own caption delay and resume position (oldest dropped).
MAX_MEDIA_ENTRIES: Final = 200


def default_settings_path() -> Path:
    """``$CLIPSYNC_CONFIG_DIR/settings.json``, else the XDG config folder's ``clipsync/settings.json``."""
    folder = os.environ.get("CLIPSYNC_CONFIG_DIR")
    if folder:
        return Path(folder) / "settings.json"
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    return base / "clipsync" / "settings.json"


def media_key(media: Path) -> str:
    """The key under which one media file's caption delay and resume position are kept: its
    resolved path, so the same file reached another way is the same media."""
    try:
        return str(media.resolve())
    except OSError:
        return str(media)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clamp_int(value: Any, low: int, high: int) -> int:
    number = float(value)
    if math.isnan(number):
        return 0
    return int(min(max(round(number), low), high)) if math.isfinite(number) else (high if number > 0 else low)


class SettingsStore:
    """The settings file: typed accessors, each setter saves at once.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = SettingsStore(folder / "settings.json")
    >>> store.set_caption_delay_ms("clip.mp4", 150)
    150
    >>> SettingsStore(folder / "settings.json").caption_delay_ms("clip.mp4")
    150
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_settings_path()
        #: Why the settings could not be read or saved (for the user), or ``None``.
        self.warning: str | None = None
        self._data: dict[str, Any] = self._empty()
        self._load()

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "caption_style": CaptionStyle().to_dict(),
            "captions_enabled": True,
            "caption_delay_ms": {},
            "resume_position_ms": {},
            "recent_files": [],
            "ui": {},
        }

    # Loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self._warn(f"cannot be read ({exc.strerror or exc})")
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self._warn("is not UTF-8 text", raw[: exc.start].count(b"\n") + 1, keep_copy=True)
            return
        if not text.strip():
            self._warn("is empty (perhaps half-written)", keep_copy=True)
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._warn(f"is not valid JSON ({exc.msg}; perhaps half-written)", exc.lineno, keep_copy=True)
            return
        except RecursionError:
            self._warn("is not valid JSON (nested too deeply)", keep_copy=True)
            return
        if not isinstance(data, dict):
            self._warn("does not hold a settings object", 1, keep_copy=True)
            return
        self._read(data)

    def _read(self, data: dict[str, Any]) -> None:
        """Take every value that has the right type; name the ones that had not."""
        bad: list[str] = []
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            self._warn(f"is not a clipsync settings file (format {fmt!r})", keep_copy=True)
            return
        style = data.get("caption_style")
        if style is not None:
            if isinstance(style, dict):
                parsed = CaptionStyle.from_dict(style)
                if {k: v for k, v in parsed.to_dict().items() if k in style} != style:
                    bad.append("caption_style")
                self._data["caption_style"] = parsed.to_dict()
            else:
                bad.append("caption_style")
        enabled = data.get("captions_enabled")
        if enabled is not None:
            if isinstance(enabled, bool):
                self._data["captions_enabled"] = enabled
            else:
                bad.append("captions_enabled")
        for key, low, high in (
            ("caption_delay_ms", -MAX_CAPTION_DELAY_MS, MAX_CAPTION_DELAY_MS),
            ("resume_position_ms", 0, 2**53),
        ):
            table = data.get(key)
            if table is None:
                continue
            if not isinstance(table, dict):
                bad.append(key)
                continue
            good = {}
            for media, value in table.items():
                if _is_int(value) or (isinstance(value, float) and math.isfinite(value)):
                    good[media] = _clamp_int(value, low, high)
                else:
                    bad.append(f"{key}[{media!r}]")
            self._data[key] = good
        recent = data.get("recent_files")
        if recent is not None:
            if isinstance(recent, list) and all(isinstance(p, str) for p in recent):
                self._data["recent_files"] = list(dict.fromkeys(recent))[:MAX_RECENT_FILES]
            else:
                bad.append("recent_files")
        ui = data.get("ui")
        if ui is not None:
            if isinstance(ui, dict):
                self._data["ui"] = ui
            else:
                bad.append("ui")
        if bad:
            self._warn(f"has values of the wrong kind, defaults used for: {', '.join(bad)}")

    def _warn(self, reason: str, line: int | None = None, *, keep_copy: bool = False) -> None:
        where = str(self.path) + (f":{line}" if line is not None else "")
        message = f"Settings file {where} {reason}; default settings are used."
        if keep_copy:
            # Keep the unreadable file for the user, as the next save replaces it.
            backup = self.path.with_name(self.path.name + ".corrupt")
            try:
                backup.write_bytes(self.path.read_bytes())
                message += f" The unreadable file was kept as {backup.name}."
            except OSError:
                pass
        self.warning = message

    # Saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the settings now (atomically); ``False`` and a ``warning`` when it failed."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(self._data, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            self.warning = (
                f"Settings could not be saved to {self.path} ({exc.strerror or exc}); "
                "changes last until clipsync is closed."
            )
            return False
        return True

    # Typed accessors -------------------------------------------------------------------
    @property
    def caption_style(self) -> CaptionStyle:
        """The caption style (defaults when never set)."""
        return CaptionStyle.from_dict(self._data["caption_style"])

    @caption_style.setter
    def caption_style(self, style: CaptionStyle) -> None:
        self._data["caption_style"] = style.clamped().to_dict()
        self.save()

    @property
    def captions_enabled(self) -> bool:
        """Whether captions are shown over the video (default on)."""
        return bool(self._data["captions_enabled"])

    @captions_enabled.setter
    def captions_enabled(self, enabled: bool) -> None:
        self._data["captions_enabled"] = bool(enabled)
        self.save()

    def caption_delay_ms(self, media_key: str) -> int:
        """The caption delay set for one media (0 when never set)."""
        return int(self._data["caption_delay_ms"].get(media_key, 0))

    def set_caption_delay_ms(self, media_key: str, ms: int) -> int:
        """Remember the caption delay of one media, clamped to ±10 s; returns the stored value."""
        value = _clamp_int(ms, -MAX_CAPTION_DELAY_MS, MAX_CAPTION_DELAY_MS)
        self._put_media("caption_delay_ms", media_key, value)
        return value

    def resume_position_ms(self, media_key: str) -> int | None:
        """Where playback of one media was left, or ``None``."""
        value = self._data["resume_position_ms"].get(media_key)
        return int(value) if value is not None else None

    def set_resume_position_ms(self, media_key: str, ms: int | None) -> None:
        """Remember where playback of one media was left (``None`` forgets it)."""
        if ms is None:
            if self._data["resume_position_ms"].pop(media_key, None) is not None:
                self.save()
            return
        self._put_media("resume_position_ms", media_key, _clamp_int(ms, 0, 2**53))

    def _put_media(self, key: str, media_key: str, value: int) -> None:
        table: dict[str, int] = self._data[key]
        table.pop(media_key, None)  # re-insert: the newest entries are kept when trimming
        table[media_key] = value
        while len(table) > MAX_MEDIA_ENTRIES:
            table.pop(next(iter(table)))
        self.save()

    @property
    def recent_files(self) -> list[str]:
        """The most recently opened files, newest first (at most 10)."""
        return list(self._data["recent_files"])

    @recent_files.setter
    def recent_files(self, files: list[str]) -> None:
        self._data["recent_files"] = list(dict.fromkeys(str(f) for f in files))[:MAX_RECENT_FILES]
        self.save()

    def add_recent_file(self, path: str) -> None:
        """Put ``path`` first in the recent files (moving it if it was there already)."""
        self.recent_files = [path, *(p for p in self.recent_files if p != path)]

    def get(self, key: str, default: Any = None) -> Any:
        """A small piece of UI state (window layout, last folder...), or ``default``."""
        return self._data["ui"].get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Store a small piece of UI state; ``value`` must be JSON (``TypeError`` otherwise)."""
        json.dumps(value)  # raises TypeError for values the file cannot hold
        self._data["ui"][key] = value
        self.save()
