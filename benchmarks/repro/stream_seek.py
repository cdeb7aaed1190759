"""Plain python-vlc reproduction: what libVLC 3 shows after a seek in a stream whose data
comes late, and what its buffer reports meanwhile. No Qt, no clipsync player.

    python benchmarks/repro/stream_seek.py [--delay 1.0] [--seeks 3]

ffmpeg makes an HLS copy of the clip's first 30 s with the frame number drawn in every
picture (as the tests do); the tests' HTTP server serves it on 127.0.0.1 and answers every
segment ``--delay`` seconds late. python-vlc plays it and seeks to segments not fetched yet.
For each seek it prints when the pictures came (their numbers) and the buffering reports: the
old pictures (then one of them again and again) last until the new data comes, and the buffer,
emptied by the seek, fills again only then, right before the target's first picture. The same
is then done on the MP4 file itself, where the refill is over within milliseconds of the seek.
This is what ``PictureTimes.buffering`` relies on (docs/libvlc.md, "Network streams").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import vlc

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from benchmarks.repro.seek import Probe  # noqa: E402
from media_server import Fault, MediaServer, hls_files, make_hls, make_numbered_clip  # noqa: E402

FPS = 25  # the bundled clip's


class Watch(Probe):
    """A :class:`Probe` (pictures and their drawn numbers) that also logs libVLC's buffering
    reports."""

    def __init__(self, media: Path | str) -> None:
        super().__init__(media)
        self.buffering: list[tuple[float, float]] = []
        self.player.event_manager().event_attach(vlc.EventType.MediaPlayerBuffering, self._buffered)

    def _buffered(self, event) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.buffering.append((time.monotonic(), float(event.u.new_cache)))


def seek_and_watch(watch: Watch, target_s: float, wait_s: float) -> None:
    target = round(target_s * FPS)
    t0 = time.monotonic()
    watch.player.set_time(round(target_s * 1000))
    time.sleep(wait_s)
    pictures = [(t * 1000, n) for t, n in watch.since(t0)]
    with watch.lock:
        reports = [((t - t0) * 1000, cache) for t, cache in watch.buffering if t >= t0]
    first_new = next((t for t, n in pictures if n is not None and abs(n - target) <= 2), None)
    emptied = next((t for t, cache in reports if cache < 100), None)
    refilled = next((t for t, cache in reports if cache >= 100), None)
    old = [(t, n) for t, n in pictures if first_new is None or t < first_new]
    numbers = sorted({n for _, n in old if n is not None})
    print(
        f"  seek to frame {target}: buffer emptied at {fmt(emptied)}, full again at {fmt(refilled)}, "
        f"first new picture at {fmt(first_new)}; before it {len(old)} pictures "
        f"(numbers {numbers[:6]}), the last at {fmt(old[-1][0] if old else None)}"
    )


def fmt(ms: float | None) -> str:
    return "never" if ms is None else f"{ms:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=1.0, help="seconds before each segment's first byte")
    parser.add_argument("--seeks", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="repro-stream-seek-"))
    numbered = make_numbered_clip(ROOT / "resources" / "clip" / "syria.mp4", work / "numbered.mp4")
    playlist = make_hls(numbered, work / "hls", seconds=30)
    server = MediaServer(hls_files(playlist, prefix=""))
    targets = [24.0, 8.0, 16.0, 27.0, 4.0][: args.seeks]
    try:
        base = server.scenario("late", Fault(only="*.ts", first_byte_delay=args.delay))
        for name, media, settle_s, wait_s in (
            (f"HLS, each segment {args.delay:g} s late", base + "index.m3u8", 5.0, 3 * args.delay + 2.0),
            ("The MP4 file", numbered, 1.5, 1.0),
        ):
            print(f"{name}:")
            watch = Watch(media)
            watch.player.play()
            time.sleep(settle_s)
            for target in targets:
                seek_and_watch(watch, target, wait_s)
            watch.player.stop()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
