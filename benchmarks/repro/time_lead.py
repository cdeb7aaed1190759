"""Plain python-vlc reproduction: how far libVLC's reported time is from the picture on screen,
by container and by where the streams start (issue 18).

    python benchmarks/repro/time_lead.py [--clip vp9-60-k5-webm] [--seconds 8] [--rate 1.0]

Plays a clip of the encoding matrix and, each time libVLC's time changes (about every 250 ms),
compares it with the media time of the picture on screen then (the last one shown, read from
its frame number, plus the wall time since it came, times the rate). It does so for the clip
as made and for two copies with the same pictures (``ffmpeg -c:v copy``): without sound, and
with the sound in Vorbis; in both nothing starts before 0 (ffmpeg moves every stream later by
what started before). The WebM clips' Opus sound starts at -7 ms (its encoder's delay); the
median difference says whether libVLC's time runs ahead of the pictures by that much, and
whether it is the negative start that does it (2026-12-05, libVLC 3.0.24, vp9-60-k5-webm: +6.9
ms as made, -0.1 and -0.0 ms for the copies; h264-50-k1-mkv, AAC from 0: +0.0 ms).
"""

from __future__ import annotations

import argparse
import bisect
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import vlc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
import bench_matrix

from benchmarks.repro.seek import Frames, Probe


def stream_starts(media: Path) -> list[tuple[str, str, float]]:
    """Each stream's type, codec and start time (ms), as ffprobe reads them."""
    entries = "stream=codec_name,codec_type,start_time"
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0", str(media)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    starts = []
    for line in out.split():
        codec, kind, start = line.split(",")
        starts.append((kind, codec, float(start) * 1000))
    return starts


def lead(media: Path, frames: Frames, seconds: float, rate: float, shift_ms: float) -> list[float]:
    """libVLC's reported time minus the media time on screen at that moment, for each report
    (``shift_ms``: how much later this copy's pictures are than the clip's)."""
    probe = Probe(media)
    reports: list[tuple[float, int]] = []

    def on_time(event: vlc.Event) -> None:
        reports.append((time.monotonic(), event.u.new_time))

    probe.player.event_manager().event_attach(vlc.EventType.MediaPlayerTimeChanged, on_time)
    probe.player.play()
    time.sleep(0.5)
    probe.player.set_rate(rate)
    start = time.monotonic() + 1.0  # after the first second at the rate
    time.sleep(seconds + 1.0)
    probe.player.stop()
    shown = [(t, n) for t, n in probe.since(0.0) if n is not None]
    times = [t for t, _ in shown]
    out = []
    for at, reported in reports:
        i = bisect.bisect_right(times, at) - 1
        if at < start or i < 2 or shown[i - 2][1] != shown[i][1] - 2:
            continue  # only in steady playback: the last three pictures in a row
        came, number = shown[i]
        out.append(reported - (frames.ms(number) + shift_ms + (at - came) * 1000 * rate))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clip", default="vp9-60-k5-webm", help="a clip of bench_matrix.py")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=1.0)
    args = parser.parse_args()
    clip, _ = bench_matrix.make(bench_matrix.BY_NAME[args.clip], bench_matrix.CLIP_S)
    frames = Frames(bench_matrix.load_frame_times(clip))
    print(f"libVLC {vlc.libvlc_get_version().decode()}, {clip.name}, rate {args.rate:g}")
    video_start = next(start for kind, _, start in stream_starts(clip) if kind == "video")
    with tempfile.TemporaryDirectory() as folder:
        silent = Path(folder) / f"silent{clip.suffix}"
        vorbis = Path(folder) / f"vorbis{clip.suffix}"
        copy = ["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-c:v", "copy"]
        subprocess.run([*copy, "-an", str(silent)], check=True)
        subprocess.run([*copy, "-c:a", "libvorbis", str(vorbis)], check=True)
        for name, media in (("as made", clip), ("without sound", silent), ("Vorbis sound", vorbis)):
            starts = stream_starts(media)
            shift = next(start for kind, _, start in starts if kind == "video") - video_start
            leads = lead(media, frames, args.seconds, args.rate, shift)
            streams = ", ".join(f"{codec} at {start:g} ms" for _, codec, start in starts)
            print(
                f"  {name:14s} ({streams}): {len(leads)} reports, reported - on screen median "
                f"{statistics.median(leads):+.1f} ms (min {min(leads):+.1f}, max {max(leads):+.1f})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
