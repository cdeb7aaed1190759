"""A real HTTP server on 127.0.0.1 that serves media and text and injects network faults.

Used by the network tests (through the ``media_server`` fixture) and by
``benchmarks/bench_network.py``. Each *scenario* is a path prefix with its own :class:`Fault`:
``server.url("stall", "syria.mp4")`` is ``http://127.0.0.1:PORT/stall/syria.mp4``, and the
fault applies to the files of that scenario whose name matches ``Fault.only``. Byte ranges,
HEAD and keep-alive work as a plain static server's do, because libVLC relies on them.
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHUNK = 8192
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".json": "application/json",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".html": "text/html; charset=utf-8",
}
WEB_PAGE = b"<!doctype html><html><head><title>News</title></head><body><p>Please wait</p></body></html>\n"


@dataclass
class Fault:
    """What goes wrong when a matching file of a scenario is requested."""

    #: Which files of the scenario the fault applies to (an fnmatch pattern on the name).
    only: str = "*.mp4"
    #: Seconds before the first byte (headers included) of every response.
    first_byte_delay: float = 0.0
    #: A stall: after this file offset has been sent, nothing more for ``stall_s`` (once), on
    #: this connection or any other (a new request waits too: the network is silent).
    stall_at: int | None = None
    stall_s: float = 0.0
    #: The stall lasts until this is set (``stall_s`` is then its longest): by
    #: :meth:`MediaServer.resume` or a request for ``/_resume/SCENARIO`` (:meth:`control_url`).
    #: A stall may also be started by :meth:`MediaServer.stall` (``/_stall/SCENARIO``) instead
    #: of at ``stall_at``.
    resume: threading.Event | None = None
    #: Bytes per second (after ``burst`` bytes at full speed); ``None``: as fast as it can.
    rate: float | None = None
    burst: int = 0
    #: Close the connection once this file offset has been sent, ``drops`` times in all.
    drop_at: int | None = None
    drops: int = 1
    #: After a drop, refuse (close at once) every request for this many seconds.
    down_s: float = 0.0
    #: The body ends at this file offset although Content-Length promised the whole file.
    truncate_at: int | None = None
    #: Answer with this status (and a short HTML error page) instead of the file.
    status: int | None = None
    #: Send this Content-Type instead of the right one.
    content_type: str | None = None
    #: Send this body (for example a web page) instead of the file.
    body: bytes | None = None
    #: Redirect (302) to this path on the same server.
    redirect_to: str | None = None
    # Bookkeeping -----------------------------------------------------------------------
    stalled: threading.Event = field(default_factory=threading.Event)
    stall_until: float = 0.0
    stall_started_at: float | None = None
    stall_ended_at: float | None = None
    dropped: int = 0
    down_until: float = 0.0


@dataclass(frozen=True)
class Request:
    scenario: str
    name: str
    method: str
    start: int  # first byte asked for (0 without a Range header)
    at: float  # time.monotonic() when it arrived


class MediaServer:
    """A threaded HTTP server on a free port of 127.0.0.1 (loopback only, never another address)."""

    def __init__(self, files: dict[str, Path], certificate: tuple[Path, Path] | None = None) -> None:
        self.files = dict(files)
        self.faults: dict[str, Fault] = {"good": Fault(only="")}
        self.requests: list[Request] = []
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.scheme = "http"
        if certificate is not None:  # https with this (certificate, key)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="media-server", daemon=True)
        self._thread.start()

    def scenario(self, name: str, fault: Fault) -> str:
        """Register ``fault`` under the path prefix ``name``; returns the scenario's base URL."""
        self.faults[name] = fault
        return f"{self.scheme}://127.0.0.1:{self.port}/{name}/"

    def url(self, scenario: str, name: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/{scenario}/{name}"

    def control_url(self, action: str, scenario: str) -> str:
        """Asking for this address does ``action`` ("stall" or "resume", see :meth:`stall` and
        :meth:`resume`) to ``scenario``: 204 when it was done, 409 when it could not be."""
        return f"{self.scheme}://127.0.0.1:{self.port}/_{action}/{scenario}"

    def stall(self, scenario: str) -> bool:
        """The network of ``scenario`` goes silent now, for ``stall_s`` or until :meth:`resume`
        (its ``Fault.resume``); ``False`` when it has stalled already (a stall comes once)."""
        fault = self.faults[scenario]
        with self._lock:
            if fault.stalled.is_set():
                return False
            fault.stall_started_at = time.monotonic()
            fault.stall_until = fault.stall_started_at + fault.stall_s
            fault.stalled.set()
        return True

    def resume(self, scenario: str) -> bool:
        """End the stall of ``scenario`` now (one with a ``Fault.resume``); ``False`` when it
        has not begun or is over (then nothing changes)."""
        fault = self.faults[scenario]
        now = time.monotonic()
        if fault.resume is None or not fault.stalled.is_set() or fault.stall_until <= now:
            return False
        fault.stall_until = now
        fault.stall_ended_at = now
        fault.resume.set()
        return True

    def stop(self) -> None:
        """Stop serving and cut every open connection: the server is gone."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        for fault in self.faults.values():
            if fault.resume is not None:
                fault.resume.set()  # a stall waiting for it ends (and sends nothing more)
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)

    def requested(self, scenario: str, name: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.scenario == scenario and r.name == name]

    # Used by the handler ---------------------------------------------------------------
    def _track(self, connection: socket.socket, add: bool) -> None:
        with self._lock:
            (self._connections.add if add else self._connections.discard)(connection)

    def _log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops; ``False`` when it stopped."""
        return not self._stopping.wait(seconds)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer is normal here (libVLC does it on every seek)."""


def _handler_for(server: MediaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            server._track(self.connection, True)

        def finish(self) -> None:
            server._track(self.connection, False)
            with contextlib.suppress(OSError):
                super().finish()

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_GET(self) -> None:
            self._serve(head=False)

        def _serve(self, head: bool) -> None:
            scenario, _, name = self.path.lstrip("/").partition("/")
            name = name.split("?")[0]
            start, end = _range(self.headers.get("Range"))
            server._log(Request(scenario, name, self.command, start or 0, time.monotonic()))
            if scenario in ("_stall", "_resume") and name in server.faults:
                done = (server.stall if scenario == "_stall" else server.resume)(name)
                self.send_response(204 if done else 409)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            fault = server.faults.get(scenario)
            path = server.files.get(name)
            if fault is None or path is None:
                self._error(404, "Not Found")
                return
            if not fnmatch.fnmatch(name, fault.only):
                fault = Fault(only="")
            if fault.down_until > time.monotonic():
                self.close_connection = True
                return
            if fault.first_byte_delay and not server._sleep(fault.first_byte_delay):
                return
            if not _wait_out_stall(server, fault):  # a silent network answers nothing
                return
            if fault.status is not None:
                self._error(fault.status, _REASONS.get(fault.status, "Error"))
                return
            if fault.redirect_to is not None:
                self.send_response(302)
                self.send_header("Location", fault.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = fault.body if fault.body is not None else path.read_bytes()
            kind = fault.content_type or CONTENT_TYPES.get(path.suffix, "application/octet-stream")
            size = len(data)
            first = min(start or 0, size)
            last = size - 1 if end is None else min(end, size - 1)
            if start is not None and first >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206 if start is not None else 200)
            self.send_header("Content-Type", kind)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(last - first + 1))
            if start is not None:
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            self.end_headers()
            if not head:
                self._body(data, first, last + 1, fault, scenario)

        def _body(self, data: bytes, first: int, stop: int, fault: Fault, scenario: str) -> None:
            offset = first
            began = time.monotonic()
            if fault.truncate_at is not None:
                stop = min(stop, fault.truncate_at)
            try:
                while offset < stop:
                    if fault.drop_at is not None and offset >= fault.drop_at and fault.dropped < fault.drops:
                        fault.dropped += 1
                        fault.down_until = time.monotonic() + fault.down_s
                        break
                    if fault.stall_at is not None and offset >= fault.stall_at:
                        server.stall(scenario)  # once: the first connection to get there
                    if not _wait_out_stall(server, fault):
                        return
                    limit = stop
                    for mark in (fault.drop_at, fault.stall_at):
                        if mark is not None and offset < mark:
                            limit = min(limit, mark)
                    # Throttled: small pieces, ten a second, as a slow link delivers them.
                    piece = CHUNK if not fault.rate else max(256, min(CHUNK, int(fault.rate / 10)))
                    chunk = data[offset : min(limit, offset + piece)]
                    self.wfile.write(chunk)
                    offset += len(chunk)
                    if fault.rate and offset - first > fault.burst:
                        due = began + (offset - first - fault.burst) / fault.rate
                        if due > time.monotonic() and not server._sleep(due - time.monotonic()):
                            return
                    if server._stopping.is_set():
                        return
            except OSError:  # the client went away
                self.close_connection = True
                return
            if offset < stop or fault.truncate_at is not None:
                # Cut the connection: the client sees fewer bytes than Content-Length.
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)

        def _error(self, status: int, reason: str) -> None:
            body = f"<html><body><h1>{status} {reason}</h1></body></html>\n".encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

    return Handler


def _wait_out_stall(server: MediaServer, fault: Fault) -> bool:
    """Wait while ``fault``'s stall lasts (every connection does); ``False`` when the server stops."""
    silent = fault.stall_until - time.monotonic()
    if silent <= 0:
        return True
    if fault.resume is not None:
        fault.resume.wait(silent)
    elif not server._sleep(silent):
        return False
    if fault.stall_ended_at is None:
        fault.stall_ended_at = time.monotonic()
    return not server._stopping.is_set()


_REASONS = {403: "Forbidden", 404: "Not Found", 410: "Gone", 500: "Internal Server Error", 503: "Unavailable"}


def _range(header: str | None) -> tuple[int | None, int | None]:
    match = re.fullmatch(r"bytes=(\d+)-(\d*)", (header or "").strip())
    if not match:
        return None, None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (for "the server is gone")."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_hls(source: Path, folder: Path, seconds: float = 12.0, segment_s: int = 2) -> Path:
    """An HLS (VOD) version of the first ``seconds`` of ``source`` in ``folder``; its playlist."""
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is needed to make the HLS test media (apt-get install ffmpeg)")
    folder.mkdir(parents=True, exist_ok=True)
    playlist = folder / "index.m3u8"
    if playlist.is_file():
        return playlist
    command = [
        "ffmpeg", "-v", "error", "-y", "-i", str(source), "-t", f"{seconds:g}", "-c", "copy",
        "-f", "hls", "-hls_time", str(segment_s), "-hls_playlist_type", "vod",
        "-hls_segment_filename", str(folder / "seg%03d.ts"), str(playlist),
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=120)
    return playlist


def hls_files(playlist: Path, prefix: str = "hls/") -> dict[str, Path]:
    """The playlist and its segments as server routes (``hls/index.m3u8``, ``hls/seg000.ts``...)."""
    files = {prefix + playlist.name: playlist}
    for line in playlist.read_text().splitlines():
        if line and not line.startswith("#"):
            files[prefix + line] = playlist.parent / line
    return files


# A clip that carries its frame number in the picture ----------------------------------
BITS = 16


def make_numbered_clip(source: Path, out: Path, seconds: float = 30.0) -> Path:
    """The first ``seconds`` of ``source`` with each frame's number drawn across the top.

    Block ``i`` of the top band is white when bit ``i`` of the frame number is set and the
    block under it is its complement, so :func:`frame_number` can read it back from a painted
    picture (and refuses a blended one instead of guessing).
    """
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    ask = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
           "-of", "csv=p=0", str(source)]  # fmt: skip
    probe = subprocess.run(ask, capture_output=True, text=True, check=True, timeout=60)
    width, height = (int(v) for v in probe.stdout.strip().split(","))
    block_w, block_h = width // BITS, round(height * 40 / 360)
    boxes = [f"drawbox=x=0:y=0:w={width}:h={2 * block_h}:color=black:t=fill"]
    for i in range(BITS):
        bit = f"mod(floor(n/{2**i}),2)"
        x = i * block_w
        boxes.append(f"drawbox=x={x}:y=0:w={block_w}:h={block_h}:color=white:t=fill:enable='eq({bit},1)'")
        boxes.append(
            f"drawbox=x={x}:y={block_h}:w={block_w}:h={block_h}:color=white:t=fill:enable='eq({bit},0)'"
        )
    script = out.with_suffix(".vf")
    script.write_text(",".join(boxes))
    tmp = out.with_suffix(".tmp.mp4")
    command = ["ffmpeg", "-v", "error", "-y", "-i", str(source), "-t", f"{seconds:g}",
               "-filter_script:v", str(script), "-c:v", "libx264", "-preset", "veryfast", "-crf", "30",
               "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "copy", "-movflags", "+faststart", str(tmp)]  # fmt: skip
    subprocess.run(command, check=True, timeout=300)
    tmp.replace(out)
    return out


def frame_number(image: object) -> int | None:
    """The frame number drawn in ``image`` (a QImage), or ``None`` when it cannot be read surely."""
    width, height = image.width(), image.height()  # type: ignore[attr-defined]
    if width < BITS * 4 or height < 40:
        return None
    pixel = image.pixel  # type: ignore[attr-defined]
    y_top, y_low = int(height * 20 / 360), int(height * 60 / 360)
    number = 0
    for i in range(BITS):
        x = int((i + 0.5) * width / BITS)
        top = (pixel(x, y_top) >> 8) & 0xFF
        low = (pixel(x, y_low) >> 8) & 0xFF
        if abs(top - low) < 128:
            return None
        if top > low:
            number |= 1 << i
    return number


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by nobody (made with openssl): clients must reject it."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not cert.is_file():
        command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                   "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    return cert, key
