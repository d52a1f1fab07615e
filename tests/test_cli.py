"""The command line as a user meets it: output, exit codes, the JSON contract, exports."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import CONTOH, Run, nip

HEADER = ["No", "NIP", "Nama", "Eselon", "Unit Kerja", "Tanggal", "Skor"]
EXAMPLE = CONTOH / "nilai_pelatihan_ai_2025.xlsx"


@pytest.fixture
def clean(write_xlsx: Callable[..., Path]) -> Path:
    """Two stages, no problem at all."""
    return write_xlsx(
        {
            "Dasar": [
                HEADER,
                [1, nip(1), "Ani", "III.a", "Dinas Kominfo", "2025-11-07", 9],
                [2, nip(2), "Budi", "IV/b", "Bappeda", "2025-11-07", "7,5"],
                [3, nip(3), "Cici", "III B", "Dinas Kominfo", "2025-05-07", 4],
                [4, nip(4), "Dedi", "IV.a", "Inspektorat", "2025-11-07", None],
            ],
            "Lanjutan 1": [HEADER, [1, nip(1), "Ani", "III.a", "Dinas Kominfo", "2025-11-20", 10]],
        }
    )


@pytest.fixture
def messy(write_xlsx: Callable[..., Path]) -> Path:
    return write_xlsx(
        {
            "Dasar": [
                HEADER,
                [1, nip(1), "Ani", "III.a", "Dinas Kominfo", None, 9],
                [2, nip(2), "Budi", "IV.b", "Bappeda", None, "sembilan"],
                [3, nip(3), "Cici", "III.b", "Dinas Kominfo", None, 4],
            ],
            "Lanjutan 1": [HEADER, [1, nip(3), "Cici", "III.b", "Dinas Kominfo", None, 10]],
        },
        name="messy.xlsx",
    )


# --- exit codes ----------------------------------------------------------------------------


def test_clean_run_exits_0(run: Run, clean: Path) -> None:
    result = run("tier", clean)
    assert result.exit_code == 0, result.output


def test_galat_exits_1_and_still_reports(run: Run, messy: Path) -> None:
    code, document = run.json("tier", messy)
    assert code == 1
    assert len(document["peserta"]) == 4
    stopped = next(p for p in document["peserta"] if p["tahap"] == "lanjutan_1")
    assert stopped["keputusan"] == "periksa"
    assert any(m["nip"] == nip(3) and m["tingkat"] == "galat" for m in document["masalah"])


@pytest.mark.parametrize(
    "args",
    [
        ["tier"],
        ["tier", "{clean}", "--tahap", "lanjutan 3"],
        ["tier", "{clean}", "-o", "hasil.pdf"],
        ["tier", "{clean}", "-o", "{clean}.json", "-o", "{clean}.json"],
        ["tier", "{clean}", "-o", "{clean}"],
        ["tier", "{clean}", "--lanjut-min", "5", "--berhenti-maks", "6"],
        ["tier", "{clean}", "--lanjut-min", "11"],
        ["tier", "{clean}", "--sejak", "kemarin"],
        ["tier", "{clean}", "--pemisah", "|"],
        ["tier", "{clean}", "--bukan-opsi"],
        ["tier", "{clean}", "-o", "laporan-{bulan}.json"],
    ],
)
def test_usage_errors_exit_2(run: Run, clean: Path, args: list[str]) -> None:
    result = run(*(a.replace("{clean}", str(clean)) for a in args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip()


def test_output_over_an_input_is_refused_and_input_untouched(run: Run, clean: Path) -> None:
    before = clean.read_bytes()
    result = run("tier", clean, "-o", str(clean))
    assert result.exit_code == 2
    assert clean.read_bytes() == before


def test_nothing_readable_exits_3(run: Run, tmp_path: Path) -> None:
    (tmp_path / "kosong.csv").write_text("Nama;Alamat\nAni;Jl. Merdeka\n")
    result = run("tier", tmp_path / "kosong.csv", tmp_path / "hilang.xlsx")
    assert result.exit_code == 3
    assert "hilang.xlsx" in result.stderr and "kosong.csv" in result.stderr


def test_broken_file_is_named_and_others_still_processed(
    run: Run, clean: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    code, document = run.json("tier", broken, clean)
    assert code == 1
    assert len(document["peserta"]) == 5
    assert [m["berkas"] for m in document["masalah"]] == [str(broken)]


# --- the JSON contract ---------------------------------------------------------------------

PARTICIPANT_TYPES: dict[str, tuple[type, ...]] = {
    "nip": (str, type(None)),
    "nama": (str, type(None)),
    "eselon": (str, type(None)),
    "unit_kerja": (str, type(None)),
    "tahap": (str, type(None)),
    "skor": (int, float, type(None)),
    "keputusan": (str,),
    "sumber": (str,),
    "skor_pelatih": (list,),
    "riwayat": (list,),
}
DECISIONS = ["lanjut", "tahan", "berhenti", "belum_dinilai", "periksa"]
STAGES = ["dasar", "lanjutan_1", "lanjutan_2"]


def test_json_contract_on_the_example(run: Run) -> None:
    _, document = run.json("tier", EXAMPLE)
    assert {"versi", "aturan", "peserta", "ringkasan", "masalah"} <= document.keys()
    assert document["aturan"]["lanjut_min"] == 9 and document["aturan"]["berhenti_maks"] == 5
    for record in document["peserta"]:
        for key, types in PARTICIPANT_TYPES.items():
            assert isinstance(record[key], types), (key, record)
        assert record["keputusan"] in DECISIONS
        assert record["tahap"] in [*STAGES, None]
        assert record["nip"] is None or re.fullmatch(r"\d{18}", record["nip"])
        assert record["skor"] is None or 0 <= record["skor"] <= 10
        assert re.fullmatch(r".+:.+!\d+", record["sumber"])
    for stage, counts in document["ringkasan"].items():
        if stage not in STAGES:
            continue
        members = [p for p in document["peserta"] if p["tahap"] == stage]
        assert sum(counts[d] for d in DECISIONS) == len(members)
        for decision in DECISIONS:
            assert counts[decision] == sum(p["keputusan"] == decision for p in members)
        assert list(counts["sebaran"]) == [str(s) for s in range(10, -1, -1)]
        # The sebaran counts exactly those decided by their score.
        scored = [p["skor"] for p in members if p["keputusan"] in ("lanjut", "tahan", "berhenti")]
        assert all(s is not None for s in scored)
        assert sum(counts["sebaran"].values()) == len(scored)
        assert counts["sebaran"]["10"] + counts["sebaran"]["9"] == counts["lanjut"]
        assert counts["sebaran"]["10"] == sum(s == 10 for s in scored)
        assert counts["sebaran"]["9"] == sum(9 <= s < 10 for s in scored)
    for problem in document["masalah"]:
        assert problem["tingkat"] in ("galat", "peringatan")
        assert {"berkas", "lembar", "baris", "kolom", "nip", "pesan"} <= problem.keys()


def test_json_is_strict_and_reruns_give_the_same_bytes(run: Run) -> None:
    first = run("tier", EXAMPLE, "--format", "json").stdout
    second = run("tier", EXAMPLE, "--format", "json").stdout
    assert first == second
    json.loads(first, parse_constant=lambda name: pytest.fail(f"not JSON: {name}"))
    assert "NaN" not in first


def test_participants_are_in_stable_order(run: Run) -> None:
    _, document = run.json("tier", EXAMPLE)
    keys = [
        (
            STAGES.index(p["tahap"]) if p["tahap"] else 3,
            DECISIONS.index(p["keputusan"]),
            -(p["skor"] if p["skor"] is not None else -1),
            (p["nama"] or "").casefold(),
        )
        for p in document["peserta"]
    ]
    assert keys == sorted(keys)


def test_no_nan_even_with_blank_cells(run: Run, clean: Path) -> None:
    _, document = run.json("tier", clean)
    dedi = next(p for p in document["peserta"] if p["nama"] == "Dedi")
    assert dedi["skor"] is None and dedi["keputusan"] == "belum_dinilai"


def test_ringkasan_per_eselon_and_unit_within_each_stage(run: Run, clean: Path) -> None:
    _, document = run.json("tier", clean)
    dasar, lanjutan = document["ringkasan"]["dasar"], document["ringkasan"]["lanjutan_1"]
    assert set(dasar["per_eselon"]) == {"III.a", "III.b", "IV.a", "IV.b"}
    assert dasar["per_eselon"]["III.a"]["lanjut"] == 1
    assert lanjutan["per_eselon"] == {
        "III.a": {**dict.fromkeys(DECISIONS, 0), "lanjut": 1, "jumlah": 1}
    }
    # Ani is in both stages: each stage counts her once, and says which stage it is.
    assert dasar["per_unit_kerja"]["Dinas Kominfo"] == {
        **dict.fromkeys(DECISIONS, 0),
        "lanjut": 1,
        "berhenti": 1,
        "jumlah": 2,
    }
    for stage in (dasar, lanjutan):
        for key in ("per_eselon", "per_unit_kerja"):
            for decision in (*DECISIONS, "jumlah"):
                assert sum(g[decision] for g in stage[key].values()) == stage[decision]


# --- terminal output -----------------------------------------------------------------------


def test_default_output_lists_tiers_and_problems(run: Run) -> None:
    result = run("tier", EXAMPLE)
    assert result.exit_code == 1
    out = result.stdout
    for words in ("Tahap dasar", "lanjut", "berhenti", "Sebaran skor", "Masalah"):
        assert words in out
    assert "Euis Rahayu" in out
    assert "\x1b[" not in out


def test_ringkas_has_no_names(run: Run) -> None:
    result = run("tier", EXAMPLE, "--ringkas")
    assert "Tahap dasar" in result.stdout and "Sebaran skor" in result.stdout
    assert "Euis Rahayu" not in result.stdout


def test_piped_output_has_no_colour_or_box_drawing(clean: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "skorasn", "tier", str(clean)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert "\x1b[" not in completed.stdout
    assert not set(completed.stdout) & set("─│┌┐└┘━┃╇╈┡┩█")
    assert "Ani" in completed.stdout


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--tahap", "dasar"], ["Ani", "Budi", "Cici", "Dedi"]),
        (["--tahap", "lanjutan 1"], ["Ani"]),
        (["--eselon", "III"], ["Ani", "Cici", "Ani"]),
        (["--eselon", "IIIB"], ["Cici"]),
        (["--unit", "kominfo"], ["Ani", "Cici", "Ani"]),
        (["--sejak", "2025-11-01"], ["Ani", "Budi", "Dedi", "Ani"]),
        (["--sejak", "2025-05-01", "--sampai", "31/05/2025"], ["Cici"]),
        (["--eselon", "III", "--sejak", "2025-05-01", "--tahap", "dasar"], ["Ani", "Cici"]),
    ],
)
def test_filters(run: Run, clean: Path, args: list[str], names: list[str]) -> None:
    _, document = run.json("tier", clean, *args)
    assert [p["nama"] for p in document["peserta"]] == names


@pytest.mark.parametrize(
    "args", [["--unit", "Dinas"], ["--eselon", "III"], ["--sejak", "2025-01-01"]]
)
def test_a_filter_on_a_column_the_file_lacks_keeps_nobody(
    run: Run, write_csv: Callable[..., Path], args: list[str]
) -> None:
    """No Unit kerja, Eselon or Tanggal column: nobody matches, and nothing breaks."""
    path = write_csv(f"NIP;Nama;Tahap;Skor\n{nip(1)};Ani;Dasar;9\n{nip(2)};Budi;Dasar;4\n")
    code, document = run.json("tier", path, *args)
    assert code == 0 and document["peserta"] == []


def test_filters_do_not_blind_the_audit(run: Run, messy: Path) -> None:
    code, document = run.json("tier", messy, "--tahap", "lanjutan_1")
    assert code == 1
    assert [p["keputusan"] for p in document["peserta"]] == ["periksa"]
    assert set(document["ringkasan"]) >= {"lanjutan_1"} and "dasar" not in document["ringkasan"]


# --- exports ------------------------------------------------------------------------------


def test_exports_by_extension_with_placeholders(run: Run, clean: Path, tmp_path: Path) -> None:
    result = run(
        "tier",
        clean,
        "-o",
        str(tmp_path / "out/{tanggal}.json"),
        "-o",
        str(tmp_path / "out/{tanggal}-{waktu}.csv"),
        "-o",
        str(tmp_path / "out/hasil.xlsx"),
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.suffix for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert written == [".csv", ".json", ".xlsx"]
    json_file = next((tmp_path / "out").glob("*.json"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.json", json_file.name)
    assert not list((tmp_path / "out").glob(".skorasn-tmp-*"))


def test_csv_export_has_bom_and_chosen_delimiter(run: Run, clean: Path, tmp_path: Path) -> None:
    target = tmp_path / "hasil.csv"
    assert run("tier", clean, "-o", target, "--pemisah", ";").exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["nip", "nama", "eselon"]
    budi = next(r for r in rows if r[1] == "Budi")
    assert budi[0] == nip(2) and budi[7] == "7,5"


def test_csv_export_neutralises_formulas(
    run: Run, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    source = write_csv(
        f"NIP;Nama;Unit Kerja;Skor;Tahap\n{nip(1)};=HYPERLINK(A1);+Dinas;9;"
        f"Dasar\n{nip(2)};@Budi;-Dinas;9;Dasar\n"
    )
    target = tmp_path / "hasil.csv"
    assert run("tier", source, "-o", target).exit_code == 0
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["nama"] for r in rows} == {"'=HYPERLINK(A1)", "'@Budi"}
    assert {r["unit_kerja"] for r in rows} == {"'+Dinas", "'-Dinas"}


def test_xlsx_export_basics(run: Run, clean: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "hasil.xlsx"
    assert run("tier", clean, "-o", target).exit_code == 0
    book = load_workbook(target)
    assert book.sheetnames[:3] == ["Ringkasan", "Dasar", "Lanjutan 1"]
    sheet = book["Dasar"]
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref
    nips = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert nips and all(isinstance(v, str) and len(v) == 18 for v in nips)


# --- cron behaviour -----------------------------------------------------------------------


def test_quiet_is_silent_on_a_clean_run(run: Run, clean: Path, tmp_path: Path) -> None:
    result = run("tier", clean, "-q", "-o", tmp_path / "hasil.json")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_quiet_prints_a_short_summary_on_galat(run: Run) -> None:
    result = run("tier", EXAMPLE, "-q")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert re.match(r"skorasn: \d+ galat, \d+ peringatan", lines[0])
    assert 2 <= len(lines) <= 8


def test_log_appends_one_line_per_run(run: Run, clean: Path, messy: Path, tmp_path: Path) -> None:
    log = tmp_path / "log" / "skorasn.log"
    run("tier", clean, "-q", "--log", log)
    run("tier", messy, "-q", "--log", log)
    run("tier", tmp_path / "hilang.csv", "-q", "--log", log)
    lines = log.read_text().splitlines()
    assert len(lines) == 3
    assert "lanjut=2" in lines[0] and "galat=0" in lines[0] and lines[0].endswith("keluar=0")
    assert "galat=2" in lines[1] and lines[1].endswith("keluar=1")
    assert lines[2].endswith("keluar=3")


def test_help_does_not_import_pandas() -> None:
    code = (
        "import sys; from skorasn.cli import main; sys.argv=['skorasn','--help'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("command", ["tier", "periksa", "templat", "aturan"])
def test_every_command_has_indonesian_help_with_an_example(run: Run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Contoh:" in result.stdout and "Penggunaan:" in result.stdout


def test_module_entry_point() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "skorasn", "--versi"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0 and completed.stdout.startswith("skorasn ")


def _finite(value: Any) -> bool:
    return not (isinstance(value, float) and math.isnan(value))


def test_filter_never_turns_a_failing_run_green(run: Run, messy: Path) -> None:
    result = run("tier", messy, "--eselon", "II.a")
    assert result.exit_code == 1
    assert "Di luar saringan: 2 galat" in result.stdout


def test_dates_in_the_wrong_order_are_a_usage_error(run: Run, clean: Path) -> None:
    result = run("tier", clean, "--sejak", "2025-12-01", "--sampai", "2025-01-01")
    assert result.exit_code == 2 and "tukar" in result.stderr


def test_unwritable_output_folder_exits_73(run: Run, clean: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "bukan_folder"
    blocker.write_text("x")
    result = run("tier", clean, "-o", blocker / "hasil.xlsx")
    assert result.exit_code == 73, result.output
    assert "bukan folder" in result.stderr and "Traceback" not in result.stderr


def test_ringkas_gives_only_the_count_of_problems(run: Run, messy: Path) -> None:
    result = run("tier", messy, "--ringkas")
    assert "Masalah: 2 galat" in result.stdout
    assert "disetop" not in result.stdout


def test_rows_without_a_stage_are_summarised_too(run: Run, write_csv: Callable[..., Path]) -> None:
    source = write_csv(f"NIP;Nama;Skor\n{nip(1)};Ani;9\n{nip(2)};Budi;4\n", name="rekap.csv")
    code, document = run.json("tier", source)
    assert code == 1
    assert document["ringkasan"]["tanpa_tahap"]["periksa"] == 2
    assert "Tanpa tahap — 2 peserta" in run("tier", source).stdout


def test_templat_does_not_overwrite_a_filled_workbook(run: Run, clean: Path) -> None:
    before = clean.read_bytes()
    result = run("templat", clean)
    assert result.exit_code == 2 and "--timpa" in result.stderr
    assert clean.read_bytes() == before
    assert run("templat", clean, "--timpa").exit_code == 0
    assert clean.read_bytes() != before


def test_counts_in_sentences_use_indonesian_thousands(tmp_path: Path, run: Any) -> None:
    """1.100 galat, of which the terminal shows a few: '1.080 tidak ditampilkan'."""
    rows = "".join(f";Peserta {n};III.a;Dinas;9\n" for n in range(1_100))
    source = tmp_path / "nilai_dasar.csv"
    source.write_text("NIP;Nama;Eselon;Unit Kerja;Skor\n" + rows, encoding="utf-8")
    result = run("tier", source, "-o", tmp_path / "rekap.json")
    assert result.exit_code == 1
    output = result.stdout + result.stderr
    assert re.search(r"Masalah: 1\.100 galat, 0 peringatan; 1\.\d{3} tidak ditampilkan", output)
