"""Plain python-vlc reproduction: why an aimed seek in the AV1 WebM clip sometimes shows the
picture at the *requested* time first (issue 18).

    python benchmarks/repro/forced_first_picture.py [--clip av1-2997-k2-webm] [--rate 1.5] [--seeks 12]

Above 1x the backend asks for K + (T - K - (r - 1) x 30 ms) / r so that libVLC, which starts its
clock (r - 1)(T - K) late, drops the pictures before T as late (docs/libvlc.md, "Jumps"). But
while the input buffers after a seek, the decoder marks the first picture it hands to the video
output as forced (src/input/decoder.c, DecoderPlayVideo: "Received first picture",
``b_force``), and the video output never drops a forced picture as late. With H.264 that
picture was always a stale one of the *old* position, finished by the decoder as the seek's
flush arrives: it is logged before the decoder's "end of video preroll", and the pictures from
the request on are dropped up to T. With dav1d (AV1) no stale picture came in about half the
seeks; the forced picture is then the first one at the request (logged just after "end of video
preroll"): it is shown at once, and T follows on time a frame or two later (unless the video
output finds the next picture already due and skips it: src/video_output/video_output.c,
ThreadDisplayPicture). Which of the two happens is a race, not a property of the file: the same
targets go either way from run to run.

For each seek (the targets of ``seek.py``) this prints which picture was forced, read from
libVLC's own log, and the first three new pictures in ms from the target; then a count. With
keyframes far apart (``--clip av1-30-k10-mkv``) it also shows a second effect: libVLC's clock
resets ("ES_OUT_RESET_PCR called": the demuxer's clock reference came too late) and the decoders
are flushed in the middle of a group of pictures.
"""

from __future__ import annotations

import argparse
import ctypes
import random
import sys
import threading
import time
from pathlib import Path

import vlc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/: bench_media imports audio_code
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
import bench_matrix

from benchmarks.repro.seek import Frames, Probe
from clipsync.media.media_index import read_index

LIBC = ctypes.CDLL(None)
LIBC.vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
LOG: list[str] = []
LOG_LOCK = threading.Lock()
MARKS = ("Received first picture", "end of video preroll", "ES_OUT_RESET_PCR called")


@vlc.CallbackDecorators.LogCb
def on_log(data, level, ctx, fmt, args):  # type: ignore[no-untyped-def]
    buf = ctypes.create_string_buffer(256)
    LIBC.vsnprintf(buf, len(buf), fmt, args)
    text = buf.value.decode(errors="replace")
    if text in MARKS:
        with LOG_LOCK:
            LOG.append(text)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clip", default="av1-2997-k2-webm", help="a clip of bench_matrix.py")
    parser.add_argument("--rate", type=float, default=1.5)
    parser.add_argument("--seeks", type=int, default=12)
    parser.add_argument("--vlc-option", action="append", default=[], help="e.g. --codec=avcodec")
    args = parser.parse_args()
    clip, _ = bench_matrix.make(bench_matrix.BY_NAME[args.clip], bench_matrix.CLIP_S)
    frames = Frames(bench_matrix.load_frame_times(clip))
    index = read_index(clip)
    assert index is not None and index.frame_ms
    probe = Probe(clip, ("--verbose=2", *args.vlc_option))
    probe.instance.log_set(on_log, None)
    probe.player.play()
    time.sleep(1.0)
    probe.player.set_rate(args.rate)
    time.sleep(0.5)
    print(f"libVLC {vlc.libvlc_get_version().decode()}, {clip.name}, rate {args.rate:g}")
    rng, position, counts = random.Random(10), 3000, {}
    keys = {round(k) for k in index.keyframes_ms}
    for _ in range(args.seeks):
        target = position  # as seek.py: 3-35 s, 3 s from the last target, not a keyframe
        while abs(target - position) < 3000 or round(frames.ms(frames.at(target))) in keys:
            target = rng.randrange(3000, 35000)
        position = target
        target = round(frames.ms(frames.at(target)))
        key = index.key_before(target)
        assert key is not None
        asked = max(round(key), round(key + (target - key - (args.rate - 1) * 30) / args.rate))
        with LOG_LOCK:
            LOG.clear()
        t0 = time.monotonic()
        probe.player.set_time(asked)
        time.sleep(1.2)
        new = [round(frames.ms(n)) - target for _, n in probe.since(t0) if n is not None]
        new = [d for d in new if abs(d) <= 1500][:3]
        with LOG_LOCK:
            marks = [m for m in LOG if m in MARKS]
        if MARKS[1] not in marks:
            forced = "no preroll"
        elif marks.index(MARKS[0]) < marks.index(MARKS[1]):
            forced = "an old picture"
        else:
            forced = "the picture at the request"
        frame = index.frame_ms + 1  # + 1: times are rounded to the ms
        if not new:
            landed = "not seen"
        elif abs(new[0]) <= frame:
            landed = "within a frame of the target"
        elif abs(new[0] - (asked - target)) <= frame:
            landed = "at the request"
        else:
            landed = "elsewhere"
        counts[forced, landed] = counts.get((forced, landed), 0) + 1
        print(
            f"  target {target:6d} ({target - key:4.0f} ms after its keyframe), asked {asked}: "
            f"first new pictures {new} ms from the target; forced: {forced}"
            + (f"; clock reset {marks.count(MARKS[2])}x" if MARKS[2] in marks else "")
        )
    for (forced, landed), n in sorted(counts.items()):
        print(f"forced {forced}: {n} seeks, first new picture {landed}")
    probe.player.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
