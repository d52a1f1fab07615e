"""Finding the table on a sheet: its header row, and the rows below it that are not people.

Both the score reader and the participant-list reader of `skorasn templat` use these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from skorasn.formatting import shown
from skorasn.names import TRAINER, HeaderVocabulary, fold
from skorasn.vocabulary import (
    FOOTER_WORDS,
    HEADER_SEARCH_ROWS,
    INSTRUCTIONS_MARKER,
    INSTRUCTIONS_SHEET,
)

# Unicode \d on purpose: a signature's "NIP. ١٩٧…" is as much a signature as in ASCII.
_SIGNATURE = re.compile(r"\s*NIP\s*[.:]\s*\d", re.IGNORECASE)
PEOPLE_COLUMNS = ("nip", "nama")


@dataclass
class Header:
    row: int
    columns: dict[str, int]
    trainers: list[int] = field(default_factory=list)
    titles: list[object] = field(default_factory=list)
    # A second column whose title means a column already found: (field, its position).
    repeated: list[tuple[str, int]] = field(default_factory=list)

    @property
    def recognised(self) -> int:
        return len(self.columns) + len(self.trainers)

    @property
    def has_score(self) -> bool:
        return "skor" in self.columns or bool(self.trainers)


def locate_header(
    rows: list[list[object]], vocabulary: HeaderVocabulary, need_score: bool = True
) -> Header | None:
    """The row in the first twenty that names the most known columns, if it names NIP or Nama
    (and, with `need_score`, a score).

    A header may take two rows, with a merged "Nilai" above "Pelatih 1 | Pelatih 2"; such a
    pair is read as one row ("Nilai Pelatih 1") and the data starts below the second.
    """
    best: Header | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidates = [_classify_row(index, row, vocabulary)]
        if index + 1 < len(rows) and _is_sub_header(rows[index + 1]):
            joined = _join_header_rows(row, rows[index + 1])
            candidates.append(_classify_row(index + 1, joined, vocabulary))
        for header in candidates:
            if need_score and not header.has_score:
                continue
            if not set(PEOPLE_COLUMNS) & header.columns.keys():
                continue
            if best is None or header.recognised > best.recognised:
                best = header
    if best is not None:
        best.titles = list(rows[best.row])
    return best


def _is_sub_header(row: list[object]) -> bool:
    """Only text, no numbers or dates: it may be the lower half of a two-row header."""
    filled = [cell for cell in row if cell not in ("", None)]
    return bool(filled) and all(isinstance(cell, str) for cell in filled)


def _join_header_rows(top: list[object], bottom: list[object]) -> list[object]:
    """Each column's upper and lower titles; a merged upper title spans the columns to its
    right that are blank above and titled below."""
    joined: list[object] = []
    carried = ""
    for position in range(max(len(top), len(bottom))):
        upper = top[position] if position < len(top) else ""
        lower = bottom[position] if position < len(bottom) else ""
        upper = upper.strip() if isinstance(upper, str) else ""
        lower = lower.strip() if isinstance(lower, str) else ""
        if upper:
            carried = upper
        elif not lower:
            carried = ""
        above = upper or carried
        joined.append(f"{above} {lower}".strip() if lower else upper)
    return joined


def _classify_row(index: int, row: list[object], vocabulary: HeaderVocabulary) -> Header:
    header = Header(index, {})
    for position, cell in enumerate(row):
        column = vocabulary.classify(cell)
        if column == TRAINER:
            header.trainers.append(position)
        elif column is not None and column not in header.columns:
            header.columns[column] = position
        elif column is not None:
            header.repeated.append((column, position))
    return header


def headers_seen(rows: list[list[object]], limit: int = 8, width: int = 40) -> list[str]:
    """Short samples of the text in the first rows, for the warning on a sheet without a
    header: enough to recognise the sheet, not a copy of it."""
    seen: list[str] = []
    for row in rows[:HEADER_SEARCH_ROWS]:
        for cell in row:
            text = shown(" ".join(cell.split()), width) if isinstance(cell, str) else ""
            if text and text not in seen:
                seen.append(text)
    return seen[:limit]


def body_frame(rows: list[list[object]], header_row: int) -> pd.DataFrame:
    """The cells below the header as an object frame labelled by 0-based row and column;
    short rows (CSV) are padded with ''."""
    body = rows[header_row + 1 :]
    width = max((len(row) for row in body), default=0)
    if any(len(row) != width for row in body):
        body = [list(row) + [""] * (width - len(row)) for row in body]
    frame = (
        pd.DataFrame(body, columns=range(width), dtype=object)
        if body
        else pd.DataFrame(columns=range(width), dtype=object)
    )
    frame.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(frame))
    return frame


def is_instructions_sheet(name: str | None, rows: list[list[object]]) -> bool:
    """The Petunjuk sheet of `skorasn templat`: its name, and the marker in its A1 cell."""
    first = rows[0][0] if rows and rows[0] else None
    return name == INSTRUCTIONS_SHEET and first == INSTRUCTIONS_MARKER


def people_rows(
    raw: pd.DataFrame, header: Header, candidates: pd.Series, has_nip: pd.Series
) -> pd.Series:
    """The `candidates` that are people: not a total line ("JUMLAH …"), a header repeated on a
    new printed page, or a signature line ("NIP. 1970…" under "Kepala BKPSDM"); below a total
    line only rows with a NIP count."""
    # Totals, signatures and repeated headers never carry a NIP, so only those rows are
    # inspected: the usual sheet has a handful of them among thousands of participants.
    suspects = raw[candidates & ~has_nip]
    footer = _footer(suspects, header).reindex(raw.index, fill_value=False)
    below_footer = footer.cumsum() > 0
    signature = _signature_rows(suspects).reindex(raw.index, fill_value=False)
    return candidates & ~footer & ~(below_footer & ~has_nip) & ~signature


def _footer(rows: pd.DataFrame, header: Header) -> pd.Series:
    """Total lines and headers repeated on a new printed page."""
    candidates = (header.columns.get("nama"), header.columns.get("nip"), 0)
    label_positions = [p for p in dict.fromkeys(candidates) if p is not None and p in rows.columns]
    footer = pd.Series(False, index=rows.index)
    for position in label_positions:
        folded = rows[position].map(fold)
        footer |= folded.str.startswith(FOOTER_WORDS)
        title = header.titles[position] if position < len(header.titles) else ""
        footer |= folded == fold(title)
    return footer


def _signature_rows(rows: pd.DataFrame) -> pd.Series:
    """Rows with a "NIP. 1970…" line from the signature block in any column."""
    found = pd.Series(False, index=rows.index)
    for position in rows.columns:
        found |= (
            rows[position]
            .map(lambda v: isinstance(v, str) and _SIGNATURE.match(v) is not None)
            .astype(bool)
        )
    return found


def has_digit(value: object) -> bool:
    """A NIP-like cell: text with a digit, or a number. Digits of any script count (isdigit):
    such a row is a participant, whose NIP is then read or refused by normalise_nip."""
    if isinstance(value, str):
        return any(ch.isdigit() for ch in value)
    return isinstance(value, int | float) and not isinstance(value, bool)
