"""A walk over an .ods content.xml: its tables, columns, rows and cells, by local name, with
the position of each cell after the repeats before it. odsscan measures what it meets;
odsread reads it."""

from __future__ import annotations

from typing import Any

from skorasn.errors import RejectedFile
from skorasn.reading.refusals import RESAVE
from skorasn.reading.sheetfacts import HOSTILE
from skorasn.reading.xmlparse import attribute, local, new_parser, parse

_CELLS = ("table-cell", "covered-table-cell")


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


class OdsWalker:
    """Feed it content.xml; it calls the on_* hooks, which subclasses fill in. While a hook
    runs, `sheet` is the table's name, `row`/`rows` the first row and the row repeat, and in a
    cell `col`/`cols` its first column and column repeat."""

    def __init__(self, part: str):
        self.part = part
        self.parser: Any = new_parser()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.sheet: str | None = None
        self.depth = 0  # inside a cell: how many elements deep
        self.in_row = False
        self.row = self.rows = self.col = self.cols = self.column = 0

    def feed(self, chunk: bytes) -> None:
        parse(self.parser, chunk, False, self.part)

    def close(self) -> None:
        parse(self.parser, b"", True, self.part)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if self.depth:
            self.depth += 1
            self.on_inside(kind, attrs)
        elif kind == "table" and self.sheet is None:
            self.sheet = attribute(attrs, "name") or ""
            self.row = self.column = 0
            self.on_sheet(self.sheet)
        elif self.sheet is None:
            return
        elif kind == "table-column":
            count = repeat(attrs, "number-columns-repeated", self.sheet)
            self.on_column(attrs, self.column, count)
            self.column += count
        elif kind == "table-row":
            self.rows = repeat(attrs, "number-rows-repeated", self.sheet)
            self.col, self.in_row = 0, True
            self.on_row(attrs)
        elif kind in _CELLS:
            self.cols, self.depth = repeat(attrs, "number-columns-repeated", self.sheet), 1
            self.on_cell(attrs)

    def _end(self, name: str) -> None:
        if self.depth:
            self.on_leave(self.depth)
            self.depth -= 1
            if not self.depth:
                self.on_cell_end()
                self.col += self.cols
        elif self.sheet is None:
            return
        elif local(name) == "table-row":
            self.on_row_end()
            self.row += self.rows
            self.col, self.in_row = 0, False
        elif local(name) == "table":
            self.sheet = None

    def _text(self, data: str) -> None:
        if self.depth >= 2:
            self.on_text(data)
        elif self.in_row and not self.depth:
            self.on_between_cells(data)

    # --- hooks --------------------------------------------------------------------------------

    def on_sheet(self, name: str) -> None: ...

    def on_column(self, attrs: dict[str, str], first: int, count: int) -> None: ...

    def on_row(self, attrs: dict[str, str]) -> None: ...

    def on_cell(self, attrs: dict[str, str]) -> None: ...

    def on_inside(self, kind: str, attrs: dict[str, str]) -> None: ...

    def on_leave(self, depth: int) -> None: ...

    def on_text(self, data: str) -> None: ...

    def on_between_cells(self, data: str) -> None: ...

    def on_cell_end(self) -> None: ...

    def on_row_end(self) -> None: ...
