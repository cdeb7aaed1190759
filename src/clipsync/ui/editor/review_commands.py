"""The timing editor's "needs review" filter: the timed sentences the aligner was unsure of
(confidence under :data:`~clipsync.core.text.review.REVIEW_BELOW`) that no one has fixed yet.

Edit > Next / Previous sentence to review (Ctrl+J, Ctrl+Shift+J) select them in reading order,
going round from the last to the first; the editor's info line counts them and the waveform
hatches them. A sentence a person has moved, locked or marked "not in the recording" is an
anchor of the edit session and drops out of the list (and is saved without its confidence, see
:func:`settled`): its timing is a person's now, not the aligner's guess.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from clipsync.core.editing.edits import EditState
from clipsync.core.text.article import Article, Block, Sentence
from clipsync.core.text.review import needs_review

if TYPE_CHECKING:
    from clipsync.ui.editor.timing_editor import TimingEditor

NONE_LEFT = "No sentences need review"


def to_review(state: EditState) -> list[Sentence]:
    """The sentences of ``state`` that need review: low confidence, not an anchor."""
    return [s for s in needs_review(state.article) if s.id not in state.anchors]


def settled(state: EditState) -> Article:
    """The article to save: the anchors (set or confirmed by hand) lose their confidence, which
    was the aligner's guess about times a person has since decided."""
    anchors = state.anchors
    article = state.article
    if not any(
        s.id in anchors and (s.confidence is not None or s.word_confidence) for s in article.sentences
    ):
        return article

    def mine(s: Sentence) -> Sentence:
        if s.id not in anchors:
            return s
        return replace(
            s, confidence=None, words=s.words.with_confidence(None) if s.word_confidence else s.words
        )

    blocks = tuple(Block(b.kind, tuple(mine(s) for s in b.sentences)) for b in article.blocks)
    return replace(article, blocks=blocks)


class ReviewCommands:
    """The review filter of one timing editor (see module)."""

    def __init__(self, editor: TimingEditor) -> None:
        self.editor = editor
        self._state: EditState | None = None
        self._pending: list[Sentence] = []
        self._shown: int = 0  # the count at the last publish: "none left" is said once

    def pending(self) -> list[Sentence]:
        """The sentences to review now, in reading order (kept until the state changes)."""
        state = self.editor.state
        if state is None:
            return []
        if state is not self._state:
            self._state, self._pending = state, to_review(state)
        return self._pending

    def summary(self) -> str:
        """For the info line: `` · 3 to review``, or nothing."""
        count = len(self.pending())
        return f" · {count} to review" if count else ""

    def published(self, *, new_text: bool = False) -> frozenset[str]:
        """After each edit, undo or redo (or a new text): the ids to mark in the waveform; says
        "none left" when the last one was just settled."""
        count = len(self.pending())
        if count == 0 and self._shown and not new_text:
            self.editor.host.notify(NONE_LEFT)
        self._shown = count
        return frozenset(s.id for s in self._pending)

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) sentence to review after or before the
        selected one in reading order, going round at either end."""
        state, pending = self.editor.state, self.pending()
        if state is None:
            return
        if not pending:
            self.editor.host.notify(NONE_LEFT)
            return
        article = state.article
        selected = self.editor.selected
        here = (
            article.ref(selected).index if selected is not None else (-1 if delta > 0 else len(article.refs))
        )
        places = [article.ref(s.id).index for s in pending]
        if delta > 0:
            i = next((k for k, at in enumerate(places) if at > here), 0)
            went_round = places[i] <= here
        else:
            i = next((k for k in range(len(places) - 1, -1, -1) if places[k] < here), len(places) - 1)
            went_round = places[i] >= here
        sentence = pending[i]
        self.editor.select(sentence.id)
        again = ("; from the first again" if delta > 0 else "; from the last again") if went_round else ""
        self.editor.host.notify(
            f"Sentence {places[i] + 1}: {i + 1} of {len(pending)} to review, "
            f"confidence {sentence.confidence or 0:.2f}{again}"
        )
