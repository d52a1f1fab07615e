"""Timing one command as a whole process: wall time and the child's own peak RSS.

Each run is a fresh process. Its peak RSS comes from `/usr/bin/time -f %M`, which forks the
command from a tiny C process: Linux carries the high-water mark of the memory a process had
before exec into its ru_maxrss, so a child forked straight from this (larger) Python process
would report at least our own size. Without /usr/bin/time the rusage of os.wait4 is used (per
child, unlike RUSAGE_CHILDREN, but with that floor). A watchdog kills the run's process group
(the one started here, by its id) if the machine's available memory falls below a floor, so a
1M-row run can never push the shared machine into trouble.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MIN_AVAILABLE_MB = 1536
TIME = shutil.which("time", path="/usr/bin:/bin")


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    stdout: str = ""
    killed: bool = False


@dataclass
class Result:
    """Every run of one benchmark at one size."""

    name: str
    rows: int | None
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if not r.killed]

    @property
    def best(self) -> float | None:
        return min((r.seconds for r in self.ok), default=None)

    @property
    def median(self) -> float | None:
        return statistics.median(r.seconds for r in self.ok) if self.ok else None

    @property
    def peak_mb(self) -> float | None:
        return max((r.rss_mb for r in self.ok), default=None)

    @property
    def codes(self) -> set[int]:
        return {r.code for r in self.runs}


def available_mb() -> float:
    """MemAvailable from /proc/meminfo, in MiB."""
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("inf")


def _watch(group: int, done: threading.Event, verdict: dict[str, bool]) -> None:
    while not done.wait(0.25):
        if available_mb() < MIN_AVAILABLE_MB:
            verdict["killed"] = True
            os.killpg(group, signal.SIGKILL)
            return


def _peak_kb(report: Path, fallback: int) -> int:
    """The last line /usr/bin/time wrote (earlier ones may say the command was killed)."""
    lines = report.read_text().split() if report.exists() else []
    return int(lines[-1]) if lines and lines[-1].isdigit() else fallback


def run_once(argv: list[str], capture: bool = False, cwd: Path | None = None) -> Run:
    """Run `argv` to the end and return its wall time, peak RSS and exit code."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "rss"
        command = [TIME, "-f", "%M", "-o", str(report), *argv] if TIME else argv
        with open(Path(folder) / "out", "w+b") as out, open(Path(folder) / "err", "w+b") as err:
            start = time.perf_counter()
            process = subprocess.Popen(
                command,
                stdout=out if capture else subprocess.DEVNULL,
                stderr=err,
                cwd=cwd,
                start_new_session=True,
            )
            done, verdict = threading.Event(), {"killed": False}
            threading.Thread(target=_watch, args=(process.pid, done, verdict), daemon=True).start()
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            done.set()
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            run = Run(
                seconds,
                _peak_kb(report, usage.ru_maxrss) / 1024,
                process.returncode,
                out.read().decode(errors="replace"),
                verdict["killed"],
            )
            if run.code not in (0, 1) and not run.killed:
                message = err.read().decode(errors="replace").strip()[-500:]
                raise RuntimeError(f"{' '.join(argv)} keluar dengan kode {run.code}: {message}")
            return run
