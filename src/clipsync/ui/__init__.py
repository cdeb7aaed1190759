"""The Qt layer: widgets that take their model and subscribe to it.

The application is assembled in one place, :mod:`clipsync.ui.app`.
"""
