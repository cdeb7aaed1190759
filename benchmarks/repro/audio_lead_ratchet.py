"""Plain python-vlc reproduction: a negative audio delay, once set and taken back, makes every
later seek land early. Why clipsync does not use an audio lead for the first sound above 1x.

    python benchmarks/repro/audio_lead_ratchet.py [--rate 1.5] [--rounds 6] [--lead-ms 100]

Each round makes two seeks aimed as ``seek_aim`` aims, both to frames far from where the
player is: ``lead``, with an audio delay of minus ``--lead-ms`` set just before ``set_time``;
then, once the delay is back at 0, ``plain``. The first round's ``plain`` seek comes before any
lead was set. For each seek it prints the frame number of the first new picture minus the
target's (0: on the frame).

In libVLC 3, a negative audio delay raises the input's PTS delay by as much
(``input.c``, ``UpdatePtsDelay``). The clock takes the new delay only when it is larger than
its own (``clock.c``, ``input_clock_SetJitter``: "if( cl->i_pts_delay < i_pts_delay )"), so
the clock keeps the larger delay once the audio delay is back at 0, while the ES output buffers
by the smaller one again. Measured on 2 cores, libVLC 3.0.24, the 30 fps measurement clip at
1.5x: a ``lead`` seek lands on its frame (0). So does the first ``plain`` seek. Every later
``plain`` seek lands 4-5 frames early (lead x rate).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench_media import FPS, make_clip
from seek import Probe

from clipsync.media import seek_aim
from clipsync.media.media_index import read_index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=1.5)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--lead-ms", type=int, default=100)
    args = parser.parse_args()
    clip = make_clip("sync", 640, 360, 40)
    index = read_index(clip)
    probe = Probe(clip)
    player = probe.player
    player.play()
    time.sleep(1.5)
    player.set_rate(args.rate)
    time.sleep(0.8)
    rng = random.Random(11)
    position = [45]

    def seek(lead_ms: int) -> int | None:
        frame = position[0]
        while abs(frame - position[0]) < 200:
            frame = rng.randrange(100, 1000)
        position[0] = frame
        if lead_ms:
            player.audio_set_delay(-lead_ms * 1000)
        t0 = time.monotonic()
        player.set_time(seek_aim.aim(index, round(frame * 1000 / FPS), args.rate))
        time.sleep(0.5)
        landed = next((n - frame for _, n in probe.since(t0) if n is not None and abs(n - frame) <= 60), None)
        if lead_ms:
            player.audio_set_delay(0)
        time.sleep(0.6)
        position[0] = frame + round(1.1 * FPS * args.rate)
        return landed

    rows = [("plain (no lead yet)", seek(0))]
    for _ in range(args.rounds):
        rows.append(("lead", seek(args.lead_ms)))
        rows.append(("plain", seek(0)))
    player.stop()
    for name, landed in rows:
        print(f"{name:20s} first new picture - target: {landed if landed is not None else 'not read'} frames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
