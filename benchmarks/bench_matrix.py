"""The encoding matrix: measurement clips encoded the way people's files are (issue 18).

Each clip carries its frame number in every picture and the audio time code, as the
benchmark clip does (``bench_media``), but at another frame rate, with another codec,
container, keyframe spacing or B-frame reordering, or with a variable frame rate. Beside each
clip go its sync document (the same kind of cue list, times multiples of 100 ms) and its
frame times (``.frames.json``: the presentation time in ms of each picture, in display order,
from ffprobe's packet timestamps: no decoding), which the judge uses in place of
``n x 33.3 ms``. Everything is cached in the benchmark cache, made again when the recipe
changes.

    python benchmarks/bench_matrix.py [NAME ...] [--json OUT] [--quick]   measure (all clips by default)
    python benchmarks/bench_matrix.py --make-only                          only make the clips
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import audio_code
import bench_media

from clipsync.core.formats.syncdoc import save_sync
from clipsync.core.text.article import Article

#: Bump to make every matrix clip again.
RECIPE = 1
WIDTH, HEIGHT = 640, 360


@dataclass(frozen=True)
class ClipSpec:
    name: str
    #: frames a second as ffmpeg takes it ("24000/1001"); for ``vfr`` the capture rate
    fps: str
    #: "h264" (B-pyramid, 3 B-frames), "h264-baseline" (no B-frames), "hevc", "vp9", "av1",
    #: or "" for an audio-only file
    codec: str
    #: the file's extension: mp4, mkv, webm; for audio only: mp3, m4a, opus
    container: str
    #: seconds between keyframes
    key_s: float = 2.0
    #: a phone-like variable frame rate: 2 s at 60, 2 s at 30, 2 s at 20 frames a second, again
    vfr: bool = False

    @property
    def rate(self) -> Fraction:
        return Fraction(self.fps)

    @property
    def audio_only(self) -> bool:
        return not self.codec


#: The matrix. Names say codec, frame rate, keyframe spacing and container.
MATRIX = (
    ClipSpec("h264-30-k2-mp4", "30", "h264", "mp4", 2.0),  # the benchmark clip's recipe
    ClipSpec("h264-25-k10-mp4", "25", "h264", "mp4", 10.0),
    ClipSpec("h264base-2997-k05-mp4", "30000/1001", "h264-baseline", "mp4", 0.5),
    ClipSpec("h264-50-k1-mkv", "50", "h264", "mkv", 1.0),
    ClipSpec("h264-60-k2-mp4", "60", "h264", "mp4", 2.0),
    ClipSpec("hevc-23976-k10-mkv", "24000/1001", "hevc", "mkv", 10.0),
    ClipSpec("vp9-23976-k10-webm", "24000/1001", "vp9", "webm", 10.0),
    ClipSpec("vp9-60-k5-webm", "60", "vp9", "webm", 5.0),
    ClipSpec("av1-30-k10-mkv", "30", "av1", "mkv", 10.0),
    ClipSpec("av1-2997-k2-webm", "30000/1001", "av1", "webm", 2.0),
    ClipSpec("vfr-phone-h264-mp4", "60", "h264", "mp4", 1.0, vfr=True),
    ClipSpec("audio-mp3", "", "", "mp3"),
)
BY_NAME = {spec.name: spec for spec in MATRIX}
#: What ``run.py --quick --only matrix`` measures (CI): a Matroska and a WebM clip, briefly.
QUICK_MATRIX = (BY_NAME["h264-50-k1-mkv"], BY_NAME["vp9-23976-k10-webm"])


def _video_codec(spec: ClipSpec, gop: int) -> list[str]:
    g = ["-g", str(gop), "-keyint_min", str(gop)]
    if spec.codec == "h264":
        return ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", *g, "-sc_threshold", "0",
                "-bf", "3", "-x264-params", "b-pyramid=normal"]  # fmt: skip
    if spec.codec == "h264-baseline":
        return ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", *g, "-sc_threshold", "0",
                "-profile:v", "baseline", "-bf", "0"]  # fmt: skip
    if spec.codec == "hevc":
        params = f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes=4:b-pyramid=1:log-level=error"
        tag = ["-tag:v", "hvc1"] if spec.container == "mp4" else []
        return ["-c:v", "libx265", "-preset", "ultrafast", "-crf", "24", "-x265-params", params, *tag]
    if spec.codec == "vp9":
        # Two-pass-like "good" quality with alternate reference frames (hidden pictures), as
        # web video is encoded, but fast.
        return ["-c:v", "libvpx-vp9", "-deadline", "good", "-cpu-used", "5", "-row-mt", "1", "-b:v", "1M",
                "-auto-alt-ref", "1", "-lag-in-frames", "16", *g]  # fmt: skip
    if spec.codec == "av1":
        return ["-c:v", "libsvtav1", "-preset", "10", "-crf", "35", "-g", str(gop)]
    raise ValueError(spec.codec)


def _audio_codec(container: str) -> list[str]:
    if container in ("webm", "opus"):
        return ["-c:a", "libopus", "-b:a", "160k"]
    if container == "mp3":
        return ["-c:a", "libmp3lame", "-b:a", "192k"]
    return list(audio_code.AAC_OPTIONS)


def _key(spec: ClipSpec, seconds: float) -> str:
    recipe = f"{RECIPE}-{bench_media.RECIPE}-{spec}-{seconds:g}"
    return hashlib.sha1(recipe.encode()).hexdigest()[:10]


def make(
    spec: ClipSpec, seconds: float, folder: Path | None = None, size: tuple[int, int] = (WIDTH, HEIGHT)
) -> tuple[Path, Path]:
    """The clip of ``spec`` (``seconds`` long, ``size``) and its sync document, made if not
    cached (in ``folder``, by default the benchmark cache)."""
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is needed to make the measurement clips (apt-get install ffmpeg)")
    folder = folder or bench_media.cache_dir()
    tag = "" if size == (WIDTH, HEIGHT) else f"-{size[0]}x{size[1]}"
    out = folder / f"m-{spec.name}{tag}-{seconds:g}s-{_key(spec, seconds)}.{spec.container}"
    doc = out.with_name(out.stem + ".sync.json")
    if not (out.is_file() and out.stat().st_size > 0):
        _encode(spec, seconds, out, size)
    if not spec.audio_only and not frames_file(out).is_file():
        frames_file(out).write_text(json.dumps(_frame_times(out)))
    if not doc.is_file():
        article = bench_media.make_cue_article(int(seconds * 1000))
        fields = {**bench_media._fields(article), "media_file": out.name}
        save_sync(Article(**fields), doc)  # type: ignore[arg-type]
    return out, doc


def frames_file(clip: Path) -> Path:
    return clip.with_name(clip.stem + ".frames.json")


def _encode(spec: ClipSpec, seconds: float, out: Path, size: tuple[int, int]) -> None:
    folder = out.parent
    sound = folder / f".{out.stem}.wav"
    audio_code.write_wav(sound, audio_code.make_coded_audio(seconds))
    tmp = out.with_name(out.stem + ".tmp" + out.suffix)
    command = ["ffmpeg", "-v", "error", "-y"]
    if spec.audio_only:
        command += ["-i", str(sound), "-t", f"{seconds}", *_audio_codec(spec.container), str(tmp)]
    else:
        gop = max(1, round(spec.key_s * float(spec.rate)))
        chain = []
        if spec.vfr:
            # 60 fps captured; kept: all of the first 2 s of every 6, every 2nd of the next 2 s,
            # every 3rd of the last 2 s (60, 30, 20 fps in turn), with their capture times.
            chain.append("select='if(lt(mod(t,6),2),1,if(lt(mod(t,6),4),not(mod(n,2)),not(mod(n,3))))'")
        chain.append(bench_media._bits_filter(*size))
        script = folder / f".{out.stem}.vf"
        script.write_text(",".join(chain))
        command += ["-f", "lavfi", "-i", f"testsrc2=size={size[0]}x{size[1]}:rate={spec.fps}", "-i", str(sound),
                    "-t", f"{seconds}", "-filter_script:v", str(script), *_video_codec(spec, gop),
                    "-pix_fmt", "yuv420p", *_audio_codec(spec.container)]  # fmt: skip
        if spec.vfr:
            command += ["-fps_mode", "passthrough", "-video_track_timescale", "600"]  # as phones write
        if spec.container == "mp4":
            command += ["-movflags", "+faststart"]
        command.append(str(tmp))
    try:
        subprocess.run(command, check=True, timeout=1800)
    finally:
        for scratch in folder.glob(f".{out.stem}.*"):
            scratch.unlink()
    tmp.replace(out)


def _frame_times(clip: Path) -> list[float]:
    """Each picture's presentation time in ms, in display order (ffprobe's packets: no decoding).

    Hidden pictures (VP9/AV1 alternate references) travel in a packet with a shown one, so a
    packet is a picture; media time as libVLC counts it starts at the first video picture or
    the first audio sample, whichever is first (0 in these files)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
         "-of", "csv=p=0", str(clip)],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    return sorted(round(float(line.strip(",")) * 1000, 3) for line in out.split() if line.strip(", "))


def load_frame_times(clip: Path) -> list[float] | None:
    path = frames_file(clip)
    return json.loads(path.read_text()) if path.is_file() else None


# Measuring ---------------------------------------------------------------------------------
#: Seconds of each clip; the sync plan of each rate (what issue 18 measured with).
CLIP_S = 60.0
PLAN = {"duration": 40, "seeks": 12, "pauses": 3, "jumps": 6, "rate-changes": 3, "quote-seeks": 10}
QUICK_PLAN = {"duration": 8, "seeks": 2, "pauses": 1, "jumps": 2, "rate-changes": 1, "quote-seeks": 3}
#: The figures of each clip in the table of docs/benchmarks.md.
TABLE_KEYS = (
    ("frames right 1x / 1.5x (%)", ("sync.frames_correct_pct", "sync.rate15.frames_correct_pct"), "{:.2f}"),
    ("clock error p99 1x / 1.5x (ms)", ("sync.p99_ms", "sync.rate15.p99_ms"), "{:.0f}"),
    ("first picture after a quote jump, worst (frames / ms)", ("sync.jump_landing_frames_max", "sync.jump_landing_max_ms"), "{:.0f}"),
    ("old pictures with new text", ("sync.jump_old_paints_wrong_text",), "{:.0f}"),
    ("seek to a quote, median (ms)", ("seek.median_ms",), "{:.0f}"),
    ("damaged pictures (no frame number read) 1x / 1.5x", ("sync.unreadable_frames", "sync.rate15.unreadable_frames"), "{:.0f}"),
)  # fmt: skip


def run_clip(
    spec: ClipSpec, quick: bool, python: str, log: Callable[[str], None], raw: Path | None = None
) -> dict[str, float]:
    """One clip of the matrix through the sync benchmark (or, audio only, the audio one), its
    figures under ``matrix.NAME.``."""
    from bench_audio import judge_audio
    from bench_judge import judge_sync

    seconds = 30.0 if quick else CLIP_S
    clip, doc = make(spec, seconds)
    here = Path(__file__).resolve().parent
    command = [python, str(here / "bench_app.py")]
    if spec.audio_only:
        wav = bench_media.cache_dir() / f"audio-landing-{spec.name}.wav"
        command += ["audio", str(clip), str(doc), "--seconds-clip", str(seconds), "--wav", str(wav)]
        command += ["--rates", "1", "1.5", "2", "--jumps", "2" if quick else "6"]
    else:
        plan = QUICK_PLAN if quick else PLAN
        command += [
            "sync",
            str(clip),
            str(doc),
            "--seconds-clip",
            str(seconds),
            "--frames",
            str(frames_file(clip)),
        ]
        command += [part for name, value in plan.items() for part in (f"--{name}", str(value))]
    log(f"matrix {spec.name}: {clip.name}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        raise RuntimeError(
            f"{spec.name} failed ({done.returncode}): {done.stdout[-1500:]} {done.stderr[-3000:]}"
        )
    data = json.loads(done.stdout[done.stdout.index("{") :])
    bench_media.use_frame_times(load_frame_times(clip))
    try:
        figures = judge_audio(data, doc) if spec.audio_only else judge_sync(data, doc)
    finally:
        bench_media.use_frame_times(None)
    if raw is not None:  # every paint and the judged jumps, for a closer look
        raw.mkdir(parents=True, exist_ok=True)
        (raw / f"{spec.name}.json").write_text(json.dumps({k: v for k, v in data.items() if k != "sizes"}))
    times = load_frame_times(clip)
    if times:
        figures["frame_ms"] = (times[-1] - times[0]) / (len(times) - 1)  # the mean interval
    return {f"matrix.{spec.name}.{key}": value for key, value in figures.items()}


def table(results: dict[str, float]) -> str:
    """The markdown table of the matrix figures (one row per clip)."""
    head = "| clip | frame (ms) | " + " | ".join(label for label, _, _ in TABLE_KEYS) + " |"
    lines = [head, "|" + "---|" * (len(TABLE_KEYS) + 2)]
    for spec in MATRIX:
        prefix = f"matrix.{spec.name}."
        if not any(key.startswith(prefix) for key in results):
            continue
        if spec.audio_only:
            cells = [
                "first sound after a jump, median / max: "
                + ", ".join(
                    f"{rate}x {_cell(results, prefix + f'audio.rate{tag}.landing_median_ms', '{:+.0f}')}"
                    f" / {_cell(results, prefix + f'audio.rate{tag}.landing_max_ms', '{:.0f}')} ms"
                    for rate, tag in (("1", "1"), ("1.5", "15"), ("2", "2"))
                )
            ]
            lines.append(f"| {spec.name} | – | {cells[0]} |" + " |" * (len(TABLE_KEYS) - 1))
            continue
        cells = [" / ".join(_cell(results, prefix + key, fmt) for key in keys) for _, keys, fmt in TABLE_KEYS]
        frame = _cell(results, prefix + "frame_ms", "{:.1f}")
        lines.append(f"| {spec.name} | {frame} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(results: dict[str, float], key: str, fmt: str) -> str:
    value = results.get(key)
    return "–" if value is None or value != value else fmt.format(value)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="clips of the matrix (all by default)")
    parser.add_argument("--make-only", action="store_true", help="only make the clips")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--raw", type=Path, help="keep each clip's recorded paints here (a folder)")
    args = parser.parse_args()
    names = args.names or list(BY_NAME)
    results: dict[str, float] = {}
    for name in names:
        spec = BY_NAME[name]
        if args.make_only:
            clip, _ = make(spec, 30.0 if args.quick else CLIP_S)
            print(json.dumps({"name": name, "clip": str(clip)}))
            continue
        results |= run_clip(
            spec, args.quick, sys.executable, lambda text: print(text, file=sys.stderr), args.raw
        )
        if args.json:
            args.json.write_text(json.dumps(results, indent=1) + "\n")
        print(table(results), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
