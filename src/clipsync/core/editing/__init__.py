"""Editing timings and text: the edits as pure operations, the journal that survives a crash, and the sound envelope the editor draws."""
