"""The libVLC backend: the only module that imports ``vlc``.

Video goes through libVLC's video callbacks (RV32 at the track's visible size, see
:mod:`clipsync.media.video_sink`), so the Qt layer paints each picture itself and draws captions
with the same painter. libVLC's callbacks run on its own threads: they only record and
forward, and never call back into libVLC (that deadlocks).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from clipsync.media.media_timing import MediaTiming
from clipsync.media.player import (
    BackendUnavailable,
    EventKind,
    MediaPlayer,
    PlayerEvent,
    VoicePlayer,
    check_media_file,
)
from clipsync.media.stream_probes import StreamProbes
from clipsync.media.video_callbacks import CleanupCb, DisplayCb, FormatCb, LockCb, UnlockCb
from clipsync.media.video_sink import VideoSink

try:
    import vlc
except (ImportError, NotImplementedError, OSError) as exc:  # no libVLC: NotImplementedError
    vlc = None
    _IMPORT_ERROR: str = str(exc) or type(exc).__name__
else:
    _IMPORT_ERROR = ""

#: How long a thread may keep the GIL while another waits for it. The video callbacks stamp
#: each picture with the time they run (libVLC gives none), and they need the GIL first: at
#: Python's default 5 ms a busy GUI thread made pictures look up to ~3 ms late, enough to
#: take an old picture for a new one after a seek (see core/timing/picture_times.py).
GIL_SWITCH_INTERVAL_S = 0.001

#: How much of a network stream libVLC holds before it plays (its own default for network access).
NETWORK_CACHING_MS = 1000
#: How far ahead libVLC reads a file (its default: 1000 ms). Above 1x a seek's pictures are
#: late by up to a quarter of the distance to the keyframe before (see docs/libvlc.md,
#: "Damaged pictures after a seek above 1x"); when that is more than this, libVLC flushes its
#: decoders in the middle of the group of pictures and every picture up to the next keyframe
#: is damaged. 3 s covers keyframes up to 12 s apart.
FILE_CACHING_MS = 3000
#: The decoder libVLC is to use, by the video's codec, where its default misleads the picture
#: times. Its own AV1 module (dav1d) hands the video output, after a seek above 1x, the
#: picture at the time asked for as the first (forced, so never dropped as late) in about half
#: the seeks, and that picture is 0.3-3 s before the target; through libavcodec (dav1d inside
#: FFmpeg) the first is an old one, as with H.264, HEVC and VP9, which the rules tell apart (12
#: of 12 seeks, first new pictures within a frame of the target; the 29.97 fps AV1 WebM clip at
#: 1.5x, benchmarks/repro/forced_first_picture.py --vlc-option=--codec=avcodec, docs/libvlc.md).
#: "any": whatever libVLC has, where libavcodec cannot decode it.
DECODER_BY_CODEC = {"av01": "avcodec,any"}


def instance_options() -> list[str]:
    """libVLC options: quiet, no X11 from libVLC, audio output from the environment."""
    audio = os.environ.get("CLIPSYNC_AUDIO_OUTPUT", "")
    options = ["--quiet", "--no-xlib", "--no-video-title-show", "--no-sub-autodetect-file"]
    if audio:
        options.append(f"--aout={audio}")
    return options


class VlcPlayer(StreamProbes, MediaTiming, VideoSink, MediaPlayer):
    """:class:`MediaPlayer` on libVLC 3 through python-vlc."""

    def __init__(self) -> None:
        super().__init__()
        if vlc is None:
            raise BackendUnavailable(
                "libVLC is not installed. On Debian/Ubuntu: sudo apt-get install libvlc5 vlc-plugin-base"
                f" ({_IMPORT_ERROR})"
            )
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))
        self._instance = vlc.Instance(instance_options())
        if self._instance is None:
            raise BackendUnavailable(
                "libVLC is installed but its plugins are missing."
                " On Debian/Ubuntu: sudo apt-get install vlc-plugin-base"
            )
        self._player = self._instance.media_player_new()
        self._media: Any = None
        self._rate = 1.0
        self._pausing = False  # a pause was asked for and libVLC has not yet said it paused
        self._init_timing()
        self._size = (0, 0)
        self._init_video()
        # A network address (None: a local file), and a count that makes late answers of
        # probes for an earlier open harmless.
        self._url: str | None = None
        self._generation = 0
        self._explaining = False
        self._remote_size: int | None = None
        self._live = False
        player = ctypes.c_void_p(int(ctypes.cast(self._player, ctypes.c_void_p).value or 0))
        lib = vlc.dll
        lib.libvlc_video_set_format_callbacks.argtypes = [ctypes.c_void_p, FormatCb, CleanupCb]
        lib.libvlc_video_set_format_callbacks(player, *self.callbacks[:2])
        lib.libvlc_video_set_callbacks.argtypes = [
            ctypes.c_void_p,
            LockCb,
            UnlockCb,
            DisplayCb,
            ctypes.c_void_p,
        ]
        lib.libvlc_video_set_callbacks(player, *self.callbacks[2:], None)
        events = self._player.event_manager()
        E = vlc.EventType
        forward = {
            E.MediaPlayerOpening: lambda e: PlayerEvent(EventKind.OPENING),
            E.MediaPlayerBuffering: lambda e: PlayerEvent(
                EventKind.BUFFERING, float(e.u.new_cache), time.monotonic()
            ),
            E.MediaPlayerPlaying: lambda e: PlayerEvent(EventKind.PLAYING),
            E.MediaPlayerPaused: lambda e: PlayerEvent(EventKind.PAUSED),
            E.MediaPlayerStopped: lambda e: PlayerEvent(EventKind.STOPPED),
            E.MediaPlayerEndReached: lambda e: PlayerEvent(EventKind.ENDED),
            E.MediaPlayerEncounteredError: lambda e: PlayerEvent(
                EventKind.ERROR, "libVLC could not open or decode it."
            ),
            E.MediaPlayerLengthChanged: lambda e: PlayerEvent(EventKind.LENGTH, int(e.u.new_length)),
            E.MediaPlayerSeekableChanged: lambda e: PlayerEvent(EventKind.SEEKABLE, bool(e.u.new_seekable)),
            E.MediaPlayerTimeChanged: lambda e: PlayerEvent(
                EventKind.TIME, self._media_time(int(e.u.new_time)), time.monotonic()
            ),
        }
        for kind, make in forward.items():
            events.event_attach(kind, self._forwarder(make))

    def _forwarder(self, make: Any) -> Any:
        def handler(event: Any) -> None:
            # On a libVLC thread: record and forward only, never call libVLC here.
            forwarded = make(event)
            if forwarded.kind in (EventKind.PAUSED, EventKind.PLAYING):
                self._pausing = False
            if self._url is not None and self._explain_failure(forwarded):
                return
            if self._live and forwarded.kind is EventKind.SEEKABLE:
                forwarded = PlayerEvent(EventKind.SEEKABLE, False)  # see _learn_size
            self.on_event(forwarded)

        return handler

    def _picture_counted(self) -> None:
        if self._url is not None and self.frame_ms is None and self._frames % 25 == 1 and self._frames < 500:
            # Not from libVLC's thread: read the stream's frame rate from our own (an HLS
            # stream may not know it yet at its first picture: asked again every 25).
            threading.Thread(target=self._learn_frame_rate, daemon=True).start()

    # MediaPlayer ----------------------------------------------------------------------
    def open(self, path: Path) -> None:
        self._player.stop()
        self._frames = 0
        self._url = None
        self._live = False
        self._generation += 1
        self._new_media(path)
        problem = check_media_file(path)
        if problem:
            self.on_event(PlayerEvent(EventKind.ERROR, problem))
            return
        media = self._instance.media_new_path(str(path))
        media.add_option(f":file-caching={FILE_CACHING_MS}")
        info = probe(media)
        if info is None:
            self.on_event(
                PlayerEvent(
                    EventKind.ERROR,
                    f"{path.name} could not be read as media: it is not a media file, or it is damaged.",
                )
            )
            return
        has_video, has_audio, size, duration, fps, codec = info
        if codec in DECODER_BY_CODEC:
            media.add_option(f":codec={DECODER_BY_CODEC[codec]}")
        if not has_video and not has_audio:
            self.on_event(
                PlayerEvent(
                    EventKind.ERROR,
                    f"{path.name} is not a media file, or it is damaged: no playable audio or video stream.",
                )
            )
            return
        self._size = size
        self.frame_ms = 1000 / fps if has_video and fps > 0 else None
        if has_video:
            self._index_in_background(path)
        self._media = media
        self._player.set_media(media)
        if duration > 0:
            self.on_event(PlayerEvent(EventKind.LENGTH, duration))
        self._player.play()

    def play(self) -> None:
        state = self._player.get_state()
        if state in (vlc.State.Ended, vlc.State.Stopped, vlc.State.Error) and self._media is not None:
            self._player.stop()
        self._player.play()
        if state == vlc.State.Playing and self._pausing:
            # The pause asked for a moment ago still waits in libVLC's queue: libVLC keeps only
            # the last of two queued state changes, so it goes on playing and says nothing
            # (input.c, ControlGetReducedIndexLocked). Say it as libVLC would have.
            self.on_event(PlayerEvent(EventKind.PLAYING))

    def pause(self) -> None:
        self._pausing = True  # until libVLC says it paused (see play)
        self._player.set_pause(1)

    def stop(self) -> None:
        self._player.stop()

    def seek(self, position_ms: int) -> None:
        if self._player.get_state() in (vlc.State.Ended, vlc.State.Stopped) and self._media is not None:
            # An ended player must be started again before it can seek.
            self._player.stop()
            self._player.play()
        target = max(0, int(position_ms))
        self.pace.asked(self.index, target, self._rate)
        self._player.set_time(self.aim(target))

    def set_rate(self, rate: float) -> None:
        self._rate = float(rate)
        self._player.set_rate(float(rate))

    def set_volume(self, percent: int) -> None:
        self._player.audio_set_volume(int(percent))

    def set_muted(self, muted: bool) -> None:
        self._player.audio_set_mute(bool(muted))

    def next_frame(self) -> None:
        self._player.next_frame()

    def time_ms(self) -> int:
        return max(0, self._media_time(int(self._player.get_time())))

    def release(self) -> None:
        self._generation += 1
        self._player.stop()
        self._player.release()
        self._instance.release()

    # Network addresses ----------------------------------------------------------------
    def open_url(self, url: str) -> None:
        """Play an http(s) address; a failure comes as an ERROR with the reason in plain words.

        libVLC cannot say why a stream failed (a 404, a refused connection and a web page all
        end in the same "could not open"), so on a failure the address is probed with a
        small GET off libVLC's threads, and that answer is the reason.
        """
        self._player.stop()
        self._frames = 0
        self._generation += 1
        self._url = url
        self._explaining = False
        self._new_media(None)  # no index of a remote file: seeks are plain
        self._size = (0, 0)  # the format callback takes the decoder's size
        self.frame_ms = None  # known once the first picture is out (see _learn_frame_rate)
        self._remote_size = None
        self._live = False
        media = self._instance.media_new_location(url)
        media.add_option(f":network-caching={NETWORK_CACHING_MS}")
        self._media = media
        self._player.set_media(media)
        self._player.play()
        generation = self._generation
        threading.Thread(target=self._learn_size, args=(url, generation), daemon=True).start()

    def buffered_ms(self) -> int | None:
        """How far the data read so far reaches: bytes read / size x length (an estimate).

        libVLC reads a progressive stream ahead as fast as the network allows, so the share
        of the file read is the share of the media that can play without the network.
        HLS has no size to compare with: ``None``.
        """
        if self._url is None or self._media is None or not self._remote_size:
            return None
        length = self._player.get_length()
        stats = vlc.MediaStats()
        if length <= 0 or not self._media.get_stats(stats):
            return None
        return int(length * min(1.0, stats.read_bytes / self._remote_size))

    def has_video(self) -> bool:
        return self.frame_ms is not None or self._player.video_get_track_count() > 0

    def _learn_frame_rate(self) -> None:
        media = self._media
        if media is None:
            return
        for track in media.tracks_get() or ():
            if track.type == vlc.TrackType.video:
                video = ctypes.cast(track.audio, ctypes.POINTER(vlc.VideoTrack)).contents
                if video.frame_rate_num and video.frame_rate_den:
                    self.frame_ms = 1000 * video.frame_rate_den / video.frame_rate_num
                return


def voice_instance_options() -> list[str]:
    """libVLC options of the descriptions' voice player: as the main player's, without video."""
    return [*instance_options(), "--no-video"]


class VlcVoicePlayer(VoicePlayer):
    """:class:`VoicePlayer` on a second libVLC player of its own instance (own audio output)."""

    def __init__(self) -> None:
        if vlc is None:
            raise BackendUnavailable(f"libVLC is not installed ({_IMPORT_ERROR})")
        self._instance = vlc.Instance(voice_instance_options())
        if self._instance is None:
            raise BackendUnavailable("libVLC is installed but its plugins are missing.")
        self._player = self._instance.media_player_new()
        self._volume = 100

    def speak(self, path: Path, rate: float = 1.0) -> None:
        self._player.set_media(self._instance.media_new_path(str(path)))
        self._player.set_rate(float(rate))
        self._player.audio_set_volume(self._volume)
        self._player.play()

    def pause(self) -> None:
        self._player.set_pause(1)

    def resume(self) -> None:
        self._player.set_pause(0)

    def stop(self) -> None:
        self._player.stop()

    def set_rate(self, rate: float) -> None:
        self._player.set_rate(float(rate))

    def set_volume(self, percent: int) -> None:
        self._volume = int(percent)
        self._player.audio_set_volume(self._volume)

    def release(self) -> None:
        self._player.stop()
        self._player.release()
        self._instance.release()


class MediaInfo(NamedTuple):
    """What libVLC's parse of a local file says."""

    has_video: bool
    has_audio: bool
    size: tuple[int, int]  # the video's visible size (even numbers)
    duration_ms: int
    fps: float
    codec: str  # the video's, in libVLC's four characters ("h264", "av01"; "": no video)


def probe(media: Any, timeout_ms: int = 2000) -> MediaInfo | None:
    """Parse ``media`` (local, synchronously, ~10 ms).

    ``None`` when libVLC cannot parse it at all.
    """
    done = threading.Event()
    manager = media.event_manager()
    manager.event_attach(vlc.EventType.MediaParsedChanged, lambda e: done.set())
    media.parse_with_options(vlc.MediaParseFlag.local, timeout_ms)
    done.wait(timeout_ms / 1000 + 0.5)
    manager.event_detach(vlc.EventType.MediaParsedChanged)
    if media.get_parsed_status() != vlc.MediaParsedStatus.done:
        return None
    has_video = has_audio = False
    size = (0, 0)
    fps = 0.0
    codec = ""
    for track in media.tracks_get() or ():
        if track.type == vlc.TrackType.video:
            has_video = True
            codec = int(track.codec).to_bytes(4, "little").decode("latin-1")
            # The union's first member is at "audio": python-vlc's "video" reads past it (issue 222).
            video = ctypes.cast(track.audio, ctypes.POINTER(vlc.VideoTrack)).contents
            width = video.width
            if video.sar_num and video.sar_den and video.sar_num != video.sar_den:
                width = int(Fraction(width * video.sar_num, video.sar_den))
            size = (int(width) // 2 * 2, int(video.height) // 2 * 2)
            if video.frame_rate_num and video.frame_rate_den:
                fps = video.frame_rate_num / video.frame_rate_den
        elif track.type == vlc.TrackType.audio:
            has_audio = True
    return MediaInfo(has_video, has_audio, size, int(media.get_duration()), fps, codec)
