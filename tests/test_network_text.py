"""The text of a network stream: fetched off the GUI thread with a timeout and a size limit;
slow, malformed or too large gives a clear message while the video plays on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.ui.player.controller import State
from clipsync.ui.window import location_commands
from clipsync.ui.window.location_commands import fetch_article
from clipsync.ui.window.main_window import MainWindow
from media_server import Fault, MediaServer
from network_window import wait_state

pytestmark = pytest.mark.slow


def plays_on(qtbot: QtBot, window: MainWindow) -> None:
    wait_state(qtbot, window, State.PLAYING)
    start = window.controller.position()
    qtbot.waitUntil(lambda: window.controller.position() > start + 500, timeout=5000)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (
            Fault(only="*.sync.json", body=b'{"format": "clipsync-sync", "version": 1, "blocks": ['),
            "syria.sync.json",
        ),
        (Fault(only="*.sync.json", body=b"[" * 10 + b" " * (6 * 1024 * 1024)), "too large (6.3 MB"),
        (Fault(only="*.sync.json", first_byte_delay=3), "did not answer within 1 s"),
        (Fault(only="*.sync.json", status=500), "HTTP 500 Internal Server Error"),
    ],
    ids=["malformed", "too large", "slow", "server error"],
)
def test_a_bad_text_is_reported_while_the_video_plays_on(
    qtbot: QtBot,
    window: MainWindow,
    media_server: MediaServer,
    monkeypatch: pytest.MonkeyPatch,
    fault: Fault,
    words: str,
) -> None:
    monkeypatch.setattr(location_commands, "TEXT_TIMEOUT_S", 1.0)
    media_server.scenario("text", fault)
    window.open_location(media_server.url("text", "syria.mp4"))
    plays_on(qtbot, window)  # the player never waits for the text
    qtbot.waitUntil(lambda: not window.location_commands.text_pending, timeout=10_000)
    message = window.statusBar().currentMessage()
    assert message.startswith("Text not loaded: " + media_server.url("text", "syria.sync.json")), message
    assert words in message
    assert window.controller.article is None
    assert "The text could not be loaded." in window.article_view.empty_hint.text()
    plays_on(qtbot, window)


def test_without_a_text_beside_it_the_stream_plays_and_says_how_to_add_one(
    qtbot: QtBot, window: MainWindow, media_server: MediaServer
) -> None:
    """No NAME.sync.json, .vtt or .srt at the base address (all 404): no error, the usual hint."""
    media_server.scenario("notext", Fault(only="syria.[sv]*", status=404))
    window.open_location(media_server.url("notext", "syria.mp4"))
    plays_on(qtbot, window)
    qtbot.waitUntil(lambda: not window.location_commands.text_pending, timeout=10_000)
    assert window.controller.article is None
    assert window.article_view.empty_hint.text().startswith("No text for this media yet.")
    assert "Text not loaded" not in window.statusBar().currentMessage()
    asked = [r.name for r in media_server.requests if r.scenario == "notext" and r.name != "syria.mp4"]
    assert asked[:3] == ["syria.sync.json", "syria.vtt", "syria.srt"]


def test_a_text_given_as_an_address(qtbot: QtBot, window: MainWindow, media_server: MediaServer) -> None:
    """--sync URL (or the second argument of open_location): that text, here WebVTT."""
    window.open_location(media_server.url("good", "syria.mp4"), media_server.url("good", "syria.vtt"))
    plays_on(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.article is not None, timeout=10_000)
    assert window.controller.article.title == "syria"  # made from the WebVTT cues


def test_the_vtt_beside_the_stream_is_found(media_server: MediaServer) -> None:
    """The sync document is missing (404): the next name, NAME.vtt, is taken."""
    media_server.scenario("vttonly", Fault(only="*.sync.json", status=404))
    base = media_server.url("vttonly", "syria")
    article, problem = fetch_article([base + ".sync.json", base + ".vtt", base + ".srt"], required=False)
    assert problem == "" and article is not None and len(article.sentences) > 10


def test_a_local_text_for_a_stream(
    qtbot: QtBot, window: MainWindow, media_server: MediaServer, clip_sync: Path
) -> None:
    window.open_location(media_server.url("good", "numbered.mp4"), str(clip_sync))
    assert window.controller.article is not None  # a local file loads at once
    plays_on(qtbot, window)


def test_a_text_of_a_stream_is_right_when_it_arrives_late(
    qtbot: QtBot, window: MainWindow, media_server: MediaServer
) -> None:
    """The text comes 2 s after the picture: the highlight is right at once when it does."""
    media_server.scenario("late", Fault(only="*.sync.json", first_byte_delay=2))
    window.open_location(media_server.url("late", "syria.mp4"))
    plays_on(qtbot, window)
    assert window.controller.article is None
    qtbot.waitUntil(lambda: window.controller.article is not None, timeout=10_000)
    index = window.controller.index
    assert index is not None
    assert window.controller.now.ref is index.at(window.controller.text_position()).ref


def test_the_caption_track_in_the_chosen_language_is_fetched(
    qtbot: QtBot, window: MainWindow, media_server: MediaServer
) -> None:
    """A web server has no folder to list: the track of the language the viewer chose
    (NAME.es.vtt) is looked for at the same base address, and the captions come from it."""
    captions = window.caption_controls
    captions.set_style(dataclasses.replace(captions.style, language="es"))
    window.open_location(media_server.url("good", "syria.mp4"))
    qtbot.waitUntil(lambda: "es" in captions.tracks, timeout=10_000)
    assert (
        captions.tracks["es"].read_bytes()
        == (Path(__file__).parents[1] / "resources/clip/syria.vtt").read_bytes()
    )
    assert media_server.requested("good", "syria.es.sync.json")  # looked for in order
    plays_on(qtbot, window)
    assert captions.track is not None
