"""Forced alignment on speech made in the test (espeak-ng / flite), so the truth is exact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from clipsync.align_command import main as align_main
from clipsync.core.alignment import AlignmentCancelled, align_article
from clipsync.core.alignment.pronounce import espeak_pronunciations, letters_to_sound, pronunciations
from clipsync.core.alignment.synthetic import make_clip, write_media
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.textparse import parse_article

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "resources" / "clip" / "syria.page.txt"  # the captured web page

SPOKEN = [
    "Talks Halted Over Syria",
    "The United States has halted its talks with Russia on the war in Syria.",
    "“What Russia is doing is not counter-terrorism,” said Ambassador Samantha Power.",
    "She said it was a gift to ISIL and Al-Nusrah, the groups they claim to fight.",
    "The Security Council met on September 29 in New York.",
]
NOT_READ = "Officials in Geneva later described the meeting as cordial but without any concrete outcome."
ARTICLE_TEXT = f"{SPOKEN[0]}\n\n{SPOKEN[1]} {SPOKEN[2]}\n\n{NOT_READ}\n\n{SPOKEN[3]} {SPOKEN[4]}\n"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int]]]:
    """A 5-sentence espeak-ng clip with uneven pauses, encoded to AAC; the unread paragraph is left out."""
    folder = tmp_path_factory.mktemp("clip")
    media = folder / "talks.m4a"
    spans = make_clip(SPOKEN, media, pause_ms=[900, 450, 700, 350, 600])
    return media, [(s.start_ms, s.end_ms) for s in spans]


@pytest.fixture(scope="module")
def aligned(clip):
    media, _ = clip
    return align_article(media, parse_article(ARTICLE_TEXT))


def _spoken_times(result) -> list[tuple[int | None, int | None]]:
    return [(s.start_ms, s.end_ms) for s in result.article.sentences if s.text != NOT_READ]


def test_short_clip_boundaries_within_100_ms(clip, aligned) -> None:
    """Every spoken sentence's start and end are recovered within 100 ms of the truth."""
    _, truth = clip
    got = _spoken_times(aligned)
    assert len(got) == len(truth)
    for (start, end), (t0, t1) in zip(got, truth, strict=True):
        assert start is not None and end is not None
        assert abs(start - t0) <= 100, (start, t0)
        assert abs(end - t1) <= 100, (end, t1)


def test_unread_paragraph_is_reported_unaligned(aligned) -> None:
    """Text not in the recording gets no times and is listed, not forced onto wrong times."""
    missing = [s for s in aligned.article.sentences if s.text == NOT_READ]
    assert len(missing) == 1 and missing[0].start_ms is None and missing[0].end_ms is None
    assert aligned.unaligned == (missing[0].id,)
    assert aligned.stats.sentences_aligned == len(SPOKEN)


def test_words_and_quote_parts_get_times_inside_their_sentence(aligned) -> None:
    """Words (OOV names and numbers included) and quote parts are timed within the sentence."""
    article = aligned.article
    for s in article.sentences:
        if s.start_ms is None:
            continue
        assert s.words and all(s.start_ms <= w.start_ms < w.end_ms <= s.end_ms for w in s.words)
        assert [w.start_ms for w in s.words] == sorted(w.start_ms for w in s.words)
        assert s.words.problem(len(s.text), s.start_ms, s.end_ms) is None
    texts = {w.text_in(s.text) for s in article.sentences for w in s.words}
    assert {"Al-Nusrah", "ISIL", "29"} <= texts
    (quote,) = article.quotes
    part = quote.parts[0]
    sentence = article.sentence(part.sentence_id)
    assert quote.speaker.name == "Samantha Power"
    assert part.start_ms is not None and part.end_ms is not None
    assert sentence.start_ms <= part.start_ms < part.end_ms < sentence.end_ms  # type: ignore[operator]
    assert aligned.stats.words_generated >= 3


def test_small_windows_give_the_same_times_without_drift(clip, aligned) -> None:
    """Aligning in 10 s windows anchored on kept sentences gives the same times (within 30 ms)."""
    media, _ = clip
    chunked = align_article(media, parse_article(ARTICLE_TEXT), window_s=10)
    assert chunked.stats.windows > 2
    assert chunked.unaligned == aligned.unaligned
    for (a0, a1), (b0, b1) in zip(_spoken_times(chunked), _spoken_times(aligned), strict=True):
        assert abs(a0 - b0) <= 30 and abs(a1 - b1) <= 30  # type: ignore[operator]


def test_progress_reports_fraction_and_time_left(clip) -> None:
    """Progress goes from 0 to 1 and gives a time left once started."""
    media, _ = clip
    seen: list[tuple[float, float | None]] = []
    align_article(media, parse_article(ARTICLE_TEXT), progress=lambda f, eta: seen.append((f, eta)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert any(eta is not None for _, eta in seen)


def test_cancel_stops_the_alignment(clip) -> None:
    """Setting the cancel flag from the progress callback stops the run with AlignmentCancelled."""
    media, _ = clip
    flag = threading.Event()
    with pytest.raises(AlignmentCancelled):
        align_article(media, parse_article(ARTICLE_TEXT), progress=lambda f, _: flag.set(), cancel=flag)


def test_pronunciations_are_made_for_unknown_words() -> None:
    """espeak-ng phonemizes names, numbers and acronyms; letter-to-sound never fails."""
    made = espeak_pronunciations(["Al-Nusrah", "29", "ISIL"])
    assert made["29"][:3] == ("T", "W", "EH") and "N" in made["29"]
    assert made["Al-Nusrah"][0] == "AE" and set(made) == {"Al-Nusrah", "29", "ISIL"}
    assert letters_to_sound("Xq") == ("K", "S", "K")
    assert all(pronunciations(["Zzyzx", "O’Brien"]).values())


def test_no_speech_is_a_clear_error(tmp_path: Path) -> None:
    """A recording of quiet noise only raises InputError saying there is no speech."""
    media = tmp_path / "hiss.wav"
    rng = np.random.default_rng(0)
    write_media((rng.standard_normal(16000 * 6) * 0.002).astype(np.float32), media)
    with pytest.raises(InputError, match="no speech"):
        align_article(media, parse_article(ARTICLE_TEXT))


def test_text_that_does_not_match_is_a_clear_error(clip) -> None:
    """A text about something else entirely raises InputError saying it does not match."""
    media, _ = clip
    other = parse_article(
        "Garden Birds Return\n\nThe cat sat on the mat and looked out of the window at the birds.\n\n"
        "Mortgage rates climbed again this week as the bank signalled further increases.\n\n"
        "A new species of frog was discovered in the rainforest by biologists.\n"
    )
    with pytest.raises(InputError, match="does not match"):
        align_article(media, other)


def test_unreadable_media_is_a_clear_error(tmp_path: Path) -> None:
    """A text file named .mp4 raises InputError naming the file."""
    bad = tmp_path / "bad.mp4"
    bad.write_text("not a video", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.mp4"):
        align_article(bad, parse_article(ARTICLE_TEXT))


def test_align_command_writes_sync_and_vtt(clip, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`clipsync align MEDIA TEXT -o OUT` writes a loadable sync document and a WebVTT beside it."""
    media, _ = clip
    text = tmp_path / "article.md"
    text.write_text(ARTICLE_TEXT, encoding="utf-8")
    out = tmp_path / "talks.sync.json"
    assert align_main([str(media), str(text), "-o", str(out)]) == 0
    article = load_sync(out)
    assert article.title == SPOKEN[0] and article.media_file == media.name
    # Word times are part of the document (format version 2) and of the WebVTT (karaoke).
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 2
    assert all(s.words for s in article.sentences if s.timed)
    vtt = (tmp_path / "talks.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "<00:" in vtt
    err = capsys.readouterr().err
    assert "100.0%" in err and "time left" in err and "not found in the recording" in err


def test_align_command_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing media file gives exit code 1 and a one-line reason, and writes nothing."""
    text = tmp_path / "a.txt"
    text.write_text(ARTICLE_TEXT, encoding="utf-8")
    assert align_main([str(tmp_path / "missing.mp4"), str(text), "-q"]) == 1
    assert "file not found" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.slow
def test_ctrl_c_leaves_no_output(tmp_path: Path) -> None:
    """SIGINT during `clipsync align` exits with 130 and leaves no file, not even a temporary one."""
    media = tmp_path / "syria.mp4"
    media.symlink_to(ROOT / "resources" / "clip" / "syria.mp4")
    proc = subprocess.Popen(
        [sys.executable, "-m", "clipsync.align_command", str(media), str(SEED)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stderr is not None
    buffer = ""
    deadline = time.monotonic() + 30
    while "time left 00" not in buffer and time.monotonic() < deadline:
        buffer += proc.stderr.read(1)
    proc.send_signal(signal.SIGINT)
    rest = proc.communicate(timeout=30)[1]
    assert proc.returncode == 130, buffer + rest
    assert "nothing was written" in rest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["syria.mp4"]


@pytest.mark.slow
def test_other_voice_with_noise_bed(tmp_path: Path) -> None:
    """flite's awb voice under a noise bed 20 dB down still aligns within 100 ms."""
    media = tmp_path / "noisy.mp4"
    spans = make_clip(SPOKEN[1:4], media, engine="flite", voice="awb", bed="noise", bed_db=-20, pause_ms=500)
    result = align_article(media, parse_article("Noisy Clip Test\n\n" + " ".join(SPOKEN[1:4])))
    got = [s for s in result.article.sentences if s.text != "Noisy Clip Test"]
    for s, span in zip(got, spans, strict=True):
        assert abs(s.start_ms - span.start_ms) <= 100 and abs(s.end_ms - span.end_ms) <= 100  # type: ignore[operator]


@pytest.mark.slow
def test_bundled_clip_accuracy(clip_media: Path, clip_sync: Path) -> None:
    """The seed article on the bundled clip: all 15 sentences, mean error under 40 ms (its speed is
    measured by benchmarks/align_accuracy.py, not here: a shared machine would fail a timed test)."""
    from clipsync.core.text.textparse import parse_article_file

    truth = load_sync(clip_sync)
    result = align_article(clip_media, parse_article_file(SEED))
    assert result.unaligned == ()
    errors = [
        abs(a - b)
        for s, t in zip(result.article.sentences, truth.sentences, strict=True)
        for a, b in ((s.start_ms, t.start_ms), (s.end_ms, t.end_ms))
    ]
    assert np.mean(errors) <= 40 and max(errors) <= 120
