"""CSV files that once aborted the run, lost rows silently or garbled every name.

Each family is generated: quotes that never close or pair up wrongly, fields over the csv
module's 131,072-character limit, stray bytes in UTF-8, UTF-16 without a byte-order mark.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from skorasn.models import Rules
from skorasn.reading import discover, read_inputs
from skorasn.reading.csvfile import read_csv
from skorasn.reading.csvtext import decode

from .conftest import Run, nip, traced_peak

NAMES = ["José Müller", "Ëndang Ça", "Dédé Rosé", "Zoë Kurniasih"]


def roster(rows: int, width: int = 20) -> list[str]:
    """Data lines with distinct NIPs; `width` pads the names, to pass the csv field limit."""
    return [
        f"{nip(i % 999 + 1, birth=f'19{70 + i % 30}0101', tmt=f'{2000 + i // 999}01')}"
        f";Peserta {i:05d} {'x' * width};{i % 11}"
        for i in range(rows)
    ]


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("NIP;Nama;Skor\n" + "\n".join(lines) + "\n").encode(encoding))
    return path


def tier(run: Run, *args: object) -> tuple[int, dict[str, Any]]:
    result = run("tier", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result.exit_code, json.loads(result.stdout)


def galat_rows(document: dict[str, Any]) -> dict[int, str]:
    return {m["baris"]: m["pesan"] for m in document["masalah"] if m["tingkat"] == "galat"}


# --- 1. quotes and the field limit --------------------------------------------------------------


@pytest.mark.parametrize("column", [0, 1, 2])
@pytest.mark.parametrize(
    ("rows", "width", "at"),
    [
        (30, 20, 0),  # the quote swallows to the end of a short file
        (30, 20, 29),  # on the last line
        (30, 20, 11),
        (3000, 20, 1500),  # 3,000 rows, still under the limit to the end
        (3000, 60, 1500),  # 3,000 rows, the field passes 131,072 characters
        (3000, 60, 3),
    ],
)
def test_unterminated_quote_is_a_galat_at_its_line_and_no_row_is_lost(
    run: Run, tmp_path: Path, column: int, rows: int, width: int, at: int
) -> None:
    lines = roster(rows, width)
    cells = lines[at].split(";")
    cells[column] = '"' + cells[column]
    lines[at] = ";".join(cells)
    path = write(tmp_path / "dasar.csv", lines)
    code, document = tier(run, path)
    assert code == 1
    broken = at + 2  # the header is line 1
    assert list(galat_rows(document)) == [broken]
    assert "tanda kutip" in galat_rows(document)[broken]
    assert f"baris {broken}" in galat_rows(document)[broken]
    read_rows = sorted(int(p["sumber"].rpartition(":")[2]) for p in document["peserta"])
    assert read_rows == [r for r in range(2, rows + 2) if r != broken]


def test_two_stray_quotes_that_pair_up_do_not_swallow_the_rows_between(
    run: Run, tmp_path: Path
) -> None:
    for first, second, closing in ((5, 6, 'Ani";3'), (5, 9, '"Ani;3'), (2, 20, 'Ani";3')):
        lines = roster(25)
        lines[first] = lines[first].replace(";Peserta", ';"Peserta')
        cells = lines[second].split(";")
        lines[second] = f"{cells[0]};{closing}"
        path = write(tmp_path / "dasar.csv", lines)
        code, document = tier(run, path)
        assert code == 1
        assert first + 2 in galat_rows(document)
        assert len(document["peserta"]) >= 23


def test_field_over_the_limit_is_a_galat_and_the_rows_around_it_are_read(
    run: Run, tmp_path: Path
) -> None:
    limit = csv.field_size_limit()
    for column in range(3):
        lines = roster(6)
        cells = lines[3].split(";")
        cells[column] = "9" * (limit + 1)
        lines[3] = ";".join(cells)
        path = write(tmp_path / "dasar.csv", lines)
        code, document = tier(run, path)
        assert code == 1
        assert "131.072" in galat_rows(document)[5]
        assert len(document["peserta"]) == 5


def test_genuine_multi_line_cells_and_literal_quotes_are_read(tmp_path: Path) -> None:
    path = tmp_path / "dasar.csv"
    path.write_text(
        "NIP;Nama;Unit Kerja;Skor\n"
        f'{nip(1)};"Ani\nRahayu";"Dinas ""Kominfo""\nBidang TI";9\n'
        f'{nip(2)};Budi "Bud" Santoso;Dinas;8\n'
        f"{nip(3)};Cici;Dinas;7\n",
        encoding="utf-8",
    )
    sheet, problems = read_csv(path)
    assert problems == []
    assert [row[1] for row in sheet.rows[1:]] == ["Ani\nRahayu", 'Budi "Bud" Santoso', "Cici"]


def test_reading_a_hostile_quote_stays_bounded_in_memory(tmp_path: Path) -> None:
    """A quote at every 200th line of a large file: each costs one row, in bounded work."""
    lines = roster(20_000, 40)
    for index in range(0, len(lines), 200):
        lines[index] = lines[index].replace(";Peserta", ';"Peserta', 1)
    path = write(tmp_path / "dasar.csv", lines)
    size = path.stat().st_size
    with traced_peak() as traced:
        sheet, problems = read_csv(path)
    assert len(sheet.rows) == 20_001
    assert all("tanda kutip" in p.pesan for p in problems)
    assert len(problems) >= 50
    assert traced.peak < 40 * size


# --- 4. encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("stray", [b"\xff", b"\x80", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80"])
@pytest.mark.parametrize("line", [2, 4, 6])
def test_utf8_with_a_stray_byte_stays_utf8_and_names_the_line(
    run: Run, tmp_path: Path, stray: bytes, line: int
) -> None:
    lines = [f"{nip(i + 1)};{NAMES[i % len(NAMES)]};9" for i in range(5)]
    data = ("NIP;Nama;Skor\n" + "\n".join(lines) + "\n").encode("utf-8")
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 10]
    cut = data.index(b";", starts[line - 1]) + 1  # at the start of the name
    path = tmp_path / "dasar.csv"
    path.write_bytes(data[:cut] + stray + data[cut:])
    code, document = tier(run, path)
    assert code == 0
    names = {p["nip"]: p["nama"] for p in document["peserta"]}
    for i in range(5):
        if i + 2 != line:
            assert names[nip(i + 1)] == NAMES[i % len(NAMES)]
    warned = [m for m in document["masalah"] if m["tingkat"] == "peringatan"]
    assert [(m["baris"], m["kolom"]) for m in warned] == [(line, "B")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(tmp_path: Path, codec: str) -> None:
    lines = [f"{nip(i + 1)};{NAMES[i % len(NAMES)]};{i}" for i in range(8)]
    path = write(tmp_path / "dasar.csv", lines, codec)
    result = read_inputs(discover([path]), Rules())
    assert result.problems == []
    assert result.rows["nama"].tolist() == [NAMES[i % len(NAMES)] for i in range(8)]
    assert decode(path.read_bytes()).encoding == codec


def test_cp1252_is_read_only_when_the_file_is_not_plausibly_utf8(tmp_path: Path) -> None:
    lines = [f"{nip(i + 1)};{NAMES[i % len(NAMES)]};{i}" for i in range(8)]
    windows = write(tmp_path / "dasar.csv", lines, "cp1252")
    assert decode(windows.read_bytes()).encoding == "cp1252"
    result = read_inputs(discover([windows]), Rules())
    assert result.rows["nama"].tolist() == [NAMES[i % len(NAMES)] for i in range(8)]
    assert [(p.baris, p.tingkat) for p in result.problems] == [(None, "peringatan")]
    # A byte cp1252 does not define (0x81) is named at its cell, not guessed.
    data = windows.read_bytes().replace("Ça".encode("cp1252"), b"\x81a")
    windows.write_bytes(data)
    result = read_inputs(discover([windows]), Rules())
    assert sorted((p.baris, p.kolom) for p in result.problems if p.baris) == [(3, "B"), (7, "B")]
    # The same bytes with well-formed UTF-8 around them: UTF-8 wins.
    mixed = write(tmp_path / "dasar2.csv", [*lines[:4], f"{nip(99)};Ani;9"])
    mixed.write_bytes(mixed.read_bytes().replace(b"Ani", b"An\xe9"))
    assert decode(mixed.read_bytes()).encoding == "utf-8"
