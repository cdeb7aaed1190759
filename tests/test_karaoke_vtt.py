"""WebVTT with karaoke time stamps: word times out and back in."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipsync.core.errors import InputError
from clipsync.core.formats.companions import load_text
from clipsync.core.formats.subtitles import article_from_cues, read_vtt, write_vtt
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker
from clipsync.core.text.words import WordTimes

ROOT = Path(__file__).resolve().parents[1]
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"


def test_karaoke_round_trip_keeps_every_word_start_and_span(tmp_path: Path) -> None:
    """The bundled clip exported as WebVTT and read back has the same words, at the same times,
    and exports to the same cues again."""
    article = load_sync(SYNC)
    write_vtt(article, tmp_path / "a.vtt")
    text = (tmp_path / "a.vtt").read_text(encoding="utf-8")
    assert "U.S. <00:00:06.038>Halts <00:00:06.501>Talks" in text
    assert "“<v John Kirby><00:01:10.875>inconsistent,</v>”" in text  # stamps inside voice spans
    back = load_text(tmp_path / "a.vtt", None)
    for original, read in zip(article.sentences, back.sentences, strict=True):
        assert [(w.start_ms, w.char_start, w.char_end) for w in original.words] == [
            (w.start_ms, w.char_start, w.char_end) for w in read.words
        ]
        # WebVTT keeps no word ends: a word lasts until the next starts
        assert [w.end_ms for w in read.words] == [*[w.start_ms for w in read.words][1:], original.end_ms]
        assert read.words.problem(len(read.text), read.start_ms, read.end_ms) is None
    write_vtt(back, tmp_path / "b.vtt")
    first, second = read_vtt(tmp_path / "a.vtt"), read_vtt(tmp_path / "b.vtt")
    assert [(c.start_ms, c.end_ms, c.text, c.voices, c.words) for c in first] == [
        (c.start_ms, c.end_ms, c.text, c.voices, c.words) for c in second
    ]


def test_escaped_text_and_a_late_first_word(tmp_path: Path) -> None:
    """Markup-like text stays plain; a first word said after the cue starts gets a stamp too."""
    text = "Tom <b> & Jerry said: 3 < 4."
    words = WordTimes([1500, 1800, 2100, 2300], [1700, 2000, 2300, 2900], [0, 10, 16, 22], [3, 15, 20, 23])
    speaker = Speaker("t", "Tom")
    article = Article(
        "t",
        (Block(BlockKind.PARAGRAPH, (Sentence("s1", text, 1000, 3000, words),)),),
        (speaker,),
        (Quote("q1", speaker, (QuotePart("s1", 0, 15, 1000, 2100),)),),
    )
    write_vtt(article, tmp_path / "t.vtt")
    raw = (tmp_path / "t.vtt").read_text(encoding="utf-8")
    assert "<v Tom><00:00:01.500>Tom &lt;b&gt; &amp; <00:00:01.800>Jerry</v> <00:00:02.100>said: " in raw
    (cue,) = read_vtt(tmp_path / "t.vtt")
    assert cue.text == text and cue.voices == ((0, 15, "Tom"),)
    read = article_from_cues([cue], title="t").sentences[0]
    assert [w.text_in(text) for w in read.words] == ["Tom", "Jerry", "said", "3"]
    assert [(w.start_ms, w.end_ms) for w in read.words] == [
        (1500, 1800),
        (1800, 2100),
        (2100, 2300),
        (2300, 3000),
    ]


@pytest.mark.parametrize(
    "stamps",
    [
        "A <00:00:01.500>b <00:00:01.200>c",
        "A <00:00:00.500>b c",
        "A <00:00:03.000>b c",
        "A <00:00:01.500>b <00:00:01.500>c",
    ],
)
def test_karaoke_stamps_out_of_order_or_outside_the_cue_are_refused(tmp_path: Path, stamps: str) -> None:
    """Time stamps must rise and lie inside their cue (as WebVTT requires): a clear message."""
    path = tmp_path / "bad.vtt"
    path.write_text(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{stamps}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_vtt(path)
    assert "word time stamps must rise and lie inside the cue" in str(caught.value)
    assert caught.value.line == 3
