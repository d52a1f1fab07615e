"""Files that sit among the score sheets but are not score sheets: skorasn's own reports, and
the lock files Excel and LibreOffice keep beside a workbook that is open.

Recognising a report must never hang or fail: each check reads at most a small, bounded part
of the file, and anything unexpected means "not recognised", so the file is read (and judged)
as any other input.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

from skorasn.errors import UnreadableFile
from skorasn.formatting import shown
from skorasn.models import REPORT_CSV_COLUMNS
from skorasn.reading.csvtext import decode
from skorasn.reading.files import FILE, kind_of, open_regular
from skorasn.vocabulary import REPORT_PROPERTY, TITLE

_HEAD_BYTES = 64 * 1024
_PROPERTIES_MAX = 1024 * 1024
_JSON_REPORT = re.compile(r'^\s*\{\s*"(versi|masalah)"\s*:')
_HTML_REPORT = re.compile(r'<meta\s+name="generator"\s+content="skorasn\b', re.IGNORECASE)
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def report_kind(path: Path) -> str | None:
    """'XLSX', 'CSV', 'JSON' or 'HTML' when `path` is a report skorasn wrote, else None."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return "XLSX" if _marked_workbook(path) else None
        head = _head(path)
        if suffix == ".csv":
            return "CSV" if _report_header(head) else None
        text = head.decode("utf-8", "replace")
        if suffix == ".json":
            return "JSON" if _JSON_REPORT.match(text.lstrip("\ufeff")) else None
        if suffix in (".html", ".htm"):
            return "HTML" if _HTML_REPORT.search(text) else None
    except (OSError, UnreadableFile):
        return None
    return None


def report_message(kind: str) -> str:
    return (
        f"ini laporan skorasn ({kind}), bukan lembar nilai; dilewati. Simpan laporan di luar "
        "folder masukan agar tidak terbaca lagi sebagai masukan"
    )


def _head(path: Path) -> bytes:
    with open_regular(path) as handle:
        return handle.read(_HEAD_BYTES)


def _report_header(head: bytes) -> bool:
    """The first line is the header of skorasn's CSV export, with any of its delimiters.

    The known columns must come first and exactly; columns after them are allowed, so that
    a report that gains a column at the end is still recognised, as are older ones."""
    try:
        text = decode(head).text
    except UnreadableFile:
        return False
    line = re.split("\r\n|\r|\n", text, maxsplit=1)[0]
    width = len(REPORT_CSV_COLUMNS)
    for delimiter in (",", ";", "\t"):
        cells = next(csv.reader([line], delimiter=delimiter), [])
        if tuple(cell.strip() for cell in cells[:width]) == REPORT_CSV_COLUMNS:
            return True
    return False


def _marked_workbook(path: Path) -> bool:
    """The document property every XLSX report carries (see reporting.workbook), or, for
    reports of versions before it, skorasn as author together with the report's title."""
    from defusedxml import ElementTree

    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            custom = _member(archive, "docProps/custom.xml")
            if custom is not None:
                for prop in ElementTree.fromstring(custom).iter(_CUSTOM):
                    if prop.get("name") == REPORT_PROPERTY:
                        return True
            core = _member(archive, "docProps/core.xml")
            if core is None:
                return False
            root = ElementTree.fromstring(core)
            return root.findtext(_CREATOR) == "skorasn" and root.findtext(_TITLE) == TITLE
    except Exception:  # noqa: BLE001 - not recognised; the guard judges the file when it is read
        return False


def _member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _PROPERTIES_MAX:
        return None
    with archive.open(info) as stream:
        return stream.read(_PROPERTIES_MAX + 1)[:_PROPERTIES_MAX]


# --- lock files -----------------------------------------------------------------------------

_EXCEL_LOCK = "~$"
_OFFICE_LOCK, _OFFICE_LOCK_END = ".~lock.", "#"


def is_lock_name(name: str) -> bool:
    return name.startswith(_EXCEL_LOCK) or (
        name.startswith(_OFFICE_LOCK) and name.endswith(_OFFICE_LOCK_END)
    )


def lock_message(lock: Path) -> str:
    """What a lock file named as an input is."""
    name = lock.name
    if name.startswith(_EXCEL_LOCK):
        workbook, program = name[len(_EXCEL_LOCK) :], "Excel"
    else:
        workbook, program = name[len(_OFFICE_LOCK) : -len(_OFFICE_LOCK_END)], "LibreOffice"
    owner = lock_owner(lock)
    by = f" oleh {owner}" if owner else ""
    return (
        f"ini berkas kunci {program}, bukan lembar nilai: tandanya {shown(workbook)} sedang "
        f"dibuka{by}; dilewati. Sebutkan {shown(workbook)} sebagai masukan"
    )


def open_elsewhere(path: Path) -> str | None:
    """A peringatan when a lock file beside `path` says it is open in Excel or LibreOffice,
    where the saved file may not hold what is on the screen; None when there is none."""
    for lock, program in (
        (path.with_name(_EXCEL_LOCK + path.name), "Excel"),
        (path.with_name(_OFFICE_LOCK + path.name + _OFFICE_LOCK_END), "LibreOffice"),
    ):
        if kind_of(lock)[0] != FILE:
            continue
        owner = lock_owner(lock)
        by = f" oleh {owner}" if owner else ""
        return (
            f"berkas ini sedang dibuka di {program}{by} (ada berkas kunci "
            f"{shown(lock.name)}); perubahan yang belum disimpan tidak ikut terbaca. Simpan "
            "dan tutup berkasnya lalu jalankan ulang, atau hapus berkas kunci itu bila tidak "
            "ada yang membukanya"
        )
    return None


def lock_owner(lock: Path) -> str | None:
    """Who holds the lock, as the lock file records it, made safe to print; None if unknown."""
    try:
        with open_regular(lock) as handle:
            data = handle.read(512)
    except (OSError, UnreadableFile):
        return None
    name = _office_owner(data) if lock.name.startswith(_OFFICE_LOCK) else _excel_owner(data)
    name = name.strip() if name else None
    return shown(name, 60) if name else None


def _excel_owner(data: bytes) -> str | None:
    """Excel's owner file: one byte with the length of the user's name, the name in the
    Windows code page, spaces up to byte 55, then the length again as two bytes and the name
    in UTF-16-LE (Word puts it at byte 54). LibreOffice writes the same format."""
    length = data[0] if data else 0
    if not 0 < length <= 52:
        return None
    for offset in (55, 54):
        if len(data) >= offset + 2 and data[offset] == length and data[offset + 1] == 0:
            wide = data[offset + 2 : offset + 2 + 2 * length]
            if len(wide) == 2 * length:
                try:
                    return wide.decode("utf-16-le")
                except UnicodeDecodeError:
                    break
    return data[1 : 1 + length].decode("cp1252", "replace")


def _office_owner(data: bytes) -> str | None:
    """LibreOffice's `.~lock.name#`: 'full name,system user,host,time,profile;' with ',', ';'
    and '\\' escaped by a backslash; the full name is blank when none is set."""
    text = data.decode("utf-8", "replace")
    fields, current, escaped = [], "", False
    for character in text:
        if escaped:
            current, escaped = current + character, False
        elif character == "\\":
            escaped = True
        elif character in ",;":
            fields.append(current)
            current = ""
            if character == ";":
                break
        else:
            current += character
    if len(fields) < 3:
        return None
    person = fields[0].strip() or fields[1].strip()
    host = fields[2].strip()
    if not person:
        return None
    return f"{person} di komputer {host}" if host else person
