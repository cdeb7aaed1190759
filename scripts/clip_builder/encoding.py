"""The clip builder's last steps: the soundtrack and the filter graph encoded into the mp4 by
ffmpeg, and what the encoded file is checked with (its durations, where its first speech is heard)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from .video import FPS
from .voices import RATE, speech_bounds


def encode(wav: Path, filter_script: Path, mp4: Path, duration_s: float) -> None:
    cmd = [
        "ffmpeg", "-y", "-v", "error",
        "-filter_complex_script", str(filter_script),
        "-i", str(wav),
        "-map", "[v]", "-map", "0:a",
        "-c:v", "libx264", "-preset", "slow", "-crf", "26", "-tune", "stillimage",
        "-pix_fmt", "yuv420p", "-r", str(FPS),
        "-g", str(2 * FPS), "-keyint_min", str(FPS), "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", str(RATE),
        "-t", f"{duration_s:.3f}",
        "-movflags", "+faststart",
        str(mp4),
    ]  # fmt: skip
    subprocess.run(cmd, check=True)


def probe_durations(mp4: Path) -> dict[str, float]:
    """The container's duration and each stream's, as ffprobe reports them."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,duration",
         "-of", "json", str(mp4)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    data = json.loads(out)
    durations = {"container": float(data["format"]["duration"])}
    for stream in data["streams"]:
        durations[stream["codec_type"]] = float(stream["duration"])
    return durations


def decoded_audio(mp4: Path) -> np.ndarray:
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(mp4),
            "-map",
            "0:a",
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2")


def measured_onset_ms(mp4: Path) -> float:
    """When the first speech is heard in the encoded file (decoded as a player would)."""
    bounds = speech_bounds(decoded_audio(mp4))
    if bounds is None:
        raise RuntimeError(f"{mp4} has no audible audio")
    return bounds[0] * 1000 / RATE
