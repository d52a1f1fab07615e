"""The participant list drawn by hand (reporting/tierlist.py): every line fits the terminal,
numbers line up on the right, nothing in a cell is lost to wrapping."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console

from skorasn.reporting.tierlist import LONGEST_KEPT, Column, TierList, column_widths, wrap

COLUMNS = [
    Column("No", right=True),
    Column("NIP"),
    Column("Nama", wraps=True),
    Column("Unit kerja", wraps=True),
    Column("Skor", right=True),
]
ROWS = [
    ["1", "198105022003122004", "Ratna Maryati, S.IP., M.Si.", "Dinas Kependudukan dan Pencatatan Sipil", "10"],
    ["2", "197309221998121012", "Aceng 田中太郎 Sutisna", "Sekretariat Daerah", "9,75"],
    ["10", "—", "Ab", "", "9,5"],
]  # fmt: skip


def drawn(
    width: int,
    rows: list[list[str]] = ROWS,
    rule: str | None = None,
    columns: list[Column] = COLUMNS,
    title: str = "Tahap dasar — lanjut (3)",
) -> list[str]:
    """The lines a console `width` cells wide shows of the list."""
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    with console.capture() as captured:
        console.print(TierList(title, "bold green", columns, rows, rule))
    return captured.get().splitlines()


WITH_REASONS = [*COLUMNS, Column("Alasan", wraps=True)]
PLAIN_ROWS = [
    ["1", "198001012005011001", "R. Sastrodiningratwijaya", "Badan Kepegawaian dan Pengembangan SDM", "",
     "skor 12 di luar rentang 0-10; periksa kembali nilainya"],
    ["2", "-", "Citra", "Dinas B", "8",
     "NIP tersimpan sebagai angka (198001012005011000); Excel hanya menyimpan 15 digit"],
    ["10", "198001012005011002", "Ani", "", "9,75", "skor belum diisi"],
]  # fmt: skip


def _cells_read_back(lines: list[str], widths: list[int]) -> list[list[str]]:
    """Each row's cells put back together from the drawn lines (ASCII text only): the pieces
    of a column on the lines of one row, joined without the spaces wrapping broke at."""
    starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
    header = next(i for i, line in enumerate(lines) if line.startswith("No"))
    first = next(i for i, line in enumerate(lines) if i > header and line[:2].strip())
    rows: list[list[str]] = []
    for line in lines[first:]:
        padded = line.ljust(sum(widths) + 2 * len(widths))
        pieces = [padded[a : a + w].replace(" ", "") for a, w in zip(starts, widths, strict=True)]
        if pieces[0]:
            rows.append(["" for _ in widths])
        rows[-1] = [done + piece for done, piece in zip(rows[-1], pieces, strict=True)]
    return rows


@pytest.mark.parametrize("width", [30, 40, 60, 80, 120, 200])
def test_every_line_fits_and_no_text_is_lost(width: int) -> None:
    lines = drawn(width, PLAIN_ROWS, columns=WITH_REASONS, title="Tahap dasar — periksa (3)")
    assert all(cell_len(line) <= width for line in lines)
    widths = column_widths(WITH_REASONS, PLAIN_ROWS, width)
    read_back = _cells_read_back(lines, widths)
    assert read_back == [[cell.replace(" ", "") for cell in row] for row in PLAIN_ROWS]
    assert lines[0] == "Tahap dasar — periksa (3)"


def test_a_long_title_wraps_instead_of_being_cropped() -> None:
    lines = drawn(20, [], title="Tahap lanjutan 2 — belum dinilai (12.345)")
    assert " ".join(line.strip() for line in lines[:3]).startswith(
        "Tahap lanjutan 2 — belum dinilai (12.345)"
    )


def test_the_nip_stays_whole_before_names_are_cut() -> None:
    widths = column_widths(WITH_REASONS, PLAIN_ROWS, 48)
    assert widths[1] == 18 and widths[4] == len("Skor")


def test_short_columns_are_satisfied_before_a_long_reason() -> None:
    widths = column_widths(WITH_REASONS, PLAIN_ROWS, 160)
    assert widths[2] == len("R. Sastrodiningratwijaya")
    assert widths[3] == len("Badan Kepegawaian dan Pengembangan SDM")


def test_a_wide_terminal_keeps_each_row_on_one_line() -> None:
    lines = drawn(200)
    assert lines[0] == "Tahap dasar — lanjut (3)"
    assert len(lines) == 2 + len(ROWS)
    assert lines[2].startswith(" 1  198105022003122004  Ratna Maryati, S.IP., M.Si.")
    assert lines[2].endswith("  10")
    assert lines[3].endswith("9,75") and lines[4].endswith(" 9,5")  # right-aligned
    assert lines[4].startswith("10  —")


def test_wide_characters_count_two_cells() -> None:
    lines = drawn(200)
    skor = [line.rindex("9,75") for line in lines if "9,75" in line]
    assert cell_len(lines[3][: skor[0]]) == cell_len(lines[2][: lines[2].rindex("10")]) - 2


def test_rule_under_the_header_spans_the_table() -> None:
    lines = drawn(200, rule="─")
    assert set(lines[2]) == {"─"}
    assert len(lines[2]) == max(cell_len(line) for line in lines[3:])


def test_a_narrow_terminal_wraps_at_words_and_keeps_the_longest_word_whole() -> None:
    widths = column_widths(COLUMNS, ROWS, 54)
    assert widths[2] >= len("Maryati,") and widths[3] >= len("Kependudukan")
    lines = drawn(54)
    assert any(line.strip() == "Pencatatan Sipil" or "Sipil" in line for line in lines[3:])


def test_a_word_longer_than_any_column_is_cut_not_lost() -> None:
    long = "x" * (LONGEST_KEPT * 3)
    assert "".join(wrap(long, 10)) == long
    assert all(cell_len(line) <= 10 for line in wrap(long, 10))
    assert wrap("", 5) == [""]
    assert wrap("田中太郎さん", 3) == ["田", "中", "太", "郎", "さ", "ん"]


WIDE_ROWS = [
    ["1", "199407192018032002", "田中太郎", "Dinas Kesehatan", "", "skor belum diisi"],
    ["2", "197406072001012001", "Budi 🙂 Santoso", "Sekretariat Daerah", "8,75", "—"],
]


@pytest.mark.parametrize("width", range(22, 61, 3))
def test_wide_characters_never_push_a_line_past_the_terminal(width: int) -> None:
    lines = drawn(width, WIDE_ROWS, columns=WITH_REASONS, title="Tahap dasar — periksa (2)")
    assert all(cell_len(line) <= width for line in lines)
    drawn_text = "".join(lines).replace(" ", "")
    for row in WIDE_ROWS:
        for cell in row:
            for character in cell.replace(" ", ""):
                assert character in drawn_text


def test_when_room_runs_out_the_number_columns_stay_whole_before_the_nip() -> None:
    widths = column_widths(COLUMNS, ROWS, 33)
    assert widths[0] == 2 and widths[4] == len("Skor")  # No and Skor whole
    assert widths[1] < 18  # the NIP gives way next
    assert widths[2] >= 2 and widths[3] >= 2  # a wide character still fits
