"""clipsync: a media player that keeps a text in step with what is being said."""

__version__ = "0.1.0"
