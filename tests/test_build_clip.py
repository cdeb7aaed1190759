"""The clip builder, end to end on a tiny article: real speech engine, real ffmpeg.

Never skipped: without flite, espeak-ng or ffmpeg these tests fail, naming what is missing.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from clipsync.core.formats.syncdoc import load_sync

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0
RATE = 16000

FIRST = "The council met on Monday."
SECOND = "“We will not give up,” she said, “not now.”"


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_clip", ROOT / "scripts" / "build_clip.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def mini_document(path: Path) -> Path:
    """A two-sentence sync document with one quote in two parts, every time null."""
    parts = [(SECOND.index("We"), SECOND.index("up,") + 3), (SECOND.index("not now"), len(SECOND) - 1)]
    doc = {
        "format": "clipsync-sync",
        "version": 1,
        "title": "Council Meets Again",
        "language": "en",
        "media": {"file": None, "duration_ms": None},
        "speakers": {"minister": {"name": "Jane Doe", "role": "Minister of Food"}},
        "blocks": [
            {
                "kind": "paragraph",
                "sentences": [
                    {"id": "s1", "text": FIRST, "start_ms": None, "end_ms": None},
                    {"id": "s2", "text": SECOND, "start_ms": None, "end_ms": None},
                ],
            }
        ],
        "quotes": [
            {
                "id": "q1",
                "speaker": "minister",
                "parts": [
                    {"sentence": "s2", "char_start": a, "char_end": b, "start_ms": None, "end_ms": None}
                    for a, b in parts
                ],
            }
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def ffprobe_durations(mp4: Path) -> list[float]:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=duration",
            "-of",
            "json",
            str(mp4),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    return [float(data["format"]["duration"])] + [float(s["duration"]) for s in data["streams"]]


def first_onset_ms(mp4: Path) -> float:
    """Where the decoded audio first rises above -42 dBFS, measured independently of the builder."""
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
    samples = np.abs(np.frombuffer(raw, dtype="<i2").astype(np.int32))
    loud = np.flatnonzero(samples > 32767 * 10 ** (-42 / 20))
    assert loud.size, "the clip is silent"
    return float(loud[0]) * 1000 / RATE


@pytest.mark.slow
def test_the_tools_the_builder_needs_are_installed() -> None:
    """CI installs flite, espeak-ng and ffmpeg; a missing one is an error, not a skip."""
    missing = [tool for tool in ("flite", "espeak-ng", "ffmpeg", "ffprobe") if shutil.which(tool) is None]
    assert not missing, f"install {', '.join(missing)} (apt-get install flite espeak-ng ffmpeg)"


@pytest.mark.slow
@pytest.mark.parametrize("voice", ["flite:rms", "espeak-ng:en-us"])
def test_a_tiny_article_becomes_a_clip_with_exact_times(tmp_path: Path, voice: str) -> None:
    """The clip lasts the target, the sync document loads, and its times match the audio."""
    builder = load_builder()
    article = load_sync(mini_document(tmp_path / "mini.article.json"))

    result = builder.build_clip(article, tmp_path / "out", stem="mini", target_s=TARGET_S, voice=voice)

    for duration in ffprobe_durations(result.mp4):
        assert abs(duration - TARGET_S) <= 0.1
    timed = load_sync(result.sync)
    assert timed.duration_ms == round(TARGET_S * 1000)
    assert timed.media_file == "mini.mp4"
    s1, s2 = timed.sentences
    assert (
        s1.start_ms is not None
        and s1.end_ms is not None
        and s2.start_ms is not None
        and s2.end_ms is not None
    )
    assert 0 < s1.start_ms < s1.end_ms < s2.start_ms < s2.end_ms <= TARGET_S * 1000
    parts = [part for _, part in timed.quote_parts()]
    assert len(parts) == 2
    for part in parts:
        assert part.start_ms is not None and part.end_ms is not None
        assert s2.start_ms <= part.start_ms < part.end_ms <= s2.end_ms
    assert parts[0].end_ms < parts[1].start_ms  # type: ignore[operator]
    assert parts[0].start_ms == s2.start_ms  # the sentence opens with the quote
    assert abs(first_onset_ms(result.mp4) - s1.start_ms) <= 20
    assert abs(result.onset_offset_ms) <= 10
    assert result.vtt.read_text(encoding="utf-8").startswith("WEBVTT")
    if voice.startswith("flite"):
        # Word times from the synthesizer: every word, in order, inside its sentence; each
        # quote part's first word starts where the part starts (each part is its own piece).
        for sentence in (s1, s2):
            words = [w.text_in(sentence.text) for w in sentence.words]
            assert words == [t.strip(",.“”") for t in sentence.text.split()]
            assert sentence.words.problem(len(sentence.text), sentence.start_ms, sentence.end_ms) is None
        for part in parts:
            first = next(w for w in s2.words if w.char_start >= part.char_start)
            assert abs(first.start_ms - part.start_ms) <= 30  # type: ignore[operator]
        assert json.loads(result.sync.read_text(encoding="utf-8"))["version"] == 2
    else:
        assert not s1.words and not s2.words  # espeak-ng reports no word times
