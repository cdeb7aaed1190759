"""The encoding matrix of the sync benchmark (issue 18) still runs and reads what it made:
a phone-like clip's frame times, PyAV's index of a Matroska file against ffprobe's keyframes,
and one clip measured end to end (``bench_matrix.py --quick``, figures sane, not the goals)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_matrix  # noqa: E402

from clipsync.media.media_index import MATROSKA_KEY_LAG_MS, read_index  # noqa: E402


def _ffprobe_keyframes_pts_ms(media: Path) -> list[float]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=pts_time,flags",
         "-of", "csv=p=0", str(media)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return sorted(float(line.split(",")[0]) * 1000 for line in out.split() if "K" in line.split(",")[1])


def test_a_phone_like_clip_has_the_frame_times_of_its_pictures(tmp_path: Path) -> None:
    """60, 30 and 20 frames a second in turn: the judge's frame times and the app's index
    (PyAV, packets read, not decoded) agree picture by picture."""
    spec = bench_matrix.ClipSpec("t-vfr", "60", "h264", "mp4", 1.0, vfr=True)
    clip, _ = bench_matrix.make(spec, 7.0, tmp_path, (160, 90))
    times = bench_matrix.load_frame_times(clip)
    assert times is not None
    gaps = {round(b - a, 1) for a, b in itertools.pairwise(times)}
    assert gaps == {16.7, 33.3, 50.0}
    index = read_index(clip)
    assert index is not None and index.frame_times_ms is not None
    assert max(abs(a - b) for a, b in zip(index.frame_times_ms, times, strict=True)) < 0.5


def test_a_matroska_index_lists_its_keyframes_pictures(tmp_path: Path) -> None:
    """Matroska/WebM: the keyframes come from the Cues (presentation times), libVLC counts
    from a little after them (``MATROSKA_KEY_LAG_MS``, no decode lead), and the first
    picture's time is the container's."""
    spec = bench_matrix.ClipSpec("t-mkv", "50", "h264", "mkv", 1.0)
    clip, _ = bench_matrix.make(spec, 6.0, tmp_path, (160, 90))
    index = read_index(clip)
    assert index is not None
    assert index.keyframes_ms == pytest.approx(_ffprobe_keyframes_pts_ms(clip), abs=0.5)
    assert index.decode_lead_ms == -MATROSKA_KEY_LAG_MS and index.first_ms == pytest.approx(
        index.keyframes_ms[0]
    )
    assert index.shown_from_ms == 0  # at 1x Matroska shows the picture asked for by its start
    assert index.frame_ms == pytest.approx(20.0) and index.frame_times_ms is None


@pytest.mark.slow
def test_a_matrix_clip_is_measured_end_to_end(tmp_path: Path) -> None:
    """``bench_matrix.py --quick h264-50-k1-mkv`` plays the clip in the real window at 1x and
    1.5x and writes its figures under its own keys."""
    out = tmp_path / "matrix.json"
    env = {**os.environ, "CLIPSYNC_BENCH_CACHE": str(tmp_path / "cache")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_matrix.py"), "--quick", "h264-50-k1-mkv", "--json", str(out)],
        capture_output=True, text=True, timeout=600, env=env, cwd=ROOT / "benchmarks",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(out.read_text())
    key = "matrix.h264-50-k1-mkv."
    assert figures[key + "sync.frames"] > 100 and figures[key + "sync.rate15.frames"] > 100
    assert 50 <= figures[key + "sync.frames_correct_pct"] <= 100
    assert figures[key + "frame_ms"] == pytest.approx(20.0, abs=0.1)
    assert "| h264-50-k1-mkv | 20.0 |" in done.stderr
