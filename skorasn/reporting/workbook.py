"""The XLSX report for the mayor's office: Ringkasan, a sheet per stage, Perlu Diperiksa, Audit.

Written with xlsxwriter in constant-memory mode, row by row (pandas' to_excel writes column by
column, which loses cells in that mode), each sheet set up for printing on A4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from skorasn.models import Report
from skorasn.reporting.auditsheets import audit_sheet, problem_sheet
from skorasn.reporting.ringkasan import ringkasan_sheet
from skorasn.reporting.stagesheets import stage_sheets
from skorasn.reporting.xlsxstyle import Styles
from skorasn.vocabulary import REPORT_PROPERTY, TITLE

# Row by row in little memory, and no text from the data ever read as a formula or a link.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def write_xlsx(
    report: Report,
    out: BinaryIO,
    on_rows: Callable[[int], None] | None = None,
    tmpdir: Path | None = None,
) -> None:
    """`tmpdir`: where xlsxwriter keeps its temporary files (the system's temp folder when
    None); the caller removes them when the writing ends, however it ends."""
    from skorasn.reporting.xlsxsheet import TextWorkbook

    book = TextWorkbook(
        out, {**WORKBOOK_OPTIONS, "tmpdir": None if tmpdir is None else str(tmpdir)}
    )
    # xlsxwriter writes `created` as UTC ("…Z"), so a local time must be converted first.
    created = report.created.astimezone(dt.UTC).replace(tzinfo=None)
    book.set_properties(
        {"title": report.rules.laporan.judul or TITLE, "author": "skorasn", "created": created}
    )
    book.set_custom_property(REPORT_PROPERTY, report.version)  # never read back as an input
    styles = Styles(book)
    ringkasan_sheet(book, styles, report)
    stage_sheets(book, styles, report, on_rows)
    problem_sheet(book, styles, report)
    if report.perubahan is not None:
        from skorasn.reporting.changes import write_changes_sheet

        write_changes_sheet(book, styles.header, report.perubahan)
    audit_sheet(book, styles, report)
    book.close()
