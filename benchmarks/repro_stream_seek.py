"""Plain python-vlc reproduction: what libVLC 3 shows after a seek in a stream whose data
comes late, and what its buffer reports meanwhile. No Qt, no clipsync player.

    python benchmarks/repro_stream_seek.py [--delay 1.0] [--seeks 3]

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
import ctypes
import sys
import tempfile
import threading
import time
from pathlib import Path

import vlc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from benchmarks.bench_baseline import CleanupCb, DisplayCb, FormatCb, LockCb, UnlockCb  # noqa: E402
from media_server import BITS, Fault, MediaServer, hls_files, make_hls, make_numbered_clip  # noqa: E402

W, H, FPS = 640, 360, 25


class Watch:
    """A libVLC player whose pictures (their drawn numbers) and buffering reports are logged."""

    def __init__(self, mrl: str) -> None:
        self.instance = vlc.Instance(["--quiet", "--no-xlib", "--aout=adummy"])
        self.player = self.instance.media_player_new()
        self.buffer = (ctypes.c_ubyte * (W * H * 4))()
        self.log: list[tuple[float, str, float | None]] = []
        self.lock = threading.Lock()
        self.cbs = (
            FormatCb(self._format),
            CleanupCb(lambda o: None),
            LockCb(self._lock),
            UnlockCb(lambda o, p, q: None),
            DisplayCb(self._display),
        )
        ptr = ctypes.c_void_p(int(ctypes.cast(self.player, ctypes.c_void_p).value or 0))
        vlc.dll.libvlc_video_set_format_callbacks.argtypes = [ctypes.c_void_p, FormatCb, CleanupCb]
        vlc.dll.libvlc_video_set_format_callbacks(ptr, self.cbs[0], self.cbs[1])
        vlc.dll.libvlc_video_set_callbacks.argtypes = [
            ctypes.c_void_p,
            LockCb,
            UnlockCb,
            DisplayCb,
            ctypes.c_void_p,
        ]
        vlc.dll.libvlc_video_set_callbacks(ptr, self.cbs[2], self.cbs[3], self.cbs[4], None)
        self.player.event_manager().event_attach(vlc.EventType.MediaPlayerBuffering, self._buffering)
        self.player.set_media(self.instance.media_new_location(mrl))

    def _format(self, opaque, chroma, width, height, pitches, lines):  # type: ignore[no-untyped-def]
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0], pitches[0], lines[0] = W, H, W * 4, H
        return 1

    def _lock(self, opaque, planes):  # type: ignore[no-untyped-def]
        planes[0] = ctypes.addressof(self.buffer)
        return 0

    def _display(self, opaque, picture):  # type: ignore[no-untyped-def]
        number = read_number(bytes(self.buffer))
        with self.lock:
            self.log.append((time.monotonic(), "picture", number))

    def _buffering(self, event) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.log.append((time.monotonic(), "buffer", float(event.u.new_cache)))

    def since(self, t0: float) -> list[tuple[float, str, float | None]]:
        with self.lock:
            return [((t - t0) * 1000, kind, value) for t, kind, value in self.log if t >= t0]


def read_number(buf: bytes) -> int | None:
    """The frame number drawn by ``make_numbered_clip`` (``None`` when not clean)."""
    number = 0
    for i in range(BITS):
        x = int((i + 0.5) * W / BITS)
        top, low = buf[(20 * W + x) * 4 + 1], buf[(60 * W + x) * 4 + 1]
        if abs(top - low) < 128:
            return None
        if top > low:
            number |= 1 << i
    return number


def seek_and_watch(watch: Watch, target_s: float, wait_s: float) -> None:
    target = round(target_s * FPS)
    t0 = time.monotonic()
    watch.player.set_time(round(target_s * 1000))
    time.sleep(wait_s)
    log = watch.since(t0)
    first_new = next(
        (t for t, k, n in log if k == "picture" and n is not None and abs(n - target) <= 2), None
    )
    refilled = next((t for t, k, v in log if k == "buffer" and v is not None and v >= 100), None)
    emptied = next((t for t, k, v in log if k == "buffer" and v is not None and v < 100), None)
    old = [(t, n) for t, k, n in log if k == "picture" and (first_new is None or t < first_new)]
    numbers = sorted({int(n) for _, n in old if n is not None})
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
        print(f"HLS, each segment {args.delay:g} s late:")
        watch = Watch(base + "index.m3u8")
        watch.player.play()
        time.sleep(5.0)
        for target in targets:
            seek_and_watch(watch, target, 3 * args.delay + 2.0)
        watch.player.stop()
        print("The MP4 file:")
        watch = Watch(numbered.as_uri())
        watch.player.play()
        time.sleep(1.5)
        for target in targets:
            seek_and_watch(watch, target, 1.0)
        watch.player.stop()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
