"""The bundled clip and its article: complete, in order, exactly timed, and 3:37 long."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clipsync.core.formats.subtitles import cues_from_article, read_vtt
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import BlockKind
from conftest import CLIP_DIR, SEED_ARTICLE


def seed_body_paragraphs() -> list[str]:
    """The article body from the captured page: the paragraphs after the player chrome."""
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    start = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"[\d:\s]+", p)) + 1
    return paragraphs[start:]


def test_every_body_sentence_appears_once_in_order(clip_sync: Path) -> None:
    """Each body paragraph of the seed is exactly the document's paragraph, sentence by sentence."""
    article = load_sync(clip_sync)
    paragraphs = [b for b in article.blocks if b.kind is BlockKind.PARAGRAPH]
    seed = seed_body_paragraphs()
    assert [" ".join(s.text for s in b.sentences) for b in paragraphs] == seed
    body = " ".join(seed)
    for sentence in article.body_sentences():
        assert body.count(sentence.text) == 1, sentence.text


def test_no_page_chrome_in_the_article(clip_sync: Path) -> None:
    """Accessibility links, please wait and player times are not article text."""
    text = " ".join(s.text for s in load_sync(clip_sync).sentences)
    for chrome in ("Accessibility links", "please wait", "No media source", "0:00", "Breaking News"):
        assert chrome not in text


def test_times_increase_and_end_within_the_clip(clip_sync: Path) -> None:
    """Every sentence is timed, times increase, the last ends within 3:37."""
    article = load_sync(clip_sync)
    assert article.duration_ms == 217_000
    previous_end = 0
    for sentence in article.sentences:
        assert sentence.timed, sentence.id
        assert previous_end <= sentence.start_ms < sentence.end_ms  # type: ignore[operator]
        previous_end = sentence.end_ms  # type: ignore[assignment]
    assert previous_end <= 217_000


def test_quotes_and_speakers(clip_sync: Path) -> None:
    """The four speakers and their six quotes, split quotes as one quote with several parts."""
    article = load_sync(clip_sync)
    assert sorted(s.name for s in article.speakers) == [
        "John Kerry",
        "John Kirby",
        "Samantha Power",
        "Stephen O’Brien",
    ]
    by_speaker = {}
    for quote in article.quotes:
        by_speaker.setdefault(quote.speaker.name, []).append(len(quote.parts))
        for part in quote.parts:
            assert part.start_ms is not None and part.end_ms is not None
    assert by_speaker == {
        "John Kirby": [2],
        "Stephen O’Brien": [1, 1],
        "Samantha Power": [3],
        "John Kerry": [2, 2],
    }
    kirby = article.quotes[0].parts[0]
    assert article.sentence(kirby.sentence_id).text[kirby.char_start : kirby.char_end] == "inconsistent,"


def test_vtt_export_matches_the_sync_document(clip_sync: Path) -> None:
    """The WebVTT beside the clip holds the same cues, with voices, as the sync document."""
    assert read_vtt(CLIP_DIR / "syria.vtt") == cues_from_article(load_sync(clip_sync))


@pytest.mark.slow
def test_clip_duration_read_with_libvlc(clip_media: Path) -> None:
    """libVLC reads the bundled clip as 217 s ± 0.3 s, with audio and H.264 video."""
    import vlc

    from clipsync.media.vlc_backend import instance_options, probe

    instance = vlc.Instance(instance_options())
    media = instance.media_new_path(str(clip_media))
    info = probe(media)
    assert info is not None
    assert info.has_video and info.has_audio and info.codec == "h264"
    assert info.size == (640, 360)
    assert abs(info.duration_ms - 217_000) <= 300
    assert info.fps == 25
    instance.release()


def test_sync_documents_follow_the_published_schema(clip_sync: Path) -> None:
    """The JSON Schemas accept the bundled documents (each by its version) and refuse a wrong
    version or kind; version 2 is version 1 plus word times."""
    import json

    import jsonschema

    validators = {}
    for version in (1, 2):
        schema = json.loads(
            (CLIP_DIR.parent / "schema" / f"clipsync-sync-{version}.schema.json").read_text(encoding="utf-8")
        )
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[version] = jsonschema.Draft202012Validator(schema)
    for path in (clip_sync, CLIP_DIR / "syria.article.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        validators[doc["version"]].validate(doc)
    doc = json.loads(clip_sync.read_text(encoding="utf-8"))
    assert not validators[1].is_valid({**doc, "version": 2})
    assert not validators[2].is_valid({**doc, "version": 3})
    doc["blocks"][0]["kind"] = "sidebar"
    assert not validators[doc["version"]].is_valid(doc)
