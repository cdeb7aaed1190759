"""Word times: the model, sync document versions 1 and 2, and the word lookup."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync, save_sync, to_json
from clipsync.core.text.article import Article, Block, BlockKind, Sentence
from clipsync.core.text.lookup import TranscriptIndex
from clipsync.core.text.words import NO_WORDS, Word, WordTimes, fit_words

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "resources" / "schema"
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"

V2 = {
    "format": "clipsync-sync",
    "version": 2,
    "title": "Words",
    "media": {"file": "a.mp4", "duration_ms": 10000},
    "blocks": [
        {
            "kind": "paragraph",
            "sentences": [
                {
                    "id": "s1",
                    "text": "Hello there, world.",
                    "start_ms": 1000,
                    "end_ms": 2500,
                    "words": [1000, 1350, 0, 5, 1400, 1800, 6, 11, 1900, 2500, 13, 18],
                },
                {"id": "s2", "text": "No words here.", "start_ms": 3000, "end_ms": 4000},
                {"id": "s3", "text": "Not said.", "start_ms": None, "end_ms": None},
            ],
        }
    ],
}


def write(tmp_path: Path, data: object, name: str = "doc.sync.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_version_2_round_trip_keeps_word_times(tmp_path: Path) -> None:
    """A v2 document loads with its words and saves back to the same JSON, still version 2."""
    article = load_sync(write(tmp_path, V2))
    s1 = article.sentence("s1")
    assert [w.text_in(s1.text) for w in s1.words] == ["Hello", "there", "world"]
    assert s1.words[1] == Word(1400, 1800, 6, 11)
    assert article.sentence("s2").words is NO_WORDS
    save_sync(article, tmp_path / "again.sync.json")
    again = load_sync(tmp_path / "again.sync.json")
    assert again == article
    saved = (tmp_path / "again.sync.json").read_text()
    assert '"words": [1000,1350,0,5,1400,1800,6,11,1900,2500,13,18]' in saved  # on one line
    assert json.loads(saved) == {
        **V2,
        "language": "en",
        "source": "",
        "speakers": {},
        "quotes": [],
    }
    jsonschema.validate(to_json(article), json.loads((SCHEMAS / "clipsync-sync-2.schema.json").read_text()))


def test_version_1_still_loads_and_saves_as_version_1(tmp_path: Path) -> None:
    """The bundled v1-style document without words loads, and saves byte for byte the same."""
    source = tmp_path / "v1.sync.json"
    source.write_text(
        SYNC.read_text(encoding="utf-8").replace('"version": 2', '"version": 1'), encoding="utf-8"
    )
    doc = json.loads(source.read_text())
    for block in doc["blocks"]:
        for sentence in block["sentences"]:
            sentence.pop("words", None)
    write(tmp_path, doc, "plain.sync.json")
    article = load_sync(tmp_path / "plain.sync.json")
    assert not any(s.words for s in article.sentences)
    out = to_json(article)
    assert out["version"] == 1
    jsonschema.validate(out, json.loads((SCHEMAS / "clipsync-sync-1.schema.json").read_text()))
    save_sync(article, tmp_path / "again.sync.json")
    assert load_sync(tmp_path / "again.sync.json") == article


def test_version_1_words_from_older_align_get_their_characters(tmp_path: Path) -> None:
    """v1's undocumented word list (text and times) is read: each word is found in the text."""
    doc = json.loads(json.dumps(V2))
    doc["version"] = 1
    doc["blocks"][0]["sentences"][0]["words"] = [
        {"text": "Hello", "start_ms": 1000, "end_ms": 1350},
        {"text": "there", "start_ms": 1400, "end_ms": 1800},
        {"text": "world", "start_ms": 1900, "end_ms": 2500},
    ]
    article = load_sync(write(tmp_path, doc))
    assert article == load_sync(write(tmp_path, V2, "v2.sync.json"))
    assert to_json(article)["version"] == 2


def broken(words: object = None, version: int = 2, **at: object) -> dict:
    """V2 with the first sentence's words replaced, or with single numbers changed
    (``w1_start=1300``: word 1's start; fields start, end, cs, ce)."""
    doc = json.loads(json.dumps(V2))
    doc["version"] = version
    sentence = doc["blocks"][0]["sentences"][0]
    if words is not None:
        sentence["words"] = words
    for key, value in at.items():
        word, field = key[1:].split("_")
        sentence["words"][int(word) * 4 + ["start", "end", "cs", "ce"].index(field)] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            broken(version=7),
            "format version 7, newer than this clipsync reads (versions 1 to 2): update clipsync",
        ),
        (broken(words=[1000, 1350, 0, 5, 1400]), "four integers a word"),
        (broken(w2_start=2600), "not after start_ms"),
        (broken(w1_start=1300), "word 1 starts at 1300 ms, before word 0 ends at 1350 ms"),
        (broken(w0_start=900), "outside the sentence's 1000..2500 ms"),
        (broken(w2_ce=40), "outside the sentence's 19 characters"),
        (broken(w1_cs=3), "word 1 starts at character 3, inside word 0"),
        (broken(w1_cs=6.5), "expected integers, got 6.5"),
        (broken(w1_end=True), "expected integers, got True"),
        (broken(w2_end=2**40), "too large"),
        (broken(words={"start_ms": [1000]}), "expected a list of numbers, got dict"),
        (broken(words="1000 1350 0 5"), "expected a list of numbers, got str"),
    ],
)
def test_bad_word_times_are_refused_with_a_clear_message(tmp_path: Path, doc: dict, message: str) -> None:
    """Each kind of bad word data raises InputError naming the file, the sentence and the reason."""
    path = write(tmp_path, doc)
    with pytest.raises(InputError) as caught:
        load_sync(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    if "newer" not in message:
        assert "blocks[0].sentences[0].words" in str(caught.value)
        assert caught.value.line == 14  # the sentence's "id" line


def test_fit_words_always_gives_valid_words() -> None:
    """Rough aligner times (overlapping, outside the sentence) become valid words."""
    words = fit_words([(0, 2), (3, 5), (6, 9)], [(50, 300), (250, 260), (255, 900)], 100, 500)
    assert words.problem(9, 100, 500) is None
    assert [w.start_ms for w in words] == [100, 250, 255]
    assert fit_words([(0, 2), (3, 5)], [(0, 1), (1, 2)], 100, 101) is NO_WORDS


# Lookup against a brute-force scan ------------------------------------------------------


@st.composite
def worded_articles(draw: st.DrawFn) -> Article:
    """Timed sentences with gaps, each with 0..8 words (some with pauses between them)."""
    sentences = []
    t = draw(st.integers(0, 50))
    for i in range(draw(st.integers(1, 12))):
        t += draw(st.integers(0, 40))
        n = draw(st.integers(0, 8))
        starts, ends, cs, ce = [], [], [], []
        start = t
        pos = 0
        for _ in range(n):
            t += draw(st.integers(0, 15))
            starts.append(t)
            t += draw(st.integers(1, 30))
            ends.append(t)
            cs.append(pos)
            pos += draw(st.integers(1, 6))
            ce.append(pos)
            pos += 1
        t += draw(st.integers(1, 20))
        text = "x" * max(pos, 1)
        words = WordTimes(starts, ends, cs, ce)
        assert words.problem(len(text), start, t) is None
        sentences.append(Sentence(f"s{i}", text, start, t, words))
    return Article("t", (Block(BlockKind.PARAGRAPH, tuple(sentences)),))


@settings(max_examples=200, deadline=None)
@given(worded_articles(), st.lists(st.integers(-5, 1500), min_size=1, max_size=40))
def test_word_lookup_matches_a_brute_force_scan(article: Article, positions: list[int]) -> None:
    """word_at (last word started) and word_at(strict) agree with scanning every word."""
    index = TranscriptIndex(article)
    for p in positions:
        current = [s for s in article.sentences if s.start_ms <= p < s.end_ms]  # type: ignore[operator]
        said = [(s.id, k) for s in current for k, w in enumerate(s.words) if w.start_ms <= p < w.end_ms]
        started = [(s.id, k) for s in current for k, w in enumerate(s.words) if w.start_ms <= p]
        got = index.word_at(p)
        assert (None if got is None else (got[0].sentence.id, got[1])) == (started[-1] if started else None)
        strict = index.word_at(p, strict=True)
        assert (None if strict is None else (strict[0].sentence.id, strict[1])) == (said[0] if said else None)


@settings(max_examples=100, deadline=None)
@given(worded_articles())
def test_word_times_survive_a_save_and_load(article: Article) -> None:
    """Any valid words round-trip through a v2 document unchanged."""
    from clipsync.core.formats.syncdoc import dumps, parse_sync

    assert parse_sync(json.loads(dumps(to_json(article)))) == article


def test_exports_quotes_and_search_text_are_the_same_for_v1_and_v2(tmp_path: Path, qapp: object) -> None:
    """The bundled document with and without its word times: the same quotes, quote card text,
    SRT and plain text, the same article text to search; WebVTT differs only by its karaoke
    time stamps."""
    from clipsync.core.formats.subtitles import read_vtt, write_plain, write_srt, write_vtt
    from clipsync.ui.text.article_view import ArticleView
    from clipsync.ui.text.quotes_panel import quote_text

    doc = json.loads(SYNC.read_text(encoding="utf-8"))
    for block in doc["blocks"]:
        for sentence in block["sentences"]:
            sentence.pop("words", None)
    doc["version"] = 1
    v1 = load_sync(write(tmp_path, doc, "v1.sync.json"))
    v2 = load_sync(SYNC)
    assert any(s.words for s in v2.sentences) and not any(s.words for s in v1.sentences)
    out = {}
    for name, article in (("v1", v1), ("v2", v2)):
        write_vtt(article, tmp_path / f"{name}.vtt")
        write_srt(article, tmp_path / f"{name}.srt")
        write_plain(article, tmp_path / f"{name}.txt")
        view = ArticleView()
        view.set_article(article)
        out[name] = (
            [quote_text(article, q) for q in article.quotes],
            (tmp_path / f"{name}.srt").read_text(encoding="utf-8"),
            (tmp_path / f"{name}.txt").read_text(encoding="utf-8"),
            [(c.start_ms, c.end_ms, c.text, c.voices) for c in read_vtt(tmp_path / f"{name}.vtt")],
            view.text.toPlainText(),
        )
    assert out["v1"] == out["v2"]
    assert "<00:" in (tmp_path / "v2.vtt").read_text(encoding="utf-8")
    assert "<00:" not in (tmp_path / "v1.vtt").read_text(encoding="utf-8")


def test_a_lines_block_needs_version_2(tmp_path: Path) -> None:
    """A block of lines is written as version 2 and refused in a version 1 document."""
    doc = json.loads(json.dumps(V2))
    doc["blocks"][0]["kind"] = "lines"
    article = load_sync(write(tmp_path, doc))
    assert to_json(article)["version"] == 2
    for sentence in doc["blocks"][0]["sentences"]:
        sentence.pop("words", None)
    assert to_json(load_sync(write(tmp_path, doc, "plain.sync.json")))["version"] == 2
    doc["version"] = 1
    with pytest.raises(InputError, match="block kind 'lines' needs format version 2"):
        load_sync(write(tmp_path, doc, "old.sync.json"))
