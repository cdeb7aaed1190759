"""Playing: the controller over the media player, the video view, jumps and the pictures' times,
the transport bar, the timeline, network playback and the bars over the video. Other features use
what is exported here."""

from clipsync.ui.player.controller import PlaybackController
from clipsync.ui.player.error_panel import ErrorPanel
from clipsync.ui.player.resume_bar import ResumeBar
from clipsync.ui.player.states import State
from clipsync.ui.player.timeline import Timeline, plain_tooltip, speaker_colors
from clipsync.ui.player.transport_bar import TransportBar
from clipsync.ui.player.video_view import VideoView

__all__ = [
    "ErrorPanel",
    "PlaybackController",
    "ResumeBar",
    "State",
    "Timeline",
    "TransportBar",
    "VideoView",
    "plain_tooltip",
    "speaker_colors",
]
