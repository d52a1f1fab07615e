"""Plain tables to XLSX and CSV: the arsip's export (`skorasn arsip ekspor`).

Each table is a header and an iterator of rows, written row by row so that a long history
never sits in memory. Text is always written as text (no formulas, no URLs), and CSV fields a
spreadsheet would run are neutralised like the report's CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, TextIO

from skorasn.reporting.workbook import WORKBOOK_OPTIONS
from skorasn.reporting.writers import neutralise

Table = tuple[Sequence[str], Iterable[Sequence[Any]]]
# Excel's last row, less the header.
SHEET_ROWS = 1_048_575


def write_tables_xlsx(tables: dict[str, Table], out: BinaryIO) -> None:
    """One sheet per table; a table longer than a sheet continues on 'Nama (2)', …"""
    from skorasn.reporting.xlsxsheet import TextWorkbook

    book = TextWorkbook(out, WORKBOOK_OPTIONS)
    style = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    for name, (header, rows) in tables.items():
        sheet, part, written = _sheet(book, name, header, style), 1, 0
        for row in rows:
            if written == SHEET_ROWS:
                part += 1
                sheet, written = _sheet(book, f"{name} ({part})", header, style), 0
            written += 1
            _row(sheet, written, row)
    book.close()


def _sheet(book: Any, name: str, header: Sequence[str], style: Any) -> Any:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, list(header), style)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(header) - 1, 18)
    return sheet


def _row(sheet: Any, number: int, row: Sequence[Any]) -> None:
    for column, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            sheet.write_string(number, column, str(value))
        else:
            sheet.write_number(number, column, value)


def write_table_csv(table: Table, out: TextIO) -> None:
    """`out` is opened with newline=''; numbers as Python writes them, text neutralised."""
    header, rows = table
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_field(value) for value in row])


def _field(value: Any) -> Any:
    if value is None:
        return ""
    return value if isinstance(value, int | float) else neutralise(str(value))
