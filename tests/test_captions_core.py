"""The pure caption core: caption style values, line breaking, page timing, presentations."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipsync.core.captions.caption_lines import break_into_pages
from clipsync.core.captions.caption_style import PRESETS, STANDARD_COLORS, CaptionStyle
from clipsync.core.captions.captions import CaptionTrack, timed_pages
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker

ROOT = Path(__file__).resolve().parents[1]
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"

LONG = (
    "Instead, Russia, with the help of Assad’s regional ally Iran, continued to pursue a military "
    "course, “inconsistent,” as State Department Spokesperson John Kirby said in a written statement."
)


def _article(*sentences: Sentence, quotes: tuple[Quote, ...] = ()) -> Article:
    speakers = tuple({q.speaker.id: q.speaker for q in quotes}.values())
    return Article("t", (Block(BlockKind.PARAGRAPH, sentences),), speakers, quotes)


# Style ---------------------------------------------------------------------------------------


def test_style_clamps_out_of_range_numbers() -> None:
    """Sizes and opacities outside their ranges are pulled to the nearest allowed value."""
    style = CaptionStyle.from_dict(
        {"size_pct": 999, "text_opacity": 3, "background_opacity": -0.5, "window_opacity": float("nan")}
    )
    assert style.size_pct == 200
    assert style.text_opacity == 1.0
    assert style.background_opacity == 0.0
    assert style.window_opacity == CaptionStyle().window_opacity
    assert CaptionStyle(size_pct=10).clamped().size_pct == 50


def test_style_replaces_unknown_names_and_bad_colours_by_defaults() -> None:
    """Unknown presentations, fonts, edges, positions and malformed colours fall back to defaults."""
    style = CaptionStyle.from_dict(
        {
            "presentation": "scroll",
            "font_family": "Comic Sans",
            "edge": "glow",
            "position": "middle",
            "text_color": "red",
            "background_color": "#12345",
            "size_pct": True,
        }
    )
    assert style == CaptionStyle()


def test_style_round_trips_through_a_dict() -> None:
    """to_dict then from_dict gives the same style back, for every preset."""
    for preset in PRESETS.values():
        styled = preset.with_changes(language="fr", text_color="#AbCdEf")
        assert CaptionStyle.from_dict(styled.to_dict()) == styled


def test_presets_and_colours_are_the_documented_ones() -> None:
    """The four presets and eight standard colours exist, and Default is the default style."""
    assert list(PRESETS) == ["Default", "High contrast", "Large text", "Yellow on black"]
    assert PRESETS["Default"] == CaptionStyle()
    assert PRESETS["Yellow on black"].text_color == "#ffff00"
    assert set(STANDARD_COLORS) == {"White", "Yellow", "Green", "Cyan", "Blue", "Magenta", "Red", "Black"}


def test_with_changes_rejects_unknown_settings() -> None:
    """A misspelt setting name is an error, not silently ignored."""
    with pytest.raises(TypeError):
        CaptionStyle().with_changes(colour="#ffffff")


# Line breaking -------------------------------------------------------------------------------


def test_short_sentence_is_one_line() -> None:
    """A sentence that fits on one line is one page of one line."""
    assert break_into_pages("Talks are halted.") == [("Talks are halted.",)]


def test_long_sentence_breaks_at_commas_not_inside_phrases() -> None:
    """Lines end at commas where they can, and every line and page respects the limits."""
    pages = break_into_pages(LONG)
    lines = [line for page in pages for line in page]
    assert all(len(page) <= 2 for page in pages)
    assert all(len(line) <= 42 for line in lines)
    assert sum(line.endswith((",", "”", ".")) for line in lines) >= len(lines) // 2
    assert " ".join(lines) == " ".join(LONG.split())


def test_abbreviation_is_not_a_sentence_end() -> None:
    """ "U.S." does not count as the end of a sentence, so the name after it stays with it."""
    pages = break_into_pages(
        "The move comes after an effort by U.S. Secretary of State John Kerry to talk.", 36
    )
    lines = [line for page in pages for line in page]
    assert not any(line.endswith("U.S.") for line in lines)


def test_break_prefers_before_a_conjunction_to_after_an_article() -> None:
    """Lines do not end on "the"; a break before "and" or a preposition is preferred."""
    text = "We are going to continue to stay active and work on the cessation of hostilities"
    lines = [line for page in break_into_pages(text, 30) for line in page]
    assert not any(line.split()[-1] in {"the", "a", "to", "of"} for line in lines)


def test_a_word_longer_than_a_line_gets_its_own_line() -> None:
    """A single over-long word is never split inside; it stands on a line of its own."""
    word = "x" * 60
    pages = break_into_pages(f"short {word} end", 20)
    lines = [line for page in pages for line in page]
    assert word in lines
    assert " ".join(lines) == f"short {word} end"


words = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Po", "Pd")), min_size=1, max_size=15
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=60), st.integers(min_value=12, max_value=50))
def test_pages_keep_every_word_in_order_within_limits(word_list: list[str], max_chars: int) -> None:
    """Joining the pages gives back the words in order; each page has ≤2 lines of ≤max chars."""
    text = " ".join(word_list)
    pages = break_into_pages(text, max_chars)
    assert [w for page in pages for line in page for w in line.split()] == text.split()
    for page in pages:
        assert 1 <= len(page) <= 2
        for line in page:
            assert len(line) <= max_chars or " " not in line


# Timing -------------------------------------------------------------------------------------


def test_pages_share_the_sentence_time_by_characters() -> None:
    """Pages follow one another without gaps, cover the sentence, and last in proportion to length."""
    sentence = Sentence("s", LONG, 10_000, 20_000)
    pages = timed_pages(sentence)
    assert pages[0].start_ms == 10_000 and pages[-1].end_ms == 20_000
    for a, b in itertools.pairwise(pages):
        assert a.end_ms == b.start_ms
    total = len(" ".join(LONG.split())) + 1
    for page in pages:
        chars = sum(len(line) + 1 for line in page.text_lines)
        assert math.isclose(page.end_ms - page.start_ms, 10_000 * chars / total, abs_tol=2)


def test_untimed_sentence_has_no_pages() -> None:
    """A sentence that is not in the recording is never captioned."""
    assert timed_pages(Sentence("s", "Not read.")) == []


# Presentations ------------------------------------------------------------------------------


@pytest.fixture
def track() -> CaptionTrack:
    first = Sentence("a", "One two three four five six seven eight.", 0, 4000)
    second = Sentence("b", "Nine ten eleven twelve thirteen fourteen.", 4500, 8000)
    return CaptionTrack(_article(first, second), max_chars=22, max_lines=2)


def test_pop_on_shows_the_current_page(track: CaptionTrack) -> None:
    """Pop-on shows the whole page of the moment, and nothing between sentences."""
    frame = track.frame_at(100, "pop_on")
    assert frame is not None
    assert frame.lines == ("One two three four", "five six seven eight.")
    assert track.frame_at(4200, "pop_on") is None
    later = track.frame_at(7900, "pop_on")
    assert later is not None and later.lines[-1].endswith("fourteen.")


def test_roll_up_shows_the_new_line_under_the_previous(track: CaptionTrack) -> None:
    """Roll-up adds lines at the bottom; the previous line (even of the last sentence) sits above."""
    first = track.frame_at(100, "roll_up")
    assert first is not None and first.lines == ("One two three four",)
    second = track.frame_at(3000, "roll_up")
    assert second is not None and second.lines == ("One two three four", "five six seven eight.")
    across = track.frame_at(4600, "roll_up")
    assert across is not None and across.lines == ("five six seven eight.", "Nine ten eleven twelve")


def test_roll_up_does_not_carry_a_line_over_a_long_pause() -> None:
    """After a long silence the first new line rolls up alone."""
    track = CaptionTrack(_article(Sentence("a", "Before.", 0, 1000), Sentence("b", "After.", 9000, 10_000)))
    frame = track.frame_at(9100, "roll_up")
    assert frame is not None and frame.lines == ("After.",)


def test_paint_on_reveals_words_in_proportion_to_time(track: CaptionTrack) -> None:
    """Paint-on shows the first word at once, more words as time passes, and the full page at the end."""
    start = track.frame_at(0, "paint_on")
    assert start is not None and start.lines == ("One",)
    assert start.layout_lines == ("One two three four", "five six seven eight.")
    middle = track.frame_at(1500, "paint_on")
    assert middle is not None
    assert middle.lines[0].startswith("One two") and len(" ".join(middle.lines)) < len(
        " ".join(start.layout_lines)
    )
    end = track.frame_at(3999, "paint_on")
    assert end is not None and end.lines == end.layout_lines


def test_speaker_is_named_on_quoted_pages() -> None:
    """A quote gets pages of its own, with the speaker's name; narration has none."""
    text = "The spokesman for the department said: “We are done with these talks for now.”"
    start = text.index("“")
    sentence = Sentence("a", text, 0, 3000)
    quote = Quote("q", Speaker("kirby", "John Kirby"), (QuotePart("a", start, len(text), 1000, 3000),))
    track = CaptionTrack(_article(sentence, quotes=(quote,)), max_lines=1)
    assert track.frame_at(0).speaker is None  # type: ignore[union-attr]
    assert track.frame_at(2900).speaker == "John Kirby"  # type: ignore[union-attr]


def test_frame_at_on_the_bundled_clip_is_fast_and_within_limits() -> None:
    """Over the whole bundled clip every caption has ≤2 lines of ≤42 characters (the speaker apart)."""
    article = load_sync(SYNC)
    track = CaptionTrack(article)
    seen = 0
    for position in range(0, (article.duration_ms or 0) + 1, 250):
        for presentation in ("pop_on", "roll_up", "paint_on"):
            frame = track.frame_at(position, presentation)
            if frame is None:
                continue
            seen += 1
            assert 1 <= len(frame.lines) <= 2
            assert all(len(line) <= 42 for line in frame.lines)
    assert seen > 100
