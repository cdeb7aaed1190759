"""Plain python-vlc reproduction: the time libVLC 3 reports for an HLS stream.

No Qt, no clipsync player: ffmpeg cuts the bundled clip's first 20 s into an HLS playlist
(2 s segments) in a temporary folder, Python's own HTTP server serves it on 127.0.0.1, and
python-vlc plays it (no video output, no sound). Every 10 ms the script reads
``get_time()`` and prints, once a second, how far it moved against the wall clock; the same
is done for the MP4 file over the same server, for comparison.

    python benchmarks/repro/hls_time.py

It shows that for HLS libVLC's time does not follow playback: it stays on one value for
about a second and then jumps (by a segment's worth), so that between jumps it is up to a
second behind the picture, while for the MP4 file it moves with the wall clock. libVLC 3
takes the time of an HLS stream from its adaptive demuxer, which knows it per segment. So a
player that takes the text's time from libVLC is as far off as libVLC is, for HLS: clipsync
keeps the text on the sentence libVLC's time says (see docs/libvlc.md, "HLS").
"""

from __future__ import annotations

import functools
import http.server
import itertools
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import vlc

CLIP = Path(__file__).resolve().parent.parent.parent / "resources" / "clip" / "syria.mp4"


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(url: str, seconds: float = 8.0) -> list[tuple[float, int]]:
    """(wall seconds since playing began, libVLC's time) every 10 ms."""
    instance = vlc.Instance(["--quiet", "--vout=dummy", "--aout=adummy", "--no-xlib"])
    player = instance.media_player_new()
    player.set_media(instance.media_new_location(url))
    player.play()
    deadline = time.monotonic() + 15
    while player.get_state() != vlc.State.Playing and time.monotonic() < deadline:
        time.sleep(0.01)
    began = time.monotonic()
    seen = []
    while time.monotonic() - began < seconds:
        seen.append((time.monotonic() - began, player.get_time()))
        time.sleep(0.01)
    player.stop()
    player.release()
    instance.release()
    return seen


def report(name: str, seen: list[tuple[float, int]]) -> None:
    """Each new value with when it came, and how far the time lags the wall clock."""
    print(f"\n{name}: each new time (ms) at wall time (s) since playing began")
    changes = [seen[0]] + [(w, b) for (_, a), (w, b) in itertools.pairwise(seen) if a != b]
    print("  " + ", ".join(f"{t}@{w:.2f}" for w, t in changes[:16]))
    # Against a clock that runs with the wall from the best fit: how far behind is the time?
    lead = max(t - wall * 1000 for wall, t in seen)
    lags = sorted(lead - (t - wall * 1000) for wall, t in seen)
    print(
        f"  {len(changes) - 1} changes in {seen[-1][0]:.1f} s; lag behind a steady clock: "
        f"median {lags[len(lags) // 2]:.0f} ms, max {lags[-1]:.0f} ms"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-t",
                "20",
                "-i",
                str(CLIP),
                "-c:v",
                "libx264",
                "-g",
                "25",
                "-c:a",
                "aac",
                "-f",
                "hls",
                "-hls_time",
                "2",
                "-hls_playlist_type",
                "vod",
                "-hls_segment_filename",
                str(folder / "seg%03d.ts"),
                str(folder / "index.m3u8"),
            ],
            check=True,
        )
        (folder / "clip.mp4").symlink_to(CLIP)
        server = serve(folder)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        report("HLS (index.m3u8)", watch(f"{base}/index.m3u8"))
        report("MP4 over HTTP (clip.mp4)", watch(f"{base}/clip.mp4"))
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
