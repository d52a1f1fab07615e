"""The first half of reading a sheet: find the rows that hold people and lift out the cells of
each known column, in plain Python lists.

This half runs once per sheet, so it does no pandas work: a folder of ten thousand one-row
CSV files costs ten thousand small list copies, not ten thousand DataFrames. The second half
(table.py) normalises the cells of every sheet at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from skorasn.formatting import column_letter
from skorasn.names import fold
from skorasn.reading.header import Header
from skorasn.reading.workbook import RawSheet
from skorasn.vocabulary import DECIDING_FIELDS, FOOTER_WORDS

# The columns lifted out of a sheet, besides the trainers' scores.
FIELDS = ("nip", "nama", "eselon", "unit_kerja", "jabatan", "skor", "tahap", "tanggal",
          "keterangan")  # fmt: skip
# Columns besides the scores whose Excel error cells (#N/A, a formula never computed) are
# named: the readers return such a cell as empty. The NIP's is named by the NIP check itself.
ERROR_CHECKED = ("nama", "eselon", "unit_kerja", "jabatan", "tahap", "tanggal", "keterangan")
ERROR_KEPT = ("nip", *ERROR_CHECKED)
_BLANKS = " \u00a0\u200b\t\r\n"
# Unicode \d on purpose: a score in other digits (٩) marks a participant row like 9 does; the
# score itself is read, with a peringatan, by normalise_score.
_NUMERIC_TEXT = re.compile(r"[-+]?\d+([.,]\d+)?")
_SIGNATURE = re.compile(r"\s*NIP\s*[.:]\s*\d", re.IGNORECASE)


@dataclass
class SheetPart:
    """The people of one sheet: their row numbers and, per known column, their cells."""

    berkas: str
    lembar: str | None
    stage_hint: str | None
    baris: list[int]
    cells: dict[str, list[object]]
    trainers: list[list[object]]  # one list per trainer column used on this sheet
    letters: dict[str, str | None]  # the column letter of each field, None when absent
    trainer_letters: list[str]
    # field → {index: error}, for the fields that have any: ten empty dicts per sheet would
    # be most of what a folder of ten thousand one-row files costs.
    errors: dict[str, dict[int, str]] = field(default_factory=dict)
    extra: list[str | None] = field(default_factory=list)  # CSV: a cell beyond the header
    # Below a total line, rows with a score but no NIP are not read as people; their sheet
    # row numbers (1-based), and the total line's, so that a peringatan can name them.
    past_total: list[int] = field(default_factory=list)
    total_row: int | None = None
    # Rows where two columns meaning the same field disagree: (index, field, letter read,
    # other letter, value read, other value).
    conflicts: list[tuple[int, str, str, str, object, object]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.baris)


def extract_sheet(sheet: RawSheet, berkas: str, header: Header) -> SheetPart:
    """The participant rows of `sheet` below `header`, each known column's cells lifted out."""
    first = header.row + 1
    body = sheet.rows[first:]
    positions = {name: header.columns.get(name) for name in FIELDS}
    score_positions = [p for p in (positions["skor"], *header.trainers) if p is not None]
    error_rows = _error_rows(sheet, score_positions, first, len(body))
    keep = [
        _holds_someone(row, positions, score_positions, offset in error_rows)
        for offset, row in enumerate(body)
    ]
    has_nip = [_has_digit(_cell(row, positions["nip"])) for row in body]
    people = people_rows(body, header, keep, has_nip)
    kept = [i for i, person in enumerate(people.rows) if person]
    rows = [body[i] for i in kept]
    # A trainer column is used if any participant's cell in it holds something, an Excel
    # error (read as empty) included: a column of #N/A is a galat on every row, not absent.
    erred = _columns_in_error(sheet, first, people.rows)
    trainers = [p for p in header.trainers if p in erred or any(_filled(_cell(r, p)) for r in rows)]
    part = SheetPart(
        berkas=berkas,
        lembar=sheet.name,
        stage_hint=sheet.stage_hint,
        baris=[first + i + 1 for i in kept],
        cells={name: _column(rows, p) for name, p in positions.items()},
        trainers=[_column(rows, p) for p in trainers],
        letters={name: None if p is None else column_letter(p) for name, p in positions.items()},
        trainer_letters=[column_letter(p) for p in trainers],
    )
    # By sheet row, the participant's place in the part: only wanted for error cells, and at
    # a million rows a dict that size would cost ~100 MB.
    index = {first + i: n for n, i in enumerate(kept)} if sheet.error_cells else {}
    for position, name in [
        (positions["skor"], "skor"),
        *((p, f"pelatih_{n}") for n, p in enumerate(trainers, start=1)),
        *((positions[name], name) for name in ERROR_KEPT if positions[name] is not None),
    ]:
        found = {
            index[row]: error
            for (row, column), error in sheet.error_cells.items()
            if column == position and row in index
        }  # fmt: skip
        if found:
            part.errors[name] = found
    if sheet.name is None:
        part.extra = _beyond_header(rows, header)
    if people.total is not None:
        part.total_row = first + people.total + 1
        part.past_total = [first + offset + 1 for offset in people.past_total]
    part.conflicts = _conflicts(rows, header)
    return part


def _columns_in_error(sheet: RawSheet, first: int, people: list[bool]) -> set[int]:
    """The columns with an Excel error cell on a participant's row."""
    return {
        column for row, column in sheet.error_cells
        if 0 <= row - first < len(people) and people[row - first]
    }  # fmt: skip


def _conflicts(
    rows: list[list[object]], header: Header
) -> list[tuple[int, str, str, str, object, object]]:
    """Rows where a repeated column (two titles meaning Skor, say) holds something else than
    the column that is read."""
    found = []
    for name, other in header.repeated:
        if name not in DECIDING_FIELDS:
            continue
        read = header.columns[name]
        for index, row in enumerate(rows):
            value, second = _cell(row, read), _cell(row, other)
            if not _same(value, second):
                found.append(
                    (index, name, column_letter(read), column_letter(other), value, second)
                )
    return found


def _same(first: object, second: object) -> bool:
    """The same entry, as a person would read it: 9, 9.0 and ' 9 ' agree; so do 'Ani' and
    'ANI', and 8,5 and 8.5."""
    a, b = _plain_text(first), _plain_text(second)
    if a == b:
        return True
    try:
        return float(a.replace(",", ".")) == float(b.replace(",", "."))
    except ValueError:
        return False


def _plain_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split()).casefold()


def _cell(row: Sequence[object], position: int | None) -> object:
    return row[position] if position is not None and position < len(row) else ""


def _column(rows: list[list[object]], position: int | None) -> list[object]:
    if position is None:
        return [""] * len(rows)
    return [row[position] if position < len(row) else "" for row in rows]


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip(_BLANKS))
    return value is not None and value == value


def _has_digit(value: object) -> bool:
    """A NIP-like cell: text with a digit, or a number. Digits of any script count (isdigit):
    such a row is a participant, whose NIP is then read or refused by normalise_nip."""
    if isinstance(value, str):
        return any(ch.isdigit() for ch in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _looks_like_score(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == value
    if isinstance(value, str):
        return _NUMERIC_TEXT.fullmatch(value.strip()) is not None
    return False


def _holds_someone(
    row: Sequence[object], positions: dict[str, int | None], scores: list[int], error: bool
) -> bool:
    """A NIP, a score (an Excel error cell in a score column counts), or a name beside
    something written in a score column."""
    if error or _has_digit(_cell(row, positions["nip"])):
        return True
    cells = [_cell(row, p) for p in scores]
    if any(_looks_like_score(c) for c in cells):
        return True
    return _filled(_cell(row, positions["nama"])) and any(_filled(c) for c in cells)


def _error_rows(sheet: RawSheet, scores: list[int], first: int, count: int) -> set[int]:
    """Offsets in the body of rows with an Excel error in a score column."""
    wanted = set(scores)
    return {
        row - first for row, column in sheet.error_cells
        if column in wanted and first <= row < first + count
    }  # fmt: skip


@dataclass
class People:
    """Which body rows are participants, and what a total line left out."""

    rows: list[bool] = field(default_factory=list)
    total: int | None = None  # body offset of the first total line
    # Body offsets of the rows below it that hold a score but no NIP: not read as people.
    past_total: list[int] = field(default_factory=list)


def people_rows(
    body: Sequence[Sequence[object]], header: Header, candidates: list[bool], has_nip: list[bool]
) -> People:
    """The `candidates` that are people: not a total line ("JUMLAH …"), a header repeated on a
    new printed page, or a signature line ("NIP. 1970…" under "Kepala BKPSDM"); below a total
    line only rows with a NIP count, and the others are noted."""
    labels, titles = _labels(header)
    people = People()
    for offset, (row, candidate, nip) in enumerate(zip(body, candidates, has_nip, strict=True)):
        # Totals, signatures and repeated headers never carry a NIP: only the rows without
        # one are inspected, a handful among thousands of participants.
        if candidate and not nip:
            if _is_footer(row, labels, titles):
                people.total = offset if people.total is None else people.total
                people.rows.append(False)
                continue
            if _is_signature(row):
                people.rows.append(False)
                continue
            if people.total is not None:
                people.past_total.append(offset)
                people.rows.append(False)
                continue
        people.rows.append(candidate)
    return people


def _labels(header: Header) -> tuple[list[int], dict[int, str]]:
    """The columns a total line is labelled in, and their titles folded."""
    labels = [p for p in dict.fromkeys((header.columns.get("nama"), header.columns.get("nip"), 0))
              if p is not None]  # fmt: skip
    return labels, {p: fold(header.titles[p]) if p < len(header.titles) else "" for p in labels}


def _is_footer(row: Sequence[object], labels: list[int], titles: dict[int, str]) -> bool:
    for position in labels:
        folded = fold(_cell(row, position))
        if folded.startswith(FOOTER_WORDS) or (folded and folded == titles[position]):
            return True
    return False


def _is_signature(row: Sequence[object]) -> bool:
    return any(isinstance(v, str) and _SIGNATURE.match(v) is not None for v in row)


def _beyond_header(rows: list[list[object]], header: Header) -> list[str | None]:
    """For each CSV row, the letter of its first filled cell right of the last titled column:
    such a row has most often lost a decimal comma to the delimiter."""
    titles = header.titles
    width = max((i + 1 for i, t in enumerate(titles) if t not in ("", None)), default=0)
    found: list[str | None] = []
    for row in rows:
        extra = next((i for i in range(width, len(row)) if _filled(row[i])), None)
        found.append(None if extra is None else column_letter(extra))
    return found
