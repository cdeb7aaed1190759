"""The media layer: one small player interface, the libVLC backend and a fake for tests.

Only :mod:`clipsync.media.vlc_backend` imports ``vlc``.
"""
