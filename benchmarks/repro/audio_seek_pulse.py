"""Plain python-vlc reproduction: the first sound *heard* after an aimed seek above 1x, through
PulseAudio, and whether muting until the landing picture changes it.

``audio_seek.py`` records with libVLC's ``afile`` output, which writes each buffer as it is
produced, long before it would be heard, so it cannot tell what a mute timed by the picture
hides. Here the sound goes to a PulseAudio null sink and is recorded from its monitor: what is
recorded is what a listener would hear (less the sink's fixed latency). Needs ``pulseaudio``
and ``parec`` (Debian: ``pulseaudio pulseaudio-utils``); the script starts its own server, as
any user, in a temporary folder, and ends it.

    python benchmarks/repro/audio_seek_pulse.py [--rates 1,1.5,2] [--seeks 8] [--modes plain,mute,lead]

``plain``: ``set_time`` aimed as ``seek_aim`` aims (so the first picture lands on the target).
``mute``: the same, muted (``audio_set_mute``) from just before ``set_time`` until the display
callback gets the target's picture (its frame number, read from the picture).
``lead``: the same, with an audio delay of -100 ms set just before ``set_time`` and taken back
in 20 ms steps from 0.5 s after it (docs/benchmarks.md, "First sound after a jump above 1x").
"""

from __future__ import annotations

import argparse
import ctypes
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import vlc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import audio_code
from audio_seek import aim
from bench_media import FPS, make_clip
from seek import Probe

from benchmarks.bench_baseline import DisplayCb
from clipsync.media.media_index import read_index

RATE = 48_000


def pulse_server(folder: Path) -> subprocess.Popen[bytes]:
    """A PulseAudio server of its own with one null sink, ``bench`` (mono, 48 kHz)."""
    os.environ["PULSE_RUNTIME_PATH"] = str(folder)
    os.environ["PULSE_SERVER"] = f"unix:{folder}/native"
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
         f"--load=module-null-sink sink_name=bench rate={RATE} channels=1",
         f"--load=module-native-protocol-unix socket={folder}/native"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
            return server
        time.sleep(0.1)
    server.kill()
    raise SystemExit("pulseaudio did not start")


def run(mode: str, rates: list[float], seeks: int, clip: Path, folder: Path) -> dict[float, list[float]]:
    index = read_index(clip)
    assert index is not None
    raw = folder / f"heard-{mode}.raw"
    recorder = subprocess.Popen(
        [
            "parec",
            "-d",
            "bench.monitor",
            "--format=s16le",
            "--channels=1",
            f"--rate={RATE}",
            "--latency-msec=10",
            str(raw),
        ]
    )
    time.sleep(0.5)
    probe = Probe(clip, ("--aout=pulse",))
    waiting: list[int] = []  # the frame whose picture ends the mute

    def display(opaque, picture):  # type: ignore[no-untyped-def]
        probe._display(opaque, picture)
        number = probe.pictures[-1][1]
        if waiting and number is not None and abs(number - waiting[0]) <= 1:
            waiting.clear()
            probe.player.audio_set_mute(False)

    probe.cbs = (*probe.cbs[:4], DisplayCb(display))
    ptr = ctypes.c_void_p(int(ctypes.cast(probe.player, ctypes.c_void_p).value or 0))
    vlc.dll.libvlc_video_set_callbacks(ptr, probe.cbs[2], probe.cbs[3], probe.cbs[4], None)
    player = probe.player
    player.play()
    time.sleep(1.5)
    rng = random.Random(4)
    asked: list[tuple[float, int]] = []
    position = 300
    for rate in rates:
        player.set_rate(rate)
        time.sleep(0.8)
        for _ in range(seeks):
            frame = position
            while abs(frame - position) < 150 or frame % 60 == 0:
                frame = rng.randrange(90, 1080)
            position = frame
            target = round(frame * 1000 / FPS)
            if mode == "mute":
                player.audio_set_mute(True)
                waiting[:] = [frame]
            if mode == "lead":
                player.audio_set_delay(-100_000)
            player.set_time(aim(target, rate, index.decode_ms))
            asked.append((rate, target))
            time.sleep(0.5)
            for lead in (80, 60, 40, 20, 0) if mode == "lead" else ():
                player.audio_set_delay(-lead * 1000)
                time.sleep(0.25)
            time.sleep(1.0)
            if waiting:  # no landing picture: let the sound in anyway
                waiting.clear()
                player.audio_set_mute(False)
    player.stop()
    time.sleep(0.3)
    recorder.terminate()
    recorder.wait()
    samples = np.frombuffer(raw.read_bytes(), np.int16).astype(np.float64) / 32768
    jumps = audio_code.find_jumps(samples, RATE)
    errors: dict[float, list[float]] = {}
    matched = audio_code.match_in_order([float(t) for _, t in asked], jumps, early_ms=400, late_ms=400)
    for (rate, target), jump in zip(asked, matched, strict=True):
        if jump is not None:
            errors.setdefault(rate, []).append(jump.heard.media_ms - target)
    return errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="1,1.5,2")
    parser.add_argument("--seeks", type=int, default=8)
    parser.add_argument("--modes", default="plain,mute,lead")
    args = parser.parse_args()
    if not (shutil.which("pulseaudio") and shutil.which("parec")):
        raise SystemExit("needs pulseaudio and parec (Debian: apt-get install pulseaudio pulseaudio-utils)")
    clip = make_clip("sync", 640, 360, 40)
    rates = [float(r) for r in args.rates.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="repro-pulse-"))
    server = pulse_server(folder)
    try:
        print(
            f"libVLC {vlc.libvlc_get_version().decode()}, aimed seeks, sound heard through a PulseAudio null sink"
        )
        for mode in args.modes.split(","):
            for rate, found in run(mode, rates, args.seeks, clip, folder).items():
                print(
                    f"{mode:5s} rate {rate:g}: first sound heard - target over {len(found)} of {args.seeks} seeks: "
                    f"median {statistics.median(found):+.0f} ms, range {min(found):+.0f} to {max(found):+.0f} ms"
                )
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
