"""Writers for JSON, CSV and XLSX. Each takes an open path and writes one whole file.

Atomicity (temporary file, fsync, rename) is the caller's job; see safeio.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from skorasn.core import Report
from skorasn.reporting.document import (
    iter_participant_records,
    report_document,
    write_document,
)

CSV_COLUMNS = ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap", "tanggal", "skor",
               "skor_pelatih", "keputusan", "sumber")
# A spreadsheet treats a field starting with these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def format_for(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def neutralise(text: str) -> str:
    """Prefix a field a spreadsheet would run as a formula, so it stays text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_json(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        write_document(report_document(report, streaming=True), handle)


def write_csv(report: Report, path: Path, delimiter: str = ",") -> None:
    """UTF-8 with a BOM so that Excel shows names right; one row per participant."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(CSV_COLUMNS)
        for record in iter_participant_records(report.peserta):
            writer.writerow([_csv_field(record[c], delimiter) for c in CSV_COLUMNS])


def _csv_field(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(_csv_number(v, delimiter) for v in value)
    if isinstance(value, int | float):
        return _csv_number(value, delimiter)
    return neutralise(str(value))


def _csv_number(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    # With ';' the reader is Excel in an Indonesian locale, which expects a decimal comma.
    return text.replace(".", ",") if delimiter == ";" else text


def write_output(report: Report, path: Path, delimiter: str = ",") -> None:
    """Write `report` to `path` in the format its suffix names."""
    kind = format_for(path)
    if kind == "json":
        write_json(report, path)
    elif kind == "csv":
        write_csv(report, path, delimiter)
    elif kind == "xlsx":
        from skorasn.reporting.workbook import write_xlsx

        write_xlsx(report, path)
    elif kind == "html":
        from skorasn.reporting.html import write_html

        write_html(report, path)
    else:
        raise ValueError(f"unsupported output suffix: {path.suffix}")
