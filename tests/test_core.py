"""Core unit and property tests: time codes, the lookup, the clock, sync documents, VTT/SRT."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipsync.core.errors import InputError
from clipsync.core.formats.subtitles import (
    cues_from_article,
    read_srt,
    read_vtt,
    srt_text,
    vtt_text,
    write_vtt,
)
from clipsync.core.formats.syncdoc import load_sync, save_sync, to_json
from clipsync.core.text.article import Article, Block, BlockKind, Quote, QuotePart, Sentence, Speaker
from clipsync.core.text.lookup import TranscriptIndex
from clipsync.core.timing import timecode
from clipsync.core.timing.clock import PlaybackClock

# Time codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("0", 0),
        ("7", 7000),
        ("3:37", 217000),
        ("0:03:37", 217000),
        ("1:02:03.5", 3723500),
        ("0:01.250", 1250),
        ("12:00,040", 720040),
    ],
)
def test_parse_time_codes(text: str, ms: int) -> None:
    """Seconds, m:ss and h:mm:ss with a fraction parse to integer milliseconds."""
    assert timecode.parse(text) == ms


@pytest.mark.parametrize("text", ["", "abc", "1:60", "1:61:00", "-3", "1:2:3:4", "3.1234"])
def test_parse_rejects_bad_time_codes(text: str) -> None:
    """Anything that is not a time code is refused with the text in the message."""
    with pytest.raises(ValueError, match="not a time code"):
        timecode.parse(text)


@given(st.integers(min_value=0, max_value=100 * 3600 * 1000))
def test_precise_format_round_trips(ms: int) -> None:
    """format_precise and parse are inverse for every non-negative time."""
    assert timecode.parse(timecode.format_precise(ms)) == ms
    assert timecode.parse(timecode.format_vtt(ms)) == ms


def test_clock_format_truncates_like_players() -> None:
    """The clock shows whole seconds and hours only when needed."""
    assert timecode.format_clock(217999) == "3:37"
    assert timecode.format_clock(3600_000) == "1:00:00"


# Lookup --------------------------------------------------------------------------------


def make_article(times: list[tuple[int, int] | None], quote_on: int | None = None) -> Article:
    sentences = tuple(
        Sentence(f"s{i}", f"Sentence number {i}.", *(t if t else (None, None))) for i, t in enumerate(times)
    )
    speaker = Speaker("x", "Ann Example")
    quotes: tuple[Quote, ...] = ()
    if quote_on is not None and times[quote_on]:
        start, end = times[quote_on]  # type: ignore[misc]
        quotes = (Quote("q1", speaker, (QuotePart(f"s{quote_on}", 9, 15, start + 1, end),)),)
    return Article("T", (Block(BlockKind.PARAGRAPH, sentences),), (speaker,), quotes, duration_ms=10**9)


def test_lookup_boundaries() -> None:
    """A start belongs to its sentence, an end does not, and a gap belongs to none."""
    index = TranscriptIndex(make_article([(1000, 2000), (2500, 4000), None, (4000, 5000)]))
    assert index.at(999).sentence_id is None
    assert index.at(1000).sentence_id == "s0"
    assert index.at(1999).sentence_id == "s0"
    assert index.at(2000).sentence_id is None
    assert index.at(2400).sentence_id is None
    assert index.at(2500).sentence_id == "s1"
    assert index.at(4000).sentence_id == "s3"
    assert index.at(5000).sentence_id is None
    assert index.at(4500).block_index == 0


def test_lookup_reports_the_quote() -> None:
    """A position inside a quote part names the quote and its speaker."""
    index = TranscriptIndex(make_article([(0, 1000), (1000, 3000)], quote_on=1))
    assert index.at(500).quote is None
    assert index.at(1000).quote is None  # the part starts 1 ms after the sentence
    now = index.at(1001)
    assert now.quote is not None and now.quote.speaker.name == "Ann Example"


@st.composite
def timed_sentences(draw: st.DrawFn) -> list[tuple[int, int] | None]:
    result: list[tuple[int, int] | None] = []
    t = draw(st.integers(0, 50))
    for _ in range(draw(st.integers(1, 40))):
        if draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()):
            result.append(None)
            continue
        t += draw(st.integers(0, 30))
        length = draw(st.integers(1, 60))
        result.append((t, t + length))
        t += length
    return result


@given(timed_sentences(), st.lists(st.integers(-10, 3000), min_size=1, max_size=30))
def test_lookup_matches_a_brute_force_scan(times: list[tuple[int, int] | None], positions: list[int]) -> None:
    """The binary search gives the same answer as scanning every sentence."""
    article = make_article(times)
    index = TranscriptIndex(article)
    for position in positions:
        expected = [s.id for s in article.sentences if s.timed and s.start_ms <= position < s.end_ms]  # type: ignore[operator]
        assert [index.at(position).sentence_id] == (expected or [None])


def test_next_and_previous_quote() -> None:
    """] goes to the next quote start; [ goes back, skipping one that just began."""
    sp = Speaker("a", "A")
    sentences = tuple(Sentence(f"s{i}", "Quoted words here.", i * 10000, i * 10000 + 5000) for i in range(3))
    quotes = tuple(
        Quote(f"q{i}", sp, (QuotePart(f"s{i}", 0, 6, i * 10000, i * 10000 + 5000),)) for i in range(3)
    )
    index = TranscriptIndex(Article("T", (Block(BlockKind.PARAGRAPH, sentences),), (sp,), quotes))
    assert index.next_quote(0).id == "q1"  # type: ignore[union-attr]
    assert index.next_quote(10100).id == "q2"  # type: ignore[union-attr]
    assert index.next_quote(20001) is None
    assert index.previous_quote(20500).id == "q1"  # type: ignore[union-attr]
    assert index.previous_quote(25000).id == "q2"  # type: ignore[union-attr]


# Clock ---------------------------------------------------------------------------------


class HandClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_clock_interpolates_between_coarse_reports() -> None:
    """Between reports the position advances with the wall clock; a repeat is no new anchor."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.start()
    clock.report(0)
    wall.t += 0.1
    assert clock.position() == 100
    clock.report(0)  # the same coarse value again: keep interpolating
    wall.t += 0.1
    assert clock.position() == 200
    clock.report(250)  # a new value re-anchors
    assert clock.position() == 250
    wall.t += 0.04
    assert clock.position() == 290


def test_a_coarse_clock_takes_only_times_well_ahead_of_it() -> None:
    """HLS: libVLC's time (per segment, a segment behind after a seek) does not pull the clock
    back, nor nudge it; a time far ahead (pictures skipped after a stall) is taken."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.coarse_ms = 250
    clock.seek(12_000)
    clock.start()
    wall.t += 0.25
    assert not clock.report(10_186)  # the segment's time, 1.8 s behind
    assert not clock.report(12_400)  # ahead, but within the segment's error
    assert clock.position() == 12_250
    wall.t += 0.25
    assert clock.report(13_300)  # 800 ms ahead: the player went on without us
    assert clock.position() == 13_300


def test_clock_freezes_on_pause_and_follows_rate() -> None:
    """Paused, the position stays; at 1.5x it runs 1.5 times as fast without a jump."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.start()
    wall.t += 1.0
    clock.pause()
    wall.t += 5.0
    assert clock.position() == 1000
    clock.report(1300)  # stale player time while paused is ignored
    assert clock.position() == 1000
    clock.start()
    clock.set_rate(1.5)
    assert clock.position() == 1000
    wall.t += 1.0
    assert clock.position() == 2500


def test_clock_seek_ignores_stale_reports() -> None:
    """After a seek, a report from before it does not pull the clock back."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.start()
    clock.report(50_000)
    clock.seek(10_000)
    clock.report(50_250)  # still the old position: stale
    assert clock.position() == 10_000
    wall.t += 0.2
    clock.report(10_190)
    assert clock.position() == 10_190


def test_clock_never_passes_the_length() -> None:
    """The interpolated position stops at the media's length."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.set_length(1000)
    clock.start()
    wall.t += 5
    assert clock.position() == 1000


# Sync documents ------------------------------------------------------------------------

MINI = {
    "format": "clipsync-sync",
    "version": 1,
    "title": "Mini",
    "media": {"file": "mini.mp4", "duration_ms": 10000},
    "speakers": {"ann": {"name": "Ann"}},
    "blocks": [
        {"kind": "headline", "sentences": [{"id": "s1", "text": "Hello.", "start_ms": 0, "end_ms": 1000}]},
        {
            "kind": "paragraph",
            "sentences": [
                {"id": "s2", "text": "She said “yes”.", "start_ms": 1500, "end_ms": 3000},
                {"id": "s3", "text": "Not read.", "start_ms": None, "end_ms": None},
            ],
        },
    ],
    "quotes": [
        {
            "id": "q1",
            "speaker": "ann",
            "parts": [{"sentence": "s2", "char_start": 10, "char_end": 13, "start_ms": 2000, "end_ms": 2500}],
        }
    ],
}


def write_json(tmp_path: Path, data: object, name: str = "doc.sync.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_sync_document_round_trip(tmp_path: Path) -> None:
    """Loading and saving gives back the same document."""
    article = load_sync(write_json(tmp_path, MINI))
    assert article.quotes[0].speaker.name == "Ann"
    assert not article.sentence("s3").timed
    save_sync(article, tmp_path / "again.sync.json")
    assert load_sync(tmp_path / "again.sync.json") == article
    assert to_json(article)["blocks"] == MINI["blocks"]


def broken(**changes: object) -> dict:
    doc = json.loads(json.dumps(MINI))
    for path, value in changes.items():
        target = doc
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "message", "line"),
    [
        (broken(version=3), "format version 3, newer than this clipsync reads", None),
        (broken(version=0), "unknown format version 0", None),
        (broken(format="other"), "not a clipsync sync document", None),
        (broken(blocks__1__sentences__0__start_ms=500), "before sentence 's1' ends", 30),
        (broken(blocks__1__sentences__0__end_ms=20000), "beyond the media", 30),
        (broken(blocks__1__sentences__0__end_ms=1400), "not after start_ms", 30),
        (broken(blocks__1__sentences__1__id="s1"), "duplicate sentence id", None),
        (broken(quotes__0__speaker="bob"), "unknown speaker 'bob'", None),
        (broken(quotes__0__parts__0__char_end=99), "outside sentence 's2'", None),
        (broken(quotes__0__parts__0__end_ms=3500), "fall outside sentence", None),
        (broken(blocks__0__kind="sidebar"), "unknown block kind", None),
        (broken(blocks__0__sentences__0__start_ms="0"), "expected int, got str", None),
        ([1, 2], "top level", None),
    ],
)
def test_bad_sync_documents_name_file_line_and_reason(
    tmp_path: Path, doc: object, message: str, line: int | None
) -> None:
    """Each kind of bad document raises InputError with the file, the reason and, where known, the line."""
    path = write_json(tmp_path, doc)
    with pytest.raises(InputError) as caught:
        load_sync(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    if line is not None:
        assert caught.value.line == line


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "empty", None),
        (b'{"format": "clipsync-sync",\n "version": 1,,\n}', "malformed JSON", 2),
        (b"\xff\xfe\x00", "not UTF-8", 1),
    ],
)
def test_unreadable_sync_files(tmp_path: Path, content: bytes, message: str, line: int | None) -> None:
    """Empty, malformed and non-UTF-8 files give a clear InputError with a line."""
    path = tmp_path / "bad.sync.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        load_sync(path)
    assert caught.value.line == line


def test_missing_sync_file(tmp_path: Path) -> None:
    """A missing file is named in the error."""
    with pytest.raises(InputError, match="file not found"):
        load_sync(tmp_path / "nope.sync.json")


def test_sync_document_round_trip_any_times() -> None:
    """Hypothesis: any valid timing survives save and load."""

    @settings(max_examples=40, deadline=None)
    @given(timed_sentences())
    def check(times: list[tuple[int, int] | None]) -> None:
        import tempfile

        article = make_article(times)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "a.sync.json"
            save_sync(article, path)
            assert load_sync(path) == article

    check()


# WebVTT and SRT ------------------------------------------------------------------------

texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())


@settings(deadline=None, max_examples=60)
@given(st.lists(texts, min_size=1, max_size=8), st.data())
def test_vtt_round_trip_keeps_text_times_ids_and_voices(
    tmp_path_factory: pytest.TempPathFactory, sentence_texts: list[str], data: st.DataObject
) -> None:
    """Writing cues to WebVTT and reading them back gives the same cues, voices included."""
    sentences = []
    quotes = []
    speaker = Speaker("kirby", "John Kirby")
    for i, text in enumerate(sentence_texts):
        sentences.append(Sentence(f"s{i}", text, i * 1000, i * 1000 + 900))
        if len(text) > 2 and data.draw(st.booleans()):
            a = data.draw(st.integers(0, len(text) - 2))
            b = data.draw(st.integers(a + 1, len(text)))
            quotes.append(Quote(f"q{i}", speaker, (QuotePart(f"s{i}", a, b, i * 1000, i * 1000 + 900),)))
    article = Article("T", (Block(BlockKind.PARAGRAPH, tuple(sentences)),), (speaker,), tuple(quotes))
    path = tmp_path_factory.mktemp("vtt") / "a.vtt"
    write_vtt(article, path)
    assert read_vtt(path) == cues_from_article(article)


def test_srt_round_trip(tmp_path: Path) -> None:
    """SRT keeps times and text (it has no voices)."""
    article = load_sync(write_json(tmp_path, MINI))
    path = tmp_path / "a.srt"
    path.write_text(srt_text(cues_from_article(article)), encoding="utf-8")
    assert [(c.start_ms, c.end_ms, c.text) for c in read_srt(path)] == [
        (0, 1000, "Hello."),
        (1500, 3000, "She said “yes”."),
    ]


def test_vtt_has_voice_spans(tmp_path: Path) -> None:
    """The exported WebVTT names the speaker of a quote with a <v> span."""
    article = load_sync(write_json(tmp_path, MINI))
    text = vtt_text(cues_from_article(article))
    assert "She said “<v Ann>yes</v>”." in text


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nBackwards\n", "ends", 3),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nA\n\n00:00:02.000 --> 00:00:04.000\nB\n", "overlaps", 6),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA\n\n00:00:02.000 --> 00:00:03.000\nB\n",
            "starts before",
            6,
        ),
        ("not a vtt file at all\n", "malformed WebVTT", None),
        ("WEBVTT\n\n00:00:0x.000 --> 00:00:02.000\nA\n", "malformed WebVTT", 3),
    ],
)
def test_bad_vtt_files(tmp_path: Path, content: str, message: str, line: int | None) -> None:
    """Malformed, backwards and overlapping cues are refused with the file, the line and the reason."""
    path = tmp_path / "bad.vtt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_vtt(path)
    assert caught.value.line == line


def test_clock_follows_the_player_where_it_really_landed() -> None:
    """A seek that lands far from its target (libVLC at 1.5x) is followed once the stale window is over."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.start()
    clock.seek(10_000)
    wall.t += 0.5
    clock.report(11_900)  # landed 1.4 s past the target
    assert clock.position() == 11_900


def test_clock_follows_a_far_landing_at_once_when_it_is_not_the_old_position() -> None:
    """Within the stale window only a report near where the seek came from is stale: a speed
    change (a seek to the next frame) that libVLC lands 1.5 s late is followed at once."""
    wall = HandClock()
    clock = PlaybackClock(wall)
    clock.start()
    clock.report(83_900)
    clock.seek(83_933)
    wall.t += 0.2
    clock.report(85_834)
    assert clock.position() == 85_834
