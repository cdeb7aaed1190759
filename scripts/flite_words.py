"""Word times straight from flite: the library says where each word's sounds begin and end.

The ``flite`` program only prints phones (``-psdur``), not which word each belongs to, so this
module calls libflite itself (through ctypes): it synthesizes the text, then walks the
utterance's Token -> Word -> syllable -> segment relations, reading each word's first segment
start and last segment end. Those times are deterministic and are the ones the ``flite``
program uses for the same text and voice (its output has the same length, which the build
checks), so the word times are the synthesizer's own: exact to the sample in its timeline,
pauses excluded. The samples themselves differ slightly from call to call within a process
(the vocoder's noise source carries on), so the build takes its sound from the program.

flite reads the text as whitespace-separated tokens (punctuation is kept aside); a token may
become several words ("2016" -> "twenty sixteen", "U.S." -> "u s"). A token's time runs from
its first word's start to its last word's end.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache

import numpy as np

_c = ctypes.c_void_p


class _Wave(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_char_p),
        ("sample_rate", ctypes.c_int),
        ("num_samples", ctypes.c_int),
        ("num_channels", ctypes.c_int),
        ("samples", ctypes.POINTER(ctypes.c_short)),
    ]


@cache
def _library() -> ctypes.CDLL:
    try:
        lib = ctypes.CDLL("libflite.so.1")
        # The voices need the US English language and lexicon in the global namespace.
        ctypes.CDLL("libflite_usenglish.so.1", mode=ctypes.RTLD_GLOBAL)
        ctypes.CDLL("libflite_cmulex.so.1", mode=ctypes.RTLD_GLOBAL)
    except OSError as exc:
        raise RuntimeError(f"libflite is missing ({exc}): apt-get install flite") from None
    for name, restype, argtypes in [
        ("flite_synth_text", _c, [ctypes.c_char_p, _c]),
        ("utt_relation", _c, [_c, ctypes.c_char_p]),
        ("utt_wave", _c, [_c]),
        ("relation_head", _c, [_c]),
        ("item_next", _c, [_c]),
        ("item_daughter", _c, [_c]),
        ("ffeature_float", ctypes.c_float, [_c, ctypes.c_char_p]),
        ("ffeature_string", ctypes.c_char_p, [_c, ctypes.c_char_p]),
        ("delete_utterance", None, [_c]),
    ]:
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    lib.flite_init()
    return lib


@cache
def _voice(name: str) -> int:
    _library()
    try:
        voice_lib = ctypes.CDLL(f"libflite_cmu_us_{name}.so.1")
    except OSError:
        raise RuntimeError(f"no flite voice library for {name!r} (libflite_cmu_us_{name}.so.1)") from None
    register = getattr(voice_lib, f"register_cmu_us_{name}")
    register.restype = _c
    register.argtypes = [ctypes.c_char_p]
    voice = register(None)
    if not voice:
        raise RuntimeError(f"flite could not load the voice {name!r}")
    return int(voice)


@dataclass(frozen=True)
class Spoken:
    """What flite made of a text: samples at ``rate`` and, per whitespace-separated token, the
    times (s) of its words, ``[]`` for a token that is not pronounced."""

    samples: np.ndarray
    rate: int
    tokens: list[list[tuple[float, float]]]


def speak(text: str, voice: str) -> Spoken:
    """Synthesize ``text`` with flite's ``voice`` (``rms``, ``slt``...) and time its words."""
    lib = _library()
    utt = lib.flite_synth_text(text.encode("utf-8"), _voice(voice))
    if not utt:
        raise RuntimeError(f"flite could not synthesize {text!r}")
    try:
        tokens = []
        token = lib.relation_head(lib.utt_relation(utt, b"Token"))
        while token:
            words = []
            word = lib.item_daughter(token)
            while word:
                if lib.ffeature_string(word, b"R:SylStructure.daughter1.daughter1.name") not in (b"0", b""):
                    start = lib.ffeature_float(word, b"R:SylStructure.daughter1.daughter1.R:Segment.p.end")
                    end = lib.ffeature_float(word, b"R:SylStructure.daughtern.daughtern.R:Segment.end")
                    words.append((float(start), float(end)))
                word = lib.item_next(word)
            tokens.append(words)
            token = lib.item_next(token)
        wave = ctypes.cast(lib.utt_wave(utt), ctypes.POINTER(_Wave)).contents
        if wave.num_channels != 1:
            raise RuntimeError(f"flite gave {wave.num_channels} channels")
        samples = np.ctypeslib.as_array(wave.samples, shape=(wave.num_samples,)).astype(np.int16)
        return Spoken(samples, wave.sample_rate, tokens)
    finally:
        lib.delete_utterance(utt)
