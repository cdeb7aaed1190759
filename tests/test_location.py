"""Parsing what the user types as a location: local files, http and https, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipsync.core.location import LocationError, parse_location, sibling_url, url_name, url_stem


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("http://127.0.0.1:8765/syria.mp4", "http://127.0.0.1:8765/syria.mp4"),
        ("  https://Example.ORG/clips/Talk.mp4  ", "https://example.org/clips/Talk.mp4"),
        ("HTTPS://example.org", "https://example.org/"),
        ("http://example.org/a b.mp4", "http://example.org/a%20b.mp4"),
        ("http://example.org/live/index.m3u8?token=x#t=5", "http://example.org/live/index.m3u8?token=x"),
    ],
)
def test_web_addresses_are_accepted_and_normalised(text: str, url: str) -> None:
    """http and https addresses are kept, with the scheme and host in lower case."""
    location = parse_location(text)
    assert location.is_url and location.url == url and location.path is None
    assert location.key == url


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("clips/talk.mp4", Path("clips/talk.mp4")),
        ("/tmp/a:b.mp4", Path("/tmp/a:b.mp4")),
        ("file:///tmp/My%20Clip.mp4", Path("/tmp/My Clip.mp4")),
        ("file://localhost/tmp/x.mp4", Path("/tmp/x.mp4")),
        ("C:\\clips\\talk.mp4", Path("C:\\clips\\talk.mp4")),  # a drive letter, not a scheme
    ],
)
def test_local_files_are_paths(text: str, path: Path) -> None:
    location = parse_location(text)
    assert not location.is_url and location.path == path
    assert location.name == path.name


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ftp://example.org/a.mp4", "uses ftp:"),
        ("rtsp://camera.local/stream", "uses rtsp:"),
        ("javascript:alert(1)", "uses javascript:"),
        ("smb://server/share/a.mp4", "uses smb:"),
        ("http://", "has no host name"),
        ("https:///clips/a.mp4", "has no host name"),
        ("http://example.org:99999/a.mp4", "invalid port"),
        ("file://otherhost/share/a.mp4", "another computer"),
        ("   ", "No location given"),
    ],
)
def test_anything_else_is_refused_with_the_reason(text: str, words: str) -> None:
    """Each refusal names what was typed (when there is something) and what is accepted."""
    with pytest.raises(LocationError) as refused:
        parse_location(text)
    message = str(refused.value)
    assert words in message
    if text.strip() and "host" not in words and "port" not in words:
        assert "http://" in message and "local files" in message


def test_names_and_siblings_of_a_web_address() -> None:
    url = "https://example.org/news/U.S.%20Halts.mp4?sig=abc"
    assert url_name(url) == "U.S. Halts.mp4"
    assert url_stem(url) == "U.S. Halts"
    assert sibling_url(url, "U.S. Halts.sync.json") == "https://example.org/news/U.S.%20Halts.sync.json"
    assert parse_location(url).name == "U.S. Halts.mp4"
    assert url_stem("http://example.org/live/index.m3u8") == "index"
    assert parse_location("http://example.org/").name == "example.org"
