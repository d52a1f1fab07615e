"""Writers for JSON and CSV, and `write_output`, which picks the writer by a path's suffix.

Each writer takes an open stream, so tests can write to memory; atomicity (temporary file,
fsync, rename) is the caller's job, see safeio.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, TextIO

from skorasn.models import REPORT_CSV_COLUMNS, Report
from skorasn.reporting.document import (
    iter_participant_records,
    report_document,
    write_document,
)

CSV_COLUMNS = REPORT_CSV_COLUMNS
# A spreadsheet treats a field starting with these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def format_for(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def neutralise(text: str) -> str:
    """Prefix a field a spreadsheet would run as a formula, so it stays text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_json(report: Report, out: TextIO) -> None:
    write_document(report_document(report, streaming=True), out)


def write_csv(report: Report, out: TextIO, delimiter: str = ",") -> None:
    """One row per participant; `out` is opened with newline=''."""
    writer = csv.writer(out, delimiter=delimiter)
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
        with path.open("w", encoding="utf-8") as text:
            write_json(report, text)
    elif kind == "csv":
        # UTF-8 with a BOM so that Excel shows names right.
        with path.open("w", encoding="utf-8-sig", newline="") as text:
            write_csv(report, text, delimiter)
    elif kind == "xlsx":
        from skorasn.reporting.workbook import write_xlsx

        with path.open("wb") as binary:
            write_xlsx(report, binary)
    elif kind == "html":
        from skorasn.reporting.html import write_html

        with path.open("w", encoding="utf-8") as text:
            write_html(report, text)
    else:
        raise ValueError(f"unsupported output suffix: {path.suffix}")
