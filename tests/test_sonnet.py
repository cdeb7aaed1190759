"""A human voice reading verse: Shakespeare's Sonnet 1 (LibriVox) aligns line by line.

The text has no full stop until its last line, so sentence by sentence it would be two units,
the second 46 s long. Its lines are units of their own (a ``lines`` block): each is found, in
order, where it is said, never inside a pause.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clipsync.core.alignment import align_article
from clipsync.core.alignment.aligner import _speech_frames
from clipsync.core.alignment.audio import PcmStream, frame_energy_db
from clipsync.core.text.article import BlockKind
from clipsync.core.text.textparse import parse_article_file

DATA = Path(__file__).resolve().parent / "data" / "human-speech"
PAUSE_MS = 300


def pauses(media: Path) -> list[tuple[int, int]]:
    """Runs of at least 300 ms without speech (10 ms frames well below the loud ones)."""
    with PcmStream(media) as stream:
        speech, _ = _speech_frames(frame_energy_db(stream.read(10**9)))
    runs, i = [], 0
    while i < len(speech):
        j = i
        while j < len(speech) and not speech[j]:
            j += 1
        if (j - i) * 10 >= PAUSE_MS:
            runs.append((i * 10, j * 10))
        i = max(j, i + 1)
    return runs


def test_the_sonnet_is_parsed_as_lines() -> None:
    article = parse_article_file(DATA / "sonnet-001.txt")
    lines = (DATA / "sonnet-001.txt").read_text(encoding="utf-8").splitlines()
    assert [s.text for s in article.sentences] == lines
    assert [b.kind for b in article.blocks] == [BlockKind.HEADLINE, BlockKind.LINES]


@pytest.mark.slow
def test_the_sonnet_aligns_line_by_line() -> None:
    """Every line found, in order, each a few seconds long, none placed in a pause > 300 ms."""
    media = DATA / "sonnet-001.mp3"
    result = align_article(media, parse_article_file(DATA / "sonnet-001.txt"))
    sentences = result.article.sentences
    assert result.unaligned == () and len(sentences) == 14
    times = [(s.start_ms, s.end_ms) for s in sentences]
    assert all(a is not None and b is not None for a, b in times)
    starts = [a for a, _ in times]
    assert starts == sorted(starts)
    silent = pauses(media)
    for sentence, (start, end) in zip(sentences, times, strict=True):
        assert start is not None and end is not None
        assert 1500 <= end - start <= 6000, sentence.text  # no unit runs for tens of seconds
        in_pauses = sum(max(0, min(end, p1) - max(start, p0)) for p0, p1 in silent)
        assert in_pauses <= 0.25 * (end - start), sentence.text  # said, not placed in a pause
        for p0, p1 in silent:  # a boundary may touch a pause, not sit deep inside it
            assert not (p0 < start < p1 - 200), (sentence.text, start, (p0, p1))
            assert not (p0 + 200 < end < p1), (sentence.text, end, (p0, p1))
        assert sentence.words and len(sentence.words) == len(sentence.text.split())
    assert np.mean([b - a for a, b in times if a is not None and b is not None]) < 4000  # type: ignore[operator]
