"""The careful pass over a worksheet's XML: a real parser, for sheets the fast scan will not
vouch for (prefixes mixed, cells without a reference, comments, single quotes, a box too big
to accept on the fast scan's rough measure).

It follows calamine's reading exactly: elements by local name, `<row r>` sets the row and
`</row>` moves to the next, a `<c>` without `r` takes the next column, only the first
`<sheetData>` counts. It costs about four times the native read, so it only runs where the
fast scan gave up.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any, NoReturn

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.refusals import RESAVE
from skorasn.reading.sheetfacts import (
    HOSTILE,
    SheetFacts,
    check_cell,
    check_text,
    parse_range,
    parse_ref,
)
from skorasn.reading.xmlparse import CellBuilder, feed, local, new_parser

_TRUE = ("1", "true")


def parse_sheet(
    chunks: Iterable[bytes],
    facts: SheetFacts,
    limits: ZipLimits,
    strings: array[int] | None = None,
) -> SheetFacts:
    """Measure the sheet into `facts`, or raise RejectedFile naming the cell at fault.
    `strings` holds the length of each shared string, to bound text copied into cells."""
    _SheetParser(facts, limits, strings).run(chunks)
    return facts


class _SheetParser:
    def __init__(self, facts: SheetFacts, limits: ZipLimits, strings: array[int] | None):
        self.facts = facts
        self.limits = limits
        self.strings = strings if strings is not None else array("I")
        self.parser: Any = new_parser()
        self.cell = CellBuilder()
        self.in_cell = False
        self.row = self.col = 0
        self.expanded = 0

    def run(self, chunks: Iterable[bytes]) -> None:
        self.parser.StartElementHandler = self.head
        feed(self.parser, chunks, self.facts.part)

    # --- before <sheetData>: hidden columns ---------------------------------------------------

    def head(self, name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if kind == "col" and attrs.get("hidden") in _TRUE:
            self.hidden_columns(attrs)
        elif kind == "sheetData":
            self.parser.StartElementHandler = self.start
            self.parser.EndElementHandler = self.end
            self.parser.CharacterDataHandler = self.cell.text

    def hidden_columns(self, attrs: dict[str, str]) -> None:
        try:
            first, last = int(attrs.get("min", "")), int(attrs.get("max", ""))
        except ValueError:
            return
        if 1 <= first <= last:
            self.facts.note_hidden_cols(first - 1, last - 1)

    # --- inside <sheetData>: cells --------------------------------------------------------------

    def start(self, name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if kind == "c":
            self.start_cell(attrs)
        elif kind == "row":
            self.start_row(attrs)
        elif self.in_cell:
            self.cell.start(kind, attrs)

    def start_row(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is not None:
            self.row = self.parse(ref)[0]
        if attrs.get("hidden") in _TRUE:
            self.facts.note_hidden_rows(self.row, self.row)

    def start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is not None:
            row, col = self.parse(ref)
            if col is None:
                self.bad_ref(ref)
            self.row, self.col = row, col
        self.cell.start("c", attrs)
        self.in_cell = True

    def end(self, name: str) -> None:
        kind = local(name)
        if kind == "c" and self.in_cell:
            self.end_cell()
        elif kind == "row":
            self.row += 1
            self.col = 0
        elif kind == "sheetData":
            self.parser.StartElementHandler = self.tail
            self.parser.EndElementHandler = None
            self.parser.CharacterDataHandler = None
        elif self.in_cell:
            self.cell.end(kind)

    def end_cell(self) -> None:
        self.in_cell = False
        cell, row, col = self.cell.cell, self.row, self.col
        self.col += 1
        error = cell.error()
        if error is not None:
            self.facts.note_error(row, col, error)
        if cell.value is None and not cell.inline:
            return  # style only, or a formula never calculated: the reader keeps nothing
        check_cell(self.facts, row, col, self.limits)
        if cell.type == "s":
            self.copy_shared(cell.value)

    def copy_shared(self, value: str | None) -> None:
        text = (value or "").strip()
        index = int(text) if text.isascii() and text.isdigit() else 0
        if index < len(self.strings):
            self.expanded += self.strings[index]
            check_text(self.facts, self.expanded, self.limits)

    # --- after </sheetData>: merged cells -------------------------------------------------------

    def tail(self, name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if kind == "mergeCell" and "ref" in attrs:
            self.facts.note_merge(parse_range(attrs["ref"]))

    def parse(self, ref: str) -> tuple[int, int | None]:
        try:
            return parse_ref(ref)
        except ValueError:
            self.bad_ref(ref)

    def bad_ref(self, ref: str) -> NoReturn:
        raise RejectedFile(
            f"lembar '{self.facts.name}': alamat sel '{ref[:20]}' tidak sah; {HOSTILE} — {RESAVE}"
        )
