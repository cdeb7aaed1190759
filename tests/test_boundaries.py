"""Boundary refinement on made sounds whose true edges are known to the sample: a soft
fricative onset under a noise bed, a word stretched over a pause, a clean pause with codec-like
crumbs, a fading last sound under a bed, and speech without a pause."""

from __future__ import annotations

import numpy as np

from clipsync.core.alignment.audio import RATE, frame_energy_db
from clipsync.core.alignment.boundaries import Boundaries, Loudness, refine

MS = RATE // 1000


def _band(x: np.ndarray, lo_hz: float, hi_hz: float) -> np.ndarray:
    spectrum = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    spectrum[(freqs < lo_hz) | (freqs > hi_hz)] = 0
    return np.fft.irfft(spectrum, len(x))


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x**2)))


def _vowel(n: int) -> np.ndarray:
    """A voiced sound: 120 Hz and its harmonics up to 7 kHz, falling off with frequency."""
    t = np.arange(n) / RATE
    return sum(np.sin(2 * np.pi * 120 * k * t) / k for k in range(1, 60))  # type: ignore[return-value]


def _bed(n: int, rng: np.random.Generator) -> np.ndarray:
    """Room-like noise: white noise through a 4-tap average (weaker at high frequencies)."""
    return np.convolve(rng.standard_normal(n), np.ones(4) / 4, mode="same")


def _pcm(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, -1, 1) * 32767).astype(np.int16)


def _word_under_bed(rng: np.random.Generator, bed_db: float = -20.0) -> tuple[np.ndarray, int, int]:
    """1 s of pause, a soft /f/ (100 ms), a vowel (400 ms), 1 s of pause, under a noise bed.
    Returns the samples and the true start and end frame of the word."""
    pause, fric, vowel = 1000 * MS, 100 * MS, 400 * MS
    n = 2 * pause + fric + vowel
    speech = np.zeros(n)
    speech[pause + fric : pause + fric + vowel] = _vowel(vowel) / _rms(_vowel(vowel)) * 0.1
    hiss = _band(rng.standard_normal(fric), 4500, 7500)
    bed = _bed(n, rng)
    bed *= 0.1 * 10 ** (bed_db / 20) / _rms(bed)
    # The /f/ is as loud as the bed's share above 4 kHz, far under the bed as a whole.
    above = _rms(_band(bed, 4500, 7500))
    speech[pause : pause + fric] = hiss / _rms(hiss) * above * 1.5
    return _pcm(speech + bed), pause // (10 * MS), (pause + fric + vowel) // (10 * MS)


def test_soft_fricative_onset_under_a_noise_bed_is_found() -> None:
    """The start moves back over the /f/ that the recogniser gave to the pause (60 ms) to its onset,
    which only the high band shows: in plain loudness it is lost in the bed."""
    rng = np.random.default_rng(3)
    samples, start, end = _word_under_bed(rng)
    loudness = Loudness.of(samples)
    fric = slice(start, start + 10)
    pause = slice(start - 60, start - 10)
    assert loudness.plain[fric].mean() - loudness.plain[pause].mean() < 3  # invisible here
    assert loudness.high[fric].mean() - loudness.high[pause].mean() > 4  # visible here
    late = Boundaries(start + 6, end, start + 30, start + 10)
    got = refine(late, loudness, 0, len(loudness), bed=True)
    assert abs(got.start - start) <= 2, (got.start, start)
    assert abs(got.end - end) <= 2, (got.end, end)


def test_start_stretched_over_the_pause_is_pulled_to_the_onset() -> None:
    """A first word the recogniser stretched back over 600 ms of pause starts at the speech."""
    rng = np.random.default_rng(4)
    samples, start, end = _word_under_bed(rng)
    early = Boundaries(start - 60, end, start + 30, start + 10)
    got = refine(early, Loudness.of(samples), 0, len(samples) // (10 * MS), bed=True)
    assert abs(got.start - start) <= 2, (got.start, start)


def test_clean_pause_ignores_crumbs_far_under_the_speech() -> None:
    """Over digital silence, a few samples of codec noise 70 dB under the word are not speech."""
    pause, vowel = 500 * MS, 300 * MS
    x = np.zeros(2 * pause + vowel)
    x[pause : pause + vowel] = _vowel(vowel) / _rms(_vowel(vowel)) * 0.2
    x[pause - 40 * MS : pause] = np.random.default_rng(5).standard_normal(40 * MS) * 0.2 * 10 ** (-70 / 20)
    loudness = Loudness.of(_pcm(x))
    start, end = pause // (10 * MS), (pause + vowel) // (10 * MS)
    got = refine(Boundaries(start - 8, end + 8, start + 10, end - 10), loudness, 0, len(loudness), bed=False)
    assert (got.start, got.end) == (start, end)


def test_a_short_fade_under_a_bed_does_not_cut_the_end() -> None:
    """Under a bed, a last sound fading into the noise keeps the recogniser's end: a cut of
    less than 100 ms is more likely the fade than a pause."""
    rng = np.random.default_rng(6)
    pause, vowel, fade = 800 * MS, 300 * MS, 80 * MS
    n = 2 * pause + vowel + fade
    x = np.zeros(n)
    x[pause : pause + vowel] = _vowel(vowel) / _rms(_vowel(vowel)) * 0.1
    tail = _vowel(fade) / _rms(_vowel(fade)) * 0.1 * np.geomspace(0.05, 0.001, fade)
    x[pause + vowel : pause + vowel + fade] = tail
    bed = _bed(n, rng)
    x += bed * 0.01 / _rms(bed)
    loudness = Loudness.of(_pcm(x))
    start, end = pause // (10 * MS), (pause + vowel + fade) // (10 * MS)
    got = refine(Boundaries(start, end, start + 10, end - 10), loudness, 0, len(loudness), bed=True)
    assert got.end == end


def test_no_pause_no_move() -> None:
    """Without a pause clearly quieter than the speech next to it, the boundaries stay."""
    x = _vowel(2 * RATE) / _rms(_vowel(2 * RATE)) * 0.1
    loudness = Loudness.of(_pcm(x))
    assert len(frame_energy_db(_pcm(x))) == len(loudness)
    b = Boundaries(80, 120, 90, 110)
    got = refine(b, loudness, 0, len(loudness), bed=False)
    assert (got.start, got.end) == (80, 120)


def _word_then_tail(bed: np.ndarray, tail_db: float) -> tuple[np.ndarray, int, int]:
    """800 ms of pause, a vowel (300 ms), a low murmur (150 ms, ``tail_db`` over the bed: a final
    stop's release and breath, as a LibriVox reader's "ornament," ends), 800 ms of pause, with
    ``bed`` under it all. Returns the samples, the vowel's end frame and the murmur's end frame."""
    pause, vowel, tail = 800 * MS, 300 * MS, 150 * MS
    x = np.zeros(len(bed))
    x[pause : pause + vowel] = _vowel(vowel) / _rms(_vowel(vowel)) * 0.1
    murmur = _band(np.random.default_rng(8).standard_normal(tail), 80, 400)
    x[pause + vowel : pause + vowel + tail] = murmur / _rms(murmur) * _rms(bed) * 10 ** (tail_db / 20)
    return _pcm(x + bed), (pause + vowel) // (10 * MS), (pause + vowel + tail) // (10 * MS)


def test_a_sounded_tail_past_the_end_under_a_steady_bed_is_the_sentences() -> None:
    """The recogniser ends at the vowel; the murmur after it stands 8 dB over a steady bed for
    150 ms, further than an end may move over a bed otherwise (80 ms): it is taken."""
    n = 2550 * MS
    bed = _bed(n, np.random.default_rng(9))
    samples, vowel_end, tail_end = _word_then_tail(bed * 0.01 / _rms(bed), 8.0)
    loudness = Loudness.of(samples)
    got = refine(Boundaries(50, vowel_end, 60, vowel_end - 10), loudness, 0, len(loudness), bed=True)
    assert abs(got.end - tail_end) <= 2, (got.end, vowel_end, tail_end)


def test_a_murmur_over_an_unsteady_bed_is_not_taken() -> None:
    """A murmur 12 dB over a bed that swells and fades by 6 dB every 60 ms (a music bed's beat)
    does not stand out of the bed's own spread (four times it): the end stays within 80 ms of the
    recogniser's, where any run of loud frames would have been taken to the murmur's end."""
    n = 2550 * MS
    beat = 1 + (np.sin(2 * np.pi * np.arange(n) / (0.06 * RATE)) > 0)
    bed = _bed(n, np.random.default_rng(9)) * beat
    samples, vowel_end, _ = _word_then_tail(bed * 0.01 / _rms(bed), 12.0)
    loudness = Loudness.of(samples)
    got = refine(Boundaries(50, vowel_end, 60, vowel_end - 10), loudness, 0, len(loudness), bed=True)
    assert got.end <= vowel_end + 8, (got.end, vowel_end)
