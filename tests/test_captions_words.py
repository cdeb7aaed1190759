"""Captions timed by word times: pages break when their first word is said, roll-up and
paint-on reveal each word when it starts (the bundled clip has the synthesizer's word times)."""

from __future__ import annotations

from pathlib import Path

from clipsync.core.captions.caption_lines import tokenize
from clipsync.core.captions.captions import CaptionTrack, timed_pages, token_times
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Block, BlockKind, Sentence
from clipsync.core.text.words import WordTimes

ROOT = Path(__file__).resolve().parents[1]
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"

TEXT = "One two three, four five six seven eight nine ten."


def worded(text: str = TEXT, start: int = 1000) -> Sentence:
    """A sentence whose words come slowly at first, then fast (not in proportion to letters)."""
    spans = [(t.start, t.end - (1 if t.text[-1] in ",." else 0)) for t in tokenize(text)]
    times, t = [], start
    for k in range(len(spans)):
        step = 400 if k < 3 else 100
        times.append((t, t + step - 20))
        t += step
    return Sentence(
        "s",
        text,
        start,
        t,
        WordTimes(*zip(*[(a, b, c, d) for (a, b), (c, d) in zip(times, spans, strict=True)], strict=True)),
    )


def test_lines_start_when_their_first_word_is_said() -> None:
    """With word times a line starts at its first word (not at its share of the letters)."""
    sentence = worded()
    pages = timed_pages(sentence, max_chars=20, max_lines=1)
    assert [p.text_lines for p in pages] == [
        ("One two three,",),
        ("four five six seven",),
        ("eight nine ten.",),
    ]
    starts = sentence.words.starts
    assert [(p.start_ms, p.end_ms) for p in pages] == [
        (1000, starts[3]),
        (starts[3], starts[7]),
        (starts[7], 2900),
    ]
    by_letters = timed_pages(Sentence("s", TEXT, 1000, 2900), max_chars=20, max_lines=1)
    assert by_letters[1].start_ms != pages[1].start_ms  # the character share would be wrong here


def test_paint_on_and_roll_up_reveal_each_word_when_it_starts() -> None:
    """One millisecond before a word starts it is not shown; at its start it is."""
    sentence = worded()
    track = CaptionTrack(Article("t", (Block(BlockKind.PARAGRAPH, (sentence,)),)), max_chars=20, max_lines=2)
    for k, word in enumerate(sentence.words):
        text = word.text_in(TEXT)
        for presentation in ("paint_on", "roll_up"):
            at = track.frame_at(word.start_ms, presentation)
            assert at is not None
            if k:
                before = track.frame_at(word.start_ms - 1, presentation)
                assert before is not None
                assert " ".join(at.lines).count(text) == " ".join(before.lines).count(text) + 1, (
                    presentation,
                    k,
                )
            # words already said stay; the full lines are the layout, so nothing shifts
            assert all(full.startswith(shown) for shown, full in zip(at.lines, at.layout_lines, strict=False))


def test_token_times_follow_punctuation_and_lone_marks() -> None:
    """Quotes and commas go with their word; a lone dash with the word after it."""
    words = WordTimes([100, 300, 600, 750], [280, 500, 740, 900], [1, 5, 13, 17], [4, 8, 16, 21])
    s = Sentence("s", "“Not now,” — she said. —", 0, 900, words)
    assert token_times(s, tokenize(s.text)) == [100, 300, 600, 600, 750, 750]


def test_bundled_clip_captions_follow_its_word_times() -> None:
    """On the bundled clip every caption line starts with its first word (or its sentence) and
    paint-on shows exactly the words said so far, at every word start and just before it."""
    article = load_sync(SYNC)
    track = CaptionTrack(article)
    checked = 0
    for sentence in article.sentences:
        assert sentence.words, sentence.id
        pages = track.pages(sentence)
        lines = [line for page in pages for line in page.lines]
        assert lines[0].start_ms == sentence.start_ms and lines[-1].end_ms == sentence.end_ms
        for line in lines[1:]:
            first = next(w for w in sentence.words if w.char_start >= line.char_start)
            assert line.start_ms == first.start_ms
        for word in list(sentence.words)[1:]:
            frame = track.frame_at(word.start_ms, "paint_on")
            assert frame is not None
            shown = " ".join(frame.lines)
            assert shown.endswith(word.text_in(sentence.text)) or shown.rstrip(",.;:”’\"'…?!)").endswith(
                word.text_in(sentence.text)
            ), (sentence.id, shown, word.text_in(sentence.text))
            checked += 1
    assert checked > 350
