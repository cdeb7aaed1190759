"""Aligning an article that is not a transcript, on real human voices (LibriVox's Sonnet 1 and
another speaker from pocketsphinx's test recordings), with exact truth: each piece is trimmed
and placed at a known time (see benchmarks/align_untranscribed.py, which these tests share)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from align_untranscribed import LINES, Composition, Cuts, _article, _recording, added_cuts, line_cuts

from clipsync.core.alignment import align_article, confidence, grammar
from clipsync.core.alignment.synthetic import join_recordings, read_recording

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cuts(tmp_path_factory: pytest.TempPathFactory) -> Cuts:
    return Cuts.make(tmp_path_factory.mktemp("cuts"))


def _align(comp: Composition, cuts: Cuts, out: Path, bed: str = ""):
    """Compose ``comp``, align its text; the result's sentences, the text's indices of the
    pieces heard and where each piece is heard."""
    pieces = comp.pieces()
    sentences, where = comp.text()
    recordings = [(k, _recording(kind, k, cuts)) for kind, k in pieces]
    kw = {"bed": bed, "bed_db": -20.0} if bed else {}
    spans = join_recordings(recordings, out, pause_ms=[600] * len(recordings), **kw)  # type: ignore[arg-type]
    result = align_article(out, _article(sentences))
    heard = [
        (where.get(piece, -1), (span.start_ms, span.end_ms))
        for piece, span in zip(pieces, spans, strict=True)
    ]
    return result.article.sentences, heard


def _overlap(a: int, b: int, s: int, e: int) -> int:
    return min(b, e) - max(a, s)


def test_unread_sentences_stay_untimed_and_other_speech_belongs_to_no_sentence(cuts, tmp_path) -> None:
    """Lines 2 and 5 (and 7 to 13) of the sonnet are never read; another speaker talks for 1.5 s and
    3.5 s where they would be. The unread lines get no time, no line covers the other voice,
    and every read line is timed within 60 ms of the truth."""
    comp = Composition("", "L0 L1 O:short L3 L4 O:long L6")
    got, heard = _align(comp, cuts, tmp_path / "c.m4a")
    assert not got[2].timed and not got[5].timed
    for said, (s, e) in heard:
        if said < 0:
            assert all(not x.timed or _overlap(x.start_ms, x.end_ms, s, e) <= 50 for x in got)
        else:
            sentence = got[said]
            assert sentence.timed, sentence.text
            assert abs(sentence.start_ms - s) <= 60 and abs(sentence.end_ms - e) <= 60, (sentence, s, e)


def test_speech_before_the_first_sentence_is_not_taken_by_it(cuts, tmp_path) -> None:
    """An intro by another voice (2.8 s) before the first line: the first line starts where its
    reader starts, not at the intro, under a noise bed too."""
    comp = Composition("", "O:intro L0 L1 L2")
    for bed in ("", "noise"):
        got, heard = _align(comp, cuts, tmp_path / f"intro{bed}.m4a", bed)
        first_start = heard[1][1][0]
        assert got[0].timed and abs(got[0].start_ms - first_start) <= 60, (bed, got[0], first_start)


def test_a_quote_said_by_another_voice_inside_the_reading_is_found_and_timed(cuts, tmp_path) -> None:
    """The text has a quote ("Go forward ten meters.") between two lines; it is said by another
    speaker inside the reading. It is timed on that speaker's words, and its neighbours on theirs."""
    comp = Composition("", "L0 Q:intro L1")
    got, heard = _align(comp, cuts, tmp_path / "quote.m4a")
    for said, (s, e) in heard:
        sentence = got[said]
        assert sentence.timed, sentence.text
        assert abs(sentence.start_ms - s) <= 60 and abs(sentence.end_ms - e) <= 60, (
            sentence.text,
            sentence,
            s,
            e,
        )


def test_a_line_read_with_words_left_out_is_timed_on_what_is_said(cuts, tmp_path) -> None:
    """Line 4 is read without "thine own": the line is timed from its first word to its last
    (within 60 ms), "thine" and "own" have no time in its word list, and its other words do."""
    comp = Composition("", "L0 P4 L5")
    got, heard = _align(comp, cuts, tmp_path / "partial.m4a")
    line = got[4]
    s, e = heard[1][1]
    assert line.timed and abs(line.start_ms - s) <= 60 and abs(line.end_ms - e) <= 60, (line, s, e)
    timed = [w.text_in(line.text) for w in line.words]
    assert timed == ["But", "thou", "contracted", "to", "bright", "eyes"], timed


@pytest.mark.parametrize("bed", ["", "noise"])
def test_words_added_inside_a_line_are_in_no_words_time(bed, tmp_path) -> None:
    """Line 8 is read with "to thy" (the reader's own words, 0.5 s) added after "now": the line is
    timed from its first word to its last (within 60 ms), and no word of the text is stretched
    over the added words (at most 100 ms of them inside any word's time)."""
    lines = line_cuts(tmp_path)
    path, at = added_cuts(tmp_path, {8: (32340, 27620, 28140)})[8]
    kw = {"bed": bed, "bed_db": -20.0} if bed else {}
    spans = join_recordings(
        [("0", lines[0]), ("8", path), ("9", lines[9])], tmp_path / "a.m4a", pause_ms=[600] * 3, **kw
    )  # type: ignore[arg-type]
    line = align_article(tmp_path / "a.m4a", _article(LINES)).article.sentences[8]
    s, e = spans[1].start_ms, spans[1].end_ms
    assert line.timed and abs(line.start_ms - s) <= 60 and abs(line.end_ms - e) <= 60, (line, s, e)
    a, b = s + at, s + at + 520
    inside = {w.text_in(line.text): min(b, w.end_ms) - max(a, w.start_ms) for w in line.words}
    assert max(inside.values()) <= 100, inside


def test_every_timed_sentence_and_word_has_a_confidence(cuts, tmp_path) -> None:
    """Confidence is between 0 and 1 for each timed sentence and each of its words; a line read
    as written is confident; an unread line has none."""
    comp = Composition("", "L0 L1 L3")
    got, _heard = _align(comp, cuts, tmp_path / "conf.m4a")
    for sentence in got[:4]:
        if not sentence.timed:
            assert sentence.confidence is None
            continue
        assert sentence.confidence is not None and 0.5 <= sentence.confidence <= 1, sentence
        assert len(sentence.word_confidence) == len(sentence.words)
        assert all(0 <= c <= 1 for c in sentence.word_confidence)
    assert not got[2].timed


def test_text_forced_onto_speech_that_does_not_say_it_gets_low_confidence(cuts) -> None:
    """The confidence measure itself: each of four lines forced onto its own recording is
    confident; forced onto another line's recording, it is not (the recording's usual gap is
    that of its own line)."""
    decoder = grammar.decoder()
    plan = grammar.prepare(decoder, _article(LINES).sentences)
    for i in range(4):
        pcm = (read_recording(cuts.lines[i]) * 32767).astype(np.int16)
        n = len(pcm) // 160 + 1
        gaps = {}
        for j in (i, (i + 5) % 14):
            name = f"t{i}-{j}"
            grammar.activate_grammar(decoder, plan, [j], name, cut=False)
            decoder.start_utt()
            decoder.process_raw(pcm.tobytes(), False, True)
            decoder.end_utt()
            segs = list(decoder.seg() or ())
            decoder.remove_search(name)
            words = [s for s in segs if not (s.word.startswith(("<", "[")) or s.word == "(NULL)")]
            if words:
                forced = confidence.frame_scores(segs, n)
                gaps[j] = confidence.gap(forced, words[0].start_frame, words[-1].end_frame + 1)
        usual = gaps[i]
        assert usual is not None and confidence.confidence(usual, usual) >= 0.5, (i, gaps)
        wrong = gaps.get((i + 5) % 14)  # absent: the search gave the wrong text up altogether
        assert wrong is None or confidence.confidence(wrong, usual) < 0.5, (i, gaps)
