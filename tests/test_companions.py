"""What opens with a media file: its text beside it, caption tracks in other languages, bad text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clipsync.core.errors import InputError
from clipsync.core.formats.companions import find_caption_tracks, find_text_for, load_text

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Ana>Hola a todos.</v>\n"
SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello everyone.\n"


def test_the_sync_document_is_preferred_to_vtt_and_srt(tmp_path: Path, clip_sync: Path) -> None:
    media = tmp_path / "talk.mp4"
    media.write_bytes(b"")
    (tmp_path / "talk.srt").write_text(SRT, encoding="utf-8")
    assert find_text_for(media) == tmp_path / "talk.srt"
    (tmp_path / "talk.vtt").write_text(VTT, encoding="utf-8")
    assert find_text_for(media) == tmp_path / "talk.vtt"
    shutil.copy(clip_sync, tmp_path / "talk.sync.json")
    assert find_text_for(media) == tmp_path / "talk.sync.json"


def test_no_text_and_a_folder_named_like_the_text_give_none(tmp_path: Path) -> None:
    media = tmp_path / "talk.mp4"
    (tmp_path / "talk.vtt").mkdir()
    (tmp_path / "other.srt").write_text(SRT, encoding="utf-8")
    assert find_text_for(media) is None


def test_caption_tracks_are_found_by_language(tmp_path: Path) -> None:
    media = tmp_path / "talk.mp4"
    for name in ("talk.es.vtt", "talk.pt-BR.srt", "talk.vtt", "talk.fr.txt", "other.de.vtt"):
        (tmp_path / name).write_text(VTT, encoding="utf-8")
    (tmp_path / "talk.it.vtt").mkdir()
    assert find_caption_tracks(media) == {
        "es": tmp_path / "talk.es.vtt",
        "pt-BR": tmp_path / "talk.pt-BR.srt",
    }
    assert find_caption_tracks(tmp_path / "missing" / "talk.mp4") == {}


def test_vtt_and_srt_become_articles_named_after_the_media(tmp_path: Path) -> None:
    (tmp_path / "talk.es.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "talk.srt").write_text(SRT, encoding="utf-8")
    spanish = load_text(tmp_path / "talk.es.vtt", tmp_path / "talk.mp4")
    assert [s.text for s in spanish.sentences] == ["Hola a todos."]
    assert spanish.media_file == "talk.mp4"
    english = load_text(tmp_path / "talk.srt")
    assert english.media_file is None and english.sentences[0].start_ms == 1000


def test_bad_text_raises_input_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "talk.sync.json"
    bad.write_text('{"format": "clipsync-sync", ', encoding="utf-8")
    with pytest.raises(InputError, match=r"talk\.sync\.json"):
        load_text(bad)
