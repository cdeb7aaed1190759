"""Re-aligning between anchors (core, real aligner on the bundled clip)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from clipsync.core.alignment import AlignmentCancelled
from clipsync.core.alignment.realign import Stretch, realign, stretches
from clipsync.core.editing.edits import Boundary, Edge, EditState
from clipsync.core.editing.timing_edits import mark_not_in_recording, move_boundary, set_anchor
from clipsync.core.formats.syncdoc import load_sync

pytestmark = pytest.mark.slow


def broken(truth: EditState, k: int) -> EditState:
    """Sentence ``k``'s start moved 2 s late by hand (and unlocked: the hand was wrong), its
    neighbours locked as anchors."""
    ids = [s.id for s in truth.article.sentences]
    s = truth.article.sentences[k]
    state = move_boundary(truth, Boundary(s.id, Edge.START), (s.start_ms or 0) + 2000).apply(truth)
    for change in (
        lambda st: set_anchor(st, s.id, False),
        lambda st: set_anchor(st, ids[k - 1], True),
        lambda st: set_anchor(st, ids[k + 1], True),
    ):
        state = change(state).apply(state)
    return state


def test_the_stretches_lie_between_the_anchors(clip_sync: Path) -> None:
    """From a sentence on: runs of unlocked sentences, bounded by the anchors' edges; sentences
    marked not in the recording are left out without cutting a run."""
    truth = EditState(load_sync(clip_sync))
    s = truth.article.sentences
    state = broken(truth, 6)
    state = mark_not_in_recording(state, s[9].id).apply(state)
    plan = stretches(state, s[5].id)
    assert plan[0] == Stretch((s[6].id,), s[5].end_ms or 0, s[7].start_ms or 0)
    assert plan[1].sentence_ids == tuple(x.id for x in s[8:] if x.id != s[9].id)
    assert plan[1].start_ms == s[7].end_ms and plan[1].end_ms == truth.article.duration_ms
    assert stretches(state, s[5].id, first_only=True) == plan[:1]


@pytest.mark.parametrize("k", [3, 10])
def test_realign_between_two_anchors_recovers_the_true_times(
    clip_sync: Path, clip_media: Path, k: int
) -> None:
    """A start moved 2 s off comes back within 40 ms of the truth (start and end, and words)."""
    truth = EditState(load_sync(clip_sync))
    state = broken(truth, k)
    result = realign(clip_media, state, truth.article.sentences[k - 1].id, first_only=True)
    assert result.retimed == 1 and not result.problems and not result.not_found
    true, got = truth.article.sentences[k], result.state.article.sentences[k]
    assert abs((got.start_ms or 0) - (true.start_ms or 0)) <= 40
    assert abs((got.end_ms or 0) - (true.end_ms or 0)) <= 40
    assert len(got.words) == len(true.words)
    assert got.words.problem(len(got.text), got.start_ms, got.end_ms) is None
    # Only that sentence (and its quote parts) changed; the anchors are as they were.
    changed = [
        a.id for a, b in zip(state.article.sentences, result.state.article.sentences, strict=True) if a != b
    ]
    assert changed == [true.id] and result.state.anchors == state.anchors


def test_realign_can_be_cancelled(clip_sync: Path, clip_media: Path) -> None:
    """A set cancel flag stops it: nothing comes back."""
    flag = threading.Event()
    flag.set()
    with pytest.raises(AlignmentCancelled):
        realign(clip_media, EditState(load_sync(clip_sync)), cancel=flag)
