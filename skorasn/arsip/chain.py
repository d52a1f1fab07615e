"""The hash chain: each run stores a sha256 over its own content and the previous run's hash.

The content is a canonical encoding of the rows as they are stored (one compact JSON array per
row, tables and columns in a fixed order), so `verifikasi` can recompute every hash from the
database alone. Editing, deleting or reordering a run, or any of its rows, breaks the chain
from that run on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

GENESIS = "0" * 64
FORMAT = b"skorasn-arsip/1\n"
RUN_COLUMNS = (
    "run",
    "started",
    "version",
    "command",
    "rules",
    "compared_with",
    "participants",
    "galat",
    "peringatan",
    "exit_code",
    "prev_hash",
)
# What a record holds of a participant's row, the same names as in the JSON report.
VALUES = ("nip", "nama", "tahap", "tanggal", "skor", "skor_pelatih", "keputusan", "sumber")
# The tables that belong to a run, in the order they are hashed; `position` orders their rows.
PARTS = {
    "inputs": ("position", "name", "path", "size", "sha256", "sheets", "rows"),
    "outputs": ("position", "path"),
    "corrections": ("position", "nip", "tahap", "alasan"),
    "records": ("position", "input", *VALUES, "status"),
}
CHUNK = 20_000


def _blob(value: object) -> str:
    """skorasn never stores a BLOB; one written by hand still hashes (and then mismatches)."""
    if isinstance(value, bytes):
        return "blob:" + value.hex()
    raise TypeError(f"{type(value).__name__} is not stored by skorasn")


def _encoder() -> Callable[[object], str]:
    """Compact JSON, non-ASCII kept, NaN refused. JSONEncoder.encode builds a new C encoder
    for every call, most of the cost of a short line; the same C encoder, built once, writes
    the same text."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(
            ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_blob
        ).encode
    # No circular-reference check: rows hold plain values only, and one that failed half way
    # must not leave marks behind for the next.
    encode = make(None, _blob, json.encoder.encode_basestring, None, ":", ",", False, False, False)
    return lambda value: "".join(encode(value, 0))


_encode = _encoder()


def run_hash(run: Sequence[object], parts: Mapping[str, Iterable[Sequence[object]]]) -> str:
    """The hash of one run: its RUN_COLUMNS values (prev_hash last) and its rows per table."""
    digest = hashlib.sha256(FORMAT)
    digest.update(_lines("runs", [run]))
    for table in PARTS:
        rows = iter(parts.get(table, ()))
        while chunk := list(itertools.islice(rows, CHUNK)):
            digest.update(_lines(table, chunk))
    return digest.hexdigest()


def _lines(table: str, rows: Iterable[Sequence[object]]) -> bytes:
    """One JSON array per row, [table, *values], each ended by a newline, as UTF-8."""
    text = "".join([_encode([table, *row]) + "\n" for row in rows])
    # surrogatepass: a stray surrogate from a damaged input must not stop the record.
    return text.encode("utf-8", "surrogatepass")


@dataclass
class Verification:
    """What `arsip verifikasi` found: one Indonesian line per break in the chain."""

    runs: int = 0
    problems: list[str] = field(default_factory=list)
    last_run: int | None = None
    last_hash: str | None = None
    hashes: dict[str, int] = field(default_factory=dict)

    @property
    def whole(self) -> bool:
        return not self.problems


def verify(connection: sqlite3.Connection) -> Verification:
    """Recompute every run's hash and follow the chain from the first run to the last."""
    result = Verification()
    expected_previous, previous_number = GENESIS, 0
    columns = ", ".join(RUN_COLUMNS)
    runs = connection.execute(f"SELECT {columns}, hash FROM runs ORDER BY run").fetchall()
    for row in runs:
        number, stored = row[0], row[-1]
        result.runs += 1
        if number != previous_number + 1:
            result.problems.append(f"{_span(previous_number + 1, number - 1)} tidak ada: dihapus")
        if row[RUN_COLUMNS.index("prev_hash")] != expected_previous:
            result.problems.append(
                f"laporan #{number}: rantai terputus; hash laporan sebelumnya tidak cocok "
                "(laporan sebelumnya dihapus, diubah, atau urutannya ditukar)"
            )
        if _recomputed(row[:-1], connection, number) != stored:
            result.problems.append(
                f"laporan #{number}: isinya (data jalankan atau baris pesertanya) diubah "
                "sesudah dicatat"
            )
        # Follow the stored links: one edited run is reported once, not at every later run.
        expected_previous, previous_number = stored, number
        result.hashes[stored] = number
    result.last_run = previous_number or None
    result.last_hash = expected_previous if runs else None
    _check_tail(connection, result, previous_number)
    return result


def _recomputed(run: Sequence[object], connection: sqlite3.Connection, number: int) -> str | None:
    """The run's hash from what is stored now; None when a stored value could never have been
    written by skorasn (an infinite score, an unknown type), which is a change all the same."""
    try:
        return run_hash(run, _parts(connection, number))
    except (ValueError, TypeError):
        return None


def _parts(connection: sqlite3.Connection, run: int) -> dict[str, Iterable[Sequence[object]]]:
    return {
        table: connection.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE run = ? ORDER BY position", (run,)
        )
        for table, columns in PARTS.items()
    }


def _span(first: int, last: int) -> str:
    return f"laporan #{first}" if first == last else f"laporan #{first} sampai #{last}"


def _check_tail(connection: sqlite3.Connection, result: Verification, last: int) -> None:
    """The last run deleted, and rows left behind by a deleted run."""
    sequence = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").fetchone()
    if sequence is not None and sequence[0] > last:
        result.problems.append(f"{_span(last + 1, sequence[0])} (terakhir) tidak ada: dihapus")
    head = dict(connection.execute("SELECT kunci, nilai FROM meta WHERE kunci = 'rantai'"))
    if "rantai" in head and head["rantai"] != (result.last_hash or GENESIS):
        result.problems.append(
            "hash terakhir yang tercatat di tabel meta bukan hash laporan terakhir: ada "
            "laporan yang dihapus atau diubah"
        )
    for table in PARTS:
        orphans = connection.execute(
            f"SELECT DISTINCT run FROM {table} WHERE run NOT IN (SELECT run FROM runs) ORDER BY run"
        ).fetchall()
        for (run,) in orphans:
            result.problems.append(
                f"tabel {table} memuat baris laporan #{run}, yang tidak ada di tabel runs"
            )
