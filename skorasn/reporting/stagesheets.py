"""One sheet per stage: every participant with score, trainers' scores, keputusan and why.

Written row by row in constant-memory mode, so each sheet's columns (how many trainers, how
wide each text) are measured from the stage's participants before its first row. A row takes
its keputusan's colour from a conditional format on the Keputusan column rather than from a
format on each cell: it looks the same, follows an edited keputusan, and writes a hundred
thousand rows in a fraction of the time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from skorasn.formatting import column_letter, decimal_comma
from skorasn.models import Report
from skorasn.reporting.document import iter_participant_records
from skorasn.reporting.xlsxstyle import LINE_HEIGHT, Styles, fitted_width, print_setup
from skorasn.vocabulary import DECISION_LABELS, NO_STAGE_SHEET, SHEET_NAMES

TEXT_COLUMNS = (("NIP", "nip"), ("Nama", "nama"), ("Eselon", "eselon"),
                ("Unit Kerja", "unit_kerja"), ("Jabatan", "jabatan"))  # fmt: skip
# The widest each text column may grow before it wraps, in characters, so that a stage's
# sheet still prints legibly on A4 landscape.
WIDEST = {"nip": 20, "nama": 28, "eselon": 8, "unit_kerja": 28, "jabatan": 22, "alasan": 42,
          "riwayat": 22, "sumber": 30}  # fmt: skip
_EXCEL_EPOCH = dt.date(1899, 12, 30)


WRAPPED = (*TEXT_COLUMNS, ("Alasan", "alasan"), ("Riwayat", "riwayat"), ("Sumber", "sumber"))


@dataclass(frozen=True)
class Layout:
    """The columns of one stage's sheet: how many trainers, how wide each text column."""

    trainers: int
    widths: dict[str, int]  # by key, in characters, as set on the sheet

    @cached_property
    def titles(self) -> list[str]:
        return [
            "No",
            *(title for title, _ in TEXT_COLUMNS),
            "Tanggal",
            "Skor",
            *(f"Pelatih {n}" for n in range(1, self.trainers + 1)),
            "Keputusan",
            "Alasan",
            "Riwayat",
            "Sumber",
        ]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {title: column for column, title in enumerate(self.titles)}

    def position(self, title: str) -> int:
        # Asked several times per participant row: a lookup, not a list built and searched.
        return self._positions[title]


def stage_sheets(book: Any, styles: Styles, report: Report, on_rows: Any = None) -> None:
    """One pass over the participants, already in stage order, a sheet per stage."""
    layouts = _layouts(report.peserta)
    heights = _lines(report.peserta, layouts)
    sheet, stage, number, layout = None, "", 0, None
    records = iter_participant_records(report.peserta, on_rows)
    for record, lines in zip(records, heights.tolist(), strict=True):
        if sheet is None or record["tahap"] != stage:
            if sheet is not None and layout is not None:
                _finish(sheet, styles, layout, number)
            stage, number = record["tahap"], 0
            layout = layouts[stage]
            sheet = _start(book, styles, SHEET_NAMES.get(stage, NO_STAGE_SHEET), layout)
        number += 1
        assert layout is not None
        if lines > 1:  # neither Excel nor LibreOffice grows a row written in constant memory
            sheet.set_row(number, LINE_HEIGHT * lines)
        _participant_row(sheet, styles, layout, number, record)
    if sheet is not None and layout is not None:
        _finish(sheet, styles, layout, number)


def _layouts(peserta: pd.DataFrame) -> dict[Any, Layout]:
    """Per stage (None for rows without one): trainers and text widths, measured vectorised."""
    layouts: dict[Any, Layout] = {}
    stages = peserta["tahap"].astype(object).where(peserta["tahap"].notna(), None)
    for stage, rows in peserta.groupby(stages.fillna(""), sort=False):
        widths = {
            key: int(rows[key].astype("string").str.len().fillna(0).max())
            for _, key in (*TEXT_COLUMNS, ("Sumber", "sumber"))
        }
        widths["alasan"] = int(rows["alasan"].map(lambda reasons: len("; ".join(reasons))).max())
        widths["riwayat"] = int(rows["riwayat"].map(len).max()) * 26
        trainers = int(rows["skor_pelatih"].map(len).max())
        set_widths = {
            key: min(fitted_width(max(widths[key], len(title))), WIDEST[key])
            for title, key in WRAPPED
        }
        layouts[stage or None] = Layout(trainers, set_widths)
    return layouts


def _lines(peserta: pd.DataFrame, layouts: dict[Any, Layout]) -> np.ndarray:
    """The lines each participant's row needs: its longest wrapped text over its column's
    width, a column at a time rather than a cell at a time."""
    stages = peserta["tahap"].astype(object).where(peserta["tahap"].notna(), None)
    lines = np.ones(len(peserta), dtype=np.int64)
    for _, key in WRAPPED:
        if key == "alasan":
            lengths = peserta[key].map(lambda reasons: len("; ".join(reasons)))
        elif key == "riwayat":
            lengths = peserta[key].map(lambda history: len(_history(history)) if history else 0)
        else:
            lengths = peserta[key].astype("string").str.len().fillna(0)
        room = stages.map(lambda stage, key=key: max(layouts[stage].widths[key] - 1, 1))
        needed = -(-lengths.to_numpy(dtype=np.int64) // room.to_numpy(dtype=np.int64))
        lines = np.maximum(lines, needed)
    return lines


def _start(book: Any, styles: Styles, name: str, layout: Layout) -> Any:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 5, styles.top)
    for title, key in WRAPPED:
        column = layout.position(title)
        sheet.set_column(column, column, layout.widths[key], styles.wrap)
    sheet.set_column(layout.position("Tanggal"), layout.position("Tanggal"), 11, styles.date)
    sheet.set_column(layout.position("Skor"), layout.position("Keputusan") - 1, 8, styles.score)
    sheet.set_column(layout.position("Keputusan"), layout.position("Keputusan"), 13, styles.top)
    sheet.write_row(0, 0, layout.titles, styles.header)
    sheet.freeze_panes(1, 3)
    print_setup(sheet, name)
    sheet.repeat_rows(0)
    return sheet


def _finish(sheet: Any, styles: Styles, layout: Layout, rows: int) -> None:
    last_column = len(layout.titles) - 1
    sheet.autofilter(0, 0, max(rows, 1), last_column)
    decision = column_letter(layout.position("Keputusan"))
    for key, style in styles.fills.items():
        sheet.conditional_format(1, 0, max(rows, 1), last_column, {
            "type": "formula",
            "format": style,
            "criteria": f'=${decision}2="{DECISION_LABELS[key]}"',
        })  # fmt: skip


def _participant_row(
    sheet: Any, styles: Styles, layout: Layout, number: int, record: dict[str, Any]
) -> None:
    write_string = sheet.write_string
    texts = {
        "alasan": "; ".join(record["alasan"]),
        "riwayat": _history(record["riwayat"]) if record["riwayat"] else "",
    }
    sheet.write_number(number, 0, number)
    for position, (_, key) in enumerate(TEXT_COLUMNS, start=1):
        if record[key]:
            write_string(number, position, record[key])
    if record["tanggal"] is not None:
        sheet.write_number(number, layout.position("Tanggal"), _excel_date(record["tanggal"]))
    score_column = layout.position("Skor")
    if record["skor"] is not None:
        sheet.write_number(number, score_column, record["skor"])
    for offset, score in enumerate(record["skor_pelatih"], start=1):
        if score is not None:
            sheet.write_number(number, score_column + offset, score)
    write_string(number, layout.position("Keputusan"), DECISION_LABELS[record["keputusan"]])
    for title, key in (("Alasan", "alasan"), ("Riwayat", "riwayat")):
        if texts[key]:
            write_string(number, layout.position(title), texts[key])
    write_string(number, layout.position("Sumber"), record["sumber"])


def _history(attempts: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{dt.date.fromisoformat(a['tanggal']):%d/%m/%Y}: "
        f"{'–' if a['skor'] is None else decimal_comma(a['skor'])} "
        f"({DECISION_LABELS[a['keputusan']]})"
        for a in attempts
    )


def _excel_date(iso: str) -> int:
    """The serial Excel stores for a date (valid from March 1900, past its leap-year bug)."""
    return (dt.date.fromisoformat(iso) - _EXCEL_EPOCH).days
