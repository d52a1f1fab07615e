"""Peringatan for what a person checking a sheet by eye would miss: hidden rows and columns
(read all the same, since a hidden participant is still a participant) and merged cells
spanning several participants' rows (the reader gives the value to the first row only, so
the rows below read blank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import accumulate

from skorasn.formatting import column_letter
from skorasn.models import Masalah
from skorasn.reading.header import PEOPLE_COLUMNS, Header
from skorasn.reading.sheetfacts import CellRange, SheetFacts
from skorasn.reading.workbook import RawSheet
from skorasn.vocabulary import PERINGATAN

_LISTED = 12  # spans named in one message; the rest are counted


def layout_problems(berkas: str, sheet: RawSheet, header: Header) -> list[Masalah]:
    """At most one peringatan for the sheet's hidden rows and columns, and one per merged
    range that spans two or more participants' rows."""
    facts = sheet.facts
    if facts is None:
        return []
    body = range(header.row + 1, len(sheet.rows))
    problems = []
    hidden = _hidden(sheet.rows, facts, body)
    if hidden:
        problems.append(_problem(berkas, sheet, None, None, hidden))
    if facts.merged:
        people = [p for c in PEOPLE_COLUMNS if (p := header.columns.get(c)) is not None]
        # Participants up to each row, so that each merge is judged in constant time.
        counted = [0, *accumulate(_filled(_cells(sheet.rows[r], people)) for r in body)]
        for merged in facts.merged:
            first = min(max(merged.first_row, body.start), body.stop) - body.start
            last = min(max(merged.last_row + 1, body.start), body.stop) - body.start
            if counted[last] - counted[first] >= 2:
                problems.append(_merge_problem(berkas, sheet, merged))
    return problems


def _merge_problem(berkas: str, sheet: RawSheet, merged: CellRange) -> Masalah:
    top = merged.first_row + 1
    return _problem(
        berkas,
        sheet,
        top,
        merged.first_col,
        f"sel gabungan {merged.a1()} mencakup beberapa baris peserta; isinya hanya terbaca di "
        f"baris {top}, baris lain di bawahnya terbaca kosong. Pisahkan sel gabungan itu "
        "(Unmerge) lalu isi setiap baris",
    )


def _hidden(rows: list[list[object]], facts: SheetFacts, body: range) -> str:
    """'baris 12–14, 20 dan kolom E disembunyikan …' for the hidden rows of the table that
    hold something and the hidden columns with something below the header; '' if none."""
    hidden_rows = [
        (a, b)
        for a, b in _clip(facts.hidden_rows, body)
        if any(_filled(rows[r]) for r in range(a, b + 1))
    ]
    hidden_cols = [
        (a, b)
        for a, b in _merge(facts.hidden_cols)
        if any(_filled(rows[r][a : b + 1]) for r in body)
    ]
    parts = []
    if hidden_rows:
        parts.append("baris " + _spans(hidden_rows, lambda r: str(r + 1)))
    if hidden_cols:
        parts.append("kolom " + _spans(hidden_cols, column_letter))
    if not parts:
        return ""
    return (
        " dan ".join(parts) + " disembunyikan (Hide atau filter), tetapi tetap dibaca; "
        "tampilkan lalu periksa isinya"
    )


def _clip(spans: Iterable[tuple[int, int]], body: range) -> list[tuple[int, int]]:
    clipped = [(max(a, body.start), min(b, body.stop - 1)) for a, b in spans]
    return _merge((a, b) for a, b in clipped if a <= b)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _spans(spans: list[tuple[int, int]], name: Callable[[int], str]) -> str:
    """'12–14, 20' from [(11, 13), (19, 19)]; past a dozen spans, the rest are counted."""
    shown = [name(a) if a == b else f"{name(a)}–{name(b)}" for a, b in spans[:_LISTED]]
    rest = sum(b - a + 1 for a, b in spans[_LISTED:])
    return ", ".join(shown) + (f" dan {rest} lainnya" if rest else "")


def _cells(row: list[object], columns: list[int]) -> list[object]:
    return [row[c] for c in columns if c < len(row)]


def _filled(cells: list[object]) -> bool:
    return any(cell not in ("", None) for cell in cells)


def _problem(
    berkas: str, sheet: RawSheet, row: int | None, col: int | None, message: str
) -> Masalah:
    return Masalah(
        berkas=berkas,
        lembar=sheet.name,
        baris=row,
        kolom=column_letter(col) if col is not None else None,
        tingkat=PERINGATAN,
        pesan=message,
    )
