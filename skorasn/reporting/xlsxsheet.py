"""The xlsxwriter workbook every XLSX of ours is written with: text that stays text, and whole
runs of rows written as sheet XML at once.

Two things xlsxwriter's constant-memory mode does not do for us:

- It writes a string that begins with `<r>` and ends with `</r>` into the sheet unescaped, as
  if it were rich-text XML. A participant named `<r>A & B</r>` would make the mayor's report a
  file Excel must repair. TextWorksheet writes such a string as plain fragments instead.
- It costs a dozen Python calls per cell. A stage sheet of a hundred thousand participants is
  a million cells, so its rows are made here a column at a time (`text_cells`, `number_cells`)
  and handed over as one piece of XML (`append_rows`). The cells are the ones xlsxwriter itself
  writes, byte for byte (tests/test_xlsx_rows.py compares the two), except that text past
  Excel's limit is cut where Excel counts, in UTF-16 units, as xlsxwriter does since 3.3.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from skorasn.vocabulary import EXCEL_CELL_TEXT

# What xlsxwriter escapes in a text cell (xmlwriter.py and utility.py), in one pattern, so that
# the common text that needs none of it is found with a single search.
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s\Z")
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


class TextWorksheet(Worksheet):  # type: ignore[misc]
    def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        if _looks_rich(string):
            # Three plain fragments read back as the same text, escaped like any other.
            pieces = [string[:1], string[1:3], string[3:]]
            return int(self.write_rich_string(row, col, *pieces, *_given(cell_format)))
        return int(super()._write_string(row, col, string, cell_format))

    def append_rows(self, first: int, last: int, last_column: int, xml: str) -> None:
        """Rows `first`..`last` (0-based), already made as sheet XML, after those written
        so far; in constant-memory mode only, as every workbook of ours is."""
        if not self.constant_memory or first <= self.previous_row:
            raise ValueError("append_rows: constant_memory, and rows after those written")
        self._check_dimensions(first, 0)
        self._check_dimensions(last, last_column)
        self._write_single_row(last)  # the row still pending (the header) goes out first
        self.fh.write(xml)


class TextWorkbook(Workbook):  # type: ignore[misc]
    worksheet_class = TextWorksheet


def _looks_rich(string: str) -> bool:
    return string.startswith("<r>") and string.endswith("</r>")


def _given(cell_format: Any) -> tuple[Any, ...]:
    return () if cell_format is None else (cell_format,)


def style_attribute(cell_format: Any) -> str:
    """The ` s="…"` a cell takes from its column's format."""
    return "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'


def row_start(row: int, height: float | None) -> str:
    """`<row>` for a 0-based row, with a height in points as set_row would store it."""
    if height is None:
        return f'<row r="{row + 1}">'
    points = int(height * 4.0 / 3.0 + 0.5) * 0.75  # xlsxwriter keeps whole pixels
    return f'<row r="{row + 1}" ht="{points:.16g}" customHeight="1">'


def number_cells(
    letter: str, rows: Sequence[int], values: Iterable[float | None], style: str
) -> list[str]:
    """One column's number cells (empty text where a value is missing)."""
    return [
        "" if value is None else f'<c r="{letter}{row + 1}"{style}><v>{value:.16G}</v></c>'
        for row, value in zip(rows, values, strict=True)
    ]


def text_cells(
    letter: str, rows: Sequence[int], values: Iterable[str | None], style: str
) -> list[str]:
    """One column's inline text cells (empty text where a value is missing or empty)."""
    opening = [f'<c r="{letter}{row + 1}"{style} t="inlineStr"><is><t' for row in rows]
    cells = []
    for start, value in zip(opening, values, strict=True):
        if not value:
            cells.append("")
        elif len(value) <= EXCEL_CELL_TEXT // 2 and not _NEEDS_ESCAPE.search(value):
            cells.append(f"{start}>{value}</t></is></c>")
        else:
            cells.append(start + _inline_text(_cut(value)))
    return cells


def _inline_text(value: str) -> str:
    """The rest of an inline text cell after `<t`, escaped as xlsxwriter escapes it."""
    value = _ESCAPED_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(value) else ""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"{preserve}>{value}</t></is></c>"


def _cut(value: str) -> str:
    """Text within Excel's limit, cut as xlsxwriter cuts it (UTF-16 units)."""
    if len(value.encode("utf-16-le")) // 2 <= EXCEL_CELL_TEXT:
        return value
    cut = value.encode("utf-16-le")[: EXCEL_CELL_TEXT * 2]
    return cut.decode("utf-16-le", errors="ignore")
