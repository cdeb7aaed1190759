"""The minimal python-vlc player the app is compared with (start-up and CPU).

It takes the same path as the app's backend: libVLC's video callbacks, RV32 pictures copied
into a ``bytes`` object in the display callback (as ``VlcPlayer._display`` does), the same
instance options; no Qt, no painting, no text. It does not import clipsync.

    python bench_baseline.py MEDIA --first-frame      print {"first_frame": monotonic} at the first picture
    python bench_baseline.py MEDIA --play SECONDS     play for SECONDS, then print the frame count
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import threading
import time

import vlc

FormatCb = ctypes.CFUNCTYPE(
    ctypes.c_uint,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
)
CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
LockCb = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
UnlockCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
DisplayCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("media")
    parser.add_argument("--first-frame", action="store_true")
    parser.add_argument("--play", type=float, default=0.0)
    parser.add_argument("--size", default="", help="WxH to ask for (default: the visible size offered)")
    args = parser.parse_args()

    options = ["--quiet", "--no-xlib", "--no-video-title-show"]
    if os.environ.get("CLIPSYNC_AUDIO_OUTPUT"):
        options.append(f"--aout={os.environ['CLIPSYNC_AUDIO_OUTPUT']}")
    instance = vlc.Instance(options)
    player = instance.media_player_new()
    state = {"buffer": None, "size": (0, 0), "frames": 0}
    asked = tuple(int(v) for v in args.size.split("x")) if args.size else None
    first = threading.Event()

    def on_format(opaque, chroma, width, height, pitches, lines):  # type: ignore[no-untyped-def]
        w, h = asked or (width[0], height[0])
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0] = w, h
        pitches[0] = w * 4
        lines[0] = h
        state["buffer"] = (ctypes.c_ubyte * (w * h * 4))()
        state["size"] = (w, h)
        return 1

    def on_lock(opaque, planes):  # type: ignore[no-untyped-def]
        planes[0] = ctypes.addressof(state["buffer"])
        return 0

    def on_display(opaque, picture):  # type: ignore[no-untyped-def]
        state["last"] = bytes(state["buffer"])  # the same copy the app makes
        state["frames"] += 1
        if state["frames"] == 1:
            state["first_frame"] = time.monotonic()
            first.set()

    callbacks = (
        FormatCb(on_format),
        CleanupCb(lambda opaque: None),
        LockCb(on_lock),
        UnlockCb(lambda opaque, picture, planes: None),
        DisplayCb(on_display),
    )
    handle = ctypes.c_void_p(int(ctypes.cast(player, ctypes.c_void_p).value or 0))
    vlc.dll.libvlc_video_set_format_callbacks.argtypes = [ctypes.c_void_p, FormatCb, CleanupCb]
    vlc.dll.libvlc_video_set_format_callbacks(handle, callbacks[0], callbacks[1])
    vlc.dll.libvlc_video_set_callbacks.argtypes = [
        ctypes.c_void_p,
        LockCb,
        UnlockCb,
        DisplayCb,
        ctypes.c_void_p,
    ]
    vlc.dll.libvlc_video_set_callbacks(handle, callbacks[2], callbacks[3], callbacks[4], None)
    player.set_media(instance.media_new_path(args.media))
    player.play()
    if args.first_frame:
        ok = first.wait(20)
        print(json.dumps({"first_frame": state.get("first_frame") if ok else None}), flush=True)
        os._exit(0 if ok else 1)
    started = time.monotonic()
    print(json.dumps({"playing": started}), flush=True)
    time.sleep(args.play)
    print(json.dumps({"frames": state["frames"]}), flush=True)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
