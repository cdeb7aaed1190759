"""Described video: the descriptions' voice (DescriptionVoice), its settings dialog, and the
commands that find, open and show descriptions (DescriptionCommands, built by the window with a
DescriptionHost). Other features use what is exported here."""

from clipsync.ui.descriptions.description_commands import DescriptionCommands, DescriptionHost
from clipsync.ui.descriptions.voice_controller import DescriptionVoice, load_voice_settings

__all__ = ["DescriptionCommands", "DescriptionHost", "DescriptionVoice", "load_voice_settings"]
