"""The arsip under cron: runs that start together, and runs killed at any moment."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .arsip_days import dasar_rows, query, run_count, write_day
from .conftest import Run, nip

ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
ROWS = 4000


def skorasn(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "skorasn", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def big_csv(path: Path, rows: int = ROWS) -> Path:
    """A dasar CSV of `rows` participants: a run long enough to be killed in the middle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["NIP;Nama;Tanggal;Skor"]
    lines += [
        f"{nip(n % 1000, birth=f'19{70 + n // 1000:02d}0101')};Peserta {n};07/11/2025;{n % 11}"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def whole(run: Run, register: Path) -> None:
    """The chain verifies and every recorded run holds all of its records."""
    result = run("arsip", "verifikasi", "--arsip", register)
    assert result.exit_code == 0, result.stdout + result.stderr
    counts = query(
        register,
        "SELECT runs.run, runs.participants, COUNT(records.run) FROM runs "
        "LEFT JOIN records ON records.run = runs.run GROUP BY runs.run",
    )
    assert all(participants == records for _, participants, records in counts), counts


def test_two_runs_started_together_are_both_recorded(run: Run, tmp_path: Path) -> None:
    register = tmp_path / "arsip" / "skorasn.db"  # new: both runs race to create it too
    first = write_day(tmp_path / "a", "dasar.xlsx", "Dasar", dasar_rows())
    second = big_csv(tmp_path / "b" / "dasar_lain.csv", 2000)
    children = [
        skorasn("tier", first, "--arsip", register, "-q", "-o", tmp_path / "a.json"),
        skorasn("tier", second, "--arsip", register, "-q", "-o", tmp_path / "b.json"),
    ]
    for child in children:
        _, error = child.communicate(timeout=120)
        assert child.returncode in (0, 1), error
    assert run_count(register) == 2
    whole(run, register)
    reports = [json.loads((tmp_path / name).read_text()) for name in ("a.json", "b.json")]
    assert sorted(r["perubahan"]["laporan"] for r in reports) == [1, 2]
    later = max(reports, key=lambda r: r["perubahan"]["laporan"])
    assert later["perubahan"]["banding"]["laporan"] == 1


def _holds_lock(register: Path) -> bool:
    """Whether some other process holds the register's write lock right now."""
    try:
        connection = sqlite3.connect(register, timeout=0)
    except sqlite3.Error:
        return False
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_a_run_killed_at_any_moment_leaves_the_register_whole(run: Run, tmp_path: Path) -> None:
    register = tmp_path / "arsip.db"
    source = big_csv(tmp_path / "masuk" / "dasar.csv")
    target = tmp_path / "rekap.json"
    args = ("tier", source, "--arsip", register, "-q", "-o", target)
    killed_holding_lock = 0
    # Early (starting up, creating the register), and in the middle of writing to it.
    for delay in (0.4, None):
        before = run_count(register) if register.exists() else 0
        child = skorasn(*args)
        if delay is None:
            while child.poll() is None and not (register.exists() and _holds_lock(register)):
                time.sleep(0.005)
            killed_holding_lock += child.poll() is None
        else:
            time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        after = run_count(register) if register.exists() else 0
        assert after in (before, before + 1)
        if register.exists():
            whole(run, register)
    assert killed_holding_lock >= 1
    # And the next run after all that is recorded as usual.
    finished = skorasn(*args)
    _, error = finished.communicate(timeout=120)
    assert finished.returncode in (0, 1), error
    whole(run, register)
    assert json.loads(target.read_text())["perubahan"]["laporan"] == run_count(register)
