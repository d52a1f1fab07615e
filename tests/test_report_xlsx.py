"""The XLSX report read back: sheets, numbers, types, print setup, audit, no formula."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from skorasn.cli import app
from skorasn.vocabulary import DECISION_LABELS, DECISIONS

from .conftest import nip
from .conftest import write_scores as write_shared_scores
from .readback import SCORED, read_summary, rows

HEADER = ("NIP", "Nama", "Unit Kerja", "Eselon", "Skor")
STAGE_HEADER = ["No", "NIP", "Nama", "Eselon", "Unit Kerja", "Jabatan", "Tanggal", "Skor",
                "Keputusan", "Alasan", "Riwayat", "Sumber"]  # fmt: skip
FORMULA_NAMES = ('=HYPERLINK("http://x","klik")', "+1", "-2", "@SUM(A1)")
KOMINFO, DINKES = "Dinas Komunikasi dan Informatika", "Dinas Kesehatan"

CLEAN = {
    "Dasar": [
        (nip(1), FORMULA_NAMES[0], KOMINFO, "IV.a", 9.5),
        (nip(2), FORMULA_NAMES[1], DINKES, "III.b", 8.5),
        (nip(3), FORMULA_NAMES[2], DINKES, "III.a", 5),
        (nip(4), FORMULA_NAMES[3], KOMINFO, "IV.a", 6.75),
        (nip(5), "budi santoso", DINKES, "IV.b", 8.5),  # same skor as "+1": nama decides
        (nip(6), "Ani Lestari", DINKES, "IV.b", 8.5),
        (nip(7), "Cici Rahayu", KOMINFO, "IV.a", 10),
        (nip(8), "Dedi Kurnia", KOMINFO, "III.a", None),
        (nip(9), "Eka Putri", DINKES, "III.a", 4.25),
        (nip(10, gender=2), "Fitri Handayani", KOMINFO, "IV.a", 9),
    ],
    "Lanjutan 1": [
        (nip(1), FORMULA_NAMES[0], KOMINFO, "IV.a", 7.5),
        (nip(7), "Cici Rahayu", KOMINFO, "IV.a", 9.25),
        (nip(10, gender=2), "Fitri Handayani", KOMINFO, "IV.a", 2),
    ],
}
# A peringatan (gender digit 3) in a row above two galat (scores that are no numbers), so
# that the input order alone would put the peringatan first.
MESSY = {
    "Dasar": [
        (nip(20, gender=3), "Gita Permata", KOMINFO, "IV.a", 8),
        (nip(21), "Hadi Wijaya", DINKES, "III.a", "sembilan"),
        (nip(22), FORMULA_NAMES[0], DINKES, "III.a", 11),
        (nip(23), "Indra Gunawan", KOMINFO, "IV.a", 9),
    ],
}


def write_scores(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> Path:
    return write_shared_scores(path, HEADER, sheets)


@dataclass
class Written:
    source: Path
    xlsx: Path
    document: dict[str, Any]
    sheets: dict[str, list[tuple[Any, ...]]]

    def book(self) -> Any:
        return load_workbook(self.xlsx)


def run_tier(folder: Path, sheets: dict[str, list[tuple[Any, ...]]], code: int) -> Written:
    source = write_scores(folder / "skor.xlsx", sheets)
    out_xlsx, out_json = folder / "laporan.xlsx", folder / "laporan.json"
    result = CliRunner().invoke(
        app, ["tier", str(source), "-o", str(out_xlsx), "-o", str(out_json)]
    )
    assert result.exit_code == code, result.output
    return Written(source, out_xlsx, json.loads(out_json.read_text(encoding="utf-8")), sheets)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return run_tier(tmp_path_factory.mktemp("bersih"), CLEAN, 0)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return run_tier(tmp_path_factory.mktemp("bermasalah"), MESSY, 1)


@pytest.fixture(scope="module")
def book(clean: Written) -> Any:
    return clean.book()


# --- sheets and numbers ----------------------------------------------------------------


def test_sheet_order(book: Any) -> None:
    assert book.sheetnames == ["Ringkasan", "Dasar", "Lanjutan 1", "Perlu Diperiksa", "Audit"]


def test_every_stage_count_on_ringkasan_matches_the_json(clean: Written, book: Any) -> None:
    summary = clean.document["ringkasan"]
    shown = read_summary(book["Ringkasan"])
    assert list(shown) == [s.replace("_", " ") for s in summary]
    for key, counts in summary.items():
        block = shown[key.replace("_", " ")]
        assert block["judul"] == counts["jumlah"]
        for name in (*DECISIONS, "jumlah", "sebaran", "sebaran_keputusan"):
            assert block[name] == counts[name], name


@pytest.mark.parametrize("key", ["per_eselon", "per_unit_kerja"])
def test_group_tables_on_ringkasan_match_the_json_and_add_up(
    clean: Written, book: Any, key: str
) -> None:
    shown = read_summary(book["Ringkasan"])
    for stage, counts in clean.document["ringkasan"].items():
        groups = shown[stage.replace("_", " ")][key]
        assert groups == counts[key]
        for decision in (*DECISIONS, "jumlah"):
            assert sum(g[decision] for g in groups.values()) == counts[decision]


# --- charts ----------------------------------------------------------------------------


def part_targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """The relationships of one part: id -> target part name."""
    source = PurePosixPath(part)
    rels = source.parent / "_rels" / f"{source.name}.rels"
    targets = {}
    for rel in ET.fromstring(archive.read(str(rels))):
        target = PurePosixPath(rel.get("Target", ""))
        if str(target).startswith("/"):
            targets[rel.get("Id", "")] = str(target).lstrip("/")
        else:
            targets[rel.get("Id", "")] = _normalise(source.parent / target)
    return targets


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for piece in path.parts:
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    sheet = next(s for s in workbook.iterfind("m:sheets/m:sheet", ns) if s.get("name") == name)
    return part_targets(archive, "xl/workbook.xml")[sheet.get(f"{{{ns['r']}}}id", "")]


def test_ringkasan_has_one_native_chart_per_stage(clean: Written, book: Any) -> None:
    stages = [s for s in ("dasar", "lanjutan_1", "lanjutan_2") if s in clean.document["ringkasan"]]
    assert len(book["Ringkasan"]._charts) == len(stages)
    with zipfile.ZipFile(clean.xlsx) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == len(stages)
        drawings = [
            t
            for t in part_targets(archive, sheet_part(archive, "Ringkasan")).values()
            if t.startswith("xl/drawings/")
        ]
        assert len(drawings) == 1
        assert sorted(part_targets(archive, drawings[0]).values()) == sorted(charts)


def test_each_chart_plots_its_stage_distribution_by_decision(clean: Written, book: Any) -> None:
    """Three stacked series (lanjut, tahan, berhenti), labelled, on an integer axis."""
    summary = book["Ringkasan"]
    stages = [s for s in ("dasar", "lanjutan_1", "lanjutan_2") if s in clean.document["ringkasan"]]
    with zipfile.ZipFile(clean.xlsx) as archive:
        for number, stage in enumerate(stages, start=1):
            xml = archive.read(f"xl/charts/chart{number}.xml").decode()
            assert '<c:grouping val="stacked"/>' in xml
            assert "<c:dLbls>" in xml and '<c:showVal val="1"/>' in xml
            assert '<c:numFmt formatCode="0"' in xml  # whole numbers on the axis
            references = re.findall(
                r"<c:val><c:numRef><c:f>Ringkasan!\$([A-Z])\$(\d+):\$[A-Z]\$(\d+)<", xml
            )
            assert [column for column, _, _ in references] == ["B", "C", "D"], xml
            for (column, first, last), decision in zip(references, SCORED, strict=True):
                plotted = {
                    summary.cell(r, 1).value: summary[f"{column}{r}"].value
                    for r in range(int(first), int(last) + 1)
                }
                expected = clean.document["ringkasan"][stage]["sebaran_keputusan"][decision]
                assert plotted == expected


# --- stage sheets ----------------------------------------------------------------------

STAGE_SHEETS = [("Dasar", "Dasar", "dasar"), ("Lanjutan 1", "Lanjutan 1", "lanjutan_1")]


@pytest.mark.parametrize(("sheet_name", "input_sheet", "stage"), STAGE_SHEETS)
def test_stage_sheet_prints_well(book: Any, sheet_name: str, input_sheet: str, stage: str) -> None:
    sheet = book[sheet_name]
    assert [c.value for c in sheet[1]] == STAGE_HEADER
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # None: the default, one page wide
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows.replace("$", "") == "1:1"
    footer = sheet.oddFooter
    footer_text = " ".join(p.text or "" for p in (footer.left, footer.center, footer.right))
    assert "&P" in footer_text and "&N" in footer_text


@pytest.mark.parametrize(("sheet_name", "input_sheet", "stage"), STAGE_SHEETS)
def test_stage_sheet_keeps_nip_text_and_decimal_scores(
    clean: Written, book: Any, sheet_name: str, input_sheet: str, stage: str
) -> None:
    written = {row[0]: row[4] for row in clean.sheets[input_sheet]}
    sheet = book[sheet_name]
    seen = {}
    for nip_cell, score_cell in zip(sheet["B"][1:], sheet["H"][1:], strict=True):
        assert nip_cell.data_type == "s"
        assert re.fullmatch(r"\d{18}", nip_cell.value)
        if score_cell.value is not None:
            assert score_cell.data_type == "n"
            assert isinstance(score_cell.value, int | float)
        seen[nip_cell.value] = score_cell.value
    assert seen == written


@pytest.mark.parametrize(("sheet_name", "input_sheet", "stage"), STAGE_SHEETS)
def test_stage_sheet_sorted_by_keputusan_skor_nama(
    clean: Written, book: Any, sheet_name: str, input_sheet: str, stage: str
) -> None:
    order = {DECISION_LABELS[d]: i for i, d in enumerate(DECISIONS)}
    table = list(rows(book[sheet_name]))[1:]
    keys = [(order[r[8]], -(r[7] if r[7] is not None else -1), r[2].casefold()) for r in table]
    assert keys == sorted(keys)
    assert [r[0] for r in table] == list(range(1, len(table) + 1))
    expected = [
        (p["nip"], DECISION_LABELS[p["keputusan"]])
        for p in clean.document["peserta"]
        if p["tahap"] == stage
    ]
    assert [(r[1], r[8]) for r in table] == expected


@pytest.mark.parametrize(("sheet_name", "input_sheet", "stage"), STAGE_SHEETS)
def test_each_keputusan_colours_its_rows(
    book: Any, sheet_name: str, input_sheet: str, stage: str
) -> None:
    from skorasn.reporting.xlsxstyle import FILLS

    sheet = book[sheet_name]
    colours = {}
    for ranges in sheet.conditional_formatting:
        assert str(ranges.sqref) == f"A2:L{sheet.max_row}"
        for rule in ranges.rules:
            label = re.fullmatch(r'\$I2="(.+)"', rule.formula[0]).group(1)
            colours[label] = rule.dxf.fill.bgColor.rgb[-6:]
    assert colours == {DECISION_LABELS[d]: c.lstrip("#").upper() for d, c in FILLS.items()}


# --- problems and audit ----------------------------------------------------------------


def test_perlu_diperiksa_lists_galat_before_peringatan(messy: Written) -> None:
    table = list(rows(messy.book()["Perlu Diperiksa"]))
    assert table[0][:2] == ("Tingkat", "Lokasi")
    levels = [row[0] for row in table[1:]]
    problems = messy.document["masalah"]
    assert sorted(levels) == sorted(p["tingkat"] for p in problems)
    assert {"galat", "peringatan"} <= set(levels)
    assert levels == sorted(levels, key=lambda level: level != "galat")
    # The input order differs, so the sheet really reorders.
    assert [p["tingkat"] for p in problems][0] == "peringatan"


@pytest.mark.parametrize("fixture", ["clean", "messy"])
def test_audit_holds_sha256_and_size_of_each_input(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    written: Written = request.getfixturevalue(fixture)
    table = list(rows(written.book()["Audit"]))
    start = next(
        i for i, row in enumerate(table) if row[:3] == ("Berkas", "SHA-256", "Ukuran (bita)")
    )
    files = {row[0]: (row[1], row[2]) for row in table[start + 1 :] if row[0]}
    data = written.source.read_bytes()
    assert files == {str(written.source): (hashlib.sha256(data).hexdigest(), len(data))}


@pytest.mark.parametrize("fixture", ["clean", "messy"])
def test_no_formula_anywhere_and_formula_like_names_survive(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    written: Written = request.getfixturevalue(fixture)
    book = written.book()
    names = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if sheet.title not in ("Ringkasan", "Perlu Diperiksa", "Audit"):
                    names.add(cell.value)
    written_names = {row[1] for rows_ in written.sheets.values() for row in rows_}
    assert set(FORMULA_NAMES) & written_names <= names
    with zipfile.ZipFile(written.xlsx) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(part)), part


# --- document properties ---------------------------------------------------------------


@pytest.fixture
def jakarta_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "WIB-7")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("jakarta_time")
def test_created_property_is_utc(tmp_path: Path) -> None:
    written = run_tier(tmp_path, {"Dasar": CLEAN["Dasar"][4:6]}, 0)
    book = written.book()
    stamp = dict(row[:2] for row in rows(book["Audit"]))["Waktu pembuatan"]
    local = dt.datetime.fromisoformat(stamp)
    assert local.utcoffset() == dt.timedelta(hours=7)
    utc = local.astimezone(dt.UTC).replace(tzinfo=None)
    assert book.properties.created == utc


# --- LibreOffice ----------------------------------------------------------------------

PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def to_pdf(source: Path, folder: Path, *options: str) -> Path | None:
    """Convert with a private profile, so a LibreOffice already running elsewhere is no bother."""
    soffice = shutil.which("soffice")
    assert soffice
    out = folder / source.suffix.lstrip(".")
    profile = (folder / "profil").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            *options,
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    pdf = out / f"{source.stem}.pdf"
    return pdf if pdf.exists() else None


@pytest.mark.slow
def test_libreoffice_prints_the_xlsx_and_the_html(clean: Written, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice tidak terpasang; uji cetak PDF dilewati")
    html = tmp_path / "laporan.html"
    result = CliRunner().invoke(app, ["tier", str(clean.source), "-o", str(html)])
    assert result.exit_code == 0, result.output
    xlsx_pdf = to_pdf(clean.xlsx, tmp_path)
    # Without LibreOffice Writer an HTML file loads only through Calc's HTML import.
    html_pdf = to_pdf(html, tmp_path) or to_pdf(html, tmp_path, "--infilter=HTML (StarCalc)")
    for pdf in (xlsx_pdf, html_pdf):
        assert pdf is not None
        assert len(PAGE.findall(pdf.read_bytes())) >= 1, pdf


@pytest.mark.slow
def test_the_example_workbook_prints_on_a_bounded_number_of_a4_pages(tmp_path: Path) -> None:
    """Every sheet fits the page width, so the pages are counted by rows, not by columns:
    the example's 203 participants and 14 problems print on a few pages, not dozens."""
    if shutil.which("soffice") is None:
        pytest.skip("soffice tidak terpasang; uji cetak PDF dilewati")
    from .conftest import CONTOH

    xlsx = tmp_path / "laporan.xlsx"
    result = CliRunner().invoke(
        app, ["tier", str(CONTOH / "nilai_pelatihan_ai_2025.xlsx"), "-q", "-o", str(xlsx)]
    )
    assert result.exit_code == 1, result.output
    pdf = to_pdf(xlsx, tmp_path)
    assert pdf is not None
    pages = len(PAGE.findall(pdf.read_bytes()))
    assert 5 <= pages <= 16, pages
