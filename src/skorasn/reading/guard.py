"""Refuse hostile, broken or mislabelled workbooks before any parser opens them.

python-calamine and openpyxl trust what a file says about itself: a zip bomb, an XML entity bomb
or an HTML page named `.xls` makes them hang, eat memory or fail with an English error. Every check
here reads only headers and directories, or streams through a fixed-size buffer, so the guard itself
stays bounded in time and memory whatever the file claims about itself.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO, NamedTuple

from skorasn.config import MB, ZipLimits
from skorasn.errors import RejectedFile
from skorasn.numbers import decimal_comma

_HEAD_BYTES = 4096
_CHUNK = 256 * 1024
_PROLOG_BYTES = 4096
# Below this size a compression ratio says nothing: a few KB of XML can legitimately hit 100:1.
_RATIO_FLOOR = MB
# Real central-directory entries take 50-200 bytes; the cap stops zipfile from building millions
# of ZipInfo objects out of a directory whose entry count in the end record lies.
_DIRECTORY_BYTES_PER_MEMBER = 1024
_MANIFEST_BYTES = MB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_BIFF_BOF_RECORDS = {0x0009, 0x0209, 0x0409, 0x0809}
_BIFF_FILEPASS = 0x002F
_BIFF_EOF = 0x000A
_OLE_SPECIAL = 0xFFFFFFFA  # sector ids from here up mark chain ends, free or FAT sectors
_OLE_MAX_DIRECTORY_SECTORS = 1024
_OLE_MAX_CHAIN = 1 << 16

_ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
_EXPECTED_KINDS = {
    ".xlsx": {"excel"},
    ".xlsm": {"excel"},
    ".xlsb": {"excel"},
    ".ods": {"ods"},
    # "ole-unknown": a compound file whose directory we could not read to the end; let the parser
    # judge rather than refuse on missing evidence.
    ".xls": {"ole-excel", "ole-unknown", "biff"},
}
_LOOKS_LIKE = {
    "zip": "arsip zip, misalnya buku kerja .xlsx atau .ods",
    "excel": "buku kerja Excel .xlsx",
    "ods": "buku kerja OpenDocument .ods",
    "word": "dokumen Word .docx",
    "powerpoint": "presentasi PowerPoint .pptx",
    "biff": "buku kerja Excel lama .xls",
    "ole-excel": "buku kerja Excel lama .xls",
    "ole-word": "dokumen Word lama .doc",
    "ole-powerpoint": "presentasi PowerPoint lama .ppt",
    "ole": "dokumen Office lama berformat OLE",
    "ole-unknown": "dokumen Office lama berformat OLE",
    "html": "tabel HTML — banyak sistem mengekspor tabel HTML dengan nama .xls padahal isinya "
            "bukan buku kerja Excel",
    "xml2003": "XML Spreadsheet 2003",
    "xml": "dokumen XML",
    "pdf": "dokumen PDF",
    "text": "teks biasa atau CSV",
    "binary": "data biner yang tidak dikenali",
}

_RESAVE = "simpan ulang sebagai .xlsx dari Excel/LibreOffice"
_RESEND = "minta pengirim mengirim ulang berkasnya"
_PASSWORD = ("berkas dilindungi kata sandi; buka di Excel, hapus kata sandinya "
             "(File > Info > Proteksi), lalu simpan ulang")
_PASSWORD_ODS = ("berkas dilindungi kata sandi; buka di LibreOffice, lalu simpan ulang lewat "
                 "Berkas > Simpan Sebagai tanpa mencentang \"Simpan dengan kata sandi\"")
_CORRUPT_ZIP = f"berkas zip rusak atau terpotong; {_RESEND}"
_ENTITIES = ("berkas berisi deklarasi entitas XML (DOCTYPE/ENTITY) yang tidak dipakai Excel; "
             "berkas ini ditolak demi keamanan")
_LONG_PROLOG = ("berkas berisi bagian XML yang pembukanya (prolog) panjang tidak wajar; "
                "berkas ini ditolak demi keamanan")


def check_workbook(path: Path, limits: ZipLimits) -> None:
    """Raise RejectedFile (Indonesian message, one sentence saying what is wrong and what to do)
    if the file must not be parsed."""
    try:
        _check_workbook(path, limits)
    except OSError as exc:
        raise RejectedFile(_unreadable_message(exc)) from None


def check_xml_safety(path: Path, limits: ZipLimits) -> None:
    """Stream every member of a zip workbook once, refusing it if a member unpacks to more than it
    declares or than the limits allow, or if an XML part declares a DOCTYPE or entities.

    The later parser decompresses again; this pass exists because declared sizes can lie.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            _check_end_record(handle, size, limits)
            with _open_zip(path) as archive:
                _scan_members(handle, archive.infolist(), limits)
    except OSError as exc:
        raise RejectedFile(_unreadable_message(exc)) from None


def _check_workbook(path: Path, limits: ZipLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise RejectedFile(
            f"ukuran berkas {_size(size)} melebihi batas {_number(limits.max_file_mb)} MB; bila "
            "berkas ini memang sah, naikkan batasnya di skorasn.toml bagian [batas_berkas] "
            "ukuran_berkas_maks_mb")
    if size == 0:
        raise RejectedFile(f"berkas kosong (0 bita); {_RESEND}")
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    suffix = path.suffix.lower()
    kind = _sniff(head)
    if kind == "ole":
        kind = _check_ole(path, size)
    elif kind == "biff" and _biff_is_encrypted(head):
        raise RejectedFile(_PASSWORD)
    if kind == "zip" and (suffix in _ZIP_SUFFIXES or suffix not in _EXPECTED_KINDS):
        _check_zip(path, size, suffix, limits)
    else:
        _check_suffix(kind, suffix)


def _check_suffix(kind: str, suffix: str) -> None:
    expected = _EXPECTED_KINDS.get(suffix)
    if expected is None or kind in expected:
        return
    if suffix == ".xls" and kind == "ole":
        raise RejectedFile("berkas ini bukan buku kerja Excel (tidak ada bagian Workbook di "
                           f"dalamnya); {_RESAVE}")
    raise RejectedFile(f"isi berkas tidak sesuai ekstensinya (isinya tampak seperti "
                       f"{_LOOKS_LIKE[kind]}); {_RESAVE}")


# --- sniffing -------------------------------------------------------------------------------


def _sniff(head: bytes) -> str:
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if _is_raw_biff(head):
        return "biff"
    if head.startswith(b"%PDF"):
        return "pdf"
    return _sniff_text(head)


def _is_raw_biff(head: bytes) -> bool:
    """BIFF2-5 files written without an OLE wrapper start straight with a BOF record."""
    if len(head) < 4:
        return False
    record, length = struct.unpack_from("<HH", head)
    return record in _BIFF_BOF_RECORDS and 4 <= length <= 20


def _sniff_text(head: bytes) -> str:
    text = _decode_sample(head)
    if text is None:
        return "binary"
    start = text.lstrip(" \t\r\n\f\ufeff").lower()
    if start.startswith(("<html", "<!doctype", "<table", "<head", "<body", "<meta",
                         "mime-version:")):
        return "html"
    if start.startswith("<?xml"):
        if "<html" in start:
            return "html"
        return "xml2003" if "urn:schemas-microsoft-com:office:spreadsheet" in start else "xml"
    return "text"


def _decode_sample(head: bytes) -> str | None:
    """The head as text if it looks like text at all (UTF-8, a legacy code page or UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    if b"\x00" in head:
        half = max(len(head) // 4, 1)
        if head[1::2].count(0) >= half:
            return head.decode("utf-16-le", "replace")
        if head[0::2].count(0) >= half:
            return head.decode("utf-16-be", "replace")
        return None
    text = head.decode("utf-8", "replace")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return text if controls <= len(text) // 100 + 1 else None


# --- OLE2 compound files (.xls, and password-protected .xlsx/.xlsb) ----------------------------


class _MalformedOle(Exception):
    """The compound file's structure cannot be followed; the parser will have its own say."""


class _OleEntry(NamedTuple):
    name: str
    kind: int
    start: int
    size: int


class _CompoundFile:
    """Just enough of MS-CFB to list directory entries and read the start of a stream.

    Every chain walk is capped and cycle-checked, and only one FAT sector is kept in memory,
    so a hostile header cannot make it loop or allocate.
    """

    def __init__(self, handle: BinaryIO, size: int):
        self._handle = handle
        header = self._read_at(0, 512)
        if len(header) < 512 or _u16(header, 0x1E) not in (9, 12):
            raise _MalformedOle
        self.sector_size = 1 << _u16(header, 0x1E)
        self._sector_count = max(0, -(-size // self.sector_size) - 1)
        self.mini_cutoff = _u32(header, 0x38)
        self._directory_start = _u32(header, 0x30)
        self._fat_sectors = self._read_difat(header)
        self._fat_cache: tuple[int, bytes] = (-1, b"")

    def entries(self) -> Iterator[_OleEntry]:
        for sector in self._walk(self._directory_start, _OLE_MAX_DIRECTORY_SECTORS):
            block = self._sector(sector)
            for offset in range(0, self.sector_size, 128):
                entry = _directory_entry(block[offset:offset + 128])
                if entry is not None:
                    yield entry

    def stream_prefix(self, entry: _OleEntry, size: int) -> bytes:
        """The first bytes of a stream kept in regular sectors (small streams are skipped)."""
        if entry.size < self.mini_cutoff:
            return b""
        wanted = min(size, entry.size)
        count = -(-wanted // self.sector_size)
        blocks: list[bytes] = []
        try:
            for sector in islice(self._walk(entry.start, _OLE_MAX_CHAIN), count):
                blocks.append(self._sector(sector))
        except _MalformedOle:
            pass  # a broken chain further on does not hide a FILEPASS already read
        return b"".join(blocks)[:wanted]

    def _read_difat(self, header: bytes) -> list[int]:
        fat_count = min(_u32(header, 0x2C), self._sector_count)
        ids = list(struct.unpack_from("<109I", header, 0x4C))
        per_sector = self.sector_size // 4 - 1
        sector = _u32(header, 0x44)
        # Each pass adds per_sector ids, so the loop ends once fat_count ids are known.
        while sector < _OLE_SPECIAL and len(ids) < fat_count:
            block = self._sector(sector)
            ids.extend(struct.unpack_from(f"<{per_sector}I", block))
            sector = _u32(block, per_sector * 4)
        return ids[:fat_count]

    def _walk(self, start: int, limit: int) -> Iterator[int]:
        seen: set[int] = set()
        sector = start
        while sector < _OLE_SPECIAL:
            if sector in seen or len(seen) >= limit:
                raise _MalformedOle
            seen.add(sector)
            yield sector
            sector = self._next(sector)

    def _next(self, sector: int) -> int:
        index, slot = divmod(sector, self.sector_size // 4)
        if index >= len(self._fat_sectors):
            raise _MalformedOle
        if self._fat_cache[0] != index:
            self._fat_cache = (index, self._sector(self._fat_sectors[index]))
        return _u32(self._fat_cache[1], slot * 4)

    def _sector(self, sector: int) -> bytes:
        if sector >= self._sector_count:
            raise _MalformedOle
        data = self._read_at((sector + 1) * self.sector_size, self.sector_size)
        return data.ljust(self.sector_size, b"\x00")

    def _read_at(self, offset: int, size: int) -> bytes:
        self._handle.seek(offset)
        return self._handle.read(size)


def _directory_entry(raw: bytes) -> _OleEntry | None:
    name_size, kind = _u16(raw, 64), raw[66]
    if kind not in (1, 2, 5) or not 2 <= name_size <= 64:
        return None
    name = raw[:name_size - 2].decode("utf-16-le", "replace")
    return _OleEntry(name, kind, _u32(raw, 116), _u32(raw, 120))


def _check_ole(path: Path, size: int) -> str:
    """Refuse encrypted compound files; otherwise say what the file holds ("ole-excel", ...)."""
    with path.open("rb") as handle:
        ole, streams, complete = _read_ole_directory(handle, size)
        # Office 2007+ encryption wraps the whole package in an OLE file with these two streams.
        if {"encryptioninfo", "encryptedpackage"} & streams.keys():
            raise RejectedFile(_PASSWORD)
        book = streams.get("workbook") or streams.get("book")
        if ole is not None and book is not None:
            if _biff_is_encrypted(ole.stream_prefix(book, _HEAD_BYTES)):
                raise RejectedFile(_PASSWORD)
    if book is not None:
        return "ole-excel"
    if "worddocument" in streams:
        return "ole-word"
    if "powerpoint document" in streams:
        return "ole-powerpoint"
    return "ole" if complete else "ole-unknown"


def _read_ole_directory(
    handle: BinaryIO, size: int,
) -> tuple[_CompoundFile | None, dict[str, _OleEntry], bool]:
    """The entries by case-folded name, and whether the directory could be read to its end."""
    streams: dict[str, _OleEntry] = {}
    try:
        ole = _CompoundFile(handle, size)
    except _MalformedOle:
        return None, streams, False
    try:
        for entry in ole.entries():
            streams.setdefault(entry.name.casefold(), entry)
    except _MalformedOle:
        return ole, streams, False
    return ole, streams, True


def _biff_is_encrypted(data: bytes) -> bool:
    """True if the globals substream carries FILEPASS (legacy XOR/RC4 encryption).

    FILEPASS follows the BOF record, so the first few records of the stream are enough.
    """
    if not _is_raw_biff(data):
        return False
    offset = 0
    for _ in range(64):
        if offset + 4 > len(data):
            return False
        record, length = struct.unpack_from("<HH", data, offset)
        if record == _BIFF_FILEPASS:
            return True
        if record == _BIFF_EOF:
            return False
        offset += 4 + length
    return False


# --- zip packages (.xlsx, .xlsm, .xlsb, .ods) -------------------------------------------------


def _check_zip(path: Path, size: int, suffix: str, limits: ZipLimits) -> None:
    with path.open("rb") as handle:
        _check_end_record(handle, size, limits)
    with _open_zip(path) as archive:
        infos = archive.infolist()
        _check_declared_sizes(infos, size, limits)
        _check_layout(infos, size)
        _check_zip_encryption(archive, infos)
        _check_parts(infos, suffix)
    check_xml_safety(path, limits)


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error,
            zlib.error, NotImplementedError, OSError):
        raise RejectedFile(_CORRUPT_ZIP) from None


def _check_end_record(handle: BinaryIO, size: int, limits: ZipLimits) -> None:
    """Bound the central directory from its end record before zipfile reads it whole."""
    tail_size = min(size, 22 + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise RejectedFile(_CORRUPT_ZIP)
    entries, directory_size = struct.unpack_from("<HL", tail, at + 10)
    zip64 = at - 76  # the Zip64 end record sits just before its 20-byte locator
    has_locator = tail[at - 20:at - 16] == b"PK\x06\x07"
    if zip64 >= 0 and has_locator and tail[zip64:zip64 + 4] == b"PK\x06\x06":
        entries, directory_size = struct.unpack_from("<QQ", tail, zip64 + 32)
    _check_member_count(entries, limits)
    if directory_size > max(limits.max_members, 1) * _DIRECTORY_BYTES_PER_MEMBER:
        raise RejectedFile(
            f"daftar isi zip berukuran {_size(directory_size)}, jauh melebihi wajar untuk "
            f"{limits.max_members} anggota; kemungkinan bom zip — bila berkas ini memang sah, "
            "naikkan anggota_maks di skorasn.toml bagian [batas_berkas]")


def _check_member_count(count: int, limits: ZipLimits) -> None:
    if count > limits.max_members:
        raise RejectedFile(
            f"berkas zip berisi {count} anggota, melebihi batas {limits.max_members}; kemungkinan "
            "bom zip — bila berkas ini memang sah, naikkan anggota_maks di skorasn.toml bagian "
            "[batas_berkas]")


def _check_declared_sizes(infos: list[zipfile.ZipInfo], file_size: int, limits: ZipLimits) -> None:
    _check_member_count(len(infos), limits)
    for info in infos:
        _check_member_size(info.filename, info.file_size, limits)
        if info.file_size > _RATIO_FLOOR:
            _check_ratio(info.file_size, info.compress_size, limits, f" anggota '{info.filename}'")
    total = sum(info.file_size for info in infos)
    _check_total(total, limits)
    # Overlapping members can add up to more than the file holds: the file size bounds them.
    packed = min(sum(info.compress_size for info in infos), file_size)
    if total > _RATIO_FLOOR:
        _check_ratio(total, packed, limits, "")


def _check_member_size(name: str, size: int, limits: ZipLimits) -> None:
    if size > limits.max_member_mb * MB:
        raise RejectedFile(
            f"anggota zip '{name}' berukuran {_size(size)} setelah diekstrak, melebihi batas "
            f"{_number(limits.max_member_mb)} MB; kemungkinan bom zip — bila berkas ini memang "
            "sah, naikkan ukuran_anggota_maks_mb di skorasn.toml bagian [batas_berkas]")


def _check_total(total: int, limits: ZipLimits) -> None:
    if total > limits.max_total_mb * MB:
        raise RejectedFile(
            f"isi zip berukuran {_size(total)} setelah diekstrak, melebihi batas "
            f"{_number(limits.max_total_mb)} MB; kemungkinan bom zip — bila berkas ini memang "
            "sah, naikkan total_maks_mb di skorasn.toml bagian [batas_berkas]")


def _check_ratio(unpacked: int, packed: int, limits: ZipLimits, what: str) -> None:
    ratio = unpacked / max(packed, 1)
    if ratio > limits.max_ratio:
        raise RejectedFile(
            f"rasio pemampatan{what} {ratio:.0f}:1 melebihi batas {_number(limits.max_ratio)}:1; "
            "kemungkinan bom zip — bila berkas ini memang sah, naikkan rasio_maks di skorasn.toml "
            "bagian [batas_berkas]")


def _check_layout(infos: list[zipfile.ZipInfo], file_size: int) -> None:
    """Members must not share bytes: overlapping entries multiply one compressed kernel
    into many large members (the "better zip bomb")."""
    ordered = sorted(infos, key=attrgetter("header_offset"))
    for current, following in zip(ordered, ordered[1:], strict=False):
        if current.header_offset + 30 + current.compress_size > following.header_offset:
            raise RejectedFile("anggota zip saling bertumpuk (beberapa anggota memakai data yang "
                               "sama); kemungkinan bom zip, berkas ini ditolak demi keamanan")
    if ordered and ordered[-1].header_offset + 30 + ordered[-1].compress_size > file_size:
        raise RejectedFile(_CORRUPT_ZIP)


def _check_zip_encryption(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    if any(info.flag_bits & 0x1 for info in infos):
        raise RejectedFile(_PASSWORD)
    # ODF encrypts member by member and says so only in the manifest.
    manifest = next((info for info in infos if info.filename == "META-INF/manifest.xml"), None)
    if manifest is not None:
        with archive.open(manifest) as stream:
            if b"encryption-data" in stream.read(_MANIFEST_BYTES):
                raise RejectedFile(_PASSWORD_ODS)


def _check_parts(infos: list[zipfile.ZipInfo], suffix: str) -> None:
    names = {info.filename.replace("\\", "/").lstrip("/").lower() for info in infos}
    kind = _zip_flavour(names)
    expected = _EXPECTED_KINDS.get(suffix, {"excel", "ods"})
    if kind in expected:
        return
    if kind is None or suffix not in _EXPECTED_KINDS:
        raise RejectedFile("berkas zip ini bukan buku kerja (tidak berisi xl/workbook.xml maupun "
                           f"content.xml); {_RESAVE}")
    raise RejectedFile(f"isi berkas tidak sesuai ekstensinya (isinya tampak seperti "
                       f"{_LOOKS_LIKE[kind]}); {_RESAVE}")


def _zip_flavour(names: set[str]) -> str | None:
    # By base name: some writers use backslashes or keep workbook.xml at the package root.
    if any(name.rsplit("/", 1)[-1] in ("workbook.xml", "workbook.bin") for name in names):
        return "excel"
    if "content.xml" in names:
        return "ods"
    if "word/document.xml" in names:
        return "word"
    if "ppt/presentation.xml" in names:
        return "powerpoint"
    return None


# --- streaming pass over the members ------------------------------------------------------------


def _scan_members(handle: BinaryIO, infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    total = 0
    for info in infos:
        total += _scan_member(handle, info, limits, total)


def _scan_member(handle: BinaryIO, info: zipfile.ZipInfo, limits: ZipLimits, before: int) -> int:
    """Unpack one member through a fixed buffer; return its real size."""
    if info.flag_bits & 0x1:
        raise RejectedFile(_PASSWORD)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise RejectedFile(f"berkas memakai metode pemampatan zip yang tidak lazim (metode "
                           f"{info.compress_type}); {_RESAVE}")
    real, head, checked = 0, bytearray(), False
    for chunk in _member_chunks(handle, info):
        real += len(chunk)
        if real > info.file_size:
            raise RejectedFile(f"anggota zip '{info.filename}' ternyata lebih besar setelah "
                               "diekstrak daripada ukuran yang dinyatakan; kemungkinan bom zip, "
                               "berkas ini ditolak demi keamanan")
        _check_member_size(info.filename, real, limits)
        _check_total(before + real, limits)
        if not checked:
            head += chunk[:_PROLOG_BYTES - len(head)]
            checked = len(head) >= _PROLOG_BYTES
            if checked:
                _check_prolog(bytes(head), whole=False)
    if not checked:
        _check_prolog(bytes(head), whole=True)
    return real


def _member_chunks(handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    handle.seek(info.header_offset)
    local = handle.read(30)
    if len(local) < 30 or not local.startswith(b"PK\x03\x04"):
        raise RejectedFile(_CORRUPT_ZIP)
    name_size, extra_size = struct.unpack_from("<HH", local, 26)
    handle.seek(info.header_offset + 30 + name_size + extra_size)
    if info.compress_type == zipfile.ZIP_STORED:
        return _stored_chunks(handle, info.compress_size)
    return _inflated_chunks(handle, info.compress_size)


def _stored_chunks(handle: BinaryIO, size: int) -> Iterator[bytes]:
    remaining = size
    while remaining:
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            raise RejectedFile(_CORRUPT_ZIP)
        remaining -= len(chunk)
        yield chunk


def _inflated_chunks(handle: BinaryIO, size: int) -> Iterator[bytes]:
    """Raw deflate, never more than _CHUNK bytes of output per step whatever the input holds."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    remaining, pending = size, b""
    while not inflater.eof:
        if not pending and remaining:
            pending = handle.read(min(_CHUNK, remaining))
            if not pending:
                raise RejectedFile(_CORRUPT_ZIP)
            remaining -= len(pending)
        before = len(pending)
        try:
            chunk = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            raise RejectedFile(_CORRUPT_ZIP) from None
        pending = inflater.unconsumed_tail
        if chunk:
            yield chunk
        elif len(pending) == before and not remaining and not inflater.eof:
            # No input left and nothing comes out: the deflate stream is cut short.
            raise RejectedFile(_CORRUPT_ZIP)


_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _check_prolog(head: bytes, whole: bool) -> None:
    """Refuse a DOCTYPE or ENTITY before the root element; `whole` says the member ends here.

    The prolog is walked item by item (whitespace, processing instructions, comments) rather than
    searched, so padding it with comments cannot push a DOCTYPE out of sight: a prolog that runs
    past the head is refused as well.
    """
    text = _ascii_view(head)
    position = 0
    while (match := _PROLOG_ITEM.match(text, position)) is not None and match.end() > position:
        position = match.end()
    rest = text[position:]
    if rest.startswith((b"<!DOCTYPE", b"<!ENTITY")):
        raise RejectedFile(_ENTITIES)
    if not whole and (rest.startswith((b"<?", b"<!--")) or (position and len(rest) < 64)):
        raise RejectedFile(_LONG_PROLOG)


def _ascii_view(head: bytes) -> bytes:
    """The markup characters of a UTF-8 or UTF-16 head, enough to recognise prolog tokens."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].replace(b"\x00", b"")
    if head.startswith((b"<\x00", b"\x00<")):
        return head.replace(b"\x00", b"")
    return head.removeprefix(b"\xef\xbb\xbf")


# --- small helpers --------------------------------------------------------------------------


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


_number = decimal_comma


def _size(size: int) -> str:
    if size < MB:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    megabytes = size / MB
    return f"{megabytes:.0f} MB" if megabytes >= 10 else f"{megabytes:.1f} MB".replace(".", ",")


def _unreadable_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "berkas tidak ditemukan; periksa kembali nama dan letaknya"
    if isinstance(exc, PermissionError):
        return "berkas tidak boleh dibaca (izin akses ditolak); periksa izin berkasnya"
    if isinstance(exc, IsADirectoryError):
        return "ini sebuah folder, bukan berkas; sebutkan berkas di dalamnya"
    return "berkas tidak dapat dibaca karena galat sistem; salin ulang berkasnya lalu coba lagi"
