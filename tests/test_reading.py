"""Reading: messy spreadsheets in, one normalised table and located problems out."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from skorasn.models import Rules
from skorasn.names import HeaderVocabulary, fold, normalise_eselon, parse_stage, stage_table
from skorasn.reading import discover, read_inputs
from skorasn.reading.normalise import normalise_nip, normalise_score

from .conftest import CONTOH, nip

TITLE = [["REKAP NILAI PELATIHAN AI"], ["PEMERINTAH KOTA SUKABUMI"], []]
HEADER = ["No", "NIP", "Nama", "Unit Kerja", "Skor"]


def read(*paths: Path, rules: Rules | None = None, stage: str | None = None) -> Any:
    return read_inputs(discover(list(paths)), rules or Rules(), default_stage=stage)


def messages(result: Any) -> list[tuple[str | None, str | None, int | None, str]]:
    return [(p.lembar, p.kolom, p.baris, p.tingkat) for p in result.problems]


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("NIP", "nip"),
        ("N I P", "nip"),
        ("Nip Baru", "nip"),
        ("Nomor Induk Pegawai", "nip"),
        ("NAMA  LENGKAP", "nama"),
        ("nama_peserta", "nama"),
        ("Name", "nama"),
        ("Nama\u00a0Pegawai", "nama"),
        ("Nilai\u00a0Akhir", "skor"),
        ("SKOR", "skor"),
        ("score", "skor"),
        ("Skor\u200bAkhir", "skor"),
        ("Tahap Pelatihan", "tahap"),
        ("Jenjang", "tahap"),
        ("OPD", "unit_kerja"),
        ("Perangkat Daerah", "unit_kerja"),
        ("S.K.P.D.", "unit_kerja"),
        ("Tgl.", "tanggal"),
        ("Keterangan", "keterangan"),
        ("Status", "keterangan"),
        ("Skor Pelatih 1", "pelatih"),
        ("Nilai Penilai 2", "pelatih"),
        ("Nilai Juri 3", "pelatih"),
        ("Skor 2", "pelatih"),
        ("Skor Pelatih", "pelatih"),
        ("No", None),
        ("Tanda Tangan", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_header_names(header: object, column: str | None) -> None:
    assert HeaderVocabulary.build().classify(header) == column


def test_extra_aliases_from_rules() -> None:
    vocabulary = HeaderVocabulary.build({"nip": ("nomor pegawai",)})
    assert vocabulary.classify("Nomor Pegawai") == "nip"


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Dasar", "dasar"),
        ("TAHAP DASAR", "dasar"),
        ("Tingkat Dasar", "dasar"),
        ("Lanjutan I", "lanjutan_1"),
        ("lanjutan 1", "lanjutan_1"),
        ("Lanjutan-1", "lanjutan_1"),
        ("tahap lanjutan pertama", "lanjutan_1"),
        ("Lanjutan Satu", "lanjutan_1"),
        ("lanjutan_1", "lanjutan_1"),
        ("Lanjutan II", "lanjutan_2"),
        ("LANJUTAN 2", "lanjutan_2"),
        ("Lanjutan Kedua", "lanjutan_2"),
        ("lanjutan dua", "lanjutan_2"),
        ("Lanjutan III", None),
        ("Petunjuk", None),
        ("", None),
    ],
)
def test_stage_spellings(text: str, stage: str | None) -> None:
    assert parse_stage(text, stage_table()) == stage


@pytest.mark.parametrize(
    ("text", "eselon"),
    [
        ("III.a", "III.a"),
        ("III/a", "III.a"),
        ("IIIA", "III.a"),
        ("III A", "III.a"),
        ("3a", "III.a"),
        ("III-a", "III.a"),
        ("iv.b", "IV.b"),
        ("2B", "II.b"),
        ("I/a", "I.a"),
        ("Eselon IV.a", "IV.a"),
        ("III", None),
        ("V.a", None),
        ("staf", None),
    ],
)
def test_eselon(text: str, eselon: str | None) -> None:
    assert normalise_eselon(text) == eselon


def test_fold_removes_invisible_characters() -> None:
    assert fold("\ufeffNilai\u00a0Akhir\u200b ") == "nilaiakhir"


# --- cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected", "code"),
    [
        ("198001012005011001", "198001012005011001", None),
        ("19800101 200501 1 001", "198001012005011001", None),
        ("19800101.200501.1.001", "198001012005011001", None),
        ("19800101-200501-1-001", "198001012005011001", None),
        ("'198001012005011001", "198001012005011001", None),
        (" 198001012005011001\u00a0", "198001012005011001", None),
        (1.98001012005011e17, None, "angka16"),
        (198001012005011.0, None, "angka"),
        ("1,98001E+17", None, "ilmiah"),
        ("19800101200501100", None, "format"),
        ("1980010120050110011", None, "format"),
        ("19800101200501100X", None, "format"),
        ("", None, "kosong"),
    ],
)
def test_nip_cells(cell: object, expected: str | None, code: str | None) -> None:
    value, problem, _ = normalise_nip(pd.Series([cell], dtype=object))
    assert value.tolist() == [expected]
    assert problem.tolist() == [code]


@pytest.mark.parametrize(
    ("cell", "expected", "code"),
    [
        (9.0, 9.0, None),
        (8.5, 8.5, None),
        ("8,5", 8.5, None),
        (" 9 ", 9.0, None),
        ("9.25", 9.25, None),
        ("10", 10.0, None),
        ("0", 0.0, None),
        ("", None, None),
        ("sembilan", None, "teks"),
        (11.0, None, "rentang"),
        ("-1", None, "teks"),
        (-0.5, None, "rentang"),
        (True, None, "jenis"),
        (dt.date(2025, 1, 1), None, "jenis"),
        ("#N/A", None, "galat_sel:#N/A"),
    ],
)
def test_score_cells(cell: object, expected: float | None, code: str | None) -> None:
    value, problem, _ = normalise_score(pd.Series([cell], dtype=object), {})
    assert [None if v != v else v for v in value] == [expected]
    assert problem.tolist() == [code]


# --- whole sheets --------------------------------------------------------------------------


def test_header_below_title_rows_and_merged_cells(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Lanjutan I"
    sheet.append(["REKAP NILAI"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["Periode: November 2025"])
    sheet.merge_cells("A3:E3")
    sheet.append(HEADER)
    sheet.append([1, nip(1), "Ani", "Diskominfo", "9,5"])
    sheet.append([2, "19800101 200501 1 002", "Budi", "Bappeda", 7])
    path = tmp_path / "judul.xlsx"
    book.save(path)

    result = read(path)
    assert result.problems == []
    frame = result.rows
    assert frame["nip"].tolist() == [nip(1), nip(2)]
    assert frame["skor_akhir"].tolist() == [9.5, 7.0]
    assert frame["tahap"].tolist() == ["lanjutan_1"] * 2
    assert frame["sumber"].tolist() == [f"{path}:Lanjutan I!5", f"{path}:Lanjutan I!6"]


def test_problems_name_file_sheet_and_cell(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx(
        {
            "Dasar": [
                *TITLE,
                HEADER,
                [1, nip(1), "Ani", "Dinas", "sembilan"],
                [2, 1.98001012005011e17, "Budi", "Dinas", 9],
                [3, nip(3), "Cici", "Dinas", 12],
            ]
        }
    )
    result = read(path)
    problems = {(p.lokasi, p.tingkat) for p in result.problems}
    assert problems == {
        (f"{path}:Dasar!E5", "galat"),
        (f"{path}:Dasar!B6", "galat"),
        (f"{path}:Dasar!E7", "galat"),
    }
    assert result.rows["cacat"].tolist() == [True, True, True]
    number = next(p for p in result.problems if p.kolom == "B")
    assert "Teks" in number.pesan and "ketik ulang" in number.pesan


def test_excel_error_cell_is_a_galat_not_a_blank(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(HEADER)
    sheet.append([1, nip(1), "Ani", "Dinas", None])
    sheet["E2"].value = "#N/A"
    sheet["E2"].data_type = "e"
    sheet.append([2, nip(2), "Budi", "Dinas", None])
    path = tmp_path / "galat.xlsx"
    book.save(path)

    result = read(path)
    assert [(p.lokasi, p.tingkat) for p in result.problems] == [(f"{path}:Dasar!E2", "galat")]
    assert "#N/A" in result.problems[0].pesan
    assert result.rows["cacat"].tolist() == [True, False]


@pytest.mark.parametrize("error", ["#N/A", "#VALUE!", "#DIV/0!"])
def test_error_cells_outside_the_scores_are_named(tmp_path: Path, error: str) -> None:
    """Read as empty by the readers: a peringatan at the cell in Nama, Unit Kerja and
    Tanggal; a galat in Tahap, and the row is periksa even when --tahap gives a stage."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nilai"
    sheet.append(["NIP", "Nama", "Unit Kerja", "Tahap", "Tanggal", "Skor"])
    sheet.append([nip(1), "Ani", "Dinas", "dasar", "01/10/2025", 9])
    sheet.append([nip(2), "Budi", "Dinas", "dasar", "01/10/2025", 9])
    sheet.append([nip(3), "Cici", "Dinas", "dasar", "01/10/2025", 9])
    sheet.append([nip(4), "Dedi", "Dinas", "dasar", "01/10/2025", 9])
    for cell in ("B2", "C3", "D4", "E5"):
        sheet[cell].value = error
        sheet[cell].data_type = "e"
    path = tmp_path / "galat_sel.xlsx"
    book.save(path)

    result = read(path, stage="dasar")
    found = {(p.kolom, p.baris): (p.tingkat, p.pesan) for p in result.problems}
    assert set(found) == {("B", 2), ("C", 3), ("D", 4), ("E", 5)}
    assert [found[k][0] for k in sorted(found)] == [
        "peringatan",
        "peringatan",
        "galat",
        "peringatan",
    ]
    assert all(f"galat Excel {error}, jadi terbaca kosong" in m for _, m in found.values())
    assert result.rows["cacat"].tolist() == [False, False, True, False]


def test_a_trainer_column_of_error_cells_only_is_a_galat_on_each_row(tmp_path: Path) -> None:
    """Not a column nobody used: each #N/A is a galat, and no one is decided on the other
    trainer's score alone."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Skor Pelatih 1", "Skor Pelatih 2"])
    for number, score in ((1, 9), (2, 4)):
        sheet.append([nip(number), f"Peserta {number}", "#N/A", score])
        sheet.cell(sheet.max_row, 3).data_type = "e"
    path = tmp_path / "pelatih_galat.xlsx"
    book.save(path)

    result = read(path)
    assert [(p.kolom, p.baris, p.tingkat) for p in result.problems] == [
        ("C", 2, "galat"),
        ("C", 3, "galat"),
    ]
    assert result.rows["skor_cacat"].tolist() == [True, True]


def test_an_error_cell_in_the_nip_column_is_named_as_what_it_is(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Skor"])
    sheet.append(["#N/A", "Ani", 9])
    sheet["A2"].data_type = "e"
    sheet.append([None, "Budi", 9])
    path = tmp_path / "nip_galat.xlsx"
    book.save(path)

    result = read(path)
    said = {p.baris: (p.kolom, p.tingkat, p.pesan) for p in result.problems}
    assert said[2][:2] == ("A", "galat") and "sel NIP berisi galat Excel #N/A" in said[2][2]
    assert said[3][:2] == ("A", "galat") and said[3][2].startswith("NIP kosong")
    assert result.rows["cacat"].tolist() == [True, True]


def test_two_columns_for_one_deciding_field_must_agree(write_xlsx: Callable[..., Path]) -> None:
    """The first column is read; the second is named, and a row where they differ is
    periksa with a galat at the other cell."""
    path = write_xlsx(
        {
            "Dasar": [
                ["NIP", "Nama", "Nilai", "Skor Akhir", "Keterangan", "Status"],
                [nip(1), "Ani", 9, 4, "catatan", "LULUS"],
                [nip(2), "Budi", 8.5, "8,5", None, None],
                [nip(3), "Cici", None, 9, None, None],
            ]
        }
    )
    result = read(path)
    found = [(p.kolom, p.baris, p.tingkat) for p in result.problems]
    assert ("D", 1, "peringatan") in found and ("F", 1, "peringatan") in found
    assert [(k, b) for k, b, level in found if level == "galat"] == [("D", 2), ("D", 4)]
    galat = next(p for p in result.problems if p.baris == 2 and p.tingkat == "galat")
    assert "kolom C dan D sama-sama berarti Skor" in galat.pesan and "(9 dan 4)" in galat.pesan
    assert result.rows["cacat"].tolist() == [True, False, True]


def test_footer_and_signature_are_not_participants(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx(
        {
            "Dasar": [
                *TITLE,
                HEADER + ["Skor Pelatih 1"],
                [1, nip(1), "Ani", "Dinas", 9, 9],
                [2, nip(2), "Budi", "Dinas", 7, 7],
                ["JUMLAH", None, "2 orang", None, 16, "Rata-rata"],
                [],
                [None, None, None, None, None, "Sukabumi, 7 November 2025"],
                [None, None, None, None, None, "Kepala BKPSDM Kota Sukabumi"],
                [None, None, None, None, None, "Dr. H. Yudi, M.Si."],
                [None, None, None, None, None, "NIP. 197005121995031002"],
            ]
        }
    )
    result = read(path)
    assert result.rows["nama"].tolist() == ["Ani", "Budi"]
    assert result.problems == []


@pytest.mark.parametrize("total", ["JUMLAH", "Total nilai", "Rata-rata"])
def test_scored_rows_below_a_total_line_are_named_not_dropped(
    write_xlsx: Callable[..., Path], total: str
) -> None:
    """Below a total line only rows with a NIP are people; rows with a score and no NIP
    there are not read, and one peringatan names each of them."""
    rows = [
        HEADER,
        [1, nip(1), "Ani", "Dinas", 9],
        [None, None, total, None, 9],
        [None, None, "Peserta susulan:", None, None],
        [3, "", "Gita", "Dinas", 9],
        [4, "-", "Hadi", "Dinas", 3],
        [5, nip(5), "Eka", "Dinas", 8],
        [None, None, "Mengetahui", None, None],
        [None, None, "NIP. 197005121995031002", None, None],
    ]
    result = read(write_xlsx({"Dasar": rows}))
    assert result.rows["nama"].tolist() == ["Ani", "Eka"]
    (problem,) = result.problems
    assert (problem.lembar, problem.baris, problem.tingkat) == ("Dasar", 5, "peringatan")
    assert "baris 5, 6 ada di bawah baris jumlah (baris 3)" in problem.pesan
    assert "isi NIP-nya" in problem.pesan


def test_name_and_score_without_nip_is_flagged(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx(
        {"Dasar": [HEADER, [1, None, "Dedi", "Dinas", 8], [2, None, "Tanpa Skor", "Dinas", None]]}
    )
    result = read(path)
    assert result.rows["nama"].tolist() == ["Dedi"]
    assert [(p.kolom, p.baris, p.tingkat) for p in result.problems] == [("B", 2, "galat")]


@pytest.mark.parametrize(
    ("sheet", "column", "option", "expected"),
    [
        ("Dasar", None, None, "dasar"),
        ("Sheet1", "Lanjutan II", None, "lanjutan_2"),
        ("Lanjutan 1", "Dasar", None, "dasar"),
        ("Sheet1", None, "lanjutan_1", "lanjutan_1"),
        ("Lanjutan 1", None, "dasar", "lanjutan_1"),
    ],
)
def test_stage_from_column_then_sheet_then_option(
    write_xlsx: Callable[..., Path],
    sheet: str,
    column: str | None,
    option: str | None,
    expected: str,
) -> None:
    path = write_xlsx({sheet: [HEADER + ["Tahap"], [1, nip(1), "Ani", "Dinas", 9, column]]})
    result = read(path, stage=option)
    assert result.rows["tahap"].tolist() == [expected]
    assert result.problems == []


def test_unknown_stage_is_a_galat(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx(
        {
            "Sheet1": [
                HEADER + ["Tahap"],
                [1, nip(1), "Ani", "Dinas", 9, None],
                [2, nip(2), "Budi", "Dinas", 9, "Lanjutan 3"],
            ]
        }
    )
    result = read(path)
    assert result.rows["cacat"].tolist() == [True, True]
    texts = [p.pesan for p in result.problems]
    assert any("Lanjutan 3" in t for t in texts) and any("--tahap" in t for t in texts)


def test_hidden_and_instruction_sheets_are_skipped_with_a_warning(
    write_xlsx: Callable[..., Path],
) -> None:
    path = write_xlsx(
        {
            "Petunjuk": [["Cara mengisi"], ["Isi NIP sebagai teks"]],
            "Dasar": [HEADER, [1, nip(1), "Ani", "Dinas", 9]],
            "Arsip": [HEADER, [1, nip(2), "Lama", "Dinas", 3]],
        },
        hidden=["Arsip"],
    )
    result = read(path)
    assert result.rows["nama"].tolist() == ["Ani"]
    assert sorted(messages(result)) == [
        ("Arsip", None, None, "peringatan"),
        ("Petunjuk", None, None, "peringatan"),
    ]
    petunjuk = next(p for p in result.problems if p.lembar == "Petunjuk")
    assert "'Cara mengisi'" in petunjuk.pesan


def test_file_without_any_score_table_is_a_galat(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx({"Data": [["Nama", "Alamat"], ["Ani", "Jl. Merdeka"]]})
    result = read(path)
    assert result.rows.empty
    assert ("galat", None) in [(p.tingkat, p.lembar) for p in result.problems]


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("NIP;Nama;Skor;Tahap\n{a};Ëndang Ça;8,5;Dasar\n{b};Budi;9;Dasar\n", "utf-8-sig"),
        ('NIP,Nama,Skor,Tahap\n{a},Ëndang Ça,"8,5",Dasar\n{b},Budi,9,Dasar\n', "utf-8"),
        ("NIP,Nama,Skor,Tahap\n{a},Ëndang Ça,8.5,Dasar\n{b},Budi,9,Dasar\n", "cp1252"),
        ("NIP\tNama\tSkor\tTahap\n{a}\tËndang Ça\t8,5\tDasar\n{b}\tBudi\t9\tDasar\n", "utf-8"),
        (
            "REKAP\n\nNIP;Nama;Skor;Tahap\n{a};Ëndang Ça;8,5;Dasar\n{b};Budi;9;Dasar\n;;;\n",
            "utf-8-sig",
        ),
    ],
)
def test_csv_dialects(write_csv: Callable[..., Path], text: str, encoding: str) -> None:
    path = write_csv(text.format(a=nip(1), b=nip(2)), encoding=encoding)
    result = read(path)
    # cp1252 is still read, but said once for the file: a misjudged encoding garbles names.
    expected = [(None, None, None, "peringatan")] if encoding == "cp1252" else []
    assert messages(result) == expected
    assert all("cp1252" in p.pesan for p in result.problems)
    assert result.rows["nama"].tolist() == ["Ëndang Ça", "Budi"]
    assert result.rows["skor_akhir"].tolist() == [8.5, 9.0]


def test_csv_stage_from_file_name(write_csv: Callable[..., Path]) -> None:
    path = write_csv(f"NIP;Nama;Skor\n{nip(1)};Ani;9\n", name="lanjutan_2.csv")
    assert read(path).rows["tahap"].tolist() == ["lanjutan_2"]


# --- files and folders ---------------------------------------------------------------------


def test_folder_is_sorted_and_skips_lock_and_temporary_files(tmp_path: Path) -> None:
    for name in (
        "b.xlsx",
        "a.csv",
        "~$c.xlsx",
        ".~lock.e.xlsx#",
        ".hidden.csv",
        "c.tmp",
        "catatan.txt",
        "d.ods",
    ):
        (tmp_path / name).write_text("x")
    found = discover([tmp_path])
    files, problems = found.files, found.problems
    assert [f.name for f in files] == ["a.csv", "b.xlsx", "d.ods"]
    assert problems == []


def test_missing_and_unsupported_inputs_are_galat(tmp_path: Path) -> None:
    (tmp_path / "catatan.txt").write_text("x")
    found = discover([tmp_path / "hilang.xlsx", tmp_path / "catatan.txt"])
    files, problems = found.files, found.problems
    assert files == []
    assert [p.tingkat for p in problems] == ["galat", "galat"]


def test_broken_file_does_not_stop_the_others(
    tmp_path: Path, write_xlsx: Callable[..., Path]
) -> None:
    good = write_xlsx({"Dasar": [HEADER, [1, nip(1), "Ani", "Dinas", 9]]})
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(good.read_bytes()[:300])
    result = read(broken, good)
    assert result.rows["nama"].tolist() == ["Ani"]
    assert [(p.berkas, p.tingkat) for p in result.problems] == [(str(broken), "galat")]


def test_inputs_are_never_modified(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx({"Dasar": [HEADER, [1, nip(1), "Ani", "Dinas", 9]]})
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    result = read(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
    assert result.files[0].sha256 == before[0]


# --- files written by other programs -------------------------------------------------------


def test_xlsxwriter_workbook(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "xw.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Tahap Dasar")
    sheet.write_row(0, 0, ["Rekap"])
    sheet.write_row(2, 0, ["NIP", "Nama Lengkap", "Nilai Akhir"])
    sheet.write_string(3, 0, nip(1))
    sheet.write_string(3, 1, "Ani")
    sheet.write_number(3, 2, 9)
    sheet.write_string(4, 0, nip(2))
    sheet.write_string(4, 1, "Budi")
    sheet.write_string(4, 2, "5,5")
    book.close()
    result = read(path)
    assert result.problems == []
    assert result.rows[["nip", "skor_akhir", "tahap"]].values.tolist() == [
        [nip(1), 9.0, "dasar"],
        [nip(2), 5.5, "dasar"],
    ]


def test_example_workbook_and_csv_agree() -> None:
    workbook = read(CONTOH / "nilai_pelatihan_ai_2025.xlsx")
    csv = read(CONTOH / "nilai_pelatihan_ai_2025.csv")
    assert len(workbook.rows) == len(csv.rows) > 150
    keyed = ["nip", "tahap", "skor_akhir"]
    left = workbook.rows[keyed].fillna(-1).sort_values(keyed).values.tolist()
    right = csv.rows[keyed].fillna(-1).sort_values(keyed).values.tolist()
    assert left == right


# --- what a new user's files taught us -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("dasar_angkatan3", "dasar"),
        ("nilai_dasar", "dasar"),
        ("Dasar - Angkatan 3", "dasar"),
        ("Nilai Lanjutan 1 Angkatan 2", "lanjutan_1"),
        ("DASAR (Angk. 4)", "dasar"),
        ("Lanj. I", "lanjutan_1"),
        ("tk. lanjutan kedua", "lanjutan_2"),
        ("Nilai Lanjutan II Angkatan 2", "lanjutan_2"),
        ("lanjutan2", "lanjutan_2"),
        ("Dasar dan Lanjutan 1", None),
        ("Sheet1", None),
        ("Rekap Angkatan 2", None),
    ],
)
def test_stage_found_inside_longer_names(name: str, stage: str | None) -> None:
    from skorasn.names import find_stage

    assert find_stage(name, stage_table()) == stage


def test_two_row_header_with_merged_score_title(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["No", "NIP", "Nama", "Nilai", None])
    sheet.merge_cells("D1:E1")
    sheet.append([None, None, None, "Pelatih 1", "Pelatih 2"])
    sheet.append([1, nip(1), "Ani", 10, 4])
    path = tmp_path / "dua_baris.xlsx"
    book.save(path)
    result = read(path)
    assert result.rows[["pelatih_1", "pelatih_2"]].values.tolist() == [[10.0, 4.0]]
    assert result.rows["baris"].tolist() == [3]


def test_formula_without_saved_result_is_a_galat_not_a_blank(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Skor Pelatih 1", "Skor Pelatih 2", "Nilai Akhir"])
    sheet.append([nip(1), "Ani", 9, 10, "=AVERAGE(C2:D2)"])
    path = tmp_path / "rumus.xlsx"
    book.save(path)
    result = read(path)
    assert [(p.kolom, p.baris, p.tingkat) for p in result.problems] == [("E", 2, "galat")]
    assert "simpan ulang" in result.problems[0].pesan
    assert result.rows["cacat"].tolist() == [True]


def test_csv_row_longer_than_its_header_is_refused(write_csv: Callable[..., Path]) -> None:
    path = write_csv(f"NIP,Nama,Skor\n{nip(1)},Ani,5,5\n{nip(2)},Budi,9\n", name="dasar.csv")
    result = read(path)
    assert result.rows["cacat"].tolist() == [True, False]
    assert [(p.kolom, p.baris, p.tingkat) for p in result.problems] == [("D", 2, "galat")]
    assert "koma desimal" in result.problems[0].pesan


def test_utf16_csv_from_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes(f"NIP\tNama\tSkor\tTahap\n{nip(1)}\tÉndang\t9\tDasar\n".encode("utf-16"))
    result = read(path)
    assert result.problems == [] and result.rows["nama"].tolist() == ["Éndang"]


def test_workbook_named_csv_is_explained(write_xlsx: Callable[..., Path], tmp_path: Path) -> None:
    source = write_xlsx({"Dasar": [HEADER, [1, nip(1), "Ani", "Dinas", 9]]})
    renamed = tmp_path / "nilai.csv"
    renamed.write_bytes(source.read_bytes())
    result = read(renamed)
    assert "bukan CSV" in result.problems[0].pesan


def test_same_file_given_twice_is_read_once(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx({"Dasar": [HEADER, [1, nip(1), "Ani", "Dinas", 9]]})
    result = read(path, path.parent, path)
    assert result.rows["nama"].tolist() == ["Ani"]
    assert {p.tingkat for p in result.problems} == {"peringatan"}


def test_dash_means_no_eselon(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx(
        {
            "Dasar": [
                ["NIP", "Nama", "Eselon", "Skor"],
                [nip(1), "Ani", "-", 9],
                [nip(2), "Budi", "staf", 9],
            ]
        }
    )
    result = read(path)
    eselon = result.rows["eselon"]
    assert eselon.isna().tolist() == [True, False] and eselon[1] == "staf"
    assert [(p.baris, p.tingkat) for p in result.problems] == [(3, "peringatan")]


def test_nip_with_a_letter_says_so() -> None:
    from skorasn.reading.messages import nip_message as _nip_message

    assert "'O'" in _nip_message("format", "1985O3012010011001")
