"""Issue "Performance": the cost of the problems grows with the rows, not with a pandas call
per problem. Measured as work, never as time: the number of calls into pandas made while
deciding a frame where every participant carries a problem must not grow with the frame."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from skorasn.vocabulary import GALAT, PERIKSA

from .test_rules import decided, rows

# Every family of problem the rules find at a participant's row, `per_family` times each.
DAY = dt.date(2025, 5, 1)


def _families(per_family: int) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for number in range(per_family):
        serials = [7 * number + offset for offset in range(7)]
        people = [f"19800101200501{1 + s // 1000 % 2}{s % 1000:03d}" for s in serials]
        duplicate, retake, late, stopped, unknown, early, hist = people
        records += [
            # the same NIP twice without dates: duplikat
            {"nip": duplicate, "skor": 9, "tahap": "dasar"},
            {"nip": duplicate, "skor": 8, "tahap": "dasar"},
            # a retake after a stop: periksa
            {"nip": retake, "skor": 4, "tahap": "dasar", "tanggal": DAY},
            {"nip": retake, "skor": 9, "tahap": "dasar", "tanggal": DAY + dt.timedelta(days=7)},
            # a later stage without lanjut in the one before
            {"nip": late, "skor": 7, "tahap": "dasar"},
            {"nip": late, "skor": 9, "tahap": "lanjutan_1"},
            # stopped at lanjutan 1, then seated again at dasar
            {"nip": stopped, "skor": 9, "tahap": "dasar", "tanggal": DAY},
            {"nip": stopped, "skor": 3, "tahap": "lanjutan_1", "tanggal": DAY.replace(month=6)},
            {"nip": stopped, "skor": 9, "tahap": "dasar", "tanggal": DAY.replace(month=8)},
            # lanjutan 1 with no dasar record: peringatan
            {"nip": unknown, "skor": 9, "tahap": "lanjutan_1"},
            # lanjutan 1 dated before dasar was passed
            {"nip": early, "skor": 9, "tahap": "dasar", "tanggal": DAY},
            {"nip": early, "skor": 9, "tahap": "lanjutan_1", "tanggal": DAY.replace(month=4)},
            # dasar retaken and passed, then lanjutan 1 after the retake: fine, via the history
            {"nip": hist, "skor": 7, "tahap": "dasar", "tanggal": DAY},
            {"nip": hist, "skor": 9, "tahap": "dasar", "tanggal": DAY.replace(month=6)},
            {"nip": hist, "skor": 9, "tahap": "lanjutan_1", "tanggal": DAY.replace(month=7)},
        ]
    return records


def _pandas_calls(per_family: int) -> tuple[int, Counter[str]]:
    frame = rows(*_families(per_family))
    calls = 0

    def count(frame_: Any, event: str, _: Any) -> None:
        nonlocal calls
        if event == "call" and "pandas" in frame_.f_code.co_filename:
            calls += 1

    sys.setprofile(count)
    try:
        peserta, problems = decided(frame)
    finally:
        sys.setprofile(None)
    found = Counter(p.pesan.split(" ")[0] for p in problems)
    assert (peserta["keputusan"] == PERIKSA).sum() >= 5 * per_family
    assert sum(1 for p in problems if p.tingkat == GALAT) >= 5 * per_family
    return calls, found


def test_deciding_many_problems_costs_no_pandas_call_per_problem() -> None:
    small_calls, small_kinds = _pandas_calls(20)
    large_calls, large_kinds = _pandas_calls(200)
    # Every family is there, ten times as often.
    assert set(small_kinds) == set(large_kinds) and len(small_kinds) >= 5
    assert all(large_kinds[k] == 10 * small_kinds[k] for k in small_kinds)
    # Ten times the problems, the same pandas work within a small margin.
    assert large_calls < 1.25 * small_calls, (small_calls, large_calls)


def _day_two_pandas_calls(folder: Path, people: int) -> tuple[int, int]:
    """Day one records `people` scores in a register; on day two every score changed. The
    calls into pandas on day two, and the number of 'berubah' galat it found."""
    from typer.testing import CliRunner

    from skorasn.cli import app

    folder.mkdir()
    nips = [f"19800101200501{1 + n // 1000 % 2}{n % 1000:03d}" for n in range(people)]
    source, register = folder / "dasar.csv", folder / "arsip.db"

    def day(score: int) -> list[str]:
        source.write_text(
            "NIP;Nama;Skor\n" + "".join(f"{n};Orang {n[-4:]};{score}\n" for n in nips),
            encoding="utf-8",
        )
        return ["tier", str(source), "--arsip", str(register), "--format", "json"]

    assert CliRunner().invoke(app, day(9)).exit_code == 0
    calls = 0

    def count(frame_: Any, event: str, _: Any) -> None:
        nonlocal calls
        if event == "call" and "pandas" in frame_.f_code.co_filename:
            calls += 1

    arguments = day(4)
    sys.setprofile(count)
    try:
        result = CliRunner().invoke(app, arguments)
    finally:
        sys.setprofile(None)
    assert result.exit_code == 1, result.output
    changed = sum("berubah" in p["pesan"] for p in json.loads(result.stdout)["masalah"])
    return calls, changed


def test_a_day_when_every_score_changed_costs_no_pandas_call_per_change(tmp_path: Path) -> None:
    small_calls, small_changed = _day_two_pandas_calls(tmp_path / "kecil", 20)
    large_calls, large_changed = _day_two_pandas_calls(tmp_path / "besar", 200)
    assert (small_changed, large_changed) == (20, 200)
    assert large_calls < 1.25 * small_calls, (small_calls, large_calls)
