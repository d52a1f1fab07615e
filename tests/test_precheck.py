"""The pre-check of a sheet's XML: the fast scan and the careful parser must agree on every
spelling of a cell, the fast scan must do bounded work on the sheets writers make, and must
step aside (never guess) on the sheets they do not."""

from __future__ import annotations

import zipfile
from array import array
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading import sheetscan, xlsxplan
from skorasn.reading.guard import check_workbook
from skorasn.reading.sheetfacts import CellRange, SheetFacts
from skorasn.reading.sheetparse import parse_sheet
from skorasn.reading.sheetscan import SheetScan
from skorasn.reading.xmlparse import UNCACHED_FORMULA

from .hostile import MAIN, ods_number, sheet_xml, write_ods, write_xlsx

DEFAULTS = ZipLimits()
ROW = '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>N{r}</t></is></c>{cell}</row>'


def rows(cell: str, prefix: str = "") -> str:
    """Two rows, the first a name and `cell` at B1, the second a plain number at B2."""
    p = f"{prefix}:" if prefix else ""
    first = ROW.format(r=1, cell=cell).replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
    second = f'<{p}row r="2"><{p}c r="B2"><{p}v>7</{p}v></{p}c></{p}row>'
    return first + second


def fast(
    xml: str,
    chunk: int = 1 << 16,
    limits: ZipLimits = DEFAULTS,
    strings: array[int] | None = None,
    part_size: int = 0,
) -> tuple[SheetFacts, SheetScan]:
    facts = SheetFacts("Dasar", "sheet1.xml")
    scan = SheetScan(facts, limits, strings, part_size)
    data = xml.encode()
    for start in range(0, len(data), chunk):
        scan.feed(data[start : start + chunk])
    scan.close()
    return facts, scan


def careful(xml: str, limits: ZipLimits = DEFAULTS) -> SheetFacts:
    return parse_sheet([xml.encode()], SheetFacts("Dasar", "sheet1.xml"), limits)


SPELLINGS = [
    pytest.param('<c r="B1" t="e"><v>#N/A</v></c>', "", {(0, 1): "#N/A"}, id="plain"),
    pytest.param('<c r="B1" t="e"><v>#N/A</v></c>', "x", {(0, 1): "#N/A"}, id="prefixed"),
    pytest.param("<c r='B1' t='e'><v>#REF!</v></c>", "", {(0, 1): "#REF!"}, id="single-quotes"),
    pytest.param('<c r="B1" t = "e" ><v>#NUM!</v></c>', "", {(0, 1): "#NUM!"}, id="spaced"),
    pytest.param(
        '<c r="B1" t="e"><v xml:space="preserve">#NAME?</v></c>',
        "",
        {(0, 1): "#NAME?"},
        id="xml-space",
    ),
    pytest.param('<c t="e"><v>#DIV/0!</v></c>', "", {(0, 1): "#DIV/0!"}, id="no-reference"),
    pytest.param('<c r="B1" x="a>b" t="e"><v>#N/A</v></c>', "", {(0, 1): "#N/A"}, id="gt-in-value"),
    pytest.param('<c r="B1" t="e"><!-- - --><v>#N/A</v></c>', "", {(0, 1): "#N/A"}, id="comment"),
    pytest.param('<c r="B1"><f>1+1</f></c>', "", {(0, 1): UNCACHED_FORMULA}, id="no-value"),
    pytest.param('<c r="B1"><f>1+1</f><v/></c>', "", {(0, 1): UNCACHED_FORMULA}, id="empty-v"),
    pytest.param(
        '<c r="B1"><f t="shared" si="0"/><v></v></c>', "", {(0, 1): UNCACHED_FORMULA}, id="shared"
    ),
    pytest.param('<c r="B1"><f>1+1</f><v>2</v></c>', "", {}, id="cached"),
    pytest.param('<c r="B1"><f t="shared" si="0"/><v>2</v></c>', "", {}, id="shared-cached"),
    pytest.param('<c r="B1" t="str"><f>""</f><v></v></c>', "", {}, id="cached-empty-text"),
    pytest.param('<c r="B1" t="e"><f>NA()</f><v>#N/A</v></c>', "x", {(0, 1): "#N/A"}, id="both"),
    pytest.param('<c r="B1" t="inlineStr"><is><t>t="e"</t></is></c>', "", {}, id="mark-in-text"),
]


@pytest.mark.parametrize(("cell", "prefix", "expected"), SPELLINGS)
def test_every_spelling_of_an_error_cell_is_found(
    cell: str, prefix: str, expected: dict[tuple[int, int], str]
) -> None:
    xml = sheet_xml(rows(cell, prefix), prefix=prefix)
    measured, scan = fast(xml)
    if scan.irregular:  # the fast scan may step aside, never answer wrongly
        measured = careful(xml)
    assert measured.errors == expected
    assert careful(xml).errors == expected


def test_a_cell_in_another_prefix_is_not_missed() -> None:
    hidden = f'<y:c xmlns:y="{MAIN}" r="XFD1048576"><y:v>1</y:v></y:c>'
    xml = sheet_xml(rows('<c r="B1"><v>1</v></c>') + f'<row r="3">{hidden}</row>')
    _, scan = fast(xml)
    assert scan.irregular
    with pytest.raises(RejectedFile, match="XFD1048576"):
        careful(xml)


def test_a_cell_hidden_in_a_comment_is_not_counted() -> None:
    xml = sheet_xml(
        rows('<c r="B1"><v>1</v></c>') + '<!-- <row r="9"><c r="XFD9"><v>1</v></c></row> -->'
    )
    _, scan = fast(xml)
    assert scan.irregular
    assert careful(xml).last_col == 1


def test_cells_out_of_order_widen_the_box() -> None:
    body = (
        '<row r="5"><c r="C5"><v>1</v></c><c r="A5"><v>1</v></c></row>'
        '<row r="2"><c r="Z2"><v>1</v></c></row>'
    )
    measured, scan = fast(sheet_xml(body))
    assert not scan.irregular
    assert (measured.last_row, measured.last_col) == (4, 25)


def test_a_cell_below_its_row_tag_widens_the_box() -> None:
    """calamine places a cell by its own reference, whatever row element holds it."""
    body = '<row r="1"><c r="A1"><v>1</v></c><c r="B900000"><v>1</v></c></row>'
    for measured in (fast(sheet_xml(body))[0], careful(sheet_xml(body))):
        assert (measured.last_row, measured.last_col) == (899_999, 1)


def test_style_only_cells_far_away_are_not_filled() -> None:
    body = rows('<c r="B1"><v>1</v></c>') + '<row r="1048576"><c r="XFD1048576" s="3"/></row>'
    facts = careful(sheet_xml(body))
    assert (facts.last_row, facts.last_col) == (1, 1)


def test_hidden_rows_columns_and_merges() -> None:
    head = '<cols><col min="3" max="4" hidden="1"/><col min="5" max="5" hidden="0"/></cols>'
    tail = '<mergeCells count="2"><mergeCell ref="C1:C2"/><mergeCell ref="A5:B5"/></mergeCells>'
    body = (
        '<row r="1" hidden="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2" hidden="false"><c r="A2"><v>1</v></c></row>'
        '<row r="3" spans="1:2" hidden="true"><c r="A3"><v>1</v></c></row>'
    )
    xml = sheet_xml(body, head=head, tail=tail)
    for measured in (fast(xml)[0], careful(xml)):
        assert measured.hidden_rows == [(0, 0), (2, 2)]
        assert measured.hidden_cols == [(2, 3)]
        assert measured.merged == [CellRange(0, 2, 1, 2), CellRange(4, 0, 4, 1)]


def big_sheet(rows: int, errors: dict[int, str]) -> str:
    """`rows` rows of three cells written as xlsxwriter does, with error cells at some rows."""
    lines = []
    for r in range(1, rows + 1):
        third = (
            f'<c r="C{r}" t="e"><v>{errors[r]}</v></c>'
            if r in errors
            else f'<c r="C{r}"><v>{r}</v></c>'
        )
        lines.append(
            f'<row r="{r}" spans="1:3"><c r="A{r}" t="s"><v>{r % 7}</v></c>'
            f'<c r="B{r}"><f>A{r}*2</f><v>{r * 2}</v></c>{third}</row>'
        )
    return sheet_xml("".join(lines))


@pytest.mark.parametrize("chunk", [4093, 1 << 18])
def test_fast_scan_does_bounded_work_whatever_the_chunks(chunk: int) -> None:
    errors = {7: "#N/A", 12_345: "#DIV/0!", 40_000: "#REF!"}
    xml = big_sheet(40_000, errors)
    measured, scan = fast(xml, chunk=chunk)
    assert not scan.irregular
    # Each byte is looked at by a fixed number of searches, and only the three error cells are
    # parsed as XML: not the 40,000 formulas, whose saved results the searches vouch for.
    assert scan.scanned == len(xml.encode())
    assert scan.fragments == 3
    assert measured.errors == {(r - 1, 2): text for r, text in errors.items()}
    assert (measured.last_row, measured.last_col) == (39_999, 2)


def test_shared_strings_copied_into_many_cells_are_counted_exactly() -> None:
    body = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>1</v></c></row>' for r in range(1, 2001))
    strings = array("I", [10, 100_000])
    limits = replace(DEFAULTS, max_cells=5000)  # text budget: 5000 × 32 = 160 KB
    with pytest.raises(RejectedFile, match="berulang di banyak sel"):
        fast(sheet_xml(body), limits=limits, strings=strings, part_size=10**6)
    with pytest.raises(RejectedFile, match="berulang di banyak sel"):
        parse_sheet([sheet_xml(body).encode()], SheetFacts("Dasar", "p"), limits, strings)
    short = array("I", [10, 50])
    _, scan = fast(sheet_xml(body), limits=limits, strings=short, part_size=10**6)
    assert scan.exact_text and not scan.irregular


# --- whole workbooks from the writers in use ----------------------------------------------


def xlsxwriter_book(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Dasar")
    sheet.write_row(0, 0, ["NIP", "Nama", "Skor 1", "Skor 2", "Nilai Akhir"])
    for r in range(1, 300):
        sheet.write_string(r, 0, f"19800101200501{r:04d}")
        sheet.write_row(r, 1, [f"Peserta {r}", 8, 9])
        sheet.write_formula(r, 4, f"=AVERAGE(C{r + 1}:D{r + 1})", None, 8.5)
    sheet.write_formula(300, 4, "=NA()", None, "#N/A")
    book.close()
    return path


def openpyxl_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Skor"])
    for r in range(1, 300):
        sheet.append([f"19800101200501{r:04d}", f"Peserta {r}", 8])
    sheet.append(["198001012005010300", "Tanpa Hasil", "=AVERAGE(C2:C3)"])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("build", "errors"),
    [
        pytest.param(xlsxwriter_book, {(300, 4): "#N/A"}, id="xlsxwriter"),
        pytest.param(openpyxl_book, {(300, 2): UNCACHED_FORMULA}, id="openpyxl"),
    ],
)
def test_writers_sheets_need_no_careful_pass(
    tmp_path: Path,
    build: Callable[[Path], Path],
    errors: dict[tuple[int, int], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []
    monkeypatch.setattr(xlsxplan, "parse_sheet", lambda *args: parsed.append("x"))
    cut: list[bytes] = []
    original = sheetscan.parse_cell
    monkeypatch.setattr(sheetscan, "parse_cell", lambda f: cut.append(f) or original(f))
    facts = check_workbook(build(tmp_path / "nilai.xlsx"), DEFAULTS)
    assert facts is not None and parsed == []
    assert facts.sheets["Dasar"].errors == errors
    assert len(cut) == len(errors)


def test_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    """LibreOffice may declare A1:XFD1048576 for a small table; only filled cells count."""
    xml = sheet_xml(rows('<c r="B1"><v>1</v></c>'), head='<dimension ref="A1:XFD1048576"/>')
    facts = check_workbook(write_xlsx(tmp_path / "lo.xlsx", xml), DEFAULTS)
    assert facts is not None
    assert (facts.sheets["Dasar"].last_row, facts.sheets["Dasar"].last_col) == (1, 1)


def test_the_part_measured_is_the_part_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dua.xlsx", sheet_xml(rows('<c r="B1"><v>1</v></c>')))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("XL/Worksheets/Sheet1.xml", sheet_xml(""))
    with pytest.raises(RejectedFile, match="dua anggota"):
        check_workbook(path, DEFAULTS)


@pytest.mark.parametrize(
    "decoy",
    ["<!-- <sheetData></sheetData> -->", "<?skorasn <sheetData></sheetData> ?>"],
    ids=["comment", "processing-instruction"],
)
def test_a_decoy_sheet_data_in_the_head_does_not_hide_the_cells(decoy: str) -> None:
    xml = sheet_xml(rows('<c r="B1"><v>1</v></c>') + '<row r="9"><c r="XFD9"><v>1</v></c></row>')
    xml = xml.replace("<sheetData>", decoy + "<sheetData>")
    _, scan = fast(xml)
    assert scan.irregular
    assert careful(xml).last_col == 16_383


def test_a_decoy_shared_string_root_is_not_believed(tmp_path: Path) -> None:
    strings = (
        '<?xml version="1.0"?><!-- <sst uniqueCount="1"> -->'
        f'<sst xmlns="{MAIN}" uniqueCount="4294967295"><si><t>a</t></si></sst>'
    )
    path = write_xlsx(tmp_path / "umpan.xlsx", sheet_xml(rows('<c r="B1"><v>1</v></c>')), strings)
    with pytest.raises(RejectedFile, match="4.294.967.295"):
        check_workbook(path, DEFAULTS)


def test_trailing_empty_repeats_in_ods_cost_nothing(tmp_path: Path) -> None:
    """LibreOffice ends every sheet with empty cells and rows repeated to the grid's edge."""
    rows = "".join(
        f"<table:table-row>{ods_number(r)}{ods_number(r + 1)}"
        '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
        for r in range(3)
    )
    rows += (
        '<table:table-row table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    table = (
        '<table:table table:name="Dasar">'
        '<table:table-column table:number-columns-repeated="16384"/>' + rows + "</table:table>"
    )
    facts = check_workbook(write_ods(tmp_path / "lo.ods", table), DEFAULTS)
    assert facts is not None
    sheet = facts.sheets["Dasar"]
    assert (sheet.first_row, sheet.last_row, sheet.last_col) == (0, 2, 1)
