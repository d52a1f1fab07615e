"""skorasn, run through its CLI, against the oracles of the sample data and the fixtures.

Every expectation comes from the generators: ``tests/buat_contoh_data.py``
(``build_dataset()`` with the rules applied by ``apply_spec()``, ``DELIBERATE_PROBLEMS``,
``problem_cells()``, ``SKIPPED_SHEETS``) and ``tests/data/buat_fixture.py`` (``FIXTURES``,
``SHEET_PROBLEMS``). No expected number is typed in here; change the data there, not here.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from skorasn.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their string annotations through it
    spec.loader.exec_module(module)
    return module


contoh = _load("buat_contoh_data", ROOT / "tests" / "buat_contoh_data.py")
fixture = _load("buat_fixture", DATA / "buat_fixture.py")

SAMPLE = {
    "xlsx": ROOT / "contoh_data" / contoh.XLSX_NAME,
    "csv": ROOT / "contoh_data" / contoh.CSV_NAME,
}
STAGE_KEYS = list(contoh.STAGE_KEYS.values())

Place = tuple[str | None, int]  # (lembar, baris) of a participant row


@functools.cache
def tier(path: Path) -> tuple[int, dict[str, Any]]:
    """`skorasn tier PATH --format json`, once per file (exit code 1 means: there are galat)."""
    result = CliRunner().invoke(app, ["tier", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), f"{result.exit_code}: {result.output}"
    return result.exit_code, json.loads(result.stdout)


@functools.cache
def dataset() -> Any:
    return contoh.build_dataset()


def place(sumber: str) -> Place:
    """'path/x.xlsx:Dasar!61' -> ('Dasar', 61); 'path/x.csv:57' -> (None, 57)."""
    where = sumber.rsplit(":", 1)[1]
    if "!" in where:
        sheet, row = where.rsplit("!", 1)
        return sheet, int(row)
    return None, int(where)


def actual_records(report: dict[str, Any]) -> dict[tuple[str | None, str], list[tuple]]:
    """(nip, tahap) -> sorted [(lembar, baris, keputusan)]: NIP-less rows by their place."""
    result: dict[tuple[str | None, str], list[tuple]] = {}
    for p in report["peserta"]:
        result.setdefault((p["nip"], p["tahap"]), []).append((*place(p["sumber"]), p["keputusan"]))
    return {key: sorted(value, key=repr) for key, value in result.items()}


def row_masalah(report: dict[str, Any], path: Path) -> Counter:
    """(lembar, kolom, baris, tingkat) of every masalah about a row of this file."""
    return Counter(
        (m["lembar"], m["kolom"], m["baris"], m["tingkat"])
        for m in report["masalah"]
        if m["baris"] is not None and _same_file(m["berkas"], path)
    )


def sheet_masalah(report: dict[str, Any]) -> Counter:
    return Counter((m["lembar"], m["tingkat"]) for m in report["masalah"] if m["baris"] is None)


def _same_file(berkas: str, path: Path) -> bool:
    return Path(berkas).resolve() == path.resolve()


def _diff(expected: dict, actual: dict) -> str:
    lines = []
    for key in sorted(set(expected) | set(actual), key=repr):
        if expected.get(key) != actual.get(key):
            lines.append(f"  {key}: expected {expected.get(key)}, skorasn {actual.get(key)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# contoh_data/: the .xlsx and the .csv
# --------------------------------------------------------------------------------------------


def test_oracle_is_consistent_with_the_rows_it_wrote() -> None:
    contoh.check_oracle(dataset())  # raises SystemExit listing the drift


def expected_records(fmt: str) -> dict[tuple[str | None, str], list[tuple]]:
    result: dict[tuple[str | None, str], list[tuple]] = {}
    for row in contoh.records(dataset().all_rows()):
        result.setdefault((row.nip, row.tahap), []).append((*row.location(fmt), row.expected))
    return {key: sorted(value, key=repr) for key, value in result.items()}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_sample_keputusan_per_participant(fmt: str) -> None:
    _, report = tier(SAMPLE[fmt])
    expected, actual = expected_records(fmt), actual_records(report)
    assert actual == expected, "keputusan differ:\n" + _diff(expected, actual)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_sample_riwayat_holds_the_superseded_attempts(fmt: str) -> None:
    _, report = tier(SAMPLE[fmt])
    expected = {
        row.location(fmt): [(*r.location(fmt), r.expected) for r in row.riwayat]
        for row in contoh.records(dataset().all_rows())
    }
    actual = {
        place(p["sumber"]): [(*place(h["sumber"]), h["keputusan"]) for h in p["riwayat"]]
        for p in report["peserta"]
    }
    assert any(expected.values()), "the sample data should contain a retake"
    assert actual == expected, "riwayat differ:\n" + _diff(expected, actual)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_sample_ringkasan_per_stage(fmt: str) -> None:
    _, report = tier(SAMPLE[fmt])
    expected = {
        contoh.STAGE_KEYS[stage]: {k: counts[k] for k in contoh.DECISIONS}
        for stage, counts in contoh.totals(dataset()).items()
    }
    actual = {
        tahap: {k: report["ringkasan"][tahap][k] for k in contoh.DECISIONS} for tahap in STAGE_KEYS
    }
    assert actual == expected


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "problem", contoh.DELIBERATE_PROBLEMS, ids=lambda p: f"{p['kode']}-{p['sel'][0]}"
)
def test_sample_deliberate_problem_is_reported_at_its_cell(fmt: str, problem: dict) -> None:
    path = SAMPLE[fmt]
    _, report = tier(path)
    for lembar, kolom, baris in contoh.problem_cells(problem, fmt):
        here = [
            m
            for m in report["masalah"]
            if _same_file(m["berkas"], path) and m["lembar"] == lembar and m["baris"] == baris
        ]
        where = f"{path.name}:{lembar or ''}!{kolom}{baris}"
        if problem["tingkat"] is None:
            assert here == [], f"{problem['kode']} is not a problem, yet at {where}: {here}"
            continue
        hits = [m for m in here if m["kolom"] == kolom and m["tingkat"] == problem["tingkat"]]
        assert hits, f"no {problem['tingkat']} at {where} for {problem['kode']}; got {here}"
        wanted = problem.get("pesan_memuat")
        if wanted:
            assert any(wanted in m["pesan"] for m in hits), (
                f"{where}: no message contains {wanted!r}: {[m['pesan'] for m in hits]}"
            )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_sample_reports_nothing_else(fmt: str) -> None:
    path = SAMPLE[fmt]
    code, report = tier(path)
    expected: Counter = Counter()
    for row in dataset().all_rows():
        lembar, baris = row.location(fmt)
        expected.update((lembar, f.kolom(fmt), baris, f.tingkat) for f in row.findings)
    actual = row_masalah(report, path)
    assert actual == expected, "row masalah differ:\n" + _diff(dict(expected), dict(actual))
    sheets = (
        Counter((sheet, contoh.PERINGATAN) for sheet in contoh.SKIPPED_SHEETS)
        if fmt == "xlsx"
        else Counter()
    )
    assert sheet_masalah(report) == sheets
    assert code == (1 if any(key[3] == contoh.GALAT for key in expected) else 0)


def test_sample_xlsx_and_csv_decide_alike() -> None:
    by_place = {
        fmt: {
            place(p["sumber"]): (p["keputusan"], p["skor"]) for p in tier(SAMPLE[fmt])[1]["peserta"]
        }
        for fmt in SAMPLE
    }
    rows = contoh.records(dataset().all_rows())
    xlsx = {row.csv_line: by_place["xlsx"].get(row.location("xlsx")) for row in rows}
    csv = {row.csv_line: by_place["csv"].get(row.location("csv")) for row in rows}
    assert xlsx == csv, "xlsx and csv differ (by CSV line):\n" + _diff(xlsx, csv)


# --------------------------------------------------------------------------------------------
# tests/data/: files written by LibreOffice, xlsxwriter and by hand
# --------------------------------------------------------------------------------------------


def test_fixture_oracle_is_consistent() -> None:
    assert fixture.check_fixtures() == []


@pytest.mark.parametrize("name", sorted(fixture.FIXTURES))
def test_fixture_keputusan_per_participant(name: str) -> None:
    _, report = tier(DATA / name)
    expected: dict[tuple[str | None, str], list[tuple]] = {}
    for e in fixture.FIXTURES[name]:
        expected.setdefault((e.nip or None, e.tahap), []).append((e.lembar, e.baris, e.keputusan))
    expected = {key: sorted(value, key=repr) for key, value in expected.items()}
    actual = actual_records(report)
    assert actual == expected, "keputusan differ:\n" + _diff(expected, actual)


@pytest.mark.parametrize("name", sorted(fixture.FIXTURES))
def test_fixture_ringkasan_per_stage(name: str) -> None:
    _, report = tier(DATA / name)
    expected: dict[str, dict[str, int]] = {}
    for e in fixture.FIXTURES[name]:
        counts = expected.setdefault(e.tahap, dict.fromkeys(fixture.DECISIONS, 0))
        counts[e.keputusan] += 1
    actual = {
        tahap: {k: report["ringkasan"][tahap][k] for k in fixture.DECISIONS}
        for tahap in STAGE_KEYS
        if tahap in report["ringkasan"]
    }
    assert actual == expected


@pytest.mark.parametrize("name", sorted(fixture.FIXTURES))
def test_fixture_masalah_at_the_stated_cells(name: str) -> None:
    path = DATA / name
    code, report = tier(path)
    expected = Counter(
        (e.lembar, kolom, e.baris, level)
        for e in fixture.FIXTURES[name]
        for kolom, level in e.masalah
    )
    actual = row_masalah(report, path)
    assert actual == expected, "row masalah differ:\n" + _diff(dict(expected), dict(actual))
    sheets = Counter(
        (sheet, level) for file, sheet, level, _ in fixture.SHEET_PROBLEMS if file == name
    )
    assert sheet_masalah(report) == sheets
    assert code == (1 if any(level == fixture.GALAT for *_, level in expected) else 0)
