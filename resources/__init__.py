"""The files that ship with clipsync: the bundled clip, the sync schema, icons and desktop files.

This folder is installed as the package ``clipsync.resources``; read it through
:mod:`clipsync.bundled`, not by path.
"""
