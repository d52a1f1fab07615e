"""Raw grids out of workbooks, before any meaning is given to a cell."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from skorasn.errors import UnreadableFile
from skorasn.formatting import column_index
from skorasn.reading.messages import UNCACHED_FORMULA

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")

# A sheet larger than this is refused: the grid is held in memory as Python objects.
MAX_CELLS = 60_000_000


@dataclass
class RawSheet:
    """One sheet's cells from A1, as the reader gave them ('' for an empty cell)."""

    name: str | None
    rows: list[list[object]]
    stage_hint: str | None
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class HiddenSheet:
    name: str


def read_workbook(path: Path) -> Iterator[RawSheet | HiddenSheet]:
    """Every worksheet in order; hidden ones are announced, not read."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        metadata = workbook.sheets_metadata
    except BaseException as exc:  # every reader failure becomes a galat for this file
        _reraise_interrupts(exc)
        raise UnreadableFile(_reader_message(exc)) from None
    errors_by_sheet = _xlsx_error_cells(path) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    for sheet in metadata:
        if str(sheet.typ) != "SheetTypeEnum.WorkSheet":
            continue
        if str(sheet.visible) != "SheetVisibleEnum.Visible":
            yield HiddenSheet(sheet.name)
            continue
        # No local name for the grid: the caller frees it after reading, which a reference
        # held by this suspended generator would prevent.
        yield RawSheet(
            sheet.name,
            _sheet_rows(workbook, sheet.name),
            sheet.name,
            errors_by_sheet.get(sheet.name, {}),
        )


def _sheet_rows(workbook: object, name: str) -> list[list[object]]:
    try:
        sheet = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
        end = sheet.end
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
            raise UnreadableFile(
                f"lembar '{name}' terlalu besar ({end[0] + 1} baris × {end[1] + 1} kolom); "
                "hapus isi di luar tabel lalu simpan ulang"
            )
        return sheet.to_python(skip_empty_area=False)
    except UnreadableFile:
        raise
    except BaseException as exc:
        _reraise_interrupts(exc)
        message = _reader_message(exc)
        raise UnreadableFile(f"lembar '{name}' tidak dapat dibaca: {message}") from None


def _reraise_interrupts(exc: BaseException) -> None:
    """A Rust panic in the reader arrives as a BaseException; Ctrl-C must still stop us."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


def _reader_message(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "PasswordError":
        return "berkas dilindungi kata sandi; hapus kata sandinya di Excel lalu simpan ulang"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else name
    return (
        f"berkas rusak atau bukan lembar kerja yang dikenali ({detail}); "
        "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx"
    )


_FORMULA_THEN_VALUE = rb">(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<]*)</v>"
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*' + _FORMULA_THEN_VALUE)
_ERROR_CELL_T_FIRST = re.compile(
    rb'<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)(\d+)"[^>]*' + _FORMULA_THEN_VALUE
)
# A formula whose result was never saved (written by a script, never opened in Excel): the
# readers return '' for it, which would pass for "not yet scored".
_UNCACHED_FORMULA = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>'
)


def _xlsx_error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Cells holding an Excel error (#N/A, #REF! …), which the calamine readers return as ''.

    Only sheets whose XML mentions an error type are scanned in detail, so the usual
    error-free workbook pays for one pass of decompression and a byte search.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            result = {}
            for name, member in _sheet_members(archive).items():
                found = _scan_errors(archive, member)
                if found:
                    result[name] = found
            return result
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return {}


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    from defusedxml import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    members = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        members[sheet.get("name", "")] = path
    return members


def _scan_errors(archive: zipfile.ZipFile, member: str) -> dict[tuple[int, int], str]:
    if member not in archive.namelist():
        return {}
    with archive.open(member) as stream:
        if not _contains_any(stream, (b't="e"', b"<f")):
            return {}
    with archive.open(member) as stream:
        found: dict[tuple[int, int], str] = {}
        tail = b""
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            block = tail + chunk
            cut = block.rfind(b"<c ")
            cut = len(block) if cut <= 0 else cut
            _collect_errors(block[:cut], found)
            tail = block[cut:]
        _collect_errors(tail, found)
        return found


def _collect_errors(block: bytes, found: dict[tuple[int, int], str]) -> None:
    for pattern in (_ERROR_CELL, _ERROR_CELL_T_FIRST):
        for match in pattern.finditer(block):
            letters, row, value = match.groups()
            found[(int(row) - 1, column_index(letters.decode()))] = value.decode() or "#ERROR"
    for match in _UNCACHED_FORMULA.finditer(block):
        letters, row = match.groups()
        found[(int(row) - 1, column_index(letters.decode()))] = UNCACHED_FORMULA


def _contains_any(stream: IO[bytes], needles: tuple[bytes, ...]) -> bool:
    overlap = max(len(n) for n in needles)
    tail = b""
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        window = tail + chunk
        if any(needle in window for needle in needles):
            return True
        tail = chunk[-overlap:]
    return False
