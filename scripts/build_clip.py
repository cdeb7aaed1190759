"""Build the bundled news clip: the article read aloud by an offline speech engine.

We have no original media for the sample article, so this script makes a stand-in: it reads
``resources/clip/syria.article.json`` (a sync document with all times null) aloud, sentence by
sentence, and writes beside it

* ``syria.mp4``: 640x360, 25 fps, H.264 + AAC, exactly the target length (3:37 by default), a
  calm title card and slate with a lower third naming the speaker during each quote;
* ``syria.sync.json``: the same document with every sentence and quote part timed;
* ``syria.vtt``: the WebVTT export of that document.

The times are exact by construction, not aligned afterwards: every sentence is synthesized on
its own (a sentence holding quote parts is cut at the part boundaries, so each part is its own
piece), each piece is trimmed of its leading and trailing silence, and the pieces are joined
with pauses of known length. A sentence starts at the first non-silent sample of its first
piece and ends at the last non-silent sample of its last piece. With a flite voice each word's
time comes from the synthesizer too (``flite_words.py``: where flite placed the word's first
and last sounds), so the sync document gets word times (format version 2); espeak-ng voices
give sentence and quote times only. The voice is never sped up or
slowed down; only the pauses are chosen (within natural bounds) so that the whole lasts
exactly the target length. A last step decodes the encoded mp4 and checks that the first
speech onset lands where the sync document says (no AAC priming shift).

Run ``.venv/bin/python scripts/build_clip.py --survey`` to see how long each installed voice
takes to read the article and which pauses it would need.

Needs: flite and/or espeak-ng, ffmpeg/ffprobe, the DejaVu or Liberation fonts, numpy.

The parts are in the ``clip_builder`` package beside this script; this module puts them together.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clipsync.core.formats.subtitles import write_vtt
from clipsync.core.formats.syncdoc import load_sync, save_sync
from clipsync.core.text.article import Article

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clip_builder.encoding import encode, measured_onset_ms, probe_durations  # beside this script
from clip_builder.timeline import PausePlan, assemble, plan_pauses, synthesize_article, write_wav
from clip_builder.video import video_filter
from clip_builder.voices import RATE, Voice, installed_voices, require_tools

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = ROOT / "resources" / "clip" / "syria.article.json"
DEFAULT_OUT_DIR = ROOT / "resources" / "clip"
DEFAULT_STEM = "syria"
DEFAULT_DURATION_S = 217.0
DEFAULT_VOICE = "flite:rms"


@dataclass
class BuildResult:
    mp4: Path
    sync: Path
    vtt: Path
    voice: Voice
    plan: PausePlan
    durations: dict[str, float]
    onset_offset_ms: float
    article: Article

    def report(self) -> str:
        size = self.mp4.stat().st_size
        durations = ", ".join(f"{k} {v:.3f} s" for k, v in self.durations.items())
        return "\n".join(
            [
                f"voice:     {self.voice}",
                f"pauses:    {self.plan.describe()}",
                f"durations: {durations}",
                f"onset:     first speech in the decoded mp4 is {self.onset_offset_ms:+.1f} ms from the "
                "computed headline start",
                f"size:      {self.mp4.name} {size / 1e6:.2f} MB",
                f"wrote:     {self.mp4}, {self.sync}, {self.vtt}",
            ]
        )


def build_clip(
    article: Article,
    out_dir: Path,
    *,
    stem: str = DEFAULT_STEM,
    target_s: float = DEFAULT_DURATION_S,
    voice: Voice | str = DEFAULT_VOICE,
    log: bool = False,
) -> BuildResult:
    """Read ``article`` aloud with ``voice`` into ``stem``.mp4/.sync.json/.vtt in ``out_dir``."""
    voice = Voice.parse(voice) if isinstance(voice, str) else voice
    require_tools(voice)
    out_dir.mkdir(parents=True, exist_ok=True)
    mp4, sync, vtt = out_dir / f"{stem}.mp4", out_dir / f"{stem}.sync.json", out_dir / f"{stem}.vtt"

    def say(message: str) -> None:
        if log:
            print(message, flush=True)

    with tempfile.TemporaryDirectory(prefix="build_clip.") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        spoken = synthesize_article(article, voice, work)
        say(f"synthesized {len(spoken)} sentences with {voice} in {time.monotonic() - started:.1f} s")
        plan = plan_pauses(spoken, target_s)
        say(plan.describe())
        if not plan.natural:
            print(f"warning: {voice} does not fit {target_s} s within natural pauses", file=sys.stderr)
        track = assemble(article, spoken, plan, target_s)

        timed = dataclasses.replace(
            article.with_times(
                track.sentence_times,
                track.part_times,
                duration_ms=round(target_s * 1000),
                word_times=track.word_times,
            ),
            media_file=mp4.name,
        )
        save_sync(timed, sync)
        timed = load_sync(sync)  # the document must pass the loader's checks
        write_vtt(timed, vtt)

        wav = work / "speech.wav"
        write_wav(wav, track.samples)
        # The title card stays while the headline is read, and fades in the pause after it.
        title_until = (timed.sentences[0].end_ms or 0) / 1000 + min(0.3, plan.paragraph / 4)
        script = work / "video.filter"
        script.write_text(video_filter(timed, target_s, title_until, work), encoding="utf-8")
        started = time.monotonic()
        encode(wav, script, mp4, target_s)
        say(f"encoded {mp4.name} in {time.monotonic() - started:.1f} s")

    durations = probe_durations(mp4)
    for what, seconds in durations.items():
        if abs(seconds - target_s) > 0.1:
            raise RuntimeError(f"{mp4}: {what} lasts {seconds:.3f} s, not {target_s} s")
    expected_ms = track.headline_start_sample * 1000 / RATE
    offset = measured_onset_ms(mp4) - expected_ms
    result = BuildResult(mp4, sync, vtt, voice, plan, durations, offset, timed)
    return result


def survey(article: Article, voices: Iterable[Voice], target_s: float) -> None:
    """Print each voice's speech length and the pauses it would need (no encoding)."""
    with tempfile.TemporaryDirectory(prefix="build_clip.") as tmp:
        for voice in voices:
            spoken = synthesize_article(article, voice, Path(tmp))
            try:
                print(f"{voice!s:18} {plan_pauses(spoken, target_s).describe()}")
            except ValueError as exc:
                print(f"{voice!s:18} {exc}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--voice", default=DEFAULT_VOICE, help=f"flite:NAME or espeak-ng:NAME (default {DEFAULT_VOICE})"
    )
    parser.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="where the clip goes (default resources/clip)"
    )
    parser.add_argument(
        "--article", type=Path, default=DEFAULT_ARTICLE, help="the untimed sync document to read"
    )
    parser.add_argument(
        "--stem", default=DEFAULT_STEM, help="output file names: STEM.mp4, STEM.sync.json, STEM.vtt"
    )
    parser.add_argument(
        "--duration", type=float, default=DEFAULT_DURATION_S, help="clip length in seconds (default 217)"
    )
    parser.add_argument(
        "--survey", action="store_true", help="only compare the installed voices' speech lengths"
    )
    args = parser.parse_args(argv)

    article = load_sync(args.article)
    if args.survey:
        survey(article, installed_voices(), args.duration)
        return 0
    result = build_clip(
        article, args.out_dir, stem=args.stem, target_s=args.duration, voice=args.voice, log=True
    )
    print(result.report())
    if abs(result.onset_offset_ms) > 10:
        print(f"error: the audio is shifted by {result.onset_offset_ms:+.1f} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
