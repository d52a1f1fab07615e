"""Read only what is meant to be read, each thing once.

The same file by another path, a copy, a workbook and its CSV export, skorasn's own reports
(also when cron writes them into the input folder day after day), Office lock files, and paths
that must never be opened (FIFO, device, socket, symlink loop).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from skorasn.core import TierJob, TierOptions
from skorasn.models import REPORT_CSV_COLUMNS, Rules
from skorasn.reading import discover, read_inputs
from skorasn.reading.ownfiles import report_kind
from skorasn.vocabulary import TITLE

from .conftest import CONTOH, Run, nip

HEADER = ["NIP", "Nama", "Tanggal", "Skor"]
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and sockets are POSIX")


def rows(count: int, score: float = 9) -> list[list[Any]]:
    return [[nip(i + 1), f"Peserta {i}", "07/11/2025", score - i % 3] for i in range(count)]


def csv_text(data: list[list[Any]], delimiter: str = ";") -> str:
    lines = [HEADER, *data]
    return "".join(delimiter.join(str(c).replace(".", ",") for c in row) + "\n" for row in lines)


def tier(run: Run, *args: object) -> tuple[int, dict[str, Any]]:
    result = run("tier", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result.exit_code, json.loads(result.stdout)


def levels(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(Path(m["berkas"]).name, m["tingkat"]) for m in document["masalah"]]


# --- 6. the same file twice -------------------------------------------------------------------


def test_another_path_to_the_same_file_is_read_once(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    original = folder / "dasar.csv"
    original.write_text(csv_text(rows(4)), encoding="utf-8")
    os.link(original, folder / "dasar_tautan_keras.csv")
    if os.name == "posix":
        (folder / "dasar_tautan.csv").symlink_to(original)
    code, document = tier(run, folder, original, f"{folder}/../masuk/dasar.csv")
    assert code == 0
    assert len(document["peserta"]) == 4
    assert all(level == "peringatan" for _, level in levels(document))
    assert all("sudah dibaca" in m["pesan"] for m in document["masalah"])


def test_a_copy_with_the_same_bytes_is_read_once_and_both_are_named(
    run: Run, tmp_path: Path
) -> None:
    data = csv_text(rows(4)).encode("utf-8")
    for name in ("a_dasar.csv", "b_dasar_salinan.csv", "c_dasar (1).csv"):
        (tmp_path / name).write_bytes(data)
    code, document = tier(run, tmp_path)
    assert code == 0
    assert len(document["peserta"]) == 4
    copies = [m for m in document["masalah"] if "sama persis" in m["pesan"]]
    assert [Path(m["berkas"]).name for m in copies] == ["b_dasar_salinan.csv", "c_dasar (1).csv"]
    assert all("a_dasar.csv" in m["pesan"] and m["tingkat"] == "peringatan" for m in copies)


# --- 7. paths that are not regular files ----------------------------------------------------------


def run_cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """In a child with a timeout: a regression here is a hang, which must fail, not block."""
    return subprocess.run(
        [sys.executable, "-m", "skorasn", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


@POSIX
def test_fifo_device_socket_and_links_are_refused_without_being_opened(tmp_path: Path) -> None:
    inside = tmp_path / "masuk"
    inside.mkdir()
    (inside / "dasar.csv").write_text(csv_text(rows(2)), encoding="utf-8")
    os.mkfifo(inside / "pipa.csv")
    (inside / "nol.xlsx").symlink_to("/dev/zero")
    (inside / "putar.csv").symlink_to(inside / "putar.csv")
    (inside / "rusak.ods").symlink_to(inside / "tidak_ada.ods")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(inside / "soket.csv"))
        named = [tmp_path / "pipa2.csv", Path("/dev/null"), tmp_path / "a.xlsx"]
        os.mkfifo(named[0])
        (tmp_path / "a.xlsx").symlink_to(tmp_path / "b.xlsx")
        (tmp_path / "b.xlsx").symlink_to(tmp_path / "a.xlsx")
        result = run_cli("tier", inside, *named, "-o", tmp_path / "hasil.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads((tmp_path / "hasil.json").read_text(encoding="utf-8"))
    said = {Path(m["berkas"]).name: m["pesan"] for m in report["masalah"]}
    assert "FIFO" in said["pipa.csv"] and "FIFO" in said["pipa2.csv"]
    assert "perangkat karakter" in said["nol.xlsx"] and "perangkat karakter" in said["null"]
    assert "soket" in said["soket.csv"]
    assert "tautan simbolik berputar" in said["putar.csv"]
    assert "tautan simbolik berputar" in said["a.xlsx"]
    assert "tautan simbolik rusak" in said["rusak.ods"]
    assert all(m["tingkat"] == "galat" for m in report["masalah"])
    assert len(report["peserta"]) == 2


@POSIX
def test_a_block_device_is_refused(tmp_path: Path) -> None:
    import stat

    devices = [p for p in Path("/dev").glob("*") if p.exists() and stat.S_ISBLK(p.stat().st_mode)]
    if not devices:
        pytest.skip("no block device visible here")
    found = discover([devices[0]])
    assert found.files == []
    assert "perangkat blok" in found.problems[0].pesan


# --- 8a. skorasn's own reports ---------------------------------------------------------------------


@pytest.fixture
def scores(tmp_path: Path) -> Path:
    folder = tmp_path / "masuk"
    folder.mkdir()
    path = folder / "dasar.csv"
    path.write_text(csv_text(rows(6)), encoding="utf-8")
    return path


def test_every_kind_of_report_is_recognised(run: Run, scores: Path, tmp_path: Path) -> None:
    out = tmp_path / "laporan"
    targets = [out / f"rekap.{kind}" for kind in ("xlsx", "csv", "json", "html")]
    result = run("tier", scores, *(a for t in targets for a in ("-o", t)))
    assert result.exit_code == 0, result.output
    for delimiter in (";", "tab"):
        extra = out / f"rekap_{delimiter}.csv"
        assert run("tier", scores, "-o", extra, "--pemisah", delimiter).exit_code == 0
        targets.append(extra)
    no_bom = out / "rekap_tanpa_bom.csv"
    no_bom.write_bytes(targets[1].read_bytes().removeprefix(b"\xef\xbb\xbf"))
    targets.append(no_bom)
    assert [report_kind(t) for t in targets] == ["XLSX", "CSV", "JSON", "HTML", "CSV", "CSV", "CSV"]
    periksa = run("periksa", "--format", "json", scores, *targets)
    said = json.loads(periksa.stdout)["masalah"]
    for target in targets:
        mine = [m for m in said if m["berkas"] == str(target)]
        assert [m["tingkat"] for m in mine] == ["peringatan"], target
        assert "laporan skorasn" in mine[0]["pesan"]


def test_reports_of_older_versions_and_near_misses(tmp_path: Path) -> None:
    def book(name: str, author: str, header: list[str]) -> Path:
        path = tmp_path / name
        workbook = xlsxwriter.Workbook(path)
        workbook.set_properties({"title": TITLE, "author": author})
        sheet = workbook.add_worksheet("Dasar")
        sheet.write_row(0, 0, header)
        sheet.write_row(1, 0, [nip(1), "Ani", "07/11/2025", 9])
        workbook.close()
        return path

    assert report_kind(book("lama.xlsx", "skorasn", HEADER)) == "XLSX"
    assert report_kind(book("orang.xlsx", "Budi", HEADER)) is None
    near = tmp_path / "hampir.csv"
    near.write_text(",".join([*REPORT_CSV_COLUMNS[:-1], "asal"]) + "\n", encoding="utf-8")
    assert report_kind(near) is None
    plain = tmp_path / "catatan.json"
    plain.write_text('{"nama": "bukan laporan"}', encoding="utf-8")
    assert report_kind(plain) is None
    assert "tidak didukung" in discover([plain]).problems[0].pesan


def test_cron_writing_into_its_input_folder_keeps_working_day_after_day(scores: Path) -> None:
    folder = scores.parent
    alone = read_inputs(discover([scores]), Rules())
    outputs = (str(folder / "rekap_{tanggal}.xlsx"), str(folder / "rekap_{tanggal}.csv"))
    for day in range(1, 5):
        for rerun in (False, True):  # twice the same day: this run's own outputs exist
            started = dt.datetime(2025, 11, day, 18, 30).astimezone()
            job = TierJob(
                TierOptions(inputs=(folder,), rules=Rules(), outputs=outputs, started=started)
            )
            report = job.run()
            assert report.galat == 0
            assert len(report.peserta) == len(alone.rows)
            skipped = [p for p in report.problems if "laporan skorasn" in p.pesan]
            assert len(skipped) == 2 * (day - 1), (day, rerun)
            assert all(p.tingkat == "peringatan" for p in report.problems)
    assert len(list(folder.glob("rekap_*"))) == 8


def test_an_input_at_an_output_path_is_still_never_overwritten(run: Run, scores: Path) -> None:
    target = scores.parent / "rekap.csv"
    target.write_text(csv_text(rows(2)), encoding="utf-8")
    before = target.read_bytes()
    result = run("tier", scores.parent, "-o", target)
    assert result.exit_code == 2
    assert target.read_bytes() == before


# --- 8b. the same data in two files -------------------------------------------------------------


def test_example_folder_gives_one_galat_and_the_report_of_one_file(run: Run) -> None:
    both_code, both = tier(run, CONTOH)
    one_code, one = tier(run, CONTOH / "nilai_pelatihan_ai_2025.csv")
    assert both_code == one_code == 1
    same = [m for m in both["masalah"] if "berisi data yang sama; pilih salah satu" in m["pesan"]]
    assert len(same) == 1
    assert same[0]["tingkat"] == "galat"
    assert "nilai_pelatihan_ai_2025.xlsx" in same[0]["pesan"]
    assert "hanya" in same[0]["pesan"] and "yang dibaca" in same[0]["pesan"]
    rest = [m for m in both["masalah"] if m is not same[0]]

    def plain(masalah: list[dict[str, Any]]) -> list[tuple]:
        return sorted(
            (Path(m["berkas"]).name, m["baris"], m["kolom"], m["pesan"][:40]) for m in masalah
        )

    assert plain(rest) == plain(one["masalah"])
    assert both["ringkasan"] == one["ringkasan"]
    assert len(both["peserta"]) == len(one["peserta"])


@pytest.mark.parametrize(
    ("change", "same"),
    [
        (None, True),
        ("drop_rows", True),  # one holds part of the other: the larger one is read
        ("score", False),
        ("name", False),
        ("date", False),
        ("extra_row", True),
    ],
)
def test_same_data_is_defined_on_the_rows_and_near_misses_stay_galat(
    run: Run, write_xlsx: Callable[..., Path], tmp_path: Path, change: str | None, same: bool
) -> None:
    data = rows(12)
    book = write_xlsx({"Dasar": [HEADER, *data]}, name="a_dasar.xlsx")
    copy = [list(row) for row in data]
    if change == "drop_rows":
        copy = copy[:7]
    elif change == "score":
        copy[5][3] = copy[5][3] - 1
    elif change == "name":
        copy[5][1] = "Orang Lain"
    elif change == "date":
        copy[5][2] = "08/11/2025"
    elif change == "extra_row":
        copy.append([nip(50), "Tambahan", "07/11/2025", 9])
    (tmp_path / "b_dasar.csv").write_text(csv_text(copy), encoding="utf-8")
    code, document = tier(run, book, tmp_path / "b_dasar.csv")
    assert code == 1
    same_galat = [m for m in document["masalah"] if "berisi data yang sama" in m["pesan"]]
    duplikat = [m for m in document["masalah"] if m["pesan"].startswith("duplikat")]
    if same:
        assert len(same_galat) == 1 and duplikat == []
        assert [m["tingkat"] for m in document["masalah"]] == ["galat"]
        kept = "b_dasar.csv" if change == "extra_row" else "a_dasar.xlsx"
        assert {Path(p["sumber"].split(":")[0]).name for p in document["peserta"]} == {kept}
    else:
        assert same_galat == [] and len(duplikat) >= 11


# --- 8c. lock files -------------------------------------------------------------------------------


def excel_owner(name: str) -> bytes:
    """An owner file as Excel writes it (and LibreOffice, see msodocumentlockfile.cxx)."""
    data = bytes([len(name)]) + name.encode("cp1252", "replace")
    data += b" " * (55 - len(data)) + bytes([len(name), 0]) + name.encode("utf-16-le")
    return data + b" \x00" * ((165 - len(data)) // 2)


@pytest.mark.parametrize(
    ("lock", "content", "user"),
    [
        ("~$dasar.xlsx", excel_owner("Budi Santoso"), "Budi Santoso"),
        ("~$dasar.xlsx", excel_owner("Ḍewi Ṣari"), "Ḍewi Ṣari"),
        ("~$dasar.xlsx", excel_owner("Eve\x1b[2J"), "Eve\\x1b[2J"),
        ("~$dasar.xlsx", b"\x00garbage", None),
        (
            ".~lock.dasar.xlsx#",
            b"Ani Rahayu\\, S.Kom.,ani,PC-BKPSDM,07.11.2025 09:15,file:///home/ani/.config;",
            "Ani Rahayu, S.Kom. di komputer PC-BKPSDM",
        ),
        (".~lock.dasar.xlsx#", b",budi,LAPTOP-7,07.11.2025 09:15,file:///x;", "budi"),
        (".~lock.dasar.xlsx#", b"", None),
    ],
)
def test_open_workbook_gives_one_peringatan_naming_the_user(
    run: Run,
    write_xlsx: Callable[..., Path],
    tmp_path: Path,
    lock: str,
    content: bytes,
    user: str | None,
) -> None:
    book = write_xlsx({"Dasar": [HEADER, *rows(3)]}, name="dasar.xlsx")
    (tmp_path / lock).write_bytes(content)
    code, document = tier(run, tmp_path)
    assert code == 0
    [note] = document["masalah"]
    assert note["berkas"] == str(book) and note["tingkat"] == "peringatan"
    assert "sedang dibuka" in note["pesan"] and lock in note["pesan"]
    if user is not None:
        assert f"oleh {user}" in note["pesan"]
    else:
        assert " oleh " not in note["pesan"]
    named = run("tier", tmp_path / lock, book, "--format", "json")
    said = {Path(m["berkas"]).name: m for m in json.loads(named.stdout)["masalah"]}
    assert "berkas kunci" in said[lock]["pesan"] and "simpan ulang" not in said[lock]["pesan"]
    assert said[lock]["tingkat"] == "peringatan"


def test_a_subfolder_with_spreadsheets_is_named_not_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "kiriman"
    (folder / "angkatan2").mkdir(parents=True)
    (folder / "kosong").mkdir()
    (folder / ".git").mkdir()
    (folder / ".git" / "x.csv").write_text("NIP,Nama,Skor\n", encoding="utf-8")
    (folder / "a_dasar.csv").write_text(f"NIP,Nama,Skor\n{nip(1)},Ani,9\n", encoding="utf-8")
    (folder / "angkatan2" / "b_dasar.csv").write_text(
        f"NIP,Nama,Skor\n{nip(2)},Budi,9\n", encoding="utf-8"
    )
    found = discover([folder])
    assert found.files == [folder / "a_dasar.csv"]
    assert [(p.berkas, p.tingkat) for p in found.problems] == [
        (str(folder / "angkatan2"), "peringatan")
    ]
    assert "tidak dibaca" in found.problems[0].pesan
    both = discover([folder, folder / "angkatan2"])
    assert len(both.files) == 2 and both.problems == []
