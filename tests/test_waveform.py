"""The waveform envelope of the bundled clip: where the sound is, at any zoom, and its cache."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import numpy as np
import pytest

from clipsync.core.alignment.waveform import (
    BUCKET_MS,
    Envelope,
    WaveformCancelled,
    cache_path,
    compute_envelope,
    envelope_for,
    load_cached,
)
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync


@pytest.fixture(scope="module")
def envelope() -> Envelope:
    clip = Path(__file__).resolve().parents[1] / "resources" / "clip" / "syria.mp4"
    return compute_envelope(clip)


def peak(envelope: Envelope, start_ms: int, end_ms: int) -> float:
    lows, highs = envelope.columns(start_ms, end_ms, 50)
    return float(np.nanmax(np.maximum(-lows, highs)))


def test_the_sound_is_where_the_sentences_are(envelope: Envelope, clip_sync: Path) -> None:
    """Every sentence has sound under it and every pause between sentences is silent."""
    assert envelope.duration_ms == pytest.approx(217_000, abs=50)  # the AAC stream runs a few ms over
    timed = [s for s in load_sync(clip_sync).sentences if s.timed]
    for s in timed:
        assert peak(envelope, s.start_ms or 0, s.end_ms or 0) > 0.1, s.id
    for before, after in itertools.pairwise(timed):
        if (after.start_ms or 0) - (before.end_ms or 0) > 400:
            assert peak(envelope, (before.end_ms or 0) + 100, (after.start_ms or 0) - 100) < 0.01


def test_two_readers_give_the_same_envelope_as_one(envelope: Envelope, clip_media: Path) -> None:
    """Reading the two halves at once lines up with reading the file in one go."""
    single = compute_envelope(clip_media, workers=1)
    assert len(single.levels[0][0]) == len(envelope.levels[0][0])
    a, b = single.levels[0][1].astype(float), envelope.levels[0][1].astype(float)
    assert np.abs(a - b).mean() < 0.02 * np.abs(a).mean() + 1


def test_columns_at_any_zoom_agree_with_the_base_level(envelope: Envelope) -> None:
    """The whole clip across 1000 px and 2 s across 1000 px both show the true peaks."""
    base_lo, base_hi = envelope.levels[0]
    for start, end in ((0, 217_000), (70_000, 72_000), (100_000, 100_050)):
        lows, highs = envelope.columns(start, end, 1000)
        a, b = start // BUCKET_MS, -(-end // BUCKET_MS)
        assert np.nanmax(highs) == pytest.approx(base_hi[a:b].max() / 32768.0)
        assert np.nanmin(lows) == pytest.approx(base_lo[a:b].min() / 32768.0)
    lows, highs = envelope.columns(-1000, 1000, 100)  # before the start: no sound, not silence
    assert np.isnan(highs[:50]).all() and not np.isnan(highs[50:]).any()
    lows, highs = envelope.columns(216_000, 218_000, 100)
    assert np.isnan(highs[-40:]).all()


def test_the_envelope_is_cached_per_file_version(clip_media: Path, tmp_path: Path) -> None:
    """The first call computes and stores; the next loads it; a changed file is computed anew."""
    copy = tmp_path / "clip.mp4"
    copy.write_bytes(clip_media.read_bytes())
    assert load_cached(copy) is None
    first = envelope_for(copy)
    assert cache_path(copy).is_file()
    cached = load_cached(copy)
    assert cached is not None and np.array_equal(cached.levels[0][1], first.levels[0][1])
    with copy.open("ab") as handle:
        handle.write(b"\0")
    assert load_cached(copy) is None  # size and time changed: another key


def test_cancel_and_bad_media(clip_media: Path, tmp_path: Path) -> None:
    """A set cancel flag stops the computation; a file that is not media says so."""
    flag = threading.Event()
    flag.set()
    with pytest.raises(WaveformCancelled):
        compute_envelope(clip_media, cancel=flag.is_set)
    bad = tmp_path / "notes.mp4"
    bad.write_text("not media", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.mp4"):
        compute_envelope(bad)
