"""Zip packages (.xlsx, .xlsm, .xlsb, .ods): bound the directory, the declared and the real
unpacked sizes, and refuse XML entity declarations, streaming through a fixed-size buffer."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.precheck import Consumer, WorkbookFacts, make_plan
from skorasn.reading.refusals import (
    CORRUPT_ZIP,
    ENTITIES,
    EXPECTED_KINDS,
    LONG_PROLOG,
    LOOKS_LIKE,
    PASSWORD,
    PASSWORD_ODS,
    RESAVE,
    number,
    size_text,
    unreadable_message,
)
from skorasn.vocabulary import MB

_CHUNK = 256 * 1024
_PROLOG_BYTES = 4096
# Below this size a compression ratio says nothing: a few KB of XML can legitimately hit 100:1.
_RATIO_FLOOR = MB
# Real central-directory entries take 50-200 bytes; the cap stops zipfile from building millions
# of ZipInfo objects out of a directory whose entry count in the end record lies.
_DIRECTORY_BYTES_PER_MEMBER = 1024
_MANIFEST_BYTES = MB
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}


def check_xml_safety(
    path: Path, limits: ZipLimits, consumers: Mapping[str, Consumer] | None = None
) -> None:
    """Stream every member of a zip workbook once, refusing it if a member unpacks to more than it
    declares or than the limits allow, or if an XML part declares a DOCTYPE or entities.

    The later parser decompresses again; this pass exists because declared sizes can lie. The
    members named in `consumers` (the sheets the pre-check measures) are handed to them on the
    way, so they are unpacked once for both.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            _check_end_record(handle, size, limits)
            with _open_zip(path) as archive:
                _scan_members(handle, archive.infolist(), limits, consumers or {})
    except OSError as exc:
        raise RejectedFile(unreadable_message(exc)) from None


def check_zip(path: Path, size: int, suffix: str, limits: ZipLimits) -> WorkbookFacts | None:
    """Refuse a hostile or broken package; for .xlsx/.xlsm/.ods, return what the pre-check
    measured of the sheets the reader will open."""
    with path.open("rb") as handle:
        _check_end_record(handle, size, limits)
    with _open_zip(path) as archive:
        infos = archive.infolist()
        _check_declared_sizes(infos, size, limits)
        _check_layout(infos, size)
        _check_zip_encryption(archive, infos)
        _check_parts(infos, suffix)
        plan = make_plan(archive, suffix, limits)
    check_xml_safety(path, limits, plan.consumers if plan else None)
    if plan is None:
        return None
    try:
        return plan.finish(path)
    except ZIP_ERRORS:  # a member whose checksum is wrong, read again for an unusual sheet
        raise RejectedFile(CORRUPT_ZIP) from None


ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    ValueError,
    struct.error,
    zlib.error,
    NotImplementedError,
    OSError,
)


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except ZIP_ERRORS:
        raise RejectedFile(CORRUPT_ZIP) from None


def _check_end_record(handle: BinaryIO, size: int, limits: ZipLimits) -> None:
    """Bound the central directory from its end record before zipfile reads it whole."""
    tail_size = min(size, 22 + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise RejectedFile(CORRUPT_ZIP)
    entries, directory_size = struct.unpack_from("<HL", tail, at + 10)
    zip64 = at - 76  # the Zip64 end record sits just before its 20-byte locator
    has_locator = tail[at - 20 : at - 16] == b"PK\x06\x07"
    if zip64 >= 0 and has_locator and tail[zip64 : zip64 + 4] == b"PK\x06\x06":
        entries, directory_size = struct.unpack_from("<QQ", tail, zip64 + 32)
    _check_member_count(entries, limits)
    if directory_size > max(limits.max_members, 1) * _DIRECTORY_BYTES_PER_MEMBER:
        raise RejectedFile(
            f"daftar isi zip berukuran {size_text(directory_size)}, jauh melebihi wajar untuk "
            f"{limits.max_members} anggota; kemungkinan bom zip — bila berkas ini memang sah, "
            "naikkan anggota_maks di skorasn.toml bagian [batas_berkas]"
        )


def _check_member_count(count: int, limits: ZipLimits) -> None:
    if count > limits.max_members:
        raise RejectedFile(
            f"berkas zip berisi {count} anggota, melebihi batas {limits.max_members}; kemungkinan "
            "bom zip — bila berkas ini memang sah, naikkan anggota_maks di skorasn.toml bagian "
            "[batas_berkas]"
        )


def _check_declared_sizes(infos: list[zipfile.ZipInfo], file_size: int, limits: ZipLimits) -> None:
    _check_member_count(len(infos), limits)
    for info in infos:
        _check_membersize_text(info.filename, info.file_size, limits)
        if info.file_size > _RATIO_FLOOR:
            _check_ratio(info.file_size, info.compress_size, limits, f" anggota '{info.filename}'")
    total = sum(info.file_size for info in infos)
    _check_total(total, limits)
    # Overlapping members can add up to more than the file holds: the file size bounds them.
    packed = min(sum(info.compress_size for info in infos), file_size)
    if total > _RATIO_FLOOR:
        _check_ratio(total, packed, limits, "")


def _check_membersize_text(name: str, size: int, limits: ZipLimits) -> None:
    if size > limits.max_member_mb * MB:
        raise RejectedFile(
            f"anggota zip '{name}' berukuran {size_text(size)} setelah diekstrak, melebihi batas "
            f"{number(limits.max_member_mb)} MB; kemungkinan bom zip — bila berkas ini memang "
            "sah, naikkan ukuran_anggota_maks_mb di skorasn.toml bagian [batas_berkas]"
        )


def _check_total(total: int, limits: ZipLimits) -> None:
    if total > limits.max_total_mb * MB:
        raise RejectedFile(
            f"isi zip berukuran {size_text(total)} setelah diekstrak, melebihi batas "
            f"{number(limits.max_total_mb)} MB; kemungkinan bom zip — bila berkas ini memang "
            "sah, naikkan total_maks_mb di skorasn.toml bagian [batas_berkas]"
        )


def _check_ratio(unpacked: int, packed: int, limits: ZipLimits, what: str) -> None:
    ratio = unpacked / max(packed, 1)
    if ratio > limits.max_ratio:
        raise RejectedFile(
            f"rasio pemampatan{what} {ratio:.0f}:1 melebihi batas {number(limits.max_ratio)}:1; "
            "kemungkinan bom zip — bila berkas ini memang sah, naikkan rasio_maks di skorasn.toml "
            "bagian [batas_berkas]"
        )


def _check_layout(infos: list[zipfile.ZipInfo], file_size: int) -> None:
    """Members must not share bytes: overlapping entries multiply one compressed kernel
    into many large members (the "better zip bomb")."""
    ordered = sorted(infos, key=attrgetter("header_offset"))
    for current, following in zip(ordered, ordered[1:], strict=False):
        if current.header_offset + 30 + current.compress_size > following.header_offset:
            raise RejectedFile(
                "anggota zip saling bertumpuk (beberapa anggota memakai data yang "
                "sama); kemungkinan bom zip, berkas ini ditolak demi keamanan"
            )
    if ordered and ordered[-1].header_offset + 30 + ordered[-1].compress_size > file_size:
        raise RejectedFile(CORRUPT_ZIP)


def _check_zip_encryption(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    if any(info.flag_bits & 0x1 for info in infos):
        raise RejectedFile(PASSWORD)
    # ODF encrypts member by member and says so only in the manifest.
    manifest = next((info for info in infos if info.filename == "META-INF/manifest.xml"), None)
    if manifest is not None:
        with archive.open(manifest) as stream:
            if b"encryption-data" in stream.read(_MANIFEST_BYTES):
                raise RejectedFile(PASSWORD_ODS)


def _check_parts(infos: list[zipfile.ZipInfo], suffix: str) -> None:
    names = {info.filename.replace("\\", "/").lstrip("/").lower() for info in infos}
    kind = _zip_flavour(names)
    expected = EXPECTED_KINDS.get(suffix, {"excel", "ods"})
    if kind in expected:
        return
    if kind is None or suffix not in EXPECTED_KINDS:
        raise RejectedFile(
            "berkas zip ini bukan buku kerja (tidak berisi xl/workbook.xml maupun "
            f"content.xml); {RESAVE}"
        )
    raise RejectedFile(
        f"isi berkas tidak sesuai ekstensinya (isinya tampak seperti {LOOKS_LIKE[kind]}); {RESAVE}"
    )


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


def _scan_members(
    handle: BinaryIO,
    infos: list[zipfile.ZipInfo],
    limits: ZipLimits,
    consumers: Mapping[str, Consumer],
) -> None:
    total = 0
    for info in infos:
        consumer = consumers.get(info.filename)
        total += _scan_member(handle, info, limits, total, consumer)
        if consumer is not None:
            consumer.close()


def _scan_member(
    handle: BinaryIO,
    info: zipfile.ZipInfo,
    limits: ZipLimits,
    before: int,
    consumer: Consumer | None,
) -> int:
    """Unpack one member through a fixed buffer, handing each chunk to `consumer`; return its
    real size."""
    if info.flag_bits & 0x1:
        raise RejectedFile(PASSWORD)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise RejectedFile(
            f"berkas memakai metode pemampatan zip yang tidak lazim (metode "
            f"{info.compress_type}); {RESAVE}"
        )
    real, head, checked = 0, bytearray(), False
    for chunk in _member_chunks(handle, info):
        real += len(chunk)
        if real > info.file_size:
            raise RejectedFile(
                f"anggota zip '{info.filename}' ternyata lebih besar setelah "
                "diekstrak daripada ukuran yang dinyatakan; kemungkinan bom zip, "
                "berkas ini ditolak demi keamanan"
            )
        _check_membersize_text(info.filename, real, limits)
        _check_total(before + real, limits)
        if consumer is not None:
            consumer.feed(chunk)
        if not checked:
            head += chunk[: _PROLOG_BYTES - len(head)]
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
        raise RejectedFile(CORRUPT_ZIP)
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
            raise RejectedFile(CORRUPT_ZIP)
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
                raise RejectedFile(CORRUPT_ZIP)
            remaining -= len(pending)
        before = len(pending)
        try:
            chunk = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            raise RejectedFile(CORRUPT_ZIP) from None
        pending = inflater.unconsumed_tail
        if chunk:
            yield chunk
        elif len(pending) == before and not remaining and not inflater.eof:
            # No input left and nothing comes out: the deflate stream is cut short.
            raise RejectedFile(CORRUPT_ZIP)


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
        raise RejectedFile(ENTITIES)
    if not whole and (rest.startswith((b"<?", b"<!--")) or (position and len(rest) < 64)):
        raise RejectedFile(LONG_PROLOG)


def _ascii_view(head: bytes) -> bytes:
    """The markup characters of a UTF-8 or UTF-16 head, enough to recognise prolog tokens."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].replace(b"\x00", b"")
    if head.startswith((b"<\x00", b"\x00<")):
        return head.replace(b"\x00", b"")
    return head.removeprefix(b"\xef\xbb\xbf")
