"""File > Align article...: the dialog aligns in the background, saves beside the media, cancels cleanly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from clipsync.core.alignment.synthetic import make_clip
from clipsync.core.formats.syncdoc import load_sync
from clipsync.ui.editor.align_dialog import AlignDialog

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "resources" / "clip" / "syria.page.txt"  # the captured web page
SENTENCES = [
    "Ships Leave the Harbour",
    "The first ships left the harbour at dawn on Monday.",
    "Crowds watched from the pier.",
]


@pytest.fixture(scope="module")
def small_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("dialog")
    media = folder / "ships.m4a"
    make_clip(SENTENCES, media, pause_ms=500)
    text = folder / "ships.txt"
    text.write_text(f"{SENTENCES[0]}\n\n{SENTENCES[1]} {SENTENCES[2]}\n", encoding="utf-8")
    return media, text


def test_align_dialog_end_to_end(qtbot, small_clip, tmp_path: Path) -> None:
    """Align runs in the background, the GUI thread keeps ticking, the result is saved and announced."""
    media_src, text = small_clip
    media = tmp_path / media_src.name
    shutil.copy(media_src, media)
    dialog = AlignDialog(media, text_path=text)
    qtbot.addWidget(dialog)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(dialog.aligned, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.start_button, qtbot_button_left())
    timer.stop()
    sync_path = blocker.args[0]
    assert sync_path == media.with_name("ships.sync.json")
    article = load_sync(sync_path)
    assert all(s.timed for s in article.sentences)
    assert media.with_name("ships.vtt").is_file()
    assert len(ticks) >= 5  # the event loop ran while the worker aligned
    assert dialog.progress_bar.value() == 1000


def test_cancel_leaves_no_output(qtbot, clip_media: Path, tmp_path: Path) -> None:
    """Cancel during a run stops the worker and writes nothing next to the media."""
    media = tmp_path / "syria.mp4"
    media.symlink_to(clip_media)
    dialog = AlignDialog(media, text_path=SEED)
    qtbot.addWidget(dialog)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 0, timeout=20_000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: "Cancelled" in dialog.status.text(), timeout=20_000)
    dialog.wait(10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["syria.mp4"]
    assert dialog.start_button.isEnabled()


def test_errors_are_shown_as_plain_text(qtbot, tmp_path: Path) -> None:
    """A missing text file and unreadable media are reported in the dialog, not raised."""
    media = tmp_path / "broken.mp4"
    media.write_text("not media", encoding="utf-8")
    dialog = AlignDialog(media, text_path=tmp_path / "missing.txt")
    qtbot.addWidget(dialog)
    dialog.start_button.click()
    assert "file not found" in dialog.status.text()
    text = tmp_path / "a.txt"
    text.write_text("A Title Line Here\n\nSome text that cannot be aligned to anything.\n", encoding="utf-8")
    dialog.text_edit.setText(str(text))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "broken.mp4" in dialog.status.text(), timeout=20_000)
    assert dialog.start_button.isEnabled()
    assert not media.with_name("broken.sync.json").exists()


def qtbot_button_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
