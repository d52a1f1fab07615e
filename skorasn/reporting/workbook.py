"""The XLSX report: Ringkasan, a sheet per stage, Perlu Diperiksa, Audit.

Written with xlsxwriter in constant-memory mode, row by row (pandas' to_excel writes column by
column, which loses cells in that mode). Every text goes through write_string, so no cell from
the data can become a formula. A participant's row takes its keputusan's colour from a
conditional format on the Keputusan column rather than from a format on each cell: it looks the
same, follows an edited keputusan, and writes a hundred thousand rows in a fraction of the time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO, cast

from skorasn.formatting import column_letter, decimal_comma
from skorasn.models import Report
from skorasn.reporting.document import iter_participant_records
from skorasn.reporting.summary import stage_summaries, stage_title
from skorasn.vocabulary import (
    BUCKETS,
    DECISION_LABELS,
    DECISIONS,
    GALAT,
    NO_STAGE_SHEET,
    SHEET_NAMES,
    TITLE,
)

FILLS = {
    "lanjut": "#C6EFCE",
    "tahan": "#FFEB9C",
    "berhenti": "#FFC7CE",
    "belum_dinilai": "#EDEDED",
    "periksa": "#F4B183",
}
STAGE_COLUMNS = (
    ("No", 5),
    ("NIP", 21),
    ("Nama", 32),
    ("Eselon", 8),
    ("Unit Kerja", 34),
    ("Jabatan", 24),
    ("Tanggal", 11),
    ("Skor", 7),
    ("Skor Pelatih", 14),
    ("Keputusan", 14),
    ("Riwayat", 30),
    ("Sumber", 30),
)
DECISION_COLUMN = 9
# Row by row in little memory, and no text from the data ever read as a formula or a link.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class _Styles:
    def __init__(self, book: Any):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.score = book.add_format({"num_format": "0.0#"})
        self.text = book.add_format({"num_format": "@"})
        self.fills = {d: book.add_format({"bg_color": c}) for d, c in FILLS.items()}
        self.score_fills = {
            d: book.add_format({"bg_color": c, "num_format": "0.0#"}) for d, c in FILLS.items()
        }
        self.text_fills = {
            d: book.add_format({"bg_color": c, "num_format": "@"}) for d, c in FILLS.items()
        }
        self.date = book.add_format({"num_format": "dd/mm/yyyy"})
        self.conditional = {d: book.add_format({"bg_color": c}) for d, c in FILLS.items()}


def write_xlsx(report: Report, out: BinaryIO) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    # xlsxwriter writes `created` as UTC ("…Z"), so a local time must be converted first.
    created = report.created.astimezone(dt.UTC).replace(tzinfo=None)
    book.set_properties({"title": TITLE, "author": "skorasn", "created": created})
    styles = _Styles(book)
    _summary_sheet(book, styles, report)
    _stage_sheets(book, styles, report)
    _problem_sheet(book, styles, report)
    if report.perubahan is not None:
        from skorasn.reporting.changes import write_changes_sheet

        write_changes_sheet(book, styles.header, report.perubahan)
    _audit_sheet(book, styles, report)
    book.close()


def _summary_sheet(book: Any, styles: _Styles, report: Report) -> None:
    sheet = book.add_worksheet("Ringkasan")
    sheet.set_paper(9)  # A4, portrait, as wide as the page
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 7, 12)
    sheet.write_string(0, 0, TITLE, styles.title)
    sheet.write_string(1, 0, f"Dibuat: {report.created:%d-%m-%Y %H:%M}")
    rules = report.rules
    sheet.write_string(
        2,
        0,
        f"Aturan: lanjut jika skor ≥ {rules.lanjut_min:g}, berhenti jika "
        f"skor ≤ {rules.berhenti_maks:g}, di antaranya tahan; beberapa "
        f"pelatih digabung dengan {rules.gabung}",
    )
    row = 4
    for stage, counts in stage_summaries(report.ringkasan, with_stageless=True).items():
        row = _stage_block(book, sheet, styles, stage, counts, row)
    for key, label in (("per_eselon", "Eselon"), ("per_unit_kerja", "Unit kerja")):
        groups = cast(dict[str, Any], report.ringkasan.get(key, {}))
        row = _group_table(sheet, styles, label, groups, row)


def _stage_block(
    book: Any, sheet: Any, styles: _Styles, stage: str, counts: dict[str, Any], row: int
) -> int:
    title = stage_title(stage)
    sheet.write_string(row, 0, title, styles.bold)
    sheet.write_row(row + 1, 0, ["Keputusan", "Jumlah"], styles.header)
    for offset, decision in enumerate(DECISIONS, start=2):
        sheet.write_string(row + offset, 0, DECISION_LABELS[decision], styles.fills[decision])
        sheet.write_number(row + offset, 1, counts[decision])
    top = row + len(DECISIONS) + 3
    sheet.write_row(top, 0, ["Skor", "Jumlah"], styles.header)
    for offset, bucket in enumerate(BUCKETS, start=1):
        sheet.write_string(top + offset, 0, bucket)
        sheet.write_number(top + offset, 1, counts["sebaran"][bucket])
    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": f"Sebaran skor — {title.lower()}",
            "categories": ["Ringkasan", top + 1, 0, top + len(BUCKETS), 0],
            "values": ["Ringkasan", top + 1, 1, top + len(BUCKETS), 1],
            "fill": {"color": "#4472C4"},
        }
    )
    chart.set_title({"name": f"Sebaran skor — {title.lower()}"})
    chart.set_x_axis({"name": "Skor"})
    chart.set_y_axis({"name": "Jumlah peserta"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 480, "height": 300})
    sheet.insert_chart(row, 3, chart)
    return top + len(BUCKETS) + 3


def _group_table(sheet: Any, styles: _Styles, label: str, groups: dict[str, Any], row: int) -> int:
    if not groups:
        return row
    sheet.write_string(row, 0, f"Per {label.lower()}", styles.bold)
    sheet.write_row(
        row + 1, 0, [label, *(DECISION_LABELS[d] for d in DECISIONS), "jumlah"], styles.header
    )
    for offset, (name, counts) in enumerate(groups.items(), start=2):
        sheet.write_string(row + offset, 0, name)
        for column, decision in enumerate(DECISIONS, start=1):
            sheet.write_number(row + offset, column, counts[decision])
        sheet.write_number(row + offset, len(DECISIONS) + 1, sum(counts[d] for d in DECISIONS))
    return row + len(groups) + 3


def _stage_sheets(book: Any, styles: _Styles, report: Report) -> None:
    """One pass over the participants, already in stage order, a sheet per stage."""
    sheet, stage, number = None, "", 0
    for record in iter_participant_records(report.peserta):
        if sheet is None or record["tahap"] != stage:
            if sheet is not None:
                _finish_stage_sheet(sheet, styles, number)
            stage, number = record["tahap"], 0
            sheet = _start_stage_sheet(book, styles, SHEET_NAMES.get(stage, NO_STAGE_SHEET))
        number += 1
        _participant_row(sheet, styles, number, record)
    if sheet is not None:
        _finish_stage_sheet(sheet, styles, number)


def _start_stage_sheet(book: Any, styles: _Styles, name: str) -> Any:
    sheet = book.add_worksheet(name)
    for column, (_, width) in enumerate(STAGE_COLUMNS):
        sheet.set_column(column, column, width)
    sheet.write_row(0, 0, [title for title, _ in STAGE_COLUMNS], styles.header)
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, name)
    return sheet


def _finish_stage_sheet(sheet: Any, styles: _Styles, rows: int) -> None:
    last_column = len(STAGE_COLUMNS) - 1
    sheet.autofilter(0, 0, rows, last_column)
    decision_column = column_letter(DECISION_COLUMN)
    for decision, style in styles.conditional.items():
        sheet.conditional_format(
            1,
            0,
            rows,
            last_column,
            {
                "type": "formula",
                "format": style,
                "criteria": f'=${decision_column}2="{DECISION_LABELS[decision]}"',
            },
        )


def _participant_row(sheet: Any, styles: _Styles, number: int, record: dict[str, Any]) -> None:
    write_string = sheet.write_string
    sheet.write_number(number, 0, number)
    for column, key in (
        (1, "nip"),
        (2, "nama"),
        (3, "eselon"),
        (4, "unit_kerja"),
        (5, "jabatan"),
        (11, "sumber"),
    ):
        if record[key]:
            write_string(number, column, record[key])
    if record["tanggal"] is not None:
        sheet.write_number(number, 6, _excel_date(record["tanggal"]), styles.date)
    if record["skor"] is not None:
        sheet.write_number(number, 7, record["skor"])
    if record["skor_pelatih"]:
        write_string(number, 8, "; ".join(_decimal(s) for s in record["skor_pelatih"]))
    write_string(number, DECISION_COLUMN, DECISION_LABELS[record["keputusan"]])
    if record["riwayat"]:
        write_string(
            number,
            10,
            "; ".join(
                f"{dt.date.fromisoformat(h['tanggal']):%d/%m/%Y}: {_decimal(h['skor'])} "
                f"({DECISION_LABELS[h['keputusan']]})"
                for h in record["riwayat"]
            ),
        )


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _excel_date(iso: str) -> int:
    """The serial Excel stores for a date (valid from March 1900, past its leap-year bug)."""
    return (dt.date.fromisoformat(iso) - _EXCEL_EPOCH).days


def _decimal(score: float | None) -> str:
    """A score as Indonesians write it: 8,5."""
    return "–" if score is None else decimal_comma(score)


def _string(sheet: Any, row: int, column: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(row, column, None, style)
    else:
        sheet.write_string(row, column, str(value), style)


def _print_setup(sheet: Any, name: str) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f"&L{TITLE}&R{name}")
    sheet.set_footer("&LDibuat oleh skorasn&RHalaman &P dari &N")


def _problem_sheet(book: Any, styles: _Styles, report: Report) -> None:
    sheet = book.add_worksheet("Perlu Diperiksa")
    headers = (
        ("Tingkat", 11),
        ("Lokasi", 34),
        ("Berkas", 28),
        ("Lembar", 14),
        ("Sel", 7),
        ("NIP", 21),
        ("Pesan", 90),
    )
    for column, (_, width) in enumerate(headers):
        sheet.set_column(column, column, width)
    sheet.write_row(0, 0, [title for title, _ in headers], styles.header)
    sheet.freeze_panes(1, 0)
    problems = sorted(report.problems, key=lambda p: p.tingkat != GALAT)
    sheet.autofilter(0, 0, max(len(problems), 1), len(headers) - 1)
    _print_setup(sheet, "Perlu Diperiksa")
    for row, problem in enumerate(problems, start=1):
        cell = f"{problem.kolom or ''}{problem.baris or ''}"
        values = (
            problem.tingkat,
            problem.lokasi,
            problem.berkas,
            problem.lembar,
            cell,
            problem.nip,
            problem.pesan,
        )
        style = styles.fills["periksa"] if problem.tingkat == GALAT else None
        for column, value in enumerate(values):
            _string(sheet, row, column, value, style)


def _audit_sheet(book: Any, styles: _Styles, report: Report) -> None:
    sheet = book.add_worksheet("Audit")
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 66)
    sheet.set_column(2, 4, 14)
    lines = [
        ("skorasn versi", report.version),
        ("Waktu pembuatan", report.created.isoformat(timespec="seconds")),
        ("Perintah", report.command),
    ]
    lines += [(f"Aturan: {key}", str(value)) for key, value in report.rules.as_report().items()]
    if report.perubahan is not None:
        from skorasn.reporting.changes import audit_lines

        lines += audit_lines(report.perubahan)
    for row, (key, value) in enumerate(lines):
        sheet.write_string(row, 0, key, styles.bold)
        _string(sheet, row, 1, value, None)
    top = len(lines) + 1
    sheet.write_row(
        top,
        0,
        ["Berkas", "SHA-256", "Ukuran (bita)", "Baris dibaca", "Lembar dibaca"],
        styles.header,
    )
    for offset, info in enumerate(report.files, start=1):
        _string(sheet, top + offset, 0, info.berkas, None)
        _string(sheet, top + offset, 1, info.sha256, None)
        sheet.write_number(top + offset, 2, info.size)
        sheet.write_number(top + offset, 3, info.rows)
        _string(sheet, top + offset, 4, ", ".join(info.sheets), None)
