"""Which parts of an xlsx the reader will open, found the way calamine finds them, and the
scans that measure them while the zip guard unpacks the package.

calamine takes the workbook's folder from the officeDocument relationship, the sheets from
its workbook.xml and their parts from workbook.xml.rels, looks members up ignoring case and
backslashes, and reads `sharedStrings.xml` from the workbook's folder whatever the
relationships say. The plan does the same, so the part measured is the part read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.refusals import CORRUPT_ZIP, RESAVE, size_text
from skorasn.reading.sheetfacts import HOSTILE, SheetFacts
from skorasn.reading.sheetparse import parse_sheet
from skorasn.reading.sheetscan import SheetScan
from skorasn.reading.strings import member_chunks, shared_string_lengths
from skorasn.reading.xmlparse import attribute, elements

_SMALL_PART = 16 << 20
_OFFICE_DOCUMENT = "/relationships/officeDocument"


class Consumer(Protocol):
    def feed(self, chunk: bytes) -> None: ...

    def close(self) -> None: ...


@dataclass
class WorkbookFacts:
    """What the pre-check learnt, by sheet name; a visible worksheet missing here was not
    measured and must not be handed to the reader."""

    kind: str
    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    # ODS only: text between the cells of a row (Gnumeric indents its XML), which calamine
    # refuses although the file is valid.
    text_between_cells: bool = False


class XlsxPlan:
    """Built from the small parts before the streaming pass; `consumers` are fed the sheets'
    bytes by that pass, `finish` re-reads with a parser the sheets the fast scan gave up on."""

    def __init__(self, archive: zipfile.ZipFile, limits: ZipLimits):
        self.limits = limits
        self._members = _members(archive)
        folder, workbook = self._workbook(archive)
        strings = self._member(f"{folder}sharedStrings.xml")
        self.strings = shared_string_lengths(archive, strings, limits) if strings else None
        self.scans: dict[str, SheetScan] = {}
        for name, part in self._visible_sheets(archive, folder, workbook):
            info = self._member(part)
            if info is None or name in self.facts:
                continue
            facts = SheetFacts(name, info.filename)
            self.scans[info.filename] = SheetScan(facts, limits, self.strings, info.file_size)

    @property
    def facts(self) -> dict[str, SheetFacts]:
        return {scan.facts.name: scan.facts for scan in self.scans.values()}

    @property
    def consumers(self) -> dict[str, Consumer]:
        return dict(self.scans)

    def finish(self, path: Path) -> WorkbookFacts:
        irregular = [scan for scan in self.scans.values() if scan.irregular]
        if irregular:
            with zipfile.ZipFile(path) as archive:
                for scan in irregular:
                    facts = SheetFacts(scan.facts.name, scan.facts.part)
                    chunks = member_chunks(archive, self._members[_key(facts.part)])
                    scan.facts = parse_sheet(chunks, facts, self.limits, self.strings)
        return WorkbookFacts("xlsx", self.facts)

    # --- the parts, as calamine finds them ----------------------------------------------------

    def _member(self, name: str) -> zipfile.ZipInfo | None:
        return self._members.get(_key(name))

    def _small(self, archive: zipfile.ZipFile, name: str) -> bytes | None:
        info = self._member(name)
        if info is None:
            return None
        with archive.open(info) as stream:
            data = stream.read(_SMALL_PART + 1)
        if len(data) > _SMALL_PART:
            raise RejectedFile(
                f"bagian '{info.filename}' berukuran lebih dari {size_text(_SMALL_PART)}, tidak "
                f"wajar untuk bagian itu; {HOSTILE} — {RESAVE}"
            )
        return data

    def _workbook(self, archive: zipfile.ZipFile) -> tuple[str, str]:
        rels = self._small(archive, "_rels/.rels")
        targets = [
            attrs.get("Target", "")
            for _, attrs in elements(rels or b"<r/>", "_rels/.rels", {"Relationship"})
            if attrs.get("Type", "").endswith(_OFFICE_DOCUMENT)
        ]
        if not targets:
            raise RejectedFile(f"berkas tidak menyebut buku kerjanya (_rels/.rels); {RESAVE}")
        target = targets[-1].lstrip("/")
        folder = target[: target.rfind("/") + 1]
        return folder, f"{folder}workbook.xml"

    def _visible_sheets(
        self, archive: zipfile.ZipFile, folder: str, workbook: str
    ) -> list[tuple[str, str]]:
        book = self._small(archive, workbook)
        rels = self._small(archive, f"{folder}_rels/workbook.xml.rels")
        if book is None or rels is None:
            raise RejectedFile(CORRUPT_WORKBOOK)
        targets = {
            attrs.get("Id"): (attrs.get("Target", ""), attrs.get("Type", ""))
            for _, attrs in elements(rels, "workbook.xml.rels", {"Relationship"})
        }
        sheets = []
        for _, attrs in elements(book, workbook, {"sheet"}):
            target, kind = targets.get(attribute(attrs, "id"), ("", ""))
            if attrs.get("state", "visible") == "visible" and kind.endswith("/worksheet"):
                part = target[1:] if target.startswith("/") else f"{folder}{target}"
                sheets.append((attrs.get("name", ""), part))
        return sheets


CORRUPT_WORKBOOK = f"bagian buku kerja (workbook.xml dan relasinya) tidak lengkap; {RESAVE}"


def _key(name: str) -> str:
    return name.replace("\\", "/").lower()


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Members by the name calamine looks them up by; two members that look the same to it
    could make the check and the reader read different parts, so that is refused."""
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if members.setdefault(_key(info.filename), info) is not info:
            raise RejectedFile(
                f"berkas zip berisi dua anggota bernama '{info.filename}'; {CORRUPT_ZIP}"
            )
    return members
