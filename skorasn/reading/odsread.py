"""A plain reader for the .ods files calamine refuses although they are valid: Gnumeric
(ssconvert) indents its content.xml, and calamine 0.9 fails on the whitespace between the
cells of a row ("Expecting 'table-cell', found 'Text(…)'").

It gives what calamine would: numbers as float, booleans, dates and times, text from the
cell's paragraphs. The pre-check has already measured every sheet, so only its filled box is
built and every repeat is bounded.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from skorasn.errors import UnreadableFile
from skorasn.reading.isolation import ChildSheet
from skorasn.reading.odsscan import repeat
from skorasn.reading.refusals import RESAVE
from skorasn.reading.sheetfacts import SheetFacts
from skorasn.reading.strings import member_chunks
from skorasn.reading.xlsxplan import WorkbookFacts
from skorasn.reading.xmlparse import attribute, feed, local, new_parser

_DURATION = re.compile(r"-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?")
_NUMBER_TYPES = ("float", "percentage", "currency")


def read_ods(path: Path, facts: WorkbookFacts) -> list[ChildSheet]:
    reader = _Reader(facts)
    try:
        with zipfile.ZipFile(path) as archive:
            feed(reader.parser, member_chunks(archive, archive.getinfo("content.xml")), path.name)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(f"berkas .ods tidak dapat dibaca ({exc}); {RESAVE}") from None
    return reader.sheets


def value_of(attrs: dict[str, str]) -> object | None:
    """A cell's value from its office: attributes; None for text (read from its paragraphs)
    or for an empty cell."""
    kind = attribute(attrs, "value-type")
    if kind in _NUMBER_TYPES:
        try:
            return float(attribute(attrs, "value") or "")
        except ValueError:
            return ""
    if kind == "boolean":
        return (attribute(attrs, "boolean-value") or "").lower() == "true"
    if kind == "date":
        return _date(attribute(attrs, "date-value") or "")
    if kind == "time":
        return _duration(attribute(attrs, "time-value") or "")
    if kind == "string":
        return attribute(attrs, "string-value")
    return None


def _date(text: str) -> object:
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        return text


def _duration(text: str) -> object:
    found = _DURATION.fullmatch(text)
    if found is None:
        return text
    days, hours, minutes, seconds = (float(part or 0) for part in found.groups())
    span = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    return -span if text.startswith("-") else span


class _Reader:
    def __init__(self, facts: WorkbookFacts):
        self.facts = facts
        self.sheets: list[ChildSheet] = []
        self.parser: Any = new_parser()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.box: SheetFacts | None = None
        self.rows: list[list[object]] = []
        self.row: list[object] | None = None
        self.row_index = self.row_repeat = self.col = self.repeat = 0
        self.depth = 0
        self.annotation = 0  # depth of a comment inside the cell, whose text is not the cell's
        self.value: object | None = None
        self.text_parts: list[str] | None = None
        self.paragraphs = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if self.depth:
            self.depth += 1
            self.inside_cell(kind, attrs)
        elif kind == "table" and self.box is None:
            self.start_sheet(attribute(attrs, "name") or "")
        elif self.box is None:
            return
        elif kind == "table-row":
            self.start_row(attrs)
        elif kind in ("table-cell", "covered-table-cell"):
            self.start_cell(attrs)

    def start_sheet(self, name: str) -> None:
        self.box = self.facts.sheets.get(name, SheetFacts(name, ""))
        self.rows, self.row_index = [], 0
        self.sheets.append(ChildSheet(name, True, (0, 0), self.rows))

    def start_row(self, attrs: dict[str, str]) -> None:
        assert self.box is not None
        self.row_repeat = repeat(attrs, "number-rows-repeated", self.box.name)
        wanted = self.row_index <= self.box.last_row
        self.row = [""] * (self.box.last_col + 1) if wanted else None
        self.col = 0

    def start_cell(self, attrs: dict[str, str]) -> None:
        assert self.box is not None
        self.repeat = repeat(attrs, "number-columns-repeated", self.box.name)
        self.value = value_of(attrs)
        filled = attribute(attrs, "value-type") is not None
        self.text_parts = [] if filled and self.value is None else None
        self.paragraphs, self.depth = 0, 1

    def inside_cell(self, kind: str, attrs: dict[str, str]) -> None:
        parts = self.text_parts
        if parts is None or self.annotation:
            return
        if kind == "annotation":
            self.annotation = self.annotation or self.depth
        elif kind == "p" and self.depth == 2:
            if self.paragraphs:
                parts.append("\n")
            self.paragraphs += 1
        elif kind == "s":
            parts.append(" " * repeat(attrs, "c", ""))
        elif kind == "tab":
            parts.append("\t")
        elif kind == "line-break":
            parts.append("\n")

    def text(self, data: str) -> None:
        if self.text_parts is not None and self.depth >= 2 and not self.annotation:
            self.text_parts.append(data)

    def end(self, name: str) -> None:
        kind = local(name)
        if self.depth:
            if self.depth == self.annotation:
                self.annotation = 0
            self.depth -= 1
            if not self.depth:
                self.end_cell()
        elif kind == "table-row" and self.box is not None:
            self.end_row()
        elif kind == "table" and self.box is not None:
            self.box = None

    def end_cell(self) -> None:
        value = "".join(self.text_parts) if self.text_parts is not None else self.value
        if self.row is not None and value is not None:
            for col in range(self.col, min(self.col + self.repeat, len(self.row))):
                self.row[col] = value
        self.col += self.repeat

    def end_row(self) -> None:
        assert self.box is not None
        if self.row is not None:
            count = min(self.row_repeat, self.box.last_row + 1 - self.row_index)
            self.rows.extend([self.row] + [list(self.row) for _ in range(count - 1)])
        self.row_index += self.row_repeat
