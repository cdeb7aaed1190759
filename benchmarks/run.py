"""clipsync benchmarks (issues 6 and 10): sync, jumps, audio landing, seek, start-up, CPU and scale.

    python benchmarks/run.py [--quick] [--json OUT] [--raw ROWS.json]
        [--only sync,audio,startup,cpu,peers,scale] [--install-peers]

Parts: ``sync`` (the window at rates 1.0 and 1.5 with seeks, quote jumps, speed changes and
pauses; frames right, clock error, landing of the first picture after each jump; then timed
clicks on quote markers), ``audio`` (quote jumps at 0.5x-2x with libVLC's ``afile`` output:
where the first sound after each jump comes from), ``startup``, ``cpu`` (offscreen, against
minimal python-vlc and Qt players), ``peers`` (under one Xvfb, against mpv and VLC's own Qt
interface), ``scale`` (a 30,000-sentence article).

Every figure comes from a separate process running the real code (``bench_app.py``,
``bench_baseline*.py``, ``bench_scale.py``, the peers); media are made with ffmpeg into the
cache folder (``benchmarks/.cache``, or ``$CLIPSYNC_BENCH_CACHE``). The JSON holds the figures
as flat dotted keys (numbers; times in ms unless the name ends in ``_s``; null when not
measured) and a ``meta`` object. ``--quick`` runs a few seconds of each (for CI: it proves the
harness works, not the goals).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")

import bench_media  # noqa: E402
from bench_judge import judge_sync  # noqa: E402
from bench_proc import log, proc_cpu_s, read_json_line, stop  # noqa: E402

PY = sys.executable

#: The figures every run must produce (the CI test checks them).
REQUIRED_KEYS = (
    "sync.frames_correct_pct",
    "sync.p50_ms",
    "sync.p95_ms",
    "sync.p99_ms",
    "sync.max_ms",
    "sync.rate15_p95_ms",
    "sync.rate15_p99_ms",
    "sync.rate15_frames_correct_pct",
    "sync.naive_p95_ms",
    "sync.jump_landing_median_ms",
    "sync.jump_landing_max_ms",
    "sync.jump_old_pictures",
    "sync.jump_old_paints_wrong_text",
    "audio.landing_median_ms",
    "audio.landing_max_ms",
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

#: (key, comparison, goal, how the goal reads) for the report.
GOALS = (
    ("sync.frames_correct_pct", ">=", 99.8, ">= 99.8 % (rate 1.0; issue 10)"),
    ("sync.p95_ms", "<=", 15, "<= 15 ms"),
    ("sync.p99_ms", "<=", 40, "<= 40 ms"),
    ("sync.rate15_frames_correct_pct", ">=", 99.8, ">= 99.8 %"),
    ("sync.rate15_p95_ms", "<=", 15, "<= 15 ms"),
    ("sync.rate15_p99_ms", "<=", 40, "<= 40 ms"),
    ("sync.jump_landing_max_ms", "<=", 40, "<= 40 ms (first picture after a quote jump)"),
    ("sync.jump_old_paints_wrong_text", "<=", 0, "0 (never new text over an old picture)"),
    ("sync.jump_new_frames_wrong_text_max", "<=", 1, "<= 1 frame (old text over a new picture)"),
    ("audio.landing_max_ms", "<=", 40, "<= 40 ms (first sound, worst rate 0.5x-2x)"),
    ("seek.median_ms", "<=", 150, "<= 150 ms"),
    ("startup.first_frame_s", "<=", 1.5, "<= 1.5 s"),
    ("startup.first_frame_ratio", "<=", 1.3, "<= 1.3 x minimal script"),
    ("cpu.ratio_360p", "<=", 1.5, "<= 1.5 x minimal script"),
    ("cpu.ratio_1080p", "<=", 1.5, "<= 1.5 x minimal script"),
    ("cpu.ratio_mpv_360p", "<=", 1.5, "<= 1.5 x mpv (under Xvfb)"),
    ("cpu.ratio_mpv_1080p", "<=", 1.5, "<= 1.5 x mpv (under Xvfb)"),
    ("scale.load_s", "<=", 1.0, "<= 1 s"),
    ("scale.rss_mb", "<=", 300, "<= 300 MB"),
    ("scale.update_ms", "<=", 1.0, "<= 1 ms"),
)


# Sync and seek ---------------------------------------------------------------------------------
def run_sync(
    clip: Path, doc: Path, clip_s: float, quick: bool, raw_out: Path | None = None
) -> dict[str, float]:
    counts = (
        {"duration": 8, "seeks": 2, "pauses": 1, "jumps": 2, "rate-changes": 1, "quote-seeks": 4}
        if quick
        else {"duration": 62, "seeks": 20, "pauses": 5, "jumps": 10, "rate-changes": 5, "quote-seeks": 30}
    )
    options = [part for name, value in counts.items() for part in (f"--{name}", str(value))]
    command = [PY, str(HERE / "bench_app.py"), "sync", str(clip), str(doc), "--seconds-clip", str(clip_s)]
    log(f"sync + seek: {' '.join(options)}")
    done = subprocess.run(command + options, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(
            f"sync run failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-3000:]}"
        )
    data = json.loads(done.stdout[done.stdout.index("{") :])
    figures = judge_sync(data, doc)
    if raw_out is not None:
        raw_out.write_text(json.dumps(data))  # with the judged jumps
    return figures


# Audio landing ---------------------------------------------------------------------------------
def run_audio(
    clip: Path, doc: Path, clip_s: float, quick: bool, raw_out: Path | None = None
) -> dict[str, float]:
    from bench_audio import judge_audio

    wav = bench_media.cache_dir() / "audio-landing.wav"
    rates = ["1", "2"] if quick else ["0.5", "1", "1.5", "2"]
    jumps = "2" if quick else "10"
    command = [PY, str(HERE / "bench_app.py"), "audio", str(clip), str(doc), "--seconds-clip", str(clip_s)]
    command += ["--wav", str(wav), "--rates", *rates, "--jumps", jumps]
    log(f"audio landing: rates {' '.join(rates)}, {jumps} jumps each, sound to {wav}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(
            f"audio run failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-3000:]}"
        )
    data = json.loads(done.stdout[done.stdout.index("{") :])
    figures = judge_audio(data, doc)
    if raw_out is not None:
        raw_out.write_text(json.dumps({k: v for k, v in data.items() if k != "rows"}))
    return figures


# Start-up ----------------------------------------------------------------------------------------
def run_startup(clip: Path, doc: Path, runs: int, warmup: bool) -> dict[str, float]:
    width, height = 640, 360
    app_cmd = [PY, str(HERE / "bench_app.py"), "startup", str(clip), str(doc)]
    base_cmd = [
        PY,
        str(HERE / "bench_baseline.py"),
        str(clip),
        "--first-frame",
        "--size",
        f"{width}x{height}",
    ]
    qt_cmd = [
        PY,
        str(HERE / "bench_baseline_qt.py"),
        str(clip),
        "--first-frame",
        "--size",
        f"{width}x{height}",
    ]

    def once(command: list[str]) -> dict[str, float]:
        t0 = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            marks = read_json_line(proc, 40)
        finally:
            stop(proc)
        if marks.get("first_frame") is None:
            raise RuntimeError(f"no first frame from {command}: {marks}")
        return {k: float(v) - t0 for k, v in marks.items() if isinstance(v, float)}

    if warmup:  # the first process after making the media pays for a cold disk cache
        once(app_cmd)
        once(base_cmd)
        once(qt_cmd)
    app_runs, base_runs, qt_runs = [], [], []
    for i in range(runs):
        app_runs.append(once(app_cmd))
        base_runs.append(once(base_cmd))
        qt_runs.append(once(qt_cmd))
        log(
            f"start-up run {i + 1}/{runs}: app shown {app_runs[-1]['shown']:.3f} s, first frame "
            f"{app_runs[-1]['first_frame']:.3f} s; minimal script {base_runs[-1]['first_frame']:.3f} s; "
            f"minimal Qt script {qt_runs[-1]['first_frame']:.3f} s"
        )
    qt_first = statistics.median(r["first_frame"] for r in qt_runs)
    shown = statistics.median(r["shown"] for r in app_runs)
    first = statistics.median(r["first_frame"] for r in app_runs)
    base = statistics.median(r["first_frame"] for r in base_runs)
    return {
        "startup.runs": runs,
        "startup.window_s": shown,
        "startup.first_frame_s": first,
        "startup.baseline_first_frame_s": base,
        "startup.first_frame_ratio": first / base,
        "startup.first_frame_max_s": max(r["first_frame"] for r in app_runs),
        "startup.baseline_qt_first_frame_s": qt_first,
        "startup.first_frame_ratio_qt": first / qt_first,
    }


# CPU ---------------------------------------------------------------------------------------------
def cpu_of(command: list[str], warm_s: float, measure_s: float) -> float:
    """Percent of one core used by ``command`` over ``measure_s`` of playback after ``warm_s``."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        read_json_line(proc, 40)  # playing: first frame shown
        time.sleep(warm_s)
        c0, t0 = proc_cpu_s(proc.pid), time.monotonic()
        time.sleep(measure_s)
        c1, t1 = proc_cpu_s(proc.pid), time.monotonic()
        if proc.poll() is not None:
            raise RuntimeError(f"{command} ended during the CPU measurement")
    finally:
        stop(proc)
    return 100.0 * (c1 - c0) / (t1 - t0)


def run_cpu(
    clips: dict[str, tuple[Path, Path, tuple[int, int]]], runs: int, warm_s: float, measure_s: float
) -> dict[str, float]:
    out: dict[str, float] = {}
    for label, (clip, doc, (width, height)) in clips.items():
        app_cmd = [PY, str(HERE / "bench_app.py"), "play", str(clip), str(doc)]
        base_cmd = [
            PY,
            str(HERE / "bench_baseline.py"),
            str(clip),
            "--play",
            "3600",
            "--size",
            f"{width}x{height}",
        ]
        qt_cmd = [PY, str(HERE / "bench_baseline_qt.py"), str(clip), "--play", "--size", f"{width}x{height}"]
        app, base, qt = [], [], []
        for i in range(runs):
            app.append(cpu_of(app_cmd, warm_s, measure_s))
            base.append(cpu_of(base_cmd, warm_s, measure_s))
            qt.append(cpu_of(qt_cmd, warm_s, measure_s))
            log(
                f"CPU {label} run {i + 1}/{runs}: app {app[-1]:.1f} %, minimal script {base[-1]:.1f} %, "
                f"minimal Qt script {qt[-1]:.1f} %"
            )
        out[f"cpu.app_{label}_pct"] = statistics.median(app)
        out[f"cpu.baseline_{label}_pct"] = statistics.median(base)
        out[f"cpu.ratio_{label}"] = statistics.median(app) / statistics.median(base)
        out[f"cpu.baseline_qt_{label}_pct"] = statistics.median(qt)
        out[f"cpu.ratio_qt_{label}"] = statistics.median(app) / statistics.median(qt)
    out["cpu.runs"] = runs
    out["cpu.measure_s"] = measure_s
    return out


# Scale -------------------------------------------------------------------------------------------
def run_scale(sentences: int) -> dict[str, float]:
    window = subprocess.run(
        [PY, "-c", "import clipsync.ui.window.main_window"], capture_output=True, timeout=120
    )
    command = [PY, str(HERE / "bench_scale.py"), "--sentences", str(sentences), "--words"]
    if window.returncode == 0:
        command.append("--window")
    else:
        log("scale: the main window cannot be imported; measuring ArticleView alone")
    bench_media.long_article_doc(sentences, words=True)  # made before timing, in this process
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"scale run failed: {done.stdout[-2000:]} {done.stderr[-3000:]}")
    result = json.loads(done.stdout[done.stdout.index("{") :])
    return {k: v for k, v in result.items() if isinstance(v, int | float)} | {
        "scale.window": float(window.returncode == 0)
    }


# Machine ---------------------------------------------------------------------------------------
def machine() -> dict[str, object]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    versions = subprocess.run(
        [
            PY,
            "-c",
            "import vlc, PySide6; print(vlc.libvlc_get_version().decode()); print(PySide6.__version__);"
            " print(getattr(vlc, '__version__', ''))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split("\n")
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "libvlc": versions[0] if versions else "",
        "pyside6": versions[1] if len(versions) > 1 else "",
        "python_vlc": versions[2] if len(versions) > 2 else "",
        "ffmpeg": ffmpeg,
        "platform": platform.platform(),
        "qt_qpa_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def goal_table(results: dict[str, float]) -> str:
    lines = ["| figure | result | goal | met |", "|---|---|---|---|"]
    for key, op, goal, text in GOALS:
        if key not in results:
            continue  # that part was not run
        value = results[key]
        if math.isnan(value):
            lines.append(f"| `{key}` | not measured | {text} | – |")
            continue
        met = (value >= goal) if op == ">=" else (value <= goal)
        lines.append(f"| `{key}` | {value:.3g} | {text} | {'yes' if met else '**no**'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a few seconds of each (CI)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--only",
        default="sync,audio,startup,cpu,peers,scale",
        help="comma-separated parts to run (also: matrix, the encoding matrix of bench_matrix.py)",
    )
    parser.add_argument(
        "--install-peers",
        action="store_true",
        help="first install mpv, VLC's Qt interface and Xvfb and add the user VLC runs as (root, Debian)",
    )
    parser.add_argument("--raw", type=Path, help="also keep the sync run's per-paint rows here (JSON)")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    quick = args.quick
    started = time.monotonic()
    results: dict[str, float] = {}

    log("making the measurement media (cached)")
    clip_s = 40.0 if quick else 150.0
    clip, doc = bench_media.clip_with_doc(clip_s)
    clip_hd_s = 10.0 if quick else 30.0
    clip_hd, doc_hd = bench_media.clip_with_doc(clip_hd_s, 1920, 1080)

    if "sync" in parts:
        results |= run_sync(clip, doc, clip_s, quick, args.raw)
    if "audio" in parts:
        audio_raw = args.raw.with_name(args.raw.stem + "-audio.json") if args.raw else None
        results |= run_audio(clip, doc, clip_s, quick, audio_raw)
    if "startup" in parts:
        results |= run_startup(clip, doc, runs=1 if quick else 5, warmup=not quick)
    if "cpu" in parts:
        clips = {"360p": (clip, doc, (640, 360)), "1080p": (clip_hd, doc_hd, (1920, 1080))}
        results |= run_cpu(
            clips, runs=1 if quick else 3, warm_s=1.0 if quick else 2.0, measure_s=3.0 if quick else 10.0
        )
    peers_missing: dict[str, str] = {}
    if "peers" in parts:
        from bench_peers import run_peers

        if args.install_peers:
            from bench_peers import setup

            setup()
        peer_clips = {"360p": (clip, doc, clip_s), "1080p": (clip_hd, doc_hd, clip_hd_s)}
        figures, peers_missing = run_peers(
            peer_clips, runs=1 if quick else 3, warm_s=1.0 if quick else 3.0, measure_s=3.0 if quick else 10.0
        )
        results |= figures
    if "scale" in parts:
        results |= run_scale(30_000)
    if "matrix" in parts:  # the encoding matrix (issue 18); not in the default parts: ~25 minutes
        import bench_matrix

        specs = bench_matrix.QUICK_MATRIX if quick else bench_matrix.MATRIX
        for spec in specs:
            results |= bench_matrix.run_clip(spec, quick, PY, log)
        print(bench_matrix.table(results), file=sys.stderr)

    meta = machine() | {
        "command": "python benchmarks/run.py" + (" --quick" if quick else ""),
        "quick": quick,
        "elapsed_s": round(time.monotonic() - started, 1),
        "sync_clip": clip.name,
        "clip_1080p": clip_hd.name,
        "peers_missing": peers_missing,
    }
    document = {
        k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in sorted(results.items())
    }
    document["meta"] = meta  # type: ignore[assignment]
    text = json.dumps(document, indent=1)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    print(text)
    if parts & {"sync", "audio", "startup", "cpu", "peers", "scale", "matrix"}:
        print(goal_table(results), file=sys.stderr)
    log(f"done in {meta['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
