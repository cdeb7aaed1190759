"""The caption style a viewer sets: the FCC 79.103 display settings, their names and presets.

Pure data (no Qt): :class:`CaptionStyle` is what the settings file stores and the caption
painter draws with; :data:`PRESETS` are the ready-made styles the settings dialog offers.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Final

PRESENTATIONS: Final = ("pop_on", "roll_up", "paint_on")
FONT_FAMILIES: Final = ("mono_serif", "serif", "mono_sans", "sans", "casual", "cursive", "small_caps")
EDGES: Final = ("none", "raised", "depressed", "uniform", "drop_shadow")
POSITIONS: Final = ("bottom", "top")

#: What each setting value is called in the user interface.
LABELS: Final[dict[str, str]] = {
    "pop_on": "Pop-on",
    "roll_up": "Roll-up",
    "paint_on": "Paint-on",
    "mono_serif": "Monospaced serif",
    "serif": "Proportional serif",
    "mono_sans": "Monospaced sans-serif",
    "sans": "Proportional sans-serif",
    "casual": "Casual",
    "cursive": "Cursive",
    "small_caps": "Small capitals",
    "none": "None",
    "raised": "Raised",
    "depressed": "Depressed",
    "uniform": "Uniform (outline)",
    "drop_shadow": "Drop shadow",
    "bottom": "Bottom",
    "top": "Top",
}

#: The eight caption colours every player offers (as YouTube does), by name.
STANDARD_COLORS: Final[dict[str, str]] = {
    "White": "#ffffff",
    "Yellow": "#ffff00",
    "Green": "#00ff00",
    "Cyan": "#00ffff",
    "Blue": "#0000ff",
    "Magenta": "#ff00ff",
    "Red": "#ff0000",
    "Black": "#000000",
}

SIZE_MIN_PCT: Final = 50
SIZE_MAX_PCT: Final = 200
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class CaptionStyle:
    """How captions look: the settings FCC 47 CFR 79.103(c) says a viewer must be able to change.

    Colours are ``#rrggbb``; opacities run from 0 (invisible) to 1 (solid); ``size_pct`` is
    50–200 % of the normal size; ``language`` is the caption track (``None``: the media's own).
    Build one from untrusted data with :meth:`from_dict`, which never fails.
    """

    presentation: str = "pop_on"
    text_color: str = "#ffffff"
    text_opacity: float = 1.0
    size_pct: int = 100
    font_family: str = "sans"
    background_color: str = "#000000"
    background_opacity: float = 0.75
    edge: str = "none"
    window_color: str = "#000000"
    window_opacity: float = 0.0
    position: str = "bottom"
    language: str | None = None

    def clamped(self) -> CaptionStyle:
        """A copy with numbers pulled into range and unknown names replaced by the default.

        >>> CaptionStyle(size_pct=500, text_opacity=-1, edge="glow").clamped()
        CaptionStyle(presentation='pop_on', text_color='#ffffff', text_opacity=0.0, size_pct=200, \
font_family='sans', background_color='#000000', background_opacity=0.75, edge='none', \
window_color='#000000', window_opacity=0.0, position='bottom', language=None)
        """
        return CaptionStyle.from_dict(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """The style as JSON-ready values (what the settings file stores)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> CaptionStyle:
        """A style from decoded JSON: missing or bad values take the default, numbers are clamped."""
        default = cls()
        if not isinstance(data, dict):
            return default

        def choice(key: str, allowed: tuple[str, ...]) -> str:
            value = data.get(key)
            return value if isinstance(value, str) and value in allowed else str(getattr(default, key))

        def color(key: str) -> str:
            value = data.get(key)
            return (
                value.lower() if isinstance(value, str) and _HEX.match(value) else str(getattr(default, key))
            )

        def number(key: str, low: float, high: float) -> float:
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
                return float(getattr(default, key))
            return min(max(float(value), low), high)

        language = data.get("language")
        return cls(
            presentation=choice("presentation", PRESENTATIONS),
            text_color=color("text_color"),
            text_opacity=number("text_opacity", 0.0, 1.0),
            size_pct=round(number("size_pct", SIZE_MIN_PCT, SIZE_MAX_PCT)),
            font_family=choice("font_family", FONT_FAMILIES),
            background_color=color("background_color"),
            background_opacity=number("background_opacity", 0.0, 1.0),
            edge=choice("edge", EDGES),
            window_color=color("window_color"),
            window_opacity=number("window_opacity", 0.0, 1.0),
            position=choice("position", POSITIONS),
            language=language if isinstance(language, str) and language else None,
        )

    def with_changes(self, **changes: Any) -> CaptionStyle:
        """A copy with ``changes`` applied and clamped (unknown keys raise ``TypeError``)."""
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown caption setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes).clamped()


#: Ready-made styles; "Default" is ``CaptionStyle()``.
PRESETS: Final[dict[str, CaptionStyle]] = {
    "Default": CaptionStyle(),
    "High contrast": CaptionStyle(
        text_color="#ffffff", background_color="#000000", background_opacity=1.0, edge="uniform", size_pct=110
    ),
    "Large text": CaptionStyle(size_pct=150, background_opacity=0.85),
    "Yellow on black": CaptionStyle(text_color="#ffff00", background_color="#000000", background_opacity=1.0),
}
