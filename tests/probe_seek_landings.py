"""A probe, not a test (not collected by default: run it by its path): where each seek lands,
read from the painted picture, with what the timing rules saw. docs/benchmarks.md, "Any
video", "landings beside a busy core, with the pace".

    QT_QPA_PLATFORM=offscreen CLIPSYNC_AUDIO_OUTPUT=adummy PROBE_OUT=probe.jsonl \\
        python -m pytest -q -p no:randomly tests/probe_seek_landings.py

One JSON line a seek: the rate, the target and its keyframe, ``err`` (the first new
picture's frame minus the target's), ``text_err`` (its text's distance from it, in frames),
the pace the seek was aimed with, each picture's arrival after the request with the rules'
answer (``old``, the time given) and the last pictures before it, and the load average.
``PROBE_RATES`` (1.5,2.0) and ``PROBE_N`` (only the first N targets before a keyframe's picture).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from bench_media import FRAME_MS, clip_with_doc, decode_frame_number
from pytestqt.qtbot import QtBot

from clipsync.media.media_index import read_index
from playing_window import window_playing_at

RATES = [float(rate) for rate in os.environ.get("PROBE_RATES", "1.5,2.0").split(",")]


@pytest.mark.parametrize("rate", RATES)
def test_probe_seek_landings(qtbot: QtBot, rate: float) -> None:
    out = Path(os.environ.get("PROBE_OUT", "probe-seek-landings.jsonl"))
    clip, doc = clip_with_doc(40)
    index = read_index(clip)
    assert index is not None
    window = window_playing_at(qtbot, clip, doc, rate)
    controller = window.controller
    player = controller.player
    pictures: list[tuple[float, bool, int | None]] = []
    rules = controller._pictures
    timed = rules.picture

    def picture(at: float, repeat: bool, clock_ms: int) -> int | None:
        position = timed(at, repeat, clock_ms)
        pictures.append((at, rules.old, position))
        return position

    rules.picture = picture  # type: ignore[method-assign]
    painted: list[tuple[int | None, int]] = []
    controller.frameReady.connect(
        lambda image: painted.append((decode_frame_number(image), controller.text_position()))
    )
    keys = index.decode_ms
    # 2 frames before a keyframe's picture (as test_seek_landing), then 0.5 s and 1.2 s after one.
    targets = [round(key) for key in keys[3:13:2]]
    if os.environ.get("PROBE_N"):
        targets = targets[: int(os.environ["PROBE_N"])]
    else:
        targets += [round(keys[i] + 500) for i in (4, 6)] + [round(keys[i] + 1200) for i in (8, 10)]
    for target in targets:
        frame = round(target / FRAME_MS)
        qtbot.wait(400)
        painted.clear()
        del pictures[:-6]
        before = len(pictures)
        pace = player.pace.ms_per_picture if hasattr(player, "pace") else None
        asked = time.monotonic()
        controller.seek(target)

        def landed(frame: int = frame) -> list[tuple[int, int]]:
            return [(n, p) for n, p in painted if n is not None and abs(n - frame) < 90]

        qtbot.waitUntil(lambda: bool(landed()), timeout=5000)
        qtbot.wait(700)
        number, position = landed()[0]
        record = {
            "rate": rate,
            "target": target,
            "key": index.key_before(target),
            "err": number - frame,
            "text_err": round((position - number * FRAME_MS) / FRAME_MS, 2),
            "pace": pace,
            "pictures": [(round((at - asked) * 1000, 1), old, ms) for at, old, ms in pictures[before:][:14]],
            "before": [round((at - asked) * 1000, 1) for at, _, _ in pictures[:before]],
            "load": Path("/proc/loadavg").read_text().split()[0],
        }
        with out.open("a") as file:
            file.write(json.dumps(record) + "\n")
    window.close()
