"""Described video (issue 21): how soon a description sounds, the ducking, the pause, and no
description over speech, with libVLC's ``afile`` audio output.

    python benchmarks/descriptions.py [--rates 1,1.5,2] [--json OUT]

The window (offscreen Qt, real libVLC) plays the bundled clip with described video on. Both
libVLC players write what they would play to WAV files through ``afile`` (the main player to
one, the descriptions' voice to another; ``clipsync.media.vlc_backend``'s option functions are
wrapped in this process). At each rate it jumps to 1.5 s before each planned description and
plays until the description has been said. A thread samples the size of the voice's file every
millisecond, so the wall time at which each sample was handed to the audio output is known.

What is measured, per description and rate:

* **first sound**: from the moment the video's clock crosses the description's start (its time,
  or its gap's start; interpolated from the poll that started it) to the moment the first
  sample louder than -34 dBFS was written by the voice's ``afile``. ``afile`` has no clock and
  writes what it gets at once: this is clipsync's part of the delay (the poll, libVLC opening
  the WAV and decoding it); a sound card adds its own output latency on top (typically 20-50 ms
  with PulseAudio), which this machine, having none, cannot show.
* **ducked**: from the same moment to the main player's volume being set down (the same poll
  that starts the voice; the call returns before the voice is started).
* **pause**: for a description that does not fit, the frame the video stays on while it waits
  (read 0.25 s after the pause: libVLC may still show a picture after it): where that frame
  starts, against the gap's end. The clip has 25 frames a second: a frame shown from 40 ms
  before the gap's end or later is the last frame before the first word, or the one it falls in.
* **over speech**: whether any word of the clip lies in the stretch of media that played while
  the voice spoke (from its start to its end, or to the pause).

The peer is Able Player's behaviour (pause at every description), planned on the same clip:
how long the video is stopped in all, against clipsync's "pause only when needed".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import scratch  # noqa: E402
from wav_io import read_wav  # noqa: E402

CLIP = ROOT / "resources" / "clip" / "syria.mp4"
LOUD = 10 ** (-34 / 20)  # the first sample above -34 dBFS is the first sound


def use_afile(main_wav: Path, voice_wav: Path) -> None:
    os.environ["CLIPSYNC_AUDIO_OUTPUT"] = "afile"
    from clipsync.media import vlc_backend

    original = vlc_backend.instance_options

    def main_options() -> list[str]:
        return [*original(), f"--audiofile-file={main_wav}", "--audiofile-wav"]

    def voice_options() -> list[str]:
        return [*original(), "--no-video", f"--audiofile-file={voice_wav}", "--audiofile-wav"]

    vlc_backend.instance_options = main_options
    vlc_backend.voice_instance_options = voice_options


class SizeSampler(threading.Thread):
    """The size of a file every millisecond: (monotonic s, bytes), appended while it runs."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.rows: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        last = -1
        while not self.stop.is_set():
            try:
                size = self.path.stat().st_size
            except OSError:
                size = 0
            if size != last:
                self.rows.append((time.monotonic(), size))
                last = size
            time.sleep(0.001)


def afile_layout(wav: Path) -> tuple[int, int, int]:
    """Where the samples start in an ``afile`` WAV, its sample rate and bytes per frame."""
    raw = wav.read_bytes()[:4096]
    fmt = raw.find(b"fmt ")
    channels, rate = struct.unpack("<HI", raw[fmt + 10 : fmt + 16])
    bits = struct.unpack("<H", raw[fmt + 22 : fmt + 24])[0]
    return raw.find(b"data") + 8, rate, channels * bits // 8


def first_loud_s(rendering: Path) -> float:
    """When the first sound comes in a rendered description (its silence is cut: a few ms)."""
    samples, rate = read_wav(rendering)
    loud = np.flatnonzero(np.abs(samples) > LOUD)
    return float(loud[0]) / rate if len(loud) else 0.0


def first_sound_at(
    rows: list[tuple[float, int]], after: float, layout: tuple[int, int, int], lead_s: float
) -> float | None:
    """The wall time at which the first loud sample of the voice started at ``after`` reached
    its file. ``afile`` opens (empties) the file each time the voice starts and writes ahead
    of time (no clock): the first size seen that differs from the size before ``after`` is the
    new description's; once it reaches the sample wanted, that sample has been handed over."""
    data_at, rate, frame = layout
    offset = data_at + (int(lead_s * rate) + 1) * frame
    before = next((size for t, size in reversed(rows) if t < after), 0)
    changed = False
    for t, size in rows:
        if t < after:
            continue
        changed = changed or size != before
        if changed and size >= offset:
            return t
    return None


def pump(app: Any, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.0005)


def run(rates: list[float]) -> dict[str, Any]:
    work = scratch.begin("clipsync-bench-descriptions-")  # with a fresh settings folder
    main_wav, voice_wav = work / "main.wav", work / "voice.wav"
    use_afile(main_wav, voice_wav)
    from clipsync.core.descriptions import PauseMode, is_speech, plan, speech, speech_gaps
    from clipsync.ui.app import application, create_window
    from clipsync.ui.player import State

    app = application()
    window = create_window()
    window.resize(1280, 760)
    window.show()
    window.descriptions.describe_action.trigger()
    window.open_media(CLIP)
    controller, voice = window.controller, window.descriptions.voice
    end = time.monotonic() + 20
    while not (controller.state is State.PLAYING and voice.plan.slots and voice.voice is not None):
        pump(app, 0.05)
        if time.monotonic() > end:
            raise SystemExit("the clip or its descriptions did not start")
    article = controller.article
    assert article is not None
    spans = speech(article)
    gaps = speech_gaps(article, article.duration_ms)
    items = [(d, voice.renderings[d.id].length_ms) for d in voice.descriptions]
    whole = plan(items, gaps)
    # The peer: Able Player pauses at every description.
    peer = plan(items, gaps, PauseMode.ALWAYS)
    frame_ms = (controller.player.frame_ms if controller.player is not None else None) or 40.0
    sampler = SizeSampler(voice_wav)
    sampler.start()
    rows: list[dict[str, Any]] = []
    for rate in rates:
        box = window.transport.rate_box
        box.setCurrentIndex(next(i for i in range(box.count()) if abs(box.itemData(i) - rate) < 1e-6))
        pump(app, 0.5)
        for slot in whole.slots:
            if slot.start_ms < 1500:
                continue  # (the title card starts with the clip: no stretch before it to cross)
            controller.seek(slot.start_ms - 1500, play=True)
            mark = len(voice.log)
            deadline = time.monotonic() + (1.5 + slot.length_ms / 1000) / rate + 4
            picture: int | None = None  # the picture the video stays on while it waits
            held_since: float | None = None
            while time.monotonic() < deadline:
                pump(app, 0.01)
                held = any(e[2] == "hold" for e in voice.log[mark:])
                if held and held_since is None:
                    held_since = time.monotonic()
                if held_since is not None and picture is None and time.monotonic() - held_since > 0.25:
                    picture = controller.text_position()  # (libVLC may show a picture after the pause)
                done = [e for e in voice.log[mark:] if e[3] == slot.description.id and e[2] == "speak"]
                if done and voice.current is None and controller.state is State.PLAYING:
                    break
            log = voice.log[mark:]
            speak = next((e for e in log if e[2] == "speak" and e[3] == slot.description.id), None)
            if speak is None:
                rows.append({"rate": rate, "id": slot.description.id, "spoken": False})
                continue
            k = log.index(speak)
            duck = next(e for e in log[: k + 1] if e[2] == "duck")
            crossed = speak[0] - (speak[1] - slot.start_ms) / rate / 1000
            rendering = voice.renderings[slot.description.id].path
            sound = first_sound_at(sampler.rows, speak[0], afile_layout(voice_wav), first_loud_s(rendering))
            hold = next((e for e in log if e[2] == "hold"), None)  # (before the speak: started late)
            after = next((e for e in log[k + 1 :] if e[2] in ("unduck", "release", "stop", "speak")), None)
            played_to = hold[1] if hold else (after[1] if after else speak[1] + slot.length_ms)
            # The frame shown (the clip's frame grid) while the video waits.
            shown = None if hold is None or picture is None else int(picture // frame_ms * frame_ms)
            rows.append(
                {
                    "rate": rate,
                    "id": slot.description.id,
                    "spoken": True,
                    "first_sound_ms": None if sound is None else round((sound - crossed) * 1000, 1),
                    "ducked_ms": round((duck[0] - crossed) * 1000, 1),
                    # The frame shown while the video waits: its start against the gap's end.
                    "pause_vs_gap_end_ms": None if shown is None else shown - slot.gap.end_ms,
                    "frame_ms": frame_ms,
                    "hold_position_vs_gap_end_ms": None if hold is None else hold[1] - slot.gap.end_ms,
                    "over_speech": is_speech(spans, speak[1], played_to),
                }
            )
    sampler.stop.set()
    controller.shutdown()
    return {
        "rows": rows,
        "held_ms_when_needed": sum(s.held_ms for s in whole.slots),
        "held_ms_always": sum(s.held_ms for s in peer.slots),
        "pauses_when_needed": sum(1 for s in whole.slots if s.hold_ms is not None),
        "pauses_always": len(peer.slots),
    }


def summary(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rate in sorted({r["rate"] for r in result["rows"]}):
        rows = [r for r in result["rows"] if r["rate"] == rate and r["spoken"]]
        sound = [r["first_sound_ms"] for r in rows if r["first_sound_ms"] is not None]
        duck = [r["ducked_ms"] for r in rows]
        pause = [r["pause_vs_gap_end_ms"] for r in rows if r["pause_vs_gap_end_ms"] is not None]
        out[f"{rate:g}x"] = {
            "spoken": f"{len(rows)}/{len([r for r in result['rows'] if r['rate'] == rate])}",
            "first_sound_ms_median": statistics.median(sound) if sound else None,
            "first_sound_ms_max": max(sound) if sound else None,
            "ducked_ms_median": statistics.median(duck) if duck else None,
            "ducked_ms_max": max(duck) if duck else None,
            "paused_frame_start_vs_gap_end_ms": sorted(pause),  # (25 fps: a frame is 40 ms)
            "over_speech": sum(1 for r in rows if r["over_speech"]),
        }
    out["peer"] = {
        "video_stopped_s_clipsync": result["held_ms_when_needed"] / 1000,
        "video_stopped_s_able_player_always": result["held_ms_always"] / 1000,
        "pauses_clipsync": result["pauses_when_needed"],
        "pauses_able_player": result["pauses_always"],
    }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="1,1.5,2")
    parser.add_argument("--json", type=Path, help="also write the rows and the summary here")
    args = parser.parse_args()
    started = time.time()
    load = os.getloadavg()
    result = run([float(r) for r in args.rates.split(",")])
    out = {
        "summary": summary(result),
        "load_before": load,
        "load_after": os.getloadavg(),
        "seconds": round(time.time() - started),
    }
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps({**out, "rows": result["rows"]}, indent=1) + "\n", encoding="utf-8")
    scratch.leave(0)  # (libVLC's threads: no slow interpreter teardown)


if __name__ == "__main__":
    raise SystemExit(main())
