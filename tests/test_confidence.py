"""The aligner's confidences: in the model, in the sync document (round trip, checks, older
documents unchanged), which sentences need review, and what hand edits do to them."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest

from clipsync.core.editing.edits import Boundary, Edge, EditState
from clipsync.core.editing.text_edits import change_text
from clipsync.core.editing.timing_edits import mark_not_in_recording, move_boundary, set_anchor
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync, save_sync, to_json
from clipsync.core.text.article import Article, Block, BlockKind, Sentence
from clipsync.core.text.review import REVIEW_BELOW, needs_review
from clipsync.core.text.words import NO_WORDS, WordTimes, fit_words

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "resources" / "schema"
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"

DOC = {
    "format": "clipsync-sync",
    "version": 2,
    "title": "Confidences",
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
                    "confidence": 0.912,
                    "words": [1000, 1350, 0, 5, 1400, 1800, 6, 11, 1900, 2500, 13, 18],
                    "word_confidence": [0.95, 0.31, 1],
                },
                {"id": "s2", "text": "Said, not sure.", "start_ms": 3000, "end_ms": 4000, "confidence": 0.2},
                {"id": "s3", "text": "Timed by hand.", "start_ms": 4000, "end_ms": 5000},
                {"id": "s4", "text": "Not said.", "start_ms": None, "end_ms": None},
            ],
        }
    ],
}


def write(tmp_path: Path, data: object, name: str = "doc.sync.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def schema(version: int) -> dict:
    return json.loads((SCHEMAS / f"clipsync-sync-{version}.schema.json").read_text(encoding="utf-8"))


def test_confidences_round_trip_through_save_and_load(tmp_path: Path) -> None:
    """Sentence and word confidences load into the model, are saved (3 decimals, a sentence's
    word confidences on one line) and load back the same; the schema accepts the document."""
    article = load_sync(write(tmp_path, DOC))
    s1, s2, s3 = (article.sentence(sid) for sid in ("s1", "s2", "s3"))
    assert s1.confidence == 0.912 and s1.word_confidence == (0.95, 0.31, 1.0)
    assert s2.confidence == 0.2 and s2.word_confidence == () and s2.words is NO_WORDS
    assert s3.confidence is None and article.sentence("s4").confidence is None
    save_sync(article, tmp_path / "again.sync.json")
    saved = (tmp_path / "again.sync.json").read_text(encoding="utf-8")
    assert '"word_confidence": [0.95,0.31,1.0]' in saved
    assert '"confidence": 0.912,' in saved
    again = load_sync(tmp_path / "again.sync.json")
    assert again == article
    assert json.loads(saved) == {
        **DOC,
        "language": "en",
        "source": "",
        "speakers": {},
        "quotes": [],
        "blocks": [
            {
                "kind": "paragraph",
                "sentences": [
                    {**DOC["blocks"][0]["sentences"][0], "word_confidence": [0.95, 0.31, 1.0]},
                    *DOC["blocks"][0]["sentences"][1:],
                ],
            }
        ],
    }
    validator = jsonschema.Draft202012Validator(schema(2))
    validator.validate(json.loads(saved))
    assert not validator.is_valid({**DOC, "blocks": [{"kind": "paragraph", "sentences": [
        {**DOC["blocks"][0]["sentences"][1], "confidence": 1.5}]}]})  # fmt: skip


def test_only_some_sentences_may_have_word_confidences(tmp_path: Path) -> None:
    doc = with_first(word_confidence=None)
    doc["blocks"][0]["sentences"][1] |= {"words": [3000, 3400, 0, 4, 3500, 3900, 6, 9],
                                         "word_confidence": [0.125, 0]}  # fmt: skip
    article = load_sync(write(tmp_path, doc))
    assert article.sentence("s1").word_confidence == () and len(article.sentence("s1").words) == 3
    assert article.sentence("s2").word_confidence == (0.125, 0.0)
    save_sync(article, tmp_path / "again.sync.json")
    assert load_sync(tmp_path / "again.sync.json") == article


def test_confidences_are_rounded_to_three_decimals() -> None:
    words = WordTimes([0, 500], [500, 900], [0, 4], [3, 9], confidence=[0.123456, 0.9999])
    article = Article(
        "t", (Block(BlockKind.PARAGRAPH, (Sentence("a", "One three.", 0, 1000, words, 0.87654),)),)
    )
    sentence = to_json(article)["blocks"][0]["sentences"][0]
    assert sentence["confidence"] == 0.877 and sentence["word_confidence"] == [0.123, 1.0]


def test_a_document_without_words_keeps_version_1_and_its_confidences(tmp_path: Path) -> None:
    """Confidence is optional in any version: a text with confidences but no word times is
    still saved as version 1, which the version 1 schema accepts."""
    article = Article(
        "t",
        (Block(BlockKind.PARAGRAPH, (Sentence("a", "One.", 0, 900, confidence=0.4), Sentence("b", "Two."))),),
    )
    out = to_json(article)
    assert out["version"] == 1 and out["blocks"][0]["sentences"][0]["confidence"] == 0.4
    jsonschema.validate(out, schema(1))
    save_sync(article, tmp_path / "v1.sync.json")
    assert load_sync(tmp_path / "v1.sync.json") == article


def test_documents_without_confidence_load_and_save_byte_for_byte(tmp_path: Path) -> None:
    """The bundled document (from before confidences) loads with none, and is saved exactly as
    it is, byte for byte."""
    article = load_sync(SYNC)
    assert all(s.confidence is None and s.word_confidence == () for s in article.sentences)
    assert needs_review(article) == []
    save_sync(article, tmp_path / "syria.sync.json")
    assert (tmp_path / "syria.sync.json").read_bytes() == SYNC.read_bytes()


def with_first(**changes: object) -> dict:
    """DOC with the first sentence's keys changed (``None`` removes one)."""
    doc = json.loads(json.dumps(DOC))
    sentence = doc["blocks"][0]["sentences"][0]
    for key, value in changes.items():
        if value is None:
            sentence.pop(key)
        else:
            sentence[key] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "where", "message"),
    [
        (with_first(confidence=2.0), "confidence", "expected a number from 0 to 1, got 2.0"),
        (with_first(confidence=-0.1), "confidence", "expected a number from 0 to 1, got -0.1"),
        (with_first(confidence="x"), "confidence", "expected a number from 0 to 1, got str 'x'"),
        (with_first(confidence=True), "confidence", "expected a number from 0 to 1, got bool True"),
        (with_first(confidence=math.nan), "confidence", "expected a number from 0 to 1, got nan"),
        (with_first(word_confidence=[0.9, 0.8]), "word_confidence", "2 confidences for 3 words"),
        (with_first(word_confidence=[0.9, 0.8, 0.7, 0.6]), "word_confidence", "4 confidences for 3 words"),
        (with_first(word_confidence=[0.9, "x", 0.7]), "word_confidence[1]", "got str 'x'"),
        (with_first(word_confidence=[0.9, 0.8, 2.0]), "word_confidence[2]", "got 2.0"),
        (with_first(word_confidence=[0.9, False, 0.7]), "word_confidence[1]", "got bool False"),
        (with_first(word_confidence="0.9 0.8 0.7"), "word_confidence", "expected a list of numbers"),
        (with_first(words=None), "word_confidence", "a sentence without words has no word confidences"),
    ],
)
def test_bad_confidences_are_refused_naming_file_line_and_problem(
    tmp_path: Path, doc: dict, where: str, message: str
) -> None:
    path = write(tmp_path, doc)
    with pytest.raises(InputError) as caught:
        load_sync(path)
    text = str(caught.value)
    assert str(path) in text and f"blocks[0].sentences[0].{where}: " in text and message in text
    assert caught.value.line == 14  # the sentence's "id" line


def test_a_version_1_document_with_older_word_lists_takes_word_confidences(tmp_path: Path) -> None:
    doc = with_first(words=[{"text": "Hello", "start_ms": 1000, "end_ms": 1350},
                            {"text": "world", "start_ms": 1900, "end_ms": 2500}],
                     word_confidence=[0.5, 0.25])  # fmt: skip
    doc["version"] = 1
    assert load_sync(write(tmp_path, doc)).sentence("s1").word_confidence == (0.5, 0.25)


def paragraph(*sentences: Sentence) -> Article:
    return Article("t", (Block(BlockKind.PARAGRAPH, sentences),))


def test_needs_review_lists_the_unsure_timed_sentences_in_reading_order() -> None:
    """Known, under REVIEW_BELOW (0.5), timed: in reading order; unknown, sure, exactly 0.5
    or not in the recording: not listed."""
    assert REVIEW_BELOW == 0.5
    article = Article(
        "t",
        (
            Block(BlockKind.HEADLINE, (Sentence("h", "Head.", 0, 500, confidence=0.1),)),
            Block(
                BlockKind.PARAGRAPH,
                (
                    Sentence("a", "Sure.", 500, 900, confidence=0.93),
                    Sentence("b", "Half.", 900, 1000, confidence=0.5),
                    Sentence("c", "Hand.", 1000, 1500),
                    Sentence("d", "Not said.", confidence=0.05),
                    Sentence("e", "Unsure.", 1500, 2000, confidence=0.49),
                    Sentence("f", "Zero.", 2000, 2100, confidence=0.0),
                ),
            ),
        ),
    )
    assert [s.id for s in needs_review(article)] == ["h", "e", "f"]
    assert [s.id for s in needs_review(article, below=0.95)] == ["h", "a", "b", "e", "f"]
    assert needs_review(article, below=0.0) == []


def test_word_confidences_go_with_their_word_times() -> None:
    """One number a word, 0 to 1; part of the words' equality; given to fit_words; refused
    when the count or a number is wrong."""
    words = WordTimes([0, 500], [500, 900], [0, 4], [3, 9])
    sure = words.with_confidence([0.25, 1])
    assert words.confidence == () and sure.confidence == (0.25, 1.0) and list(sure) == list(words)
    assert sure != words and sure == WordTimes.of(words).with_confidence([0.25, 1.0])
    assert sure.with_confidence(None) == words
    assert "with_confidence([0.25, 1.0])" in repr(sure)
    fitted = fit_words([(0, 3), (4, 9)], [(0, 500), (400, 900)], 0, 1000, confidence=[0.5, 0.75])
    assert fitted.confidence == (0.5, 0.75)
    assert fit_words([(0, 3), (4, 9)], [(0, 500), (400, 900)], 0, 1000).confidence == ()
    with pytest.raises(ValueError, match="1 confidences for 2 words"):
        words.with_confidence([0.5])
    with pytest.raises(ValueError, match="from 0 to 1"):
        words.with_confidence([0.5, 1.5])
    assert Sentence("a", "One three.", 0, 1000, sure).word_confidence == (0.25, 1.0)


def test_with_times_keeps_a_confidence_only_for_the_same_times() -> None:
    article = paragraph(
        Sentence("a", "One.", 0, 900, confidence=0.3),
        Sentence("b", "Two.", 900, 1800, confidence=0.4),
        Sentence("c", "Three.", 1800, 2500, confidence=0.45),
    )
    new = article.with_times({"a": (0, 900), "b": (950, 1800), "c": (1800, 2400)}, confidence={"c": 0.8})
    assert [s.confidence for s in new.sentences] == [0.3, None, 0.8]
    assert new.with_times({"a": None}).sentence("a").confidence is None


def test_hand_edits_and_confidence() -> None:
    """What the timing edits (core/editing) do: they rebuild sentences with dataclasses.replace,
    so a sentence's own confidence stays with it (the edited sentence becomes an anchor, which
    the editor's review list leaves out and Save writes without confidence), while new word
    times, made by every edit that moves words or changes the text, come without confidences."""
    words = WordTimes([1000, 1400], [1350, 2500], [0, 6], [5, 11], confidence=[0.9, 0.2])
    s = Sentence("s1", "Hello world.", 1000, 2500, words, 0.3)
    other = Sentence("s2", "Next one.", 2500, 4000, confidence=0.2)
    state = EditState(paragraph(s, other))

    moved = move_boundary(state, Boundary("s1", Edge.START), 1100).apply(state)
    got = moved.article.sentence("s1")
    assert got.start_ms == 1100 and got.confidence == 0.3 and got.word_confidence == ()
    assert "s1" in moved.anchors
    one_word = move_boundary(state, Boundary("s1", Edge.END, 0), 1300).apply(state).article.sentence("s1")
    assert one_word.words[0].end_ms == 1300 and one_word.word_confidence == ()
    # The neighbour pushed by a moved end keeps its confidence and is no anchor.
    pushed = move_boundary(state, Boundary("s1", Edge.END), 2700).apply(state)
    assert pushed.article.sentence("s2").start_ms == 2700 and pushed.article.sentence("s2").confidence == 0.2
    assert "s2" not in pushed.anchors
    typed = change_text(state, "s1", "Hello, big world.").apply(state).article.sentence("s1")
    assert typed.confidence == 0.3 and typed.word_confidence == ()
    gone = mark_not_in_recording(state, "s1").apply(state)
    assert gone.article.sentence("s1").words is NO_WORDS and gone.article.sentence("s1").word_confidence == ()
    assert needs_review(gone.article) == [other]
    locked = set_anchor(state, "s1", True).apply(state)
    assert locked.article.sentence("s1") == s  # the lock changes the anchors, not the sentence
    # Undo puts the aligner's confidences back.
    undone = move_boundary(state, Boundary("s1", Edge.START), 1100).revert(moved)
    assert undone.article.sentence("s1") == s
