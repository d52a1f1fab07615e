"""One sheet per stage: every participant with score, trainers' scores, keputusan and why.

Written row by row in constant-memory mode, so each sheet's columns (how many trainers, how
wide each text) are measured from the stage's participants before its first row. A row takes
its keputusan's colour from a conditional format on the Keputusan column rather than from a
format on each cell: it looks the same, follows an edited keputusan, and writes a hundred
thousand rows in a fraction of the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from skorasn.formatting import column_letter, decimal_comma
from skorasn.models import Report
from skorasn.reporting.document import participant_columns
from skorasn.reporting.xlsxsheet import number_cells, row_start, style_attribute, text_cells
from skorasn.reporting.xlsxstyle import LINE_HEIGHT, Styles, fitted_width, print_setup
from skorasn.vocabulary import DECISION_LABELS, NO_STAGE_SHEET, SHEET_NAMES

TEXT_COLUMNS = (("NIP", "nip"), ("Nama", "nama"), ("Eselon", "eselon"),
                ("Unit Kerja", "unit_kerja"), ("Jabatan", "jabatan"))  # fmt: skip
# The widest each text column may grow before it wraps, in characters, so that a stage's
# sheet still prints legibly on A4 landscape.
WIDEST = {"nip": 20, "nama": 28, "eselon": 8, "unit_kerja": 28, "jabatan": 22, "alasan": 42,
          "riwayat": 22, "sumber": 30}  # fmt: skip
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Rows made into sheet XML at a time: a few MB of text, whatever the number of participants.
XML_CHUNK_ROWS = 10_000


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
    heights = _lines(report.peserta, layouts).tolist()
    writer, done = _StageWriter(book, styles, layouts), 0
    for columns in participant_columns(report.peserta, on_rows, chunk=XML_CHUNK_ROWS):
        for start, end in _stage_runs(columns["tahap"]):
            writer.write(columns, start, end, heights[done + start : done + end])
        done += len(columns["tahap"])
    writer.finish()


def _stage_runs(stages: list[Any]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of one stage in a chunk."""
    start = 0
    for position in range(1, len(stages) + 1):
        if position == len(stages) or stages[position] != stages[start]:
            yield start, position
            start = position


class _StageWriter:
    """The sheet being written, and how many participants it has so far."""

    def __init__(self, book: Any, styles: Styles, layouts: dict[Any, Layout]):
        self.book, self.styles, self.layouts = book, styles, layouts
        self.sheet: Any = None
        self.stage: Any = None
        self.layout: Layout | None = None
        self.setup: list[tuple[int, Any]] = []
        self.number = 0

    def write(self, columns: dict[str, list[Any]], start: int, end: int, lines: list[int]):
        stage = columns["tahap"][start]
        if self.sheet is None or stage != self.stage:
            self.finish()
            self.stage, self.layout, self.number = stage, self.layouts[stage], 0
            self.setup = _column_setup(self.styles, self.layout)
            self.sheet = _start(self.book, self.styles, _sheet_name(stage), self.layout, self.setup)
        assert self.layout is not None
        first = self.number + 1
        rows = range(first, first + end - start)
        cells = _cells(self.layout, self.setup, columns, rows, start, end)
        last_column = max(column for column, texts in enumerate(cells) if any(texts))
        starts = [
            # Neither Excel nor LibreOffice grows a row written in constant memory.
            row_start(row, LINE_HEIGHT * count if count > 1 else None)
            for row, count in zip(rows, lines, strict=True)
        ]
        xml = "".join(map("".join, zip(starts, *cells, repeat("</row>"))))
        self.sheet.append_rows(first, rows[-1], last_column, xml)
        self.number += end - start

    def finish(self) -> None:
        if self.sheet is not None and self.layout is not None:
            _finish(self.sheet, self.styles, self.layout, self.number)
        self.sheet = None


def _sheet_name(stage: Any) -> str:
    return SHEET_NAMES.get(stage, NO_STAGE_SHEET)


def _cells(
    layout: Layout,
    setup: list[tuple[int, Any]],
    columns: dict[str, list[Any]],
    rows: range,
    start: int,
    end: int,
) -> list[list[str]]:
    """Each column's cells for these rows, in column order, made a column at a time."""

    def part(key: str) -> list[Any]:
        return columns[key][start:end]

    styles = [style_attribute(style) for _, style in setup]
    letters = [column_letter(position) for position in range(len(layout.titles))]

    def numbers(position: int, values: list[Any]) -> list[str]:
        return number_cells(letters[position], rows, values, styles[position])

    def texts(title: str, values: list[Any]) -> list[str]:
        position = layout.position(title)
        return text_cells(letters[position], rows, values, styles[position])

    scores = part("skor_pelatih")
    return [
        numbers(0, list(rows)),
        *(texts(title, part(key)) for title, key in TEXT_COLUMNS),
        numbers(
            layout.position("Tanggal"), [_excel_date(d) if d else None for d in part("tanggal")]
        ),
        numbers(layout.position("Skor"), part("skor")),
        *(
            numbers(
                layout.position("Skor") + n, [s[n - 1] if len(s) >= n else None for s in scores]
            )
            for n in range(1, layout.trainers + 1)
        ),
        texts("Keputusan", [DECISION_LABELS[d] for d in part("keputusan")]),
        texts("Alasan", ["; ".join(reasons) for reasons in part("alasan")]),
        texts("Riwayat", [_history(h) if h else "" for h in part("riwayat")]),
        texts("Sumber", part("sumber")),
    ]


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
    codes, stages = pd.factorize(peserta["tahap"], use_na_sentinel=False)
    stage_layouts = [layouts[None if pd.isna(stage) else stage] for stage in stages]
    lines = np.ones(len(peserta), dtype=np.int64)
    for _, key in WRAPPED:
        if key == "alasan":
            lengths = [len("; ".join(reasons)) for reasons in peserta[key]]
        elif key == "riwayat":
            lengths = [len(_history(history)) if history else 0 for history in peserta[key]]
        else:
            lengths = peserta[key].astype("string").str.len().fillna(0).tolist()
        rooms = np.array([max(layout.widths[key] - 1, 1) for layout in stage_layouts])
        needed = -(-np.asarray(lengths, dtype=np.int64) // rooms[codes])
        lines = np.maximum(lines, needed)
    return lines


def _start(
    book: Any, styles: Styles, name: str, layout: Layout, setup: list[tuple[int, Any]]
) -> Any:
    sheet = book.add_worksheet(name)
    for position, (width, style) in enumerate(setup):
        sheet.set_column(position, position, width, style)
    sheet.write_row(0, 0, layout.titles, styles.header)
    sheet.freeze_panes(1, 3)
    print_setup(sheet, name)
    sheet.repeat_rows(0)
    return sheet


def _column_setup(styles: Styles, layout: Layout) -> list[tuple[int, Any]]:
    """Each column's width and format, by position; a cell takes its column's format."""
    setup: list[tuple[int, Any]] = [(5, styles.top)] * len(layout.titles)
    for title, key in WRAPPED:
        setup[layout.position(title)] = (layout.widths[key], styles.wrap)
    setup[layout.position("Tanggal")] = (11, styles.date)
    for position in range(layout.position("Skor"), layout.position("Keputusan")):
        setup[position] = (8, styles.score)
    setup[layout.position("Keputusan")] = (13, styles.top)
    return setup


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
