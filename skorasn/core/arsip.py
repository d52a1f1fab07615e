"""The jobs behind `skorasn riwayat` and `skorasn arsip laporan|ekspor|verifikasi`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from skorasn.arsip import history
from skorasn.arsip.chain import VALUES, Verification
from skorasn.errors import OutputError, UsageError, describe_os_error
from skorasn.reporting.document import write_document
from skorasn.reporting.tables import write_table_csv, write_tables_xlsx
from skorasn.safeio import atomic_output, check_outputs_distinct_from_inputs, lock_all

EXPORT_SUFFIXES = (".xlsx", ".csv", ".json")
RUN_HEADER = (
    "laporan",
    "waktu",
    "versi",
    "perintah",
    "banding",
    "peserta",
    "galat",
    "peringatan",
    "kode_keluar",
    "hash",
    "masukan",
    "keluaran",
)
RECORD_HEADER = ("laporan", "waktu", "berkas", *VALUES, "status")


def register_runs(path: Path) -> list[dict[str, Any]]:
    with history.opened(path) as connection:
        return history.runs(connection)


def participant_history(path: Path, nip: str) -> dict[str, Any]:
    with history.opened(path) as connection:
        return history.participant(connection, nip)


def verify_register(path: Path, expected: str | None = None) -> Verification:
    """The chain recomputed; with `expected` (a hash kept elsewhere), also whether that hash
    is still in it: a register replaced whole, or cut back, no longer holds it."""
    with history.opened(path) as connection:
        result = history.check(connection)
    if expected is not None and expected.strip().lower() not in result.hashes:
        result.problems.append(
            f"hash {expected.strip()} tidak ada di rantai arsip ini: arsip diganti, atau "
            "laporan yang membawa hash itu (dan sesudahnya) dihapus"
        )
    return result


def export_register(path: Path, target: Path) -> None:
    """The whole history to .xlsx, .csv (one row per record) or .json, written atomically."""
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UsageError(f"-o {target}: ekstensi tidak dikenal; gunakan .xlsx, .csv atau .json")
    if target.is_dir():
        raise UsageError(f"-o {target}: itu sebuah folder; sebutkan nama berkasnya")
    check_outputs_distinct_from_inputs([target], [path])
    with history.opened(path) as connection:
        try:
            with lock_all([target], 0), atomic_output(target) as temporary:
                if suffix == ".xlsx":
                    with temporary.open("wb") as binary:
                        write_tables_xlsx(_sheets(connection), binary)
                elif suffix == ".csv":
                    with temporary.open("w", encoding="utf-8-sig", newline="") as text:
                        write_table_csv((RECORD_HEADER, history.export_rows(connection)), text)
                else:
                    with temporary.open("w", encoding="utf-8") as text:
                        write_document(_document(connection, path), text)
        except OSError as exc:
            raise OutputError(
                f"-o {target}: ekspor tidak dapat ditulis ({describe_os_error(exc)}); "
                "periksa folder dan izinnya"
            ) from None


def _run_row(run: dict[str, Any]) -> tuple[Any, ...]:
    return (
        run["run"],
        run["started"],
        run["version"],
        run["command"],
        run["compared_with"],
        run["participants"],
        run["galat"],
        run["peringatan"],
        run["exit_code"],
        run["hash"],
        ", ".join(run["masukan"]),
        ", ".join(run["keluaran"]),
    )


def _sheets(connection: Any) -> dict[str, Any]:
    tables = history.export_tables(connection)

    def rows(name: str) -> list[tuple[Any, ...]]:
        return [
            tuple(", ".join(v) if isinstance(v, list) else v for v in row.values())
            for row in tables[name]
        ]

    return {
        "Laporan": (RUN_HEADER, [_run_row(run) for run in history.runs(connection)]),
        "Masukan": (
            ("laporan", "urutan", "berkas", "jalur", "ukuran", "sha256", "lembar", "baris"),
            rows("inputs"),
        ),
        "Keluaran": (("laporan", "urutan", "jalur"), rows("outputs")),
        "Koreksi": (("laporan", "urutan", "nip", "tahap", "alasan"), rows("corrections")),
        "Catatan": (RECORD_HEADER, history.export_rows(connection)),
    }


def _document(connection: Any, path: Path) -> dict[str, Any]:
    tables = history.export_tables(connection)
    runs = []
    for run in history.runs(connection):
        number = run["run"]
        runs.append(
            {
                **dict(zip(RUN_HEADER[:-2], _run_row(run)[:-2], strict=True)),
                "masukan": [i for i in tables["inputs"] if i["run"] == number],
                "keluaran": [o["path"] for o in tables["outputs"] if o["run"] == number],
                "koreksi": [c for c in tables["corrections"] if c["run"] == number],
            }
        )
    return {"arsip": str(path), "laporan": runs, "catatan": _records(connection)}


def _records(connection: Any) -> Iterator[dict[str, Any]]:
    for row in history.export_rows(connection):
        record = dict(zip(RECORD_HEADER, row, strict=True))
        record["skor_pelatih"] = history.trainers(record["skor_pelatih"])
        yield record
