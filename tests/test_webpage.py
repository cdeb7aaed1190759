"""A saved news page (HTML) -> its article as plain text, without the page around it."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from clipsync.core.errors import InputError
from clipsync.core.text.article import BlockKind
from clipsync.core.text.textparse import parse_article
from clipsync.core.text.webpage import article_text_from_html, decode_html, is_html

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "webpage"
PAGE = DATA / "news-page.html"  # hand-written, BBC-like: navigation, cookies, player, sidebars
CP1252_PAGE = DATA / "cp1252-page.html"  # a small local paper's page, declared windows-1252

HEADLINE = "Calderbridge flood barrier jams as storm surge swamps harbour town"
# Everything on the page that is not the article: none of it may reach the text.
NOT_ARTICLE = [
    # cookie banner
    "cookies",
    "Yes, I agree",
    "take me to settings",
    # header, navigation
    "Accessibility links",
    "Skip to content",
    "Sign in",
    "Sport",
    "Weather",
    "Northern Ireland",
    "Search Northern News",
    # byline, sharing
    "By Tom Hale",
    "correspondent",
    "Share",
    # video player
    "Play",
    "0:00",
    "3:37",
    "No media source currently available",
    "Enter fullscreen",
    "Watch: Water pours",
    "Video, 00:03:37",
    # after the article
    "Flooding",
    "More on this story",
    "Amber warning issued",
    "Related stories",
    "Why sea defences built",
    "days ago",
    "Most read",
    "Farne Islands",
    "Terms of Use",
    "Privacy Policy",
    "Copyright",
    "external sites",
]


def _paragraphs(html: str) -> list[str]:
    """The article's paragraphs as written in the page's story body (tags removed)."""
    body = re.search(r'<div class="story__body".*?</div>', html, flags=re.S)
    assert body is not None
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", body.group(0), flags=re.S)]


@pytest.fixture(scope="module")
def page_html() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text() -> str:
    return article_text_from_html(PAGE.read_bytes(), source=PAGE.name)


def test_the_fixture_is_a_whole_news_page(page_html) -> None:
    """The page really carries the chrome the extraction must drop (else the test below proves nothing)."""
    for chrome in NOT_ARTICLE:
        assert chrome in page_html, chrome
    assert 8 <= len(_paragraphs(page_html)) <= 12


def test_headline_first_then_every_paragraph_separated_by_blank_lines(page_html, text) -> None:
    paragraphs = _paragraphs(page_html)
    assert "\n\n\n" not in text
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == HEADLINE
    assert [b for b in blocks[1:] if not b.startswith("## ")] == paragraphs
    assert "## Warnings came ‘too late’" in blocks  # the sub-heading, as a Markdown heading
    assert text.count(HEADLINE) == 1


def test_extraction_uses_no_network_and_gives_the_same_text_each_time(monkeypatch, text) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during extraction")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert article_text_from_html(PAGE.read_bytes(), source=PAGE.name) == text


def test_no_navigation_player_cookie_related_or_footer_text(text) -> None:
    for chrome in NOT_ARTICLE:
        assert chrome not in text, chrome


def test_a_player_inside_the_story_body_is_dropped_too(page_html) -> None:
    """News sites often put the video between paragraphs; its interface is still not article."""
    player = re.search(r"<figure.*?</figure>", page_html, flags=re.S)
    assert player is not None
    moved = page_html.replace(player.group(0), "").replace(
        "<p>No one was seriously", player.group(0) + "<p>No one was seriously"
    )
    assert moved != page_html
    assert article_text_from_html(moved) == article_text_from_html(page_html)


def test_list_items_are_paragraphs_and_line_breaks_stay(page_html) -> None:
    """A bulleted list in the story: one block per item; a verse set with <br>: one line each."""
    extra = (
        "<p>Residents were told to do three things before the next tide:</p><ul>"
        "<li>Keep medicines and phone chargers upstairs.</li><li>Move cars to the car park on Hill Road.</li>"
        "<li>Check on elderly neighbours before dark.</li></ul>"
        "<p>A plaque on the barrier carries a verse by a local poet:<br>The sea came in and took the quay,"
        "<br>\n  And gave the town back to the sea,<br>But we will build the wall again</p>"
    )
    text = article_text_from_html(
        page_html.replace("<p>No one was seriously", extra + "<p>No one was seriously")
    )
    blocks = text.split("\n\n")
    start = blocks.index("Residents were told to do three things before the next tide:")
    assert blocks[start + 1 : start + 5] == [
        "Keep medicines and phone chargers upstairs.",
        "Move cars to the car park on Hill Road.",
        "Check on elderly neighbours before dark.",
        "A plaque on the barrier carries a verse by a local poet:\nThe sea came in and took the quay,\n"
        "And gave the town back to the sea,\nBut we will build the wall again",
    ]
    assert blocks[start + 5].startswith("No one was seriously hurt")


def test_the_plain_text_parser_finds_headline_quotes_and_speakers(text) -> None:
    """Quotation marks survive, so the quotes and speakers are those of the article."""
    article = parse_article(text, source=PAGE.name)
    assert article.title == HEADLINE
    assert article.blocks[0].kind is BlockKind.HEADLINE
    assert sum(b.kind is BlockKind.HEADING for b in article.blocks) == 1
    assert len([b for b in article.blocks if b.kind is BlockKind.PARAGRAPH]) == 11
    said = [
        (q.speaker.name, [article.sentence(p.sentence_id).text[p.char_start : p.char_end] for p in q.parts])
        for q in article.quotes
    ]
    assert [(name, len(parts)) for name, parts in said] == [
        ("Marta Okafor", 2),  # “...,” said Marta Okafor, who ... “...”
        ("Ian Pryce", 1),  # “...”, according to Harbour Master Ian Pryce.
        ("Helen Marsh", 1),  # straight quotes: "...," said Helen Marsh, a spokeswoman ...
        ("Helen Marsh", 1),  # ..., she said, adding: “...”
        ("Daniel Whitlock", 1),  # “...,” Chief Fire Officer Daniel Whitlock told reporters
        ("Ruth Adeyemi", 3),  # “...,” said Ruth Adeyemi, ... “... six. People ... week.”
    ]
    assert said[2][1] == [
        "We are not going to speculate about the cause until our engineers have finished their inspection,"
    ]
    assert {s.name for s in article.speakers} == {
        "Marta Okafor",
        "Ian Pryce",
        "Helen Marsh",
        "Daniel Whitlock",
        "Ruth Adeyemi",
    }


def test_a_windows_1252_page_decodes_by_its_declared_charset() -> None:
    data = CP1252_PAGE.read_bytes()
    assert b"\x93I lost" in data and b"Jos\xe9 Mart\xednez" in data  # really windows-1252 bytes
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = article_text_from_html(data, source=CP1252_PAGE.name)
    assert text.startswith("Café owner rebuilds after Calderbridge flood\n\n")
    assert "“I lost the fridges, the coffee machine and every chair in the place,” said José Martínez" in text
    assert "his wife Zoë" in text and "£12,000" in text
    for chrome in ("Home", "What’s On", "Contact us", "Privacy", "Terms", "Gazette", "Anna Sørensen"):
        assert chrome not in text, chrome
    article = parse_article(text)
    assert [(q.speaker.name, len(q.parts)) for q in article.quotes] == [("José Martínez", 2)]


def test_decoding_honours_the_label_and_falls_back_to_utf8() -> None:
    body = "<p>“Zoë” – £5</p>"
    assert decode_html(f'<meta charset="utf-8">{body}'.encode()).endswith(body)
    assert decode_html(body.encode()) == body  # no label: UTF-8
    assert decode_html(b"\xef\xbb\xbf" + body.encode()) == body  # byte-order mark
    latin = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    assert decode_html((latin + body).encode("cp1252")).endswith(body)  # Latin-1 label: windows-1252
    bogus = '<meta charset="no-such-charset">'
    assert decode_html((bogus + body).encode()).endswith(body)
    wrong = '<meta charset="us-ascii">'  # a wrong label on a UTF-8 page
    assert decode_html((wrong + body).encode()).endswith(body)


@pytest.mark.parametrize("page", [b"", b"   \n", b"<!DOCTYPE html><html><head></head><body></body></html>"])
def test_an_empty_page_raises_input_error_naming_the_source(page) -> None:
    with pytest.raises(InputError, match="no article text") as caught:
        article_text_from_html(page, source="empty.html")
    assert caught.value.path == Path("empty.html")
    assert str(caught.value).startswith("empty.html: ")


def test_a_navigation_only_page_raises_input_error_naming_the_source(page_html) -> None:
    """The same page without its article: header, cookies, sidebars and footer are left."""
    navigation_only = re.sub(r"<article.*?</article>", "", page_html, flags=re.S)
    assert "More on this story" in navigation_only and HEADLINE not in navigation_only.split("<body>")[1]
    with pytest.raises(InputError, match="no article text") as caught:
        article_text_from_html(navigation_only, source="front-page.html")
    assert caught.value.path == Path("front-page.html")


def test_is_html_tells_a_page_from_a_plain_text_article() -> None:
    assert is_html(PAGE.read_bytes())
    assert is_html(CP1252_PAGE.read_bytes())
    assert is_html(b"\xef\xbb\xbf\n  <html><head><title>x</title></head></html>")
    assert is_html(b"<!-- saved from url=(0014)about:internet -->\n<html>\n<body><p>x</p></body></html>")
    plain = (ROOT / "resources" / "clip" / "syria.page.txt").read_bytes()[:2000]
    assert not is_html(plain)
    assert not is_html(b"# Talks halted\n\nHe said <body> and <html> are tags.")
    assert not is_html(b"")
