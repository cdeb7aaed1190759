"""Offline forced alignment of an article to a recording (pocketsphinx + ffmpeg + espeak-ng).

The entry point is :func:`align_article`; see :mod:`clipsync.core.alignment.aligner`.
"""

from clipsync.core.alignment.aligner import (
    AlignmentCancelled,
    AlignmentResult,
    AlignmentStats,
    ProgressCallback,
    align_article,
    new_cancel_flag,
)
from clipsync.core.alignment.grammar import tokens

__all__ = [
    "AlignmentCancelled",
    "AlignmentResult",
    "AlignmentStats",
    "ProgressCallback",
    "align_article",
    "new_cancel_flag",
    "tokens",
]
