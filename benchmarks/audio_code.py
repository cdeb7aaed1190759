"""A sound that says what time it is: made for the measurement clip, read back from a recording.

The sound is cut into symbols of one video frame each (1600 samples at 48 kHz = 1/30 s), and
symbol ``k`` (the sound under video frame ``k``) carries ``k`` twice over:

* **Tones (coarse, absolute).** Four simultaneous tones, one per band: three base-20 digits of
  ``k`` and a check digit. Pitch survives AAC and libVLC's scaletempo (which keeps pitch while
  it changes the tempo), so any 17 ms of the recording tells which frame it comes from.
* **Noise (fine).** A fixed pseudo-random noise under the tones. Once the tones have said
  which frame, the recording is matched sample by sample against the known signal around
  that frame: that gives the media time of any recorded sample to a fraction of a millisecond,
  which the tones alone could not (a tone repeats itself every millisecond or so).

scaletempo copies the media in contiguous chunks of ~30 ms (and cross-fades 6 ms between
them), so right after a jump the recording holds a stretch of at least ~20 ms copied one to
one from where playback landed: that is what :func:`decode_first_after` reads.

Nothing here needs Qt or libVLC: numpy only, so tests can reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from wav_io import read_wav as read_wav  # re-exported: the recordings are read with it
from wav_io import write_wav as write_wav

SAMPLE_RATE = 48_000
SYMBOL = 1600  # samples per symbol: one frame at 30 fps
BASE = 20
DIGITS = 3  # data digits: 20**3 = 8000 symbols = 266 s
BANDS = DIGITS + 1  # the last band carries the check digit
LOWEST_HZ = 600.0
STEP_HZ = 150.0  # between the tones of a band
BAND_HZ = 3000.0  # from the first tone of a band to the first of the next
TONE_AMPLITUDE = 0.09
NOISE_RMS = 0.08
NOISE_SEED = 20251128
MAX_SYMBOLS = BASE**DIGITS
#: How the measurement clip encodes it: 160 kb/s AAC without perceptual noise substitution
#: (which would replace the noise by other noise of the same loudness).
AAC_OPTIONS = ("-c:a", "aac", "-b:a", "160k", "-aac_pns", "0")
#: Window for reading the tones: 800 samples (16.7 ms); Hann, so its main lobe is +-120 Hz.
WINDOW = 800
#: Window matched sample by sample against the known signal (10 ms).
MATCH = 480


def symbol_ms(k: int, sample_rate: int = SAMPLE_RATE) -> float:
    """Media time at which symbol ``k`` starts, in ms."""
    return k * SYMBOL * 1000.0 / sample_rate


def digits_of(k: int) -> tuple[int, ...]:
    """The band digits of symbol ``k``: three data digits, then the check digit."""
    if not 0 <= k < MAX_SYMBOLS:
        raise ValueError(f"symbol {k} out of range 0..{MAX_SYMBOLS - 1}")
    data = [(k // BASE**i) % BASE for i in range(DIGITS)]
    check = sum((i + 1) * d for i, d in enumerate(data)) % BASE
    return (*data, check)


def tone_hz(band: int, digit: int) -> float:
    return LOWEST_HZ + band * BAND_HZ + digit * STEP_HZ


def make_coded_audio(seconds: float, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The time-coded sound, mono float32 in -1..1, ``seconds`` long (at most 266 s)."""
    if sample_rate != SAMPLE_RATE:
        raise ValueError(f"the code is made for {SAMPLE_RATE} Hz")
    total = round(seconds * sample_rate)
    symbols = -(-total // SYMBOL)
    if symbols > MAX_SYMBOLS:
        raise ValueError(f"at most {MAX_SYMBOLS * SYMBOL / sample_rate:.0f} s can be coded")
    t = np.arange(SYMBOL) / sample_rate
    out = np.empty(symbols * SYMBOL, dtype=np.float64)
    # Each tone starts at phase 0 in its symbol: the same tone sounds the same wherever it is.
    cache: dict[float, np.ndarray] = {}
    for k in range(symbols):
        chunk = np.zeros(SYMBOL)
        for band, digit in enumerate(digits_of(k)):
            f = tone_hz(band, digit)
            if f not in cache:
                cache[f] = TONE_AMPLITUDE * np.sin(2 * np.pi * f * t)
            chunk += cache[f]
        out[k * SYMBOL : (k + 1) * SYMBOL] = chunk
    out += _noise(symbols * SYMBOL)
    return np.clip(out[:total], -0.98, 0.98).astype(np.float32)


def _noise(length: int) -> np.ndarray:
    return np.random.default_rng(NOISE_SEED).normal(0.0, NOISE_RMS, length)


@lru_cache(maxsize=4)
def _reference(symbols: int) -> np.ndarray:
    """The coded sound for ``symbols`` symbols, float64 (for matching)."""
    return make_coded_audio(symbols * SYMBOL / SAMPLE_RATE).astype(np.float64)


# Reading the code -----------------------------------------------------------------------------
@lru_cache(maxsize=2)
def _tone_basis(sample_rate: int) -> np.ndarray:
    """Hann-windowed complex exponentials for every tone: (WINDOW, BANDS * BASE)."""
    n = np.arange(WINDOW)
    window = np.hanning(WINDOW)
    freqs = np.array([tone_hz(b, d) for b in range(BANDS) for d in range(BASE)])
    return window[:, None] * np.exp(-2j * np.pi * freqs[None, :] * n[:, None] / sample_rate)


def read_symbols(samples: np.ndarray, sample_rate: int, hop: int = 400) -> list[tuple[int, int]]:
    """``(index, k)`` for every window (start ``index``, ``WINDOW`` long, every ``hop``) whose
    tones read as a valid symbol ``k``: each band has one clear tone and the check digit agrees.
    Windows over silence, over a splice or over two symbols mostly fail the check and are left out.
    """
    if sample_rate != SAMPLE_RATE:
        raise ValueError(f"recorded at {sample_rate} Hz; the code is read at {SAMPLE_RATE} Hz")
    if len(samples) < WINDOW:
        return []
    starts = np.arange(0, len(samples) - WINDOW + 1, hop)
    frames = np.lib.stride_tricks.sliding_window_view(samples, WINDOW)[starts]
    energy = np.sqrt(np.mean(frames**2, axis=1))
    power = np.abs(frames @ _tone_basis(sample_rate)) ** 2
    power = power.reshape(len(starts), BANDS, BASE)
    best = power.argmax(axis=2)
    ordered = np.sort(power, axis=2)
    clear = (ordered[:, :, -1] > 4 * ordered[:, :, -2]).all(axis=1)
    out = []
    for i in np.flatnonzero(clear & (energy > 0.01)):
        data = [int(d) for d in best[i, :DIGITS]]
        if sum((j + 1) * d for j, d in enumerate(data)) % BASE != best[i, DIGITS]:
            continue
        out.append((int(starts[i]), sum(d * BASE**j for j, d in enumerate(data))))
    return out


@dataclass(frozen=True)
class Heard:
    """A recorded sample and the media time it comes from."""

    index: int  # sample index in the recording
    media_ms: float  # media time of that sample (the coded sound's own time)
    match: float  # how well the recording matched the known signal there (0..1)


def locate(samples: np.ndarray, index: int, k: int, search: int = 3) -> tuple[float, float]:
    """The signal sample position of ``samples[index]`` given that it lies in or near symbol
    ``k`` (within ``search`` symbols), and the normalised correlation of the match (0..1)."""
    piece = samples[index : index + MATCH]
    if len(piece) < MATCH:
        return float("nan"), 0.0
    at, score = _best_match(piece, (k - search) * SYMBOL, (k + search + 1) * SYMBOL)
    return float(at), score


def _best_match(piece: np.ndarray, lo: int, hi: int) -> tuple[int, float]:
    """Where in the known signal, starting between ``lo`` and ``hi``, ``piece`` fits best."""
    lo = max(0, lo)
    reference = _reference(min(MAX_SYMBOLS, (hi + len(piece)) // SYMBOL + 2))[lo : hi + len(piece)]
    n = len(piece)
    if len(reference) < n or not np.any(piece):
        return lo, 0.0
    scores = np.correlate(reference, piece, mode="valid")
    energy = np.cumsum(np.concatenate(([0.0], reference**2)))
    norms = np.sqrt(energy[n:] - energy[:-n]) * np.sqrt(np.dot(piece, piece))
    scores = scores / np.maximum(norms, 1e-12)
    best = int(np.argmax(scores))
    return lo + best, float(scores[best])


def decode_first_after(
    samples: np.ndarray,
    sample_rate: int,
    start_index: int = 0,
    *,
    near_ms: float | None = None,
    within_ms: float = 1500.0,
    min_match: float = 0.6,
) -> Heard | None:
    """The first coded sound in ``samples`` at or after ``start_index``: where it starts in the
    recording and the media time it comes from.

    Finds the first window whose tones read as a symbol, matches the recording there against
    the known signal, then walks back 1 ms at a time while the recording still follows the
    signal one to one (never before ``start_index``). At rates other than 1 scaletempo
    splices the sound from pieces of ~30 ms, and the first piece after a jump can be only a
    few ms long: so before the run found, a shorter piece is matched too, near the same media
    time, and the walk goes on from there. The start reached is the first sound; its media
    time is the signal time there.

    With ``near_ms``, only sound from within ``within_ms`` of that media time counts (e.g.
    the target of a jump, so that sound from before the jump still in the recording is passed
    over). ``None`` if nothing after ``start_index`` reads as the code.
    """
    head = samples[start_index:]
    for index, k in read_symbols(head, sample_rate, hop=96):
        if near_ms is not None and abs(symbol_ms(k, sample_rate) - near_ms) > within_ms:
            continue
        # Matched from the middle of the window on: a window read first after a splice may
        # begin with a little of the sound before it.
        middle = index + WINDOW // 2
        at, match = locate(head, middle, k)
        if match < min_match:
            continue
        offset = int(at) - middle  # recording index + offset = signal index
        start = _walk_back(head, middle + MATCH, offset)
        if start == middle + MATCH:
            continue
        # Earlier pieces of the same place (scaletempo splices; 100 ms before to 50 ms after in media),
        # looked for over the 40 ms of recording before the run found (a piece may be
        # separated from it by a few ms of cross-fade).
        gap = 0
        while gap <= 40 * 48:
            end = start - gap
            piece = min(240, end)  # 5 ms, or what there is before the start of the recording
            if piece < 96:
                break
            signal_at = start + offset
            at2, match2 = _best_match(head[end - piece : end], signal_at - 4800, signal_at + 2400)
            earlier = _walk_back(head, end, at2 + piece - end) if match2 >= 0.8 else end
            if earlier < end:
                start, offset, gap = earlier, at2 + piece - end, 0
            else:
                gap += 96
        return Heard(start_index + start, (start + offset) * 1000.0 / sample_rate, match)
    return None


def _walk_back(samples: np.ndarray, end: int, offset: int) -> int:
    """Where the stretch of ``samples`` ending at ``end`` that follows the known signal at
    ``offset`` (recording index + offset = signal index) begins; ``end`` if it does not."""
    step = 48  # 1 ms
    if end > len(samples):
        return end
    reference = _reference(min(MAX_SYMBOLS, (end + offset) // SYMBOL + 2))
    if end + offset > len(reference):
        return end
    start = end
    while start - step >= 0 and start - step + offset >= 0:
        got = samples[start - step : start]
        want = reference[start - step + offset : start + offset]
        if _similarity(got, want) < 0.8:
            break
        start -= step
    if start == end:
        return end
    # To the sample inside the 1 ms before: where the explained energy starts to pay.
    lo = max(0, start - step, -offset)
    if lo < start:
        run = samples[start:end]
        ref_run = reference[start + offset : end + offset]
        gain = float(np.dot(run, ref_run) / max(np.dot(ref_run, ref_run), 1e-12))
        got = samples[lo:start]
        want = gain * reference[lo + offset : start + offset]
        explained = got**2 - (got - want) ** 2
        tail = np.cumsum(explained[::-1])[::-1]  # explained energy from each sample to the end
        best = int(np.argmax(tail))
        if tail[best] > 0:
            start = lo + best
    return start


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    norm = np.sqrt(np.dot(a, a) * np.dot(b, b))
    return float(np.dot(a, b) / norm) if norm > 0 else 0.0


@dataclass(frozen=True)
class Run:
    """A stretch of the recording that follows the media on (at any rate up to 4x)."""

    first_index: int  # start of its first window read
    last_index: int  # start of its last window read
    first_ms: float  # media time of the first symbol read
    last_ms: float  # media time of the last symbol read
    reads: int

    @property
    def length_ms(self) -> float:
        """How long it lasts in the recording (between its first and last window read)."""
        return (self.last_index - self.first_index) * 1000.0 / SAMPLE_RATE


def _follows(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Read ``b`` can come after read ``a`` in one stretch of playback (rate 0.25x to 4x)."""
    gap = b[0] - a[0]
    return 0 < gap <= SAMPLE_RATE // 5 and -1 <= b[1] - a[1] <= 2 + gap / SYMBOL * 4


def read_runs(samples: np.ndarray, sample_rate: int) -> list[Run]:
    """The recording as runs of continuous playback, in recording order.

    A lone window that disagrees with both neighbours while they agree with each other is a
    misread and is left out.
    """
    reads = read_symbols(samples, sample_rate, hop=240)
    kept = [
        r
        for i, r in enumerate(reads)
        if not (
            0 < i < len(reads) - 1
            and not _follows(reads[i - 1], r)
            and not _follows(r, reads[i + 1])
            and _follows(reads[i - 1], reads[i + 1])
        )
    ]
    runs: list[list[tuple[int, int]]] = []
    for r in kept:
        if runs and _follows(runs[-1][-1], r):
            runs[-1].append(r)
        else:
            runs.append([r])
    return [
        Run(
            run[0][0],
            run[-1][0],
            symbol_ms(run[0][1], sample_rate),
            symbol_ms(run[-1][1], sample_rate),
            len(run),
        )
        for run in runs
    ]


@dataclass(frozen=True)
class Jump:
    """Where the recorded sound stops following on and starts again elsewhere."""

    heard: Heard  # the first sound from the new place
    before_ms: float | None  # media time read last before it (None: the recording's first sound)
    after_index: int  # where the stretch before it was last read (index in the recording)


def find_jumps(
    samples: np.ndarray, sample_rate: int, *, min_jump_ms: float = 300.0, min_run_ms: float = 100.0
) -> list[Jump]:
    """The first sound of the recording and every place where it starts again elsewhere: a run
    of playback at least ``min_run_ms`` long that does not go on from the previous such run
    (a jump of more than ``min_jump_ms`` forward, or any step back).

    Shorter runs (e.g. a few ms of old sound let out of a filter) are not jumps: see
    :func:`short_runs`.
    """
    runs = read_runs(samples, sample_rate)
    jumps: list[Jump] = []
    previous: Run | None = None
    last_end = 0
    for run in runs:
        if run.length_ms < min_run_ms:
            last_end = max(last_end, run.last_index)
            continue
        goes_on = previous is not None and (
            -40
            <= run.first_ms - previous.last_ms
            <= min_jump_ms + 4 * (run.first_index - previous.last_index) / sample_rate * 1000
        )
        if not goes_on:
            start = 0 if previous is None else last_end
            heard = decode_first_after(samples, sample_rate, start, near_ms=run.first_ms, within_ms=200)
            if heard is not None:
                jumps.append(Jump(heard, previous.last_ms if previous else None, start))
        previous = run
        last_end = max(last_end, run.last_index)
    return jumps


def match_in_order(
    targets: list[float | None], jumps: list[Jump], *, early_ms: float, late_ms: float
) -> list[Jump | None]:
    """For each target (ms) in order, the first jump not matched yet whose first sound comes
    from between ``early_ms`` before and ``late_ms`` after it (``None``: none, or no target)."""
    matched: list[Jump | None] = []
    cursor = 0
    for target in targets:
        hit = None
        if target is not None:
            for i in range(cursor, len(jumps)):
                if -early_ms <= jumps[i].heard.media_ms - target <= late_ms:
                    hit, cursor = jumps[i], i + 1
                    break
        matched.append(hit)
    return matched


def short_runs(samples: np.ndarray, sample_rate: int, *, max_ms: float = 100.0) -> list[Run]:
    """Runs of at least two windows but shorter than ``max_ms``: sound that plays only for a
    moment (for example sound from an earlier position held in a filter and let out later)."""
    return [r for r in read_runs(samples, sample_rate) if r.reads >= 2 and r.length_ms < max_ms]


def landing_near(
    samples: np.ndarray,
    sample_rate: int,
    target_ms: float,
    *,
    after_index: int = 0,
    early_ms: float = 300.0,
    late_ms: float = 2500.0,
) -> Jump | None:
    """The first jump in the recording (at or after ``after_index``) whose first sound comes
    from between ``early_ms`` before and ``late_ms`` after ``target_ms``; ``None`` if none.

    For a test that jumps to ``target_ms`` while recording and asks where it was heard from::

        samples, rate = read_wav(wav)
        jump = landing_near(samples, rate, quote_start_ms)
        assert jump is not None and abs(jump.heard.media_ms - quote_start_ms) <= 40
    """
    for jump in find_jumps(samples, sample_rate):
        if jump.heard.index >= after_index and -early_ms <= jump.heard.media_ms - target_ms <= late_ms:
            return jump
    return None
