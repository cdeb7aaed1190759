"""Re-aligning what the user has not fixed: the sentences fixed by hand are anchors, and the
aligner re-times only the stretches of sound between them.

"From here" means from one sentence on, in reading order: the sentences before it keep their
times, and the end of the last of them bounds the first stretch. Each later anchor ends one
stretch (at its start) and begins the next (at its end); a sentence marked "not in the
recording" is an anchor too, but has no time, so it neither ends nor begins a stretch and is
left out of the aligning. Each stretch is aligned alone (:func:`align_article` on that span of
the media), so an error far away cannot pull it, and it takes a fraction of the time a whole
alignment takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clipsync.core.alignment.aligner import AlignmentCancelled, CancelFlag, ProgressCallback, align_article
from clipsync.core.editing.edits import EditState
from clipsync.core.errors import InputError
from clipsync.core.text.article import Article, Block, BlockKind
from clipsync.core.text.words import WordTimes, fit_words

MIN_STRETCH_MS = 300  # a shorter gap between anchors cannot hold a sentence worth aligning


@dataclass(frozen=True, slots=True)
class Stretch:
    """Sentences to re-time, in reading order, and the span of sound they must be in."""

    sentence_ids: tuple[str, ...]
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Realignment:
    """The state with the stretches re-timed, and what happened, in words."""

    state: EditState
    stretches: tuple[Stretch, ...]
    retimed: int  # sentences given new times
    not_found: tuple[str, ...]  # sentences the aligner did not find in their stretch
    problems: tuple[str, ...]  # stretches left as they were, and why


def stretches(state: EditState, from_id: str | None = None, *, first_only: bool = False) -> list[Stretch]:
    """The stretches to re-time from sentence ``from_id`` on (the whole text with ``None``);
    with ``first_only``, only the first of them (between the anchors around ``from_id``)."""
    article = state.article
    sentences = article.sentences
    begin = article.ref(from_id).index if from_id is not None else 0
    before = [s for s in sentences[:begin] if s.timed]
    left = (before[-1].end_ms or 0) if before else 0
    end_of_media = article.duration_ms or max((s.end_ms or 0 for s in sentences), default=0)
    out: list[Stretch] = []
    run: list[str] = []
    for s in sentences[begin:]:
        if s.id in state.anchors:
            if s.timed:
                if run:
                    out.append(Stretch(tuple(run), left, s.start_ms or 0))
                    if first_only:
                        return out
                    run = []
                left = s.end_ms or 0
            continue
        run.append(s.id)
    if run:
        out.append(Stretch(tuple(run), left, max(left, end_of_media)))
    return out


def realign(
    media: Path,
    state: EditState,
    from_id: str | None = None,
    *,
    first_only: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | Callable[[], bool] | None = None,
) -> Realignment:
    """Re-time every stretch from ``from_id`` on (see module; ``first_only``: the first). A stretch the aligner cannot
    read (no speech in it, text that does not match) is left as it was and reported;
    :class:`AlignmentCancelled` when ``cancel`` is set (nothing is changed then)."""
    article = state.article
    plan = stretches(state, from_id, first_only=first_only)
    total = sum(max(1, p.end_ms - p.start_ms) for p in plan) or 1
    sentence_times: dict[str, tuple[int, int] | None] = {}
    word_times: dict[str, WordTimes] = {}
    not_found: list[str] = []
    problems: list[str] = []
    done = 0
    for stretch in plan:
        length = max(1, stretch.end_ms - stretch.start_ms)
        if stretch.end_ms - stretch.start_ms < MIN_STRETCH_MS:
            problems.append(f"{_names(article, stretch)}: no room between the anchors around them")
            done += length
            continue

        def report(fraction: float, _eta: float | None, done: int = done, length: int = length) -> None:
            if progress is not None:
                progress(min(1.0, (done + fraction * length) / total), None)

        part = Article(
            article.title,
            (Block(BlockKind.PARAGRAPH, tuple(article.sentence(sid) for sid in stretch.sentence_ids)),),
            language=article.language,
        )
        try:
            result = align_article(
                media, part, progress=report, cancel=cancel, span_ms=(stretch.start_ms, stretch.end_ms)
            )
        except AlignmentCancelled:
            raise
        except InputError as exc:
            problems.append(f"{_names(article, stretch)}: {exc.reason}")
            done += length
            continue
        for s in result.article.sentences:
            if s.timed and s.start_ms is not None and s.end_ms is not None:
                # The aligner may reach a little past the stretch; the anchors stay as they are.
                start = max(s.start_ms, stretch.start_ms)
                end = min(s.end_ms, stretch.end_ms)
                sentence_times[s.id] = (start, end) if end > start else None
                spans = [(w.char_start, w.char_end) for w in s.words]
                word_times[s.id] = fit_words(spans, [(w.start_ms, w.end_ms) for w in s.words], start, end)
            else:
                sentence_times[s.id] = None
                not_found.append(s.id)
        done += length
    new = article.with_times(
        sentence_times, _part_times(article, sentence_times, word_times), None, word_times
    )
    retimed = sum(1 for sid, t in sentence_times.items() if t is not None)
    return Realignment(EditState(new, state.anchors), tuple(plan), retimed, tuple(not_found), tuple(problems))


def _part_times(
    article: Article, times: dict[str, tuple[int, int] | None], words: dict[str, WordTimes]
) -> list[tuple[int, int] | None]:
    """Quote part times for the re-timed sentences (from their words, as the aligner does);
    the others keep theirs."""
    out: list[tuple[int, int] | None] = []
    for _quote, part in article.quote_parts():
        if part.sentence_id not in times:
            out.append(
                (part.start_ms, part.end_ms)
                if part.start_ms is not None and part.end_ms is not None
                else None
            )
            continue
        span = times[part.sentence_id]
        inside = [
            w
            for w in words.get(part.sentence_id, ())
            if w.char_end > part.char_start and w.char_start < part.char_end
        ]
        out.append((inside[0].start_ms, inside[-1].end_ms) if inside and span else span)
    return out


def _names(article: Article, stretch: Stretch) -> str:
    numbers = {s.id: i + 1 for i, s in enumerate(article.sentences)}
    first, last = numbers[stretch.sentence_ids[0]], numbers[stretch.sentence_ids[-1]]
    return f"sentence {first}" if first == last else f"sentences {first}–{last}"
