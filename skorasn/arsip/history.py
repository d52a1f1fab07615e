"""What the register shows: the list of runs, one participant's path, the whole history.

Everything here only reads. Each answer is plain data (dicts and lists) for the command line
to print as a table or as JSON.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skorasn.arsip.chain import VALUES, Verification, verify
from skorasn.arsip.compare import number
from skorasn.arsip.schema import failure, open_register
from skorasn.arsip.session import BUSY_TIMEOUT_S
from skorasn.vocabulary import STAGES

RUN_FIELDS = (
    "run",
    "started",
    "version",
    "command",
    "compared_with",
    "participants",
    "galat",
    "peringatan",
    "exit_code",
    "hash",
)
RECORD_FIELDS = ("run", "started", "berkas", *VALUES, "status")

# Records with the time of their run and the name their file was given, in recorded order.
RECORDS = (
    "SELECT r.run, runs.started, i.name, r.nip, r.nama, r.tahap, r.tanggal, r.skor, "
    "r.skor_pelatih, r.keputusan, r.sumber, r.status FROM records AS r "
    "JOIN runs ON runs.run = r.run "
    "LEFT JOIN inputs AS i ON i.run = r.run AND i.position = r.input "
    "{where} ORDER BY r.run, r.position"
)


def plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row as every output can write it: a BLOB (never stored by skorasn, only by a hand
    editing the file) as its hex digits."""
    return tuple(value.hex() if isinstance(value, bytes) else value for value in row)


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """An existing register, recognised; damage found while reading is a usage error too."""
    connection = open_register(path, create=False, wait=BUSY_TIMEOUT_S)
    try:
        yield connection
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise failure(path, exc) from None
    finally:
        connection.close()


def runs(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every run, oldest first: time, inputs, counts, exit code and hash."""
    rows = [
        plain(row)
        for row in connection.execute(f"SELECT {', '.join(RUN_FIELDS)} FROM runs ORDER BY run")
    ]
    inputs: dict[int, list[str]] = {}
    for run, name in connection.execute("SELECT run, name FROM inputs ORDER BY run, position"):
        inputs.setdefault(run, []).append(str(name))
    outputs: dict[int, list[str]] = {}
    for run, path in connection.execute("SELECT run, path FROM outputs ORDER BY run, position"):
        outputs.setdefault(run, []).append(str(path))
    return [
        {
            **dict(zip(RUN_FIELDS, row, strict=True)),
            "masukan": inputs.get(row[0], []),
            "keluaran": outputs.get(row[0], []),
        }
        for row in rows
    ]


def participant(connection: sqlite3.Connection, nip: str) -> dict[str, Any]:
    """One participant's path through the stages: each record with its date, score, decision,
    source and the runs that saw it unchanged, and every accepted correction with its reason."""
    rows = [
        plain(row) for row in connection.execute(RECORDS.format(where="WHERE r.nip = ?"), (nip,))
    ]
    records = [dict(zip(RECORD_FIELDS, row, strict=True)) for row in rows]
    corrections = [
        plain(row)
        for row in connection.execute(
            "SELECT c.run, runs.started, c.tahap, c.alasan, runs.command FROM corrections AS c "
            "JOIN runs ON runs.run = c.run WHERE c.nip = ? ORDER BY c.run, c.position",
            (nip,),
        )
    ]
    names = [r["nama"] for r in records if r["nama"]]
    return {
        "nip": nip,
        "nama": names[-1] if names else None,
        "catatan": _collapse(records),
        "koreksi": [
            {"laporan": run, "waktu": started, "tahap": tahap, "alasan": alasan, "perintah": cmd}
            for run, started, tahap, alasan, cmd in corrections
        ],
    }


def _collapse(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per record and value: a record seen unchanged by runs #3 to #9 is one line
    (laporan_pertama 3, laporan_terakhir 9), not seven."""
    entries: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for record in records:
        flag = record["status"] if record["status"] in ("berubah", "koreksi") else ""
        key = (record["tahap"], record["tanggal"])
        value = (record["skor"], record["keputusan"], record["sumber"], flag)
        history = entries.setdefault(key, [])
        if history and history[-1]["_value"] == value and flag != "koreksi":
            history[-1]["laporan_terakhir"] = record["run"]
            history[-1]["waktu_terakhir"] = record["started"]
            history[-1]["jumlah_laporan"] += 1
            continue
        history.append(
            {
                "_value": value,
                "tahap": record["tahap"],
                "tanggal": record["tanggal"],
                "skor": number(record["skor"]),
                "skor_pelatih": trainers(record["skor_pelatih"]),
                "keputusan": record["keputusan"],
                "sumber": record["sumber"],
                "berkas": record["berkas"],
                "status": record["status"],
                "laporan_pertama": record["run"],
                "laporan_terakhir": record["run"],
                "jumlah_laporan": 1,
                "waktu_pertama": record["started"],
                "waktu_terakhir": record["started"],
            }
        )
    rank = {stage: position for position, stage in enumerate(STAGES)}
    ordered = sorted(
        (entry for history in entries.values() for entry in history),
        key=lambda e: (
            rank.get(e["tahap"], len(rank)),
            str(e["tanggal"] or ""),
            e["laporan_pertama"],
        ),
    )
    return [{k: v for k, v in entry.items() if k != "_value"} for entry in ordered]


def trainers(text: Any) -> list[Any]:
    """A JSON list as stored (trainers' scores, sheet names); anything else, from a register
    edited by hand or damaged, as []."""
    try:
        scores = json.loads(text or "[]")
    except (TypeError, ValueError):
        return []
    return scores if isinstance(scores, list) else []


def check(connection: sqlite3.Connection) -> Verification:
    return verify(connection)


def export_rows(connection: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """Every record of every run, oldest first, as RECORD_FIELDS."""
    for row in connection.execute(RECORDS.format(where="")):
        yield plain((*row[:7], number(row[7]), *row[8:]))


def export_tables(connection: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """The small tables whole: inputs, outputs and corrections of every run."""
    tables = {}
    for table, columns in (
        ("inputs", ("run", "position", "name", "path", "size", "sha256", "sheets", "rows")),
        ("outputs", ("run", "position", "path")),
        ("corrections", ("run", "position", "nip", "tahap", "alasan")),
    ):
        rows = connection.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY run, position"
        )
        tables[table] = [dict(zip(columns, plain(row), strict=True)) for row in rows]
    for row in tables["inputs"]:
        row["sheets"] = trainers(row["sheets"])
    return tables
