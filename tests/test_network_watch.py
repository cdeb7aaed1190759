"""The network state machine with a hand-driven clock, and the controller's retries with a fake
player: fast and deterministic, in addition to the real-server tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.media import network
from clipsync.media.fake_players import FakePlayer
from clipsync.media.network import NetPhase, NetworkWatch
from clipsync.media.player import EventKind, PlayerEvent
from clipsync.ui.player.controller import PlaybackController, State


def playing_watch() -> NetworkWatch:
    """A watch that has played 2 s of 25 fps video, libVLC's time moving every 250 ms."""
    watch = NetworkWatch("127.0.0.1:8765", now=0.0)
    watch.started(0.1)
    for i in range(50):
        at = 0.1 + i * 0.04
        if i % 6 == 0:
            watch.time_reported(i * 40, at)
        assert watch.frame(at, 40.0)
    return watch


def test_connecting_and_buffering_show_only_after_400_ms() -> None:
    watch = NetworkWatch("example.org", now=10.0)
    assert watch.status(10.3).phase is NetPhase.NONE  # a fast open never flashes a state
    assert watch.status(10.5).text() == "Connecting to example.org…"
    watch.buffering_reported(0.0)  # libVLC says 0 % before any data: still connecting
    assert watch.status(12.6).text() == "Connecting to example.org… (2 s)"
    watch.buffering_reported(40.0)
    assert watch.status(12.7).text() == "Buffering 40 %…"
    watch.started(12.8)
    assert watch.status(12.9).phase is NetPhase.NONE


def test_a_picture_shown_again_while_the_time_stands_is_not_a_new_one() -> None:
    watch = playing_watch()  # libVLC's time last moved at 2.02 s (its input starves)
    # Pictures already decoded still play, 40 ms apart: new ones, even with the time standing.
    assert all(watch.frame(2.14 + i * 0.04, 40.0) for i in range(10))
    # Then the video output shows the last one again every ~80 ms.
    assert not watch.frame(2.58, 40.0)
    assert not watch.frame(2.66, 40.0)
    assert watch.last_real_frame_at == pytest.approx(2.50)


def test_a_late_picture_with_new_pixels_is_a_new_one() -> None:
    """A busy machine may show a new picture late while libVLC's time lags: its pixels differ
    from the one before, so it is no repeat (and no stall comes of it)."""
    watch = playing_watch()
    assert watch.frame(2.6, 40.0, same=False)
    assert watch.last_real_frame_at == 2.6


def test_late_pictures_while_the_time_moves_are_new_ones() -> None:
    """A busy machine shows a picture late; the time still moves, so it is not a stall."""
    watch = playing_watch()
    watch.time_reported(2000, 2.1)
    assert watch.frame(2.2, 40.0)


def test_a_stall_starts_half_a_second_after_the_last_new_picture_and_counts_seconds() -> None:
    watch = playing_watch()
    last = watch.last_real_frame_at
    assert last is not None
    assert not watch.should_stall(last + 0.4, has_video=True)
    assert watch.should_stall(last + 0.5, has_video=True)
    watch.stall(last + 0.5, has_video=True)
    assert watch.status(last + 3.2).text() == "Waiting for the network… 3 s"
    assert not watch.should_resume(last + 3.3, has_video=True)
    watch.time_reported(2500, last + 3.4)
    assert watch.frame(last + 3.4, 40.0)  # a new picture: data again
    assert watch.should_resume(last + 3.4, has_video=True)
    watch.resume()
    assert watch.status(last + 3.5).phase is NetPhase.NONE


def test_a_picture_of_what_was_open_before_does_not_make_a_stall_as_the_stream_starts() -> None:
    """libVLC shows the last picture of the media before as it stops it for the stream, and
    the GUI may only get the stream's first picture a tick after it was told it is out."""
    watch = NetworkWatch("127.0.0.1:8765", now=10.0)
    assert not watch.frame(10.01, 40.0)  # the media before's last picture, after the open
    watch.started(11.1)  # the stream's first picture is out...
    assert not watch.should_stall(11.11, has_video=True)  # ...and not handed over yet
    assert watch.frame(11.1, 40.0)
    assert not watch.should_stall(11.5, has_video=True)
    assert watch.should_stall(11.6, has_video=True)  # then half a second without a new one


def test_audio_only_stalls_when_its_time_stands() -> None:
    watch = NetworkWatch("h", now=0.0)
    watch.started(0.0)
    watch.time_reported(1000, 1.0)
    assert not watch.should_stall(2.4, has_video=False)
    assert watch.should_stall(2.5, has_video=False)


def test_retries_back_off_then_give_up_and_start_again_after_recovery() -> None:
    watch = playing_watch()
    assert [watch.next_retry_delay() for _ in range(4)] == [1.0, 2.0, 4.0, None]
    assert watch.status(5.0, 61_000).text() == "Connection lost at 1:01. Retrying (3 of 3)…"
    watch.resumed_from = 61_000
    watch.progressed(65_000)
    assert watch.attempt == 3
    watch.progressed(66_000)
    assert watch.attempt == 0  # 5 s of good playback: the next loss gets all attempts again


@pytest.fixture
def fake(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PlaybackController, FakePlayer]]:
    monkeypatch.setattr(network, "RETRY_DELAYS_S", (0.05, 0.1))
    player = FakePlayer(length_ms=60_000)
    player.video(25)
    controller = PlaybackController(player)
    yield controller, player
    controller.shutdown()


def test_a_stream_that_ends_early_is_reopened_at_the_last_picture(
    qtbot: QtBot, fake: tuple[PlaybackController, FakePlayer]
) -> None:
    controller, player = fake
    controller.open_url("http://127.0.0.1:8765/talk.mp4")
    player.show_frame()
    assert controller.state is State.PLAYING
    controller._text_position = 12_000  # the last picture painted was at 0:12
    player.end()  # the connection dropped: libVLC just ends
    assert controller.state is State.PLAYING  # not "ended": it retries
    assert controller.net_status.text() == "Connection lost at 0:12. Retrying (1 of 2)…"
    qtbot.waitUntil(lambda: player.calls.count("open_url") == 2, timeout=2000)
    assert controller.state is State.OPENING
    assert f"seek {12_000}" in player.calls  # reopened where the picture was
    player.show_frame()
    assert controller.state is State.PLAYING and controller.net_status.phase is NetPhase.NONE


def test_retries_that_fail_end_in_an_error_with_the_last_reason(
    qtbot: QtBot, fake: tuple[PlaybackController, FakePlayer]
) -> None:
    controller, player = fake
    controller.open_url("http://127.0.0.1:8765/talk.mp4")
    player.show_frame()
    controller._text_position = 30_000
    player.end()
    for attempt in (2, 3):
        qtbot.waitUntil(lambda attempt=attempt: player.calls.count("open_url") == attempt, timeout=2000)
        player.on_event(PlayerEvent(EventKind.ERROR, "The server at 127.0.0.1:8765 refused the connection."))
    assert controller.state is State.ERROR
    assert controller.error == (
        "The connection was lost at 0:30 and 2 attempts to reconnect failed: "
        "The server at 127.0.0.1:8765 refused the connection."
    )
    assert controller.net_status.phase is NetPhase.NONE  # no spinner after an error
    # Retry (the error panel's button) opens it again where the picture was.
    controller.retry()
    assert player.calls[-2:] == ["play", "seek 30000"] and controller.state is State.OPENING


def test_a_failure_before_the_first_picture_is_an_error_at_once(
    fake: tuple[PlaybackController, FakePlayer],
) -> None:
    controller, player = fake
    controller.open_url("http://127.0.0.1:8765/missing.mp4")
    player.on_event(PlayerEvent(EventKind.ERROR, "HTTP 404 Not Found: there is nothing at this address"))
    assert controller.state is State.ERROR and controller.error.startswith("HTTP 404")


def test_a_local_file_after_a_stream_has_no_network_state(
    fake: tuple[PlaybackController, FakePlayer],
) -> None:
    controller, _player = fake
    controller.open_url("http://127.0.0.1:8765/talk.mp4")
    assert controller.net is not None
    controller.open(Path("/media/talk.mp4"))
    assert controller.net is None and controller.media_url is None and controller.buffered_ms == -1
