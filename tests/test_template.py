"""Tests for skorasn.template: the trainers' workbook, its round trip through `tier`, and
`--peserta`, which closes the loop tier → templat → trainers → tier."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel
from typer.testing import CliRunner

from skorasn.cli import app
from skorasn.models import Rules
from skorasn.names import HeaderVocabulary
from skorasn.reading.header import is_instructions_sheet, locate_header
from skorasn.reading.roster import read_participants
from skorasn.reporting.template import BLANK_ROWS, ESELON_CHOICES, HEADERS
from skorasn.vocabulary import INSTRUCTIONS_MARKER, INSTRUCTIONS_SHEET, SHEET_NAMES, STAGES
from skorasn.vocabulary import SHEET_NAMES as REPORT_SHEET_NAMES


def write_template(path, stages, peserta, rules):
    """The template as `skorasn templat` makes it, returning the masalah of --peserta."""
    from skorasn.core.templat import make_template

    return make_template(path, stages, peserta, rules)


ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SKORASN_DEBUG": None}
PETUNJUK_SKIPPED = "lembar dilewati"


def run(*args: object, cwd: Path | None = None) -> object:
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(app, [str(a) for a in args], env=ENV)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, [str(a) for a in args], env=ENV)
    finally:
        os.chdir(old)


def nip(number: int, gender: int = 1) -> str:
    """A plausible 18-digit NIP: born 1990-01-01, appointed in January 2015 (or later)."""
    return f"19900101{2015 + number // 1000}01{gender}{number % 1000:03d}"


def tier_json(*inputs: Path, extra: tuple[str, ...] = ()) -> dict:
    result = run("tier", *inputs, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def decisions(document: dict) -> dict[tuple[str, str], str]:
    return {(p["tahap"], p["nip"]): p["keputusan"] for p in document["peserta"]}


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    path = tmp_path / "templat.xlsx"
    assert write_template(path, STAGES, None, Rules()) == []
    return path


# The unit kerja and jabatan fill() types on every row.
UNIT, JABATAN = "Dinas Komunikasi dan Informatika", "Kepala Seksi"


def fill(path: Path, sheet: str, rows: list[tuple]) -> None:
    """Type rows as a trainer would: (nip, nama, eselon, tanggal, skor1, skor2, keterangan)."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    start = next(r for r in range(2, ws.max_row + 2) if ws.cell(r, 2).value is None)
    for offset, (number, name, eselon, date, first, second, note) in enumerate(rows):
        row = start + offset
        values = [row - 1, number, name, eselon, UNIT, JABATAN, date, first, second, note]
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row, column).value = value
    book.save(path)


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [
        row
        for row in ws.iter_rows(min_row=2, max_col=len(HEADERS), values_only=True)
        if any(v is not None for v in row[1:])
    ]


# --- structure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stages", "sheets"),
    [
        (STAGES, ["Petunjuk", "Dasar", "Lanjutan 1", "Lanjutan 2"]),
        (("lanjutan_1",), ["Petunjuk", "Lanjutan 1"]),
        (("dasar", "lanjutan_2"), ["Petunjuk", "Dasar", "Lanjutan 2"]),
    ],
)
def test_one_sheet_per_stage_after_the_instructions(tmp_path, stages, sheets):
    path = tmp_path / "t.xlsx"
    write_template(path, stages, None, Rules())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == sheets
    assert book.active.title == INSTRUCTIONS_SHEET
    assert all(ws.sheet_state == "visible" for ws in book.worksheets)


def test_sheet_names_are_the_reports_names():
    """The report's stage sheets and the template's must agree, or the loop breaks."""
    assert SHEET_NAMES == REPORT_SHEET_NAMES


def test_header_row_formats_and_panes(blank):
    book = openpyxl.load_workbook(blank)
    for stage in STAGES:
        ws = book[SHEET_NAMES[stage]]
        assert [c.value for c in ws[1]] == list(HEADERS)
        assert HEADERS == ("No", "NIP", "Nama", "Eselon", "Unit Kerja", "Jabatan", "Tanggal",
                           "Skor Pelatih 1", "Skor Pelatih 2", "Keterangan")  # fmt: skip
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        assert all(c.fill.fill_type == "solid" for c in ws[1])
        assert [ws.cell(r, 2).number_format for r in range(1, BLANK_ROWS + 2)] == ["@"] * (
            BLANK_ROWS + 1
        )
        assert {ws.cell(r, 7).number_format for r in range(2, BLANK_ROWS + 2)} == {"dd/mm/yyyy"}
        assert ws.column_dimensions["B"].width >= 20  # 18 digits visible
        assert ws.column_dimensions["C"].width >= 25


def validations(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {str(v.sqref): v for v in ws.data_validations.dataValidation}


@pytest.mark.parametrize(
    ("sqref", "kind", "operator", "formula1", "formula2", "words"),
    [
        ("H2:H1001 I2:I1001", "decimal", "between", "0", "10", ("0 sampai 10", "8,5")),
        ("D2:D1001", "list", None, '"' + ",".join(ESELON_CHOICES) + '"', None, ("daftar",)),
        (
            "G2:G1001",
            "date",
            "between",
            str(int(to_excel(dt.datetime(2020, 1, 1)))),
            str(int(to_excel(dt.datetime(2099, 12, 31)))),
            ("tanggal", "07/10/2025"),
        ),
        ("B2:B1001", "textLength", "equal", "18", None, ("18 digit",)),
    ],
)
def test_data_validation(blank, sqref, kind, operator, formula1, formula2, words):
    for stage in STAGES:
        found = validations(blank, SHEET_NAMES[stage])
        assert sqref in found, found.keys()
        rule = found[sqref]
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == (
            kind,
            operator,
            formula1,
            formula2,
        )
        assert rule.errorStyle == "stop"
        assert rule.showErrorMessage and rule.allow_blank
        assert rule.errorTitle and len(rule.errorTitle) <= 32  # Excel's limit
        assert len(rule.error) <= 255 and len(rule.prompt) <= 255
        assert all(word in rule.error for word in words), rule.error
        assert "tidak sah" in rule.errorTitle


def test_eselon_choices():
    assert ESELON_CHOICES == ("II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b")


def test_validation_reaches_every_formatted_row_of_a_long_list(tmp_path):
    roster = tmp_path / "daftar.csv"
    roster.write_text(
        "NIP;Nama\n" + "".join(f"{nip(i)};Peserta {i}\n" for i in range(1200)), encoding="utf-8"
    )
    path = tmp_path / "t.xlsx"
    write_template(path, ("dasar",), roster, Rules())
    ws = openpyxl.load_workbook(path)["Dasar"]
    assert ws.cell(1201, 2).value == nip(1199)
    last = 1 + 1200 + 200
    assert ws.cell(last, 2).number_format == "@"
    assert f"H2:H{last} I2:I{last}" in validations(path, "Dasar")


def test_instructions_sheet(blank):
    ws = openpyxl.load_workbook(blank)[INSTRUCTIONS_SHEET]
    assert ws["A1"].value == INSTRUCTIONS_MARKER
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for phrase in (
        "18 digit",
        "Teks",
        "0 sampai 10",
        "8,5",
        "Tanggal yang berbeda",
        "Keterangan",
        "Boleh dikosongkan",
        "judul kolom",
        "menyembunyikan lembar",
        "9 ke atas",
        "5 ke bawah",
        "rata-rata",
        "'Dasar', 'Lanjutan 1', 'Lanjutan 2'",
    ):
        assert phrase in text, phrase


def test_instructions_follow_the_rules_in_force(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path, ("dasar",), None, Rules(lanjut_min=8.5, berhenti_maks=4, gabung="median"))
    ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "8,5 ke atas" in text and "4 ke bawah" in text and "median" in text
    assert "'Dasar'" in text and "Lanjutan 1" not in text


def test_instructions_sheet_holds_no_score_table(blank):
    """Nothing on the Petunjuk sheet may look like a header row to the reader."""
    import python_calamine

    rows = (
        python_calamine.CalamineWorkbook.from_path(str(blank))
        .get_sheet_by_name(INSTRUCTIONS_SHEET)
        .to_python()
    )
    assert rows[0][0] == INSTRUCTIONS_MARKER
    assert locate_header(rows, HeaderVocabulary.build()) is None
    vocabulary = HeaderVocabulary.build()
    assert [cell for row in rows for cell in row if vocabulary.classify(cell)] == []


@pytest.mark.parametrize(
    ("name", "rows", "expected"),
    [
        ("Petunjuk", [[INSTRUCTIONS_MARKER, ""]], True),
        ("Petunjuk", [["PETUNJUK PENGISIAN REKAP NILAI"]], False),  # someone else's instructions
        ("Dasar", [[INSTRUCTIONS_MARKER]], False),
        ("Petunjuk", [], False),
        ("Petunjuk", [[]], False),
        (None, [[INSTRUCTIONS_MARKER]], False),
    ],
)
def test_is_instructions_sheet(name, rows, expected):
    assert is_instructions_sheet(name, rows) is expected


# --- round trip --------------------------------------------------------------------------

DATE_1, DATE_2 = dt.datetime(2025, 10, 7), dt.datetime(2025, 10, 21)
DASAR_ROWS = [
    (nip(1), "Ani Suryani, S.Kom.", "III.a", DATE_1, 9.5, 9, "lanjut"),  # 9.25
    (nip(2), "Budi Santoso", "IV.b", DATE_1, 8.5, 7, None),  # 7.75 tahan …
    (nip(3), "Cucu Cahyati", "IV.a", DATE_1, 4, 5.5, "berhenti"),  # 4.75
    (nip(4), "Dedi Mulyadi, S.E.", "III.b", DATE_1, 9, 9, None),  # 9: boundary
    (nip(5), "Euis Komariah", "II.b", DATE_1, 5, 5, None),  # 5: boundary
    (nip(6, 2), "Fitri Handayani", "IV.a", DATE_1, 6.25, 6.75, "tahan"),  # 6.5
    (nip(2), "Budi Santoso", "IV.b", DATE_2, 9, 10, None),  # … then a retake: 9.5
]
DASAR_DECISIONS = {
    nip(1): "lanjut",
    nip(2): "lanjut",
    nip(3): "berhenti",
    nip(4): "lanjut",
    nip(5): "berhenti",
    nip(6, 2): "tahan",
}


def test_round_trip_through_tier(tmp_path):
    path = tmp_path / "nilai.xlsx"
    result = run("templat", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Templat ditulis: {path}\n"
    fill(path, "Dasar", DASAR_ROWS)
    fill(
        path,
        "Lanjutan 1",
        [
            (nip(1), "Ani Suryani, S.Kom.", "III.a", DATE_2, 9.5, 10, None),
            (nip(4), "Dedi Mulyadi, S.E.", "III.b", DATE_2, 7, 8, None),
        ],
    )

    document = tier_json(path)
    assert decisions(document) == {
        **{("dasar", n): d for n, d in DASAR_DECISIONS.items()},
        ("lanjutan_1", nip(1)): "lanjut",
        ("lanjutan_1", nip(4)): "tahan",
    }
    assert document["masalah"] == []
    by_nip = {(p["tahap"], p["nip"]): p for p in document["peserta"]}
    ani = by_nip[("dasar", nip(1))]
    assert (ani["skor"], ani["skor_pelatih"], ani["tanggal"], ani["eselon"]) == (
        9.25,
        [9.5, 9],
        "2025-10-07",
        "III.a",
    )
    budi = by_nip[("dasar", nip(2))]
    assert (budi["skor"], budi["tanggal"]) == (9.5, "2025-10-21")
    assert [(h["tanggal"], h["keputusan"]) for h in budi["riwayat"]] == [("2025-10-07", "tahan")]


def test_rules_file_is_used_by_templat(tmp_path):
    (tmp_path / "skorasn.toml").write_text("lanjut_min = 8.5\n", encoding="utf-8")
    result = run("templat", "t.xlsx", "--tahap", "dasar", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")[INSTRUCTIONS_SHEET]
    assert any("8,5 ke atas" in str(c.value) for row in ws.iter_rows() for c in row)


# --- --peserta ---------------------------------------------------------------------------


@pytest.fixture
def scored(tmp_path: Path) -> Path:
    """A filled template for Dasar and Lanjutan 1 (see DASAR_ROWS for the Dasar decisions)."""
    path = tmp_path / "nilai.xlsx"
    write_template(path, ("dasar", "lanjutan_1"), None, Rules())
    fill(path, "Dasar", DASAR_ROWS)
    fill(path, "Lanjutan 1", [(nip(1), "Ani Suryani, S.Kom.", "III.a", DATE_2, 9.5, 10, None)])
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_peserta_from_a_report_takes_the_lanjut_onto_the_next_stage(tmp_path, scored, suffix):
    report = tmp_path / f"hasil{suffix}"
    result = run("tier", scored, "-o", report, "-q")
    assert result.exit_code == 0, result.output

    target = tmp_path / "berikut.xlsx"
    result = run("templat", target, "--peserta", report)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Templat ditulis: {target}\n"  # not one masalah
    # Dasar: nobody; Lanjutan 1: lanjut in Dasar, sorted by name (Ani passed Lanjutan 1
    # already); Lanjutan 2: lanjut in Lanjutan 1.
    assert sheet_rows(target, "Dasar") == []
    assert sheet_rows(target, "Lanjutan 1") == [
        (1, nip(2), "Budi Santoso", "IV.b", UNIT, JABATAN, None, None, None, None),
        (2, nip(4), "Dedi Mulyadi, S.E.", "III.b", UNIT, JABATAN, None, None, None, None),
    ]
    assert [row[1:3] for row in sheet_rows(target, "Lanjutan 2")] == [
        (nip(1), "Ani Suryani, S.Kom.")
    ]


def test_peserta_only_onto_the_stages_asked_for(tmp_path, scored):
    report = tmp_path / "hasil.xlsx"
    assert run("tier", scored, "-o", report, "-q").exit_code == 0
    target = tmp_path / "berikut.xlsx"
    result = run("templat", target, "--tahap", "lanjutan_2", "--peserta", report)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).sheetnames == ["Petunjuk", "Lanjutan 2"]
    assert [row[1] for row in sheet_rows(target, "Lanjutan 2")] == [nip(1)]


def test_the_loop_closes(tmp_path, scored):
    """tier → templat --peserta → trainers fill in scores → tier: decisions, no masalah."""
    report = tmp_path / "hasil.xlsx"
    assert run("tier", scored, "-o", report, "-q").exit_code == 0
    second = tmp_path / "lanjutan1.xlsx"
    assert run("templat", second, "--tahap", "lanjutan_1", "--peserta", report).exit_code == 0

    book = openpyxl.load_workbook(second)
    ws = book["Lanjutan 1"]
    for row, (first, other) in zip((2, 3), ((9, 9.5), (3, 4.5)), strict=True):
        ws.cell(row, 7).value = dt.datetime(2025, 11, 4)
        ws.cell(row, 8).value, ws.cell(row, 9).value = first, other
    book.save(second)

    document = tier_json(scored, second)
    assert decisions(document)[("lanjutan_1", nip(2))] == "lanjut"
    assert decisions(document)[("lanjutan_1", nip(4))] == "berhenti"
    assert document["masalah"] == []


def test_report_with_nobody_lanjut_gives_a_blank_template_and_says_so(tmp_path):
    scores = tmp_path / "nilai.xlsx"
    write_template(scores, ("dasar",), None, Rules())
    fill(scores, "Dasar", [(nip(1), "Ani", "III.a", DATE_1, 7, 7, None)])
    report = tmp_path / "hasil.xlsx"
    assert run("tier", scores, "-o", report, "-q").exit_code == 0
    target = tmp_path / "t.xlsx"
    result = run("templat", target, "--peserta", report)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        f"{report}  peringatan  tidak ada peserta yang disalin"
    )
    assert all(sheet_rows(target, SHEET_NAMES[s]) == [] for s in STAGES)


SPACED = f"'{nip(2)[:8]} {nip(2)[8:14]} {nip(2)[14]} {nip(2)[15:]}"  # '19900101 201501 1 002
ROSTER = (
    "No;NIP;Nama Lengkap;Eselon;OPD;Jabatan\n"
    f"1;{nip(1)};Ani Suryani;III/a;Diskominfo;Kepala Seksi\n"
    f"2;{SPACED};Budi;IV B;Dinkes;Staf\n"
    "3;19900101201501100;Cucu;Eselon 5;Bappeda;Staf\n"
    "4;;Dedi;;;\n"
    f"5;{nip(1)};Ani Suryani;III.a;Diskominfo;Kepala Seksi\n"
    '6;;=HYPERLINK("http://x");;;\n'
    ";;JUMLAH;;;\n"
)


def test_peserta_from_a_plain_roster(tmp_path):
    roster = tmp_path / "daftar.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    path = tmp_path / "t.xlsx"
    problems = write_template(path, STAGES, roster, Rules())
    # No stage named anywhere: the roster goes onto the template's first stage only.
    rows = sheet_rows(path, "Dasar")
    assert [row[:6] for row in rows] == [
        (1, nip(1), "Ani Suryani", "III.a", "Diskominfo", "Kepala Seksi"),
        (2, nip(2), "Budi", "IV.b", "Dinkes", "Staf"),
        (3, None, "Cucu", "Eselon 5", "Bappeda", "Staf"),
        (4, None, "Dedi", None, None, None),
        (5, None, '=HYPERLINK("http://x")', None, None, None),
    ]
    assert sheet_rows(path, "Lanjutan 1") == sheet_rows(path, "Lanjutan 2") == []
    ws = openpyxl.load_workbook(path)["Dasar"]
    assert ws["C6"].data_type == "s"  # a name never becomes a formula
    found = {(p.baris, p.kolom, p.tingkat): p.pesan for p in problems}
    assert set(found) == {
        (4, "B", "galat"),
        (4, "D", "peringatan"),
        (5, "B", "peringatan"),
        (6, "B", "peringatan"),
        (7, "B", "peringatan"),
    }
    assert "NIP '19900101201501100' tidak sah: harus 18 digit" in found[(4, "B", "galat")]
    assert "nama disalin tanpa NIP" in found[(4, "B", "galat")]
    assert "sudah disalin ke lembar Dasar" in found[(6, "B", "peringatan")]
    assert all(p.berkas == str(roster) and p.lembar is None for p in problems)


def test_peserta_roster_rows_go_to_the_stage_they_name(tmp_path):
    roster = tmp_path / "daftar.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Daftar"
    ws.append(["NIP", "Nama", "Tahap"])
    ws.append([nip(1), "Ani", "Lanjutan I"])
    ws.append([nip(2), "Budi", "dasar"])
    ws.append([nip(3), "Cucu", "Lanjutan 3"])
    book.create_sheet("Lanjutan 2").append(["Nama Peserta", "NIP"])
    book["Lanjutan 2"].append(["Dedi", nip(4)])
    book.create_sheet("Catatan").append(["hanya catatan"])
    book.save(roster)

    path = tmp_path / "t.xlsx"
    problems = write_template(path, STAGES, roster, Rules())
    assert [row[1:3] for row in sheet_rows(path, "Dasar")] == [(nip(2), "Budi")]
    assert [row[1:3] for row in sheet_rows(path, "Lanjutan 1")] == [(nip(1), "Ani")]
    assert [row[1:3] for row in sheet_rows(path, "Lanjutan 2")] == [(nip(4), "Dedi")]
    assert [(p.lokasi, p.tingkat) for p in problems] == [
        (f"{roster}:Catatan", "peringatan"),
        (f"{roster}:Daftar!C4", "peringatan"),
    ]


def test_peserta_can_be_a_filled_template(scored):
    """A template's own Petunjuk sheet is skipped without a word; a retake is copied once."""
    roster, problems = read_participants(scored, STAGES, Rules())
    assert [p.nip for p in roster["dasar"]] == [nip(1), nip(2), nip(3), nip(4), nip(5), nip(6, 2)]
    assert [p.nip for p in roster["lanjutan_1"]] == [nip(1)]
    assert [(p.lokasi, p.tingkat) for p in problems] == [(f"{scored}:Dasar!B8", "peringatan")]
    assert "sudah disalin ke lembar Dasar" in problems[0].pesan


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("hilang.xlsx", None, 2, "berkas tidak ditemukan"),
        ("daftar.txt", "NIP;Nama\n", 2, "jenis berkas tidak didukung"),
        ("daftar.csv", "Judul;Lain\n1;2\n", 1, "tidak ada tabel peserta"),
        ("rusak.xlsx", "bukan zip", 1, "--peserta"),
    ],
)
def test_peserta_that_cannot_be_used_is_an_error(tmp_path, name, content, code, message):
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    target = tmp_path / "t.xlsx"
    result = run("templat", target, "--peserta", source)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert not target.exists()


# --- LibreOffice -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="soffice (LibreOffice) tidak ada di PATH; validasi dalam .ods tidak dapat diperiksa",
)
def test_validation_survives_libreoffice(tmp_path, scored):
    profile = (tmp_path / "lo-profile").as_uri()
    completed = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path / "ods"),
            str(scored),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    converted = tmp_path / "ods" / "nilai.ods"
    assert converted.is_file(), completed.stdout + completed.stderr
    with zipfile.ZipFile(converted) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert "table:content-validation " in content
    assert re.search(r"cell-content-is-between\(0[,;]10\)", content)
    assert "cell-content-is-decimal-number()" in content

    document = tier_json(converted)
    assert {n: d for (s, n), d in decisions(document).items() if s == "dasar"} == DASAR_DECISIONS
    assert document["masalah"] == []
