"""Descriptions as data and the plan that fits them into the speech: the WebVTT track, the sync
document's ``descriptions`` (round trip, checks, older documents unchanged byte for byte), the
gaps of the bundled clip, and the planner and scheduler driven by a fake clock."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import jsonschema
import pytest

from clipsync.core.descriptions import (
    Act,
    Description,
    DescriptionScheduler,
    Gap,
    PauseMode,
    descriptions_of,
    is_speech,
    parse_track,
    plan,
    read_track,
    speech,
    speech_gaps,
    track_path_for,
    track_text,
    with_descriptions,
)
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import dumps, load_sync, save_sync, to_json

ROOT = Path(__file__).resolve().parents[1]
SYNC = ROOT / "resources" / "clip" / "syria.sync.json"
SCHEMAS = ROOT / "resources" / "schema"


# The WebVTT track ------------------------------------------------------------------------
def test_track_beside_the_media_reads_in_time_order(tmp_path: Path) -> None:
    media = tmp_path / "talk.mp4"
    assert track_path_for(media) == tmp_path / "talk.descriptions.vtt"
    track_path_for(media).write_text(
        "WEBVTT\n\nlate\n00:00:09.000 --> 00:00:10.000\nA <i>map</i>.\n\n"
        "00:00:01.250 --> 00:00:03.000\nTitle card:\nwhite on blue &amp; gold.\n",
        encoding="utf-8",
    )
    got = read_track(track_path_for(media))
    assert [(d.id, d.time_ms, d.text) for d in got] == [
        ("d2", 1250, "Title card: white on blue & gold."),
        ("late", 9000, "A map."),
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("hello\n", 1, "not a WebVTT file"),
        ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nx\n", 1, "no description cues found"),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:0x.000 --> 00:00:04.000\nx\n",
            6,
            "cue timing",
        ),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nx\n", 3, "ends before it starts"),
        ("WEBVTT\n\na\n00:00:01.000 --> 00:00:02.000\nx\n\na\n00:00:03.000 --> 00:00:04.000\ny\n", 8, "'a'"),
    ],
)
def test_a_malformed_track_says_what_and_where(
    tmp_path: Path, text: str, line: int | None, reason: str
) -> None:
    path = tmp_path / "bad.descriptions.vtt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_track(path)
    assert caught.value.path == path
    assert reason in caught.value.reason
    if line is not None:
        assert caught.value.line == line


def test_track_text_reads_back() -> None:
    ds = (Description("d1", 1500, "A map & <a flag>."), Description("x", 60_000, "Kerry."))
    assert parse_track(track_text(ds, {"d1": 2100})) == ds


# The sync document -----------------------------------------------------------------------
def test_older_documents_load_and_save_byte_for_byte(tmp_path: Path) -> None:
    article = load_sync(SYNC)
    assert descriptions_of(article) == ()
    out = tmp_path / "again.sync.json"
    save_sync(article, out)
    assert out.read_bytes() == SYNC.read_bytes()


def test_descriptions_round_trip_and_match_the_schema(tmp_path: Path) -> None:
    article = with_descriptions(
        load_sync(SYNC), [Description("d2", 92_000, "Kirby."), Description("d1", 0, "Title card.")]
    )
    out = tmp_path / "described.sync.json"
    save_sync(article, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["descriptions"] == [
        {"id": "d1", "time_ms": 0, "text": "Title card."},
        {"id": "d2", "time_ms": 92_000, "text": "Kirby."},
    ]
    jsonschema.validate(
        data, json.loads((SCHEMAS / "clipsync-sync-2.schema.json").read_text(encoding="utf-8"))
    )
    again = load_sync(out)
    assert descriptions_of(again) == descriptions_of(article)
    assert again.sentences == article.sentences
    assert with_descriptions(again, []).__class__.__name__ == "Article"
    assert dumps(to_json(with_descriptions(again, []))) + "\n" == SYNC.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("descriptions", "where"),
    [
        ("nope", "document.descriptions: expected list"),
        ([{"id": "d1", "time_ms": 0}], "descriptions[0].text: missing"),
        ([{"id": "d1", "time_ms": -5, "text": "x"}], "descriptions[0].time_ms: -5 ms is outside the media"),
        ([{"id": "d1", "time_ms": 300_000, "text": "x"}], "300000 ms is outside the media (0 to 217000 ms)"),
        (
            [{"id": "d1", "time_ms": 0, "text": "x"}, {"id": "d1", "time_ms": 5, "text": "y"}],
            "duplicate description id 'd1'",
        ),
        ([{"id": "d1", "time_ms": 0, "text": "  "}], "descriptions[0].text: empty description text"),
    ],
)
def test_bad_descriptions_in_a_document_are_named(tmp_path: Path, descriptions: object, where: str) -> None:
    data = json.loads(SYNC.read_text(encoding="utf-8"))
    data["descriptions"] = descriptions
    path = tmp_path / "bad.sync.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_sync(path)
    assert where in str(caught.value)


# Gaps and the plan -----------------------------------------------------------------------
def test_the_bundled_clips_gaps_lie_between_sentences() -> None:
    article = load_sync(SYNC)
    gaps = speech_gaps(article, article.duration_ms)
    assert gaps[0] == Gap(0, 5403)
    assert gaps[-1] == Gap(211597, 217000)
    assert all(g.length_ms >= 500 for g in gaps)
    spans = speech(article)
    assert not any(is_speech(spans, g.start_ms, g.end_ms) for g in gaps)
    # Pauses between words (0.15-0.26 s in this clip) are no gaps.
    assert len(gaps) == len([1 for a, b in itertools.pairwise(spans) if b[0] - a[1] >= 500]) + 2


GAPS = [Gap(0, 5000), Gap(9000, 10_000), Gap(20_000, 30_000)]


def d(n: int, at: int) -> Description:
    return Description(f"d{n}", at, f"Description {n}.")


def test_a_description_is_said_in_the_first_gap_at_or_after_its_time() -> None:
    p = plan([(d(1, 6000), 800), (d(2, 2000), 1000)], GAPS)
    assert [(s.description.id, s.start_ms, s.hold_ms) for s in p.slots] == [
        ("d2", 2000, None),
        ("d1", 9000, None),
    ]


def test_too_long_pauses_at_the_gaps_end_only_when_needed() -> None:
    items = [(d(1, 9500), 1800)]
    needed = plan(items, GAPS).slots[0]
    assert (needed.start_ms, needed.hold_ms, needed.held_ms) == (9500, 9990, 1310)  # 10 ms before speech
    assert plan(items, GAPS, PauseMode.NEVER).slots == ()
    assert (
        "1.8 s of speech does not fit the 0.5 s gap" in plan(items, GAPS, PauseMode.NEVER).unspoken[0].reason
    )
    always = plan([(d(2, 20_000), 500)], GAPS, PauseMode.ALWAYS).slots[0]
    assert (always.start_ms, always.hold_ms, always.held_ms) == (20_000, 20_000, 500)
    fits = plan([(d(2, 20_000), 500)], GAPS).slots[0]
    assert fits.hold_ms is None and fits.end_ms == 20_500


def test_descriptions_share_a_gap_one_after_another_and_chain_on_a_hold() -> None:
    p = plan([(d(1, 0), 2000), (d(2, 0), 2000), (d(3, 1000), 2000)], GAPS)
    assert [(s.start_ms, s.hold_ms) for s in p.slots] == [(0, None), (2000, None), (4000, 4990)]
    chained = plan([(d(1, 9000), 1500), (d(2, 9200), 700)], GAPS)
    assert [(s.start_ms, s.hold_ms) for s in chained.slots] == [(9000, 9990), (9990, 9990)]


def test_a_gap_nearly_over_is_passed_for_the_next() -> None:
    assert plan([(d(1, 4900), 300)], GAPS).slots[0].start_ms == 9000


def test_a_jump_into_a_gap_speaks_what_still_fits() -> None:
    # From the start: d1 at 20-24 s, d2 at 24-26 s, d3 at 27-28 s.
    items = [(d(1, 20_000), 4000), (d(2, 20_000), 2000), (d(3, 27_000), 1000)]
    p = plan(items, GAPS, from_ms=25_000)
    # Jumping to 25 s: d1 (4 s) fits the 5 s left, d2 (2 s) then no longer does; d3, whose
    # place was ahead, follows as usual.
    assert [(s.description.id, s.start_ms) for s in p.slots] == [("d1", 25_000), ("d3", 29_000)]
    assert [u.description.id for u in p.unspoken] == ["d2"]
    # Jumping into speech before a description's gap plans it as usual.
    assert plan([(d(1, 6000), 800)], GAPS, from_ms=7000).slots[0].start_ms == 9000
    # Always pausing, what was due in the gap is said from there, the video waiting.
    always = plan(items, GAPS, PauseMode.ALWAYS, from_ms=25_000).slots
    assert [(s.description.id, s.start_ms, s.hold_ms) for s in always][:2] == [
        ("d1", 25_000, 25_000),
        ("d2", 25_000, 25_000),
    ]
    # A gap left behind is behind.
    assert plan([(d(1, 0), 800)], GAPS, from_ms=7000).slots == ()


# The scheduler, on a fake clock ----------------------------------------------------------
class FakeRun:
    """Plays a plan on a fake clock: the video moves unless held or paused."""

    def __init__(
        self, items: list[tuple[Description, int]], mode: PauseMode = PauseMode.WHEN_NEEDED, rate: float = 1.0
    ) -> None:
        self.s = DescriptionScheduler(mode)
        self.s.set_rate(rate)
        self.rate = rate
        self.s.load(items, GAPS, 0)
        self.position = 0.0
        self.wall = 0.0
        self.held = False
        self.user_paused = False
        self.log: list[tuple[float, float, str]] = []  # wall s, position ms, act

    def step(self, ms: float = 10) -> None:
        running = not self.held and not self.user_paused
        if running:
            self.position += ms * self.rate
        self.wall += ms / 1000
        for action in self.s.update(int(self.position), running, self.wall):
            self.do(action.act)

    def do(self, act: Act) -> None:
        self.log.append((round(self.wall, 3), int(self.position), act.value))
        if act is Act.HOLD:
            self.held = True
        elif act is Act.RELEASE:
            self.held = False

    def run_until(self, wall_s: float) -> None:
        while self.wall < wall_s - 1e-9:
            self.step()

    def acts(self) -> list[str]:
        return [a for _, _, a in self.log]


@pytest.mark.parametrize("rate", [0.5, 1.0, 1.5, 2.0])
def test_a_voice_that_fits_is_said_in_its_gap_at_every_speed(rate: float) -> None:
    run = FakeRun([(d(1, 2000), 2000)], rate=rate)
    run.run_until(6 / rate)
    assert run.acts() == ["duck", "speak", "unduck"]
    (w0, p0, _), _, (w1, p1, _) = run.log
    assert p0 == pytest.approx(2000, abs=10 * rate)  # spoken at its time
    assert (w1 - w0) * 1000 == pytest.approx(2000 / rate, abs=11)  # its voice follows the speed
    assert p1 <= 5000  # and ends before the gap does


@pytest.mark.parametrize("rate", [0.5, 1.0, 2.0])
def test_a_voice_too_long_holds_the_video_at_the_gaps_end_until_it_ends(rate: float) -> None:
    run = FakeRun([(d(1, 9500), 1800)], rate=rate)
    run.run_until(14 / rate)
    assert run.acts() == ["duck", "speak", "hold", "unduck", "release"]
    speak, hold, release = run.log[1], run.log[2], run.log[4]
    assert hold[1] == pytest.approx(9990, abs=10 * rate)  # 10 ms before the gap's end, within a tick
    assert (release[0] - speak[0]) * 1000 == pytest.approx(1800 / rate, abs=11)  # when the voice ends
    assert release[1] == hold[1]  # the video did not move while held


def test_never_pause_says_nothing_that_does_not_fit_and_always_pause_holds_every_time() -> None:
    never = FakeRun([(d(1, 9500), 1800)], PauseMode.NEVER)
    never.run_until(14)
    assert never.acts() == []
    always = FakeRun([(d(1, 2000), 500)], PauseMode.ALWAYS)
    always.run_until(4)
    assert always.acts() == ["duck", "hold", "speak", "unduck", "release"]


def test_a_seek_stops_the_voice_and_a_jump_into_the_gap_speaks_what_fits() -> None:
    run = FakeRun([(d(1, 20_000), 4000), (d(2, 20_000), 5000)])
    run.position = 19_000
    run.run_until(2.0)  # d1 starts at 20 s
    assert run.acts() == ["duck", "speak"]
    run.position = 26_500  # the viewer jumps within the gap: 3.5 s left
    run.step()
    assert run.acts()[2:] == ["stop", "unduck"]
    run.run_until(6)
    assert run.acts()[2:] == ["stop", "unduck"]  # neither fits the 3.5 s left: nothing said
    run.position = 20_940  # back to 20.95 s: 9.05 s left, d1 (4 s) fits, then d2 (5 s) fits after it
    run.step()
    run.run_until(16)
    assert run.acts()[4:] == ["duck", "speak", "speak", "unduck"]


def test_a_pause_pauses_the_voice_and_it_goes_on_after() -> None:
    run = FakeRun([(d(1, 2000), 2000)])
    run.run_until(2.5)
    run.user_paused = True
    for a in run.s.user_paused():
        run.do(a.act)
    run.run_until(10)  # paused a long time: the voice's time does not run
    run.user_paused = False
    for a in run.s.user_resumed():
        run.do(a.act)
    run.run_until(13)
    assert run.acts() == ["duck", "speak", "pause_voice", "resume_voice", "unduck"]
    assert run.log[-1][0] - run.log[-2][0] == pytest.approx(1.5, abs=0.02)


def test_playing_on_while_held_stops_the_voice() -> None:
    run = FakeRun([(d(1, 9500), 3000)])
    run.run_until(10.2)
    assert run.acts() == ["duck", "speak", "hold"]
    run.held = False
    assert [a.act.value for a in run.s.user_resumed()] == ["stop", "unduck"]


def test_a_voice_started_late_holds_the_video_rather_than_run_into_speech() -> None:
    run = FakeRun([(d(1, 2000), 2900)])  # fits the 3 s left of the gap at 2 s, just
    run.position = 2140.0  # a busy machine: the first poll in the gap comes 140 ms late
    run.wall = 2.14
    run.s._planned_at = 2140
    run.run_until(8)
    assert run.acts() == ["duck", "speak", "hold", "unduck", "release"]
    assert run.log[2][1] <= 4990
    never = FakeRun([(d(1, 2000), 2900)], PauseMode.NEVER)
    never.position, never.wall, never.s._planned_at = 2140.0, 2.14, 2140
    never.run_until(8)
    assert never.acts() == []
