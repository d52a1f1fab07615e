"""Cell values that once ended the run or slipped past the audit: each family is generated.

Overflowing numbers and dates become a galat at their cell (never exit 70); digits of other
scripts and invisible characters are made plain with a peringatan, so the same NIP matches
across stages; a NIP that was once a float is a galat; cell text in any message is escaped and
cut short.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import xlsxwriter

from skorasn.formatting import SHOWN_LIMIT, shown
from skorasn.models import Rules
from skorasn.reading import discover, read_inputs
from skorasn.vocabulary import INVISIBLE

from .conftest import Run, nip

# --- helpers ---------------------------------------------------------------------------------


def tier(run: Run, *args: object) -> tuple[int, dict[str, Any]]:
    """`skorasn tier … --format json`: the exit code must be 0 or 1, never 70."""
    result = run("tier", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result.exit_code, json.loads(result.stdout)


def at(document: dict[str, Any], cell: str, level: str) -> list[str]:
    """The messages of `level` at `cell` (e.g. 'Dasar!A3' or, for a CSV, 'A3')."""
    sheet, _, place = cell.rpartition("!")
    column, row = re.fullmatch(r"([A-Z]*)(\d+)", place).groups()  # type: ignore[union-attr]
    return [
        m["pesan"]
        for m in document["masalah"]
        if (m["lembar"] or "") == sheet
        and (m["kolom"] or "") == column
        and m["baris"] == int(row)
        and m["tingkat"] == level
    ]


def xlsx(path: Path, sheets: dict[str, list[list[Any]]], raw: dict[str, str] | None = None) -> Path:
    """A workbook by xlsxwriter; each number `key` of `raw` is replaced in the sheet XML by the
    text `raw[key]`, to store what no writer would (inf, nan, 1e400)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        date = book.add_format({"num_format": "dd/mm/yyyy"})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date)
                else:
                    sheet.write(r, c, value)
    book.close()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member.startswith("xl/worksheets/"):
                for number, text in (raw or {}).items():
                    data = data.replace(f"<v>{number}</v>".encode(), f"<v>{text}</v>".encode())
            target.writestr(member, data)
    return path


# --- 1. overflowing values -------------------------------------------------------------------

NON_FINITE = ("inf", "-inf", "nan", "NaN", "1e400", "-1e400", "INF", "1E+999")


def test_non_finite_numbers_in_nip_and_score_cells_are_galat(run: Run, tmp_path: Path) -> None:
    rows: list[list[Any]] = [["NIP", "Nama", "Skor"]]
    raw = {}
    for i, text in enumerate(NON_FINITE):
        rows.append([700000 + i, f"Peserta {i}", 9])  # a number NIP, replaced below
        rows.append([nip(i + 1), f"Lain {i}", 800000 + i])  # a number score, replaced below
        raw[str(700000 + i)] = text
        raw[str(800000 + i)] = text
    path = xlsx(tmp_path / "skor.xlsx", {"Dasar": rows}, raw)
    code, document = tier(run, path)
    assert code == 1
    for i in range(len(NON_FINITE)):
        nip_row, score_row = 2 + 2 * i, 3 + 2 * i
        assert any("angka yang tidak sah" in m for m in at(document, f"Dasar!A{nip_row}", "galat"))
        assert any(
            "angka yang tidak sah" in m for m in at(document, f"Dasar!C{score_row}", "galat")
        )
    decided = {p["nama"]: p["keputusan"] for p in document["peserta"]}
    assert all(decided[f"Lain {i}"] == "periksa" for i in range(len(NON_FINITE)))


FAR_DATES = [
    dt.date(3025, 11, 7),
    dt.date(9999, 12, 31),
    dt.date(2262, 4, 12),
    dt.datetime(2263, 1, 1, 8, 30),
]
FAR_TEXTS = [
    "07/11/3025",
    "31/12/9999",
    "3025-11-07",
    "7 November 3025",
    "12/04/2262",
    "01/01/1600",
    "21/09/1677",
    "31-12-9999",
    "31.12.9999",
]
NEAR_TEXTS = ["11/04/2262", "22/09/1677", "07/11/2025"]


def test_dates_beyond_the_timestamp_range_are_galat_at_their_cell(run: Run, tmp_path: Path) -> None:
    header = ["NIP", "Nama", "Tanggal", "Skor"]
    cells = [*FAR_DATES, *FAR_TEXTS, *NEAR_TEXTS]
    rows = [header] + [[nip(i + 1), f"P{i}", cell, 9] for i, cell in enumerate(cells)]
    path = xlsx(tmp_path / "skor.xlsx", {"Dasar": rows})
    text = "NIP;Nama;Tanggal;Skor\n" + "".join(
        f"{nip(i + 1)};P{i};{cell};9\n" for i, cell in enumerate([*FAR_TEXTS, *NEAR_TEXTS])
    )
    csv_path = tmp_path / "dasar.csv"
    csv_path.write_text(text, encoding="utf-8")
    for source, far, sheet in (
        (path, len(FAR_DATES) + len(FAR_TEXTS), "Dasar!"),
        (csv_path, len(FAR_TEXTS), ""),
    ):
        code, document = tier(run, source)
        assert code == 1
        for i in range(far):
            assert any("di luar rentang" in m for m in at(document, f"{sheet}C{i + 2}", "galat"))
        for i in range(far, far + len(NEAR_TEXTS)):
            assert at(document, f"{sheet}C{i + 2}", "galat") == []
        decided = {p["nama"]: p for p in document["peserta"]}
        assert all(decided[f"P{i}"]["keputusan"] == "periksa" for i in range(far))
        assert decided[f"P{far + 2}"]["tanggal"] == "2025-11-07"


# --- 2. digits of other scripts, invisible characters ------------------------------------------

# The zero of each script; every one is a decimal digit (Nd) that str.isdigit and \d accept.
ZEROS = {
    "full-width": 0xFF10,
    "Arabic-Indic": 0x0660,
    "Extended Arabic-Indic": 0x06F0,
    "Devanagari": 0x0966,
    "Bengali": 0x09E6,
    "Thai": 0x0E50,
    "Myanmar": 0x1040,
    "mathematical bold": 0x1D7CE,
}


def written_in(text: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


def test_the_digit_forms_are_decimal_digits() -> None:
    for zero in ZEROS.values():
        assert all(unicodedata.category(chr(zero + d)) == "Nd" for d in range(10))


def test_nip_in_other_digits_is_matched_across_stages_and_cannot_bypass_the_audit(
    run: Run, tmp_path: Path
) -> None:
    names = list(ZEROS)
    dasar = [["NIP", "Nama", "Skor"]] + [[nip(i + 1), n, 4] for i, n in enumerate(names)]
    lanjutan = [["NIP", "Nama", "Skor"]] + [
        [written_in(nip(i + 1), ZEROS[n]), n, 10] for i, n in enumerate(names)
    ]
    path = xlsx(tmp_path / "skor.xlsx", {"Dasar": dasar, "Lanjutan 1": lanjutan})
    code, document = tier(run, path)
    assert code == 1
    later = {p["nama"]: p for p in document["peserta"] if p["tahap"] == "lanjutan_1"}
    for i, name in enumerate(names):
        assert later[name]["nip"] == nip(i + 1)
        assert later[name]["keputusan"] == "periksa", name
        assert any("disetop" in m for m in at(document, f"Lanjutan 1!A{i + 2}", "galat"))
        notes = at(document, f"Lanjutan 1!A{i + 2}", "peringatan")
        assert any("angka bentuk lain" in m and nip(i + 1) in m for m in notes), name


SCORES = [("٩", 9), ("９", 9), ("٨,٥", 8.5), ("８．５", 8.5), ("१०", 10), ("๕", 5), ("๑๐", 10)]


def one_csv(run: Run, tmp_path: Path, rows: list[tuple[str, str]]) -> tuple[int, dict[str, Any]]:
    """A CSV of (NIP, score) rows, one participant each, through `skorasn tier`."""
    path = tmp_path / "dasar.csv"
    lines = [f"{number};Peserta {i};{score}" for i, (number, score) in enumerate(rows)]
    path.write_text("NIP;Nama;Skor\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return tier(run, path)


def test_score_in_other_digits_is_read_with_a_peringatan(run: Run, tmp_path: Path) -> None:
    code, document = one_csv(run, tmp_path, [(nip(i + 1), w) for i, (w, _) in enumerate(SCORES)])
    assert code == 0
    read = {p["nama"]: p["skor"] for p in document["peserta"]}
    for i, (_, value) in enumerate(SCORES):
        assert read[f"Peserta {i}"] == value
        assert any("angka bentuk lain" in m for m in at(document, f"C{i + 2}", "peringatan"))


HIDDEN = [*INVISIBLE, *(chr(c) for c in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))]
HIDDEN += [chr(c) for c in range(0x7F, 0xA0)]


def test_invisible_characters_are_removed_with_a_peringatan_in_every_column(
    tmp_path: Path,
) -> None:
    """The same treatment in NIP, score and name: removed, said at the cell, never echoed."""
    lines = ["NIP;Nama;Skor"]
    for i, character in enumerate(HIDDEN):
        number = nip(i + 1)
        lines.append(f"{number[:6]}{character}{number[6:]};Ani{character} Rahayu;9{character}")
    path = tmp_path / "dasar.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    result = read_inputs(discover([path]), Rules())
    assert result.rows["nip"].tolist() == [nip(i + 1) for i in range(len(HIDDEN))]
    assert result.rows["nama"].tolist() == ["Ani Rahayu"] * len(HIDDEN)
    assert result.rows["skor_akhir"].tolist() == [9.0] * len(HIDDEN)
    for i, character in enumerate(HIDDEN):
        found = {p.kolom for p in result.problems if p.baris == i + 2}
        assert found == {"A", "B", "C"}, repr(character)
    assert all(p.tingkat == "peringatan" for p in result.problems)
    for problem in result.problems:
        assert not any(c in problem.pesan for c in HIDDEN), problem.pesan


def test_a_cell_of_only_invisible_characters_is_blank(tmp_path: Path) -> None:
    path = tmp_path / "dasar.csv"
    path.write_text(f"NIP;Nama;Skor\n{nip(1)};Ani;\u200b\u2060\n", encoding="utf-8")
    result = read_inputs(discover([path]), Rules())
    assert result.problems == []
    assert result.rows["skor_akhir"].isna().all()


# --- 3. numbers in disguise --------------------------------------------------------------------


DISGUISED = [
    ("19800101200501115.0", "desimal"),
    ("19800101200501115,0", "desimal"),
    ("1980010120050111.50", "desimal"),
    ("198001012005011001.0", "desimal"),
    ("198001012005011.001", "desimal"),
    ("1.98001012005011E+17", "ilmiah"),
    ("1,98001012005011e+17", "ilmiah"),
    ("198001012005011e3", "ilmiah"),
    ("１９８００１０１２００５０１１１５．０", "desimal"),
]
SEPARATED = ["19800101 200501 1 {}", "19800101.200501.1.{}", "19800101-200501-1-{}"]


def test_nip_that_needed_a_float_is_a_galat(run: Run, tmp_path: Path) -> None:
    code, document = one_csv(run, tmp_path, [(written, "9") for written, _ in DISGUISED])
    assert code == 1
    read = {p["nama"]: p for p in document["peserta"]}
    for i, (_, word) in enumerate(DISGUISED):
        assert read[f"Peserta {i}"]["nip"] is None
        assert read[f"Peserta {i}"]["keputusan"] == "periksa"
        assert any(word in m for m in at(document, f"A{i + 2}", "galat"))


def test_separated_nip_is_still_read(run: Run, tmp_path: Path) -> None:
    rows = [(form.format(f"{i + 1:03d}"), "9") for i, form in enumerate(SEPARATED)]
    code, document = one_csv(run, tmp_path, rows)
    assert code == 0
    assert sorted(p["nip"] for p in document["peserta"]) == [nip(i + 1) for i in range(3)]


# --- 5. terminal safety -----------------------------------------------------------------------

HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e"


def test_shown_escapes_and_cuts() -> None:
    assert shown("\x1b[2J") == "\\x1b[2J"
    assert shown("a\u200bb") == "a\\u200bb"
    assert shown("\U000e0001") == "\\U000e0001"
    assert len(shown("9" * 32767)) == SHOWN_LIMIT
    assert shown("9" * 32767).endswith("…")
    assert shown("x" * SHOWN_LIMIT) == "x" * SHOWN_LIMIT
    cut = shown("x" * 70 + "\x1b" * 20)
    assert len(cut) <= SHOWN_LIMIT and "\\x1" not in cut.replace("\\x1b", "")
    assert shown("/a/b\x1b.csv", None) == "/a/b\\x1b.csv"


def test_no_cell_text_reaches_the_terminal_raw_or_long(run: Run, tmp_path: Path) -> None:
    """Every echoed field holds escapes and 40,000 characters: messages stay short and inert."""
    long = HOSTILE + "x" * 40_000
    header = "NIP;Nama;Eselon;Tahap;Tanggal;Keterangan;Skor"
    rows = [
        f"{long};Ani;III.a;Dasar;07/11/2025;;9",
        f"{nip(2)};Budi;{long};Dasar;07/11/2025;;9",
        f"{nip(3)};Cici;III.a;{long};07/11/2025;;9",
        f"{nip(4)};Dodi;III.a;Dasar;{long};;9",
        f"{nip(5)};Euis;III.a;Dasar;07/11/2025;{long};9",
        f"{nip(6)};Fani;III.a;Dasar;07/11/2025;;{long}",
        f"{nip(7)};{long};III.a;Dasar;07/11/2025;;9",
        f"{nip(8)};Gita;III.a;Dasar;07/11/2025;LULUS{HOSTILE};7",
    ]
    path = tmp_path / f"dasar{HOSTILE[:4]}.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    sheetless = tmp_path / "catatan.csv"
    sheetless.write_text(f"{long}\n{HOSTILE}\n", encoding="utf-8")
    for command in ("tier", "periksa"):
        result = run(command, path, sheetless)
        assert result.exit_code == 1, result.output
        for stream in (result.stdout, result.stderr):
            assert not any(c in stream for c in "\x1b\x07\x9b\u202e"), command
            assert max((len(line) for line in stream.splitlines()), default=0) < 1000
        assert "\\x1b[2J" in result.stdout
    # The messages alone (no tier list, where the name is the report itself) stay short.
    assert len(run("periksa", path, sheetless).stdout) < 8000
    quiet = run("tier", path, "-q")
    assert len(quiet.stderr) < 3000 and "\x1b" not in quiet.stderr
