"""Reading costs memory in proportion to the rows, and little per row: repeated text is one
object, cells are not copied into Arrow and back, and the grid keeps every cell in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from skorasn.models import Rules, ZipLimits
from skorasn.names import HeaderVocabulary
from skorasn.reading import discover, read_inputs
from skorasn.reading.cellframe import cell_frame
from skorasn.reading.extract import extract_sheet
from skorasn.reading.header import locate_header
from skorasn.reading.workbook import RawSheet, read_workbook

UNITS = ("Dinas Kesehatan", "Dinas Pendidikan", "Kecamatan Cikole", "Sekretariat Daerah")


def _workbook(path: Path, rows: int, top: int = 0, left: int = 0) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Dasar")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    titles = ["NIP", "Nama", "Eselon", "Unit Kerja", "Tanggal", "Skor"]
    sheet.write_row(top, left, titles)
    for n in range(rows):
        row = top + 1 + n
        sheet.write_string(row, left, f"19800101200501{n % 10000:04d}")
        sheet.write_string(row, left + 1, f"Peserta {n}")
        sheet.write_string(row, left + 2, "III.a")
        sheet.write_string(row, left + 3, UNITS[n % len(UNITS)])
        sheet.write_datetime(row, left + 4, dt.datetime(2025, 10, 6 + n % 3), dates)
        sheet.write_number(row, left + 5, 5 + (n % 50) / 10)
    book.close()
    return path


def _sheet(path: Path) -> RawSheet:
    sheets = [s for s in read_workbook(path, ZipLimits()) if isinstance(s, RawSheet)]
    assert len(sheets) == 1
    return sheets[0]


def test_repeated_text_and_dates_are_one_object_each(tmp_path: Path) -> None:
    rows = _sheet(_workbook(tmp_path / "skor.xlsx", 40)).rows
    units = [row[3] for row in rows[1:]]
    assert units == [UNITS[n % len(UNITS)] for n in range(40)]
    assert len({id(unit) for unit in units}) == len(UNITS)
    assert len({id(row[4]) for row in rows[1:]}) == 3
    # Numbers are never shared: 1 and 1.0 are equal, and sharing would change a cell's type.
    assert all(type(row[5]) is float for row in rows[1:])


def test_a_table_away_from_a1_keeps_every_cell_in_its_place(tmp_path: Path) -> None:
    rows = _sheet(_workbook(tmp_path / "geser.xlsx", 5, top=3, left=2)).rows
    assert len(rows) == 3 + 1 + 5
    assert all(row == [] for row in rows[:3])
    assert rows[3][:3] == ["", "", "NIP"]
    assert rows[8][2] == "198001012005010004" and rows[8][7] == 5.4


def test_cells_reach_normalisation_as_the_readers_own_objects(tmp_path: Path) -> None:
    """No copy of the cells on the way: pandas would otherwise turn a column of text into
    Arrow strings, and normalisation would turn them back into new Python objects."""
    sheet = _sheet(_workbook(tmp_path / "skor.xlsx", 30))
    header = locate_header(sheet.rows, HeaderVocabulary.build())
    assert header is not None
    part = extract_sheet(sheet, "skor.xlsx", header)
    frame = cell_frame([part], ["dasar"])
    for name in ("nip", "nama", "unit_kerja"):
        assert frame[name].dtype == object
        assert all(a is b for a, b in zip(frame[name], part.cells[name], strict=True))
    assert frame["sumber"].tolist() == [f"skor.xlsx:Dasar!{n}" for n in range(2, 32)]


def test_text_is_compact_once_read(tmp_path: Path) -> None:
    read = read_inputs(discover([_workbook(tmp_path / "skor.xlsx", 20)]), Rules())
    assert read.rows["nama"].tolist() == [f"Peserta {n}" for n in range(20)]
    for name in ("nama", "eselon", "unit_kerja", "sumber"):
        assert read.rows[name].dtype == "string[pyarrow]"
