"""Audio landing: where the first sound after a quote jump comes from (``bench_app.py audio``).

The window plays the measurement clip, whose sound codes its own time (``audio_code.py``),
with libVLC's ``afile`` audio output writing everything it would play into a WAV file
(``clipsync.media.vlc_backend.instance_options`` is wrapped in this process to add
``--aout=afile --audiofile-file=OUT --audiofile-wav``). At each rate (0.5x, 1x, 1.5x, 2x by
default, set through the speed box) it makes ``--jumps`` quote jumps, alternately a click on
a quote's timeline marker and the ``]`` key, ``--gap`` seconds apart.

What the file can and cannot tell. libVLC 3 hands decoded sound to the audio output up to
2 s before it is due (the decoder waits only until ``pts - AOUT_MAX_PREPARE_TIME``), and
``afile`` has no clock of its own (no ``time_get``) and writes each buffer at once; its flush
only flushes the file. So the file runs ahead of playback by about 1-2 s, and at a jump the
sound already written for the old position stays in it (a sound card's buffer would be
dropped). The file therefore says *what* is played after the jump and in which order, not
*when*: the landing is read where the recorded media time breaks off
(``audio_code.find_jumps``), and each jump asked for is matched, in order, with the next
break that lands from 0.3 s before to 2.5 s after its target. A jump forward by about as far
as the file is ahead leaves no break at all (the new sound goes on where the written sound
ended), so the jumps here never pick a quote less than ``rate * AFILE_LEAD_MS`` (+0.5 s) ahead.

``judge_audio`` (run in ``run.py``) gives per rate the landing error of the first sound
(median, max of |error|), the same for the first picture painted (from the paint rows), and
the short runs: sound of a few ms from an earlier position played between jumps.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import audio_code
import bench_judge
import scratch
from bench_ui import Driver, Recorder, make_window

#: How far (in the file's own time) ``afile`` may run ahead of playback: measured 1.2-1.3 s
#: with libVLC's 1 s file caching and 2.0-2.1 s with clipsync's 3 s (``audio.afile_ahead_s``,
#: 40 s measurement clip, 2026-12-05).
AFILE_LEAD_MS = 2500


def use_afile(wav: Path) -> None:
    """Make every libVLC instance of this process write its sound to ``wav``."""
    os.environ["CLIPSYNC_AUDIO_OUTPUT"] = "afile"
    from clipsync.media import vlc_backend

    original = vlc_backend.instance_options

    def with_file() -> list[str]:
        return [*original(), "--aout=afile", f"--audiofile-file={wav}", "--audiofile-wav"]

    vlc_backend.instance_options = with_file


def run_audio(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from clipsync.ui.player.controller import State

    wav = Path(args.wav)
    wav.unlink(missing_ok=True)
    use_afile(wav)
    app, window = make_window()
    controller = window.controller
    recorder = Recorder(window)
    driver = Driver(app, window, recorder)
    sizes: list[tuple[float, int]] = []  # (perf_counter, bytes in the file): how far ahead it runs
    sampler = QTimer()
    sampler.timeout.connect(
        lambda: sizes.append((time.perf_counter(), wav.stat().st_size if wav.exists() else 0))
    )
    sampler.start(100)
    window.show()
    window.open_media(args.media, args.text, None)

    def started_playing() -> bool:  # an audio-only file has no picture to wait for
        video = controller.player is not None and controller.player.has_video()
        return controller.state is State.PLAYING and (controller.frame is not None or not video)

    if not driver.wait_until(started_playing, 20):
        print(json.dumps({"error": f"the clip did not start: {controller.state} {controller.error}"}))
        scratch.leave(1)
    started = time.perf_counter()
    recorder.segment = "audio"
    for rate in args.rates:
        driver.choose_rate(rate)
        driver.pump(1.0)
        for k in range(args.jumps):
            driver.quote_jump(
                "marker" if k % 2 == 0 else "key",
                min_distance_ms=2000,
                margin_ms=6000,
                not_ahead_ms=int(float(rate) * AFILE_LEAD_MS + 500),
            )
            driver.pump(args.gap)
    recorder.segment = ""
    sampler.stop()
    # Releasing the player stops the audio output, which writes the WAV header's lengths.
    controller.shutdown()
    out = {
        "wav": str(wav),
        "started": started,
        "sizes": sizes,
        "jumps": driver.jumps,
        "rows": recorder.rows,
        "events": recorder.events,
        "presentation": window.caption_style.presentation,
        "caption_delay_ms": window.caption_delay_ms,
    }
    json.dump(out, sys.stdout)
    scratch.leave(0)


def match_landings(
    requests: list[dict[str, Any]], found: list[audio_code.Jump]
) -> list[audio_code.Jump | None]:
    """The break in the recording that belongs to each jump asked for, in order (``None``:
    no break landed from 0.3 s before to 2.5 s after its target)."""
    targets = [float(r["target"]) if r.get("made") else None for r in requests]
    return audio_code.match_in_order(targets, found, early_ms=300, late_ms=2500)


def judge_audio(data: dict[str, Any], doc: Path) -> dict[str, Any]:
    """The audio landing figures (and the picture landings of the same jumps)."""
    samples, rate = audio_code.read_wav(Path(data["wav"]))
    found = audio_code.find_jumps(samples, rate)
    requests = list(data["jumps"])
    matched = match_landings(requests, found)
    texts = bench_judge.TextCheck(doc, str(data["presentation"]), int(data["caption_delay_ms"]))
    event_times = sorted(float(t) for t, what in data["events"] if what.split()[0] in bench_judge.EVENTS)
    pictures = bench_judge.judge_jumps(data["rows"], requests, event_times, texts, window_s=1.2)
    per_jump = []
    for request, hit, picture in zip(requests, matched, pictures, strict=True):
        per_jump.append(
            {
                "rate": request["rate"],
                "method": request["method"],
                "target": request["target"],
                "sound_landing_ms": None
                if hit is None
                else round(hit.heard.media_ms - float(request["target"]), 2),
                "sound_match": None if hit is None else round(hit.heard.match, 3),
                "picture_landing_ms": picture["landing_ms"],
                "old_pictures": picture["old_pictures"],
            }
        )
    data["judged_audio"] = per_jump
    out: dict[str, Any] = {}
    worst: tuple[float, float, float] | None = None  # (max |error|, median, rate)
    for r in sorted({float(j["rate"]) for j in per_jump}):
        these = [j for j in per_jump if float(j["rate"]) == r]
        sound = [float(j["sound_landing_ms"]) for j in these if j["sound_landing_ms"] is not None]
        picture = [float(j["picture_landing_ms"]) for j in these if j["picture_landing_ms"] is not None]
        key = "audio.rate" + format(r, "g").replace(".", "")  # audio.rate05, audio.rate15, ...
        out[f"{key}.jumps"] = len(these)
        out[f"{key}.not_heard"] = len(these) - len(sound)
        out[f"{key}.landing_median_ms"] = statistics.median(sound) if sound else math.nan
        out[f"{key}.landing_max_ms"] = max((abs(v) for v in sound), default=math.nan)
        out[f"{key}.picture_landing_median_ms"] = statistics.median(picture) if picture else math.nan
        out[f"{key}.picture_landing_max_ms"] = max((abs(v) for v in picture), default=math.nan)
        if sound:
            candidate = (max(abs(v) for v in sound), statistics.median(sound), r)
            worst = candidate if worst is None or candidate[0] > worst[0] else worst
    out["audio.jumps"] = len(per_jump)
    out["audio.not_heard"] = sum(1 for j in per_jump if j["sound_landing_ms"] is None)
    out["audio.landing_max_ms"] = worst[0] if worst else math.nan
    out["audio.landing_median_ms"] = worst[1] if worst else math.nan
    out["audio.worst_rate"] = worst[2] if worst else math.nan
    out["audio.short_runs"] = len(audio_code.short_runs(samples, rate))
    out["audio.recording_s"] = len(samples) / rate
    out["audio.first_sound_ms"] = (
        found[0].heard.media_ms if found and found[0].before_ms is None else math.nan
    )
    out["audio.afile_ahead_s"] = afile_ahead_s(data, rate)
    return out


def afile_ahead_s(data: dict[str, Any], sample_rate: int) -> float:
    """How far the file ran ahead of playback in the first second after the first picture
    (sound written minus wall time since the file began to grow), median of the samples."""
    sizes = [(float(t), int(size)) for t, size in data["sizes"]]
    growing = [(t, s) for t, s in sizes if s > 44]
    if not growing:
        return math.nan
    first_t = growing[0][0]
    started = float(data["started"])
    per_s = 2 * sample_rate * _channels(Path(data["wav"]))
    leads = [(s - 44) / per_s - (t - first_t) for t, s in growing if started <= t <= started + 1.0]
    return statistics.median(leads) if leads else math.nan


def _channels(wav: Path) -> int:
    with wav.open("rb") as f:
        head = f.read(24)
    return int.from_bytes(head[22:24], "little") or 1
