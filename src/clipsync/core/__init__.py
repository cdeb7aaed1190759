"""The pure core: time codes, the article model, lookups, sync documents, captions.

Nothing under ``clipsync.core`` imports Qt or vlc; the import-linter contract in
``pyproject.toml`` checks it.
"""
