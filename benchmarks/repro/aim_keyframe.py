"""Plain python-vlc reproduction: an aimed seek to the last frames before a keyframe's picture.

    python benchmarks/repro/aim_keyframe.py

Above 1x clipsync aims its seeks from the keyframe the target is decoded from (see
``seek_aim.aim`` and docs/libvlc.md, "Jumps"). With B-frames a keyframe is decoded before it
is shown (by the reordering delay, 2 frames in the measurement clip), so the pictures shown
between a keyframe's decode time and its own picture belong to the group of the keyframe
*before*. This seeks to such pictures at 1.5x and 2x, aimed once from the keyframe decoded
before the target and once from the keyframe shown before it, and prints where the first new
picture is (frames after the target). Aimed from the decoded one, libVLC lands about
(rate - 1) x 2 s late, because it decodes from the earlier keyframe; a speed change (a seek to
the next frame) hits such a frame 2 times in 60.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/: bench_media imports audio_code
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from benchmarks.bench_media import FPS, make_clip
from benchmarks.repro.seek import Probe
from clipsync.media.media_index import MediaIndex, keyframe_before, read_index

LATENCY_MS = 30  # clipsync.media.seek_aim.START_LATENCY_MS


def aim(index: MediaIndex, target_ms: int, rate: float, *, shown: bool) -> int:
    # A keyframe is shown the reordering delay after it is decoded.
    key = keyframe_before(index.decode_ms, target_ms - (index.reorder_ms if shown else 0.0))
    assert key is not None
    return round(key + (target_ms - key - (rate - 1) * LATENCY_MS) / rate)


def main() -> int:
    clip = make_clip("sync", 640, 360, 40)
    index = read_index(clip)
    assert index is not None
    probe = Probe(clip)
    probe.player.play()
    time.sleep(1.0)
    for rate in (1.5, 2.0):
        probe.player.set_rate(rate)
        time.sleep(0.3)
        for shown in (False, True):
            landings = []
            for k in range(3, 15, 2):
                target = round(index.decode_ms[k] + 1)  # shown 2 frames before keyframe k's picture
                frame = int(target * FPS / 1000)
                before = [n for _, n in probe.since(0.0) if n is not None]
                asked = time.monotonic()
                probe.player.set_time(aim(index, target, rate, shown=shown))
                time.sleep(0.7)
                new = [
                    n
                    for _, n in probe.since(asked)
                    if n is not None and abs(n - before[-1]) > 30 and abs(n - frame) < 90
                ]
                landings.append(new[0] - frame if new else None)
            how = "shown" if shown else "decoded"
            print(
                f"rate {rate:g}, aimed from the keyframe {how} before the target: first picture - target, frames: {landings}"
            )
    probe.player.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
