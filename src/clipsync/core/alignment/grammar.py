"""The recogniser's side of the aligner: the words of each sentence with their pronunciations,
a pocketsphinx grammar that reads sentences in order (each one optional, with a loop of phones
for speech that is in no sentence), and which sentences a search read, with its word times
(the loop's phones at a sentence's edge given back to it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from clipsync.core.alignment.pronounce import pronunciations
from clipsync.core.text.article import Sentence
from clipsync.core.text.words import word_spans

SKIP_PROB = 0.01  # prior of a sentence being absent from the recording
JUMP = 4  # unread sentences skipped by one null transition too (see activate_grammar)


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
    token_phones: list[list[int]] = field(default_factory=list)  # per sentence, per token


@dataclass
class Timed:
    start: int
    end: int
    words: list[tuple[int, int]] = field(default_factory=list)  # per token (ms)
    confidence: float | None = None  # 0..1 (see confidence.py)
    word_confidence: list[float] = field(default_factory=list)  # per token


def decoder() -> Any:
    """The forced search's decoder, with the garbage loop's words."""
    from pocketsphinx import Decoder

    dec = Decoder(
        lm=None,  # the search is a grammar: loading the general language model only costs time
        bestpath=False,
        beam=1e-300,
        wbeam=1e-300,
        pbeam=1e-300,
        dither=True,  # seeded, so the same every run: the loop's phones lost the path on digital silence
        seed=1,
        loglevel="ERROR",
    )
    add_garbage_words(dec)
    return dec


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
    token_phones = [[known[t.key] for t in ts] for ts in toks]
    return Plan(toks, [sum(n) for n in token_phones], len(made), token_phones)


#: Twelve broad phones of the en-us acoustic model, each a "word" of the garbage loop: speech that
#: is in no sentence (another voice, an intro, an ad-lib) is read as phones instead of being
#: forced onto a sentence the recording does not say (why these, and the priors: docs/aligner.md).
PHONES = ("AA", "IY", "UW", "AH", "ER", "S", "F", "T", "K", "N", "L", "R")
GARBAGE = tuple(f"[g-{ph.lower()}]" for ph in PHONES)
GARBAGE_ENTER = 0.05  # prior of speech that is in no sentence before a sentence
GARBAGE_PHONE = 1e-12  # the prior of each phone read in the loop (against a sentence's words)


def is_garbage(word: str) -> bool:
    return word.startswith("[g-")


def add_garbage_words(decoder: Any) -> None:
    """Give the decoder the garbage loop's words: one per phone, pronounced as that phone."""
    for n, (word, phone) in enumerate(zip(GARBAGE, PHONES, strict=True)):
        decoder.add_word(word, phone, n == len(GARBAGE) - 1)


Transition = tuple[int, int, float] | tuple[int, int, float, str]


def garbage(transitions: list[Transition], before: int, enter: float = GARBAGE_ENTER) -> int:
    """Add a phone loop (entered with prior ``enter``) between state ``before`` and a new state,
    which is returned."""
    loop, after = before + 1, before + 2
    transitions.append((before, after, 1.0 - enter))
    transitions.append((before, loop, enter))
    transitions.extend((loop, loop, GARBAGE_PHONE, word) for word in GARBAGE)
    transitions.append((loop, after, 1.0))
    return after


def activate_grammar(decoder: Any, plan: Plan, indices: Sequence[int], name: str, *, cut: bool) -> None:
    """A grammar reading the sentences ``indices`` in order, each one optional, with a loop of
    phones (speech in no sentence) possible before each sentence and after the last.

    A run of skipped sentences can also be jumped ``JUMP`` at a time: pocketsphinx lost every
    path to the grammar's end over a long chain of null transitions (ten unread sentences at
    the end of the text).

    With ``cut`` (a window that ends inside the sound) the reading may stop after any word,
    as the window's end may fall in the middle of a sentence.
    """
    transitions: list[Transition] = []
    state = 0
    stops = []
    starts = []
    for i in indices:
        starts.append(state)
        state = garbage(transitions, state)
        first = state
        for n, tok in enumerate(plan.tokens[i]):
            transitions.append((state, state + 1, 1.0 if n else 1.0 - SKIP_PROB, tok.key))
            state += 1
            stops.append(state)
        transitions.append((first, state, SKIP_PROB))
    starts.append(state)
    state = garbage(transitions, state)
    for k in range(len(starts) - JUMP):
        transitions.append((starts[k], starts[k + JUMP], SKIP_PROB**JUMP))
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


#: Phones of the garbage loop right after a sentence's last word (or right before its first),
#: up to this long and with a pause beyond them, are the sentence's own edge: a final /s/ or a
#: breath the loop read as phones, not speech of someone else (measured on human voices:
#: docs/benchmarks.md, "Aligning an article that is not a transcript").
EDGE_GARBAGE_MS = 300


def absorb_edges(
    found: dict[int, Timed], segs: list[tuple[str, int, int]], speech: Callable[[int, int], float]
) -> None:
    """Give each found sentence the garbage phones at its edges (see :data:`EDGE_GARBAGE_MS`).

    ``speech(start, end)`` is the share of speech frames in a stretch: phones the loop read in
    a noise bed (mostly no speech) count as the pause they are.
    """
    segs = [seg for seg in segs if seg[0] != "(NULL)"]

    def pause(seg: tuple[str, int, int]) -> bool:
        word, start, end = seg
        if is_garbage(word):
            return speech(start, end) < 0.5
        return word == "<sil>" or word.startswith("[")

    def phones(seg: tuple[str, int, int]) -> bool:
        return is_garbage(seg[0]) and not pause(seg)

    def run_to_pause(k: int, step: int) -> int | None:
        """The far end of the run of the loop's phones from ``segs[k]`` on (``step`` +1 on in
        time, -1 back), when a pause lies beyond it."""
        run = k
        while 0 <= run < len(segs) and phones(segs[run]):
            run += step
        return run - step if run != k and 0 <= run < len(segs) and pause(segs[run]) else None

    for timed in found.values():
        after = next((n for n, (_, s, _) in enumerate(segs) if s >= timed.end), len(segs))
        last = run_to_pause(after, +1)
        if (
            last is not None
            and segs[after][1] - timed.end <= 20
            and segs[last][2] - timed.end <= EDGE_GARBAGE_MS
        ):
            timed.end = segs[last][2]
            if timed.words:
                timed.words[-1] = (timed.words[-1][0], timed.end)
        before = next((n for n in range(len(segs) - 1, -1, -1) if segs[n][2] <= timed.start), -1)
        first = run_to_pause(before, -1)
        if (
            first is not None
            and timed.start - segs[before][2] <= 20
            and timed.start - segs[first][1] <= EDGE_GARBAGE_MS
        ):
            timed.start = segs[first][1]
            if timed.words:
                timed.words[0] = (timed.start, timed.words[0][1])
