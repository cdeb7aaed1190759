"""Synthesized voices under a noise bed, one clip per noise draw: how much of a sentence
boundary's error is the draw.

Run: ``.venv/bin/python benchmarks/noise_draws.py [--draws 6]`` (makes the clips in a temporary
folder and aligns them). To measure an older aligner on the same clips::

    .venv/bin/python benchmarks/noise_draws.py --make /tmp/draws
    git archive COMMIT src | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/noise_draws.py --align /tmp/draws

Prints, per voice and draw, the start error mean and the signed end errors (ms; negative is
early).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

SENTENCES = [
    "The United States has halted its talks with Russia on the war in Syria.",
    "\u201cWhat Russia is doing is not counter-terrorism,\u201d said Ambassador Samantha Power.",
    "She said it was a gift to ISIL and Al-Nusrah, the groups they claim to fight.",
    "The Security Council met on September 29 in New York.",
]
VOICES = {
    "flite awb": dict(engine="flite", voice="awb", bed="noise", bed_db=-20, pause_ms=500),
    "espeak-ng en-gb 220": dict(
        engine="espeak-ng", voice="en-gb", speed=220, bed="noise", bed_db=-20, pause_ms=500
    ),
}


def make(folder: Path, draws: int) -> None:
    from clipsync.core.alignment.synthetic import make_clip

    folder.mkdir(parents=True, exist_ok=True)
    for v, (name, kw) in enumerate(VOICES.items()):
        texts = SENTENCES[:3] if name.startswith("flite") else SENTENCES
        for seed in range(1, draws + 1):
            media = folder / f"{v}-{seed}.mp4"
            spans = make_clip(texts, media, seed=seed, **kw)  # type: ignore[arg-type]
            truth = {"voice": name, "draw": seed, "spans": [[s.text, s.start_ms, s.end_ms] for s in spans]}
            media.with_suffix(".json").write_text(json.dumps(truth))


def align(folder: Path) -> None:
    try:
        from clipsync.core.alignment import align_article
        from clipsync.core.text.textparse import parse_article
    except ImportError:  # a version from before the house by feature (issue 17)
        from clipsync.core.textparse import parse_article  # type: ignore[no-redef,import-not-found]

        from clipsync.core.alignment import align_article  # type: ignore[no-redef]

    for truth_file in sorted(folder.glob("*.json")):
        truth = json.loads(truth_file.read_text())
        texts = [t for t, _, _ in truth["spans"]]
        result = align_article(
            truth_file.with_suffix(".mp4"), parse_article("Noisy Clip Test\n\n" + " ".join(texts))
        )
        got = [s for s in result.article.sentences if s.text != "Noisy Clip Test"]
        starts = [abs((s.start_ms or 0) - a) for s, (_, a, _) in zip(got, truth["spans"], strict=True)]
        ends = [(s.end_ms or 0) - b for s, (_, _, b) in zip(got, truth["spans"], strict=True)]
        both = np.mean(starts + [abs(e) for e in ends])
        print(
            f"{truth['voice']:20s} draw {truth['draw']}: start mean {np.mean(starts):5.1f}, "
            f"ends {ends}, all mean {both:5.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=6)
    parser.add_argument("--make", type=Path, help="only make the clips, into this folder")
    parser.add_argument("--align", type=Path, help="only align the clips of this folder")
    args = parser.parse_args(argv)
    if args.make:
        make(args.make, args.draws)
    elif args.align:
        align(args.align)
    else:
        with tempfile.TemporaryDirectory() as folder:
            make(Path(folder), args.draws)
            align(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
