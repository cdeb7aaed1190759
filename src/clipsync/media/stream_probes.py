"""Asking an http(s) address directly what libVLC cannot say: why a stream failed, how big
it is, whether an HLS playlist is live, whether a silent server answers at all.

A mixin of :class:`~clipsync.media.vlc_backend.VlcPlayer`; everything here runs in threads of
its own (never on libVLC's threads, never on the GUI thread) and answers through the player's
event sink. It does not import vlc.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from clipsync.fetch import FetchError, fetch_bytes, probe_media
from clipsync.media.player import EventKind, EventSink, PlayerEvent

#: How long a probe of the address may take.
PROBE_TIMEOUT_S = 10.0


class StreamProbes:
    """Probes of the open address for the libVLC player (see the module's docstring)."""

    if TYPE_CHECKING:  # what the player provides
        on_event: EventSink
        _url: str | None
        _generation: int
        _explaining: bool
        _remote_size: int | None
        _live: bool
        _frames: int

    def check_connection(self) -> None:
        """Probe the address now; an ERROR with the reason comes only if it fails."""
        url, generation = self._url, self._generation
        if url is None:
            return

        def check() -> None:
            try:
                probe_media(url, timeout=PROBE_TIMEOUT_S)
            except FetchError as exc:
                if generation == self._generation:
                    self.on_event(PlayerEvent(EventKind.ERROR, str(exc)))

        threading.Thread(target=check, daemon=True).start()

    def _learn_size(self, url: str, generation: int) -> None:
        """The size of a progressive stream, or whether an HLS playlist is live (our thread)."""
        try:
            probe = probe_media(url, timeout=PROBE_TIMEOUT_S)
            live = probe.is_playlist and is_live_playlist(probe.final_url)
        except FetchError:
            return  # a failure is explained when libVLC reports it
        if generation != self._generation:
            return
        if not probe.is_playlist:
            self._remote_size = probe.size
        elif live:
            # libVLC lets one "seek" in a live playlist's window and says it is seekable; a
            # live stream has no timeline to jump around in, so the timeline is disabled.
            self._live = True
            self.on_event(PlayerEvent(EventKind.SEEKABLE, False))

    def _explain_failure(self, event: PlayerEvent) -> bool:
        """An error, or an end before any picture: probe the address for the reason (libVLC thread)."""
        failed = event.kind is EventKind.ERROR or (event.kind is EventKind.ENDED and self._frames == 0)
        if not failed:
            return False
        if not self._explaining:
            self._explaining = True
            args = (self._url, self._generation, event.kind is EventKind.ENDED)
            threading.Thread(target=self._send_reason, args=args, daemon=True).start()
        return True

    def _send_reason(self, url: str, generation: int, ended: bool) -> None:
        try:
            probe_media(url, timeout=PROBE_TIMEOUT_S)
        except FetchError as exc:
            reason = str(exc)
        else:
            reason = (
                f"The stream at {url} ended before anything could be played: it is cut short, "
                "damaged, or in a format libVLC does not know."
                if ended
                else f"libVLC could not play the stream at {url}: it is damaged or in a format it does "
                "not know."
            )
        if generation == self._generation:
            self.on_event(PlayerEvent(EventKind.ERROR, reason))


def is_live_playlist(url: str) -> bool:
    """Whether the HLS playlist at ``url`` is live: it has no end (for a master playlist, its
    first variant has none). Raises :class:`FetchError`."""
    text = fetch_bytes(url, timeout=PROBE_TIMEOUT_S, limit=4 * 1024 * 1024).decode("utf-8", "replace")
    if "#EXT-X-STREAM-INF" in text:
        lines = text.splitlines()
        variant = next((line.strip() for line in lines if line.strip() and not line.startswith("#")), "")
        if not variant:
            return False
        return is_live_playlist(urljoin(url, variant))
    return "#EXT-X-ENDLIST" not in text and "#EXT-X-PLAYLIST-TYPE:VOD" not in text
