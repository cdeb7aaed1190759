"""Plain python-vlc reproduction: where the *sound* starts after a seek, at several rates.

No Qt, no clipsync player: python-vlc, the measurement clip whose sound codes its own time
(``audio_code.py``), and libVLC's ``afile`` output writing what it plays into a WAV file. Each
seek is aimed as ``seek_aim.aim`` aims it (so the first *picture* lands on the target); the
first sound after each jump is read back from the file.

    python benchmarks/repro/audio_seek.py [--rates 1,1.5,2] [--seeks 6]

It shows that above 1x the sound starts before the target by about 60 ms of wall time x the
rate: libVLC's audio output plays a buffer that is late by less than ``AOUT_MAX_PTS_DELAY``
(60 ms, ``src/audio_output/dec.c``) instead of dropping it, while the video output drops any
picture that is late. The picture and the sound therefore cannot both land on the target when
libVLC starts its clock late, which it does above 1x (see seek.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import vlc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "src"))
import audio_code
from bench_media import FPS, make_clip

from clipsync.media.media_index import keyframe_before, read_index


def aim(target_ms: int, rate: float, decode_ms: list[float]) -> int:
    """As ``seek_aim.aim`` above 1x (with its 30 ms start latency)."""
    key = keyframe_before(decode_ms, target_ms)
    if rate <= 1.0 or key is None:
        return target_ms
    return round(key + (target_ms - key - (rate - 1) * 30) / rate)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="1,1.5,2")
    parser.add_argument("--seeks", type=int, default=6)
    args = parser.parse_args()
    clip = make_clip("sync", 640, 360, 40)
    index = read_index(clip)
    assert index is not None
    wav = Path(tempfile.mkdtemp(prefix="repro-audio-")) / "heard.wav"
    instance = vlc.Instance(
        ["--quiet", "--no-xlib", "--vout=dummy", "--aout=afile", f"--audiofile-file={wav}", "--audiofile-wav"]
    )
    player = instance.media_player_new()
    player.set_media(instance.media_new_path(str(clip)))
    player.play()
    time.sleep(1.0)
    rng = random.Random(4)
    asked: list[tuple[float, int]] = []
    position = 300
    for rate in (float(r) for r in args.rates.split(",")):
        player.set_rate(rate)
        time.sleep(0.8)
        for _ in range(args.seeks):
            frame = position
            while abs(frame - position) < 150 or frame % 60 == 0:
                frame = rng.randrange(90, 1080)
            position = frame
            target = round(frame * 1000 / FPS)
            player.set_time(aim(target, rate, index.decode_ms))
            asked.append((rate, target))
            time.sleep(1.5)
    player.stop()
    player.release()
    instance.release()
    samples, sample_rate = audio_code.read_wav(wav)
    jumps = audio_code.find_jumps(samples, sample_rate)
    print(
        f"libVLC {vlc.libvlc_get_version().decode()}, aimed seeks, sound through afile ({len(jumps)} runs found)"
    )
    errors: dict[float, list[float]] = {}
    matched = audio_code.match_in_order([float(t) for _, t in asked], jumps, early_ms=400, late_ms=2500)
    for (rate, target), jump in zip(asked, matched, strict=True):
        if jump is not None:
            errors.setdefault(rate, []).append(jump.heard.media_ms - target)
    for rate, found in errors.items():
        print(
            f"rate {rate:g}: first sound - target over {len(found)} seeks: median {statistics.median(found):+.0f} ms, "
            f"range {min(found):+.0f} to {max(found):+.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
