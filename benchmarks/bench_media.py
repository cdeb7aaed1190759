"""Measurement media for the benchmarks: clips that carry their frame number in the picture,
their cue lists, and the made-up 3-hour article for the scale test.

The frame number is written in the top 80 rows of every frame as 16 bits: block ``i`` of the
first row (``WIDTH / 16`` wide, 40 rows high at 360p) is white when bit ``i`` of the frame
number is set, and the block under it in the second row is its complement. A reader samples
the block centres, so scaling and compression do not matter, and rejects a frame when any
pair does not disagree (a blended or damaged picture), so it never reads a wrong number.

The sound is :mod:`audio_code`'s time code (tones that carry the frame number, over a fixed
noise), so that what is heard can be placed in media time too (the audio landing benchmark).

All media and documents go to the cache folder (``benchmarks/.cache`` unless
``CLIPSYNC_BENCH_CACHE`` says otherwise) and are made again only when their recipe changes.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import audio_code

from clipsync.core.formats.syncdoc import save_sync
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker
from clipsync.core.text.words import NO_WORDS, WordTimes, fit_words

HERE = Path(__file__).resolve().parent
BITS = 16
FPS = 30  # exactly 30: frame n starts at n * 100 / 3 ms; cue times are multiples of 100 ms
FRAME_MS = 1000.0 / FPS
#: Recipe version: bump to make every cached file again.
RECIPE = 4


def cache_dir() -> Path:
    folder = Path(os.environ.get("CLIPSYNC_BENCH_CACHE", HERE / ".cache"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


#: The frame times of the clip being judged (``use_frame_times``; ``None``: the 30 fps clip).
_frame_times: list[float] | None = None


def use_frame_times(times: list[float] | None) -> None:
    """Judge another clip: each picture's start in ms, in display order (``bench_matrix``)."""
    global _frame_times
    _frame_times = times


def frame_time_ms(number: int) -> float:
    """When frame ``number`` starts, in media time."""
    if _frame_times is not None:
        if number < len(_frame_times):
            return _frame_times[number]
        return _frame_times[-1] + (number - len(_frame_times) + 1) * frame_ms_at(len(_frame_times) - 1)
    return number * FRAME_MS


def frame_at_ms(time_ms: float) -> int:
    """The frame on screen at media time ``time_ms`` (the last one starting at or before it)."""
    if _frame_times is not None:
        from bisect import bisect_right

        return max(0, bisect_right(_frame_times, time_ms + 0.5) - 1)
    return int((time_ms + 0.5) // FRAME_MS)


def first_frame_from(time_ms: float) -> int:
    """The first frame whose start, in whole ms as the player counts, is at or after
    ``time_ms``: the first frame that shows what starts at ``time_ms`` (a quote that starts
    inside a frame is shown from the next one; the frame on screen at its start belongs to
    the sentence before)."""
    if _frame_times is not None:
        from bisect import bisect_left

        return bisect_left(_frame_times, time_ms - 0.5)
    return math.ceil((time_ms - 0.5) / FRAME_MS - 1e-9)


def frame_ms_at(number: int) -> float:
    """How long frame ``number`` is on screen at 1x."""
    times = _frame_times
    if times is not None and len(times) > 1:
        i = min(max(number, 0), len(times) - 2)
        return times[i + 1] - times[i]
    return FRAME_MS


# Clips ---------------------------------------------------------------------------------
def _bits_filter(width: int, height: int) -> str:
    """ffmpeg filters drawing the frame number ``n`` as 2 x 16 blocks across the top."""
    block_w = width // BITS
    block_h = round(height * 40 / 360)
    filters = [f"drawbox=x=0:y=0:w={width}:h={2 * block_h}:color=black:t=fill"]
    for i in range(BITS):
        x = i * block_w
        bit = f"mod(floor(n/{2**i}),2)"
        filters.append(f"drawbox=x={x}:y=0:w={block_w}:h={block_h}:color=white:t=fill:enable='eq({bit},1)'")
        filters.append(
            f"drawbox=x={x}:y={block_h}:w={block_w}:h={block_h}:color=white:t=fill:enable='eq({bit},0)'"
        )
    return ",".join(filters)


def make_clip(name: str, width: int, height: int, seconds: float, *, gop: int = 60) -> Path:
    """An H.264/AAC mp4 at 30 fps with the frame number in every picture (cached)."""
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is needed to make the measurement clips (apt-get install ffmpeg)")
    key = hashlib.sha1(f"{RECIPE}-{width}x{height}-{seconds:g}-{gop}".encode()).hexdigest()[:10]
    out = cache_dir() / f"{name}-{width}x{height}-{seconds:g}s-{key}.mp4"
    if out.is_file() and out.stat().st_size > 0:
        return out
    script = cache_dir() / f".{out.stem}.vf"
    script.write_text(_bits_filter(width, height))
    sound = cache_dir() / f".{out.stem}.wav"
    audio_code.write_wav(sound, audio_code.make_coded_audio(seconds))
    tmp = out.with_suffix(".tmp.mp4")
    command = [
        "ffmpeg", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={FPS}",
        "-i", str(sound),
        "-t", f"{seconds}",
        "-filter_script:v", str(script),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-g", str(gop), "-pix_fmt", "yuv420p",
        *audio_code.AAC_OPTIONS,
        "-movflags", "+faststart",
        str(tmp),
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=600)
    tmp.replace(out)
    script.unlink(missing_ok=True)
    sound.unlink(missing_ok=True)
    return out


# Reading the number back ---------------------------------------------------------------
def decode_frame_number(image: object) -> int | None:
    """The frame number drawn in ``image`` (a QImage of the picture), or ``None`` if unreadable."""
    pixel = image.pixel  # type: ignore[attr-defined]
    return _frame_number(image.width(), image.height(), lambda x, y: (pixel(x, y) >> 8) & 0xFF)  # type: ignore[attr-defined]


def decode_frame_number_raw(data: bytes | memoryview, width: int, height: int) -> int | None:
    """The same from a picture's 32-bit BGRx rows as libVLC hands them over."""
    pixels = memoryview(data).cast("B")  # a ctypes buffer's view has format "<B": no indexing
    return _frame_number(width, height, lambda x, y: pixels[(y * width + x) * 4 + 1])


def _frame_number(width: int, height: int, green: Callable[[int, int], int]) -> int | None:
    """The frame number from a picture's green channel (the luma of its black/white bits)."""
    if width < BITS * 4 or height < 40:
        return None
    y_top = int(height * 20 / 360)
    y_low = int(height * 60 / 360)
    block_w = width / BITS
    number = 0
    for i in range(BITS):
        x = int((i + 0.5) * block_w)
        top = green(x, y_top)
        low = green(x, y_low)
        if abs(top - low) < 128 or min(abs(top - 128), abs(low - 128)) < 48:
            return None  # not a clean pair: never guess
        if top > low:
            number |= 1 << i
    return number


# The cue list of the sync clip ---------------------------------------------------------
#: Sentence lengths in 100 ms units, cycled: several 0.5 s sentences among long ones.
LENGTHS = (5, 5, 12, 25, 40, 7, 33, 18, 60, 5, 9, 22, 5, 14, 31, 8, 50, 5, 11, 27)
#: A gap (in 100 ms units) after sentence i when GAPS[i % len(GAPS)] > 0.
GAPS = (0, 0, 0, 4, 0, 0, 0, 0, 8, 0, 0, 3, 0, 0, 0, 0, 0, 6, 0, 0)
WORDS = [
    "council",
    "minister",
    "said",
    "water",
    "prices",
    "would",
    "rise",
    "again",
    "after",
    "the",
    "winter",
    "storms",
    "left",
    "three",
    "towns",
    "without",
    "power",
    "for",
    "a",
    "week",
    "while",
    "officials",
    "blamed",
    "the",
    "old",
    "grid",
    "and",
    "residents",
    "queued",
    "for",
    "bottled",
    "water",
    "outside",
    "the",
    "market",
]


@dataclass(frozen=True)
class Cue:
    sentence_id: str
    start_ms: int
    end_ms: int


def _sentence_text(rng: random.Random, length_units: int) -> str:
    count = max(2, min(40, length_units // 2 + rng.randint(0, 3)))
    words = [rng.choice(WORDS) for _ in range(count)]
    return " ".join(words).capitalize() + "."


def make_cue_article(duration_ms: int, *, seed: int = 6, quote_every_ms: int = 5000) -> Article:
    """A timed article covering ``duration_ms``: varied sentences, gaps, a quote every ~5 s.

    Every time is a multiple of 100 ms, so each sentence starts exactly on a frame.
    """
    rng = random.Random(seed)
    speakers = (
        Speaker("sp1", "Amal Haddad", "minister"),
        Speaker("sp2", "Jon Berg"),
        Speaker("sp3", "Li Wen"),
    )
    blocks: list[Block] = [
        Block(BlockKind.HEADLINE, (Sentence("h1", "Measurement clip for the sync benchmark"),)),
        Block(
            BlockKind.STANDFIRST, (Sentence("sf1", "Every frame carries its number; every cue is known."),)
        ),
    ]
    paragraph: list[Sentence] = []
    t, i = 0, 0
    sentences: list[Sentence] = []
    while True:
        length = LENGTHS[i % len(LENGTHS)] * 100
        if t + length > duration_ms - 200:
            break
        sentence = Sentence(f"s{i + 1}", _sentence_text(rng, LENGTHS[i % len(LENGTHS)]), t, t + length)
        paragraph.append(sentence)
        sentences.append(sentence)
        t += length + GAPS[i % len(GAPS)] * 100
        i += 1
        if len(paragraph) >= rng.randint(3, 7):
            blocks.append(Block(BlockKind.PARAGRAPH, tuple(paragraph)))
            paragraph = []
    if paragraph:
        blocks.append(Block(BlockKind.PARAGRAPH, tuple(paragraph)))
    quotes: list[Quote] = []
    next_at = 1000
    for sentence in sentences:
        assert sentence.start_ms is not None and sentence.end_ms is not None
        if sentence.start_ms >= next_at:
            speaker = speakers[len(quotes) % len(speakers)]
            part = QuotePart(sentence.id, 0, len(sentence.text), sentence.start_ms, sentence.end_ms)
            quotes.append(Quote(f"q{len(quotes) + 1}", speaker, (part,)))
            next_at = sentence.start_ms + quote_every_ms
    return Article(
        title="clipsync sync benchmark",
        blocks=tuple(blocks),
        speakers=speakers,
        quotes=tuple(quotes),
        duration_ms=duration_ms,
    )


def cues_of(article: Article) -> list[Cue]:
    return [
        Cue(s.id, s.start_ms, s.end_ms)
        for s in article.sentences
        if s.start_ms is not None and s.end_ms is not None
    ]


class CueList:
    """What the cue list says for a media time: the sentence id, or ``None`` in a gap."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = sorted(cues, key=lambda c: c.start_ms)
        self.starts = [c.start_ms for c in self.cues]

    def sentence_at(self, time_ms: float) -> str | None:
        from bisect import bisect_right

        i = bisect_right(self.starts, time_ms) - 1
        if i >= 0 and time_ms < self.cues[i].end_ms:
            return self.cues[i].sentence_id
        return None


def clip_with_doc(seconds: float, width: int = 640, height: int = 360) -> tuple[Path, Path]:
    """A measurement clip and its sync document beside it (same stem, cached)."""
    clip = make_clip("sync" if height == 360 else f"clip{height}", width, height, seconds)
    doc = clip.with_name(clip.stem + ".sync.json")
    if not doc.is_file():
        article = make_cue_article(int(seconds * 1000))
        article = Article(**{**_fields(article), "media_file": clip.name})
        save_sync(article, doc)
    return clip, doc


def _fields(article: Article) -> dict[str, object]:
    return {
        "title": article.title,
        "blocks": article.blocks,
        "speakers": article.speakers,
        "quotes": article.quotes,
        "language": article.language,
        "media_file": article.media_file,
        "duration_ms": article.duration_ms,
        "source": article.source,
    }


# The 3-hour article ------------------------------------------------------------------------
def make_long_article(
    sentences: int = 30_000, hours: float = 3.0, *, seed: int = 30, words: bool = False
) -> Article:
    """A made-up article of ``sentences`` timed sentences over ``hours``, with quotes, and
    with ``words`` each word timed (its share of the sentence, a short pause after commas)."""
    rng = random.Random(seed)
    duration = int(hours * 3600 * 1000)
    step = duration // sentences
    speakers = tuple(Speaker(f"sp{k}", f"Speaker {k}") for k in range(1, 9))
    blocks: list[Block] = [Block(BlockKind.HEADLINE, (Sentence("h1", "A very long hearing"),))]
    paragraph: list[Sentence] = []
    quotes: list[Quote] = []
    for i in range(sentences):
        start = i * step
        end = start + step - 20
        chosen = [rng.choice(WORDS) for _ in range(rng.randint(6, 22))]
        text = " ".join(chosen).capitalize() + "."
        sentence = Sentence(
            f"s{i + 1}", text, start, end, _word_times(text, start, end) if words else NO_WORDS
        )
        paragraph.append(sentence)
        if i % 50 == 7:
            part = QuotePart(sentence.id, 0, len(text), start, end)
            quotes.append(Quote(f"q{len(quotes) + 1}", speakers[len(quotes) % len(speakers)], (part,)))
        if len(paragraph) >= rng.randint(4, 9):
            blocks.append(Block(BlockKind.PARAGRAPH, tuple(paragraph)))
            paragraph = []
    if paragraph:
        blocks.append(Block(BlockKind.PARAGRAPH, tuple(paragraph)))
    return Article(
        title="Three hours",
        blocks=tuple(blocks),
        speakers=speakers,
        quotes=tuple(quotes),
        duration_ms=duration,
    )


def _word_times(text: str, start: int, end: int) -> WordTimes:
    """Each word of ``text`` gets its share of ``[start, end)`` by letters, minus a 30 ms pause."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    total = sum(b - a for a, b in spans) or 1
    times, done = [], 0
    for a, b in spans:
        t0 = start + (end - start) * done // total
        done += b - a
        times.append((t0, max(t0 + 1, start + (end - start) * done // total - 30)))
    return fit_words(spans, times, start, end)


def long_article_doc(sentences: int = 30_000, *, words: bool = False) -> Path:
    out = cache_dir() / f"long-{sentences}{'-words' if words else ''}-r{RECIPE}.sync.json"
    if not out.is_file():
        save_sync(make_long_article(sentences, words=words), out)
    return out


if __name__ == "__main__":
    clip, doc = clip_with_doc(150)
    print(json.dumps({"clip": str(clip), "doc": str(doc)}))
