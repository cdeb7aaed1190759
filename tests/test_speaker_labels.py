"""A speaker label stands only over that speaker's own words (DCMP Captioning Key: a new caption
for a new speaker). On the bundled clip, for each quoted speaker: every caption with a label
holds only that speaker's words, every caption without one only narration, in all three
presentations, and the exported WebVTT keeps the voices to the quoted words."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipsync.core.captions.captions import CaptionPage, CaptionTrack
from clipsync.core.formats.subtitles import article_from_cues, read_vtt, write_vtt
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Sentence

CLIP_SYNC = Path(__file__).resolve().parents[1] / "resources" / "clip" / "syria.sync.json"
SPEAKERS = ["John Kirby", "Stephen O’Brien", "Samantha Power", "John Kerry"]


@pytest.fixture(scope="module")
def article() -> Article:
    return load_sync(CLIP_SYNC)


def voices_of(article: Article, sentence: Sentence, page: CaptionPage) -> set[str | None]:
    """Who says each letter or digit of ``page``: a quote's speaker, or ``None`` (narration)."""
    owner: dict[int, str] = {}
    for quote, part in article.quotes_in(sentence.id):
        owner.update((k, quote.speaker.name) for k in range(part.char_start, part.char_end))
    return {
        owner.get(k)
        for line in page.lines
        for k in range(line.char_start, line.char_end)
        if sentence.text[k].isalnum()
    }


def sentences_quoting(article: Article, speaker: str) -> list[Sentence]:
    ids = {p.sentence_id for q in article.quotes if q.speaker.name == speaker for p in q.parts}
    return [s for s in article.sentences if s.id in ids]


@pytest.mark.parametrize("speaker", SPEAKERS)
def test_a_label_stands_only_over_its_speakers_words(article: Article, speaker: str) -> None:
    track = CaptionTrack(article)
    labelled = narration = 0
    for sentence in sentences_quoting(article, speaker):
        for page in track.pages(sentence):
            voices = voices_of(article, sentence, page)
            assert voices == {page.speaker}, (page.speaker, page.text_lines)
            labelled += page.speaker == speaker
            narration += page.speaker is None
    assert labelled >= 1
    if speaker != "Samantha Power":  # her later sentences are all quote
        assert narration >= 1


@pytest.mark.parametrize("presentation", ["pop_on", "roll_up", "paint_on"])
def test_every_frame_of_the_clip_is_one_voice(article: Article, presentation: str) -> None:
    """Every 40 ms of the clip: each line on screen belongs to a page of the frame's speaker
    (pages are one voice each, see above; roll-up starts afresh where the voice changes)."""
    track = CaptionTrack(article)
    voice_of_line: dict[str, set[str | None]] = {}
    for sentence in article.sentences:
        for page in track.pages(sentence):
            for line in page.text_lines:
                voice_of_line.setdefault(line, set()).add(page.speaker)
    labelled: set[str] = set()
    for position in range(0, 217_000, 40):
        frame = track.frame_at(position, presentation)
        if frame is None:
            continue
        for line in frame.layout_lines or frame.lines:
            assert voice_of_line[line] == {frame.speaker}, (position, frame)
        if frame.speaker:
            labelled.add(frame.speaker)
    assert labelled == set(SPEAKERS)


def test_at_1_53_obrien_is_named_over_his_words_only(article: Article) -> None:
    """The caption the issue showed: "He said east Aleppo has descended" is narration, then
    O'Brien's label comes with "“into the pitiless…"."""
    track = CaptionTrack(article)
    before = track.frame_at(112_000)
    assert before is not None and before.speaker is None
    assert before.lines == ("He said east Aleppo has descended",)
    after = track.frame_at(113_500)
    assert after is not None and after.speaker == "Stephen O’Brien"
    assert after.lines[0].startswith("“into the pitiless")


def test_exported_webvtt_voices_hold_the_quoted_words_only(article: Article, tmp_path: Path) -> None:
    """Each voice span of the export is exactly a quote part, and the captions of the WebVTT
    read back carry the same labels over the same words."""
    path = tmp_path / "syria.vtt"
    write_vtt(article, path)
    cues = read_vtt(path)
    parts = {
        (p.sentence_id, p.char_start, p.char_end, q.speaker.name) for q in article.quotes for p in q.parts
    }
    voices = {(cue.identifier, start, end, name) for cue in cues for start, end, name in cue.voices}
    assert voices == parts
    again = article_from_cues(cues, title="syria")
    original, read_back = CaptionTrack(article), CaptionTrack(again)
    timed = [s for s in article.sentences if s.timed]
    assert len(timed) == len(again.sentences)
    for before, after in zip(timed, again.sentences, strict=True):
        assert [(p.speaker, p.text_lines) for p in original.pages(before)] == [
            (p.speaker, p.text_lines) for p in read_back.pages(after)
        ]
