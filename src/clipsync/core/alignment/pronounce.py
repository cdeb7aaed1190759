"""Pronunciations for words the aligner's dictionary lacks, made offline.

Names (Al-Nusrah), numbers (29, 3.5), acronyms (ISIL) and rare forms are phonemized by
espeak-ng (``-x``: its ASCII phoneme mnemonics), mapped to the ARPAbet phones of the
acoustic model. Where espeak-ng is missing or fails, a small letter-to-sound table gives a
rough pronunciation: the aligner then still runs, only less precisely on that word.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable

# espeak-ng's English phoneme mnemonics -> ARPAbet. Longest match first.
_ESPEAK_TO_ARPA: dict[str, tuple[str, ...]] = {
    "aI@3": ("AY", "ER"),
    "aI@": ("AY", "ER"),
    "aI3": ("AY", "ER"),
    "aU@": ("AW", "ER"),
    "i@3": ("IY", "R"),
    "A@": ("AA", "R"),
    "e@": ("EH", "R"),
    "i@": ("IY", "R"),
    "o@": ("AO", "R"),
    "O@": ("AO", "R"),
    "U@": ("UH", "R"),
    "@L": ("AH", "L"),
    "@r": ("ER",),
    "@-": ("AH",),
    "3:": ("ER",),
    "A:": ("AA",),
    "O:": ("AO",),
    "i:": ("IY",),
    "u:": ("UW",),
    "aI": ("AY",),
    "aU": ("AW",),
    "eI": ("EY",),
    "OI": ("OY",),
    "oU": ("OW",),
    "a#": ("AH",),
    "I#": ("IH",),
    "I2": ("IH",),
    "tS": ("CH",),
    "dZ": ("JH",),
    "t#": ("T",),
    "d#": ("D",),
    "z#": ("Z",),
    "r-": ("R",),
    "n-": ("N",),
    "m-": ("M",),
    "l/": ("L",),
    "t2": ("T",),
    "aa": ("AA",),
    "@": ("AH",),
    "3": ("ER",),
    "a": ("AE",),
    "A": ("AA",),
    "E": ("EH",),
    "e": ("EH",),
    "I": ("IH",),
    "i": ("IY",),
    "O": ("AO",),
    "0": ("AA",),
    "o": ("OW",),
    "U": ("UH",),
    "u": ("UW",),
    "V": ("AH",),
    "L": ("L",),
    "p": ("P",),
    "b": ("B",),
    "t": ("T",),
    "d": ("D",),
    "k": ("K",),
    "g": ("G",),
    "f": ("F",),
    "v": ("V",),
    "T": ("TH",),
    "D": ("DH",),
    "s": ("S",),
    "z": ("Z",),
    "S": ("SH",),
    "Z": ("ZH",),
    "h": ("HH",),
    "x": ("HH",),
    "m": ("M",),
    "n": ("N",),
    "N": ("NG",),
    "l": ("L",),
    "r": ("R",),
    "j": ("Y",),
    "w": ("W",),
}
_KEYS = sorted(_ESPEAK_TO_ARPA, key=len, reverse=True)

# Letter-to-sound of last resort: one letter (or pair) -> phones.
_LETTERS: dict[str, tuple[str, ...]] = {
    "ch": ("CH",),
    "sh": ("SH",),
    "th": ("TH",),
    "ph": ("F",),
    "ng": ("NG",),
    "ck": ("K",),
    "ee": ("IY",),
    "oo": ("UW",),
    "ou": ("AW",),
    "ai": ("EY",),
    "a": ("AE",),
    "b": ("B",),
    "c": ("K",),
    "d": ("D",),
    "e": ("EH",),
    "f": ("F",),
    "g": ("G",),
    "h": ("HH",),
    "i": ("IH",),
    "j": ("JH",),
    "k": ("K",),
    "l": ("L",),
    "m": ("M",),
    "n": ("N",),
    "o": ("AA",),
    "p": ("P",),
    "q": ("K",),
    "r": ("R",),
    "s": ("S",),
    "t": ("T",),
    "u": ("AH",),
    "v": ("V",),
    "w": ("W",),
    "x": ("K", "S"),
    "y": ("Y",),
    "z": ("Z",),
}
_DIGIT_PHONES: dict[str, tuple[str, ...]] = {
    "0": ("Z", "IH", "R", "OW"),
    "1": ("W", "AH", "N"),
    "2": ("T", "UW"),
    "3": ("TH", "R", "IY"),
    "4": ("F", "AO", "R"),
    "5": ("F", "AY", "V"),
    "6": ("S", "IH", "K", "S"),
    "7": ("S", "EH", "V", "AH", "N"),
    "8": ("EY", "T"),
    "9": ("N", "AY", "N"),
}


def espeak_to_arpabet(mnemonics: str) -> tuple[str, ...]:
    """ARPAbet phones for espeak-ng ``-x`` output (stress marks and separators ignored).

    >>> espeak_to_arpabet("'a_l_n_'V_s_r_@")
    ('AE', 'L', 'N', 'AH', 'S', 'R', 'AH')
    >>> espeak_to_arpabet("t_w_'E_n_t2_i n_'aI_n")
    ('T', 'W', 'EH', 'N', 'T', 'IY', 'N', 'AY', 'N')
    """
    text = re.sub(r"[',%=_|!\s]", " ", mnemonics)
    phones: list[str] = []
    for chunk in text.split():
        i = 0
        while i < len(chunk):
            for key in _KEYS:
                if chunk.startswith(key, i):
                    phones.extend(_ESPEAK_TO_ARPA[key])
                    i += len(key)
                    break
            else:
                i += 1  # a mark we do not know (glottal stop, length): no phone
    return tuple(phones)


def letters_to_sound(word: str) -> tuple[str, ...]:
    """A rough pronunciation from spelling alone; never empty for a word with letters or digits.

    >>> letters_to_sound("Nusrah")
    ('N', 'AH', 'S', 'R', 'AE', 'HH')
    """
    w = word.lower()
    phones: list[str] = []
    i = 0
    while i < len(w):
        if w[i].isdigit():
            phones.extend(_DIGIT_PHONES[w[i]])
            i += 1
            continue
        pair = w[i : i + 2]
        if pair in _LETTERS:
            phones.extend(_LETTERS[pair])
            i += 2
        elif w[i] in _LETTERS:
            phones.extend(_LETTERS[w[i]])
            i += 1
        else:
            i += 1
    return tuple(phones) or ("AH",)


def espeak_pronunciations(words: Iterable[str], voice: str = "en-us") -> dict[str, tuple[str, ...]]:
    """espeak-ng's pronunciation of each word, in one run; words it fails on are left out."""
    words = [w for w in dict.fromkeys(words) if w.strip()]
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if not words or exe is None:
        return {}
    # One word a line, each ended by a full stop, so each comes back as its own clause line.
    text = "\n".join(re.sub(r"[.\s]+$", "", w) + "." for w in words) + "\n"
    try:
        result = subprocess.run(
            [exe, "-v", voice, "-q", "-x", "--sep=_"],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or len(lines) != len(words):
        if len(words) == 1:
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for w in words:  # the clause split did not line up: one run per word
            out.update(espeak_pronunciations([w], voice))
        return out
    out = {}
    for word, line in zip(words, lines, strict=True):
        phones = espeak_to_arpabet(line)
        if phones:
            out[word] = phones
    return out


def pronunciations(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """A pronunciation for every word: espeak-ng's where it gives one, letter-to-sound otherwise."""
    words = list(dict.fromkeys(words))
    made = espeak_pronunciations(words)
    return {w: made.get(w) or letters_to_sound(w) for w in words}
