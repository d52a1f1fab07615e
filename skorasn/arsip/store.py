"""Reading what the register knows and recording a run: the SQL, and nothing else.

Every function takes an open connection. Reads return DataFrames with the columns the pure
checks in arsip/checks.py expect; the write is one `executemany` per table inside the caller's
transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from skorasn.arsip.chain import PARTS, RUN_COLUMNS
from skorasn.arsip.checks import DECIDED
from skorasn.errors import LockBusy
from skorasn.vocabulary import STAGES

# Only records of a known stage are followed: a register edited by hand may hold anything.
STAGES_SQL = "(" + ", ".join(f"'{stage}'" for stage in STAGES) + ")"

# A record as the checks read it back: its run, the file it came from, its values.
RECORD_COLUMNS = (
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
    "status",
    "kunci",
)
# The key a record is followed by across runs (see arsip/checks.py), made by SQLite.
KEY_SQL = "nip || '|' || tahap || '|' || COALESCE(tanggal, '')"
_SELECT = (
    "SELECT r.run, r.input, r.nip, r.nama, r.tahap, r.tanggal, r.skor, r.keputusan, r.sumber, "
    f"r.status, {KEY_SQL} FROM records AS r "
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


def _frame(
    connection: sqlite3.Connection, query: str, parameters: Sequence[object]
) -> pd.DataFrame:
    """Records as read, with their run's time and their file's name and path, kept as plain
    Python objects: converting text to Arrow strings would cost more than all the checks;
    scores become floats. Run times and files come from small lookups rather than a join, so
    that each row carries shared strings, not copies."""
    rows = connection.execute(query, parameters).fetchall()
    columns = [c for c in RECORD_COLUMNS if c not in ("started", "berkas", "path")]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["skor"] = pd.to_numeric(frame["skor"], errors="coerce").astype(float)
    runs = frame["run"].unique().tolist()
    among = f"WHERE run IN ({', '.join('?' * len(runs))})"
    started = dict(connection.execute(f"SELECT run, started FROM runs {among}", runs))
    files = {
        (run, position): (name, path)
        for run, position, name, path in connection.execute(
            f"SELECT run, position, name, path FROM inputs {among}", runs
        )
    }
    nowhere = (None, None)
    found = [files.get(key, nowhere) for key in zip(frame["run"], frame["input"], strict=True)]
    frame.insert(1, "started", frame["run"].map(started))
    frame.insert(3, "berkas", [name for name, _ in found])
    frame.insert(4, "path", [path for _, path in found])
    return frame


@dataclass(frozen=True)
class Wanted:
    """Today's participants, as an SQL set the queries below read: a JSON array where SQLite
    has JSON functions (one parameter, nothing written), else a temporary table."""

    sql: str
    parameters: tuple[object, ...] = ()


def want(connection: sqlite3.Connection, nips: Iterable[str], table: str = "wanted") -> Wanted:
    """Name today's participants: what the checks read of the register is theirs only,
    however many other people and runs it holds."""
    nips = list(nips)
    try:
        connection.execute("SELECT 1 FROM json_each('[]')")
    except sqlite3.OperationalError:  # an SQLite built without JSON
        connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (nip TEXT PRIMARY KEY)")
        connection.execute(f"DELETE FROM temp.{table}")
        connection.executemany(
            f"INSERT OR IGNORE INTO temp.{table} (nip) VALUES (?)", ((nip,) for nip in nips)
        )
        return Wanted(f"(SELECT nip FROM temp.{table})")
    return Wanted("(SELECT value FROM json_each(?))", (json.dumps(nips),))


# The latest record per key of today's participants, among those the register stands by (a
# change that was not accepted never counts). SQLite's bare columns come from the row with
# the largest run and position; the covering index records_key makes this one range scan per
# NIP, however many runs the register holds.
_LATEST = (
    f"SELECT {KEY_SQL}, nip, tahap, COALESCE(tanggal, ''), keputusan, skor, status, run, "
    "MAX(run * 4294967296 + position) FROM records "
    "WHERE nip IN {wanted} AND tahap IN {stages} "
    "AND status IS NOT 'berubah' AND ({condition}) GROUP BY nip, tahap, tanggal"
)
LATEST_COLUMNS = ["kunci", "nip", "tahap", "tgl", "keputusan", "skor", "status", "run"]
# What makes a record the reported score, or the reported decision, of its key.
REPORTED = {
    "skor": "skor IS NOT NULL OR status = 'koreksi'",
    "keputusan": "keputusan IN ('lanjut', 'tahan', 'berhenti') OR status = 'koreksi'",
}


def _latest(connection: sqlite3.Connection, wanted: Wanted, condition: str) -> pd.DataFrame:
    query = _LATEST.format(wanted=wanted.sql, condition=condition, stages=STAGES_SQL)
    rows = connection.execute(query, wanted.parameters).fetchall()
    frame = pd.DataFrame(rows, columns=[*LATEST_COLUMNS, "_"], dtype=object).drop(columns="_")
    frame["skor"] = pd.to_numeric(frame["skor"], errors="coerce").astype(float)
    return frame


def latest(connection: sqlite3.Connection, wanted: Wanted) -> dict[str, pd.DataFrame]:
    """Per key of today's participants: "terakhir", the latest record of any kind; and under
    "skor" and "keputusan", for the few keys whose latest record has no reported score (or
    decision), the latest one that has, further back. With run times."""
    times = run_times(connection)
    last = _latest(connection, wanted, "1")
    found = {"terakhir": last}
    corrected = last["status"] == "koreksi"
    for kind, condition in REPORTED.items():
        reported = corrected | (
            last["skor"].notna() if kind == "skor" else last["keputusan"].isin(DECIDED)
        )
        further = last[~reported]
        found[kind] = further.iloc[:0]
        if not further.empty:
            again = want(connection, further["nip"].unique().tolist(), table="again")
            earlier = _latest(connection, again, condition)
            found[kind] = earlier[earlier["kunci"].isin(set(further["kunci"]))]
    return {kind: frame.assign(started=frame["run"].map(times)) for kind, frame in found.items()}


def run_times(connection: sqlite3.Connection) -> dict[int, str]:
    return dict(connection.execute("SELECT run, started FROM runs"))


def run_values(connection: sqlite3.Connection, run: int) -> pd.DataFrame:
    """What comparing with a run needs of each of its keyed records: position, file, key,
    score and decision (the rest, for the few records shown, comes from `run_details`)."""
    rows = connection.execute(
        f"SELECT position, input, {KEY_SQL}, skor, keputusan FROM records "
        f"WHERE run = ? AND nip IS NOT NULL AND tahap IN {STAGES_SQL}",
        (run,),
    ).fetchall()
    frame = pd.DataFrame(rows, columns=["position", "input", "kunci", "skor", "keputusan"])
    frame = frame.astype({"kunci": object, "keputusan": object})
    frame["skor"] = pd.to_numeric(frame["skor"], errors="coerce").astype(float)
    return frame


def run_details(connection: sqlite3.Connection, run: int, positions: Iterable[int]) -> pd.DataFrame:
    """Whole records of one run, by position, with their file's name and path."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS chosen (position INTEGER PRIMARY KEY)")
    connection.execute("DELETE FROM temp.chosen")
    connection.executemany(
        "INSERT OR IGNORE INTO temp.chosen (position) VALUES (?)", ((int(p),) for p in positions)
    )
    query = _SELECT + "WHERE r.run = ? AND r.position IN (SELECT position FROM temp.chosen)"
    return _frame(connection, query, [run])


def run_files(connection: sqlite3.Connection, run: int) -> dict[int, tuple[str, str]]:
    """A run's inputs by position: (name as given, resolved path)."""
    rows = connection.execute("SELECT position, name, path FROM inputs WHERE run = ?", (run,))
    return {position: (name, path) for position, name, path in rows}


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
    run: Sequence[object],
    digest: str,
    parts: Mapping[str, Sequence[Sequence[object]]],
) -> None:
    """One run and its rows, inside the caller's transaction (the caller commits)."""
    number = run[0]
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
