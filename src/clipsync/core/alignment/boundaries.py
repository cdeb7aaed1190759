"""Refining a sentence's start and end on the sound, against the noise of the pause next to it.

pocketsphinx places boundaries on a 10 ms grid and may stretch a first or last word over the
pause next to it, or give a soft first or last sound (/f/, /s/, /h/) to the silence. Each
boundary is checked on the sound around it:

1. **The pause next to the boundary** is the quietest stretch of ``PAUSE_FRAMES`` (150 ms)
   near it: for a start, between the previous sentence and the end of the first word; for an
   end, between the last word and the next sentence. It must be clearly quieter than the
   sentence (``MIN_CONTRAST_DB``), or there is no pause to find and the boundary stays.
2. **Its noise floor** is measured there, for three loudness measures: plain, pre-emphasised
   and above 4 kHz (where a fricative's hiss stands out of a low-pitched noise). A frame is
   speech when any measure stands above the floor by more than the noise's own spread
   (twice the distance from its median to its 90th percentile, at least ``MIN_MARGIN_DB``),
   and is no more than ``DYNAMIC_RANGE_DB`` below the sentence's loudest frame (codec
   pre-echo and room tone under a clean pause are not speech).
3. **Searching outward from the pause** towards the sentence, the boundary is where the first
   run of ``RUN_FRAMES`` (30 ms) of speech begins (for an end: where the last one ends).

How far a boundary may move is bounded: inward no further than the first (last) word, outward
no more than ``OUTWARD_FRAMES`` (150 ms) over a clean pause and ``OUTWARD_BED_FRAMES`` (80 ms)
in a recording with a background bed, where a moment of the bed can look like a word's edge.
Under a bed an end moves inward only past a pause of ``INWARD_BED_FRAMES`` (100 ms) or more
inside the last word: a word's last sound fades into the bed gradually, so a shorter cut is
more likely the fade than a pause (measured: docs/benchmarks.md). Under a steady bed an end
also moves outward up to ``OUTWARD_FRAMES`` over a sounded tail: speech frames without a hole,
standing clearly over the bed and over its own spread (``_sounded``). The recogniser ends a
LibriVox reader's "ornament," at the /t/'s burst and leaves 140 ms of the release and breath
that the reader's line still holds; a music bed's swells do not pass (measured on the sonnet
lines, the pocketsphinx test voices and flite and espeak-ng voices under noise and music beds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clipsync.core.alignment.audio import frame_energy_db, high_band_db

FRAME_MS = 10
EMPHASIS = 0.97  # pre-emphasis as speech recognisers use: x[n] - 0.97 x[n-1]
PAUSE_FRAMES = 15  # the noise reference: 150 ms, shorter than most pauses between sentences
SEARCH_FRAMES = 100  # look for the pause up to 1 s outside the boundary
NEAR_FRAMES = 15  # ... and up to 150 ms inside it
MIN_CONTRAST_DB = 12.0  # a pause is at least this much under the sentence's loud frames
MIN_MARGIN_DB = 3.0
SPREAD_FACTOR = 2.0
DYNAMIC_RANGE_DB = 55.0
RUN_FRAMES = 3
CLEAN_PAUSE_DB = 35.0  # a pause this far under the sentence is silence, not a bed
OUTWARD_FRAMES = 15
OUTWARD_BED_FRAMES = 8
INWARD_BED_FRAMES = 10
HOLE_FRAMES = 2
TAIL_MARGIN_DB = 6.0
TAIL_SPREADS = 4.0


@dataclass(frozen=True)
class Loudness:
    """Per-10 ms-frame loudness of a stretch of sound, in dB: plain, pre-emphasised, high band."""

    plain: np.ndarray
    emphasised: np.ndarray
    high: np.ndarray
    measures: tuple[np.ndarray, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "measures", (self.plain, self.emphasised, self.high))

    @classmethod
    def of(cls, samples: np.ndarray) -> Loudness:
        """The loudness measures of 16 kHz int16 ``samples``."""
        return cls(
            frame_energy_db(samples), frame_energy_db(samples, emphasis=EMPHASIS), high_band_db(samples)
        )

    def __len__(self) -> int:
        return len(self.plain)


@dataclass
class Boundaries:
    """A sentence's start and end frames, with its first word's end and last word's start."""

    start: int
    end: int
    first_word_end: int
    last_word_start: int


def _quiet(plain: np.ndarray, a: int, b: int, ceiling: float) -> slice | None:
    """The quietest ``PAUSE_FRAMES`` stretch in frames ``[a, b)``, if it is under ``ceiling``."""
    a, b = max(a, 0), min(b, len(plain))
    if b - a < PAUSE_FRAMES:
        return None
    sums = np.cumsum(np.concatenate([[0.0], plain[a:b].astype(np.float64)]))
    k = int(np.argmin(sums[PAUSE_FRAMES:] - sums[:-PAUSE_FRAMES]))
    pause = slice(a + k, a + k + PAUSE_FRAMES)
    return pause if float(np.median(plain[pause])) <= ceiling else None


def _speech_mask(loudness: Loudness, pause: slice, sentence: slice) -> np.ndarray:
    """Frames that stand out of the noise measured in ``pause`` (see the module)."""
    mask = np.zeros(len(loudness), bool)
    for x in loudness.measures:
        floor = float(np.median(x[pause]))
        spread = float(np.percentile(x[pause], 90)) - floor
        threshold = max(
            floor + max(MIN_MARGIN_DB, SPREAD_FACTOR * spread), float(x[sentence].max()) - DYNAMIC_RANGE_DB
        )
        mask |= x > threshold
    return mask


def refine(b: Boundaries, loudness: Loudness, lo: int, hi: int, *, bed: bool) -> Boundaries:
    """``b`` with its start and end moved to where the speech starts and stops (see the module).

    Frames are indices into ``loudness``; ``lo`` and ``hi`` bound the search (the previous
    sentence's end and the next one's start). ``bed``: the recording has a background bed.
    """
    plain = loudness.plain
    sentence = slice(max(b.start, 0), max(b.end, b.start + 1))
    if sentence.start >= len(plain):
        return b
    level = float(np.percentile(plain[sentence], 90))
    start, end = b.start, b.end

    inner = max(b.start, b.first_word_end - 3)
    pause = _quiet(
        plain, max(lo, b.start - SEARCH_FRAMES), min(inner, b.start + NEAR_FRAMES), level - MIN_CONTRAST_DB
    )
    if pause is not None:
        clean = not bed and level - float(np.median(plain[pause])) >= CLEAN_PAUSE_DB
        onset = _first_run(_speech_mask(loudness, pause, sentence), pause.stop, min(inner + 1, len(plain)))
        if onset is not None and onset >= b.start - (OUTWARD_FRAMES if clean else OUTWARD_BED_FRAMES):
            start = onset

    inner = min(b.end, b.last_word_start + 3)
    pause = _quiet(
        plain, max(inner, b.end - NEAR_FRAMES), min(hi, b.end + SEARCH_FRAMES), level - MIN_CONTRAST_DB
    )
    if pause is not None:
        clean = not bed and level - float(np.median(plain[pause])) >= CLEAN_PAUSE_DB
        mask = _speech_mask(loudness, pause, sentence)
        offset = _last_run_end(mask, max(inner, 0), pause.start)
        if (
            offset is not None
            and (
                offset <= b.end + (OUTWARD_FRAMES if clean else OUTWARD_BED_FRAMES)
                or (offset <= b.end + OUTWARD_FRAMES and _sounded(plain, mask, pause, b.end, offset))
            )
            and (clean or offset >= b.end or b.end - offset >= INWARD_BED_FRAMES)
        ):
            end = offset
    return Boundaries(start, max(end, start + 1), b.first_word_end, b.last_word_start)


def _first_run(speech: np.ndarray, a: int, b: int) -> int | None:
    """Where the first run of ``RUN_FRAMES`` speech frames in ``[a, b)`` begins."""
    run = 0
    for f in range(a, b):
        run = run + 1 if speech[f] else 0
        if run >= RUN_FRAMES:
            return f - run + 1
    return None


def _last_run_end(speech: np.ndarray, a: int, b: int) -> int | None:
    """Where the last run of ``RUN_FRAMES`` speech frames in ``[a, b)`` ends (exclusive)."""
    run = 0
    for f in range(b - 1, a - 1, -1):
        run = run + 1 if speech[f] else 0
        if run >= RUN_FRAMES:
            return f + run
    return None


def _sounded(plain: np.ndarray, speech: np.ndarray, pause: slice, a: int, b: int) -> bool:
    """Whether frames ``[a, b)`` past a word's end are its own sound under a steady bed: speech
    with no hole over ``HOLE_FRAMES``, standing clearly above the bed (``TAIL_MARGIN_DB``, and
    ``TAIL_SPREADS`` times the bed's own spread, which a swelling music bed does not meet)."""
    hole = 0
    for f in range(max(a, 0), b):
        hole = 0 if speech[f] else hole + 1
        if hole > HOLE_FRAMES:
            return False
    floor = float(np.median(plain[pause]))
    spread = float(np.percentile(plain[pause], 90)) - floor
    return float(np.median(plain[a:b])) - floor >= max(TAIL_MARGIN_DB, TAIL_SPREADS * spread)
