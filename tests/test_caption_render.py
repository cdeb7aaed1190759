"""Captions drawn for real: every setting changes the pixels; the dialog, quote cards, exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from clipsync.core.captions.caption_style import FONT_FAMILIES, PRESETS, CaptionStyle
from clipsync.core.captions.captions import CaptionFrame, CaptionTrack
from clipsync.core.formats.subtitles import (
    cues_from_article,
    read_srt,
    read_vtt,
    write_plain,
    write_srt,
    write_vtt,
)
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.settings import SettingsStore
from clipsync.ui.captions.caption_painter import (
    font_mapping,
    font_mapping_text,
    paint_captions,
    paint_osd_message,
    resolve_font,
)
from clipsync.ui.captions.caption_settings_dialog import CaptionSettingsDialog
from clipsync.ui.captions.caption_style_widgets import ColorPicker
from clipsync.ui.text.quote_card import render_quote_card, save_quote_card

ROOT = Path(__file__).resolve().parents[1]
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"
FRAME = CaptionFrame(("The move comes after an intense,", "prolonged effort"), "John Kirby")


def render(style: CaptionStyle, frame: CaptionFrame = FRAME, size: tuple[int, int] = (640, 360)) -> QImage:
    """A caption drawn over a mid-grey picture, as the video view draws it."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor("#607080"))
    painter = QPainter(image)
    paint_captions(painter, QRectF(0, 0, size[0], size[1]), frame, style)
    painter.end()
    return image


@pytest.fixture
def base(qapp: object) -> CaptionStyle:
    """A style where window and background are visible, so their colours show."""
    return CaptionStyle(window_opacity=0.5, window_color="#0000ff", background_opacity=0.5)


CHANGES = [
    ("text_color", "#ffff00"),
    ("text_opacity", 0.4),
    ("size_pct", 150),
    ("size_pct", 50),
    ("font_family", "serif"),
    ("background_color", "#ff0000"),
    ("background_opacity", 1.0),
    ("edge", "raised"),
    ("edge", "depressed"),
    ("edge", "uniform"),
    ("edge", "drop_shadow"),
    ("window_color", "#00ff00"),
    ("window_opacity", 1.0),
    ("position", "top"),
]


@pytest.mark.parametrize(("key", "value"), CHANGES, ids=[f"{k}={v}" for k, v in CHANGES])
def test_each_setting_changes_the_rendered_caption(base: CaptionStyle, key: str, value: object) -> None:
    """Rendering before and after changing one setting gives different pixels."""
    assert render(base) != render(base.with_changes(**{key: value}))


def test_every_font_family_renders_differently(base: CaptionStyle) -> None:
    """The seven generic fonts (small capitals included) all look different from one another."""
    images = {family: render(base.with_changes(font_family=family)) for family in FONT_FAMILIES}
    for i, a in enumerate(FONT_FAMILIES):
        for b in FONT_FAMILIES[i + 1 :]:
            assert images[a] != images[b], f"{a} and {b} render the same"


def test_font_mapping_names_an_installed_family_for_each_generic(qapp: object) -> None:
    """Every generic font maps to a real family, and the mapping text says so."""
    mapping = font_mapping()
    assert set(mapping) == set(FONT_FAMILIES)
    assert all(mapping.values())
    assert resolve_font("small_caps").capitalization().name == "SmallCaps"
    assert font_mapping_text("small_caps").endswith("small capitals")


def test_presentations_show_different_text_mid_page(base: CaptionStyle) -> None:
    """Pop-on, roll-up and paint-on give different pictures part-way through a caption page."""
    track = CaptionTrack(load_sync(SYNC))
    sentence = next(s for s in track.index.timed_refs if len(s.sentence.text) > 100).sentence
    page = track.pages(sentence)[1]
    middle = (page.start_ms + page.end_ms) // 2
    frames = {p: track.frame_at(middle, p) for p in ("pop_on", "roll_up", "paint_on")}
    images = {p: render(base, f) for p, f in frames.items() if f is not None}
    assert len(images) == 3
    assert images["pop_on"] != images["paint_on"]
    assert images["pop_on"] != images["roll_up"]


def test_cue_text_is_drawn_as_plain_text(base: CaptionStyle) -> None:
    """Markup in cue text is shown as typed, never interpreted: "<b>x</b>" is wider than "x"."""

    def lit_columns(image: QImage) -> int:
        return sum(
            any(image.pixelColor(x, y).lightness() > 240 for y in range(image.height() // 2, image.height()))
            for x in range(image.width())
        )

    plain = render(base.with_changes(edge="none"), CaptionFrame(("x",)))
    markup = render(base.with_changes(edge="none"), CaptionFrame(("<b>x</b>",)))
    assert lit_columns(markup) > 3 * lit_columns(plain)


def test_no_lines_draw_nothing(base: CaptionStyle) -> None:
    """An empty caption leaves the picture untouched."""
    assert render(base, CaptionFrame(())) == render(base, CaptionFrame(("",)))
    blank = QImage(640, 360, QImage.Format.Format_RGB32)
    blank.fill(QColor("#607080"))
    assert render(base, CaptionFrame(())) == blank


def test_osd_message_is_drawn(qapp: object) -> None:
    """The brief on-screen message (caption delay) changes the picture."""
    image = QImage(640, 360, QImage.Format.Format_RGB32)
    image.fill(QColor("#607080"))
    before = QImage(image)
    painter = QPainter(image)
    paint_osd_message(painter, QRectF(0, 0, 640, 360), "Caption delay: +150 ms")
    painter.end()
    assert image != before


# The dialog ----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json")


@pytest.fixture
def dialog(qtbot: QtBot, store: SettingsStore) -> CaptionSettingsDialog:
    widget = CaptionSettingsDialog(store, ["en", "fr"])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _choose(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


@pytest.mark.parametrize(
    ("control", "value", "key", "expected"),
    [
        ("presentation", "roll_up", "presentation", "roll_up"),
        ("font_family", "cursive", "font_family", "cursive"),
        ("edge", "uniform", "edge", "uniform"),
        ("position", "top", "position", "top"),
        ("language", "fr", "language", "fr"),
        ("size_spin", 170, "size_pct", 170),
        ("text_opacity", 40, "text_opacity", 0.4),
        ("background_opacity", 100, "background_opacity", 1.0),
        ("window_opacity", 25, "window_opacity", 0.25),
    ],
)
def test_changing_a_control_emits_the_new_style(
    qtbot: QtBot, dialog: CaptionSettingsDialog, control: str, value: object, key: str, expected: object
) -> None:
    """Each control sends the changed style out at once (for the live preview on the video)."""
    widget = getattr(dialog, control)
    with qtbot.waitSignal(dialog.styleChanged) as blocker:
        if isinstance(widget, QSpinBox):
            widget.setValue(value)
        else:
            _choose(widget, value)
    assert getattr(blocker.args[0], key) == expected
    assert dialog.preview.caption_style == blocker.args[0]


def test_standard_and_custom_colours(
    qtbot: QtBot, dialog: CaptionSettingsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Picking a standard colour, then "Custom…", sets the text colour each time."""
    picker = dialog.text_color
    with qtbot.waitSignal(dialog.styleChanged) as blocker:
        picker.activated.emit(picker.findData("#ffff00"))
    assert blocker.args[0].text_color == "#ffff00"
    monkeypatch.setattr(ColorPicker, "ask", staticmethod(lambda initial, parent, title: QColor("#123456")))
    with qtbot.waitSignal(dialog.styleChanged) as blocker:
        picker.activated.emit(picker.count() - 1)
    assert blocker.args[0].text_color == "#123456"
    assert picker.currentText() == "Custom (#123456)"


def test_cancelled_custom_colour_changes_nothing(
    qtbot: QtBot, dialog: CaptionSettingsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the colour chooser without a choice keeps the colour as it was."""
    monkeypatch.setattr(ColorPicker, "ask", staticmethod(lambda initial, parent, title: QColor()))
    with qtbot.assertNotEmitted(dialog.styleChanged):
        dialog.background_color.activated.emit(dialog.background_color.count() - 1)
    assert dialog.background_color.currentData() == "#000000"


def test_presets_apply_and_reset_restores_defaults(qtbot: QtBot, dialog: CaptionSettingsDialog) -> None:
    """Choosing a preset sets its style in every control; Reset goes back to the defaults."""
    with qtbot.waitSignal(dialog.styleChanged) as blocker:
        dialog.preset.activated.emit(dialog.preset.findText("Yellow on black"))
    assert blocker.args[0] == PRESETS["Yellow on black"]
    assert dialog.text_color.currentData() == "#ffff00"
    assert dialog.background_opacity.value() == 100
    dialog.size_spin.setValue(180)
    assert dialog.preset.currentText() == "Custom"
    with qtbot.waitSignal(dialog.styleChanged) as blocker:
        qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == CaptionStyle()
    assert dialog.size_spin.value() == 100
    assert dialog.preset.currentText() == "Default"


def test_cancel_restores_the_style_the_dialog_opened_with(
    qtbot: QtBot, store: SettingsStore, dialog: CaptionSettingsDialog
) -> None:
    """Cancel sends back the original style and saves nothing."""
    dialog.size_spin.setValue(200)
    _choose(dialog.edge, "drop_shadow")
    with qtbot.waitSignal(dialog.styleChanged) as blocker:
        dialog.reject()
    assert blocker.args[0] == CaptionStyle()
    assert dialog.size_spin.value() == 100
    assert SettingsStore(store.path).caption_style == CaptionStyle()


def test_ok_keeps_the_style_across_a_restart(store: SettingsStore, dialog: CaptionSettingsDialog) -> None:
    """OK saves the style, so a new settings store (a restart) reads it back."""
    _choose(dialog.font_family, "mono_serif")
    dialog.window_opacity.setValue(60)
    dialog.accept()
    kept = SettingsStore(store.path).caption_style
    assert kept.font_family == "mono_serif"
    assert kept.window_opacity == pytest.approx(0.6)


def test_reopened_dialog_starts_from_the_saved_style(qtbot: QtBot, store: SettingsStore) -> None:
    """A dialog shown again starts from the style kept in the store."""
    store.caption_style = PRESETS["Large text"]
    dialog = CaptionSettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.caption_style() == PRESETS["Large text"]
    assert dialog.size_spin.value() == 150
    dialog.reject()
    store.caption_style = PRESETS["High contrast"]
    dialog.show()
    assert dialog.edge.currentData() == "uniform"


def test_every_control_is_named_labelled_and_keyboard_reachable(dialog: CaptionSettingsDialog) -> None:
    """Each control has an accessible name, takes keyboard focus, and has a label pointing at it."""
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, QComboBox | QSpinBox)]
    assert len(controls) >= 13
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    for control in controls:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus
        if control is not dialog.preset:
            assert control in buddies, control.accessibleName()


def test_language_choice_is_offered_only_with_other_tracks(qtbot: QtBot, store: SettingsStore) -> None:
    """With only the media's own text there is no language to choose; another track enables it."""
    alone = CaptionSettingsDialog(store, [])
    qtbot.addWidget(alone)
    assert not alone.language.isEnabled()
    other = CaptionSettingsDialog(store, ["es"])
    qtbot.addWidget(other)
    assert other.language.isEnabled() and other.language.findData("es") == 1


def test_dialog_preview_changes_with_the_style(qtbot: QtBot, dialog: CaptionSettingsDialog) -> None:
    """The preview in the dialog repaints with each change."""
    before = dialog.preview.grab().toImage()
    dialog.text_color.activated.emit(dialog.text_color.findData("#00ffff"))
    after = dialog.preview.grab().toImage()
    assert before != after


# Sharing -------------------------------------------------------------------------------------


def test_quote_card_is_written_as_a_png_and_not_blank(qapp: object, tmp_path: Path) -> None:
    """Saving a quote card writes a real PNG with the quote drawn on it, and no temporary file."""
    frame = QImage(320, 180, QImage.Format.Format_RGB32)
    frame.fill(QColor("#335577"))
    path = tmp_path / "card.png"
    save_quote_card(
        path, frame, "We remain committed to a peaceful Syria.", "John Kerry", 125_000, CaptionStyle()
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["card.png"]
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 720)
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 720, 7)}
    assert len(colours) > 10


def test_quote_card_follows_the_caption_style(qapp: object) -> None:
    """The card is drawn in the viewer's caption style; a long quote still fits."""
    plain = render_quote_card(None, "Short quote.", "A", 0, CaptionStyle(), (640, 360))
    yellow = render_quote_card(None, "Short quote.", "A", 0, PRESETS["Yellow on black"], (640, 360))
    assert plain != yellow
    long = render_quote_card(None, "word " * 200, "A", 0, CaptionStyle(), (640, 360))
    assert not long.isNull()


def test_exported_vtt_and_srt_read_back_equal(tmp_path: Path) -> None:
    """The bundled article exported as WebVTT and SRT reads back with the same cues."""
    article = load_sync(SYNC)
    cues = cues_from_article(article)
    write_vtt(article, tmp_path / "a.vtt")
    write_srt(article, tmp_path / "a.srt")
    write_plain(article, tmp_path / "a.txt")
    assert read_vtt(tmp_path / "a.vtt") == cues
    srt = read_srt(tmp_path / "a.srt")
    assert [(c.start_ms, c.end_ms, c.text) for c in srt] == [(c.start_ms, c.end_ms, c.text) for c in cues]
    assert all(s.text in (tmp_path / "a.txt").read_text(encoding="utf-8") for s in article.sentences)
