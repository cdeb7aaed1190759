"""The clip builder's picture: the ffmpeg filter graph of the title card, the slate, a lower third
during each quote and a progress bar."""

from __future__ import annotations

import textwrap
from pathlib import Path

from clipsync.core.text.article import Article

# Video design.
WIDTH, HEIGHT, FPS = 640, 360, 25
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
BACKGROUND = "0x0d1b2e"
ACCENT = "0xe8a33d"
KICKER = "clipsync sample · read by a speech synthesizer"
TITLE_FADE_S = 0.4


def font(bold: bool = False) -> Path:
    for folder in FONT_DIRS:
        path = folder / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf")
        if path.exists():
            return path
    path = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not path.exists():
        raise RuntimeError("no font found: apt-get install fonts-liberation2 or fonts-dejavu-core")
    return path


def wrap(text: str, size: int, width_px: int) -> list[str]:
    """Lines of ``text`` that fit ``width_px`` at ``size`` px (Liberation Sans is ~0.52 em a glyph)."""
    chars = max(8, int(width_px / (0.52 * size)))
    return textwrap.wrap(text, chars) or [text]


class Drawing:
    """Collects drawtext/drawbox filters; text goes through files, so nothing needs escaping."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.filters: list[str] = []

    def text(
        self,
        text: str,
        *,
        size: int,
        x: str,
        y: int,
        color: str = "white",
        bold: bool = False,
        alpha: str = "1",
        enable: str | None = None,
    ) -> None:
        path = self.work_dir / f"text{len(self.filters):03d}.txt"
        path.write_text(text, encoding="utf-8")
        opts = [
            f"fontfile={font(bold)}",
            f"textfile={path}",
            "expansion=none",
            f"fontsize={size}",
            f"fontcolor={color}",
            f"x={x}",
            f"y={y}",
            f"alpha='{alpha}'",
        ]
        if enable:
            opts.append(f"enable='{enable}'")
        self.filters.append("drawtext=" + ":".join(opts))

    def box(self, x: int, y: int, w: int, h: int, color: str, enable: str | None = None) -> None:
        opts = f"drawbox=x={x}:y={y}:w={w}:h={h}:color={color}:t=fill"
        self.filters.append(opts + (f":enable='{enable}'" if enable else ""))


def video_filter(article: Article, duration_s: float, title_until_s: float, work_dir: Path) -> str:
    """The filter graph: title card, then a calm slate, lower thirds during quotes, a progress bar.

    Everything sits in the upper three quarters of the frame: the player draws its captions
    over the bottom (~80-95 % of the height), so that band stays empty.
    """
    draw = Drawing(work_dir)
    # The title card fades out, then the slate fades in: no overlap of the two layouts.
    t0, t1, t2 = title_until_s, title_until_s + TITLE_FADE_S, title_until_s + 2 * TITLE_FADE_S
    fade_out = f"if(lt(t,{t0:.3f}),1,max(0,({t1:.3f}-t)/{TITLE_FADE_S}))"
    fade_in = f"if(lt(t,{t1:.3f}),0,min(1,(t-{t1:.3f})/{TITLE_FADE_S}))"

    # Title card: kicker, headline in large type, a short accent rule.
    lines = wrap(article.title, 40, WIDTH - 120)
    top = 150 - 25 * len(lines)
    draw.text("VOA NEWS", size=16, x="60", y=top - 40, color=ACCENT, bold=True, alpha=fade_out)
    for i, line in enumerate(lines):
        draw.text(line, size=40, x="60", y=top + i * 50, bold=True, alpha=fade_out)
    rule_y = top + 50 * len(lines) + 8
    draw.box(60, rule_y, 80, 3, ACCENT, enable=f"lt(t,{(t0 + t1) / 2:.3f})")
    draw.text(KICKER, size=17, x="60", y=rule_y + 20, color="0xb8c4d6", alpha=fade_out)

    # Slate: the headline small at the top, a thin rule, the kicker; the rest stays calm.
    draw.text("VOA NEWS", size=13, x="32", y=22, color=ACCENT, bold=True, alpha=fade_in)
    draw.text(article.title, size=22, x="32", y=42, bold=True, alpha=fade_in)
    draw.box(32, 76, WIDTH - 64, 1, "0x5a6a82", enable=f"gte(t,{(t1 + t2) / 2:.3f})")
    draw.text(KICKER, size=13, x="32", y=86, color="0x8d9ab0", alpha=fade_in)

    # Lower third during each quote, from its first part's start to its last part's end,
    # at 36-51 % of the height: clear of captions of up to three lines (speaker label and two
    # lines of text) that the player draws at the bottom.
    for quote in article.quotes:
        if quote.start_ms is None or quote.end_ms is None:
            continue
        on = f"between(t,{quote.start_ms / 1000:.3f},{quote.end_ms / 1000:.3f})"
        draw.box(32, 130, WIDTH - 64, 52, "0x000000@0.55", enable=on)
        draw.box(32, 130, 5, 52, ACCENT, enable=on)
        draw.text(quote.speaker.name, size=20, x="48", y=136, bold=True, enable=on)
        role = quote.speaker.role or "quoted"
        role_lines = wrap(role, 14, WIDTH - 96)
        draw.text(role_lines[0], size=14, x="48", y=161, color="0xd0d8e4", enable=on)

    graph = [
        f"color=c={BACKGROUND}:s={WIDTH}x{HEIGHT}:r={FPS}:d={duration_s:.3f}[bg]",
        f"color=c={ACCENT}:s={WIDTH}x2:r={FPS}:d={duration_s:.3f}[bar]",
        f"[bg][bar]overlay=x='-w+W*t/{duration_s:.3f}':y=0:eval=frame:shortest=1,"
        + ",".join(draw.filters)
        + ",format=yuv420p[v]",
    ]
    return ";\n".join(graph)
