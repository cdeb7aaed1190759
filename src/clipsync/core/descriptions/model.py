"""Descriptions as data: what a blind viewer is told about a picture, and when.

A :class:`Description` is a short text with the media time of the picture it describes (a title
card, a lower third, a photo). Descriptions come from a WebVTT description track
(:mod:`clipsync.core.descriptions.track`) or from the sync document's optional ``descriptions``
list (``docs/sync-format.md``). An article that carries them is a :class:`DescribedArticle`: an
:class:`Article` with one more field, so every edit that copies an article with
``dataclasses.replace`` keeps its descriptions, and everything that takes an ``Article`` takes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from clipsync.core.text.article import Article


@dataclass(frozen=True, slots=True)
class Description:
    """``text`` describes what is shown from ``time_ms`` on (plain text, never markup)."""

    id: str
    time_ms: int
    text: str


@dataclass(frozen=True)
class DescribedArticle(Article):
    """An article with its descriptions, in time order."""

    descriptions: tuple[Description, ...] = ()


def descriptions_of(article: Article | None) -> tuple[Description, ...]:
    """The descriptions ``article`` carries (none for a plain :class:`Article`)."""
    return article.descriptions if isinstance(article, DescribedArticle) else ()


def in_time_order(descriptions: Iterable[Description]) -> tuple[Description, ...]:
    """``descriptions`` sorted by time (stable: equal times keep their order)."""
    return tuple(sorted(descriptions, key=lambda d: d.time_ms))


def with_descriptions(article: Article, descriptions: Iterable[Description]) -> Article:
    """``article`` carrying ``descriptions`` (in time order); a plain :class:`Article` again
    when there are none, so a document without descriptions is saved as before.

    >>> from clipsync.core.text.article import Block, BlockKind, Sentence
    >>> plain = Article("t", (Block(BlockKind.PARAGRAPH, (Sentence("s1", "Hi.", 0, 500),)),))
    >>> described = with_descriptions(plain, [Description("d1", 900, "A map.")])
    >>> [d.text for d in descriptions_of(described)], type(with_descriptions(described, [])).__name__
    (['A map.'], 'Article')
    """
    ordered = in_time_order(descriptions)
    if isinstance(article, DescribedArticle):
        if ordered:
            return replace(article, descriptions=ordered)
        article = _copy(article)
    if not ordered:
        return article
    return _described(article, ordered)


def _copy(article: Article) -> Article:
    a = article
    return Article(a.title, a.blocks, a.speakers, a.quotes, a.language, a.media_file, a.duration_ms, a.source)


def _described(article: Article, descriptions: tuple[Description, ...]) -> DescribedArticle:
    a = article
    return DescribedArticle(
        a.title,
        a.blocks,
        a.speakers,
        a.quotes,
        a.language,
        a.media_file,
        a.duration_ms,
        a.source,
        descriptions,
    )


def next_id(descriptions: Iterable[Description]) -> str:
    """An id no description has yet: ``d1``, ``d2``...

    >>> next_id([Description("d1", 0, "a"), Description("d7", 5, "b")])
    'd8'
    """
    numbers = [int(d.id[1:]) for d in descriptions if d.id[:1] == "d" and d.id[1:].isdigit()]
    return f"d{max(numbers, default=0) + 1}"
