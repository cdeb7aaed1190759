"""No damaged pictures after a seek above 1x in a file whose keyframes are far apart (issue 18):
real libVLC, the real window, a clip made here with ffmpeg (H.264, 25 fps, keyframes 10 s
apart) that carries its frame number in every picture.

Above 1x libVLC reads the pictures after a seek late by up to a quarter of the distance to the
keyframe; past its file caching it flushed its decoders in the middle of the group of pictures
and every picture up to the next keyframe was damaged (grey, smeared: no frame number could be
read from them). docs/libvlc.md, "Damaged pictures after a seek above 1x";
benchmarks/repro/seek_damage.py."""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from playing_window import window_playing_at

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark modules import each other by name
import bench_matrix  # noqa: E402
from bench_media import decode_frame_number  # noqa: E402

SPEC = bench_matrix.ClipSpec("t-h264-25-k10-mp4", "25", "h264", "mp4", 10.0)
FRAME_MS = 40


@pytest.fixture(scope="module")
def long_gop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return bench_matrix.make(SPEC, 16.0, tmp_path_factory.mktemp("long-gop"), (320, 180))


@pytest.mark.slow
@pytest.mark.parametrize("rate", [1.5, 2.0])
def test_the_pictures_after_a_seek_far_from_its_keyframe_are_whole(
    qtbot: QtBot, long_gop: tuple[Path, Path], rate: float
) -> None:
    """Seeks 8 and 9 s after the keyframe at 0: the first new picture and every one painted in
    the 1.2 s after it carry a readable frame number, one to three frames after the one before
    (the GUI may paint only the newest)."""
    clip, doc = long_gop
    window = window_playing_at(qtbot, clip, doc, rate)
    controller = window.controller
    painted: list[int | None] = []
    controller.frameReady.connect(lambda image: painted.append(decode_frame_number(image)))
    for target in (8000, 9000):
        qtbot.wait(300)
        painted.clear()
        controller.seek(target)
        frame = target // FRAME_MS
        qtbot.waitUntil(lambda f=frame: any(n is not None and abs(n - f) <= 3 for n in painted), timeout=5000)
        first = next(i for i, n in enumerate(painted) if n is not None and abs(n - frame) <= 3)
        qtbot.wait(1200)
        after = painted[first:]
        steps = [b - a for a, b in pairwise(after) if a is not None and b is not None]
        assert None not in after and all(1 <= s <= 3 for s in steps), (target, after)
        assert len(after) > 20
    window.close()
