"""CPU per second of playback: clipsync against the players people use instead, under one Xvfb.

    python benchmarks/bench_peers.py --setup     install the peers (root, Debian): see SETUP
    python benchmarks/bench_peers.py --check     say which peers are missing

``run.py`` (part ``peers``) starts one Xvfb (2560x1600, 24 bits) and plays the measurement
clips, one player at a time, in it:

* **clipsync**: ``bench_app.py play`` with ``QT_QPA_PLATFORM=xcb`` (the real window, 1280x760);
* **mpv**: ``mpv --vo=x11 --ao=null`` (its window at the video's size);
* **VLC**: VLC's own Qt interface, ``vlc -I qt --vout xcb_x11 --aout adummy``, run as the
  ordinary user ``bench`` through ``runuser`` (VLC refuses to run as root).

Each player's CPU is utime + stime of its whole process tree (``/proc/<pid>/stat``) over
``measure_s`` of playback, ``warm_s`` after it started playing; the X server's CPU over the
same time is reported beside it (every picture the players show goes through it). mpv and
VLC are asked how far playback got (mpv's IPC socket, VLC's ``oldrc`` socket), so a player
that stalls is seen. A missing peer is said so, in the log and in the figures
(``cpu.peers_missing``), never skipped silently.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_proc import cpu_s, end_tree, log, read_json_line, tree

HERE = Path(__file__).resolve().parent
PEER_USER = "bench"
SETUP = (
    ["apt-get", "install", "-y", "--no-install-recommends", "mpv", "vlc", "vlc-plugin-qt", "xvfb"],
    ["useradd", "-m", PEER_USER],
)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _vlc_qt_plugin() -> bool:
    return any(Path("/usr/lib").glob("*/vlc/plugins/gui/libqt_plugin.so")) or any(
        Path("/usr/lib").glob("vlc/plugins/gui/libqt_plugin.so")
    )


def missing() -> dict[str, str]:
    """What is missing for each part of the comparison, in words (empty when all is there)."""
    out: dict[str, str] = {}
    hint = " (python benchmarks/bench_peers.py --setup, or: " + " && ".join(" ".join(c) for c in SETUP) + ")"
    if shutil.which("Xvfb") is None:
        out["xvfb"] = "Xvfb is not installed" + hint
    if shutil.which("mpv") is None:
        out["mpv"] = "mpv is not installed" + hint
    if shutil.which("vlc") is None:
        out["vlc"] = "VLC is not installed" + hint
    elif not _vlc_qt_plugin():
        out["vlc"] = "VLC's Qt interface (vlc-plugin-qt) is not installed" + hint
    elif os.geteuid() == 0 and not _user_exists(PEER_USER):
        out["vlc"] = f"VLC refuses to run as root and there is no user {PEER_USER!r} to run it" + hint
    elif os.geteuid() == 0 and shutil.which("runuser") is None:
        out["vlc"] = "VLC refuses to run as root and runuser is missing (util-linux)"
    return out


def setup() -> None:
    """Install the peers and make the ordinary user VLC runs as (root on Debian only)."""
    if os.geteuid() != 0:
        raise SystemExit("--setup installs Debian packages and adds a user: run it as root")
    subprocess.run(SETUP[0], check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if not _user_exists(PEER_USER):
        subprocess.run(SETUP[1], check=True)


@contextlib.contextmanager
def xvfb(width: int = 2560, height: int = 1600) -> Iterator[tuple[str, int]]:
    """A fresh Xvfb on a free display: yields (DISPLAY, its pid)."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}", proc.pid
    finally:
        end_tree(proc)


# Asking players how far they got ------------------------------------------------------------
class Remote:
    """One connection to a player's control socket, kept open (VLC's ``oldrc`` serves one
    client at a time), asked for the playback time."""

    def __init__(self, path: Path, player: str) -> None:
        self.path, self.player = path, player
        self.sock: socket.socket | None = None
        self.pending = b""

    def _connect(self) -> socket.socket | None:
        if self.sock is None:
            try:
                sock = socket.socket(socket.AF_UNIX)
                sock.settimeout(1.0)
                sock.connect(str(self.path))
            except OSError:
                return None
            self.sock = sock
        return self.sock

    def _lines(self, request: bytes, wanted: Any, timeout_s: float = 2.0) -> float | None:
        sock = self._connect()
        if sock is None:
            return None
        try:
            sock.sendall(request)
            end = time.monotonic() + timeout_s
            while time.monotonic() < end:
                *lines, self.pending = (self.pending + sock.recv(65536)).split(b"\n")
                for line in lines:
                    value = wanted(line.decode(errors="replace").strip())
                    if value is not None:
                        return value
        except OSError:
            self.close()
        return None

    def time_s(self) -> float | None:
        """Seconds of media played (mpv: to the ms; VLC: whole seconds)."""
        if self.player == "mpv":
            return self._lines(b'{"command":["get_property","playback-time"]}\n', _mpv_answer)
        # VLC answers with the whole seconds on a line of their own (status lines may come first).
        return self._lines(b"get_time\n", lambda line: float(line) if line.isdigit() else None)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def _mpv_answer(line: str) -> float | None:
    try:
        answer = json.loads(line)
    except ValueError:
        return None
    if answer.get("error") == "success" and isinstance(answer.get("data"), int | float):
        return float(answer["data"])
    return None


def windows(display: str) -> list[str]:
    """The named top-level windows on ``display`` with their sizes (needs xwininfo, x11-utils)."""
    if shutil.which("xwininfo") is None:
        return []
    listing = subprocess.run(
        ["xwininfo", "-display", display, "-root", "-children"], capture_output=True, text=True, timeout=10
    ).stdout
    found = []
    for line in listing.splitlines():
        match = re.search(r'^\s+0x[0-9a-f]+ "(.*)": \(.*\)\s+(\d+x\d+)', line)
        if match:
            found.append(f"{match.group(1)} {match.group(2)}")
    return found


# One measurement ------------------------------------------------------------------------------
def measure(
    player: str, clip: Path, doc: Path, display: str, xserver_pid: int, warm_s: float, measure_s: float
) -> dict[str, Any]:
    """CPU of ``player`` (clipsync, mpv, vlc) playing ``clip`` in ``display``: its own percent
    of one core, the X server's, and how many seconds of media it played meanwhile."""
    work = Path(tempfile.mkdtemp(prefix=f"peer-{player}-"))
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    remote: Remote | None = None
    if player == "clipsync":
        env.update(QT_QPA_PLATFORM="xcb", CLIPSYNC_AUDIO_OUTPUT="adummy")
        command = [sys.executable, str(HERE / "bench_app.py"), "play", str(clip), str(doc)]
    elif player == "mpv":
        sock = work / "mpv.sock"
        command = ["mpv", "--vo=x11", "--ao=null", "--no-terminal", "--loop-file=inf"]
        command += [f"--input-ipc-server={sock}", str(clip)]
        remote = Remote(sock, "mpv")
    else:
        sock = work / "vlc.sock"
        command = ["vlc", "-I", "qt", "--vout", "xcb_x11", "--aout", "adummy", "--no-qt-privacy-ask"]
        command += ["--loop", "--extraintf", "oldrc", "--rc-unix", str(sock), "--rc-fake-tty", str(clip)]
        if os.geteuid() == 0:  # VLC will not run as root
            shutil.chown(work, PEER_USER)
            env.update(HOME=f"/home/{PEER_USER}", XDG_RUNTIME_DIR=str(work))
            passed = ("DISPLAY", "HOME", "XDG_RUNTIME_DIR", "QT_QPA_PLATFORM")
            command = ["runuser", "-u", PEER_USER, "--", "env", *(f"{k}={env[k]}" for k in passed), *command]
        remote = Remote(sock, "vlc")

    errors = (work / "stderr.txt").open("w")
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        if player == "clipsync":
            read_json_line(proc, 40)  # its first picture is painted
        else:
            end = time.monotonic() + 60
            while remote is not None and (remote.time_s() or 0) <= 0:
                if time.monotonic() > end or proc.poll() is not None:
                    errors.flush()
                    said = (work / "stderr.txt").read_text(errors="replace")[-1500:]
                    raise RuntimeError(
                        f"{player} did not start playing (exit {proc.poll()}): {' '.join(command)}\n{said}"
                    )
                time.sleep(0.2)
        time.sleep(warm_s)
        shown = windows(display)
        pids = tree(proc.pid)
        p0 = remote.time_s() if remote else None
        c0, x0, t0 = cpu_s(pids), cpu_s([xserver_pid]), time.monotonic()
        time.sleep(measure_s)
        c1, x1, t1 = cpu_s(pids), cpu_s([xserver_pid]), time.monotonic()
        p1 = remote.time_s() if remote else None
        if proc.poll() is not None:
            raise RuntimeError(f"{player} ended during the CPU measurement")
    finally:
        if remote is not None:
            remote.close()
        end_tree(proc)
        errors.close()
        shutil.rmtree(work, ignore_errors=True)
    played = None if p0 is None or p1 is None else p1 - p0
    return {
        "windows": "; ".join(shown),
        "cpu": 100.0 * (c1 - c0) / (t1 - t0),
        "xserver": 100.0 * (x1 - x0) / (t1 - t0),
        "played_s": played,
    }


@contextlib.contextmanager
def readable_copies(
    clips: dict[str, tuple[Path, Path, float]],
) -> Iterator[dict[str, tuple[Path, Path, float]]]:
    """The clips copied where the ordinary user VLC runs as can read them (a test run's
    temporary copy of the repository is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="clipsync-peers-"))
    try:
        folder.chmod(0o755)
        shared = {}
        for label, (clip, doc, seconds) in clips.items():
            copies = []
            for path in (clip, doc):
                copy = folder / path.name
                shutil.copyfile(path, copy)
                copy.chmod(0o644)
                copies.append(copy)
            shared[label] = (copies[0], copies[1], seconds)
        yield shared
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_peers(
    clips: dict[str, tuple[Path, Path, float]], runs: int, warm_s: float, measure_s: float
) -> tuple[dict[str, float], dict[str, str]]:
    """CPU of clipsync, mpv and VLC at each clip (label -> (clip, sync doc, seconds)): the
    median of ``runs`` runs each, interleaved, under one Xvfb. Returns the figures and what
    was missing (peer -> why); a missing peer's figures are NaN."""
    gaps = missing()
    for name, why in gaps.items():
        log(f"CPU against the peers: {name} MISSING, its figures are left out: {why}")
    out: dict[str, float] = {"cpu.peers_missing": float(len(gaps))}
    if "xvfb" in gaps:
        players: list[str] = []
    else:
        players = ["clipsync"] + [p for p in ("mpv", "vlc") if p not in gaps]
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if players:
        with xvfb() as (display, xserver), readable_copies(clips) as shared:
            for label, (clip, doc, seconds) in shared.items():
                for i in range(runs):
                    for player in players:
                        try:
                            got = measure(player, clip, doc, display, xserver, warm_s, measure_s)
                        except RuntimeError as exc:  # one failed start must not lose the run
                            log(f"CPU {label}, run {i + 1}: {player} left out of this run: {exc}")
                            continue
                        if got["played_s"] is not None and got["played_s"] < 0:
                            got["played_s"] += seconds  # it looped
                        results.setdefault((player, label), []).append(got)
                    log(
                        f"CPU {label} under Xvfb, run {i + 1}/{runs}: "
                        + ", ".join(
                            f"{p} {results[(p, label)][-1]['cpu']:.1f} % (X server "
                            f"{results[(p, label)][-1]['xserver']:.1f} %)"
                            for p in players
                            if results.get((p, label))
                        )
                    )
    for label in clips:
        for player in ("clipsync", "mpv", "vlc"):
            runs_of = results.get((player, label), [])
            median = statistics.median(float(r["cpu"] or 0) for r in runs_of) if runs_of else math.nan
            out[f"cpu.{player}_{label}_pct"] = median
            out[f"cpu.{player}_{label}_xserver_pct"] = (
                statistics.median(float(r["xserver"] or 0) for r in runs_of) if runs_of else math.nan
            )
            played = [float(r["played_s"]) for r in runs_of if r["played_s"] is not None]
            if player != "clipsync":
                out[f"cpu.{player}_{label}_played_s"] = statistics.median(played) if played else math.nan
        for peer in ("mpv", "vlc"):
            base = out[f"cpu.{peer}_{label}_pct"]
            out[f"cpu.ratio_{peer}_{label}"] = (
                out[f"cpu.clipsync_{label}_pct"] / base if base > 0 else math.nan
            )
    out["cpu.peer_runs"] = runs
    for (player, label), runs_of in sorted(results.items()):
        log(f"CPU {label}: {player}'s windows: {runs_of[-1].get('windows') or '(xwininfo not installed)'}")
    return out, gaps


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="install mpv, VLC (Qt) and Xvfb; add the user")
    parser.add_argument("--check", action="store_true", help="say what is missing")
    args = parser.parse_args()
    if args.setup:
        setup()
    gaps = missing()
    for name, why in gaps.items():
        print(f"{name}: {why}")
    if not gaps:
        print("mpv, VLC (Qt interface) and Xvfb are there")
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
