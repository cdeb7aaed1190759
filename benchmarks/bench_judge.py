"""Judging what the window painted (rows recorded by ``bench_ui.Recorder``) against the cue list.

A painted picture is *right* when the highlighted sentence is the cue list's sentence at the
picture's start (none in a gap) and the caption is one the cue list puts on screen at some
instant of the picture's 33 ms. The clock error of a picture is |position the text was chosen
for - the picture's start|.

For each quote jump (``judge_jumps``), the pictures painted after it are sorted by frame
number: *old* pictures (within 1 s of the last picture painted before the jump and more than
1 s from the target) and *new* ones (from 1 s before to 3 s after the target). The landing
error is the first new picture's start minus the target.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from pathlib import Path
from typing import Any

import bench_media

#: Events after which a frame counts as "near an event" (not steady playback) for 0.5 s.
EVENTS = ("seek", "resume", "pause", "jump", "rate")


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolation percentile (``p`` in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class TextCheck:
    """Whether a painted row shows the text of its picture (sentence, caption)."""

    def __init__(self, doc: Path, presentation: str, delay_ms: int) -> None:
        from clipsync.core.captions.captions import CaptionTrack
        from clipsync.core.formats.syncdoc import load_sync

        article = load_sync(doc)
        self.cues = bench_media.CueList(bench_media.cues_of(article))
        self.captions = CaptionTrack(article)
        self.presentation = presentation
        self.delay = delay_ms

    def expected_captions(self, t_frame: float, frame_ms: float | None = None) -> set[object]:
        """Every caption the cue list puts on screen while this frame is up."""
        shown = set()
        length = frame_ms if frame_ms is not None else bench_media.FRAME_MS
        for t in (t_frame, t_frame + length / 2, t_frame + length - 1):
            frame = self.captions.frame_at(math.floor(t) - self.delay, self.presentation)
            shown.add((tuple(frame.lines), frame.speaker) if frame is not None else None)
        return shown

    def check(self, row: dict[str, Any]) -> tuple[bool, bool]:
        """(sentence right, caption right) for a row with a readable frame number."""
        t_frame = bench_media.frame_time_ms(int(row["n"]))
        # Media time is counted in whole ms (a frame start at 999.6 ms is 1000 to the player).
        want = self.cues.sentence_at(round(t_frame))
        sentence_ok = list(row["hl"]) == ([want] if want else [])
        cap = row["cap"]
        cap_key = (tuple(cap[0]), cap[1]) if cap is not None else None
        return sentence_ok, cap_key in self.expected_captions(t_frame, bench_media.frame_ms_at(int(row["n"])))


def judge_sync(data: dict[str, Any], doc: Path) -> dict[str, float]:
    """The sync, jump and seek figures from what ``bench_app.py sync`` recorded."""
    texts = TextCheck(doc, str(data["presentation"]), int(data["caption_delay_ms"]))
    events = sorted((float(t), str(what)) for t, what in data["events"])
    event_times = [t for t, what in events if what.split()[0] in EVENTS]
    out: dict[str, float] = {}
    for segment in data["segments"]:
        rows = [r for r in data["rows"] if r["seg"] == segment]
        new_rows = [r for r in rows if r["new"]]
        frames = [r for r in new_rows if r["n"] is not None]
        errors, naive, steady_errors = [], [], []
        correct = sentence_ok = caption_ok = 0
        wrong_near_event = steady_correct = 0
        skipped = 0
        last_n = None
        for r in frames:
            n = int(r["n"])
            t_frame = bench_media.frame_time_ms(n)
            s_ok, c_ok = texts.check(r)
            sentence_ok += s_ok
            caption_ok += c_ok
            correct += s_ok and c_ok
            error = abs(float(r["pos"]) - t_frame)
            errors.append(error)
            naive.append(abs(float(r["naive"]) - t_frame))
            i = bisect_right(event_times, r["t"]) - 1
            near_event = i >= 0 and r["t"] - event_times[i] < 0.5
            if not (s_ok and c_ok) and near_event:
                wrong_near_event += 1
            if not near_event:
                steady_errors.append(error)
                steady_correct += s_ok and c_ok
                if last_n is not None and 1 < n - last_n < 30:
                    skipped += n - last_n - 1
            last_n = n
        # Every paint, repaints of a picture included (e.g. the old picture under the new text
        # right after a seek): the share that shows the text of the picture on screen.
        readable = [r for r in rows if r["n"] is not None]
        paints_ok = sum(all(texts.check(r)) for r in readable)
        count = max(1, len(frames))
        prefix = "sync" if segment == "rate1" else f"sync.{segment.replace('.', '')}"
        out.update(
            {
                f"{prefix}.frames": len(frames),
                f"{prefix}.unreadable_frames": len(new_rows) - len(frames),
                f"{prefix}.repaints": len(rows) - len(new_rows),
                f"{prefix}.frames_correct_pct": 100.0 * correct / count,
                f"{prefix}.sentence_correct_pct": 100.0 * sentence_ok / count,
                f"{prefix}.paints_correct_pct": 100.0 * paints_ok / max(1, len(readable)),
                f"{prefix}.caption_correct_pct": 100.0 * caption_ok / count,
                f"{prefix}.wrong_within_500ms_of_seek_or_pause": wrong_near_event,
                f"{prefix}.p50_ms": percentile(errors, 50),
                f"{prefix}.p95_ms": percentile(errors, 95),
                f"{prefix}.p99_ms": percentile(errors, 99),
                f"{prefix}.max_ms": max(errors, default=math.nan),
                f"{prefix}.steady_frames": len(steady_errors),
                f"{prefix}.steady_frames_correct_pct": 100.0 * steady_correct / max(1, len(steady_errors)),
                f"{prefix}.steady_p95_ms": percentile(steady_errors, 95),
                f"{prefix}.steady_p99_ms": percentile(steady_errors, 99),
                f"{prefix}.naive_p50_ms": percentile(naive, 50),
                f"{prefix}.naive_p95_ms": percentile(naive, 95),
                f"{prefix}.naive_p99_ms": percentile(naive, 99),
                f"{prefix}.naive_max_ms": max(naive, default=math.nan),
                f"{prefix}.pictures_skipped": skipped,
                f"{prefix}.wall_s": float(data["segments"][segment]["wall_s"]),
            }
        )
        jumps = [j for j in data.get("jumps", []) if j["seg"] == segment]
        per_jump = judge_jumps(rows, jumps, event_times, texts)
        data.setdefault("judged_jumps", []).extend(per_jump)
        out.update(summarise_jumps(per_jump, f"sync.{segment.replace('.', '')}.jump"))
    # The names the issue asks for.
    for key in ("p95_ms", "p99_ms", "frames_correct_pct"):
        if f"sync.rate15.{key}" in out:
            out[f"sync.rate15_{key}"] = out[f"sync.rate15.{key}"]
    every_jump = data.get("judged_jumps", [])
    out.update(summarise_jumps(every_jump, "sync.jump"))
    latencies = data["seek"]["latencies_ms"]
    reached = [float(v) for v in latencies if v is not None]
    out.update(
        {
            "seek.count": len(latencies),
            "seek.timeouts": len(latencies) - len(reached),
            "seek.wrong_or_missed_clicks": float(data["seek"]["wrong_or_missed_clicks"]),
            "seek.median_ms": statistics.median(reached) if reached else math.nan,
            "seek.p95_ms": percentile(reached, 95),
            "seek.max_ms": max(reached, default=math.nan),
        }
    )
    return out


def judge_jumps(
    rows: list[dict[str, Any]],
    jumps: list[dict[str, Any]],
    event_times: list[float],
    texts: TextCheck | None,
    *,
    window_s: float = 1.5,
) -> list[dict[str, Any]]:
    """For each jump: the landing error and latency of the first new picture, and the
    pictures from before the jump painted after it (and with which text).

    Looked at: the paints from the jump until ``window_s`` later or the next event.
    """
    out = []
    for jump in jumps:
        t0 = float(jump["t"])
        target = float(jump["target"])
        later = [t for t in event_times if t > t0 + 1e-6]
        end = min([t0 + window_s, *later[:1]])
        before_n = jump.get("before_n")
        before_ms = bench_media.frame_time_ms(int(before_n)) if before_n is not None else None
        result: dict[str, Any] = {
            "seg": jump.get("seg"),
            "method": jump["method"],
            "rate": jump.get("rate"),
            "target": target,
            "asked": jump.get("asked"),
            "landing_ms": None,
            "landing_frames": None,
            "latency_ms": None,
            "old_pictures": 0,  # pictures from before the jump painted (first time) after it
            "old_pictures_after_landing": 0,  # ... after the first new picture
            "old_paints_wrong_text": 0,  # paints of an old picture with text not its own
            "new_frames_wrong_text": 0,  # new pictures painted with text not their own
            "other_pictures": 0,  # neither (e.g. a keyframe before the target)
        }
        if not jump.get("made"):
            result["missed"] = True
            out.append(result)
            continue
        landed = False
        for r in rows:
            if not t0 < r["t"] < end or r["n"] is None:
                continue
            t_frame = bench_media.frame_time_ms(int(r["n"]))
            is_new = -1000 <= t_frame - target <= 3000
            is_old = before_ms is not None and abs(t_frame - before_ms) <= 1000 and not is_new
            ok = all(texts.check(r)) if texts is not None else True
            if is_old:
                if r["new"]:
                    result["old_pictures"] += 1
                    result["old_pictures_after_landing"] += landed
                result["old_paints_wrong_text"] += not ok
            elif is_new:
                if r["new"]:
                    if not landed:
                        landed = True
                        result["landing_ms"] = round(t_frame - target, 2)
                        # in frames from the quote's own: its first frame, the first whose
                        # start is at or after the quote's (the frame on screen at the quote's
                        # start, when the quote starts inside it, starts in the sentence before,
                        # and its text is judged so)
                        result["landing_frames"] = int(r["n"]) - bench_media.first_frame_from(target)
                        result["latency_ms"] = round((r["t"] - t0) * 1000, 2)
                    result["new_frames_wrong_text"] += not ok
            elif r["new"]:
                result["other_pictures"] += 1
        out.append(result)
    return out


def summarise_jumps(judged: list[dict[str, Any]], prefix: str) -> dict[str, float]:
    """Landing error (median, max of |error|), latency and old-picture counts over jumps."""
    landings = [float(j["landing_ms"]) for j in judged if j["landing_ms"] is not None]
    latencies = [float(j["latency_ms"]) for j in judged if j["latency_ms"] is not None]
    return {
        f"{prefix}_count": len(judged),
        f"{prefix}_missed": sum(1 for j in judged if j.get("missed")),
        f"{prefix}_not_landed": sum(1 for j in judged if j["landing_ms"] is None),
        f"{prefix}_landing_median_ms": statistics.median(landings) if landings else math.nan,
        f"{prefix}_landing_max_ms": max((abs(v) for v in landings), default=math.nan),
        f"{prefix}_landing_frames_max": max(
            (abs(int(j["landing_frames"])) for j in judged if j.get("landing_frames") is not None),
            default=math.nan,
        ),
        f"{prefix}_latency_median_ms": statistics.median(latencies) if latencies else math.nan,
        f"{prefix}_old_pictures": sum(int(j["old_pictures"]) for j in judged),
        f"{prefix}_old_pictures_after_landing": sum(int(j["old_pictures_after_landing"]) for j in judged),
        f"{prefix}_old_paints_wrong_text": sum(int(j["old_paints_wrong_text"]) for j in judged),
        f"{prefix}_new_frames_wrong_text": sum(int(j["new_frames_wrong_text"]) for j in judged),
        f"{prefix}_new_frames_wrong_text_max": max(
            (int(j["new_frames_wrong_text"]) for j in judged), default=0
        ),
    }
