"""Correcting a sentence's text (a typo, a name) without losing its timing.

The sentence keeps its start and end. Its words are matched old to new (a diff of the words):
a word still there keeps its time; new or changed words share the time of the words they
replace, or, inserted between two words, the pause between them (or, when there is none, a
fair share of the time of the words around them, by length). Quote parts keep covering the
same characters, moved with the text around them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from clipsync.core.editing.edits import Change, ChangeBuilder, EditError, EditState
from clipsync.core.text.article import Sentence
from clipsync.core.text.words import NO_WORDS, WordTimes, fit_words, word_spans

_MIN_WORD_MS = 40  # an inserted word gets at least this much, taken from its neighbours


def _key(word: str) -> str:
    return word.lower().replace("’", "'").rstrip(".")


def respan_words(old: Sentence, new_text: str) -> WordTimes:
    """Word times for ``new_text`` said in ``old``'s time, from ``old``'s words (see module)."""
    if not old.words or old.start_ms is None or old.end_ms is None:
        return NO_WORDS
    spans = word_spans(new_text)
    if not spans:
        return NO_WORDS
    words = list(old.words)
    old_keys = [_key(w.text_in(old.text)) for w in words]
    new_keys = [_key(new_text[a:b]) for a, b in spans]
    times: list[tuple[int, int] | None] = [None] * len(spans)
    runs = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            for d in range(i2 - i1):
                times[j1 + d] = (words[i1 + d].start_ms, words[i1 + d].end_ms)
        elif j2 > j1:  # replace or insert: new words to time
            runs.append((i1, i2, j1, j2))
    for i1, i2, j1, j2 in runs:
        before = times[j1 - 1] if j1 else None
        after = times[j2] if j2 < len(spans) else None
        if i2 > i1:  # they replace old words: their time
            lo, hi = words[i1].start_ms, words[i2 - 1].end_ms
        else:  # inserted: the pause between the neighbours
            lo = before[1] if before else old.start_ms
            hi = after[0] if after else old.end_ms
        first, last = j1, j2
        if hi - lo < _MIN_WORD_MS * (j2 - j1):
            # No room: share the neighbours' time with them, by length.
            if before:
                first, lo = j1 - 1, before[0]
            if after:
                last, hi = j2 + 1, after[1]
        weights = [spans[j][1] - spans[j][0] + 1 for j in range(first, last)]
        total, at = sum(weights), 0
        for j, weight in zip(range(first, last), weights, strict=True):
            start = lo + (hi - lo) * at // total
            at += weight
            times[j] = (start, lo + (hi - lo) * at // total)
    return fit_words(spans, [t or (old.start_ms, old.end_ms) for t in times], old.start_ms, old.end_ms)


def _position_map(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    return [op for op in SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[2] > op[1]]


def _map_start(ops: list[tuple[str, int, int, int, int]], p: int) -> int:
    for tag, i1, i2, j1, _j2 in ops:
        if i1 <= p < i2:
            return j1 + (p - i1) if tag == "equal" else j1
    return ops[-1][4] if ops else 0


def _map_end(ops: list[tuple[str, int, int, int, int]], p: int) -> int:
    for tag, i1, i2, j1, j2 in ops:
        if i1 <= p - 1 < i2:
            return j1 + (p - i1) if tag == "equal" else j2
    return ops[-1][4] if ops else 0


def clean_text(text: str) -> str:
    """A sentence's text as typed: one line, no surrounding spaces."""
    return re.sub(r"\s+", " ", text).strip()


def change_text(state: EditState, sid: str, text: str) -> Change:
    """Replace a sentence's text, keeping its timing (see module)."""
    text = clean_text(text)
    if not text:
        raise EditError("a sentence cannot be empty; mark it as not in the recording instead")
    draft = ChangeBuilder(state)
    try:
        old = draft.sentence(sid)
    except KeyError:
        raise EditError(f"there is no sentence {sid!r}") from None
    if text == old.text:
        return draft.change("Edit text")
    draft.sentences[sid] = replace(old, text=text, words=respan_words(old, text))
    ops = _position_map(old.text, text)
    for qi, pi, part in draft.parts_of(sid):
        start, end = _map_start(ops, part.char_start), _map_end(ops, part.char_end)
        if not 0 <= start < end <= len(text):
            speaker = draft.quote(qi).speaker.name
            raise EditError(f"the new text leaves nothing of {speaker}'s quote in this sentence")
        draft.set_part(qi, pi, replace(part, char_start=start, char_end=end))
    return draft.change("Edit text")
