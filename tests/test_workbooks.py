"""Workbooks as the writers in use make them (xlsxwriter, openpyxl, pandas, LibreOffice,
Gnumeric), read to the same participants; hidden rows and merged cells are told, and memory
follows the cells that exist."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlsxwriter

from skorasn.models import Rules, ZipLimits
from skorasn.reading import discover, read_inputs

from . import hostile
from .conftest import TEST_DATA, nip, traced_peak
from .data.buat_gnumeric import GNUMERIC_ROWS, HIDDEN_ROW, MERGED, build_source
from .hostile import far_cell, sheet_xml, write_xlsx


def read(*paths: Path, stage: str | None = "dasar") -> Any:
    return read_inputs(discover(list(paths)), Rules(), default_stage=stage)


def people(result: Any) -> list[tuple[Any, ...]]:
    rows = result.rows.sort_values("baris")
    return [
        (
            r.nip,
            r.nama,
            None if pd.isna(r.unit_kerja) else r.unit_kerja,
            r.tanggal.date(),
            r.skor_akhir,
        )
        for r in rows.itertuples()
    ]


def warnings(result: Any) -> list[tuple[int | None, str | None, str]]:
    return [(p.baris, p.kolom, p.pesan) for p in result.problems if p.tingkat == "peringatan"]


def expected_gnumeric() -> list[tuple[Any, ...]]:
    rows = [(n, name, unit, date, score) for n, name, unit, date, score, _ in GNUMERIC_ROWS]
    merged_below = int(MERGED.split(":")[1][1:]) - 4  # the merged unit reads blank below
    rows[merged_below] = (*rows[merged_below][:2], None, *rows[merged_below][3:])
    return rows


def assert_gnumeric_reading(path: Path) -> None:
    result = read(path)
    assert people(result) == expected_gnumeric()
    assert [p for p in result.problems if p.tingkat == "galat"] == []
    (hidden, _, text), (row, column, merged) = warnings(result)
    assert hidden is None and text.startswith(f"baris {HIDDEN_ROW} disembunyikan")
    assert (row, column) == (7, "C") and merged.startswith(f"sel gabungan {MERGED}")


@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_gnumeric_files(suffix: str) -> None:
    """Written by ssconvert (tests/data/buat_gnumeric.py); calamine refuses the .ods."""
    assert_gnumeric_reading(TEST_DATA / f"gnumeric_dasar{suffix}")


@pytest.mark.skipif(shutil.which("ssconvert") is None, reason="ssconvert (Gnumeric) tidak ada")
def test_gnumeric_as_installed_here(tmp_path: Path) -> None:
    source = build_source(tmp_path / "sumber.xlsx")
    target = tmp_path / "dasar.ods"
    subprocess.run(["ssconvert", str(source), str(target)], check=True, capture_output=True)
    assert_gnumeric_reading(target)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice (LibreOffice) tidak ada")
def test_libreoffice_ods_with_hidden_rows_and_merges(tmp_path: Path) -> None:
    source = build_source(tmp_path / "dasar.xlsx")
    command = ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path / "lo")]
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=120)
    assert_gnumeric_reading(tmp_path / "lo" / "dasar.ods")


def xlsxwriter_scores(path: Path, options: dict[str, Any] | None = None) -> Path:
    """A sheet starting at C5 (title above), 1904 dates if asked, shared strings, formulas with
    saved results, one hidden column, rows hidden by an autofilter, a merged score."""
    book = xlsxwriter.Workbook(str(path), options or {})
    sheet = book.add_worksheet("Dasar")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(1, 2, "REKAP NILAI")
    sheet.write_row(4, 2, ["NIP", "Nama", "Unit Kerja", "Tanggal", "Skor 1", "Skor 2", "Nilai"])
    for i in range(6):
        row = 5 + i
        sheet.write_string(row, 2, nip(i + 1))
        sheet.write_row(row, 3, [f"Peserta {i + 1}", "Dinas A" if i % 2 else "Dinas B"])
        sheet.write_datetime(row, 5, dt.datetime(2025, 11, 7), dates)
        sheet.write_row(row, 6, [8, 9 + (i == 0)])
        sheet.write_formula(row, 8, f"=AVERAGE(G{row + 1}:H{row + 1})", None, 8.5 + (i == 0) / 2)
    sheet.set_column("E:E", None, None, {"hidden": True})
    sheet.autofilter(4, 2, 10, 8)
    sheet.filter_column_list("E", ["Dinas A"])
    for row in (6, 8, 10):
        sheet.set_row(row, options={"hidden": True})
    sheet.merge_range("G10:G11", 7)
    book.close()
    return path


@pytest.mark.parametrize("options", [{}, {"date_1904": True}], ids=["1900", "1904"])
def test_xlsxwriter_offsets_dates_and_layout(tmp_path: Path, options: dict[str, Any]) -> None:
    result = read(xlsxwriter_scores(tmp_path / "nilai.xlsx", options))
    rows = result.rows.sort_values("baris")
    assert rows["baris"].tolist() == list(range(6, 12))
    assert rows["nip"].tolist() == [nip(i) for i in range(1, 7)]
    assert {d.date() for d in rows["tanggal"]} == {dt.date(2025, 11, 7)}
    assert rows["skor_akhir"].tolist() == [9.0, *[8.5] * 5]
    assert rows["kolom_skor"].iloc[0] == "I"
    hidden, merged = warnings(result)[:2]
    assert hidden[2].startswith("baris 7, 9, 11 dan kolom E disembunyikan")
    assert merged[:2] == (10, "G") and "G10:G11" in merged[2]


def test_data_far_from_a1_keeps_its_cell_names(tmp_path: Path) -> None:
    rows = (
        '<row r="14"><c r="AD14" t="inlineStr"><is><t>NIP</t></is></c>'
        '<c r="AE14" t="inlineStr"><is><t>Skor</t></is></c></row>'
        f'<row r="15"><c r="AD15" t="inlineStr"><is><t>{nip(1)}</t></is></c>'
        '<c r="AE15"><v>11</v></c></row>'
    )
    result = read(write_xlsx(tmp_path / "jauh.xlsx", sheet_xml(rows)))
    assert [(p.kolom, p.baris) for p in result.problems] == [("AE", 15)]


def test_shared_formulas_and_inline_strings(tmp_path: Path) -> None:
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Skor</t></is></c></row>'
    )
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{nip(r)}</t></is></c>'
        f'<c r="B{r}">{formula}<v>{4 + r}</v></c></row>'
        for r, formula in (
            (2, '<f t="shared" ref="B2:B4" si="0">2+A2*0+4</f>'),
            (3, '<f t="shared" si="0"/>'),
            (4, '<f t="shared" si="0"/>'),
        )
    )
    result = read(write_xlsx(tmp_path / "rumus.xlsx", sheet_xml(header + body)))
    assert result.rows["skor_akhir"].tolist() == [6.0, 7.0, 8.0]
    assert result.problems == []


def test_pandas_written_workbook(tmp_path: Path) -> None:
    frame = pd.DataFrame({"NIP": [nip(1), nip(2)], "Nama": ["Ani", "Budi"], "Skor": [9.0, 4.5]})
    path = tmp_path / "pandas.xlsx"
    frame.to_excel(path, sheet_name="Dasar", index=False)
    result = read(path)
    assert result.rows["nip"].tolist() == [nip(1), nip(2)]
    assert result.rows["skor_akhir"].tolist() == [9.0, 4.5]


def test_one_far_cell_costs_one_cell(tmp_path: Path) -> None:
    """2 KB with one value at AX1000000 once cost 12 s and 2.2 GB (padded from A1)."""
    path = far_cell(tmp_path / "jauh.xlsx")
    with traced_peak() as traced:
        result = read(path)
    assert "tidak ada lembar berisi tabel nilai" in result.problems[-1].pesan
    # A million rows above the cell share one empty list: 8 MB of pointers, not 50 M cells.
    assert traced.peak < 48 * 2**20


def test_libreoffice_error_cells_in_ods(tmp_path: Path) -> None:
    """LibreOffice saves an error result with calcext:value-type="error" and its text."""
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
        for text in ("NIP", "Skor")
    )
    error = (
        '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
    )
    person = (
        f'<table:table-cell office:value-type="string"><text:p>{nip(1)}</text:p></table:table-cell>'
    )
    tables = (
        f'<table:table table:name="Dasar"><table:table-row>{cells}</table:table-row>'
        f"<table:table-row>{person}{error}</table:table-row></table:table>"
    )
    content = hostile.write_ods(tmp_path / "galat.ods", tables)
    result = read(content)
    assert [(p.kolom, p.baris, p.tingkat) for p in result.problems] == [("B", 2, "galat")]
    assert "#DIV/0!" in result.problems[0].pesan


def test_sheet_over_the_cell_limit_names_the_setting(tmp_path: Path) -> None:
    path = xlsxwriter_scores(tmp_path / "nilai.xlsx")
    rules = Rules(zip_limits=ZipLimits(max_cells=40))
    result = read_inputs(discover([path]), rules, default_stage="dasar")
    (problem,) = result.problems
    assert "sel_maks" in problem.pesan and "melebihi batas 40 sel" in problem.pesan
