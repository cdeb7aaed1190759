"""The benchmark harness (issue 6) still runs: ``benchmarks/run.py --quick`` end to end."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

KEYS = (
    "sync.frames_correct_pct",
    "sync.p50_ms",
    "sync.p95_ms",
    "sync.p99_ms",
    "sync.max_ms",
    "sync.rate15_p95_ms",
    "sync.naive_p95_ms",
    "seek.median_ms",
    "seek.p95_ms",
    "startup.window_s",
    "startup.first_frame_s",
    "startup.baseline_first_frame_s",
    "cpu.app_360p_pct",
    "cpu.baseline_360p_pct",
    "cpu.app_1080p_pct",
    "cpu.baseline_1080p_pct",
    "scale.load_s",
    "scale.rss_mb",
    "scale.update_ms",
)


@pytest.mark.slow
def test_quick_benchmark_run_produces_sane_figures(tmp_path: Path) -> None:
    """``run.py --quick --json OUT`` plays the measurement clip in the real window, starts the
    app and the minimal python-vlc script, measures CPU and loads the 30,000-sentence article,
    and writes every figure of issue 6: present, finite, not negative (clock errors may be 0),
    positive for times, CPU and memory, and ``frames_correct_pct`` a percentage.

    It checks that the harness works, not the performance goals (those are for the full run
    on a quiet machine, reported in docs/benchmarks.md).
    """
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLIPSYNC_AUDIO_OUTPUT="adummy")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    figures = json.loads(out.read_text())
    missing = [key for key in KEYS if key not in figures]
    assert not missing, f"missing figures: {missing}"
    for key in KEYS:
        value = figures[key]
        assert isinstance(value, int | float) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value), (key, value)
        if key.startswith("sync.") and key.endswith("_ms"):
            assert value >= 0, (key, value)  # an error can be exactly 0 ms
        else:
            assert value > 0, (key, value)
    assert 0 <= figures["sync.frames_correct_pct"] <= 100
    assert figures["sync.frames"] > 0 and figures["seek.count"] > 0
    # The clock error is bounded by the clip (no unit mix-up: ms, not s or µs).
    assert figures["sync.max_ms"] < 10 * 60 * 1000
    assert figures["startup.window_s"] <= figures["startup.first_frame_s"] + 1e-6
    assert figures["meta"]["nproc"] >= 1
