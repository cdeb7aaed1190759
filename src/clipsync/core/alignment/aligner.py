"""Forced alignment of an article's sentences and words to the speech of a recording.

How it works:

* The sound is decoded by ffmpeg and read in windows of a couple of minutes (bounded memory).
* Each window is searched by pocketsphinx with a grammar made of the next sentences of the
  article, each sentence *optional*: text that is not in the recording (a caption that is not
  read, an extra paragraph) is skipped by the search instead of being forced onto wrong times.
* After a window, the sentences that end well before the window's end are kept; the last of
  them is the anchor where the next window starts, in the sound and in the text. So an hour
  of media aligns in pieces without drift, and a window never has to hold all of the text.
* A kept sentence is checked against the sound: if much of the speech under it was explained
  as silence, it was forced onto sound that does not say it, and it is reported as unaligned.
* Sentence boundaries are then refined on the sound (``boundaries.py``): each start and end
  moves to where the speech rises out of (sinks into) the noise measured in the pause next
  to it, so a first or last word stretched over a pause is pulled back and a soft first or
  last sound given to the pause is taken back.

Settings (why, with measurements: ``docs/aligner.md``): ``bestpath=False`` (the grammar fixes
the words; the lattice pass only costs time) and all beams at 1e-300 (a window's search must
be able to reach the end of its grammar; narrower beams misread: ``search.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

import numpy as np

from clipsync.core.alignment import confidence, grammar
from clipsync.core.alignment.audio import RATE, PcmStream, probe_duration_ms
from clipsync.core.alignment.boundaries import Boundaries, Loudness, refine
from clipsync.core.alignment.grammar import Plan, Timed
from clipsync.core.alignment.search import Searches
from clipsync.core.errors import InputError
from clipsync.core.text.article import Article
from clipsync.core.text.words import WordTimes, fit_words

ProgressCallback = Callable[[float, float | None], None]
"""Called with (fraction done 0..1, estimated seconds left or ``None`` while unknown)."""

FRAME_MS = 10
# Under this contrast (loud frames over quiet ones) the recording has a background bed.
_BED_CONTRAST_DB = 35.0
_PIECE = 2 * RATE  # samples fed to the decoder at once: cancel and GIL checkpoints


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


class AlignmentCancelled(Exception):
    """The alignment was stopped by its cancel flag; nothing was written."""


@dataclass(frozen=True, slots=True)
class AlignmentStats:
    """What the run cost and found."""

    media_ms: int
    work_s: float
    windows: int
    sentences: int
    sentences_aligned: int
    words: int
    words_generated: int  # words whose pronunciation was made (not in the dictionary)

    @property
    def real_time_factor(self) -> float:
        """Seconds of work per second of media."""
        return self.work_s / max(self.media_ms / 1000, 1e-9)


@dataclass(frozen=True, slots=True)
class AlignmentResult:
    """The article with times, the ids of its sentences not found in the recording, and stats."""

    article: Article
    unaligned: tuple[str, ...]
    stats: AlignmentStats


def _cancelled(cancel: CancelFlag | Callable[[], bool] | None) -> bool:
    if cancel is None:
        return False
    is_set = getattr(cancel, "is_set", None)
    return bool(is_set() if is_set is not None else cancel())  # type: ignore[operator]


def _speech_frames(energy: np.ndarray) -> tuple[np.ndarray, float]:
    """Which 10 ms frames hold sound well above the floor, and the contrast (dB) of the sound.

    The contrast is how far the loud frames stand above the quiet ones: under 12 dB nothing
    stands out (silence or steady noise).
    """
    if len(energy) == 0:
        return np.zeros(0, bool), 0.0
    floor = float(np.percentile(energy, 5))
    peak = float(np.percentile(energy, 98))
    contrast = peak - floor
    if contrast < 12:
        return np.zeros(len(energy), bool), contrast
    threshold = floor + max(8.0, 0.3 * contrast)
    return energy > threshold, contrast


def _speech_share(speech: np.ndarray, start_ms: int, end_ms: int, *, offset_frames: int) -> float:
    """The share of the 10 ms frames in ``[start_ms, end_ms)`` that hold speech."""
    a = max(start_ms // FRAME_MS - offset_frames, 0)
    b = min(end_ms // FRAME_MS - offset_frames, len(speech))
    return float(speech[a:b].mean()) if b > a else 0.0


def _refine(timed: Timed, loudness: Loudness, offset_frames: int, lo: int, hi: int, *, bed: bool) -> None:
    """Move the sentence's start and end to where its speech starts and stops
    (:func:`boundaries.refine`); ``lo`` and ``hi`` (ms) bound the search."""
    first_end = timed.words[0][1] if timed.words else timed.end
    last_start = timed.words[-1][0] if timed.words else timed.start
    got = refine(
        Boundaries(
            timed.start // FRAME_MS - offset_frames,
            timed.end // FRAME_MS - offset_frames,
            first_end // FRAME_MS - offset_frames,
            last_start // FRAME_MS - offset_frames,
        ),
        loudness,
        lo // FRAME_MS - offset_frames,
        hi // FRAME_MS - offset_frames,
        bed=bed,
    )
    start, end = (got.start + offset_frames) * FRAME_MS, (got.end + offset_frames) * FRAME_MS
    if start != timed.start:
        timed.start = start
        if timed.words:
            timed.words[0] = (start, max(timed.words[0][1], start + FRAME_MS))
    if end != timed.end:
        timed.end = max(end, timed.start + FRAME_MS)
        if timed.words:
            timed.words[-1] = (min(timed.words[-1][0], timed.end - FRAME_MS), timed.end)


def _silence_over_speech(
    timed: Timed, segs: list[tuple[str, int, int]], speech: np.ndarray, offset_frames: int
) -> float:
    """The share of the speech frames under a sentence that the search called silence or noise."""
    a, b = timed.start // FRAME_MS - offset_frames, timed.end // FRAME_MS - offset_frames
    a, b = max(a, 0), min(b, len(speech))
    total = int(speech[a:b].sum())
    if total == 0:
        return 1.0
    covered = 0
    for w, s, e in segs:
        if not (w.startswith(("<", "[")) or w == "(NULL)"):
            continue
        fs, fe = max(s // FRAME_MS - offset_frames, a), min(e // FRAME_MS - offset_frames, b)
        if fe > fs:
            covered += int(speech[fs:fe].sum())
    return covered / total


@dataclass
class _Progress:
    callback: ProgressCallback | None
    total_ms: int
    started: float = field(default_factory=time.monotonic)

    def report(self, done_ms: float) -> None:
        if self.callback is None:
            return
        fraction = min(1.0, max(0.0, done_ms / self.total_ms)) if self.total_ms > 0 else 0.0
        elapsed = time.monotonic() - self.started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0.02 else None
        self.callback(fraction, eta)


def align_article(
    media: Path,
    article: Article,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | Callable[[], bool] | None = None,
    window_s: float = 150.0,
    refine: bool = True,
    span_ms: tuple[int, int] | None = None,
) -> AlignmentResult:
    """Time every sentence (and word) of ``article`` to the speech in ``media`` (or only in
    its stretch ``span_ms``, start and end in ms: times stay those of the whole media).

    Sentences not found in the recording get no times and are listed in the result's
    ``unaligned``. Raises :class:`InputError` when the media cannot be read, has no speech,
    or the text does not match it at all; :class:`AlignmentCancelled` when ``cancel`` is set.
    """
    started = time.monotonic()
    media = Path(media)
    # A stretch starts on the 10 ms frame grid, so frame numbers and times agree.
    base_ms = span_ms[0] // FRAME_MS * FRAME_MS if span_ms else 0
    duration_ms = span_ms[1] - base_ms if span_ms else probe_duration_ms(media)
    sentences = article.sentences
    if not sentences:
        raise InputError(None, "the article has no sentences to align")
    searches = Searches(sentences)
    plan = searches.plan
    tracker = _Progress(progress, duration_ms)
    tracker.report(0)

    window = int(window_s * RATE)
    guard = window // 5  # sentences ending this close to a window's end wait for the next one
    total_phones = sum(plan.phones) or 1
    # Seconds per phone: first guessed from the media's length, then measured as we go.
    rate = max(0.04, min(0.2, duration_ms / 1000 * 0.85 / total_phones)) if duration_ms else 0.08

    results: dict[int, Timed] = {}
    unaligned: set[int] = set()
    speech_frames_total = 0
    speech_frames_covered = 0
    next_sentence = 0
    windows = 0
    buf = np.zeros(0, np.int16)
    buf_start = 0  # sample index of buf[0]
    ended = False
    with PcmStream(media, base_ms, span_ms[1] if span_ms else None) as stream:
        while next_sentence < len(sentences):
            if _cancelled(cancel):
                raise AlignmentCancelled()
            # Fill the buffer to one window from its start.
            while not ended and len(buf) < window:
                piece = stream.read(min(_PIECE * 4, window - len(buf)))
                buf = np.concatenate([buf, piece])
                if len(piece) < _PIECE * 4 and len(buf) < window:
                    ended = True
                if _cancelled(cancel):
                    raise AlignmentCancelled()
            if not ended and len(buf) >= window:
                # Peek: is the rest of the sound short? Then take it in this window too.
                tail = stream.read(window // 4)
                if len(tail) < window // 4:
                    ended = True
                buf = np.concatenate([buf, tail])
            last = ended
            if len(buf) < RATE // 10:
                break
            offset_ms = base_ms + buf_start * 1000 // RATE
            offset_frames = offset_ms // FRAME_MS
            loudness = Loudness.of(buf)
            speech, contrast = _speech_frames(loudness.plain)
            speech = speech | _speech_frames(loudness.emphasised)[0]
            # The sentences this window may hold: its expected length and a margin.
            budget = len(buf) / RATE * 1.6 + 10
            indices: list[int] = []
            need = 0.0
            for i in range(next_sentence, len(sentences)):
                if indices and not last and need > budget:
                    break
                indices.append(i)
                need += plan.phones[i] * rate
            windows += 1
            name = f"w{windows}"

            def checkpoint(p: int, offset_ms: int = offset_ms, last: bool = last) -> None:
                if _cancelled(cancel):
                    raise AlignmentCancelled()
                tracker.report(offset_ms - base_ms + p * 1000 / RATE * (0.98 if last else 0.8))

            segs, found = searches.read(
                buf, indices, name, cut=not last, offset_ms=offset_ms, checkpoint=checkpoint
            )
            grammar.absorb_edges(found, segs, partial(_speech_share, speech, offset_frames=offset_frames))
            window_end_ms = offset_ms + len(buf) * 1000 // RATE
            keep_until = window_end_ms if last else window_end_ms - guard * 1000 // RATE
            kept = [i for i in indices if i in found and found[i].end <= keep_until]
            if not last and kept:
                # Never keep a sentence after one that waits: order must hold.
                waiting = [i for i in indices if i in found and i not in kept]
                if waiting:
                    kept = [i for i in kept if i < min(waiting)]
            if not kept and not last:
                # Nothing here matched the text (music, an unscripted part): move on in the
                # sound, not in the text.
                cut = len(buf) - guard
                buf, buf_start = buf[cut:], buf_start + cut
                continue
            order = sorted(found)
            for i in kept:
                timed = found[i]
                k = order.index(i)
                # The search for a boundary's pause stops at the neighbours the recogniser found.
                lo = found[order[k - 1]].end if k else offset_ms
                hi = found[order[k + 1]].start if k + 1 < len(order) else window_end_ms
                share = _silence_over_speech(timed, segs, speech, offset_frames)
                if share > 0.35:
                    continue  # forced onto sound that does not say it
                if refine and contrast >= 12:
                    _refine(timed, loudness, offset_frames, lo, hi, bed=contrast < _BED_CONTRAST_DB)
                results[i] = timed
            last_kept = max(kept) if kept else indices[-1]
            for i in indices:
                if i <= last_kept and i not in results:
                    unaligned.add(i)
            a, b = 0, len(speech)
            if not last:
                b = min(b, (keep_until - offset_ms) // FRAME_MS)
            speech_frames_total += int(speech[a:b].sum())
            for timed in (results[i] for i in kept if i in results):
                fs = max(timed.start // FRAME_MS - offset_frames, 0)
                fe = min(timed.end // FRAME_MS - offset_frames, len(speech))
                speech_frames_covered += int(speech[fs:fe].sum())
            aligned_here = [results[i] for i in kept if i in results]
            if aligned_here:
                spoken = sum(t.end - t.start for t in aligned_here) / 1000
                phones = sum(plan.phones[i] for i in kept if i in results) or 1
                rate = 0.5 * rate + 0.5 * max(0.04, min(0.2, spoken / phones))
            next_sentence = last_kept + 1
            if last:
                break
            anchor_ms = results[max(results)].end if results else keep_until
            cut = max(0, min(len(buf), (anchor_ms - offset_ms) * RATE // 1000))
            buf, buf_start = buf[cut:], buf_start + cut
        media_ms = max(duration_ms, stream.position * 1000 // RATE)

    for i in range(next_sentence, len(sentences)):
        unaligned.add(i)
    if speech_frames_total < 50:  # under half a second of anything like speech
        raise InputError(media, "no speech found in the recording")
    if not results or speech_frames_covered < 0.3 * speech_frames_total:
        raise InputError(
            media,
            "the text does not match the speech in the recording "
            f"({len(results)} of {len(sentences)} sentences found)",
        )
    tracker.report(duration_ms)
    return _result(article, plan, results, unaligned, media_ms, started, windows)


def _result(
    article: Article,
    plan: Plan,
    results: dict[int, Timed],
    unaligned: set[int],
    media_ms: int,
    started: float,
    windows: int,
) -> AlignmentResult:
    sentences = article.sentences
    times: dict[str, tuple[int, int] | None] = {}
    words_by_id: dict[str, WordTimes] = {}
    confidences: dict[str, float | None] = {}
    prev_end = 0
    for i, sentence in enumerate(sentences):
        timed = results.get(i)
        if timed is None:
            times[sentence.id] = None
            continue
        start = max(timed.start, prev_end)
        end = max(timed.end, start + FRAME_MS)
        times[sentence.id] = (start, end)
        prev_end = end
        said = confidence.said_words(timed, plan.token_phones[i])
        words_by_id[sentence.id] = fit_words(
            [(plan.tokens[i][n].start, plan.tokens[i][n].end) for n in said],
            [timed.words[n] for n in said],
            start,
            end,
            [timed.word_confidence[n] for n in said] if timed.word_confidence else None,
        )
        confidences[sentence.id] = timed.confidence
    part_times: list[tuple[int, int] | None] = []
    for _quote, part in article.quote_parts():
        span = times.get(part.sentence_id)
        words = words_by_id.get(part.sentence_id)
        if span is None or words is None:
            part_times.append(None)
            continue
        inside = [w for w in words if w.char_end > part.char_start and w.char_start < part.char_end]
        part_times.append((inside[0].start_ms, inside[-1].end_ms) if inside else span)
    timed_article = article.with_times(
        times, part_times, duration_ms=media_ms, word_times=words_by_id, confidence=confidences
    )
    stats = AlignmentStats(
        media_ms=media_ms,
        work_s=time.monotonic() - started,
        windows=windows,
        sentences=len(sentences),
        sentences_aligned=len(results),
        words=sum(len(t) for t in plan.tokens),
        words_generated=plan.generated,
    )
    ids = tuple(sentences[i].id for i in sorted(unaligned) if i not in results)
    return AlignmentResult(timed_article, ids, stats)


def new_cancel_flag() -> threading.Event:
    """A flag to pass as ``cancel``; ``set()`` it from any thread to stop the alignment."""
    return threading.Event()
