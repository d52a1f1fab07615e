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

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.odswalk import OdsWalker, repeat
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
from skorasn.reading.xmlparse import attribute, local

_VALUE_ATTRIBUTES = frozenset(
    ("value", "string-value", "date-value", "time-value", "boolean-value", "value-type", "formula")
)
_HIDDEN = ("collapse", "filter")
# Spaces one cell may ask for with <text:s text:c>: calamine pushes them one at a time.
_MAX_SPACES = 1 << 20


class OdsScan(OdsWalker):
    """Consumes content.xml chunk by chunk; `sheets` holds the facts by sheet name."""

    def __init__(self, part: str, limits: ZipLimits):
        super().__init__(part)
        self.limits = limits
        self.sheets: dict[str, SheetFacts] = {}
        self.text_between_cells = False
        self._facts = SheetFacts("", part)
        self._cell = _Cell()
        self._expanded = 0

    def on_sheet(self, name: str) -> None:
        self._facts = self.sheets.setdefault(name, SheetFacts(name, self.part))

    def on_column(self, attrs: dict[str, str], first: int, count: int) -> None:
        if attribute(attrs, "visibility") in _HIDDEN and first < GRID_COLUMNS:
            self._facts.note_hidden_cols(first, first + count - 1)

    def on_row(self, attrs: dict[str, str]) -> None:
        if attribute(attrs, "visibility") in _HIDDEN and self.row < GRID_ROWS:
            self._facts.note_hidden_rows(self.row, self.row + self.rows - 1)

    def on_between_cells(self, data: str) -> None:
        self.text_between_cells = True

    def on_cell(self, attrs: dict[str, str]) -> None:
        cell = self._cell = _Cell()
        cell.filled = any(local(key) in _VALUE_ATTRIBUTES for key in attrs)
        cell.heap = sum(len(value) for key, value in attrs.items() if local(key) != "value-type")
        cell.error = "" if attrs.get("calcext:value-type") == "error" else None
        rows = repeat(attrs, "number-rows-spanned", self._facts.name)
        cols = repeat(attrs, "number-columns-spanned", self._facts.name)
        if (rows > 1 or cols > 1) and self.row < GRID_ROWS and self.col < GRID_COLUMNS:
            self._facts.note_merge(
                CellRange(self.row, self.col, self.row + rows - 1, self.col + cols - 1)
            )

    def on_inside(self, kind: str, attrs: dict[str, str]) -> None:
        cell = self._cell
        if kind == "annotation":
            cell.error = None  # a comment's text is not the error shown in the cell
        elif kind == "s":
            cell.spaces += repeat(attrs, "c", self._facts.name)
            if cell.spaces > _MAX_SPACES:
                raise RejectedFile(
                    f"lembar '{self._facts.name}': sel {a1(self.row, self.col)} meminta "
                    f"{cell.spaces} spasi berulang (text:s); {HOSTILE} — {RESAVE}"
                )

    def on_text(self, data: str) -> None:
        self._cell.text += len(data.encode())
        if self._cell.error is not None and len(self._cell.error) < 64:
            self._cell.error += data

    def on_cell_end(self) -> None:
        cell, facts = self._cell, self._facts
        if not cell.filled or not self.cols or not self.rows:
            return
        last = self.col + self.cols - 1
        check_cell(facts, self.row, last, self.limits)
        check_cell(facts, self.row + self.rows - 1, last, self.limits)
        self._expanded += (cell.heap + cell.text + cell.spaces) * self.cols * self.rows
        check_text(facts, self._expanded, self.limits)
        if cell.error is not None:
            for row in range(self.row, self.row + min(self.rows, 16)):
                for col in range(self.col, self.col + min(self.cols, 16)):
                    facts.note_error(row, col, cell.error.strip() or "#ERROR")


class _Cell:
    def __init__(self) -> None:
        self.filled = False
        self.heap = 0
        self.text = 0
        self.spaces = 0
        self.error: str | None = None
