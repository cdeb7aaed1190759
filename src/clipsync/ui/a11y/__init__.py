"""Status a screen reader speaks (WCAG 4.1.3): the announcer and what playback announces.
Other features use what is exported here (the window hands them ``Announcer.say``)."""

from clipsync.ui.a11y.announcer import Announcer, Heard
from clipsync.ui.a11y.playback_status import PlaybackAnnouncements

__all__ = ["Announcer", "Heard", "PlaybackAnnouncements"]
