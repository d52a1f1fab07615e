"""Training days for the arsip tests: trainers' files as they change from day to day, and a
look inside a register with nothing but the sqlite3 module."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .conftest import Run, nip, write_scores

HEADER = ["NIP", "Nama", "Unit Kerja", "Tanggal", "Skor"]
ANI, BUDI, CICI, DEDI, EKO = (nip(n) for n in range(1, 6))
DASAR_DAY = "07/11/2025"
LANJUTAN_DAY = "14/11/2025"


def dasar_rows(**scores: Any) -> list[list[Any]]:
    """The dasar sheet of day 1, with some scores replaced: dasar_rows(BUDI=9)."""
    people = {ANI: ("Ani", 9), BUDI: ("Budi", 4), CICI: ("Cici", 7), DEDI: ("Dedi", None)}
    rows = []
    for who, (name, score) in people.items():
        key = name.upper()
        rows.append([who, name, "Dinas Kominfo", DASAR_DAY, scores.get(key, score)])
    return rows


def write_day(folder: Path, name: str, sheet: str, rows: Sequence[Sequence[Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_scores(folder / name, HEADER, {sheet: rows})


def tier(run: Run, register: Path, *args: Any) -> tuple[int, dict[str, Any], Any]:
    """`skorasn tier … --arsip register --format json`: exit code, document, the result."""
    result = run("tier", *args, "--arsip", register, "--format", "json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result.exit_code, json.loads(result.stdout), result


def participant(document: dict[str, Any], who: str, stage: str) -> dict[str, Any]:
    [found] = [p for p in document["peserta"] if p["nip"] == who and p["tahap"] == stage]
    return found


def messages(document: dict[str, Any], level: str = "galat") -> list[str]:
    return [m["pesan"] for m in document["masalah"] if m["tingkat"] == level]


def query(register: Path, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(register)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def run_count(register: Path) -> int:
    return query(register, "SELECT COUNT(*) FROM runs")[0][0]
