"""Minimal reproductions of libVLC 3 behaviour, written with plain python-vlc (no Qt, no clipsync
player): where a seek lands, which pictures and sound come after it, the time libVLC reports for
HLS and slow streams. They measure nothing for the benchmark report (``benchmarks/run.py``); each
is run on its own, e.g. ``python benchmarks/repro/seek.py`` (its docstring gives the options),
and docs/libvlc.md and docs/benchmarks.md cite what they show."""
