"""CaptionSettingsDialog: every caption display setting, with a live preview.

Each change is previewed inside the dialog and sent out at once through ``styleChanged`` (the
main window shows it on the video too). OK keeps the style in the settings store; Cancel (or
closing the dialog) puts back the style the dialog was opened with.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clipsync.core.captions.caption_style import (
    EDGES,
    FONT_FAMILIES,
    LABELS,
    POSITIONS,
    PRESENTATIONS,
    PRESETS,
    SIZE_MAX_PCT,
    SIZE_MIN_PCT,
    CaptionStyle,
)
from clipsync.core.settings import SettingsStore
from clipsync.ui.captions.caption_painter import font_mapping_text
from clipsync.ui.captions.caption_style_widgets import CaptionPreview, ColorPicker

CUSTOM_PRESET = "Custom"


def _percent_spin(name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 100)
    spin.setSingleStep(5)
    spin.setSuffix(" %")
    spin.setAccessibleName(name)
    return spin


class CaptionSettingsDialog(QDialog):
    """Caption display settings (FCC 79.103): change, preview live, keep or cancel."""

    styleChanged = Signal(object)  # CaptionStyle

    def __init__(
        self, store: SettingsStore, languages: list[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Caption settings")
        self.setModal(False)
        self.store = store
        self._original = store.caption_style
        self._style = self._original
        self._updating = False

        self.preview = CaptionPreview(self)

        self.preset = QComboBox()
        self.preset.addItems([CUSTOM_PRESET, *PRESETS])
        self.preset.setAccessibleName("Preset")
        self.reset_button = QPushButton("&Reset to defaults")
        self.reset_button.setAccessibleName("Reset to defaults")

        self.presentation = self._choices("Presentation", PRESENTATIONS)
        self.font_family = self._choices("Font", FONT_FAMILIES)
        self.font_note = QLabel()
        self.font_note.setAccessibleName("Font installed")
        self.font_note.setTextFormat(Qt.TextFormat.PlainText)
        self.size_spin = QSpinBox()
        self.size_spin.setRange(SIZE_MIN_PCT, SIZE_MAX_PCT)
        self.size_spin.setSingleStep(10)
        self.size_spin.setSuffix(" %")
        self.size_spin.setAccessibleName("Text size")
        self.text_color = ColorPicker("Text colour")
        self.text_color.setAccessibleName("Text colour")
        self.text_opacity = _percent_spin("Text opacity")
        self.edge = self._choices("Character edge", EDGES)
        self.background_color = ColorPicker("Background colour")
        self.background_color.setAccessibleName("Background colour")
        self.background_opacity = _percent_spin("Background opacity")
        self.window_color = ColorPicker("Window colour")
        self.window_color.setAccessibleName("Window colour")
        self.window_opacity = _percent_spin("Window opacity")
        self.position = self._choices("Position", POSITIONS)
        self.language = QComboBox()
        self.language.setAccessibleName("Caption language")
        self.language.addItem("The media's own", None)
        for code in languages or []:
            self.language.addItem(code, code)
        self.languages = list(languages or [])
        self.language.setEnabled(bool(languages))
        if not self.language.isEnabled():
            self.language.setToolTip("This media has one caption track")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._build_layout()
        self._connect()
        self._show_style(self._style)

    # Construction ----------------------------------------------------------------------
    def _choices(self, name: str, values: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for value in values:
            combo.addItem(LABELS[value], value)
        return combo

    def _build_layout(self) -> None:
        def form(title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
            box = QGroupBox(title)
            layout = QFormLayout(box)
            for text, widget in rows:
                label = QLabel(text)
                label.setBuddy(widget)
                layout.addRow(label, widget)
            return box

        presets_row = QHBoxLayout()
        preset_label = QLabel("Pre&set:")
        preset_label.setBuddy(self.preset)
        presets_row.addWidget(preset_label)
        presets_row.addWidget(self.preset, 1)
        presets_row.addWidget(self.reset_button)

        text_box = form(
            "Text",
            [
                ("&Font:", self.font_family),
                ("Drawn with:", self.font_note),
                ("Si&ze:", self.size_spin),
                ("Text &colour:", self.text_color),
                ("Text &opacity:", self.text_opacity),
                ("Character &edge:", self.edge),
            ],
        )
        box_box = form(
            "Background and window",
            [
                ("&Background colour:", self.background_color),
                ("Backgro&und opacity:", self.background_opacity),
                ("&Window colour:", self.window_color),
                ("W&indow opacity:", self.window_opacity),
            ],
        )
        show_box = form(
            "Display",
            [
                ("&Presentation:", self.presentation),
                ("Posi&tion:", self.position),
                ("&Language:", self.language),
            ],
        )
        controls = QVBoxLayout()
        controls.addLayout(presets_row)
        controls.addWidget(show_box)
        controls.addWidget(text_box)
        controls.addWidget(box_box)
        controls.addStretch(1)

        main = QHBoxLayout()
        main.addLayout(controls, 0)
        preview_column = QVBoxLayout()
        preview_label = QLabel("Preview (also shown on the video while this dialog is open):")
        preview_label.setWordWrap(True)
        preview_column.addWidget(preview_label)
        preview_column.addWidget(self.preview)
        preview_column.addStretch(1)
        main.addLayout(preview_column, 1)

        outer = QVBoxLayout(self)
        outer.addLayout(main, 1)
        outer.addWidget(self.buttons)
        self.preset.setFocus()

    def _connect(self) -> None:
        for combo, key in (
            (self.presentation, "presentation"),
            (self.font_family, "font_family"),
            (self.edge, "edge"),
            (self.position, "position"),
            (self.language, "language"),
        ):
            combo.currentIndexChanged.connect(lambda _i, c=combo, k=key: self._change(k, c.currentData()))
        self.size_spin.valueChanged.connect(lambda v: self._change("size_pct", v))
        for spin, key in (
            (self.text_opacity, "text_opacity"),
            (self.background_opacity, "background_opacity"),
            (self.window_opacity, "window_opacity"),
        ):
            spin.valueChanged.connect(lambda v, k=key: self._change(k, v / 100))
        for picker, key in (
            (self.text_color, "text_color"),
            (self.background_color, "background_color"),
            (self.window_color, "window_color"),
        ):
            picker.colorChanged.connect(lambda v, k=key: self._change(k, v))
        self.preset.activated.connect(self._preset_chosen)
        self.reset_button.clicked.connect(self.reset_to_defaults)

    # The style -------------------------------------------------------------------------
    def caption_style(self) -> CaptionStyle:
        """The style the dialog shows now."""
        return self._style

    def set_caption_style(self, style: CaptionStyle) -> None:
        """Show ``style`` in every control and the preview, and send it out."""
        style = style.clamped()
        self._show_style(style)
        if style != self._style:
            self._style = style
            self.styleChanged.emit(style)

    def apply_preset(self, name: str) -> None:
        """Switch to one of :data:`PRESETS` (keeping the chosen caption language)."""
        self.set_caption_style(PRESETS[name].with_changes(language=self._style.language))

    def reset_to_defaults(self) -> None:
        self.apply_preset("Default")

    def _preset_chosen(self, index: int) -> None:
        name = self.preset.itemText(index)
        if name in PRESETS:
            self.apply_preset(name)

    def _change(self, key: str, value: Any) -> None:
        if self._updating:
            return
        self.set_caption_style(self._style.with_changes(**{key: value}))

    def _show_style(self, style: CaptionStyle) -> None:
        self._updating = True
        try:
            for combo, value in (
                (self.presentation, style.presentation),
                (self.font_family, style.font_family),
                (self.edge, style.edge),
                (self.position, style.position),
            ):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            lang = self.language.findData(style.language) if style.language else 0
            self.language.setCurrentIndex(max(0, lang))
            self.size_spin.setValue(style.size_pct)
            self.text_opacity.setValue(round(style.text_opacity * 100))
            self.background_opacity.setValue(round(style.background_opacity * 100))
            self.window_opacity.setValue(round(style.window_opacity * 100))
            self.text_color.set_color(style.text_color)
            self.background_color.set_color(style.background_color)
            self.window_color.set_color(style.window_color)
            self.font_note.setText(font_mapping_text(style.font_family))
            matching = next(
                (name for name, p in PRESETS.items() if p.with_changes(language=style.language) == style),
                CUSTOM_PRESET,
            )
            self.preset.setCurrentText(matching)
            self.preview.set_caption_style(style)
        finally:
            self._updating = False

    # Opening and closing ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        """Each time the dialog opens, start from (and be able to go back to) the kept style."""
        if not event.spontaneous():
            self._original = self.store.caption_style
            self._style = self._original
            self._show_style(self._original)
        super().showEvent(event)

    def accept(self) -> None:
        self.store.caption_style = self._style
        super().accept()

    def reject(self) -> None:
        self._show_style(self._original)
        self._style = self._original
        self.styleChanged.emit(self._original)
        super().reject()
