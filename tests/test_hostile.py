"""Hostile workbooks, one per family, built here in tmp_path: each must end as a galat naming
its file, in bounded memory, and never end the run; random damage to valid files must end
with a documented exit code, never a traceback, 70 or a signal."""

from __future__ import annotations

import datetime as dt
import io
import json
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skorasn.errors import RejectedFile, UnreadableFile
from skorasn.models import Rules, ZipLimits
from skorasn.reading import discover, isolation, read_inputs
from skorasn.reading.guard import check_workbook

from . import hostile
from .conftest import TEST_DATA, nip, traced_peak
from .test_guard import bomb_under_ratio

MB = 2**20
README_EXIT_CODES = {0, 1, 2, 3, 73, 75}

FAMILIES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("jumlah_teks.xlsx", hostile.huge_unique_count, "4.294.967.295"),
    ("sudut.xlsx", hostile.far_corner, "XFD1048576"),
    ("salinan.xlsx", hostile.shared_string_fanout, "berulang di banyak sel"),
    ("tanpa_alamat.xlsx", hostile.cells_without_reference, "di luar batas lembar kerja"),
    ("blok.ods", hostile.ods_repeated_block, "XFD6000"),
    ("baris_jauh.ods", hostile.ods_far_rows, "melebihi batas"),
    ("spasi.ods", hostile.ods_spaces, "spasi berulang"),
    (
        "putar.xls",
        lambda p: hostile.write_cfb(
            p, hostile.biff_workbook([(0, 0, 1.0)], (0, 1, 0, 1)), directory_loops=True
        ),
        "berputar",
    ),
]


@pytest.mark.parametrize(("name", "build", "keyword"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_family_is_refused_before_the_reader_in_bounded_memory(
    tmp_path: Path, name: str, build: Callable[[Path], Path], keyword: str
) -> None:
    path = build(tmp_path / name)
    with traced_peak() as traced, pytest.raises(RejectedFile) as refused:
        check_workbook(path, ZipLimits())
    assert keyword in str(refused.value)
    assert traced.peak < 24 * MB


def test_abort_in_the_reader_costs_one_file(tmp_path: Path) -> None:
    """A DIMENSIONS record declaring 4 billion rows makes calamine abort while opening the
    file; it does so in a child process, and the galat names the file."""
    path = hostile.write_cfb(
        tmp_path / "dimensi.xls", hostile.biff_workbook([(0, 0, 1.0)], (0, 0xFFFFFFFF, 0, 0xFF))
    )
    result = read_inputs(discover([path, good_file(tmp_path)]), Rules(), default_stage="dasar")
    assert result.rows["nip"].tolist() == [nip(21), nip(22)]
    galat = [p for p in result.problems if p.tingkat == "galat"]
    assert [p.berkas for p in galat] == [str(path)]
    assert "berhenti mendadak" in galat[0].pesan


def good_file(folder: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Skor"])
    sheet.append([nip(21), "Ani", 9])
    sheet.append([nip(22), "Budi", 4])
    path = folder / "baik.xlsx"
    book.save(path)
    return path


# Runs the CLI and reports its exit status and its peak memory with that of the readers it
# started. A launcher of its own, because Linux carries the RSS of the process that forks into
# the child's ru_maxrss: measured straight from pytest, the CLI would weigh as much as the test
# session had grown to.
LAUNCHER = """
import json, subprocess, sys
try:
    import resource
except ImportError:  # Windows: no peak to read
    resource = None
report, command = sys.argv[1], sys.argv[2:]
try:
    code = subprocess.run(command, timeout=300).returncode
except subprocess.TimeoutExpired:
    code = "habis waktu"
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if resource else 0
with open(report, "w") as handle:
    json.dump({"code": code, "peak_kb": peak}, handle)
"""


def run_cli(folder: Path, *args: str) -> tuple[int, dict[str, Any], str, int]:
    """The CLI in a child process, so an abort is seen rather than suffered; with the peak
    memory (KB) of that process and of the readers it started (0 where it cannot be read)."""
    out, err, status = folder / "keluaran.txt", folder / "galat.txt", folder / "status.json"
    with out.open("w") as stdout, err.open("w") as stderr:
        subprocess.run(
            [sys.executable, "-c", LAUNCHER, status, sys.executable, "-m", "skorasn", *args],
            stdout=stdout,
            stderr=stderr,
            check=True,
        )
    ended = json.loads(status.read_text(encoding="utf-8"))
    text = out.read_text(encoding="utf-8")
    report = json.loads(text) if text.strip().startswith("{") else {}
    output = text + err.read_text(encoding="utf-8")
    return ended["code"], report, output, ended["peak_kb"]


def test_every_family_beside_a_good_file_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    hostile_files = [build(folder / name) for name, build, _ in FAMILIES]
    hostile_files += [
        hostile.far_corner(folder / "xfd.xlsx"),
        bomb_under_ratio(folder / "bom.xlsx"),
        hostile.write_cfb(
            folder / "dimensi.xls",
            hostile.biff_workbook([(0, 0, 1.0)], (0, 0xFFFFFFFF, 0, 0xFF)),
        ),
    ]
    (folder / "gnumeric.ods").write_bytes((TEST_DATA / "gnumeric_dasar.ods").read_bytes())
    good_file(folder)
    code, report, output, peak_kb = run_cli(
        tmp_path, "tier", str(folder), "--format", "json", "--tahap", "dasar"
    )
    assert code == 1 and "Traceback" not in output
    galat = {Path(p["berkas"]).name for p in report["masalah"] if p["tingkat"] == "galat"}
    assert galat == {path.name for path in hostile_files}
    assert {nip(21), nip(22), "198811112012012005"} <= {p["nip"] for p in report["peserta"]}
    assert peak_kb < 300 * 1024  # the issue allows a bomb 300 MB; all of them together


# --- random damage ----------------------------------------------------------------------------


def seeds(folder: Path) -> dict[str, bytes]:
    csv = f"NIP;Nama;Skor\n{nip(3)};Citra;8,5\n{nip(4)};Dedi;10\n".encode()
    ods = hostile.write_ods(
        folder / "benih.ods",
        '<table:table table:name="Dasar"><table:table-row>'
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'
            for t in ("NIP", "Skor")
        )
        + f'</table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>{nip(5)}</text:p></table:table-cell>'
        + hostile.ods_number(7.5)
        + "</table:table-row></table:table>",
    )
    return {".xlsx": good_file(folder).read_bytes(), ".ods": ods.read_bytes(), ".csv": csv}


TOKENS = [
    b'r="XFD1048576"',
    b't="e"',
    b"<!--",
    b"x:",
    b'uniqueCount="99999999999"',
    b"\x00",
    b'table:number-columns-repeated="16384"',
    b"<f>1</f>",
    b'hidden="1"',
    b"\xff\xfe",
    b"&#0;",
]
edits = st.tuples(
    st.floats(0, 1), st.one_of(st.binary(min_size=1, max_size=3), st.sampled_from(TOKENS))
)
mutant = st.tuples(
    st.sampled_from([".xlsx", ".ods", ".csv"]),
    st.booleans(),
    st.lists(edits, min_size=1, max_size=4),
)


def mutate(data: bytes, changes: list[tuple[float, bytes]]) -> bytes:
    for where, text in changes:
        at = int(where * len(data))
        data = data[:at] + text + data[at + len(text) // 2 :]
    return data


def mutate_inside(data: bytes, changes: list[tuple[float, bytes]]) -> bytes:
    """Damage the XML inside the zip and pack it again, so the parts, not the zip, are hit."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if n.endswith(".xml")]
    target_name = names[int(changes[0][0] * len(names)) % len(names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            target.writestr(name, mutate(part, changes) if name == target_name else part)
    return buffer.getvalue()


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=st.lists(mutant, min_size=6, max_size=9))
def test_random_damage_ends_with_a_documented_exit_code(
    tmp_path_factory: pytest.TempPathFactory,
    batch: list[tuple[str, bool, list[tuple[float, bytes]]]],
) -> None:
    work = tmp_path_factory.mktemp("acak")
    folder = work / "masuk"
    folder.mkdir()
    originals = seeds(work)
    for number, (suffix, inside, changes) in enumerate(batch):
        data = originals[suffix]
        damaged = (
            mutate_inside(data, changes) if inside and suffix != ".csv" else mutate(data, changes)
        )
        (folder / f"rusak{number}_dasar{suffix}").write_bytes(damaged)
    code, report, output, _ = run_cli(work, "tier", str(folder), "--format", "json")
    assert code in README_EXIT_CODES and "Traceback" not in output, output[-2000:]


def test_a_reader_that_takes_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolation, "_BASE_SECONDS", 0.001)
    monkeypatch.setattr(isolation, "_SECONDS_PER_MB", 0)
    path = hostile.write_ods(tmp_path / "lambat.ods", '<table:table table:name="Dasar"/>')
    with pytest.raises(UnreadableFile, match="dihentikan setelah"):
        isolation.read_isolated(path, ZipLimits())


def test_only_plain_values_come_back_from_the_reader() -> None:
    sent = pickle.dumps(("ok", [("Dasar", True, (0, 0), [[dt.date(2025, 11, 7)]], [])]))
    assert isolation._load(sent)[1][0][3] == [[dt.date(2025, 11, 7)]]
    with pytest.raises(UnreadableFile, match="berhenti mendadak"):
        isolation._load(pickle.dumps(("ok", [Path("x")])))
