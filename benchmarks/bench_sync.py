"""The sync and seek measurement inside the real window (``bench_app.py sync``).

At each rate (1.0 and 1.5 by default; set through the speed box) the clip plays for
``--duration`` seconds on a fixed plan: ``--seeks`` seeks (``controller.seek``, random
targets), ``--jumps`` quote jumps (alternately a click on a quote's timeline marker and the
``]`` key, the window's own quote-jump paths), ``--rate-changes`` rate changes (the speed box
to a neighbouring speed for 2 s, then back) and ``--pauses`` pause/resume cycles of 0.8 s.
Every paint is recorded (``bench_ui.Recorder``). Then, at rate 1.0, ``--quote-seeks`` clicks
on quote markers are timed to the first painted picture within a frame of the quote's start.
The rows, events and jumps go to stdout as JSON and are judged by ``bench_judge.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import bench_media
import scratch
from bench_ui import Driver, Recorder, make_window


def sync_plan(
    duration: float, seeks: int, pauses: int, jumps: int, rate_changes: int
) -> list[tuple[float, str]]:
    """When each action happens (seconds from the segment's start), spread so that the
    actions of one kind are evenly spaced and the kinds fall between each other."""
    plan: list[tuple[float, str]] = []
    if seeks:
        plan += [(1.0 + k * duration / seeks, "seek") for k in range(seeks)]
    if jumps:
        plan += [((k + 0.42) * duration / jumps, "jump") for k in range(jumps)]
    if pauses:
        every = duration / pauses
        for k in range(pauses):
            plan += [((k + 0.45) * every, "pause"), ((k + 0.45) * every + 0.8, "resume")]
    if rate_changes:
        every = duration / rate_changes
        away = min(2.0, every / 4)
        for k in range(rate_changes):
            at = (k + 0.76) * every
            plan += [(at, "rate away"), (min(at + away, duration - 0.3), "rate back")]
    return sorted(p for p in plan if p[0] < duration)


def neighbour_rate(rate: float, k: int) -> float:
    """A speed next to ``rate`` in the speed box: above for even ``k``, below for odd."""
    from clipsync.ui.player.transport_bar import RATES

    i = RATES.index(rate)
    up = i + 1 < len(RATES)
    down = i > 0
    return RATES[i + 1] if (k % 2 == 0 and up) or not down else RATES[i - 1]


def trace_pictures(controller: Any) -> list[list[Any]]:
    """What the picture-time rules saw and decided, for ``bench_matrix.py --raw``: each jump
    (``["jump", at, target]``), each picture's arrival and its time (``["pic", at, repeat,
    position, old, landed, hold_s]``), the frame number drawn in each picture libVLC hands over
    (``["frame", at, number]``, the same ``at``), each libVLC report (``["ev", at, kind, value]``),
    the media's own pictures coming (``["refs", at, target, count]``) and each picture matched to
    another time than the rules gave it (``["ident", at, position]``); ``at`` in
    ``time.monotonic()`` seconds, as the rules see it (for refs and ident: when it happened)."""
    trace: list[list[Any]] = []
    pictures = controller._pictures
    jump, picture, identified = pictures.jump, pictures.picture, pictures.identified

    def traced_identified(position_ms: int) -> None:
        trace.append(["ident", time.monotonic(), position_ms])
        identified(position_ms)

    def traced_jump(target_ms: int, at: float, **kwargs: Any) -> None:
        trace.append(["jump", at, target_ms])
        jump(target_ms, at, **kwargs)

    def traced_picture(at: float, repeat: bool, clock_ms: int) -> int | None:
        position = picture(at, repeat, clock_ms)
        trace.append(["pic", at, repeat, position, pictures.old, pictures.landed, pictures.hold_s])
        return position

    pictures.jump, pictures.picture, pictures.identified = traced_jump, traced_picture, traced_identified
    player = controller.player
    forward = player.on_event

    def traced_event(event: Any) -> None:  # on a libVLC thread: append only
        if event.kind.name in ("BUFFERING", "TIME", "PLAYING", "PAUSED"):
            trace.append(
                ["ev", event.at if event.at is not None else time.monotonic(), event.kind.name, event.value]
            )
        elif event.kind.name == "REFERENCES":
            trace.append(["refs", time.monotonic(), event.value.target_ms, len(event.value.pictures)])
        forward(event)

    player.on_event = traced_event
    forward_frame = player.on_frame

    def traced_frame(frame: Any) -> None:  # on a libVLC thread: which picture it is, for the trace
        number = bench_media.decode_frame_number_raw(frame.data, frame.width, frame.height)
        trace.append(["frame", frame.at, number])
        forward_frame(frame)

    player.on_frame = traced_frame
    return trace


def run_sync(args: argparse.Namespace) -> int:
    from clipsync.ui.player.controller import State

    if args.frames:  # a clip of the encoding matrix: its own frame times
        bench_media.use_frame_times(json.loads(args.frames.read_text()))
    app, window = make_window()
    controller = window.controller
    recorder = Recorder(window)
    driver = Driver(app, window, recorder)
    window.show()
    window.open_media(args.media, args.text, None)
    if not driver.wait_until(lambda: controller.state is State.PLAYING and controller.frame is not None, 20):
        print(json.dumps({"error": f"the clip did not start: {controller.state} {controller.error}"}))
        scratch.leave(1)
    length = driver.length_ms(int(args.seconds_clip * 1000))
    out: dict[str, Any] = {"segments": {}}
    trace = trace_pictures(controller)

    # 1. Sync: play, seek, jump, change speed and pause on a fixed plan, at each rate.
    for rate in args.rates:
        driver.choose_rate(rate)
        controller.seek(0, play=True)
        driver.pump(0.3)
        segment = f"rate{rate:g}"
        recorder.segment = segment
        recorder.mark(f"start {segment}")
        plan = sync_plan(args.duration, args.seeks, args.pauses, args.jumps, args.rate_changes)
        away = 0
        start = time.perf_counter()
        for at, action in plan:
            driver.pump(max(0.0, at - (time.perf_counter() - start)))
            if action == "seek":
                target = driver.rng.randrange(2000, max(3000, length - 15_000), 100)
                recorder.mark("seek")
                controller.seek(target)
            elif action == "jump":
                driver.quote_jump("marker" if len(driver.jumps) % 2 == 0 else "key")
            elif action == "rate away":
                driver.choose_rate(neighbour_rate(rate, away))
                away += 1
            elif action == "rate back":
                driver.choose_rate(rate)
            elif action == "pause":
                recorder.mark("pause")
                controller.pause()
            else:
                recorder.mark("resume")
                controller.play()
        driver.pump(max(0.0, args.duration - (time.perf_counter() - start)))
        recorder.segment = ""
        out["segments"][segment] = {"wall_s": time.perf_counter() - start, "plan": plan}

    # 2. Seek to a quote: a click on its marker, until a picture within a frame of its start.
    driver.choose_rate(1.0)
    latencies: list[float | None] = []
    misses = 0
    for _ in range(args.quote_seeks):
        found: dict[str, float] = {}
        target_holder: dict[str, int] = {}

        def on_row(
            row: dict[str, Any], found: dict[str, float] = found, th: dict[str, int] = target_holder
        ) -> None:
            n = row["n"]
            if (
                "target" in th
                and "t" not in found
                and row["new"]
                and n is not None
                and abs(bench_media.frame_time_ms(n) - th["target"]) <= bench_media.frame_ms_at(n) + 0.5
            ):
                found["t"] = row["t"]

        recorder.listeners = [on_row]
        jump = driver.quote_jump("marker", margin_ms=3000)
        driver.jumps.pop()  # timed here, not judged with the plan's jumps
        if not jump["made"]:
            misses += 1
            recorder.listeners = []
            continue
        target_holder["target"] = int(jump["target"])  # type: ignore[call-overload]
        driver.wait_until(lambda found=found: "t" in found, args.seek_timeout)
        latencies.append((found["t"] - float(jump["t"])) * 1000 if "t" in found else None)  # type: ignore[arg-type]
        recorder.listeners = []
        driver.pump(0.4)
    out["seek"] = {"latencies_ms": latencies, "wrong_or_missed_clicks": misses}
    out["rows"] = recorder.rows
    out["events"] = recorder.events
    out["jumps"] = driver.jumps
    out["trace"] = trace
    # The captions each frame should show, from the cue list (judged in bench_judge.py).
    out["presentation"] = window.caption_style.presentation
    out["caption_delay_ms"] = window.caption_delay_ms
    json.dump(out, sys.stdout)
    scratch.leave(0)
