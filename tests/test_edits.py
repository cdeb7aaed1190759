"""Hand corrections of timings (core, no Qt): every edit, its undo, and what must always hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipsync.core.editing.edits import (
    MIN_SENTENCE_MS,
    Boundary,
    Change,
    Edge,
    EditError,
    EditState,
    difference,
    word_columns,
)
from clipsync.core.editing.text_edits import change_text, respan_words
from clipsync.core.editing.timing_edits import (
    bring_back,
    mark_not_in_recording,
    move_boundary,
    nudge,
    set_anchor,
    set_end_and_next_start,
    set_times,
)
from clipsync.core.formats.syncdoc import load_sync, parse_sync, to_json
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker
from clipsync.core.text.words import NO_WORDS, fit_words, word_spans

SYNC = Path(__file__).resolve().parents[1] / "resources" / "clip" / "syria.sync.json"
START, END = Edge.START, Edge.END


def sentence(sid: str, text: str, start: int | None, end: int | None, *, words: bool = False) -> Sentence:
    times = NO_WORDS
    if words and start is not None and end is not None:
        spans = word_spans(text)
        step = (end - start) // len(spans)
        times = fit_words(
            spans, [(start + i * step, start + (i + 1) * step) for i in range(len(spans))], start, end
        )
    return Sentence(sid, text, start, end, times)


def article(*sentences: Sentence, duration: int = 20_000, quotes: tuple[Quote, ...] = ()) -> Article:
    speakers = tuple({q.speaker.id: q.speaker for q in quotes}.values())
    return Article("T", (Block(BlockKind.PARAGRAPH, sentences),), speakers, quotes, duration_ms=duration)


def times(state: EditState) -> list[tuple[int | None, int | None]]:
    return [(s.start_ms, s.end_ms) for s in state.article.sentences]


def check(state: EditState) -> None:
    """The article still loads as a sync document (order, overlaps, words, quote parts)."""
    parse_sync(to_json(state.article))
    for s in state.article.sentences:
        if s.timed:
            assert (s.end_ms or 0) - (s.start_ms or 0) >= 1


THREE = EditState(
    article(
        sentence("a", "One two three.", 1000, 2000, words=True),
        sentence("b", "Four five six.", 2000, 3000, words=True),  # touches a
        sentence("c", "Seven eight.", 3500, 4500),  # a pause before it
    )
)


def test_moving_a_start_takes_a_touching_neighbour_along() -> None:
    """b's start moved earlier: a's end follows (they kept meeting); b becomes an anchor."""
    change = move_boundary(THREE, Boundary("b", START), 1800)
    after = change.apply(THREE)
    assert times(after)[:2] == [(1000, 1800), (1800, 3000)]
    assert after.anchors == {"b"}
    check(after)
    assert change.revert(after) == THREE


def test_moving_away_from_a_pause_leaves_the_neighbour() -> None:
    """c's start moved later: b (not touching) stays; moved into b, b's end is pushed back."""
    later = move_boundary(THREE, Boundary("c", START), 3700).apply(THREE)
    assert times(later)[1:] == [(2000, 3000), (3700, 4500)]
    into = move_boundary(THREE, Boundary("c", START), 2500).apply(THREE)
    assert times(into)[1:] == [(2000, 2500), (2500, 4500)]


def test_a_boundary_stops_at_the_neighbours_minimum_length_and_the_media() -> None:
    """Neither the sentence nor its neighbour gets shorter than the minimum; ends stay in the media."""
    squeezed = move_boundary(THREE, Boundary("b", START), 0).apply(THREE)
    a = squeezed.article.sentence("a")
    assert (a.start_ms, a.end_ms) == (1000, 1000 + MIN_SENTENCE_MS)
    past = move_boundary(THREE, Boundary("c", END), 99_999).apply(THREE)
    assert past.article.sentence("c").end_ms == 20_000
    inverted = move_boundary(THREE, Boundary("c", START), 9_000).apply(THREE)
    assert times(inverted)[2] == (4500 - MIN_SENTENCE_MS, 4500)


def test_words_and_quote_parts_stay_inside_a_moved_sentence() -> None:
    """The first word follows the sentence's start; words past a new end are squeezed inside."""
    state = move_boundary(THREE, Boundary("a", START), 1300).apply(THREE)
    words = state.article.sentence("a").words
    assert words.starts[0] == 1300
    state = move_boundary(state, Boundary("a", END), 1400).apply(state)
    a = state.article.sentence("a")
    assert word_columns(a.words)[1][-1] == 1400 and a.words.problem(len(a.text), a.start_ms, a.end_ms) is None
    check(state)


def test_a_word_boundary_moves_with_its_touching_neighbour() -> None:
    """Moving word 2's start moves word 1's end with it; never outside the sentence."""
    a = THREE.article.sentence("a")
    assert word_columns(a.words)[1][0] == a.words.starts[1]
    state = move_boundary(THREE, Boundary("a", START, 1), 1200).apply(THREE)
    words = state.article.sentence("a").words
    assert (word_columns(words)[1][0], words.starts[1]) == (1200, 1200)
    state = move_boundary(state, Boundary("a", END, 2), 5000).apply(state)
    assert word_columns(state.article.sentence("a").words)[1][2] == 2000
    check(state)


def test_nudges_merge_with_the_drag_of_the_same_boundary() -> None:
    """Two moves of one boundary have the same key and merge into one change that undoes both."""
    boundary = Boundary("c", END)
    first = nudge(THREE, boundary, 100)
    middle = first.apply(THREE)
    second = nudge(middle, boundary, -10)
    assert first.key == second.key
    merged = first.then(second)
    end = merged.apply(THREE)
    assert end == second.apply(middle)
    assert end.article.sentence("c").end_ms == 4590
    assert merged.revert(end) == THREE


def test_set_times_and_set_end_and_next_start() -> None:
    """Set times moves both edges; end + next start ends a sentence and starts the next there."""
    state = set_times(THREE, "c", 3200, 4000).apply(THREE)
    assert times(state)[2] == (3200, 4000)
    state = set_end_and_next_start(THREE, "b", 3300).apply(THREE)
    assert times(state)[1:] == [(2000, 3300), (3300, 4500)]
    assert state.anchors == {"b", "c"}
    last = set_end_and_next_start(THREE, "c", 5000).apply(THREE)  # no next sentence: only the end
    assert times(last)[2] == (3500, 5000)


def test_not_in_the_recording_and_back() -> None:
    """Marking removes the times (an anchor); bringing back fills the pause, or half a neighbour."""
    gone = mark_not_in_recording(THREE, "b").apply(THREE)
    assert times(gone)[1] == (None, None) and "b" in gone.anchors
    back = bring_back(gone, "b").apply(gone)
    assert times(back)[1] == (2000, 3500) and "b" not in back.anchors
    check(back)
    tight = EditState(
        article(sentence("a", "A b.", 0, 1000), Sentence("x", "Gone."), sentence("b", "C d.", 1000, 2000))
    )
    placed = bring_back(tight, "x").apply(tight)
    assert times(placed) == [(0, 500), (500, 1000), (1000, 2000)]
    with pytest.raises(EditError):
        bring_back(THREE, "a")
    with pytest.raises(EditError, match="bring it back"):
        move_boundary(gone, Boundary("b", START), 10)


def test_editing_text_keeps_the_timing_of_unchanged_words() -> None:
    """A typo fixed in one word: the sentence's and the other words' times are unchanged."""
    state = EditState(article(sentence("a", "The envoy sad hello.", 1000, 2000, words=True)))
    before = state.article.sentence("a").words
    fixed = change_text(state, "a", "The envoy said hello.").apply(state)
    s = fixed.article.sentence("a")
    assert (s.start_ms, s.end_ms, s.text) == (1000, 2000, "The envoy said hello.")
    assert list(s.words.starts) == list(before.starts) and list(word_columns(s.words)[1]) == list(
        word_columns(before)[1]
    )
    assert [s.text[a:b] for a, b in zip(word_columns(s.words)[2], word_columns(s.words)[3], strict=True)] == [
        "The", "envoy", "said", "hello",
    ]  # fmt: skip


def test_an_inserted_word_gets_a_share_of_its_neighbours_time() -> None:
    """A word inserted between two touching words takes time from both, by length."""
    state = EditState(article(sentence("a", "Power spoke today.", 1000, 1900, words=True)))
    s = change_text(state, "a", "Samantha Power spoke today.").apply(state).article.sentence("a")
    assert len(s.words) == 4 and s.words.starts[0] == 1000
    assert s.words.problem(len(s.text), s.start_ms, s.end_ms) is None
    assert word_columns(s.words)[1][0] - s.words.starts[0] >= 40
    assert respan_words(Sentence("u", "x y"), "x z") == NO_WORDS  # untimed: no words


def test_editing_text_moves_quote_parts_with_their_characters() -> None:
    """A name corrected before a quote shifts the quote's characters; erasing a quote is refused."""
    speaker = Speaker("p", "Power")
    text = "Powr said “no more talks” today."
    part = QuotePart("a", text.index("“"), text.index("”") + 1, 1100, 1800)
    state = EditState(article(sentence("a", text, 1000, 2000), quotes=(Quote("q", speaker, (part,)),)))
    fixed = change_text(state, "a", "Power said “no more talks” today.").apply(state)
    new = fixed.article.quotes[0].parts[0]
    s = fixed.article.sentence("a")
    assert s.text[new.char_start : new.char_end] == "“no more talks”"
    check(fixed)
    with pytest.raises(EditError, match="Power's quote"):
        change_text(state, "a", "Powr said today.")
    with pytest.raises(EditError, match="empty"):
        change_text(state, "a", "   ")


def test_difference_and_anchor_changes_round_trip() -> None:
    """The difference of two states is a change between them; locking is undoable too."""
    locked = set_anchor(THREE, "a", True).apply(THREE)
    moved = move_boundary(locked, Boundary("c", END), 4000).apply(locked)
    change = difference(THREE, moved, "All")
    assert change.apply(THREE) == moved and change.revert(moved) == THREE
    assert Change("nothing").empty


# Properties ----------------------------------------------------------------------------------

TEXTS = ("One two three.", "Four, five.", "U.S. envoy said “stop”.", "Seven.", "It’s a long sentence here.")
EDITED = ("One too three.", "Four, five, six.", "US envoy said “stop now”.", "Seven!", "A new one entirely")


@st.composite
def states(draw: st.DrawFn) -> EditState:
    n = draw(st.integers(1, 7))
    position = draw(st.integers(0, 500))
    sentences = []
    for i in range(n):
        text = draw(st.sampled_from(TEXTS))
        if draw(st.integers(0, 5)) == 0:
            sentences.append(Sentence(f"s{i}", text))
            continue
        position += draw(st.sampled_from((0, 0, 3, 250, 1500)))
        length = draw(st.integers(len(word_spans(text)) + MIN_SENTENCE_MS, 3000))
        sentences.append(sentence(f"s{i}", text, position, position + length, words=draw(st.booleans())))
        position += length
    speaker = Speaker("p", "Power")
    quotes: list[Quote] = []
    for s in sentences:
        if "“" in s.text and draw(st.booleans()):
            a, b = s.text.index("“"), s.text.index("”") + 1
            part = QuotePart(s.id, a, b, s.start_ms, s.end_ms)
            quotes.append(Quote(f"q{len(quotes)}", speaker, (part,)))
    doc = article(*sentences, duration=position + draw(st.integers(0, 2000)), quotes=tuple(quotes))
    return EditState(doc, frozenset())


def operation(draw: st.DrawFn, state: EditState) -> Change | None:
    ids = [s.id for s in state.article.sentences]
    sid = draw(st.sampled_from(ids))
    kind = draw(st.integers(0, 9))
    ms = draw(st.integers(-500, (state.article.duration_ms or 0) + 500))
    edge = draw(st.sampled_from((START, END)))
    try:
        if kind == 0:
            return move_boundary(state, Boundary(sid, edge), ms)
        if kind == 1:
            return move_boundary(state, Boundary(sid, edge, draw(st.integers(0, 5))), ms)
        if kind == 2:
            return nudge(state, Boundary(sid, edge), draw(st.sampled_from((-100, -10, 10, 100))))
        if kind == 3:
            return set_times(state, sid, ms, ms + draw(st.integers(-100, 3000)))
        if kind == 4:
            return set_end_and_next_start(state, sid, ms)
        if kind == 5:
            return change_text(state, sid, draw(st.sampled_from(EDITED + TEXTS)))
        if kind == 6:
            return mark_not_in_recording(state, sid)
        if kind == 7:
            return bring_back(state, sid)
        return set_anchor(state, sid, draw(st.booleans()))
    except EditError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_edits_and_undos_return_to_the_original(data: st.DataObject) -> None:
    """Any sequence of edits, undos and redos keeps the document loadable (ordered, no overlap,
    words and quotes inside their sentence), and undoing everything gives the original back."""
    original = data.draw(states())
    check(original)
    state = original
    done: list[Change] = []
    undone: list[Change] = []
    for _ in range(data.draw(st.integers(1, 25))):
        action = data.draw(st.sampled_from(("edit", "edit", "edit", "undo", "redo")))
        if action == "undo" and done:
            change = done.pop()
            state = change.revert(state)
            undone.append(change)
        elif action == "redo" and undone:
            change = undone.pop()
            state = change.apply(state)
            done.append(change)
        else:
            change_or_none = operation(data.draw, state)
            if change_or_none is None:
                continue
            new = change_or_none.apply(state)
            if done and change_or_none.key is not None and change_or_none.key == done[-1].key:
                merged = done[-1].then(change_or_none)  # a drag: one undo step
                assert merged.apply(done[-1].revert(state)) == new
                done[-1] = merged
            else:
                done.append(change_or_none)
            undone.clear()
            state = new
        check(state)
    for change in reversed(done):
        state = change.revert(state)
    assert state == original


def test_the_bundled_document_survives_an_edit_round_trip() -> None:
    """On the real document: a moved boundary, then undone, gives the document loaded."""
    state = EditState(load_sync(SYNC))
    s = state.article.sentences[5]
    change = move_boundary(state, Boundary(s.id, START), (s.start_ms or 0) + 2000)
    moved = change.apply(state)
    check(moved)
    assert change.revert(moved).article == state.article
    new = moved.article.sentence(s.id)
    assert new.start_ms == (s.start_ms or 0) + 2000 and len(new.words) == len(s.words)
    assert new.words.problem(len(new.text), new.start_ms, new.end_ms) is None


def test_a_quote_part_said_with_its_sentence_follows_its_start_and_end() -> None:
    """A quote part that began and ended with the sentence still does after both edges move."""
    text = "“Stop the talks now.”"
    part = QuotePart("a", 0, len(text), 1000, 2000)
    state = EditState(
        article(sentence("a", text, 1000, 2000), quotes=(Quote("q", Speaker("p", "P"), (part,)),))
    )
    state = set_times(state, "a", 900, 2300).apply(state)
    moved = state.article.quotes[0].parts[0]
    assert (moved.start_ms, moved.end_ms) == (900, 2300)
