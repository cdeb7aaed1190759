"""Which timed sentences need a person's review: those the aligner was not sure of.

The aligner gives every timed sentence a *confidence* from 0 to 1 (:attr:`Sentence.confidence`):
how sure it is that the sentence is said there. A sentence under :data:`REVIEW_BELOW` should be
listened to and fixed or confirmed by a person; the timing editor walks through them. A sentence
whose confidence is unknown (``None``: made by hand, an older document) is not listed.
"""

from __future__ import annotations

from clipsync.core.text.article import Article, Sentence

REVIEW_BELOW = 0.5
"""The confidence under which a timed sentence needs a person's review (0 to 1)."""


def needs_review(article: Article, below: float = REVIEW_BELOW) -> list[Sentence]:
    """The timed sentences of ``article`` whose confidence is known and under ``below``, in
    reading order.

    >>> from clipsync.core.text.article import Block, BlockKind
    >>> said = [Sentence("a", "Sure.", 0, 900, confidence=0.93), Sentence("b", "Unsure.", 900, 2000,
    ...         confidence=0.2), Sentence("c", "By hand.", 2000, 3000), Sentence("d", "Not said.")]
    >>> [s.id for s in needs_review(Article("t", (Block(BlockKind.PARAGRAPH, tuple(said)),)))]
    ['b']
    """
    return [s for s in article.sentences if s.timed and s.confidence is not None and s.confidence < below]
