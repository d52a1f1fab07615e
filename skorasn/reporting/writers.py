"""Writers for JSON and CSV, and `write_output`, which picks the writer by format.

Each writer takes an open stream, so tests can write to memory; atomicity (temporary file,
fsync, rename) is the caller's job, see safeio.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from skorasn.models import REPORT_CSV_COLUMNS, Report
from skorasn.reporting.document import (
    iter_participant_records,
    report_document,
    write_document,
)

CSV_COLUMNS = REPORT_CSV_COLUMNS
RowCounter = Callable[[int], None] | None
# A spreadsheet treats a field starting with these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def format_for(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def neutralise(text: str) -> str:
    """Prefix a field a spreadsheet would run as a formula, so it stays text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_json(report: Report, out: TextIO, on_rows: RowCounter = None) -> None:
    write_document(report_document(report, streaming=True, on_rows=on_rows), out)


def write_csv(
    report: Report, out: TextIO, delimiter: str = ",", on_rows: RowCounter = None
) -> None:
    """One row per participant; `out` is opened with newline=''."""
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(CSV_COLUMNS)
    for record in iter_participant_records(report.peserta, on_rows):
        writer.writerow([_csv_field(record[c], delimiter) for c in CSV_COLUMNS])


def _csv_field(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " | ".join(
            neutralise(v) if isinstance(v, str) else _csv_number(v, delimiter) for v in value
        )
    if isinstance(value, int | float):
        return _csv_number(value, delimiter)
    return neutralise(str(value))


def _csv_number(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    # With ';' the reader is Excel in an Indonesian locale, which expects a decimal comma.
    return text.replace(".", ",") if delimiter == ";" else text


def write_output(
    report: Report,
    path: Path,
    delimiter: str = ",",
    on_rows: RowCounter = None,
    kind: str | None = None,
    scratch: Path | None = None,
) -> None:
    """Write `report` to `path` in the format `kind` names (by default, the one its suffix
    names); `on_rows` hears how many participants have been written so far, and `scratch` is
    a folder for the XLSX writer's temporary files."""
    kind = kind or format_for(path)
    if kind == "json":
        with path.open("w", encoding="utf-8") as text:
            write_json(report, text, on_rows)
    elif kind == "csv":
        # UTF-8 with a BOM so that Excel shows names right.
        with path.open("w", encoding="utf-8-sig", newline="") as text:
            write_csv(report, text, delimiter, on_rows)
    elif kind == "xlsx":
        _write_xlsx(report, path, scratch, on_rows)
    elif kind == "html":
        from skorasn.reporting.html import write_html

        with path.open("w", encoding="utf-8") as text:
            write_html(report, text)
    else:
        raise ValueError(f"unsupported output format: {kind} ({path.suffix})")


def _write_xlsx(
    report: Report, path: Path, scratch: Path | None, on_rows: RowCounter = None
) -> None:
    from xlsxwriter.exceptions import FileCreateError

    from skorasn.reporting.workbook import write_xlsx

    with path.open("wb") as binary:
        try:
            write_xlsx(report, binary, on_rows, scratch)
        except FileCreateError as exc:
            # xlsxwriter wraps the OSError of its final write (disk full, say); unwrap it so
            # that it is reported like any other failed write.
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, OSError):
                raise cause from None
            raise
