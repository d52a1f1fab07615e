"""The sheets that prove the report: Perlu Diperiksa (every masalah, galat first, with the
participant's name) and Audit (version, time, command, rules and their sources, filter, and
the sha256 of every input)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from skorasn.models import Masalah, Report
from skorasn.reporting.wording import selection_text
from skorasn.reporting.xlsxstyle import Styles, fit_row, fitted_width, print_setup
from skorasn.vocabulary import GALAT

PROBLEMS = "Perlu Diperiksa"
MESSAGE_WIDTH = 70
AUDIT = "Audit"


def problem_sheet(book: Any, styles: Styles, report: Report) -> None:
    sheet = book.add_worksheet(PROBLEMS)
    problems = sorted(report.problems, key=lambda p: p.tingkat != GALAT)
    names = _names(report.peserta)
    rows = [(p.tingkat, p.lokasi, p.nip or "", names.get(_place(p), ""), p.pesan) for p in problems]
    titles = ("Tingkat", "Lokasi", "NIP", "Nama", "Pesan")
    widths = [
        fitted_width(max((len(row[column]) for row in rows), default=0), len(title) + 2)
        for column, title in enumerate(titles)
    ]
    widths[-1] = MESSAGE_WIDTH
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width, styles.wrap)
    sheet.write_row(0, 0, titles, styles.header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(titles) - 1)
    print_setup(sheet, PROBLEMS)
    sheet.repeat_rows(0)
    for number, (problem, values) in enumerate(zip(problems, rows, strict=True), start=1):
        fit_row(sheet, number, zip(values, widths, strict=True))
        style = styles.galat if problem.tingkat == GALAT else styles.wrap
        for column, value in enumerate(values):
            if value:
                sheet.write_string(number, column, value, style)
            else:
                sheet.write_blank(number, column, None, style)


def _place(problem: Masalah) -> tuple[str, str, int]:
    return (problem.berkas, problem.lembar or "", problem.baris or 0)


def _names(peserta: pd.DataFrame) -> dict[tuple[str, str, int], str]:
    """The name on each participant's row, to show beside the masalah found there."""
    if peserta.empty:
        return {}
    keys = zip(
        peserta["berkas"].astype(object),
        peserta["lembar"].astype(object).fillna(""),
        peserta["baris"].astype(int),
        strict=True,
    )
    names = peserta["nama"].astype(object).where(peserta["nama"].notna(), "")
    return dict(zip(keys, names, strict=True))


def audit_sheet(book: Any, styles: Styles, report: Report) -> None:
    sheet = book.add_worksheet(AUDIT)
    print_setup(sheet, AUDIT)
    lines = [
        ("skorasn versi", report.version),
        ("Waktu pembuatan", report.created.isoformat(timespec="seconds")),
        ("Perintah", report.command),
        ("Saringan", selection_text(report.selection) or "tidak ada"),
    ]
    if report.rules.file is not None:
        lines += [
            ("Berkas aturan", report.rules.file.path),
            ("SHA-256 berkas aturan", report.rules.file.sha256),
        ]
    rule_rows = report.rules.rows()
    sheet.set_column(0, 0, fitted_width(max(len(key) for key, _, _ in rule_rows), 24))
    sheet.set_column(1, 1, 66, styles.wrap)
    sheet.set_column(2, 4, 16)
    for row, (key, value) in enumerate(lines):
        sheet.write_string(row, 0, key, styles.bold)
        sheet.write_string(row, 1, value or "")
    row = len(lines) + 1
    sheet.write_row(row, 0, ["Aturan", "Nilai", "Asal"], styles.header)
    for offset, (key, value, source) in enumerate(rule_rows, start=1):
        sheet.write_string(row + offset, 0, key)
        sheet.write_string(row + offset, 1, value)
        sheet.write_string(row + offset, 2, source)
    row += len(rule_rows) + 2
    sheet.write_row(
        row, 0, ["Berkas", "SHA-256", "Ukuran (bita)", "Baris dibaca", "Lembar dibaca"],
        styles.header,
    )  # fmt: skip
    for offset, info in enumerate(report.files, start=1):
        sheet.write_string(row + offset, 0, info.berkas)
        sheet.write_string(row + offset, 1, info.sha256)
        sheet.write_number(row + offset, 2, info.size, styles.count)
        sheet.write_number(row + offset, 3, info.rows, styles.count)
        sheet.write_string(row + offset, 4, ", ".join(info.sheets))
