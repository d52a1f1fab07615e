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

from skorasn.errors import UnreadableFile
from skorasn.reading.isolation import ChildSheet
from skorasn.reading.odswalk import OdsWalker, repeat
from skorasn.reading.refusals import RESAVE
from skorasn.reading.sheetfacts import SheetFacts
from skorasn.reading.strings import member_chunks
from skorasn.reading.xlsxplan import WorkbookFacts
from skorasn.reading.xmlparse import attribute

_DURATION = re.compile(r"-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?")
_NUMBER_TYPES = ("float", "percentage", "currency")


def read_ods(path: Path, facts: WorkbookFacts) -> list[ChildSheet]:
    reader = _Reader(facts)
    try:
        with zipfile.ZipFile(path) as archive:
            for chunk in member_chunks(archive, archive.getinfo("content.xml")):
                reader.feed(chunk)
            reader.close()
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


class _Reader(OdsWalker):
    def __init__(self, facts: WorkbookFacts):
        super().__init__("content.xml")
        self.facts = facts
        self.sheets: list[ChildSheet] = []
        self.box = SheetFacts("", "")
        self.cells: list[object] | None = None  # the current row, if inside the box
        self.value: object | None = None
        self.text_parts: list[str] | None = None
        self.paragraphs = 0
        self.annotation = 0  # depth of a comment inside the cell, whose text is not the cell's

    def on_sheet(self, name: str) -> None:
        self.box = self.facts.sheets.get(name, SheetFacts(name, ""))
        self.sheets.append(ChildSheet(name, True, (0, 0), []))

    def on_row(self, attrs: dict[str, str]) -> None:
        inside = self.row <= self.box.last_row
        self.cells = [""] * (self.box.last_col + 1) if inside else None

    def on_cell(self, attrs: dict[str, str]) -> None:
        self.value = value_of(attrs)
        filled = attribute(attrs, "value-type") is not None
        self.text_parts = [] if filled and self.value is None else None
        self.paragraphs = 0

    def on_inside(self, kind: str, attrs: dict[str, str]) -> None:
        parts = self.text_parts
        if parts is None or self.annotation:
            return
        if kind == "annotation":
            self.annotation = self.depth
        elif kind == "p" and self.depth == 2:
            if self.paragraphs:
                parts.append("\n")
            self.paragraphs += 1
        elif kind == "s":
            parts.append(" " * repeat(attrs, "c", self.box.name))
        elif kind == "tab":
            parts.append("\t")
        elif kind == "line-break":
            parts.append("\n")

    def on_leave(self, depth: int) -> None:
        if depth == self.annotation:
            self.annotation = 0

    def on_text(self, data: str) -> None:
        if self.text_parts is not None and not self.annotation:
            self.text_parts.append(data)

    def on_cell_end(self) -> None:
        value = "".join(self.text_parts) if self.text_parts is not None else self.value
        if self.cells is not None and value is not None:
            for col in range(self.col, min(self.col + self.cols, len(self.cells))):
                self.cells[col] = value

    def on_row_end(self) -> None:
        if self.cells is not None:
            count = min(self.rows, self.box.last_row + 1 - self.row)
            rows = self.sheets[-1].rows
            rows.extend([self.cells] + [list(self.cells) for _ in range(count - 1)])
