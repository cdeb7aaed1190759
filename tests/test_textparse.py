"""Article text -> Article: blocks, sentences, chrome, quotes and speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import BlockKind
from clipsync.core.text.textparse import parse_article, parse_article_file, split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "resources" / "clip" / "syria.page.txt"  # the captured web page
TRUTH = ROOT / "resources" / "clip" / "syria.article.json"


@pytest.fixture(scope="module")
def seed():
    return parse_article_file(SEED)


@pytest.fixture(scope="module")
def truth():
    return load_sync(TRUTH)


def test_seed_sentences_and_blocks_match_the_hand_made_version(seed, truth) -> None:
    """The captured page gives the same sentences, ids and block kinds as syria.article.json."""
    assert seed.title == "U.S. Halts Talks With Russia Over Syria"
    assert [(s.id, s.text) for s in seed.sentences] == [(s.id, s.text) for s in truth.sentences]
    assert [(b.kind, len(b.sentences)) for b in seed.blocks] == [
        (b.kind, len(b.sentences)) for b in truth.blocks
    ]


def test_seed_page_chrome_is_dropped(seed) -> None:
    """Interface lines, the player's time line and the repeated headline are not article text."""
    text = " ".join(s.text for s in seed.sentences)
    for chrome in ("Accessibility links", "Breaking News", "please wait", "No media source", "0:00"):
        assert chrome not in text
    assert sum(s.text == seed.title for s in seed.sentences) == 1


def test_seed_quotes_and_speakers_are_all_found(seed, truth) -> None:
    """All 6 quotes, their parts (char spans without the marks) and 4 speakers are found."""

    def shape(article):
        return [
            (q.speaker.id, q.speaker.name, [(p.sentence_id, p.char_start, p.char_end) for p in q.parts])
            for q in article.quotes
        ]

    assert shape(seed) == shape(truth)
    assert {s.id: s.name for s in seed.speakers} == {s.id: s.name for s in truth.speakers}
    kirby_first = seed.quotes[0].parts[0]
    assert (
        seed.sentence(kirby_first.sentence_id).text[kirby_first.char_start : kirby_first.char_end]
        == "inconsistent,"
    )


def test_roles_come_from_the_titles_before_the_names(seed) -> None:
    """ "U.S. Ambassador to the UN Samantha Power" gives the role of Samantha Power."""
    roles = {s.id: s.role for s in seed.speakers}
    assert roles["power"] == "U.S. Ambassador to the UN"
    assert roles["kirby"] == "State Department Spokesperson"
    assert roles["kerry"] == "U.S. Secretary of State"


def test_sentence_splitting_keeps_abbreviations_and_splits_at_ellipsis() -> None:
    """U.S., U.N., Mr., Sept. and initials do not end a sentence; an ellipsis before a capital does."""
    text = "Mr. Smith of the U.N. met U.S. envoys on Sept. 3 with John F. Kennedy Jr. there. It ended… Then what?"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Mr. Smith of the U.N. met U.S. envoys on Sept. 3 with John F. Kennedy Jr. there.",
        "It ended…",
        "Then what?",
    ]


def test_straight_quotes_according_to_and_name_after_verb() -> None:
    """Straight quotation marks work; "according to X" and "said X" name the speaker."""
    article = parse_article(
        "Storm Hits Coast\n\n"
        'Mayor Ann Lee spoke first. "We are ready for the worst of it," said Mayor Lee.\n\n'
        'The damage is "far worse than expected in every district," according to Tom Ruiz.\n\n'
        '"Nobody was hurt," he said. "We were lucky this time around."\n'
    )
    got = [(q.speaker.id, q.speaker.name, len(q.parts)) for q in article.quotes]
    # The last two quoted spans are one quote split by "he said": he is the last person named.
    assert got == [("lee", "Ann Lee", 1), ("ruiz", "Tom Ruiz", 1), ("ruiz", "Tom Ruiz", 2)]
    part = article.quotes[0].parts[0]
    assert (
        article.sentence(part.sentence_id).text[part.char_start : part.char_end]
        == "We are ready for the worst of it,"
    )


def test_markdown_headline_headings_and_wrapped_paragraphs() -> None:
    """A '# ' heading is the headline; '## ' is a heading block; wrapped lines join."""
    article = parse_article(
        "Intro line that is page chrome, before the title.\n\n# The *Real* Title\n\n"
        "First paragraph starts here\nand goes on. Second [sentence](http://x).\n\n## Background\n\nMore text.\n"
    )
    assert article.title == "The Real Title"
    kinds = [b.kind for b in article.blocks]
    assert kinds == [BlockKind.HEADLINE, BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.PARAGRAPH]
    assert [s.text for s in article.blocks[1].sentences] == [
        "First paragraph starts here and goes on.",
        "Second sentence.",
    ]


def test_caption_after_headline_without_repeat() -> None:
    """A 'FILE - ...' line right after the headline is an image caption."""
    article = parse_article(
        "Talks End\n\nFILE - Delegates leave the hall in Geneva.\n\nThe talks ended on Monday.\n"
    )
    assert [b.kind for b in article.blocks] == [
        BlockKind.HEADLINE,
        BlockKind.IMAGE_CAPTION,
        BlockKind.PARAGRAPH,
    ]


def test_scare_quotes_are_not_quotes() -> None:
    """Two quoted words with no attribution are not a quote."""
    article = parse_article("Title Here Now\n\nThe so-called “peace plan” failed again this week.\n")
    assert article.quotes == ()


def test_empty_or_missing_text_is_an_input_error(tmp_path: Path) -> None:
    """A missing file and a file with no article text raise InputError naming the file."""
    with pytest.raises(InputError, match="file not found"):
        parse_article_file(tmp_path / "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("please wait\n\n0:00 0:03:37 0:00\n", encoding="utf-8")
    with pytest.raises(InputError, match="no article text"):
        parse_article_file(empty)
