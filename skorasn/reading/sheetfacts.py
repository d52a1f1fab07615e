"""What the pre-check learns about a sheet before any native reader opens it, and the bounds
those facts must keep.

python-calamine sizes its allocations from what a file says (the box around the filled cells,
declared counts, repeat attributes) and aborts the whole process when one fails, so these
bounds are checked on the facts first. Coordinates are 0-based (row, column), as calamine's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from skorasn.errors import RejectedFile
from skorasn.formatting import column_index, column_letter, thousands
from skorasn.models import ZipLimits
from skorasn.reading.refusals import RESAVE, size_text

GRID_ROWS = 1_048_576
GRID_COLUMNS = 16_384
# Lists kept per sheet (error cells, hidden rows, merges): enough for any honest sheet, and a
# bound on memory for a hostile one.
MAX_LISTED = 100_000
# Text a sheet may expand to once shared strings or repeats are copied into every cell that
# uses them, per allowed cell: 32 bytes a cell is several times what an honest sheet needs.
TEXT_BYTES_PER_CELL = 32
HOSTILE = "berkas rusak atau sengaja dibuat berbahaya"


@dataclass(frozen=True)
class CellRange:
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def a1(self) -> str:
        start = a1(self.first_row, self.first_col)
        end = a1(self.last_row, self.last_col)
        return start if start == end else f"{start}:{end}"


@dataclass
class SheetFacts:
    """One worksheet as the pre-check saw it: the box around the cells a reader keeps (rows
    from `first_row`, columns from A), the cells holding an Excel error or a formula never
    calculated, and the rows, columns and merges a person reading the sheet might miss."""

    name: str
    part: str
    first_row: int | None = None
    last_row: int = -1
    last_col: int = -1
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)
    merged: list[CellRange] = field(default_factory=list)

    def area(self) -> int:
        """Cells from column A over the filled rows: what the grid handed on costs."""
        if self.first_row is None:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col + 1)

    def note_error(self, row: int, col: int, text: str) -> None:
        if len(self.errors) < MAX_LISTED:
            self.errors[(row, col)] = text

    def note_hidden_rows(self, first: int, last: int) -> None:
        if len(self.hidden_rows) < MAX_LISTED:
            self.hidden_rows.append((first, min(last, GRID_ROWS - 1)))

    def note_hidden_cols(self, first: int, last: int) -> None:
        if len(self.hidden_cols) < MAX_LISTED:
            self.hidden_cols.append((first, min(last, GRID_COLUMNS - 1)))

    def note_merge(self, cells: CellRange | None) -> None:
        if cells is not None and len(self.merged) < MAX_LISTED:
            self.merged.append(cells)


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


def parse_ref(text: str) -> tuple[int, int | None]:
    """'AB12' → (11, 27), '12' → (11, None), as calamine reads a reference (letters of either
    case, then digits), but in Python integers, so nothing wraps around; ValueError if junk."""
    letters = text.rstrip("0123456789")
    digits = text[len(letters) :]
    if not digits or (letters and not (letters.isascii() and letters.isalpha())):
        raise ValueError(text)
    row = int(digits) - 1
    if row < 0:
        raise ValueError(text)
    return row, column_index(letters.upper()) if letters else None


def parse_range(text: str) -> CellRange | None:
    try:
        corners = [parse_ref(part.replace("$", "")) for part in text.split(":")]
    except ValueError:
        return None
    if len(corners) not in (1, 2) or any(col is None for _, col in corners):
        return None
    (top, left), (bottom, right) = corners[0], corners[-1]
    assert left is not None and right is not None
    return CellRange(min(top, bottom), min(left, right), max(top, bottom), max(left, right))


# --- bounds -------------------------------------------------------------------------------------


def text_budget(limits: ZipLimits) -> int:
    return limits.max_cells * TEXT_BYTES_PER_CELL


def check_cell(facts: SheetFacts, row: int, col: int, limits: ZipLimits) -> None:
    """Widen the box to a filled cell at (row, col), refusing the sheet once it is too big."""
    if row >= GRID_ROWS or col >= GRID_COLUMNS:
        raise RejectedFile(
            f"lembar '{facts.name}': sel {a1(row, col)} berada di luar batas lembar kerja "
            f"(1.048.576 baris × 16.384 kolom); {HOSTILE} — {RESAVE}"
        )
    first = facts.first_row
    if first is not None and first <= row <= facts.last_row and col <= facts.last_col:
        return
    facts.first_row = row if first is None else min(first, row)
    facts.last_row = max(facts.last_row, row)
    facts.last_col = max(facts.last_col, col)
    check_area(facts, limits, a1(row, col))


def check_area(facts: SheetFacts, limits: ZipLimits, culprit: str) -> None:
    if facts.area() <= limits.max_cells:
        return
    assert facts.first_row is not None
    box = CellRange(facts.first_row, 0, facts.last_row, facts.last_col).a1()
    area, limit = thousands(facts.area()), thousands(limits.max_cells)
    raise RejectedFile(
        f"lembar '{facts.name}': ada isi sampai sel {culprit}, sehingga area {box} ({area} sel) "
        f"melebihi batas {limit} sel; hapus isi di luar tabel lalu simpan ulang — bila lembar "
        "ini memang sebesar itu, naikkan sel_maks di skorasn.toml bagian [batas_berkas]"
    )


def check_text(facts: SheetFacts, expanded: int, limits: ZipLimits) -> None:
    """Text copied into every cell that uses it (one shared string in a thousand cells, one
    cell repeated a thousand times) is bounded like the cells themselves."""
    if expanded > text_budget(limits):
        budget = size_text(text_budget(limits))
        raise RejectedFile(
            f"lembar '{facts.name}': teks yang dipakai berulang di banyak sel menjadi "
            f"{size_text(expanded)} setelah dibuka, melebihi batas {budget} (sel_maks × "
            f"{TEXT_BYTES_PER_CELL} bita); {HOSTILE} — {RESAVE}"
        )


def check_count(what: str, count: int, limits: ZipLimits) -> None:
    if count > limits.max_cells:
        raise RejectedFile(
            f"{what} berjumlah {thousands(count)}, melebihi batas {thousands(limits.max_cells)} "
            f"(sel_maks); {HOSTILE} — {RESAVE}"
        )
