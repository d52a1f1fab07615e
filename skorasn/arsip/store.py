"""Reading what the register knows and recording a run: the SQL, and nothing else.

Every function takes an open connection. Reads return DataFrames with the columns the pure
checks in arsip/checks.py expect; the write is one `executemany` per table inside the caller's
transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from skorasn.arsip.chain import PARTS, RUN_COLUMNS
from skorasn.errors import LockBusy, OutputError, describe_os_error

KNOWN_COLUMNS = ("run", "started", "nip", "tahap", "tanggal", "skor", "keputusan", "status")
RUN_RECORD_COLUMNS = (
    "run",
    "started",
    "input",
    "berkas",
    "path",
    "nip",
    "nama",
    "tahap",
    "tanggal",
    "skor",
    "keputusan",
    "sumber",
)


def begin(connection: sqlite3.Connection, path: Path, wait: float) -> None:
    """Take the register's write lock, waiting up to `wait` seconds for another run."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise LockBusy(
                f"arsip {path} sedang dipakai jalankan lain selama lebih dari {wait:g} detik; "
                "coba lagi nanti"
            ) from None
        raise


def last_run(connection: sqlite3.Connection) -> int | None:
    row = connection.execute("SELECT MAX(run) FROM runs").fetchone()
    return None if row[0] is None else int(row[0])


def next_run(connection: sqlite3.Connection) -> int:
    """The number the next run gets: numbers are never reused, even after a deletion."""
    row = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").fetchone()
    highest = max(row[0] if row else 0, last_run(connection) or 0)
    return highest + 1


def run_started(connection: sqlite3.Connection, run: int) -> str | None:
    row = connection.execute("SELECT started FROM runs WHERE run = ?", (run,)).fetchone()
    return None if row is None else str(row[0])


def last_hash(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT hash FROM runs ORDER BY run DESC LIMIT 1").fetchone()
    return None if row is None else str(row[0])


def _frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    if "skor" in frame:
        frame["skor"] = pd.to_numeric(frame["skor"], errors="coerce").astype(float)
    return frame


def known_records(connection: sqlite3.Connection, nips: Iterable[str]) -> pd.DataFrame:
    """Every record the register holds for these NIPs, with the time of its run."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (nip TEXT PRIMARY KEY)")
    connection.execute("DELETE FROM temp.wanted")
    connection.executemany(
        "INSERT OR IGNORE INTO temp.wanted (nip) VALUES (?)", ((nip,) for nip in nips)
    )
    rows = connection.execute(
        "SELECT r.run, runs.started, r.nip, r.tahap, r.tanggal, r.skor, r.keputusan, r.status "
        "FROM records AS r JOIN temp.wanted USING (nip) JOIN runs ON runs.run = r.run "
        "WHERE r.tahap IS NOT NULL"
    ).fetchall()
    connection.execute("DELETE FROM temp.wanted")
    return _frame(rows, KNOWN_COLUMNS)


def run_records(
    connection: sqlite3.Connection, run: int, inputs: Sequence[int] | None = None
) -> pd.DataFrame:
    """The keyed records of one run (of some of its inputs only, if given), with the resolved
    path of the file each came from."""
    query = (
        "SELECT r.run, runs.started, r.input, i.name, i.path, r.nip, r.nama, r.tahap, r.tanggal, "
        "r.skor, r.keputusan, r.sumber FROM records AS r JOIN runs ON runs.run = r.run "
        "LEFT JOIN inputs AS i ON i.run = r.run AND i.position = r.input "
        "WHERE r.run = ? AND r.nip IS NOT NULL AND r.tahap IS NOT NULL"
    )
    parameters: list[object] = [run]
    if inputs is not None:
        query += f" AND r.input IN ({', '.join('?' * len(inputs))})"
        parameters += list(inputs)
    return _frame(connection.execute(query, parameters).fetchall(), RUN_RECORD_COLUMNS)


def run_input_paths(connection: sqlite3.Connection, run: int) -> pd.DataFrame:
    rows = connection.execute(
        "SELECT position, name, path FROM inputs WHERE run = ? ORDER BY position", (run,)
    ).fetchall()
    return pd.DataFrame.from_records(rows, columns=["position", "name", "path"])


def previous_readings(
    connection: sqlite3.Connection, paths: Iterable[str]
) -> dict[str, tuple[int, int, str]]:
    """For each path, the latest run that read rows from it: (run, position, sha256)."""
    found: dict[str, tuple[int, int, str]] = {}
    for path in paths:
        row = connection.execute(
            "SELECT run, position, sha256 FROM inputs WHERE path = ? AND rows > 0 "
            "ORDER BY run DESC LIMIT 1",
            (path,),
        ).fetchone()
        if row is not None:
            found[path] = (int(row[0]), int(row[1]), str(row[2]))
    return found


def insert_run(
    connection: sqlite3.Connection,
    path: Path,
    run: Sequence[object],
    digest: str,
    parts: Mapping[str, Sequence[Sequence[object]]],
) -> None:
    """One run and its rows, inside the caller's transaction (the caller commits)."""
    number = run[0]
    try:
        connection.execute(
            f"INSERT INTO runs ({', '.join(RUN_COLUMNS)}, hash) "
            f"VALUES ({', '.join('?' * (len(RUN_COLUMNS) + 1))})",
            (*run, digest),
        )
        for table, columns in PARTS.items():
            connection.executemany(
                f"INSERT INTO {table} (run, {', '.join(columns)}) "
                f"VALUES ({', '.join('?' * (len(columns) + 1))})",
                ((number, *row) for row in parts.get(table, ())),
            )
        connection.executemany(
            "INSERT OR REPLACE INTO meta (kunci, nilai) VALUES (?, ?)",
            [("rantai", digest), ("laporan_terakhir", str(number))],
        )
    except sqlite3.Error as exc:
        raise OutputError(
            f"arsip {path} tidak dapat ditulis ({_describe(exc)}); laporan sudah ditulis "
            "tetapi jalankan ini tidak tercatat di arsip"
        ) from None


def _describe(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "full" in text:
        return "disk penuh"
    if "readonly" in text:
        return "hanya-baca"
    if isinstance(exc.__cause__, OSError):
        return describe_os_error(exc.__cause__)
    return text
