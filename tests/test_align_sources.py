"""`clipsync align` and File > Align article… take the article from a saved web page or from the
address of its page (a real HTTP server on 127.0.0.1), and say which sentences need review."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from clipsync import align_command
from clipsync.align_command import (
    AddressError,
    is_address,
    load_article,
    review_summary,
)
from clipsync.align_command import main as align_main
from clipsync.core.alignment.synthetic import SpokenSpan, make_clip
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Block
from clipsync.core.text.textparse import parse_article
from clipsync.ui.editor import align_dialog
from clipsync.ui.editor.align_dialog import AlignDialog
from media_server import Fault, MediaServer, free_port

HEADLINE = "Ferry Service Returns to the Island"
SPOKEN = [
    HEADLINE,
    "The first ferry in three weeks reached the island on Friday morning.",
    "Dozens of people waited on the quay with flags.",
    "The harbour master said the crossing had been calm.",
]
_CHROME = """\
  <div class="cookie-banner" role="dialog">
    <p>We use cookies to give you the best online experience.</p><button>Yes, I agree</button>
  </div>
  <header>
    <nav aria-label="Accessibility links"><a href="#main">Skip to content</a></nav>
    <nav class="site-nav"><ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/weather">Weather</a></li><li><a href="/signin">Sign in</a></li>
    </ul></nav>
  </header>"""
_FOOTER = """\
  <footer>
    <ul><li><a href="/terms">Terms of Use</a></li><li><a href="/privacy">Privacy Policy</a></li></ul>
    <p>Copyright 2025 Coast News. We are not responsible for the content of external sites.</p>
  </footer>"""
#: A small news page: cookie banner, navigation, the headline, a video player's text, the
#: article (two paragraphs), related stories and a footer.
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{HEADLINE} - Coast News</title>
  <meta property="og:title" content="{HEADLINE}">
  <meta property="og:type" content="article">
</head>
<body>
{_CHROME}
  <main id="main">
    <article>
      <h1>{HEADLINE}</h1>
      <figure class="media-player">
        <button type="button">Play</button>
        <span class="time">0:00 / 1:12</span>
        <p>No media source currently available</p>
        <figcaption>Watch: Passengers step off the boat at the pier</figcaption>
      </figure>
      <div class="story-body">
        <p>{SPOKEN[1]} {SPOKEN[2]}</p>
        <p>{SPOKEN[3]}</p>
      </div>
    </article>
    <aside><h2>Related stories</h2><ul>
      <li><a href="/news/1">Storm closes the island's only school for a week</a></li>
      <li><a href="/news/2">New timetable promised for winter crossings</a></li>
    </ul></aside>
  </main>
{_FOOTER}
</body>
</html>
"""
#: A page of the same site with no article: only its navigation and footer.
NO_ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Coast News</title></head>
<body>
{_CHROME}
{_FOOTER}
</body>
</html>
"""
#: Text of the page that is not the article: none of it may become a sentence.
NOT_ARTICLE = [
    "cookies",
    "Yes, I agree",
    "Skip to content",
    "Home",
    "Sport",
    "Weather",
    "Sign in",
    "Play",
    "0:00",
    "1:12",
    "No media source",
    "Watch:",
    "Passengers step off",
    "Related stories",
    "Storm closes",
    "timetable",
    "Terms of Use",
    "Privacy Policy",
    "Copyright",
    "Coast News",
]
TOLERANCE_MS = 150


@pytest.fixture(scope="module")
def ferry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SpokenSpan], Path, Path, Path]:
    """The clip (espeak-ng reading the headline and the three sentences, about 12 s), where each
    sentence is heard, the saved page, a page without an article and the article as plain text."""
    folder = tmp_path_factory.mktemp("ferry")
    media = folder / "ferry.m4a"
    spans = make_clip(SPOKEN, media, pause_ms=500)
    page = folder / "ferry-page.html"
    page.write_text(PAGE, encoding="utf-8")
    empty = folder / "front-page.html"
    empty.write_text(NO_ARTICLE_PAGE, encoding="utf-8")
    text = folder / "ferry.txt"
    text.write_text("\n\n".join([SPOKEN[0], " ".join(SPOKEN[1:3]), SPOKEN[3]]) + "\n", encoding="utf-8")
    return media, spans, page, empty, text


@pytest.fixture
def server(ferry: tuple[Path, list[SpokenSpan], Path, Path, Path]) -> Iterator[MediaServer]:
    """A real HTTP server on 127.0.0.1 serving the pages, the text and the clip."""
    media, _, page, empty, text = ferry
    files = {"ferry-page.html": page, "front-page.html": empty, "ferry.txt": text, "ferry.m4a": media}
    server = MediaServer(files)
    yield server
    server.stop()


def assert_timed_like_spoken(article: Article, spans: list[SpokenSpan]) -> None:
    """The article is exactly the spoken sentences (nothing of the page around it), each timed
    within TOLERANCE_MS of where it is heard."""
    assert [s.text for s in article.sentences] == SPOKEN
    for sentence in article.sentences:
        for chrome in NOT_ARTICLE:
            assert chrome not in sentence.text
    for sentence, span in zip(article.sentences, spans, strict=True):
        assert sentence.start_ms is not None and sentence.end_ms is not None, sentence
        assert abs(sentence.start_ms - span.start_ms) <= TOLERANCE_MS, (sentence, span)
        assert abs(sentence.end_ms - span.end_ms) <= TOLERANCE_MS, (sentence, span)


def spy_on_alignment(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Keep each result of the real aligner the command uses (to compare what it printed)."""
    results: list[object] = []
    real = align_command.align_article

    def keep(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        results.append(result)
        return result

    monkeypatch.setattr(align_command, "align_article", keep)
    return results


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- the command ------------------------------------------------------------------------


def test_align_a_saved_web_page(
    ferry, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`clipsync align MEDIA PAGE.html`: the article of the page is timed, nothing else of it
    becomes a sentence, and the review summary of the aligned article is printed."""
    media, spans, page, _, _ = ferry
    results = spy_on_alignment(monkeypatch)
    out = tmp_path / "ferry.sync.json"
    assert align_main([str(media), str(page), "-o", str(out), "-q"]) == 0
    article = load_sync(out)
    assert article.title == HEADLINE and article.source == page.name
    assert_timed_like_spoken(article, spans)
    assert (tmp_path / "ferry.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    err = capsys.readouterr().err
    assert len(results) == 1
    summary = review_summary(results[0].article)  # type: ignore[attr-defined]
    assert re.fullmatch(
        r"No sentence needs review.*|\d+ sentences? needs? review \(.+\): s\d+(, s\d+)*", summary
    )
    assert f"{summary}\nwrote {out}" in err


def test_align_from_an_address(
    ferry, server: MediaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`clipsync align MEDIA http://…/page.html`: the page is fetched from a real local server
    and aligned as the saved page is; the address is the document's source."""
    media, spans, _, _, _ = ferry
    url = server.url("good", "ferry-page.html")
    out = tmp_path / "ferry.sync.json"
    assert align_main([str(media), url, "-o", str(out), "-q"]) == 0
    assert [r.name for r in server.requested("good", "ferry-page.html")] == ["ferry-page.html"]
    article = load_sync(out)
    assert article.source == url
    assert_timed_like_spoken(article, spans)
    err = capsys.readouterr().err
    assert "review" in err and f"wrote {out}" in err


@pytest.mark.parametrize(
    ("name", "fault", "words"),
    [
        ("missing.html", None, "HTTP 404 Not Found: there is nothing at this address on the server"),
        ("front-page.html", None, "no article text found in the web page"),
        ("ferry-page.html", Fault(only="*", status=500), "HTTP 500 Internal Server Error"),
        ("ferry-page.html", Fault(only="*", first_byte_delay=3.0), "did not answer within 0.5 s"),
        ("ferry.m4a", None, "neither a web page nor UTF-8 text"),
    ],
    ids=["404", "no-article", "500", "timeout", "not-text"],
)
def test_an_address_without_an_article_is_a_clear_error(
    ferry,
    server: MediaServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    fault: Fault | None,
    words: str,
) -> None:
    """Exit code 1, one line naming the address and why, and no file written."""
    monkeypatch.setattr(align_command, "ADDRESS_TIMEOUT_S", 0.5)
    media = ferry[0]
    scenario = "good" if fault is None else "bad"
    if fault is not None:
        server.scenario(scenario, fault)
    url = server.url(scenario, name)
    out = tmp_path / "out" / "ferry.sync.json"
    out.parent.mkdir()
    assert align_main([str(media), url, "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"clipsync align: {url}: ") and words in err, err
    assert len(err.strip().splitlines()) == 1
    assert files_in(out.parent) == []


def test_unreachable_and_foreign_addresses(ferry, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing listening, and a scheme other than http(s): the reason, exit code 1, no file."""
    media = ferry[0]
    out = tmp_path / "ferry.sync.json"
    refused = f"http://127.0.0.1:{free_port()}/story.html"
    assert align_main([str(media), refused, "-o", str(out), "-q"]) == 1
    assert "refused the connection" in capsys.readouterr().err
    assert align_main([str(media), "ftp://127.0.0.1/story.html", "-o", str(out), "-q"]) == 1
    assert "is not an http:// or https:// address" in capsys.readouterr().err
    assert files_in(tmp_path) == []


def test_a_page_without_an_article_is_a_clear_error(
    ferry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    media, _, _, empty, _ = ferry
    out = tmp_path / "ferry.sync.json"
    assert align_main([str(media), str(empty), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"clipsync align: {empty}: no article text found in the web page" in err
    assert "aligning [" not in err  # it stopped before aligning
    assert files_in(tmp_path) == []


# --- reading the article ----------------------------------------------------------------


def test_what_is_an_address() -> None:
    for text in ("http://example.org/a.html", " HTTPS://example.org/a", "ftp://example.org/a"):
        assert is_address(text), text
    for text in ("article.txt", "/tmp/page.html", "C:\\news\\page.htm", "notes http://x"):
        assert not is_address(text), text


def test_a_page_is_known_by_its_bytes_or_suffix(tmp_path: Path) -> None:
    """A web page saved without .html is read as one by its first bytes; a .htm file as one by
    its suffix; a text file stays plain text (its lines are not dropped as page chrome)."""
    saved = tmp_path / "story.download"
    saved.write_text(PAGE, encoding="utf-8")
    assert [s.text for s in load_article(saved).sentences] == SPOKEN
    fragment = tmp_path / "story.htm"  # no doctype, no <html>: HTML by its name only
    fragment.write_text(
        f"<h1>{HEADLINE}</h1><p>{SPOKEN[1]} {SPOKEN[2]}</p><p>{SPOKEN[3]}</p>", encoding="utf-8"
    )
    assert [s.text for s in load_article(fragment).sentences] == SPOKEN
    plain = tmp_path / "story.txt"
    plain.write_text(f"{HEADLINE}\n\nThe <html> tag opens a page. It was seen on Friday.\n", encoding="utf-8")
    assert [s.text for s in load_article(plain).sentences][1] == "The <html> tag opens a page."
    with pytest.raises(InputError, match="file not found"):
        load_article(tmp_path / "missing.html")


def test_plain_text_at_an_address(server: MediaServer) -> None:
    """A text file at an address is read as a plain-text article."""
    url = server.url("good", "ferry.txt")
    article = load_article(url)
    assert [s.text for s in article.sentences] == SPOKEN and article.source == url
    with pytest.raises(AddressError) as failed:
        load_article(server.url("good", "nothing.txt"))
    assert str(failed.value).startswith(server.url("good", "nothing.txt") + ": the page could not be fetched")


# --- what needs review ------------------------------------------------------------------


def _timed(count: int, confidence: dict[str, float | None]) -> Article:
    """An article of ``count`` sentences (a headline and sentences s2…), all timed, with the
    given sentence confidences set by hand."""
    body = " ".join(f"Sentence number {i} was said." for i in range(2, count + 1))
    article = parse_article(f"A Headline Here\n\n{body}\n")
    assert len(article.sentences) == count
    times = {s.id: (i * 1000, i * 1000 + 900) for i, s in enumerate(article.sentences)}
    return article.with_times(times, confidence=confidence)


def test_review_summary_lists_the_unsure_sentences() -> None:
    assert review_summary(_timed(13, {})) == "No sentence needs review (the aligner gave no confidences)"
    sure = {f"s{i}": 0.9 for i in range(1, 14)}
    assert review_summary(_timed(13, sure)) == "No sentence needs review"
    unsure = sure | {"s4": 0.2, "s7": 0.49, "s12": 0.0, "s5": 0.5}  # 0.5 itself is sure enough
    assert review_summary(_timed(13, unsure)) == "3 sentences need review (confidence below 0.5): s4, s7, s12"
    assert review_summary(_timed(13, {"s2": 0.1})) == "1 sentence needs review (confidence below 0.5): s2"
    all_unsure = {f"s{i}": 0.1 for i in range(1, 13)}
    assert review_summary(_timed(13, all_unsure)) == (
        "12 sentences need review (confidence below 0.5): s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 and 2 more"
    )
    assert review_summary(_timed(13, all_unsure), limit=2).endswith(": s1, s2 and 10 more")


def test_an_untimed_sentence_is_not_listed() -> None:
    """A sentence not found in the recording is not to review, whatever its confidence."""
    article = _timed(4, {"s2": 0.1, "s3": 0.1})
    blocks = tuple(
        Block(
            b.kind, tuple(replace(s, start_ms=None, end_ms=None) if s.id == "s3" else s for s in b.sentences)
        )
        for b in article.blocks
    )
    article = replace(article, blocks=blocks)
    assert [s.confidence for s in article.sentences] == [None, 0.1, 0.1, None]
    assert review_summary(article) == "1 sentence needs review (confidence below 0.5): s2"


# --- the dialog -------------------------------------------------------------------------


def test_dialog_aligns_a_saved_web_page(qtbot, ferry, tmp_path: Path) -> None:
    """File > Align article… with a saved page: the article is timed and saved beside the media."""
    media_src, spans, page, _, _ = ferry
    media = tmp_path / media_src.name
    shutil.copy(media_src, media)
    dialog = AlignDialog(media, text_path=page)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.aligned, timeout=60_000) as blocker:
        dialog.start_button.click()
    assert blocker.args[0] == media.with_name("ferry.sync.json")
    assert_timed_like_spoken(load_sync(blocker.args[0]), spans)
    assert "review" in dialog.status.text()


def test_dialog_aligns_from_an_address(qtbot, ferry, server: MediaServer, tmp_path: Path) -> None:
    """An address typed in the field is fetched off the GUI thread, then aligned."""
    media_src, spans, _, _, _ = ferry
    media = tmp_path / media_src.name
    shutil.copy(media_src, media)
    url = server.url("good", "ferry-page.html")
    dialog = AlignDialog(media)
    qtbot.addWidget(dialog)
    dialog.text_edit.setText(url)
    with qtbot.waitSignal(dialog.aligned, timeout=60_000) as blocker:
        dialog.start_button.click()
        assert dialog.status.text() == f"Fetching the article from {url}…"
    article = load_sync(blocker.args[0])
    assert article.source == url
    assert_timed_like_spoken(article, spans)


def test_dialog_reports_a_bad_page_or_address(qtbot, ferry, server: MediaServer, tmp_path: Path) -> None:
    """A page with no article (at once) and a 404 address (from the worker) are shown in the
    dialog, which stays usable; nothing is written beside the media."""
    media_src, _, _, empty, _ = ferry
    media = tmp_path / media_src.name
    shutil.copy(media_src, media)
    dialog = AlignDialog(media, text_path=empty)
    qtbot.addWidget(dialog)
    dialog.start_button.click()
    assert dialog.status.text() == f"{empty}: no article text found in the web page"
    assert dialog.start_button.isEnabled() and not dialog.running
    url = server.url("good", "missing.html")
    dialog.text_edit.setText(f"  {url} ")
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "HTTP 404" in dialog.status.text(), timeout=20_000)
    assert dialog.status.text().startswith(f"{url}: the page could not be fetched: HTTP 404 Not Found")
    assert dialog.start_button.isEnabled()
    dialog.wait(10)
    assert files_in(tmp_path) == [media.name]


def test_dialog_file_picker_offers_web_pages(qtbot, ferry, monkeypatch: pytest.MonkeyPatch) -> None:
    """Browse… offers .html and .htm files beside text, and puts the chosen page in the field."""
    media, _, page, _, _ = ferry
    asked: list[str] = []

    def pick(parent: object, caption: str, folder: str, filters: str) -> tuple[str, str]:
        asked.append(filters)
        return str(page), filters.split(";;")[0]

    monkeypatch.setattr(align_dialog.QFileDialog, "getOpenFileName", staticmethod(pick))
    assert align_dialog.QFileDialog is QFileDialog
    dialog = AlignDialog(media)
    qtbot.addWidget(dialog)
    dialog._browse()
    assert asked and "*.html" in asked[0].split(";;")[0] and "*.htm)" in asked[0].split(";;")[0]
    assert "*.txt" in asked[0].split(";;")[0]
    assert dialog.text_edit.text() == str(page)
