"""Described video: the descriptions' voice (DescriptionVoice), its settings dialog, and the
commands that find, open and show descriptions. Other features use what is exported here."""

from clipsync.ui.descriptions.voice_controller import DescriptionVoice, load_voice_settings

__all__ = ["DescriptionVoice", "load_voice_settings"]
