"""The stage sheets' rows are made as sheet XML a column at a time (reporting/xlsxsheet.py).
They must be the cells xlsxwriter itself would write, byte for byte, and text must stay text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from skorasn.core.report import report_on
from skorasn.models import Rules
from skorasn.reporting import stagesheets
from skorasn.reporting.workbook import write_xlsx
from skorasn.reporting.xlsxsheet import number_cells, row_start, style_attribute, text_cells
from skorasn.reporting.xlsxstyle import LINE_HEIGHT
from skorasn.vocabulary import DECISION_LABELS, EXCEL_CELL_TEXT

EXAMPLE = Path(__file__).parent.parent / "contoh_data" / "nilai_pelatihan_ai_2025.xlsx"
HEADER = "NIP,Nama,Eselon,Unit Kerja,Jabatan,Tahap,Tanggal,Skor\n"
AWKWARD_TEXTS = [
    "Siti",
    "A & B <c>",
    ' "quoted" ',
    " leading",
    "trailing ",
    "line\nbreak",
    "tab\there",
    "_x0041_ literal escape",
    "bell\x07 and \x1f",
    "\x0b vertical tab at the start",
    "non-characters \ufffe\uffff",
    "emoji 🙂 and ９",
    "x" * 20_000,
    "y" * (EXCEL_CELL_TEXT + 10),
]


def _sheet_xml(data: bytes, sheet: int) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{sheet}.xml").decode()


def _cells_by_xlsxwriter(values: list[Any], number: bool) -> list[str]:
    """Each value written by xlsxwriter itself at B2, B3, …, in a column with a format."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    sheet.set_column(1, 1, 10, book.add_format({"text_wrap": True}))
    for row, value in enumerate(values, start=1):
        (sheet.write_number if number else sheet.write_string)(row, 1, value)
    book.close()
    xml = _sheet_xml(out.getvalue(), 1)
    return [
        re.search(rf'<c r="B{row + 1}".*?</c>', xml, re.DOTALL).group(0)
        for row in range(1, len(values) + 1)
    ]  # type: ignore[union-attr]


def _style(book_format_index: int) -> str:
    return f' s="{book_format_index}"'


def test_text_cells_are_the_cells_xlsxwriter_writes() -> None:
    expected = _cells_by_xlsxwriter(AWKWARD_TEXTS, number=False)
    style = re.search(r' s="\d+"', expected[0]).group(0)  # type: ignore[union-attr]
    rows = range(1, len(AWKWARD_TEXTS) + 1)
    assert text_cells("B", rows, AWKWARD_TEXTS, style) == expected


def test_text_past_a_cell_is_cut_where_excel_counts() -> None:
    """Excel's limit is in UTF-16 units: 20,000 emoji are 40,000 (xlsxwriter counts them so
    since 3.3.1, characters before)."""
    (cell,) = text_cells("B", range(1, 2), ["🙂" * 20_000], "")
    text = ElementTree.fromstring(cell).findtext("is/t")
    assert text == "🙂" * (EXCEL_CELL_TEXT // 2)
    assert len(text.encode("utf-16-le")) // 2 <= EXCEL_CELL_TEXT


def test_number_cells_are_the_cells_xlsxwriter_writes() -> None:
    numbers = [0, 1, 8.5, 9.25, 7.333333333333333, 45_931, 1e-7, 123456789.125]
    expected = _cells_by_xlsxwriter(numbers, number=True)
    style = re.search(r' s="\d+"', expected[0]).group(0)  # type: ignore[union-attr]
    rows = range(1, len(numbers) + 1)
    assert number_cells("B", rows, numbers, style) == expected
    assert number_cells("B", rows, [None] * len(numbers), style) == [""] * len(numbers)


def test_missing_and_empty_text_write_no_cell() -> None:
    assert text_cells("C", range(3), [None, "", "a"], "") == [
        "",
        "",
        '<c r="C3" t="inlineStr"><is><t>a</t></is></c>',
    ]


def test_row_height_is_stored_as_set_row_stores_it() -> None:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet()
    for row, lines in enumerate((2, 3, 7), start=1):
        sheet.set_row(row, LINE_HEIGHT * lines)
        sheet.write_number(row, 0, 1)
    book.close()
    xml = _sheet_xml(out.getvalue(), 1)
    for row, lines in enumerate((2, 3, 7), start=1):
        assert row_start(row, LINE_HEIGHT * lines) in xml
    assert row_start(4, None) == '<row r="5">'
    assert style_attribute(None) == ""


def _write_per_cell(
    self: Any, columns: dict[str, list[Any]], start: int, end: int, lines: list[int]
) -> None:
    """The stage rows as they were written before: one xlsxwriter call per cell."""
    stage = columns["tahap"][start]
    if self.sheet is None or stage != self.stage:
        self.finish()
        self.stage, self.layout, self.number = stage, self.layouts[stage], 0
        self.setup = stagesheets._column_setup(self.styles, self.layout)
        name = stagesheets._sheet_name(stage)
        self.sheet = stagesheets._start(self.book, self.styles, name, self.layout, self.setup)
    layout, sheet = self.layout, self.sheet
    for index, count in zip(range(start, end), lines, strict=True):
        self.number += 1
        number = self.number
        record = {key: values[index] for key, values in columns.items()}
        if count > 1:
            sheet.set_row(number, LINE_HEIGHT * count)
        sheet.write_number(number, 0, number)
        for position, (_, key) in enumerate(stagesheets.TEXT_COLUMNS, start=1):
            if record[key]:
                sheet.write_string(number, position, record[key])
        if record["tanggal"] is not None:
            sheet.write_number(
                number, layout.position("Tanggal"), stagesheets._excel_date(record["tanggal"])
            )
        if record["skor"] is not None:
            sheet.write_number(number, layout.position("Skor"), record["skor"])
        for offset, score in enumerate(record["skor_pelatih"], start=1):
            if score is not None:
                sheet.write_number(number, layout.position("Skor") + offset, score)
        sheet.write_string(
            number, layout.position("Keputusan"), DECISION_LABELS[record["keputusan"]]
        )
        texts = {
            "Alasan": "; ".join(record["alasan"]),
            "Riwayat": stagesheets._history(record["riwayat"]) if record["riwayat"] else "",
        }
        for title, text in texts.items():
            if text:
                sheet.write_string(number, layout.position(title), text)
        sheet.write_string(number, layout.position("Sumber"), record["sumber"])


def _workbook(report: Any) -> bytes:
    out = io.BytesIO()
    write_xlsx(report, out)
    return out.getvalue()


ODD_ROWS = r'''NIP,Nama,Eselon,Unit Kerja,Jabatan,Tahap,Tanggal,Pelatih 1,Pelatih 2,Pelatih 3
198001012005011001,"Siti & <Ani>",III.a,"Dinas A, bidang ""X""",Staf,dasar,01/10/2025,9,9.5,10
198001012005011002,Budi _x0041_,IV.b,Dinas B,Kepala,,02/10/2025,7,,8
198001012005011003,Citra,II.a,Dinas C,Kepala,entah,03/10/2025,abc,5,6
198001012005011001,"Siti & <Ani>",III.a,Dinas A,Staf,lanjutan 1,05/10/2025,9,9,9
198001012005011004,Dedi,III.b,Dinas D,Staf,lanjutan 2,06/10/2025,,,
'''


@pytest.mark.parametrize(
    ("source", "chunk"),
    [("contoh", stagesheets.XML_CHUNK_ROWS), ("contoh", 7), ("odd", 1)],
)
def test_stage_sheets_are_byte_for_byte_the_per_cell_sheets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, chunk: int, source: str
) -> None:
    """The example data (three stages, two trainers, galat, a retake, long reasons) and odd
    rows (no stage, an unknown one, three trainers with gaps, text to escape), in chunks that
    also cut a stage in the middle."""
    path = EXAMPLE
    if source == "odd":
        path = tmp_path / "odd.csv"
        path.write_text(ODD_ROWS, encoding="utf-8")
    report = report_on([path], Rules())
    monkeypatch.setattr(stagesheets, "XML_CHUNK_ROWS", chunk)
    fast = _workbook(report)
    monkeypatch.setattr(stagesheets._StageWriter, "write", _write_per_cell)
    per_cell = _workbook(report)
    names = zipfile.ZipFile(io.BytesIO(fast)).namelist()
    sheets = [n for n in names if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) >= 4  # Ringkasan, the stages, …
    for number in range(1, len(sheets) + 1):
        assert _sheet_xml(fast, number) == _sheet_xml(per_cell, number), f"sheet{number}.xml"
    stage_xml = _sheet_xml(fast, 2)
    assert stage_xml.count("<row ") == 1 + int(report.ringkasan["dasar"]["jumlah"])


def _csv(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = [f'{nip},"{name}",III.a,"{unit}",Staf,dasar,01/10/2025,9' for nip, name, unit in rows]
    path = tmp_path / "skor.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_text_that_looks_like_rich_text_xml_stays_text(tmp_path: Path, run: Any) -> None:
    """xlsxwriter writes '<r>…</r>' into the sheet as raw XML in constant-memory mode; in a
    name or a unit it would make the mayor's report a file Excel has to repair."""
    names = ["<r>A & B</r>", "<r></r>", "<r><t>x</t></r>"]
    rows = [(f"19800101200501100{n}", name, name) for n, name in enumerate(names, start=1)]
    source = _csv(tmp_path, rows)
    out = tmp_path / "laporan.xlsx"
    result = run("tier", source, "-o", out)
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(out)
    for name in archive.namelist():
        if name.endswith(".xml"):
            ElementTree.fromstring(archive.read(name))  # every part is well-formed XML
    book = CalamineWorkbook.from_path(str(out))
    stage = book.get_sheet_by_name("Dasar").to_python()
    assert sorted(row[2] for row in stage[1:]) == sorted(names)
    ringkasan = [cell for row in book.get_sheet_by_name("Ringkasan").to_python() for cell in row]
    for name in names:
        assert name in ringkasan  # the per-unit table names each unit as it was written


def test_text_longer_than_a_cell_is_named_not_cut_in_silence(tmp_path: Path, run: Any) -> None:
    long_name = "A" * (EXCEL_CELL_TEXT + 233)
    source = _csv(tmp_path, [("198001012005011001", long_name, "Dinas X")])
    out = tmp_path / "laporan.xlsx"
    _, document = run.json("tier", source)
    warnings = [m for m in document["masalah"] if m["tingkat"] == "peringatan"]
    assert any(
        (m["baris"], m["kolom"]) == (2, "B")
        and "33.000 karakter" in m["pesan"]
        and "32.767" in m["pesan"]
        for m in warnings
    ), warnings
    assert document["peserta"][0]["nama"] == long_name  # JSON keeps the whole text
    assert run("tier", source, "-o", out).exit_code == 0
    stage = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Dasar").to_python()
    assert stage[1][2] == long_name[:EXCEL_CELL_TEXT]
