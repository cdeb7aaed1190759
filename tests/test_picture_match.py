"""Telling which of the media's pictures is on screen by its content (issue 18): signatures
and matching (pure), the references decoded with PyAV from a real clip, and the controller
counting on from a matched picture (fake player, hand clock). Through real libVLC:
test_any_video.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.timing.picture_match import References, pixels_signature, signature
from clipsync.media.picture_refs import AFTER_MS, BEFORE_MS, FIRST_MS, ReferenceReader, decode_references
from clipsync.media.player import EventKind, PlayerEvent
from test_any_video_fake import Rig

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_matrix  # noqa: E402

W, H = 128, 72


def picture(n: int, shift: float = 0.0) -> bytes:
    """A made-up BGRx picture for frame ``n``: a gradient, a bar and a band that move a little
    each frame (``shift``: a brightness offset, as another colour conversion might add)."""
    y, x = np.mgrid[0:H, 0:W]
    bar = (x >= (n * 6) % W) & (x < (n * 6) % W + 6)
    band = (y >= (n * 5) % H) & (y < (n * 5) % H + 5)  # with the bar: no repeat within 576 frames
    luma = (x * 0.6 + y * 0.3 + 60 * bar + 50 * band).clip(0, 255 - shift) + shift
    pixels = np.zeros((H, W, 4), np.uint8)
    pixels[..., :3] = luma[..., None].astype(np.uint8)
    return pixels.tobytes()


def test_a_picture_matches_its_own_reference_and_not_its_neighbours() -> None:
    refs = References(400, tuple((n * 40.0, signature(picture(n), W, H)) for n in range(8, 14)))
    for n in range(8, 14):
        assert refs.identify(signature(picture(n, shift=6.0), W, H)) == n * 40.0
    assert refs.identify(signature(picture(18), W, H)) is None  # none of them


def test_a_flat_picture_or_a_still_scene_decides_nothing() -> None:
    flat = np.full((H, W, 4), 90, np.uint8)
    assert pixels_signature(flat) is None
    assert signature(b"\x00" * 16, 2, 2) is None
    assert signature(b"\x00" * 10, W, H) is None  # shorter than the picture
    still = signature(picture(5), W, H)
    refs = References(200, ((200.0, still), (240.0, still), (280.0, signature(picture(6), W, H))))
    assert refs.identify(still) is None  # two references alike: which one is not clear
    assert References(0, ()).identify(still) is None


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    spec = bench_matrix.ClipSpec("t-vp9-25-k2-webm", "25", "vp9", "webm", 2.0)
    made, _doc = bench_matrix.make(spec, 6.0, tmp_path_factory.mktemp("match"), (320, 180))
    return made, json.loads(bench_matrix.frames_file(made).read_text())


def test_the_references_are_the_clips_own_pictures_around_the_target(clip: tuple[Path, list[float]]) -> None:
    """Decoded with PyAV from the keyframe before: each picture's own start, from 150 ms
    before the target to 1.5 s after it (those to 400 ms after it handed over first), and each
    frame of the clip matches its own."""
    import av

    path, times = clip
    early: list[References] = []
    refs = decode_references(path, 3100, early=early.append)
    assert refs is not None and refs.target_ms == 3100
    assert len(early) == 1 and [s for s, _ in early[0].pictures] == pytest.approx(
        [t for t in times if 3100 - BEFORE_MS <= t <= 3100 + FIRST_MS], abs=1
    )
    starts = [start for start, _ in refs.pictures]
    assert starts == pytest.approx([t for t in times if 3100 - BEFORE_MS <= t <= 3100 + AFTER_MS], abs=1)
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            assert frame.pts is not None and frame.time_base is not None
            start = float(frame.pts * frame.time_base) * 1000
            if 3100 <= start <= 3500:
                assert refs.identify(pixels_signature(frame.to_ndarray(format="bgra"))) == pytest.approx(
                    start
                )
    assert decode_references(path.with_name("missing.webm"), 3100) is None


def test_a_newer_request_cancels_the_older_one(clip: tuple[Path, list[float]], qtbot: QtBot) -> None:
    path, _ = clip
    got: list[int] = []
    reader = ReferenceReader(lambda refs: got.append(refs.target_ms))
    reader.request(path, 1000)
    reader.request(path, 4000)
    qtbot.waitUntil(lambda: got == [4000, 4000], timeout=5000)  # the first ones, then all
    qtbot.wait(200)
    assert got == [4000, 4000]


def test_the_controller_counts_on_from_the_picture_that_matches(qtbot: QtBot, clip_sync: Path) -> None:
    """A jump whose first picture was a frame after the target (taken for the target, the text
    a frame behind): once the references come, the next picture matches its own and the text
    is its own, and so on; the player is told how far the landing was off. An exact seek (Edit
    timings) asks for none."""
    rig = Rig(qtbot, clip_sync, 25.0)
    asked: list[int] = []
    missed: list[float] = []
    rig.player.request_references = asked.append  # type: ignore[method-assign]
    rig.player.seek_missed = missed.append  # type: ignore[method-assign]

    def show(n: int, after_s: float) -> None:
        rig.wall.t += after_s
        rig.player.show_frame(rig.wall.t, picture=(picture(n), W, H))
        qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)
        qtbot.waitUntil(lambda: rig.controller._held is None)

    rig.play(20)
    rig.controller.seek(6000)
    rig.player.position = 6040
    show(151, 0.06)  # frame 151 first, taken for the target's, 150
    assert rig.controller.text_position() == 6000 and asked == [6000]
    refs = References(6000, tuple((n * 40.0, signature(picture(n), W, H)) for n in range(148, 170)))
    rig.player.on_event(PlayerEvent(EventKind.REFERENCES, References(5000, refs.pictures)))  # an older jump's
    rig.player.on_event(PlayerEvent(EventKind.REFERENCES, refs))
    shown = []
    for n in range(152, 158):
        show(n, 0.04)
        shown.append(rig.controller.text_position())
    assert shown == [n * 40 for n in range(152, 158)]
    assert missed == [40]
    # Edit timings: an exact position inside a picture stays as it is, so nothing is matched.
    rig.controller.seek(9010, exact=True)
    assert asked == [6000]


def test_once_the_references_are_there_the_content_decides_the_landing(qtbot: QtBot, clip_sync: Path) -> None:
    """References there before the first new picture (the decode had started with the jump):
    a picture like none of them is old wherever it comes (the late old picture, off the old
    pictures' cadence, which the timing rules took for the landing), once a match showed that
    this media's pictures match at all; the first one that matches lands on its own time (a
    frame after the target here) and is painted at once, not held. The old one shown again is
    old too."""
    rig = Rig(qtbot, clip_sync, 25.0)
    painted: list[int] = []
    rig.controller.frameReady.connect(lambda image: painted.append(rig.controller.text_position()))

    def references(target: int) -> None:
        pictures = tuple(
            (n * 40.0, signature(picture(n), W, H)) for n in range(target // 40 - 3, target // 40 + 30)
        )
        rig.player.on_event(PlayerEvent(EventKind.REFERENCES, References(target, pictures)))

    def show(n: int, after_s: float) -> None:
        rig.wall.t += after_s
        rig.player.show_frame(rig.wall.t, picture=(picture(n), W, H))
        qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)

    rig.play(20)
    rig.controller.seek(6000)
    references(6000)
    show(150, 0.06)  # the target's own: a match, painted at once
    assert painted[-1] == 6000 and rig.controller._held is None and not rig.controller._pictures.pending
    for n in range(151, 160):
        show(n, 0.04)
    painted.clear()
    rig.controller.seek(12000)
    references(12000)
    show(171, 0.025)  # the late old picture, 11 frames after the old position, off the cadence
    assert painted == [] and rig.controller._pictures.pending
    rig.wall.t += 0.01
    rig.player.show_frame(rig.wall.t, repeat=True, picture=(picture(171), W, H))  # shown again
    qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)
    assert painted == [] and rig.controller._pictures.pending  # (it was painted, as the landing)
    show(301, 0.03)  # the first new one, a frame after the target's
    assert painted == [12040] and rig.controller._held is None
    show(302, 0.04)
    assert painted == [12040, 12080]


def test_references_decoded_ahead_answer_a_request_at_once(
    clip: tuple[Path, list[float]], qtbot: QtBot
) -> None:
    """The quotes next to the position are decoded ahead; a jump to one of them gets its
    references at once, in the asking thread (a target they do not cover is decoded as
    before), and another media drops them."""
    path, _ = clip
    got: list[tuple[int, int]] = []
    reader = ReferenceReader(lambda refs: got.append((refs.target_ms, len(refs.pictures))))
    reader.prefetch(path, [3100, 4500])
    qtbot.waitUntil(lambda: reader._covered(4500) is not None, timeout=5000)
    reader.request(path, 3120)  # covered by 3100's: from 2950 to 4600
    assert got and got[0][0] == 3120 and got[0][1] > 30
    got.clear()
    reader.request(path, 1000)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)  # decoded: the first ones, then all
    reader.cancel()
    assert reader._covered(3100) is None


def test_decoding_ahead_waits_while_a_request_is_decoded(
    clip: tuple[Path, list[float]], qtbot: QtBot
) -> None:
    """A jump's own references go first: while one is decoded, nothing is decoded ahead."""
    path, _ = clip
    reader = ReferenceReader(lambda refs: None)
    reader._requesting = 1  # as while a request's thread decodes
    reader.prefetch(path, [3100])
    qtbot.wait(500)  # enough for the whole window of this clip, decoded ahead
    assert reader._covered(3100) is None and 3100 in reader._fetching
    reader._requesting = 0
    qtbot.waitUntil(lambda: reader._covered(3100) is not None, timeout=5000)


def test_the_controller_decodes_the_quotes_ahead_the_likely_ones_first(qtbot: QtBot, clip_sync: Path) -> None:
    """When the sentence changes, the targets of ``]`` and ``[`` from there (the first
    picture of each quote) go to the player to be decoded ahead first, then those of the
    nearest other quotes (a marker click goes to any), ``PREFETCH_QUOTES`` in all."""
    rig = Rig(qtbot, clip_sync, 25.0)
    ahead: list[list[int]] = []
    rig.player.prefetch_references = ahead.append  # type: ignore[method-assign]
    index = rig.controller.index
    assert index is not None
    rig.controller.seek(60_000)
    rig.player.position = rig.media_ms = 60_000
    rig.frame(60)
    rig.play(10)
    position = rig.controller.position()
    likely = [
        q.start_ms for q in (index.next_quote(position), index.previous_quote(position)) if q and q.start_ms
    ]
    others = sorted(
        (q.start_ms for q in index.quotes_in_time_order() if q.start_ms and q.start_ms not in likely),
        key=lambda start: abs(start - position),
    )
    expected = (likely + others)[: rig.controller.PREFETCH_QUOTES]
    assert likely and len(expected) > len(likely)
    assert ahead and ahead[-1] == [rig.grid.seek_to(start)[1] for start in expected]


def test_after_a_jump_back_the_old_pictures_within_the_references_do_not_end_the_matching(
    qtbot: QtBot, clip_sync: Path
) -> None:
    """A jump 0.5 s back at 50 fps, with references (decoded ahead for a nearby quote) that end
    at the last picture before the jump: the old pictures on their way match as what they are
    (their own text), the count passes the references' last, and the target's pictures after
    them still get their own times (the matching ended there, and the count ran 0.54 s ahead)."""
    rig = Rig(qtbot, clip_sync, 50.0)
    shown: list[tuple[int, int]] = []

    def show(n: int) -> None:
        rig.wall.t += 0.02
        rig.player.show_frame(rig.wall.t, picture=(picture(n), W, H))
        qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)
        qtbot.waitUntil(lambda: rig.controller._held is None)
        shown.append((n, rig.controller.text_position()))

    for n in range(1, 124):
        show(n)
    rig.controller.seek(2000)
    pictures = tuple((n * 20.0, signature(picture(n), W, H)) for n in range(75, 125))  # to 2480 ms
    rig.player.on_event(PlayerEvent(EventKind.REFERENCES, References(2000, pictures)))
    for n in (124, 125, *range(100, 106)):
        show(n)
    assert shown[-8:] == [(124, 2480), (125, 2500)] + [(n, n * 20) for n in range(100, 106)]


def test_a_landing_the_content_takes_back_leaves_the_jump_waiting(qtbot: QtBot, clip_sync: Path) -> None:
    """A picture of an earlier jump, long after it (at 0.75x libVLC showed one 1.8 s late),
    taken for the landing by the rules and like none of the references: the clock waits at the
    target again, and a speed change then asks for that target again (it asked for the frame
    after the text on screen, and the jump was lost)."""
    rig = Rig(qtbot, clip_sync, 25.0)
    rig.play(20)
    rig.controller.seek(6000)
    pictures = tuple((n * 40.0, signature(picture(n), W, H)) for n in range(147, 190))
    rig.player.on_event(PlayerEvent(EventKind.REFERENCES, References(6000, pictures)))
    rig.wall.t += 0.06
    rig.player.show_frame(rig.wall.t, picture=(picture(150), W, H))  # a match: it works here
    qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)
    rig.controller.seek(30_000)
    pictures = tuple((n * 40.0, signature(picture(n), W, H)) for n in range(747, 790))
    rig.player.on_event(PlayerEvent(EventKind.REFERENCES, References(30_000, pictures)))
    rig.wall.t += 1.2
    rig.player.show_frame(rig.wall.t, picture=(picture(140), W, H))  # the earlier jump's, late
    qtbot.waitUntil(lambda: rig.controller.frame_number == rig.player.frames - 1)
    assert rig.controller._pictures.pending and not rig.controller.clock.running
    assert rig.controller.position() == 30_000
    rig.controller.set_rate(1.5)
    assert rig.player.calls[-1].startswith("seek 30")
