"""Reports that explain themselves: every row says why, the rules and filters in force show,
the run ends with a verdict, and the progress display never garbles the report."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from skorasn.cli.progress import progress_display
from skorasn.models import Step

from .conftest import CONTOH, Run, nip

EXAMPLE = CONTOH / "nilai_pelatihan_ai_2025.xlsx"
TRAINERS = ["NIP", "Nama", "Skor Pelatih 1", "Skor Pelatih 2", "Tahap"]


@pytest.fixture
def waiting(write_xlsx: Callable[..., Path]) -> Path:
    """One complete assessment, one waiting for trainer 2, one not scored, one broken."""
    return write_xlsx(
        {
            "Dasar": [
                TRAINERS,
                [nip(1), "Ani", 9, 10, "Dasar"],
                [nip(2), "Budi", 9, None, "Dasar"],
                [nip(3), "Cici", None, None, "Dasar"],
                [nip(4), "Dedi", "sembilan", 9, "Dasar"],
            ]
        }
    )


# --- every row says why ---------------------------------------------------------------------


def test_every_periksa_and_belum_dinilai_row_says_why_in_json(run: Run, waiting: Path) -> None:
    _, document = run.json("tier", waiting)
    by_name = {p["nama"]: p for p in document["peserta"]}
    assert by_name["Ani"]["keputusan"] == "lanjut" and by_name["Ani"]["alasan"] == []
    assert by_name["Budi"]["keputusan"] == "belum_dinilai"
    assert any("menunggu skor Pelatih 2" in a for a in by_name["Budi"]["alasan"])
    assert by_name["Cici"]["alasan"] == ["skor belum diisi"]
    assert by_name["Dedi"]["keputusan"] == "periksa"
    assert any("'sembilan' bukan angka" in a for a in by_name["Dedi"]["alasan"])
    # Each reason of a row is the message of a masalah at that row.
    messages = {m["pesan"] for m in document["masalah"]}
    assert set(by_name["Dedi"]["alasan"]) <= messages


def test_alasan_in_csv_and_xlsx(run: Run, waiting: Path, tmp_path: Path) -> None:
    out_csv, out_xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    assert run("tier", waiting, "-q", "-o", out_csv, "-o", out_xlsx).exit_code == 1
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["nama"]: row for row in csv.DictReader(handle)}
    assert "menunggu skor Pelatih 2" in rows["Budi"]["alasan"]
    assert rows["Ani"]["alasan"] == ""
    sheet = load_workbook(out_xlsx)["Dasar"]
    header = [cell.value for cell in sheet[1]]
    assert header[header.index("Skor") + 1 : header.index("Keputusan")] == [
        "Pelatih 1",
        "Pelatih 2",
    ]
    reasons = {
        row[header.index("Nama")]: row[header.index("Alasan")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert "menunggu skor Pelatih 2" in reasons["Budi"] and reasons["Ani"] is None
    # Trainers' scores are numbers, shown with two decimals, each in its own column.
    for row in sheet.iter_rows(min_row=2):
        for cell in row[header.index("Skor") : header.index("Keputusan")]:
            if cell.value is not None:
                assert cell.data_type == "n" and cell.number_format == "0.00"


def test_terminal_lists_say_why_for_periksa_and_belum_dinilai(run: Run, waiting: Path) -> None:
    result = run("tier", waiting)
    assert result.exit_code == 1
    periksa = result.stdout.split("periksa (1)", 1)[1]
    assert "Alasan" in periksa and "bukan angka" in periksa
    waiting_list = result.stdout.split("belum dinilai (2)", 1)[1]
    assert "menunggu skor Pelatih 2" in waiting_list and "skor belum diisi" in waiting_list


def test_the_old_rule_for_blank_trainers_is_a_setting(run: Run, waiting: Path, tmp_path: Path):
    rules = tmp_path / "aturan.toml"
    rules.write_text("pelatih_lengkap = false\n", encoding="utf-8")
    _, document = run.json("tier", waiting, "--config", rules)
    by_name = {p["nama"]: p for p in document["peserta"]}
    assert by_name["Budi"]["keputusan"] == "lanjut" and by_name["Budi"]["skor"] == 9
    shown = run("aturan", "--config", rules).stdout
    assert re.search(r"pelatih_lengkap\s+tidak\s+berkas", shown)


def test_problems_name_real_cells(run: Run, write_xlsx: Callable[..., Path]) -> None:
    """A masalah about a row names a cell of it, never `Dasar!51`."""
    duplicated = write_xlsx(
        {
            "Dasar": [
                ["Nama", "Skor"],  # no NIP column at all
                ["Ani", 9],
            ],
            "Sheet2": [
                ["NIP", "Nama", "Skor"],  # a sheet whose stage nobody can tell
                [nip(5), "Eko", 7],
            ],
        },
        name="sel.xlsx",
    )
    _, document = run.json("tier", duplicated, EXAMPLE)
    for problem in document["masalah"]:
        if problem["baris"] is not None:
            assert problem["kolom"], problem
    duplicate = next(m for m in document["masalah"] if m["pesan"].startswith("duplikat"))
    assert re.search(r"\(Dasar!B\d+, Dasar!B\d+\)", duplicate["pesan"]), duplicate["pesan"]


# --- the verdict and the progress display ----------------------------------------------------


def test_the_run_ends_with_a_verdict(run: Run) -> None:
    result = run("tier", EXAMPLE, "--ringkas")
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"Selesai: [\d.]+ peserta, \d+ galat, \d+ peringatan — kode keluar 1 \(ada galat\)", last
    ), last
    assert result.exit_code == 1


def test_a_quiet_run_with_galat_ends_its_mail_with_the_verdict(run: Run) -> None:
    result = run("tier", EXAMPLE, "-q")
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("skorasn: Selesai: ")


def test_no_progress_display_where_nobody_watches() -> None:
    stream = io.StringIO()
    with progress_display(Console(file=stream, force_terminal=False)) as show:
        assert show is None
    assert stream.getvalue() == ""


def test_progress_display_shows_file_sheet_and_rows_then_clears(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100, color_system=None)
    with progress_display(console) as show:
        assert show is not None
        show(Step("membaca", "nilai.xlsx:Dasar", 1500, 0.5))  # type: ignore[operator]
    written = stream.getvalue()
    assert "membaca nilai.xlsx:Dasar (1.500 baris)" in written
    # Transient: the display erases its own lines when it stops.
    assert written.rstrip("\n").endswith("\x1b[2K") or "\x1b[2K" in written.split("baris)")[-1]


# --- the rules in force show ------------------------------------------------------------------


def test_a_rules_file_found_unasked_is_announced_even_when_quiet(
    run: Run, waiting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "skorasn.toml").write_text("lanjut_min = 8\n", encoding="utf-8")
    result = run("tier", waiting, "-q", "-o", tmp_path / "r.json")
    warnings = [line for line in result.stderr.splitlines() if "peringatan: aturan" in line]
    assert len(warnings) == 1 and "skorasn.toml" in warnings[0] and "lanjut_min" in warnings[0]
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rules = document["aturan"]
    assert rules["lanjut_min"] == 8 and rules["sumber"]["lanjut_min"] == "skorasn.toml"
    assert rules["sumber"]["berhenti_maks"] == "bawaan"
    assert rules["berkas_aturan"]["jalur"] == "skorasn.toml"
    assert re.fullmatch(r"[0-9a-f]{64}", rules["berkas_aturan"]["sha256"])
    assert rules["batas_berkas"]["rasio_maks"] == 200


def test_changed_rules_are_said_in_every_output(run: Run, waiting: Path, tmp_path: Path) -> None:
    rules = tmp_path / "aturan.toml"
    rules.write_text("lanjut_min = 8.5\n[batas_berkas]\nrasio_maks = 1000\n", encoding="utf-8")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    result = run("tier", waiting, "--config", rules, "--ringkas", "-o", html, "-o", xlsx)
    note = f"Berbeda dari bawaan: lanjut_min = 8,5 (dari {rules}), batas_berkas.rasio_maks = 1000"
    assert note in " ".join(result.stdout.split())
    assert f"Berkas aturan: {rules}" in result.stdout
    assert note in " ".join(html.read_text(encoding="utf-8").split())
    ringkasan = [str(v) for row in load_workbook(xlsx)["Ringkasan"].iter_rows(values_only=True)
                 for v in row if v is not None]  # fmt: skip
    assert any(note in text for text in ringkasan)
    audit = {row[0]: row[1:] for row in load_workbook(xlsx)["Audit"].iter_rows(values_only=True)}
    assert audit["lanjut_min"][:2] == ("8,5", str(rules))
    assert audit["Berkas aturan"][0] == str(rules)


def test_the_defaults_are_not_announced(run: Run, waiting: Path) -> None:
    result = run("tier", waiting, "--ringkas")
    assert "Berbeda dari bawaan" not in result.stdout and "Berkas aturan" not in result.stdout


# --- filters show, and are checked --------------------------------------------------------------


def test_a_filtered_report_says_so_everywhere(run: Run, tmp_path: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    result = run("tier", EXAMPLE, "--eselon", "III", "--ringkas", "-o", xlsx)
    assert result.stdout.startswith("Saringan: hanya peserta dengan eselon III.")
    _, document = run.json("tier", EXAMPLE, "--eselon", "iii", "--tahap", "dasar")
    assert document["saringan"] == {
        "tahap": ["dasar"], "eselon": ["III"], "unit": [], "sejak": None, "sampai": None
    }  # fmt: skip
    cells = [v for row in load_workbook(xlsx)["Ringkasan"].iter_rows(values_only=True) for v in row]
    assert "Saringan: hanya peserta dengan eselon III." in cells


@pytest.mark.parametrize(("option", "value"), [("--eselon", "V"), ("--eselon", "III.c"),
                                               ("--tahap", "lanjutan 3")])  # fmt: skip
def test_an_impossible_filter_is_a_usage_error(run: Run, option: str, value: str) -> None:
    result = run("tier", EXAMPLE, option, value)
    assert result.exit_code == 2
    assert option in result.stderr and "tidak dikenali" in result.stderr


def test_a_filter_that_matches_nobody_says_so(run: Run) -> None:
    result = run("tier", EXAMPLE, "--unit", "Dinas Yang Tidak Ada", "--ringkas")
    assert "Tidak ada peserta dengan unit kerja memuat ‘Dinas Yang Tidak Ada’." in result.stdout
    assert "tahap yang diketahui" not in result.stdout


# --- a report to print and sign -------------------------------------------------------------

LETTERHEAD = """[laporan]
instansi = "Pemerintah Kota Sukabumi — BKPSDM"
judul = "Rekap Nilai Pelatihan AI ASN Angkatan 4"
kota = "Sukabumi"
penandatangan = "Drs. Ahmad Fauzi, M.Si."
jabatan = "Kepala BKPSDM"
nip = "197005121995031002"
"""


def test_letterhead_and_signature_on_the_workbook_and_the_page(
    run: Run, waiting: Path, tmp_path: Path
) -> None:
    rules = tmp_path / "aturan.toml"
    rules.write_text(LETTERHEAD, encoding="utf-8")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    assert run("tier", waiting, "--config", rules, "-q", "-o", html, "-o", xlsx).exit_code == 1
    cells = [v for row in load_workbook(xlsx)["Ringkasan"].iter_rows(values_only=True)
             for v in row if v is not None]  # fmt: skip
    assert cells[:2] == [
        "Pemerintah Kota Sukabumi — BKPSDM",
        "Rekap Nilai Pelatihan AI ASN Angkatan 4",
    ]
    for text in ("Kepala BKPSDM", "Drs. Ahmad Fauzi, M.Si.", "NIP. 197005121995031002"):
        assert text in cells
    assert any(str(v).startswith("Sukabumi, ") for v in cells)
    page = html.read_text(encoding="utf-8")
    for text in (
        "Pemerintah Kota Sukabumi — BKPSDM",
        "<h1>Rekap Nilai Pelatihan AI ASN Angkatan 4",
        "Drs. Ahmad Fauzi, M.Si.",
        "NIP. 197005121995031002",
        "Sukabumi, ",
    ):
        assert text in page, text
    # The letterhead is not a rule: it never makes a report say the rules differ.
    assert "Berbeda dari bawaan" not in page


def test_the_printed_page_keeps_programmer_words_out(run: Run, tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    run("tier", EXAMPLE, "-q", "-o", html)
    page = html.read_text(encoding="utf-8")
    for word in ("--format", "json", "stdout", "skorasn tier", "None", "NaN"):
        assert word not in page.split("<body>", 1)[1], word
