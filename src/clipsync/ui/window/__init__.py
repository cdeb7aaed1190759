"""The window that assembles the features: its menus and actions, opening files and locations,
the text commands. :mod:`clipsync.ui.app` builds it through what is exported here."""

from clipsync.ui.window.main_window import MainWindow

__all__ = ["MainWindow"]
