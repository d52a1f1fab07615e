"""Tests for `skorasn periksa`: every masalah on its own line, counts, exit codes, JSON, and the
same problems as `tier` finds."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from skorasn.cli import app
from skorasn.models import Masalah

WIDE = {"NO_COLOR": "1", "COLUMNS": "1000", "SKORASN_DEBUG": None}
NARROW = {**WIDE, "COLUMNS": "80"}


def run(*args: object, env: dict | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], env=env or WIDE)


def nip(number: int) -> str:
    return f"19900101201501{1 + number % 2}{number:03d}"


HEADER = ["NIP", "Nama", "Eselon", "Skor Pelatih 1", "Skor Pelatih 2", "Keterangan"]
MESSY_ROWS = [
    # row 2: fine, and the hand-written decision agrees
    [nip(1), "Ani", "III.a", 9, 9.5, "Lulus"],
    # row 3: NIP stored as a number (digits lost)
    [float(nip(2)), "Budi", "IV.a", 7, 7, None],
    # row 4: NIP of 17 digits
    [nip(3)[:-1], "Cucu", "IV.a", 7, 7, None],
    # row 5: a score in words
    [nip(4), "Dedi", "IV.b", "sembilan", 9, None],
    # row 6: a score out of range
    [nip(5), "Euis", "IV.b", 11, 9, None],
    # row 7: the hand-written decision disagrees with the rule
    [nip(6), "Fitri", "III.b", 6, 7, "LULUS"],
    # row 8: an eselon nobody can read
    [nip(7), "Gugun", "V.c", 8, 8, None],
    # row 9: trainers three points apart
    [nip(8), "Hana", "III.a", 5, 8, None],
    # rows 10 and 11: the same NIP twice, no dates
    [nip(9), "Iwan", "IV.a", 6, 6, None],
    [nip(9), "Iwan", "IV.a", 6, 6, None],
]
# (sheet, cell, level) of every masalah in the messy workbook, in the order periksa lists them
MESSY_PROBLEMS = [
    ("Catatan", "", "peringatan"),
    ("Dasar", "A3", "galat"),
    ("Dasar", "A4", "galat"),
    ("Dasar", "D5", "galat"),
    ("Dasar", "D6", "galat"),
    ("Dasar", "F7", "galat"),
    ("Dasar", "C8", "peringatan"),
    ("Dasar", "D9", "peringatan"),
    ("Dasar", "A10", "galat"),
    ("Dasar", "A11", "galat"),
    ("Tersembunyi", "", "peringatan"),
]


def workbook(path: Path, rows: list[list[object]], *, extras: bool = False) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Dasar"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if extras:
        book.create_sheet("Catatan").append(["Catatan rapat pelatih"])
        hidden = book.create_sheet("Tersembunyi")
        hidden.append(HEADER)
        hidden.append([nip(20), "Joko", "IV.a", 9, 9, None])
        hidden.sheet_state = "hidden"
    book.save(path)
    return path


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return workbook(tmp_path / "nilai.xlsx", MESSY_ROWS, extras=True)


def line(problem: dict) -> str:
    return f"{Masalah(**problem).lokasi}  {problem['tingkat']}  {problem['pesan']}"


def periksa_json(*args: object) -> tuple[int, list[dict]]:
    result = run("periksa", *args, "--format", "json")
    document = json.loads(result.stdout)
    assert list(document) == ["masalah"]
    return result.exit_code, document["masalah"]


def test_lists_every_masalah_with_its_cell(messy):
    result = run("periksa", messy)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    found = []
    for text in lines[:-1]:
        place, level, message = text.split("  ", 2)
        berkas, _, rest = place.rpartition(":")
        sheet, _, cell = rest.partition("!")
        assert berkas == str(messy), text
        assert message and not message.startswith(" "), text
        found.append((sheet, cell, level))
    assert found == MESSY_PROBLEMS
    assert lines[-1] == "7 galat, 4 peringatan"


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("A3", "NIP tersimpan sebagai angka"),
        ("A4", "harus 18 digit"),
        ("D5", "'sembilan' bukan angka"),
        ("D6", "di luar rentang 0–10"),
        ("F7", "keputusan tertulis 'LULUS' tidak sesuai aturan"),
        ("C8", "eselon 'V.c' tidak dikenali"),
        ("D9", "selisih penilaian antar pelatih 3 poin"),
        ("A10", "duplikat"),
    ],
)
def test_messages_say_what_is_wrong(messy, cell, words):
    result = run("periksa", messy)
    [text] = [t for t in result.stdout.splitlines() if t.startswith(f"{messy}:Dasar!{cell}  ")]
    assert words in text


def test_text_and_json_list_the_same_problems(messy):
    code, problems = periksa_json(messy)
    assert code == 1
    text = run("periksa", messy).stdout.splitlines()
    assert text[:-1] == [line(p) for p in problems]


def test_json_records(messy):
    _, problems = periksa_json(messy)
    assert len(problems) == len(MESSY_PROBLEMS)
    assert all(
        list(p) == ["berkas", "lembar", "baris", "kolom", "nip", "tingkat", "pesan"]
        for p in problems
    )
    first_nip = next(p for p in problems if p["kolom"] == "D" and p["baris"] == 5)
    assert (first_nip["berkas"], first_nip["lembar"], first_nip["nip"], first_nip["tingkat"]) == (
        str(messy),
        "Dasar",
        nip(4),
        "galat",
    )


@pytest.mark.parametrize(
    ("rows", "code", "counts"),
    [
        (MESSY_ROWS[:1], 0, "0 galat, 0 peringatan"),
        (MESSY_ROWS[:1] + [MESSY_ROWS[6], MESSY_ROWS[7]], 0, "0 galat, 2 peringatan"),
        (MESSY_ROWS[:2], 1, "1 galat, 0 peringatan"),
        (MESSY_ROWS[:3], 1, "2 galat, 0 peringatan"),
    ],
)
def test_exit_code_follows_galat_only(tmp_path, rows, code, counts):
    path = workbook(tmp_path / "nilai.xlsx", rows)
    result = run("periksa", path)
    assert result.exit_code == code, result.output
    assert result.stdout.splitlines()[-1] == counts
    assert len(result.stdout.splitlines()) == 1 + int(counts.split()[0]) + int(counts.split()[2])
    json_code, problems = periksa_json(path)
    assert json_code == code
    assert result.stdout.splitlines()[:-1] == [line(p) for p in problems]


def test_clean_input_prints_only_the_counts(tmp_path):
    path = workbook(tmp_path / "nilai.xlsx", MESSY_ROWS[:1])
    result = run("periksa", path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "0 galat, 0 peringatan\n", "")
    assert periksa_json(path) == (0, [])


@pytest.mark.parametrize("extra", [[], ["--tahap", "dasar"], ["--lanjut-min", "8"]])
def test_periksa_finds_what_tier_finds(messy, tmp_path, extra):
    csv = tmp_path / "nilai.csv"
    csv.write_text(
        "NIP;Nama;Tahap;Skor\n"
        f"{nip(30)};Kiki;Dasar;8,5\n"
        f"{nip(31)};Lina;Lanjutan 3;9\n"
        f"1,99001E+17;Mira;Dasar;7\n",
        encoding="utf-8",
    )
    code, from_periksa = periksa_json(messy, csv, *extra)
    result = run("tier", messy, csv, "--format", "json", *extra)
    assert result.exit_code == code == 1
    from_tier = json.loads(result.stdout)["masalah"]
    assert from_periksa == from_tier
    assert {p["berkas"] for p in from_periksa} == {str(messy), str(csv)}


def test_periksa_reads_a_folder(messy, tmp_path):
    (tmp_path / "~$nilai.xlsx").write_bytes(b"lock file of an open workbook")
    _, from_folder = periksa_json(tmp_path)
    _, from_file = periksa_json(messy)
    assert from_folder == from_file


def test_nothing_readable_exits_3(tmp_path):
    result = run("periksa", tmp_path / "hilang.xlsx")
    assert result.exit_code == 3
    assert "berkas tidak ditemukan" in result.stderr
    assert result.stdout == ""


def test_one_line_per_masalah_on_a_narrow_terminal(messy):
    wide = run("periksa", messy).stdout
    narrow = run("periksa", messy, env=NARROW).stdout
    assert narrow == wide
