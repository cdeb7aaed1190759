"""Quote jumps land on their frame in videos encoded the way people's files are (issue 18):
real libVLC, the real window, short clips made here with ffmpeg (once per run, into a
temporary folder; 24 s each, quotes at 1.0, 9.1 and 14.9 s) that carry their frame number in every picture: VP9 in WebM at 23.976 fps,
HEVC in Matroska at 25 fps (its first picture not at 0), H.264 at 60 fps; keyframes 4 s
apart, so that a jump above 1x would land (rate - 1) x up to 4 s late if it were not aimed
from the container's own index. And H.264 without B-frames at 60 fps with a keyframe every
0.1 s, so that every quote's frame is a keyframe (never aimed before it). Deterministic versions of the rules: test_any_video_fake.py."""

from __future__ import annotations

import json
import statistics
import sys
from bisect import bisect_left, bisect_right
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.timing.picture_match import References
from clipsync.media.media_index import read_index
from clipsync.media.player import EventKind, Frame, PlayerEvent
from playing_window import window_playing_at

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark modules import each other by name
import bench_matrix  # noqa: E402
from bench_media import decode_frame_number, decode_frame_number_raw  # noqa: E402

CLIPS = {
    "vp9-webm": bench_matrix.ClipSpec("t-vp9-23976-k4-webm", "24000/1001", "vp9", "webm", 4.0),
    "hevc-mkv": bench_matrix.ClipSpec("t-hevc-25-k4-mkv", "25", "hevc", "mkv", 4.0),
    "h264-60fps": bench_matrix.ClipSpec("t-h264-60-k4-mp4", "60", "h264", "mp4", 4.0),
    # libVLC's own AV1 module showed the picture at the time asked for first after about half
    # the seeks above 1x (0.3-3 s before the quote); it is decoded through libavcodec now.
    "av1-webm": bench_matrix.ClipSpec("t-av1-2997-k2-webm", "30000/1001", "av1", "webm", 2.0),
    # No B-frames and a keyframe every 0.1 s: each quote's frame is a keyframe, which an aim
    # from the keyframe before would miss by (rate - 1) x 0.1 s (3 frames at 1.5x).
    "h264-keyframe-quotes": bench_matrix.ClipSpec("t-h264base-60-k01-mp4", "60", "h264-baseline", "mp4", 0.1),
}
SIZE = (320, 180)


@pytest.fixture(scope="session")
def any_video(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, list[float]]]:
    """Each clip, its sync document (a quote every ~5 s) and its pictures' times (ms)."""
    folder = tmp_path_factory.mktemp("any-video")
    made = {}
    for key, spec in CLIPS.items():
        clip, doc = bench_matrix.make(spec, 24.0, folder, SIZE)
        made[key] = (clip, doc, json.loads(bench_matrix.frames_file(clip).read_text()))
    return made


@pytest.mark.slow
@pytest.mark.parametrize("rate", [1.0, 1.5])
@pytest.mark.parametrize("kind", list(CLIPS))
def test_a_quote_jump_lands_on_the_quotes_frame(
    qtbot: QtBot, any_video: dict[str, tuple[Path, Path, list[float]]], kind: str, rate: float
) -> None:
    """`]` twice: the first picture of the new position is the quote's own frame (the first
    whose start is at or after the quote's) or one next to it (one of the two jumps may be two frames off), and the
    text painted with it is its own: the quote's from the quote's frame on."""
    clip, doc, times = any_video[kind]
    window = window_playing_at(qtbot, clip, doc, rate)
    controller = window.controller
    painted: list[tuple[int | None, str | None]] = []
    controller.frameReady.connect(
        lambda image: painted.append((decode_frame_number(image), controller.now.sentence_id))
    )
    off: list[int] = []
    seen: list[list[int]] = []  # the first pictures of each landing (for the failure message)
    qtbot.waitUntil(lambda: controller.position() > 1500, timeout=5000)  # past the first quote
    for _ in range(2):
        qtbot.wait(500)
        quote = controller.index.next_quote(controller.position()) if controller.index else None
        assert quote is not None and quote.start_ms is not None
        # The quote's first frame: the first whose start is at or after the quote's (the one
        # on screen at the quote's start, when it starts inside it, shows the sentence before).
        frame = bisect_left(times, quote.start_ms - 0.5)
        painted.clear()
        window.window_actions.next_quote.trigger()

        def landed(start: int = quote.start_ms) -> list[tuple[int, str | None]]:
            # the quotes are 5 s or more apart: a picture within 1.5 s of this one is new
            return [
                (n, s)
                for n, s in painted
                if n is not None and n < len(times) and abs(times[n] - start) < 1500
            ]

        qtbot.waitUntil(lambda: bool(landed()), timeout=5000)
        number, sentence = landed()[0]
        off.append(number - frame)
        seen.append([n - frame for n, _ in landed()[:5]])
        # Its own text: the quote's from the quote's frame on (a landing a frame early, told
        # by its content, shows the sentence before for that frame).
        assert sentence == controller.index.at(round(times[number])).sentence_id, (kind, rate, landed()[:4])
        if number >= frame:
            assert sentence == quote.parts[0].sentence_id, (kind, rate, landed()[:4])
    window.close()
    # One frame; at 60 fps (17 ms frames) libVLC at 1x showed a picture 2 frames (33 ms) before
    # the target first in 2 of 5 runs on a loaded machine (plain python-vlc: 1 frame early, 1
    # seek in 8), so there 34 ms. As in test_seek_landing's quote jump test, one of the jumps
    # may be a frame more: beside a busy core libVLC's start latency grows, and at 1.5x an aimed
    # seek then lands (1.5 - 1) x that growth late (docs/benchmarks.md, issue 18); at 60 fps at
    # 1.5x that one was once 3 frames (50 ms) late on a quiet machine (the full suite, 2026-12-05).
    frame_ms = times[1] - times[0]
    best, worst = sorted(abs(n) for n in off)
    assert best <= max(1, 34 // frame_ms) and worst <= max(2, 51 // frame_ms), (kind, rate, seen)


@pytest.mark.slow
def test_in_webm_the_reported_time_is_the_pictures_not_the_sounds(
    qtbot: QtBot, any_video: dict[str, tuple[Path, Path, list[float]]]
) -> None:
    """The WebM clip's Opus sound starts 7 ms before 0 (its encoder's delay) and libVLC counts
    its time from there: 7 ms ahead of the picture on screen, which at 60 fps put the text a
    frame ahead whenever the clock's rounding passed half a frame. The backend reports the
    media's time: at each of libVLC's time reports in steady playback, within 2.5 ms of the
    picture on screen then (its start, plus the time since it came)."""
    clip, doc, times = any_video["vp9-webm"]
    index, mkv = read_index(clip), read_index(any_video["hevc-mkv"][0])  # AAC sound from 0
    assert index is not None and 6.0 <= index.time_lead_ms <= 8.0
    assert mkv is not None and mkv.time_lead_ms == 0
    window = window_playing_at(qtbot, clip, doc, 1.0)
    player = window.controller.player
    shown: list[tuple[float, int | None]] = []
    reports: list[tuple[float, int]] = []
    on_frame, on_event = player.on_frame, player.on_event

    def frame_seen(frame: Frame) -> None:
        shown.append((frame.at, decode_frame_number_raw(frame.data, frame.width, frame.height)))
        on_frame(frame)

    def event_seen(event: PlayerEvent) -> None:
        if event.kind is EventKind.TIME and event.at is not None:
            reports.append((event.at, int(event.value or 0)))
        on_event(event)

    player.on_frame, player.on_event = frame_seen, event_seen
    qtbot.wait(3500)
    player.on_frame, player.on_event = on_frame, on_event
    window.close()
    leads = []
    for at, reported in reports[2:]:  # after the first half second
        i = bisect_right([t for t, _ in shown], at) - 1
        first = shown[i - 2][1] if i >= 2 else None
        if first is not None and [shown[i - 1][1], shown[i][1]] == [first + 1, first + 2]:  # steady
            leads.append(reported - (times[first + 2] + (at - shown[i][0]) * 1000))
    assert len(leads) >= 6 and abs(statistics.median(leads)) <= 2.5, leads


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["vp9-webm", "h264-60fps"])
def test_after_a_jump_each_picture_gets_its_own_time_once_matched(
    qtbot: QtBot, any_video: dict[str, tuple[Path, Path, list[float]]], kind: str
) -> None:
    """At 1.5x, a seek 3.6 s after its keyframe: the media's own pictures around the target
    come from PyAV soon after the landing, and from then on every picture painted has the text
    of its own time (the landing itself may have been a frame off, by timing alone: at 60 fps
    libVLC landed 2-3 frames early on this clip, and the text was as far ahead)."""
    clip, doc, times = any_video[kind]
    window = window_playing_at(qtbot, clip, doc, 1.5)
    controller = window.controller
    arrived: list[float] = []
    got = controller._got_references

    def got_references(references: References) -> None:
        arrived.append(controller._wall())
        got(references)

    controller._got_references = got_references  # type: ignore[method-assign]
    painted: list[tuple[float, int | None, int]] = []
    controller.frameReady.connect(
        lambda image: painted.append(
            (controller._wall(), decode_frame_number(image), controller.text_position())
        )
    )
    qtbot.waitUntil(lambda: controller.position() > 1000, timeout=5000)
    target = round(times[bisect_left(times, 7600)])
    arrived.clear()  # (the start's own)
    controller.seek(target)
    qtbot.waitUntil(lambda: bool(arrived), timeout=3000)
    qtbot.wait(800)
    window.close()
    # (a picture that came before them may be painted a little later: a landing held back)
    after = [
        (n, text) for at, n, text in painted if at > arrived[0] + 0.12 and n is not None and n < len(times)
    ]
    assert len(after) >= 10
    wrong = [(n, round(times[n]), text) for n, text in after if abs(text - times[n]) > 1]
    assert not wrong, wrong[:5]


@pytest.mark.slow
def test_a_matroska_streams_pictures_are_placed_by_its_own_rate(
    qtbot: QtBot, any_video: dict[str, tuple[Path, Path, list[float]]]
) -> None:
    """libVLC gives a WebM/Matroska stream's frame duration rounded to the microsecond (41.708
    ms for 23.976 fps); the grid the text is placed on takes the stream's own rate from the
    index (24000/1001), or it drifts off the pictures (9 frames in an hour at 60 fps)."""
    clip, doc, times = any_video["vp9-webm"]
    window = window_playing_at(qtbot, clip, doc, 1.0)
    player = window.controller.player
    qtbot.waitUntil(lambda: player.grid is not None, timeout=3000)
    assert player.grid.frame_ms == pytest.approx(1001 / 24, abs=1e-9)
    assert player.grid.nearest(times[500] + 3) == pytest.approx(times[500], abs=0.5)
    window.close()


def test_av1_is_decoded_through_libavcodec(any_video: dict[str, tuple[Path, Path, list[float]]]) -> None:
    """libVLC's own AV1 module (dav1d) shows, after about half the seeks above 1x, the picture
    at the time asked for first, 0.3-3 s before the target (benchmarks/repro/
    forced_first_picture.py): an AV1 file is opened with libVLC's libavcodec module asked for,
    any other with libVLC's own choice."""
    from clipsync.media.vlc_backend import VlcPlayer

    player = VlcPlayer()
    options: list[str] = []
    new_media = player._instance.media_new_path

    def media_new_path(path: str) -> object:
        media = new_media(path)
        add = media.add_option
        media.add_option = lambda option: (options.append(option), add(option))[1]
        return media

    player._instance.media_new_path = media_new_path
    try:
        player.open(any_video["av1-webm"][0])
        assert ":codec=avcodec,any" in options
        options.clear()
        player.open(any_video["vp9-webm"][0])
        assert options and not any(option.startswith(":codec") for option in options)
    finally:
        player.release()
