"""Raw grids out of workbooks, before any meaning is given to a cell.

Every workbook passes the guard and pre-check first (guard.py, precheck.py). An .xlsx is then
read here, in-process; .xls, .xlsb and .ods in a child process (isolation.py). Either way
only the box of filled cells is read, so memory follows the cells that exist, not the sheet's
declared size; the grid handed on still counts from A1 (rows above the box are one shared
empty list each), so every cell keeps its name in messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from skorasn.errors import UnreadableFile
from skorasn.models import ZipLimits
from skorasn.reading.guard import check_workbook
from skorasn.reading.isolated import open_calamine
from skorasn.reading.isolation import ChildSheet, ReaderError, read_isolated
from skorasn.reading.odsread import read_ods
from skorasn.reading.sheetfacts import CellRange, SheetFacts
from skorasn.reading.xlsxplan import WorkbookFacts

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
# Never filled in: the rows above a sheet's first filled row all share it.
_EMPTY_ROW: list[object] = []
# Cell types whose equal values can share one object: never float, int or bool, which
# compare equal across types (1 == 1.0 == True), so that sharing would change a cell's type.
_SHAREABLE = frozenset({str, dt.date, dt.datetime})


@dataclass
class RawSheet:
    """One sheet's cells from A1, as the reader gave them ('' for an empty cell; rows above
    the first filled one may be empty lists)."""

    name: str | None
    rows: list[list[object]]
    stage_hint: str | None
    facts: SheetFacts | None = None

    @property
    def error_cells(self) -> dict[tuple[int, int], str]:
        return self.facts.errors if self.facts is not None else {}


@dataclass(frozen=True)
class HiddenSheet:
    name: str


def read_workbook(path: Path, limits: ZipLimits) -> Iterator[RawSheet | HiddenSheet]:
    """Every worksheet in order; hidden ones are announced, not read. Raises UnreadableFile
    (or RejectedFile) with the reason, in Indonesian, when the file cannot be read."""
    return read_checked(path, check_workbook(path, limits), limits)


def read_checked(
    path: Path, facts: WorkbookFacts | None, limits: ZipLimits
) -> Iterator[RawSheet | HiddenSheet]:
    """read_workbook for a file the guard has passed, with what its pre-check measured."""
    if facts is None and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile("buku kerja ini belum diperiksa; tidak dibaca")  # never unmeasured
    if facts is not None and facts.kind == "xlsx":
        yield from _read_measured(path, facts, limits)
        return
    try:
        sheets = read_isolated(path, limits)
    except ReaderError as exc:
        if facts is None or not facts.text_between_cells:
            raise UnreadableFile(reader_message(exc.kind, str(exc))) from None
        # Gnumeric indents its XML, which calamine refuses; the file itself is valid.
        sheets = read_ods(path, facts)
    for sheet in sheets:
        yield _from_child(sheet, facts)


def _from_child(sheet: ChildSheet, facts: WorkbookFacts | None) -> RawSheet | HiddenSheet:
    if not sheet.visible:
        return HiddenSheet(sheet.name)
    measured = facts.sheets.get(sheet.name) if facts is not None else None
    if measured is None:  # .xls, .xlsb: the merges are all the child can tell
        measured = SheetFacts(sheet.name, "")
        for (top, left), (bottom, right) in sheet.merged:
            measured.note_merge(CellRange(top, left, bottom, right))
    return RawSheet(sheet.name, from_a1(sheet.rows, sheet.start), sheet.name, measured)


def _read_measured(
    path: Path, facts: WorkbookFacts, limits: ZipLimits
) -> Iterator[RawSheet | HiddenSheet]:
    try:
        workbook = open_calamine(str(path))
        metadata = workbook.sheets_metadata
    except BaseException as exc:  # every reader failure becomes a galat for this file
        _reraise_interrupts(exc)
        raise UnreadableFile(reader_message(type(exc).__name__, str(exc))) from None
    for sheet in metadata:
        if str(sheet.typ) != "SheetTypeEnum.WorkSheet":
            continue
        if str(sheet.visible) != "SheetVisibleEnum.Visible":
            yield HiddenSheet(sheet.name)
            continue
        measured = facts.sheets.get(sheet.name)
        if measured is None:  # never hand the reader a sheet the pre-check has not measured
            raise UnreadableFile(
                f"lembar '{sheet.name}' tidak ditemukan di tempat yang disebut buku kerjanya; "
                "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx"
            )
        # No local name for the grid: the caller frees it after reading, which a reference
        # held by this suspended generator would prevent.
        yield RawSheet(sheet.name, _sheet_rows(workbook, sheet.name, limits), sheet.name, measured)


def _sheet_rows(workbook: object, name: str, limits: ZipLimits) -> list[list[object]]:
    try:
        sheet = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
        if sheet.start is None:
            return []
        if sheet.height * sheet.width > limits.max_cells:  # the pre-check says it cannot be
            raise UnreadableFile(f"lembar '{name}' lebih besar daripada yang diperiksa")
        return from_a1(_box_rows(sheet, name), sheet.start)
    except UnreadableFile:
        raise
    except BaseException as exc:
        _reraise_interrupts(exc)
        message = reader_message(type(exc).__name__, str(exc))
        raise UnreadableFile(f"lembar '{name}' tidak dapat dibaca: {message}") from None


def _box_rows(sheet: Any, name: str) -> list[list[object]]:
    """The rows of the filled box, each repeated text or date one shared object.

    A column such as Unit Kerja or Eselon repeats a handful of values down a million rows;
    the reader makes a new object for every cell, which at that size is hundreds of MB.
    """
    rows = iter(sheet.iter_rows())
    first: list[list[object]] = []
    for _ in range(sheet.start[0]):  # the reader yields the empty rows above the box too
        row = next(rows, None)
        if row is not None and any(v != "" for v in row):
            first.append(row)
            break
    shared: dict[object, object] = {}
    keep = shared.setdefault
    box = [[keep(v, v) if type(v) in _SHAREABLE else v for v in row] for row in chain(first, rows)]
    if len(box) != sheet.height:  # never guess which rows were left out
        raise UnreadableFile(f"lembar '{name}' terbaca {len(box)} baris, bukan {sheet.height}")
    return box


def from_a1(rows: list[list[object]], start: tuple[int, int] | None) -> list[list[object]]:
    """The filled box read from `start` placed back where it lies: the rows above share one
    empty list, the columns to the left are padded with ''. The pre-check bounded the box
    from column A, so the padding is bounded too."""
    if start is None or not rows:
        return []
    top, left = start
    if left:
        pad: list[object] = [""] * left
        rows = [pad + row for row in rows]
    return [_EMPTY_ROW] * top + rows if top else rows


def _reraise_interrupts(exc: BaseException) -> None:
    """A Rust panic in the reader arrives as a BaseException; Ctrl-C must still stop us."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


def reader_message(kind: str, detail: str) -> str:
    if kind == "PasswordError":
        return "berkas dilindungi kata sandi; hapus kata sandinya di Excel lalu simpan ulang"
    detail = detail.strip().splitlines()[0][:200] if detail.strip() else kind
    return (
        f"berkas rusak atau bukan lembar kerja yang dikenali ({detail}); "
        "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx"
    )
