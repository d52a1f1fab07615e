"""The arsip across training days: what it remembers, what it checks, what it shows."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from .arsip_days import (
    ANI,
    BUDI,
    CICI,
    DASAR_DAY,
    DEDI,
    EKO,
    LANJUTAN_DAY,
    dasar_rows,
    messages,
    participant,
    query,
    run_count,
    tier,
    write_day,
)
from .conftest import Run


@pytest.fixture
def masuk(tmp_path: Path) -> Path:
    """The input folder of a cron job; day 1 holds the dasar file."""
    write_day(tmp_path / "masuk", "dasar.xlsx", "Dasar", dasar_rows())
    return tmp_path / "masuk"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return tmp_path / "arsip" / "skorasn.db"


def today() -> str:
    return dt.date.today().isoformat()


def test_day_one_then_day_two(run: Run, masuk: Path, register: Path) -> None:
    code, first, _ = tier(run, register, masuk)
    assert code == 0
    assert first["perubahan"]["laporan"] == 1 and first["perubahan"]["banding"] is None
    assert first["perubahan"]["hash"] == query(register, "SELECT hash FROM runs")[0][0]
    # Day 2: Dedi is scored, Eko joins dasar, the lanjutan 1 file arrives.
    write_day(
        masuk, "dasar.xlsx", "Dasar", [*dasar_rows(DEDI=8), [EKO, "Eko", "Bappeda", DASAR_DAY, 10]]
    )
    write_day(
        masuk, "lanjutan1.xlsx", "Lanjutan 1", [[ANI, "Ani", "Dinas Kominfo", LANJUTAN_DAY, 9]]
    )
    code, second, _ = tier(run, register, masuk)
    assert code == 0, messages(second)
    changes = second["perubahan"]
    assert changes["laporan"] == 2 and changes["banding"]["laporan"] == 1
    assert {(r["nip"], r["tahap"]) for r in changes["baru"]} == {
        (EKO, "dasar"),
        (ANI, "lanjutan_1"),
    }
    [decided] = changes["berubah"]
    assert (decided["nip"], decided["keputusan_lama"], decided["keputusan"]) == (
        DEDI,
        "belum_dinilai",
        "tahan",
    )
    assert changes["hilang"] == [] and changes["koreksi"] == []
    assert run_count(register) == 2
    rows = query(register, "SELECT run, COUNT(*) FROM records GROUP BY run ORDER BY run")
    assert rows == [(1, 4), (2, 6)]


def test_a_score_edited_after_it_was_reported_is_a_galat(
    run: Run, masuk: Path, register: Path
) -> None:
    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(BUDI=9))
    code, document, result = tier(run, register, masuk)
    assert code == 1
    expected = f"skor dasar {BUDI} berubah: 4 (tercatat {today()}, laporan #1) → 9 sekarang"
    assert any(m.startswith(expected) for m in messages(document)), messages(document)
    assert participant(document, BUDI, "dasar")["keputusan"] == "periksa"
    assert document["ringkasan"]["dasar"]["periksa"] == 1
    assert document["ringkasan"]["dasar"]["lanjut"] == 1
    # Running again does not launder the change: it stays a galat until accepted.
    code, again, _ = tier(run, register, masuk)
    assert code == 1 and any(m.startswith(expected) for m in messages(again))


def test_a_changed_decision_with_the_same_score_is_a_galat(
    run: Run, masuk: Path, register: Path
) -> None:
    tier(run, register, masuk)
    code, document, _ = tier(run, register, masuk, "--lanjut-min", "7")
    assert code == 1
    assert any(f"keputusan dasar {CICI} berubah: tahan" in m for m in messages(document))
    assert participant(document, CICI, "dasar")["keputusan"] == "periksa"


def test_an_accepted_correction_is_recorded_with_its_reason(
    run: Run, masuk: Path, register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(BUDI=9))
    reason = "salah ketik, lihat berita acara 12/11"
    accept = ["--terima-koreksi", f"{BUDI}:dasar", "--alasan", reason]
    # The command line recorded is the process's own, as a real run has it.
    monkeypatch.setattr(sys, "argv", ["skorasn", "tier", str(masuk), *accept])
    code, document, _ = tier(run, register, masuk, *accept)
    assert code == 0, messages(document)
    assert participant(document, BUDI, "dasar")["keputusan"] == "lanjut"
    assert document["perubahan"]["koreksi"] == [{"nip": BUDI, "tahap": "dasar", "alasan": reason}]
    [changed] = document["perubahan"]["berubah"]
    assert (changed["skor_lama"], changed["skor"], changed["koreksi"]) == (4, 9, reason)
    # The next run is clean without any flag.
    code, after, _ = tier(run, register, masuk)
    assert code == 0 and messages(after) == []
    history = run("riwayat", BUDI, "--arsip", register, "--format", "json")
    assert history.exit_code == 0
    found = json.loads(history.stdout)
    [correction] = found["koreksi"]
    assert correction["alasan"] == reason and correction["laporan"] == 2
    assert "--terima-koreksi" in correction["perintah"] and reason in correction["perintah"]
    assert [(c["skor"], c["status"]) for c in found["catatan"]] == [
        (4, "baru"),
        (9, "koreksi"),
        (9, "sama"),
    ]
    text = run("riwayat", BUDI, "--arsip", register)
    assert reason in text.stdout and "koreksi diterima" in text.stdout


def test_a_stopped_participant_stays_stopped_without_the_dasar_file(
    run: Run, masuk: Path, register: Path
) -> None:
    tier(run, register, masuk)
    (masuk / "dasar.xlsx").unlink()
    write_day(
        masuk,
        "lanjutan1.xlsx",
        "Lanjutan 1",
        [
            [ANI, "Ani", "Dinas Kominfo", LANJUTAN_DAY, 9],
            [BUDI, "Budi", "Bappeda", LANJUTAN_DAY, 10],
        ],
    )
    code, document, _ = tier(run, register, masuk)
    assert code == 1
    assert participant(document, BUDI, "lanjutan_1")["keputusan"] == "periksa"
    assert participant(document, ANI, "lanjutan_1")["keputusan"] == "lanjut"
    [stop] = [m for m in document["masalah"] if m["nip"] == BUDI and m["tingkat"] == "galat"]
    assert stop["pesan"].startswith("disetop di tahap dasar menurut arsip (skor 4, tercatat")
    assert (stop["berkas"], stop["lembar"], stop["baris"]) == (
        str(masuk / "lanjutan1.xlsx"),
        "Lanjutan 1",
        3,
    )


def test_never_passing_the_previous_stage_is_remembered(
    run: Run, masuk: Path, register: Path
) -> None:
    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", [r for r in dasar_rows() if r[0] != CICI])
    write_day(masuk, "lanjutan1.xlsx", "Lanjutan 1", [[CICI, "Cici", "Bappeda", LANJUTAN_DAY, 9]])
    code, document, _ = tier(run, register, masuk)
    assert code == 1
    assert participant(document, CICI, "lanjutan_1")["keputusan"] == "periksa"
    assert any(
        m.startswith("belum lulus tahap dasar menurut arsip (skor 7, tahan")
        for m in messages(document)
    )


def test_a_deleted_row_gives_a_peringatan(run: Run, masuk: Path, register: Path) -> None:
    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", [r for r in dasar_rows() if r[0] != BUDI])
    code, document, _ = tier(run, register, masuk)
    assert code == 0
    [warning] = [m for m in document["masalah"] if m["tingkat"] == "peringatan"]
    assert warning["nip"] == BUDI and warning["berkas"] == str(masuk / "dasar.xlsx")
    assert warning["pesan"].startswith(
        f"baris dihapus: NIP {BUDI} (tahap dasar, tanggal 07/11/2025, skor 4"
    )
    assert [r["nip"] for r in document["perubahan"]["hilang"]] == [BUDI]
    # The register still knows Budi was stopped.
    write_day(masuk, "lanjutan1.xlsx", "Lanjutan 1", [[BUDI, "Budi", "Bappeda", LANJUTAN_DAY, 9]])
    code, later, _ = tier(run, register, masuk)
    assert code == 1 and participant(later, BUDI, "lanjutan_1")["keputusan"] == "periksa"


def test_a_file_is_recognised_by_its_path_from_any_folder(
    run: Run, masuk: Path, register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(masuk.parent)
    tier(run, register, Path("masuk"))
    write_day(masuk, "dasar.xlsx", "Dasar", [r for r in dasar_rows() if r[0] != ANI])
    monkeypatch.chdir(masuk)
    _, document, _ = tier(run, register, Path("dasar.xlsx"))
    assert [m["nip"] for m in document["masalah"] if m["tingkat"] == "peringatan"] == [ANI]


def test_banding_dengan_compares_with_the_run_named(run: Run, masuk: Path, register: Path) -> None:
    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(DEDI=9))
    tier(run, register, masuk)
    _, latest, _ = tier(run, register, masuk)
    assert latest["perubahan"]["berubah"] == []
    _, first, _ = tier(run, register, masuk, "--banding-dengan", "1")
    assert first["perubahan"]["banding"]["laporan"] == 1
    assert [r["nip"] for r in first["perubahan"]["berubah"]] == [DEDI]
    result = run("tier", masuk, "--arsip", register, "--banding-dengan", "9")
    assert result.exit_code == 2 and "laporan #9 tidak ada" in result.stderr
    assert run_count(register) == 4


@pytest.mark.parametrize(
    "args",
    [
        ["--terima-koreksi", f"{BUDI}:dasar"],
        ["--terima-koreksi", f"{BUDI}", "--alasan", "x"],
        ["--terima-koreksi", f"{BUDI}:tahap9", "--alasan", "x"],
        ["--terima-koreksi", "123:dasar", "--alasan", "x"],
        [
            "--terima-koreksi",
            f"{BUDI}:dasar",
            "--terima-koreksi",
            f"{ANI}:dasar",
            "--alasan",
            "a",
            "--alasan",
            "b",
            "--alasan",
            "c",
        ],
        ["--terima-koreksi", f"{BUDI}:dasar", "--alasan", "  "],
        ["--alasan", "tanpa koreksi"],
    ],
)
def test_correction_options_are_checked_before_anything_is_read(
    run: Run, masuk: Path, register: Path, args: list[str]
) -> None:
    result = run("tier", masuk, "--arsip", register, *args)
    assert result.exit_code == 2, result.output
    assert not register.exists()


@pytest.mark.parametrize(
    "args", [["--terima-koreksi", f"{BUDI}:dasar", "--alasan", "x"], ["--banding-dengan", "1"]]
)
def test_register_options_need_a_register(run: Run, masuk: Path, args: list[str]) -> None:
    result = run("tier", masuk, *args)
    assert result.exit_code == 2 and "--arsip" in result.stderr


def test_an_unused_correction_is_a_peringatan_and_not_recorded(
    run: Run, masuk: Path, register: Path
) -> None:
    tier(run, register, masuk)
    code, document, _ = tier(
        run, register, masuk, "--terima-koreksi", f"{ANI}:dasar", "--alasan", "x"
    )
    assert code == 0
    assert any(
        m.startswith(f"--terima-koreksi {ANI}:dasar") for m in messages(document, "peringatan")
    )
    assert query(register, "SELECT COUNT(*) FROM corrections") == [(0,)]


def test_runs_that_fail_record_nothing(
    run: Run, masuk: Path, register: Path, tmp_path: Path
) -> None:
    tier(run, register, masuk)
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert run("tier", empty, "--arsip", register).exit_code == 3
    assert run("tier", masuk, "--arsip", register, "--lanjut-min", "11").exit_code == 2
    blocked = tmp_path / "bukan_folder"
    blocked.write_text("x")
    assert run("tier", masuk, "--arsip", register, "-o", blocked / "r.json").exit_code == 73
    assert run_count(register) == 1


def test_the_register_is_never_an_input_or_an_output(run: Run, masuk: Path, tmp_path: Path) -> None:
    target = tmp_path / "hasil.json"
    result = run("tier", masuk, "--arsip", target, "-o", target)
    assert result.exit_code == 2 and "arsip harus berkas tersendiri" in result.stderr
    inside = masuk / "arsip.csv"
    inside.write_text("NIP,Skor\n", encoding="utf-8")
    result = run("tier", masuk, "--arsip", inside)
    assert result.exit_code == 2 and inside.read_text(encoding="utf-8") == "NIP,Skor\n"


def test_every_output_carries_the_changes_and_the_hash(
    run: Run, masuk: Path, register: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(DEDI=6))
    xlsx, html = tmp_path / "out" / "rekap.xlsx", tmp_path / "out" / "rekap.html"
    result = run("tier", masuk, "--arsip", register, "-o", xlsx, "-o", html)
    assert result.exit_code == 0, result.stderr
    [(last,)] = query(register, "SELECT hash FROM runs WHERE run = 2")
    assert f"hash rantai {last}" in result.stdout
    assert "Perubahan sejak laporan #1" in result.stdout and DEDI in result.stdout
    book = load_workbook(xlsx, read_only=True)
    changes = [row for row in book["Perubahan"].iter_rows(values_only=True) if row[0] == "berubah"]
    assert [(r[1], r[6], r[8]) for r in changes] == [(DEDI, "belum dinilai", "tahan")]
    audit = {row[0]: row[1] for row in book["Audit"].iter_rows(values_only=True) if row[0]}
    assert audit["Hash rantai arsip (terbaru)"] == last and audit["Laporan arsip"] == "#2"
    book.close()
    page = html.read_text(encoding="utf-8")
    assert 'data-perubahan="berubah"' in page and last in page
    listing = run("arsip", "laporan", "--arsip", register)
    assert listing.exit_code == 0 and last in listing.stdout


def test_terminal_shows_a_short_section(run: Run, masuk: Path, register: Path) -> None:
    run("tier", masuk, "--arsip", register)
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(DEDI=6))
    result = run("tier", masuk, "--arsip", register, "--ringkas")
    assert "Perubahan sejak laporan #1" in result.stdout and "0 baru, 1 berubah" in result.stdout
    assert f"berubah  {DEDI} Dedi — dasar: – belum dinilai → 6 tahan" in result.stdout
    assert run("tier", masuk, "--arsip", register, "-q").stdout == ""


def test_filters_keep_the_changes_they_show(run: Run, masuk: Path, register: Path) -> None:
    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", [*dasar_rows(), [EKO, "Eko", "Bappeda", DASAR_DAY, 10]])
    write_day(
        masuk, "lanjutan1.xlsx", "Lanjutan 1", [[ANI, "Ani", "Dinas Kominfo", LANJUTAN_DAY, 9]]
    )
    _, document, _ = tier(run, register, masuk, "--tahap", "lanjutan_1")
    assert [(r["nip"], r["tahap"]) for r in document["perubahan"]["baru"]] == [(ANI, "lanjutan_1")]


def test_register_from_the_rules_file(
    run: Run, masuk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "skorasn.toml").write_text('arsip = "data/arsip.db"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("tier", masuk, "-q")
    assert result.exit_code == 0, result.stderr
    assert run_count(tmp_path / "data" / "arsip.db") == 1
    shown = run("aturan")
    assert "arsip" in shown.stdout and "berkas" in shown.stdout
    listing = run("arsip", "laporan", "--format", "json")
    assert [r["run"] for r in json.loads(listing.stdout)["laporan"]] == [1]
    (tmp_path / "skorasn.toml").write_text("arsip = 3\n", encoding="utf-8")
    assert run("tier", masuk).exit_code == 2


def test_riwayat_of_an_unknown_nip_exits_1(run: Run, masuk: Path, register: Path) -> None:
    tier(run, register, masuk)
    result = run("riwayat", EKO, "--arsip", register)
    assert result.exit_code == 1 and "tidak ada di arsip" in result.stderr
    assert run("riwayat", "12345", "--arsip", register).exit_code == 2
    assert run("riwayat", ANI).exit_code == 2


def test_export_holds_the_whole_history(
    run: Run, masuk: Path, register: Path, tmp_path: Path
) -> None:
    import csv

    from openpyxl import load_workbook

    tier(run, register, masuk)
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(BUDI=9))
    tier(
        run, register, masuk, "--terima-koreksi", f"{BUDI}:dasar", "--alasan", "=cmd|' /C calc'!A0"
    )
    for suffix in ("json", "csv", "xlsx"):
        target = tmp_path / f"riwayat.{suffix}"
        result = run("arsip", "ekspor", "--arsip", register, "-o", target)
        assert result.exit_code == 0, result.stderr
    document = json.loads((tmp_path / "riwayat.json").read_text(encoding="utf-8"))
    assert [r["laporan"] for r in document["laporan"]] == [1, 2]
    assert len(document["catatan"]) == 8
    assert document["laporan"][1]["koreksi"][0]["nip"] == BUDI
    with (tmp_path / "riwayat.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8 and {r["laporan"] for r in rows} == {"1", "2"}
    book = load_workbook(tmp_path / "riwayat.xlsx", read_only=True)
    assert book.sheetnames == ["Laporan", "Masukan", "Keluaran", "Koreksi", "Catatan"]
    [correction] = list(book["Koreksi"].iter_rows(min_row=2, values_only=True))
    assert correction[4] == "=cmd|' /C calc'!A0"  # kept as text, never a formula
    book.close()
    assert run("arsip", "ekspor", "--arsip", register, "-o", tmp_path / "x.txt").exit_code == 2


def test_new_commands_have_indonesian_help_with_an_example(run: Run) -> None:
    for command in (
        ["riwayat"],
        ["arsip"],
        ["arsip", "laporan"],
        ["arsip", "ekspor"],
        ["arsip", "verifikasi"],
    ):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Contoh:" in result.stdout and "Penggunaan:" in result.stdout


def test_what_the_checks_read_is_bounded_by_today_s_participants(
    run: Run, register: Path, tmp_path: Path
) -> None:
    """The checks read one row per record key of today's NIPs, however many other people
    and runs the register holds."""
    from skorasn.arsip import store
    from skorasn.arsip.schema import open_register

    from .conftest import nip

    others = [[nip(100 + n), f"P{n}", "Dinas", DASAR_DAY, 8] for n in range(200)]
    folder = write_day(tmp_path / "a", "lain.xlsx", "Dasar", others)
    for _ in range(3):
        tier(run, register, folder)
    tier(run, register, write_day(tmp_path / "b", "dasar.xlsx", "Dasar", dasar_rows()))
    tier(run, register, tmp_path / "b")
    connection = open_register(register, create=False, wait=1)
    try:
        connection.execute("BEGIN")
        found = store.latest(connection, store.want(connection, [ANI, BUDI]))
    finally:
        connection.close()
    assert sorted(found["terakhir"]["nip"]) == [ANI, BUDI]
    assert found["terakhir"]["run"].tolist() == [5, 5]


def test_an_earlier_attempt_is_remembered_too(run: Run, masuk: Path, register: Path) -> None:
    """Retakes: the attempt kept in riwayat is a record of its own, checked like any other."""
    retake = [BUDI, "Budi", "Dinas Kominfo", "21/11/2025", 9]
    write_day(masuk, "dasar.xlsx", "Dasar", [*dasar_rows(BUDI=6), retake])
    code, first, _ = tier(run, register, masuk)
    assert code == 0 and participant(first, BUDI, "dasar")["keputusan"] == "lanjut"
    assert query(register, "SELECT COUNT(*) FROM records WHERE nip = ?", BUDI) == [(2,)]
    write_day(masuk, "dasar.xlsx", "Dasar", [*dasar_rows(BUDI=7), retake])
    code, second, _ = tier(run, register, masuk)
    assert code == 1 and participant(second, BUDI, "dasar")["keputusan"] == "periksa"
    expected = f"skor dasar {BUDI} (percobaan 07/11/2025) berubah: 6 (tercatat {today()}, laporan #1) → 7 sekarang"
    assert any(m.startswith(expected) for m in messages(second)), messages(second)


def test_a_retake_after_a_stop_is_refused_without_the_first_attempt(
    run: Run, masuk: Path, register: Path
) -> None:
    tier(run, register, masuk)
    (masuk / "dasar.xlsx").unlink()
    write_day(masuk, "ulang.xlsx", "Dasar", [[BUDI, "Budi", "Dinas Kominfo", "21/11/2025", 10]])
    code, document, _ = tier(run, register, masuk)
    assert code == 1 and participant(document, BUDI, "dasar")["keputusan"] == "periksa"
    assert any(
        m.startswith("sudah disetop pada percobaan 07/11/2025 menurut arsip")
        for m in messages(document)
    )


def test_the_readme_walk_through_from_day_one_to_day_three(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's three training days, with its commands and folders, as a user runs them."""
    monkeypatch.chdir(tmp_path)
    masuk, arsip = Path("masuk"), Path("arsip/skorasn.db")
    command = ["tier", "masuk/", "--arsip", str(arsip), "-o", "laporan/rekap_{tanggal}.xlsx"]
    # Day 1: the dasar file.
    write_day(masuk, "nilai_dasar.xlsx", "Dasar", dasar_rows(CICI=3, DEDI=9))
    day1 = run(*command)
    assert day1.exit_code == 0, day1.stderr
    assert "Arsip: laporan #1 adalah catatan pertama" in day1.stdout
    [(kept,)] = query(arsip, "SELECT hash FROM runs")
    assert f"Arsip: tercatat sebagai laporan #1 di {arsip}; hash rantai {kept}" in day1.stdout
    # Day 2: lanjutan 1 arrives, and Budi's dasar score is changed from 4 to 9.
    write_day(masuk, "nilai_dasar.xlsx", "Dasar", dasar_rows(BUDI=9, CICI=3, DEDI=9))
    lanjutan = [
        [ANI, "Ani", "Dinas Kominfo", LANJUTAN_DAY, 9],
        [DEDI, "Dedi", "Bappeda", LANJUTAN_DAY, 7],
    ]
    write_day(masuk, "nilai_lanjutan1.xlsx", "Lanjutan 1", lanjutan)
    day2 = run(*command)
    assert day2.exit_code == 1
    assert "Perubahan sejak laporan #1" in day2.stdout and "2 baru" in day2.stdout
    assert f"skor dasar {BUDI} berubah: 4 (tercatat" in day2.stdout
    reason = "salah input, berita acara 12/11"
    accepted = run(*command, "--terima-koreksi", f"{BUDI}:dasar", "--alasan", reason)
    assert accepted.exit_code == 0, accepted.stdout
    history = run("riwayat", BUDI, "--arsip", arsip)
    rows = [line.split()[2:6] for line in history.stdout.splitlines() if line.startswith("dasar")]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("4", "berhenti", "#1"),
        ("9", "periksa", "#2"),
        ("9", "lanjut", "#3"),
    ]
    assert "berubah, belum diterima" in history.stdout and "koreksi diterima" in history.stdout
    assert f'alasan "{reason}"' in history.stdout
    # Day 3: the dasar file is moved away; Cici (stopped, 3) appears in lanjutan 1; Dedi's row
    # is deleted from it.
    Path("masuk/nilai_dasar.xlsx").rename(tmp_path / "nilai_dasar_selesai.xlsx")
    write_day(
        masuk,
        "nilai_lanjutan1.xlsx",
        "Lanjutan 1",
        [lanjutan[0], [CICI, "Cici", "Bappeda", LANJUTAN_DAY, 9]],
    )
    day3 = run(*command)
    assert day3.exit_code == 1
    assert "disetop di tahap dasar menurut arsip (skor 3" in day3.stdout
    assert f"baris dihapus: NIP {DEDI}" in day3.stdout
    listing = run("arsip", "laporan", "--arsip", arsip)
    assert listing.exit_code == 0 and "#4" in listing.stdout
    check = run("arsip", "verifikasi", "--arsip", arsip, "--hash", kept)
    assert check.exit_code == 0 and "(laporan #1)" in check.stdout


def test_a_trainer_who_has_not_scored_yet_is_recorded(run: Run, tmp_path: Path) -> None:
    """A blank trainer score (belum dinilai) is None in the participant's list of trainer
    scores; the arsip records it as null, and the example data runs through the arsip too."""
    source = tmp_path / "nilai_dasar.csv"
    source.write_text(
        "NIP;Nama;Eselon;Unit Kerja;Skor Pelatih 1;Skor Pelatih 2\n"
        "198001012005011004;Dedi;IV.a;Dinas A;9;10\n"
        "198001012005011002;Budi;IV.a;Dinas A;9;\n",
        encoding="utf-8",
    )
    register = tmp_path / "arsip.db"
    result = run("tier", source, "--arsip", register, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    stored = query(register, "SELECT nip, skor_pelatih FROM records ORDER BY nip")
    assert [json.loads(scores) for _, scores in stored] == [[9.0, None], [9.0, 10.0]]
    example = Path(__file__).parent.parent / "contoh_data" / "nilai_pelatihan_ai_2025.xlsx"
    assert run("tier", example, "--arsip", tmp_path / "contoh.db", "-q").exit_code == 1
