"""The recogniser's side of the aligner: the words of each sentence with their pronunciations,
a pocketsphinx grammar that reads sentences in order (each one optional), and which sentences
a search read, with its word times."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from clipsync.core.alignment.pronounce import pronunciations
from clipsync.core.text.article import Sentence
from clipsync.core.text.words import word_spans

SKIP_PROB = 0.01  # prior of a sentence being absent from the recording


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a sentence: its characters ``[start, end)`` and its dictionary key."""

    start: int
    end: int
    key: str


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their character spans and lower-case keys.

    >>> [t.key for t in tokens("U.S. Ambassador said, “it’s barbarism…” Al-Nusrah, 29.")]
    ['u.s.', 'ambassador', 'said', "it's", 'barbarism', 'al-nusrah', '29']
    """
    out = []
    for start, end in word_spans(text):
        out.append(Token(start, end, text[start:end].lower().replace("’", "'")))
    return out


@dataclass
class Plan:
    """Per-sentence tokens and pronunciation lengths, and the decoder's dictionary."""

    tokens: list[list[Token]]
    phones: list[int]
    generated: int


@dataclass
class Timed:
    start: int
    end: int
    words: list[tuple[int, int]] = field(default_factory=list)  # per token (ms)


def decoder() -> Any:
    from pocketsphinx import Decoder

    return Decoder(bestpath=False, beam=1e-300, wbeam=1e-300, pbeam=1e-300, loglevel="ERROR")


def prepare(decoder: Any, sentences: Sequence[Sentence]) -> Plan:
    """Tokenize every sentence and give the decoder a pronunciation for every word."""
    toks = [tokens(s.text) for s in sentences]
    keys = {t.key for ts in toks for t in ts}
    known: dict[str, int] = {}
    missing = []
    additions: list[tuple[str, str]] = []
    for key in keys:
        phones = decoder.lookup_word(key)
        if phones is None and "-" in key:
            parts = [decoder.lookup_word(p) for p in key.split("-") if p]
            if parts and all(parts):
                phones = " ".join(parts)
                additions.append((key, phones))
        if phones is None:
            missing.append(key)
        else:
            known[key] = len(phones.split())
    made = pronunciations(missing)
    for key, phones_made in made.items():
        additions.append((key, " ".join(phones_made)))
        known[key] = len(phones_made)
    for n, (key, phones_text) in enumerate(additions):
        # Only the last addition rebuilds the search's view of the dictionary.
        decoder.add_word(key, phones_text, n == len(additions) - 1)
    phones = [sum(known[t.key] for t in ts) for ts in toks]
    return Plan(toks, phones, len(made))


def activate_grammar(decoder: Any, plan: Plan, indices: Sequence[int], name: str, *, cut: bool) -> None:
    """A grammar reading the sentences ``indices`` in order, each one optional.

    With ``cut`` (a window that ends inside the sound) the reading may stop after any word,
    as the window's end may fall in the middle of a sentence.
    """
    transitions: list[tuple[int, int, float] | tuple[int, int, float, str]] = []
    state = 0
    stops = []
    for i in indices:
        first = state
        for n, tok in enumerate(plan.tokens[i]):
            transitions.append((state, state + 1, 1.0 if n else 1.0 - SKIP_PROB, tok.key))
            state += 1
            stops.append(state)
        transitions.append((first, state, SKIP_PROB))
    if cut:
        final = state + 1
        transitions += [(s, final, 1e-3) for s in stops[:-1]]
        transitions.append((state, final, 1.0))
        state = final
    fsg = decoder.create_fsg(name, 0, state, transitions)
    decoder.add_fsg(name, fsg)
    decoder.activate_search(name)


def _base(word: str) -> str:
    return re.sub(r"\(\d+\)$", "", word)


def match(plan: Plan, indices: Sequence[int], segs: list[tuple[str, int, int]]) -> dict[int, Timed]:
    """Which sentences the search read, with word times: its words are whole sentences in order."""
    words = [(w, s, e) for w, s, e in segs if not (w.startswith(("<", "[")) or w == "(NULL)")]
    out: dict[int, Timed] = {}
    pos = 0
    for i in indices:
        keys = [t.key for t in plan.tokens[i]]
        got = words[pos : pos + len(keys)]
        if (
            keys
            and len(got) == len(keys)
            and all(_base(w) == k for (w, _, _), k in zip(got, keys, strict=True))
        ):
            out[i] = Timed(got[0][1], got[-1][2], [(s, e) for _, s, e in got])
            pos += len(keys)
    return out
