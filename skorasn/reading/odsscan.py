"""The pre-check of an .ods: its content.xml measured with a parser while the zip guard
unpacks it, before calamine (which builds every sheet as it opens the file) is let near it.

ODS says "this cell, 16,384 times" and "this row, a million times" in attributes; calamine
expands them. Repeats of empty cells and rows cost nothing (LibreOffice ends every sheet with
them), so only filled cells count: each filled row widens the box from column A to its last
filled cell, and `<text:s text:c>` spaces and text copied by repeats are bounded too. The same
pass notes hidden rows and columns, merged ranges, cells LibreOffice saved as an error, and
text between the cells of a row, which Gnumeric writes and calamine cannot read.
"""

from __future__ import annotations

from typing import Any

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.refusals import RESAVE
from skorasn.reading.sheetfacts import (
    GRID_COLUMNS,
    GRID_ROWS,
    HOSTILE,
    CellRange,
    SheetFacts,
    a1,
    check_cell,
    check_text,
)
from skorasn.reading.xmlparse import attribute, local, new_parser, parse

_VALUE_ATTRIBUTES = frozenset(
    ("value", "string-value", "date-value", "time-value", "boolean-value", "value-type", "formula")
)
_HIDDEN = ("collapse", "filter")
# Spaces one cell may ask for with <text:s text:c>: calamine pushes them one at a time.
_MAX_SPACES = 1 << 20


def repeat(attrs: dict[str, str], name: str, sheet: str) -> int:
    """A repeat or span attribute (1 when absent); junk is refused as calamine would fail."""
    text = attribute(attrs, name)
    if text is None:
        return 1
    if not (text.isascii() and text.isdigit()):
        raise RejectedFile(
            f"lembar '{sheet}': atribut {name}='{text[:20]}' bukan bilangan; {HOSTILE} — {RESAVE}"
        )
    return int(text)


class OdsScan:
    """Consumes content.xml chunk by chunk; `sheets` holds the facts by sheet name."""

    def __init__(self, part: str, limits: ZipLimits):
        self.part = part
        self.limits = limits
        self.sheets: dict[str, SheetFacts] = {}
        self.text_between_cells = False
        self._parser: Any = new_parser()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text
        self._sheet: SheetFacts | None = None
        self._depth = 0  # inside a cell: how deep; the cell's content is only measured
        self._in_row = False
        self._row = self._col = self._column = 0
        self._row_repeat = 1
        self._cell: _Cell | None = None
        self._expanded = 0

    def feed(self, chunk: bytes) -> None:
        parse(self._parser, chunk, False, self.part)

    def close(self) -> None:
        parse(self._parser, b"", True, self.part)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if self._depth:
            self._depth += 1
            self._inside_cell(kind, attrs)
        elif kind == "table" and self._sheet is None:
            self._start_sheet(attrs)
        elif self._sheet is None:
            return
        elif kind == "table-column":
            self._start_column(attrs)
        elif kind == "table-row":
            self._start_row(attrs)
        elif kind in ("table-cell", "covered-table-cell"):
            self._start_cell(attrs)

    def _end(self, name: str) -> None:
        kind = local(name)
        if self._depth:
            self._depth -= 1
            if not self._depth:
                self._end_cell()
        elif kind == "table-row" and self._sheet is not None:
            self._end_row()
        elif kind == "table" and self._sheet is not None:
            self._sheet = None

    def _text(self, data: str) -> None:
        if self._cell is not None and self._depth >= 2:
            self._cell.text += len(data.encode())
            if self._cell.error is not None and len(self._cell.error) < 64:
                self._cell.error += data
        elif self._in_row and not self._depth:
            self.text_between_cells = True

    # --- sheets, columns, rows ------------------------------------------------------------------

    def _start_sheet(self, attrs: dict[str, str]) -> None:
        name = attribute(attrs, "name") or ""
        self._sheet = self.sheets.setdefault(name, SheetFacts(name, self.part))
        self._row = self._column = 0

    def _start_column(self, attrs: dict[str, str]) -> None:
        assert self._sheet is not None
        count = repeat(attrs, "number-columns-repeated", self._sheet.name)
        if attribute(attrs, "visibility") in _HIDDEN and self._column < GRID_COLUMNS:
            self._sheet.note_hidden_cols(self._column, self._column + count - 1)
        self._column += count

    def _start_row(self, attrs: dict[str, str]) -> None:
        assert self._sheet is not None
        self._row_repeat = repeat(attrs, "number-rows-repeated", self._sheet.name)
        self._col, self._in_row = 0, True
        if attribute(attrs, "visibility") in _HIDDEN and self._row < GRID_ROWS:
            self._sheet.note_hidden_rows(self._row, self._row + self._row_repeat - 1)

    def _end_row(self) -> None:
        self._row += self._row_repeat
        self._col, self._in_row = 0, False

    # --- cells ----------------------------------------------------------------------------------

    def _start_cell(self, attrs: dict[str, str]) -> None:
        sheet = self._sheet
        assert sheet is not None
        cell = _Cell(self._col, repeat(attrs, "number-columns-repeated", sheet.name))
        cell.filled = any(local(key) in _VALUE_ATTRIBUTES for key in attrs)
        cell.heap = sum(len(value) for key, value in attrs.items() if local(key) != "value-type")
        cell.error = "" if attrs.get("calcext:value-type") == "error" else None
        rows = repeat(attrs, "number-rows-spanned", sheet.name)
        cols = repeat(attrs, "number-columns-spanned", sheet.name)
        if (rows > 1 or cols > 1) and self._row < GRID_ROWS and self._col < GRID_COLUMNS:
            sheet.note_merge(
                CellRange(self._row, self._col, self._row + rows - 1, self._col + cols - 1)
            )
        self._cell, self._depth = cell, 1
        self._col += cell.repeat

    def _inside_cell(self, kind: str, attrs: dict[str, str]) -> None:
        cell = self._cell
        if kind == "annotation" and cell is not None:
            cell.error = None  # a comment's text is not the error shown in the cell
        if kind == "s" and cell is not None and self._sheet is not None:
            cell.spaces += repeat(attrs, "c", self._sheet.name)
            if cell.spaces > _MAX_SPACES:
                raise RejectedFile(
                    f"lembar '{self._sheet.name}': sel {a1(self._row, cell.col)} meminta "
                    f"{cell.spaces} spasi berulang (text:s); {HOSTILE} — {RESAVE}"
                )

    def _end_cell(self) -> None:
        cell, sheet = self._cell, self._sheet
        assert cell is not None and sheet is not None
        self._cell = None
        if not cell.filled or not cell.repeat or not self._row_repeat:
            return
        last = cell.col + cell.repeat - 1
        check_cell(sheet, self._row, last, self.limits)
        check_cell(sheet, self._row + self._row_repeat - 1, last, self.limits)
        copies = cell.repeat * self._row_repeat
        self._expanded += (cell.heap + cell.text + cell.spaces) * copies
        check_text(sheet, self._expanded, self.limits)
        if cell.error is not None:
            for row in range(self._row, self._row + min(self._row_repeat, 16)):
                for col in range(cell.col, cell.col + min(cell.repeat, 16)):
                    sheet.note_error(row, col, cell.error.strip() or "#ERROR")


class _Cell:
    def __init__(self, col: int, repeat: int):
        self.col = col
        self.repeat = repeat
        self.filled = False
        self.heap = 0
        self.text = 0
        self.spaces = 0
        self.error: str | None = None
