"""What opens with a media file or address: its own text and its caption tracks in other languages.

A media file ``talk.mp4`` brings its text along when one of ``talk.sync.json``, ``talk.vtt`` or
``talk.srt`` lies beside it (in that order of preference), and caption tracks in other languages
named ``talk.es.vtt``, ``talk.fr.sync.json``, ``talk.pt-BR.srt`` ...

Which names belong to a media file is decided from its name alone (:func:`text_names`,
:func:`caption_language`), apart from looking at the file system (:func:`find_text_for`,
:func:`find_caption_tracks`), so the same rules serve an http(s) address: its text is looked
for at the same base address (:func:`text_urls`), and, as a web server has no folder to list, a
caption track only in the language the viewer chose (:func:`caption_track_urls`).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from clipsync.core.formats.subtitles import article_from_cues, read_srt, read_vtt
from clipsync.core.formats.syncdoc import SUFFIX as SYNC_SUFFIX
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.location import sibling_url, url_name
from clipsync.core.text.article import Article

#: Suffixes of timed text clipsync reads, best first when more than one is beside the media.
TEXT_SUFFIXES = (SYNC_SUFFIX, ".vtt", ".srt")

# A language tag as in file names: "es", "fra", "pt-BR".
_LANGUAGE = r"[a-z]{2,3}(?:-[A-Za-z]{2})?"


def _stem(media_name: str) -> str:
    return PurePosixPath(media_name).stem


def text_names(media_name: str) -> list[str]:
    """File names the media's own text may have, best first.

    >>> text_names("talk.mp4")
    ['talk.sync.json', 'talk.vtt', 'talk.srt']
    >>> text_names("Interview 3.final.webm")
    ['Interview 3.final.sync.json', 'Interview 3.final.vtt', 'Interview 3.final.srt']
    """
    stem = _stem(media_name)
    return [stem + suffix for suffix in TEXT_SUFFIXES]


def caption_language(media_name: str, file_name: str) -> str | None:
    """The language of ``file_name`` when it is a caption track of the media, else ``None``.

    >>> caption_language("talk.mp4", "talk.es.vtt"), caption_language("talk.mp4", "talk.pt-BR.sync.json")
    ('es', 'pt-BR')
    >>> caption_language("talk.mp4", "talk.vtt"), caption_language("talk.mp4", "other.es.vtt")
    (None, None)
    """
    suffixes = "|".join(re.escape(suffix) for suffix in TEXT_SUFFIXES)
    match = re.fullmatch(re.escape(_stem(media_name)) + rf"\.({_LANGUAGE})(?:{suffixes})", file_name)
    return match.group(1) if match else None


def find_text_for(media: Path) -> Path | None:
    """The text file that belongs to ``media``: same folder, same stem (see :func:`text_names`)."""
    for name in text_names(media.name):
        candidate = media.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def find_caption_tracks(media: Path) -> dict[str, Path]:
    """Caption tracks in other languages beside ``media``, by language (the first by name wins)."""
    tracks: dict[str, Path] = {}
    try:
        candidates = sorted(media.parent.iterdir())
    except OSError:
        return tracks
    for candidate in candidates:
        language = caption_language(media.name, candidate.name)
        if language is not None and candidate.is_file():
            tracks.setdefault(language, candidate)
    return tracks


def text_urls(media_url: str) -> list[str]:
    """Addresses the text of the media at ``media_url`` may have, best first.

    >>> text_urls("http://127.0.0.1:8765/news/syria.mp4?t=1")[:2]
    ['http://127.0.0.1:8765/news/syria.sync.json', 'http://127.0.0.1:8765/news/syria.vtt']
    """
    return [sibling_url(media_url, name) for name in text_names(url_name(media_url) or "index")]


def caption_track_urls(media_url: str, language: str) -> list[str]:
    """Addresses a caption track in ``language`` of the media at ``media_url`` may have.

    >>> caption_track_urls("https://example.org/talk.mp4", "es")[1]
    'https://example.org/talk.es.vtt'
    """
    stem = _stem(url_name(media_url) or "index")
    return [sibling_url(media_url, f"{stem}.{language}{suffix}") for suffix in TEXT_SUFFIXES]


def load_text(path: Path, media: Path | None = None) -> Article:
    """An article from a sync document, WebVTT or SRT file (``InputError`` when it is bad).

    ``media`` names the media file in articles made from cues, which carry no such field.
    """
    name = path.name.lower()
    media_file = media.name if media else None
    if name.endswith(".vtt"):
        return article_from_cues(read_vtt(path), title=path.stem, media_file=media_file)
    if name.endswith(".srt"):
        return article_from_cues(read_srt(path), title=path.stem, media_file=media_file)
    return load_sync(path)
