"""Quotes and their speakers in a parsed article's paragraphs (see :mod:`clipsync.core.text.textparse`).

Curly or straight double quotation marks; a quote left open at the end of a paragraph closes
there; two quotes of one paragraph separated by a short attribution are one quote with two
parts; scare quotes of three words or fewer without attribution are not quotes. Speakers come
from "said X", "X said", "according to X" and similar verbs (see the textparse docstring).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from clipsync.core.text.article import Quote, QuotePart, Sentence, Speaker

_TITLES = {
    "secretary", "president", "ambassador", "spokesperson", "spokesman", "spokeswoman",
    "minister", "senator", "sen.", "rep.", "representative", "gov.", "governor", "mr.", "mrs.",
    "ms.", "dr.", "prof.", "professor", "general", "gen.", "coordinator", "director", "chairman",
    "chairwoman", "chair", "chief", "commander", "king", "queen", "prince", "pope", "judge",
    "mayor", "envoy", "official", "leader", "officer", "lt.", "col.", "capt.", "adm.", "sgt.",
}  # fmt: skip
_VERBS = (
    r"said|says|say|told|tells|added|adds|asked|asks|called|calls|noted|notes|stated|states|wrote|"
    r"writes|warned|warns|explained|explains|declared|declares|insisted|insists|argued|argues|"
    r"replied|replies|continued|continues|remarked|remarks|announced|announces|described|describes"
)
_NAME_WORD = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.(?:[A-Z]\.)+|of|to|the|for|and|on)"
_CONNECTORS = {"of", "to", "the", "for", "and", "on"}
_OPEN_MARKS = '“"«„'
_CLOSE_MARKS = '”"»“'


@dataclass
class _Span:
    start: int  # first character inside the marks, paragraph coordinates
    end: int  # one past the last character inside the marks
    open_at: int  # where the opening mark is
    close_at: int  # where the closing mark is (== end, or the paragraph's end when unclosed)


def _quote_spans(text: str) -> list[_Span]:
    """Double-quoted spans of a paragraph, in order; an unclosed quote runs to the end."""
    spans = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch not in _OPEN_MARKS and ch not in _CLOSE_MARKS:
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"':
            opening = open_at is None and (prev.isspace() or prev in "([—–-") and not nxt.isspace()
        elif ch == "“" and open_at is not None and not nxt.isspace():
            opening = False  # German-style closing is rare; a second “ inside restarts below
        else:
            opening = ch in "“«„"
        if opening and open_at is None:
            open_at = i
        elif not opening and open_at is not None:
            spans.append(_Span(open_at + 1, i, open_at, i))
            open_at = None
        elif opening and open_at is not None:
            open_at = i  # an unmatched opener: start again from here
    if open_at is not None and text[open_at + 1 :].strip():
        end = len(text.rstrip())
        spans.append(_Span(open_at + 1, end, open_at, end))
    return spans


def _is_title(word: str) -> bool:
    w = word.lower()
    return w in _TITLES or w.rstrip(".") in _TITLES or w + "." in _TITLES


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("’", "").replace("'", "")).strip("-")


@dataclass
class QuoteFinder:
    """Finds quotes and speakers paragraph by paragraph, remembering who was named last."""

    full_names: list[str] = field(default_factory=list)  # every "First Last" seen so far
    roles: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None

    def find(
        self, paragraphs: list[tuple[str, list[tuple[int, int, Sentence]]]]
    ) -> tuple[list[Speaker], list[Quote]]:
        speakers: dict[str, Speaker] = {}
        quotes: list[Quote] = []
        for text, placed in paragraphs:
            groups = self._groups(text, _quote_spans(text))
            pos = 0
            for group in groups:
                self._learn(text[pos : group[0].open_at])
                name = self._speaker(text, group, placed)
                pos = group[-1].close_at
                if name is None:
                    continue
                speaker = self._speaker_for(name, speakers)
                self.last_person = name
                parts = self._parts(group, placed)
                if parts:
                    quotes.append(Quote(f"q{len(quotes) + 1}", speaker, tuple(parts)))
            self._learn(text[pos:])
        return list(speakers.values()), quotes

    @staticmethod
    def _groups(text: str, spans: list[_Span]) -> list[list[_Span]]:
        """Spans joined into quotes: a part ending in a comma, a short attribution, the next part."""
        groups: list[list[_Span]] = []
        for span in spans:
            if groups:
                prev = groups[-1][-1]
                between = text[prev.close_at + 1 : span.open_at]
                inside_end = text[prev.start : prev.end].rstrip()
                if (
                    inside_end.endswith((",", "–", "—", "-"))
                    and len(between) <= 120
                    and re.search(rf"\b(?:{_VERBS}|according to)\b", between)
                ):
                    groups[-1].append(span)
                    continue
            groups.append([span])
        return groups

    def _speaker(self, text: str, group: list[_Span], placed: list[tuple[int, int, Sentence]]) -> str | None:
        """Who says the quote ``group``: the attribution between parts, after, or before it."""
        first, last = group[0], group[-1]
        sent_start = max((a for a, _, _ in placed if a <= first.open_at), default=0)
        sent_end = min((b for _, b, _ in placed if b >= last.close_at), default=len(text))
        candidates = [text[a.close_at + 1 : b.open_at] for a, b in itertools.pairwise(group)]
        candidates.append(text[last.close_at + 1 : sent_end])
        for attribution in candidates:
            if (name := self._attributed(attribution, prefer="first")) is not None:
                return name
        if (name := self._attributed(text[sent_start : first.open_at], prefer="last")) is not None:
            return name
        words = len(text[first.start : last.end].split())
        return self.last_person if words > 3 and self.last_person else None

    def _attributed(self, attribution: str, *, prefer: str) -> str | None:
        """The person an attribution names: "said X", "X said", "according to X", "he said"."""
        found: list[tuple[int, str]] = []
        name = r"([A-Z][\w’'.\-]*(?:\s+(?:(?:of|to|the|for|and)\s+)?[A-Z][\w’'\-]*)*)"
        for m in re.finditer(rf"\b(?:{_VERBS}|according to)\s+{name}(?=[\s,.;:!?]|$)", attribution):
            if m.group(1) and m.group(1)[0].isupper():
                found.append((m.start(), m.group(1)))
        for m in re.finditer(rf"((?:[A-Z][\w’'.\-]*\s+)*[A-Z][\w’'\-]*)\s+(?:{_VERBS})\b", attribution):
            found.append((m.start(), m.group(1)))
        for m in re.finditer(
            rf"\b(?:[Hh]e|[Ss]he)\s+(?:{_VERBS})\b|\b(?:{_VERBS})\s+(?:he|she)\b", attribution
        ):
            if self.last_person:
                found.append((m.start(), "\0" + self.last_person))
        if not found:
            return None
        found.sort()
        raw = found[0][1] if prefer == "first" else found[-1][1]
        if raw.startswith("\0"):
            return raw[1:]
        return self._person(raw)

    def _person(self, run: str) -> str | None:
        """The person's name in a capitalized run ("U.S. Ambassador to the UN Samantha Power")."""
        words = [w.rstrip(",;:") for w in run.split()]
        if words and not _is_title(words[-1]):
            words[-1] = words[-1].rstrip(".")
        while words and (words[-1].lower() in _CONNECTORS):
            words.pop()
        if not words:
            return None
        tail = words[-2:] if len(words) >= 2 else words
        if len(tail) == 2 and (_is_title(tail[0]) or tail[0].isupper() or tail[0].lower() in _CONNECTORS):
            tail = tail[1:]
        if _is_title(tail[0]) or tail[0].lower() in ("the", "he", "she", "it", "they", "we"):
            return None
        if len(tail) == 1:
            surname = tail[0]
            for full in reversed(self.full_names):
                if full.split()[-1] == surname:
                    return full
            return surname
        full = " ".join(tail)
        role_words = words[: len(words) - 2]
        while role_words and role_words[0].lower() in _CONNECTORS:
            role_words.pop(0)
        if role_words and full not in self.roles:
            self.roles[full] = " ".join(role_words)
        if full not in self.full_names:
            self.full_names.append(full)
        return full

    def _learn(self, text: str) -> None:
        """Remember people named outside quotes: full names after titles, and speakers."""
        for m in re.finditer(r"((?:[A-Z][\w’'.\-]*\s+|(?:of|to|the|for|and)\s+)*[A-Z][\w’'\-]+)", text):
            words = m.group(1).split()
            for i, w in enumerate(words[:-2]):
                if _is_title(w):
                    rest = [x for x in words[i + 1 :] if x[0].isupper()]
                    # "Secretary of State John Kerry": the name is the last two words.
                    if len(rest) >= 2:
                        full = " ".join(words[-2:])
                        if full not in self.full_names and words[-2][0].isupper():
                            self.full_names.append(full)
                            role_words = words[: len(words) - 2]
                            while role_words and role_words[0].lower() in _CONNECTORS:
                                role_words.pop(0)
                            self.roles.setdefault(full, " ".join(role_words))
                    break
        if (name := self._attributed(text, prefer="last")) is not None:
            self.last_person = name

    def _speaker_for(self, name: str, speakers: dict[str, Speaker]) -> Speaker:
        for speaker in speakers.values():
            if speaker.name == name:
                return speaker
        base = _slug(name.split()[-1]) or "speaker"
        sid, n = base, 2
        while sid in speakers:
            sid = _slug(name) if n == 2 and _slug(name) not in speakers else f"{base}-{n}"
            n += 1
        speaker = Speaker(sid, name, self.roles.get(name, ""))
        speakers[sid] = speaker
        return speaker

    @staticmethod
    def _parts(group: list[_Span], placed: list[tuple[int, int, Sentence]]) -> list[QuotePart]:
        parts = []
        for span in group:
            for start, end, sentence in placed:
                a, b = max(span.start, start), min(span.end, end)
                if b <= a:
                    continue
                chunk = sentence.text[a - start : b - start]
                lead = len(chunk) - len(chunk.lstrip())
                trail = len(chunk) - len(chunk.rstrip())
                # A closing mark ending a sentence inside the span is not part of the words.
                body = chunk.strip()
                while body and body[-1] in _CLOSE_MARKS:
                    body = body[:-1]
                    trail += 1
                while body and body[0] in _OPEN_MARKS:
                    body = body[1:]
                    lead += 1
                if body:
                    parts.append(QuotePart(sentence.id, a - start + lead, b - start - trail))
        return parts
