"""Fetching text and probing media over a real HTTP server on 127.0.0.1, with real faults."""

from __future__ import annotations

import socket
import urllib.error
from pathlib import Path

import pytest

from clipsync.fetch import Failure, FetchError, explain, fetch_bytes, probe_media
from media_server import WEB_PAGE, Fault, MediaServer, free_port, self_signed_certificate


def test_text_and_media_are_fetched(media_server: MediaServer, clip_sync: Path) -> None:
    assert fetch_bytes(media_server.url("good", "syria.sync.json")) == clip_sync.read_bytes()
    probe = probe_media(media_server.url("good", "syria.mp4"))
    assert probe.status == 206 and probe.content_type == "video/mp4"
    assert probe.size == (clip_sync.parent / "syria.mp4").stat().st_size
    assert probe.head[4:8] == b"ftyp" and not probe.is_playlist
    assert probe_media(media_server.url("good", "hls/index.m3u8")).is_playlist


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (404, "HTTP 404 Not Found: there is nothing at this address on the server"),
        (500, "HTTP 500 Internal Server Error: the server failed while answering"),
        (403, "HTTP 403 Forbidden: the server refuses access"),
    ],
)
def test_http_status_is_said_with_its_meaning(media_server: MediaServer, status: int, words: str) -> None:
    media_server.scenario("bad", Fault(only="*", status=status))
    for call in (probe_media, fetch_bytes):
        with pytest.raises(FetchError) as failed:
            call(media_server.url("bad", "syria.mp4"))
        assert failed.value.kind is Failure.HTTP_STATUS and failed.value.status == status
        assert words in str(failed.value)


def test_a_web_page_is_not_a_media_stream(media_server: MediaServer) -> None:
    media_server.scenario("page", Fault(body=WEB_PAGE, content_type="text/html"))
    with pytest.raises(FetchError) as failed:
        probe_media(media_server.url("page", "syria.mp4"))
    assert failed.value.kind is Failure.NOT_MEDIA
    assert "is a web page (text/html), not a media stream" in str(failed.value)
    # The same page sent as text/plain is recognised by its first bytes.
    media_server.scenario("page2", Fault(body=WEB_PAGE, content_type="text/plain"))
    with pytest.raises(FetchError, match="not a media stream"):
        probe_media(media_server.url("page2", "syria.mp4"))


def test_media_with_a_wrong_content_type_is_still_media(media_server: MediaServer) -> None:
    """The bytes decide (as in libVLC): an mp4 served as text/plain is playable."""
    media_server.scenario("plain", Fault(content_type="text/plain"))
    assert probe_media(media_server.url("plain", "syria.mp4")).head[4:8] == b"ftyp"


def test_a_redirect_is_followed(media_server: MediaServer) -> None:
    media_server.scenario("moved", Fault(only="*", redirect_to="/good/syria.mp4"))
    probe = probe_media(media_server.url("moved", "syria.mp4"))
    assert probe.final_url == media_server.url("good", "syria.mp4")


def test_nothing_listening_is_connection_refused() -> None:
    port = free_port()
    with pytest.raises(FetchError) as failed:
        probe_media(f"http://127.0.0.1:{port}/syria.mp4")
    assert failed.value.kind is Failure.REFUSED
    assert f"The server at 127.0.0.1:{port} refused the connection" in str(failed.value)


def test_a_server_that_stopped_is_connection_refused(media_server: MediaServer) -> None:
    url = media_server.url("good", "syria.sync.json")
    media_server.stop()
    with pytest.raises(FetchError) as failed:
        fetch_bytes(url)
    assert failed.value.kind is Failure.REFUSED


def test_a_silent_server_times_out(media_server: MediaServer) -> None:
    media_server.scenario("silent", Fault(only="*", first_byte_delay=5))
    with pytest.raises(FetchError) as failed:
        fetch_bytes(media_server.url("silent", "syria.sync.json"), timeout=0.5)
    assert failed.value.kind is Failure.TIMED_OUT
    assert "did not answer within 0.5 s" in str(failed.value)


def test_a_slow_trickle_is_cut_at_the_deadline(media_server: MediaServer) -> None:
    media_server.scenario("trickle", Fault(only="*.json", rate=4000))
    with pytest.raises(FetchError) as failed:
        fetch_bytes(media_server.url("trickle", "syria.sync.json"), timeout=1.0)
    assert failed.value.kind is Failure.TIMED_OUT and "too slow" in str(failed.value)


def test_too_large_is_refused_before_and_while_reading(media_server: MediaServer) -> None:
    with pytest.raises(FetchError) as failed:
        fetch_bytes(media_server.url("good", "syria.mp4"), limit=1_000_000)
    assert failed.value.kind is Failure.TOO_LARGE and "too large (2.5 MB" in str(failed.value)


def test_a_truncated_body_is_a_closed_connection(media_server: MediaServer) -> None:
    media_server.scenario("cut", Fault(only="*.json", truncate_at=1000))
    with pytest.raises(FetchError) as failed:
        fetch_bytes(media_server.url("cut", "syria.sync.json"))
    assert failed.value.kind is Failure.CLOSED
    assert "closed the connection before sending everything (1000 of" in str(failed.value)


def test_an_untrusted_certificate_is_rejected(
    net_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A real TLS server on 127.0.0.1 with a self-signed certificate."""
    server = MediaServer(net_files, certificate=self_signed_certificate(tmp_path_factory.mktemp("tls")))
    try:
        with pytest.raises(FetchError) as failed:
            probe_media(server.url("good", "syria.mp4"))
    finally:
        server.stop()
    assert failed.value.kind is Failure.TLS
    assert "The TLS certificate of 127.0.0.1" in str(failed.value) and "rejected" in str(failed.value)


def test_host_not_found_is_said_so() -> None:
    """The resolver's answer, as urllib raises it (a real lookup would leave the loopback)."""
    error = urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    failure = explain(error, "https://no-such-host.invalid/a.mp4", 10)
    assert failure.kind is Failure.HOST_NOT_FOUND
    assert str(failure) == "The host no-such-host.invalid was not found (check the address)."


def test_only_web_addresses_are_fetched() -> None:
    with pytest.raises(FetchError, match="not an http:// or https:// address"):
        fetch_bytes("file:///etc/passwd")
