"""The workbook guard: hostile, broken and mislabelled files are refused before a parser sees them.

Every bad file is crafted in tmp_path; the bombs are built from a pre-compressed block repeated,
so they stay small and fast to make even though they unpack to hundreds of MB.
"""

from __future__ import annotations

import functools
import io
import random
import resource
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading import ole, zipguard
from skorasn.reading.guard import check_workbook, check_xml_safety
from skorasn.vocabulary import MB

from .conftest import CORPUS as SHARED_CORPUS
from .conftest import traced_peak

DEFAULTS = ZipLimits()
CORPUS = SHARED_CORPUS / "calamine"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
SHEET = "xl/worksheets/sheet1.xml"
BOMB_MB = 300

# --- builders -------------------------------------------------------------------------------


def openpyxl_xlsx(path: Path, value: object = "Budi") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Skor"])
    sheet.append(["198001012005011001", value, 8])
    book.save(path)
    return path


@functools.cache
def xlsx_parts() -> tuple[tuple[str, bytes], ...]:
    """The members of a small honest xlsx, to wrap hostile parts in a valid-looking package."""
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["NIP", "Nama", "Skor"])
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return tuple((name, archive.read(name)) for name in archive.namelist())


def zip_with(
    path: Path,
    replaced: dict[str, bytes],
    *,
    dropped: tuple[str, ...] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    parts = {name: data for name, data in xlsx_parts() if name not in dropped}
    parts.update(replaced)
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@dataclass
class RawMember:
    """One zip member written byte by byte, so that tests can make its headers lie."""

    name: str
    payload: bytes
    size: int
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    same_data_as: int | None = None  # index of an earlier member whose local entry is reused


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def honest(name: str, data: bytes) -> RawMember:
    return RawMember(name, raw_deflate(data), len(data), zlib.crc32(data))


def write_raw_zip(path: Path, members: list[RawMember], declared_count: int | None = None) -> Path:
    with path.open("wb") as out:
        offsets: list[int] = []
        central = b""
        for member in members:
            name = member.name.encode()
            # The local and the central header share these fields, so that a test can make
            # both lie alike: flags, method, time, date; crc, both sizes, name length.
            stamp = (member.flags, member.method, 0, 0x21)
            sizes = (member.crc, len(member.payload), member.size, len(name))
            if member.same_data_as is None:
                offsets.append(out.tell())
                local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *stamp, *sizes, 0)
                out.write(local + name + member.payload)
            else:
                offsets.append(offsets[member.same_data_as])
            central += struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *stamp, *sizes, 0, 0, 0, 0, 0, offsets[-1]
            )
            central += name
        start = out.tell()
        out.write(central)
        count = len(members) if declared_count is None else declared_count
        out.write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
        )
    return path


@functools.cache
def zero_bomb(megabytes: int) -> tuple[bytes, int, int]:
    """(raw deflate, size, crc) of an XML start followed by `megabytes` MB of zeros.

    A full flush resets the compressor's window, so one compressed MB of zeros can be repeated
    verbatim to make a valid stream without compressing hundreds of MB in the test.
    """
    prefix = b'<?xml version="1.0"?><worksheet><sheetData>'
    head = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = zeros.compress(bytes(MB)) + zeros.flush(zlib.Z_FULL_FLUSH)
    stream = (
        head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH) + block * megabytes + zeros.flush()
    )
    crc = zlib.crc32(prefix)
    zero_mb = bytes(MB)
    for _ in range(megabytes):
        crc = zlib.crc32(zero_mb, crc)
    return stream, len(prefix) + megabytes * MB, crc


@functools.cache
def ratio_bomb(megabytes: int) -> tuple[bytes, int, int]:
    """(raw deflate, size, crc) of `megabytes` MB at about 125:1, under the 200:1 ratio cap:
    each MB holds 7,000 random bytes (which do not compress) and zeros."""
    block = random.Random(125).randbytes(7000) + bytes(MB - 7000)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return packed * megabytes + packer.flush(), megabytes * MB, crc


def bomb_under_ratio(path: Path) -> Path:
    """8 MB that unpacks to 1 GB: only a cap on the total unpacked size can stop it."""
    stream, size, crc = ratio_bomb(1024)
    members = [honest(name, data) for name, data in xlsx_parts() if name != SHEET]
    members.append(RawMember(SHEET, stream, size, crc))
    return write_raw_zip(path, members)


def bomb_xlsx(path: Path, declared_size: int | None = None) -> Path:
    stream, size, crc = zero_bomb(BOMB_MB)
    members = [honest(name, data) for name, data in xlsx_parts() if name != SHEET]
    members.append(RawMember(SHEET, stream, size if declared_size is None else declared_size, crc))
    return write_raw_zip(path, members)


def ole_bytes(
    streams: dict[str, bytes],
    *,
    fat_patch: dict[int, int] | None = None,
    header_patch: dict[int, bytes] | None = None,
) -> bytes:
    """A minimal version-3 compound file: sector 0 is the FAT, sector 1 the directory, and every
    stream is padded to 4096 bytes so that none needs the mini stream."""
    end, free, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    fat, body, starts = [0xFFFFFFFD, end], b"", []
    for payload in streams.values():
        padded = payload.ljust(4096, b"\x00")
        count = -(-len(padded) // 512)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
        body += padded.ljust(count * 512, b"\x00")
    fat += [free] * (128 - len(fat))
    for index, value in (fat_patch or {}).items():
        fat[index] = value
    entries = [_ole_entry("Root Entry", 5, no_stream, 1 if streams else no_stream, end, 0)]
    for number, (name, payload) in enumerate(streams.items(), start=1):
        right = number + 1 if number < len(streams) else no_stream
        size = max(len(payload), 4096)
        entries.append(_ole_entry(name, 2, right, no_stream, starts[number - 1], size))
    directory = b"".join(entries).ljust(512, b"\x00")
    header = bytearray(
        struct.pack(
            "<8s16s5H6s9L",
            bytes.fromhex("d0cf11e0a1b11ae1"),
            bytes(16),
            0x3E,
            3,
            0xFFFE,
            9,
            6,
            bytes(6),
            0,
            1,
            1,
            0,
            4096,
            end,
            0,
            end,
            0,
        )
        + struct.pack("<109L", 0, *[free] * 108)
    )
    for offset, value in (header_patch or {}).items():
        header[offset : offset + len(value)] = value
    return bytes(header) + struct.pack("<128L", *fat) + directory + body


def _ole_entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBB3L16sLQQLQ",
        encoded,
        len(encoded),
        kind,
        1,
        0xFFFFFFFF,
        right,
        child,
        bytes(16),
        0,
        0,
        0,
        start,
        size,
    )


def biff8_stream(*, encrypted: bool) -> bytes:
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack(
        "<HHHHLL", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06
    )
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0xABCD) if encrypted else b""
    return bof + filepass + struct.pack("<HH", 0x000A, 0)


def raw_biff4(*, encrypted: bool) -> bytes:
    bof = struct.pack("<HHHHH", 0x0409, 6, 0x0000, 0x0010, 0)
    filepass = struct.pack("<HHHH", 0x002F, 4, 0x1234, 0xABCD) if encrypted else b""
    return bof + filepass + struct.pack("<HH", 0x000A, 0)


def refusal(path: Path, limits: ZipLimits = DEFAULTS) -> str:
    with pytest.raises(RejectedFile) as caught:
        check_workbook(path, limits)
    message = str(caught.value)
    assert path.name not in message, "the caller prefixes the file name itself"
    return message


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    ).replace(b"&lol0;", b"&lol;")
    + b']>\n<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is>'
    b"</c></row></sheetData></worksheet>"
)
XXE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<sst count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
)

# --- honest files pass ------------------------------------------------------------------------


def test_openpyxl_workbook_passes(tmp_path: Path) -> None:
    path = openpyxl_xlsx(tmp_path / "nilai.xlsx")
    check_workbook(path, DEFAULTS)
    check_xml_safety(path, DEFAULTS)


def test_xlsxwriter_workbook_passes(tmp_path: Path) -> None:
    path = tmp_path / "nilai.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Tahap Dasar")
    sheet.write_row(0, 0, ["NIP", "Nama", "Skor"])
    for row in range(1, 2000):
        sheet.write_row(row, 0, [f"19800101{row:010d}", f"Peserta {row}", row % 11])
    book.close()
    check_workbook(path, DEFAULTS)


def test_markup_inside_cell_text_is_not_a_declaration(tmp_path: Path) -> None:
    # openpyxl escapes it to &lt;!DOCTYPE, so the prolog stays clean.
    check_workbook(openpyxl_xlsx(tmp_path / "a.xlsx", "<!DOCTYPE html><!ENTITY x>"), DEFAULTS)


def test_xlsm_and_uppercase_suffix_pass(tmp_path: Path) -> None:
    check_workbook(zip_with(tmp_path / "MAKRO.XLSM", {}), DEFAULTS)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            lambda: ole_bytes({"Workbook": biff8_stream(encrypted=False)}), id="ole-biff8"
        ),
        pytest.param(
            lambda: ole_bytes({"Book": biff8_stream(encrypted=False)}), id="ole-biff5-book"
        ),
        pytest.param(lambda: raw_biff4(encrypted=False), id="raw-biff4"),
        pytest.param(
            lambda: struct.pack("<HHHH", 0x0009, 4, 2, 0x10) + b"\x0a\x00\x00\x00", id="raw-biff2"
        ),
    ],
)
def test_legacy_xls_passes(tmp_path: Path, content: Callable[[], bytes]) -> None:
    path = tmp_path / "lama.xls"
    path.write_bytes(content())
    check_workbook(path, DEFAULTS)


# --- mislabelled content ----------------------------------------------------------------------

HTML_TABLE = "<table><tr><td>NIP</td><td>Nama</td></tr></table>"


@pytest.mark.parametrize(
    ("suffix", "content", "keywords"),
    [
        (".xls", ("\ufeff  \r\n<html><body>" + HTML_TABLE).encode(), ["HTML", ".xls"]),
        (".xls", b"<!DOCTYPE html>\n<html>" + HTML_TABLE.encode(), ["HTML", ".xls"]),
        (".xls", HTML_TABLE.encode(), ["HTML"]),
        (".xls", ("\ufeff<html>" + HTML_TABLE).encode("utf-16"), ["HTML"]),
        (".xls", b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n", ["HTML"]),
        (".xlsx", b"\n\n<html>" + HTML_TABLE.encode(), ["HTML"]),
        (".xls", b"NIP;Nama;Skor\n198001012005011001;Budi;8\n", ["teks biasa atau CSV"]),
        (".xlsx", "NIP,Nama,Skor\n1,Siti Aminah,9\n".encode("cp1252"), ["teks biasa atau CSV"]),
        (
            ".xls",
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
            b'xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            ["XML Spreadsheet 2003"],
        ),
        (".xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ["PDF"]),
        (".ods", bytes(range(256)) * 4, ["data biner"]),
    ],
)
def test_content_that_does_not_match_the_suffix(
    tmp_path: Path, suffix: str, content: bytes, keywords: list[str]
) -> None:
    path = tmp_path / f"ekspor{suffix}"
    path.write_bytes(content)
    message = refusal(path)
    assert message.startswith("isi berkas tidak sesuai ekstensinya")
    assert "simpan ulang sebagai .xlsx" in message
    for keyword in keywords:
        assert keyword in message


def test_xls_that_is_really_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "nilai.xls"
    path.write_bytes(openpyxl_xlsx(tmp_path / "asli.xlsx").read_bytes())
    message = refusal(path)
    assert "tidak sesuai ekstensinya" in message and "arsip zip" in message


@pytest.mark.parametrize(
    ("suffix", "streams", "keywords"),
    [
        (".xlsx", {"Workbook": biff8_stream(encrypted=False)}, ["tidak sesuai", "Excel lama .xls"]),
        (".xlsb", {"Workbook": biff8_stream(encrypted=False)}, ["tidak sesuai", "Excel lama .xls"]),
        (".xls", {"WordDocument": b"x"}, ["tidak sesuai", "Word lama"]),
        (".xls", {"Something": b"x"}, ["bukan buku kerja Excel"]),
    ],
)
def test_ole_files_under_the_wrong_name(
    tmp_path: Path, suffix: str, streams: dict[str, bytes], keywords: list[str]
) -> None:
    path = tmp_path / f"nilai{suffix}"
    path.write_bytes(ole_bytes(streams))
    message = refusal(path)
    for keyword in keywords:
        assert keyword in message


@pytest.mark.parametrize(
    ("suffix", "build", "keywords"),
    [
        (
            ".xlsx",
            lambda p: zip_with(p, {"content.xml": b"<x/>"}, dropped=("xl/workbook.xml",)),
            ["tidak sesuai", ".ods"],
        ),
        (".ods", lambda p: zip_with(p, {}), ["tidak sesuai", "Excel .xlsx"]),
        (
            ".xlsx",
            lambda p: zip_with(p, {"word/document.xml": b"<w/>"}, dropped=("xl/workbook.xml",)),
            ["tidak sesuai", "Word"],
        ),
        (".xlsx", lambda p: zip_with(p, {}, dropped=("xl/workbook.xml",)), ["bukan buku kerja"]),
        (".xlsx", lambda p: p.write_bytes(b"PK\x05\x06" + bytes(18)), ["bukan buku kerja"]),
    ],
)
def test_zip_without_the_expected_workbook_part(
    tmp_path: Path, suffix: str, build: Callable[[Path], object], keywords: list[str]
) -> None:
    path = tmp_path / f"nilai{suffix}"
    build(path)
    message = refusal(path)
    for keyword in keywords:
        assert keyword in message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    assert "kosong" in refusal(path)


@pytest.mark.parametrize(
    ("name", "keyword"),
    [
        ("tidak-ada.xlsx", "tidak ditemukan"),
        ("folder.xlsx", "folder"),
    ],
)
def test_unreadable_paths(tmp_path: Path, name: str, keyword: str) -> None:
    path = tmp_path / name
    if name.startswith("folder"):
        path.mkdir()
    assert keyword in refusal(path)


# --- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        (
            ".xlsx",
            lambda: ole_bytes({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"x"}),
        ),
        (".xlsb", lambda: ole_bytes({"EncryptedPackage": b"x"})),
        (".xls", lambda: ole_bytes({"EncryptionInfo": b"\x04\x00\x04\x00"})),
        (".xls", lambda: ole_bytes({"Workbook": biff8_stream(encrypted=True)})),
        (".xls", lambda: raw_biff4(encrypted=True)),
    ],
)
def test_password_protected(tmp_path: Path, suffix: str, content: Callable[[], bytes]) -> None:
    path = tmp_path / f"rahasia{suffix}"
    path.write_bytes(content())
    message = refusal(path)
    assert message.startswith("berkas dilindungi kata sandi")
    assert "hapus kata sandinya" in message


def test_zip_level_encryption(tmp_path: Path) -> None:
    members = [honest(name, data) for name, data in xlsx_parts()]
    members[0].flags = 0x1
    assert "kata sandi" in refusal(write_raw_zip(tmp_path / "zip.xlsx", members))


def test_encrypted_ods_manifest(tmp_path: Path) -> None:
    manifest = (
        b'<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
        b"<manifest:encryption-data/></manifest:file-entry></manifest:manifest>"
    )
    path = tmp_path / "rahasia.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", bytes(range(256)))
        archive.writestr("META-INF/manifest.xml", manifest)
    assert "kata sandi" in refusal(path)


# --- zip limits, bombs and broken archives ---------------------------------------------------


def test_zip_bomb_is_refused_by_its_ratio_without_unpacking(
    tmp_path: Path, inflated: list[int]
) -> None:
    path = bomb_xlsx(tmp_path / "bom.xlsx")
    assert path.stat().st_size < 500 * 1024
    message = refusal(path)
    assert inflated == [0]
    assert "kemungkinan bom zip" in message and "rasio_maks" in message


@pytest.mark.waktu
def test_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """The one wall-clock test; CI runs it in its own step (pytest -m waktu)."""
    path = bomb_xlsx(tmp_path / "bom.xlsx")
    started = time.perf_counter()
    refusal(path)
    assert time.perf_counter() - started < 2


def test_bomb_under_the_ratio_cap_is_refused_unread(tmp_path: Path, inflated: list[int]) -> None:
    path = bomb_under_ratio(tmp_path / "bom.xlsx")
    assert path.stat().st_size < 9 * MB
    with traced_peak() as traced:
        message = refusal(path)
    # The member and total caps are both 768 MB by default; the member's comes first.
    assert "1024 MB" in message and "melebihi batas 768 MB" in message and "bom zip" in message
    assert inflated[0] == 0 and traced.peak < 16 * MB


def test_zip_bomb_that_lies_about_its_size(tmp_path: Path, inflated: list[int]) -> None:
    stream, _, _ = zero_bomb(BOMB_MB)
    declared = len(stream) * 3
    path = bomb_xlsx(tmp_path / "bohong.xlsx", declared_size=declared)
    message = refusal(path)
    assert inflated[0] <= declared + zipguard._CHUNK
    assert "ternyata lebih besar" in message and "bom zip" in message
    with pytest.raises(RejectedFile, match="ternyata lebih besar"):
        check_xml_safety(path, DEFAULTS)


@pytest.mark.parametrize(
    ("limits", "outcome"),
    [
        # The streaming pass alone must stop at the total limit, 200 MB into the 300 MB.
        (replace(DEFAULTS, max_ratio=1e9, max_total_mb=200), "total_maks_mb"),
        # With every limit raised, the whole 300 MB goes through a fixed buffer and passes.
        (replace(DEFAULTS, max_ratio=1e9, max_total_mb=400), None),
    ],
)
def test_streaming_a_real_bomb_is_bounded_in_work_and_memory(
    tmp_path: Path, limits: ZipLimits, outcome: str | None, inflated: list[int]
) -> None:
    path = bomb_xlsx(tmp_path / "bom.xlsx")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with traced_peak() as traced:
        try:
            check_xml_safety(path, limits)
            message = None
        except RejectedFile as exc:
            message = str(exc)
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert message is None if outcome is None else outcome in message
    assert inflated[0] <= limits.max_total_mb * MB + zipguard._CHUNK
    assert traced.peak < 16 * MB
    assert rss_growth_mb < 300


@pytest.mark.parametrize(
    ("limits", "keyword"),
    [
        (replace(DEFAULTS, max_file_mb=0.001), "ukuran_berkas_maks_mb"),
        (replace(DEFAULTS, max_member_mb=0.001), "ukuran_anggota_maks_mb"),
        (replace(DEFAULTS, max_total_mb=0.005), "total_maks_mb"),
        (replace(DEFAULTS, max_members=3), "anggota_maks"),
    ],
)
def test_each_limit_names_its_setting(tmp_path: Path, limits: ZipLimits, keyword: str) -> None:
    message = refusal(zip_with(tmp_path / "nilai.xlsx", {}), limits)
    assert keyword in message and "[batas_berkas]" in message


def test_streaming_pass_applies_member_limit_on_its_own(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "nilai.xlsx", {SHEET: b"<worksheet/>" + b" " * (2 * MB)})
    with pytest.raises(RejectedFile, match="ukuran_anggota_maks_mb"):
        check_xml_safety(path, replace(DEFAULTS, max_member_mb=1))


def test_too_many_members(tmp_path: Path) -> None:
    extra = {f"xl/media/gambar{i}.xml": b"<x/>" for i in range(60)}
    message = refusal(zip_with(tmp_path / "banyak.xlsx", extra), replace(DEFAULTS, max_members=50))
    assert "anggota" in message and "melebihi batas 50" in message


def test_member_count_that_lies_in_the_end_record(tmp_path: Path) -> None:
    members = [honest(name, b"<x/>") for name in (f"x{i}.xml" for i in range(60))]
    members.append(honest("xl/workbook.xml", b"<workbook/>"))
    path = write_raw_zip(tmp_path / "bohong.xlsx", members, declared_count=2)
    assert "61 anggota" in refusal(path, replace(DEFAULTS, max_members=50))


def as_zip64(data: bytes, entries: int | None = None) -> bytes:
    """Rewrite a small zip's end record in the Zip64 form, as large-file writers do."""
    at = data.rindex(b"PK\x05\x06")
    count, size, offset = struct.unpack_from("<HLL", data, at + 10)
    count = count if entries is None else entries
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:at] + record + locator + end


@pytest.mark.parametrize(("entries", "keyword"), [(None, None), (10**9, "1000000000 anggota")])
def test_zip64_end_record(tmp_path: Path, entries: int | None, keyword: str | None) -> None:
    path = tmp_path / "besar.xlsx"
    path.write_bytes(as_zip64(openpyxl_xlsx(tmp_path / "asli.xlsx").read_bytes(), entries))
    if keyword is None:
        check_workbook(path, DEFAULTS)
    else:
        assert keyword in refusal(path)


def test_overlapping_members(tmp_path: Path) -> None:
    members = [honest(name, data) for name, data in xlsx_parts()]
    members += [
        replace(members[-1], name=f"salinan{i}.xml", same_data_as=len(members) - 1)
        for i in range(3)
    ]
    assert "bertumpuk" in refusal(write_raw_zip(tmp_path / "tumpuk.xlsx", members))


def test_unusual_compression_method(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "bzip.xlsx", {}, compression=zipfile.ZIP_BZIP2)
    assert "metode pemampatan" in refusal(path)


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99, 0.1])
def test_truncated_xlsx(tmp_path: Path, keep: float) -> None:
    whole = openpyxl_xlsx(tmp_path / "utuh.xlsx").read_bytes()
    path = tmp_path / "potong.xlsx"
    path.write_bytes(whole[: int(len(whole) * keep)])
    assert refusal(path) == (
        "berkas zip rusak atau terpotong; minta pengirim mengirim ulang berkasnya"
    )


def test_corrupt_deflate_data(tmp_path: Path) -> None:
    members = [honest(name, data) for name, data in xlsx_parts()]
    members[0].payload = bytes([0xFF]) * len(members[0].payload)
    assert "rusak" in refusal(write_raw_zip(tmp_path / "rusak.xlsx", members))


# --- XML entity declarations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "content"),
    [
        (SHEET, BILLION_LAUGHS),
        ("xl/sharedStrings.xml", XXE),
        ("xl/_rels/workbook.xml.rels", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'),
        (SHEET, b"\xef\xbb\xbf" + BILLION_LAUGHS),
        (SHEET, BILLION_LAUGHS.decode().encode("utf-16")),
        (SHEET, BILLION_LAUGHS.decode().encode("utf-16-le")),
        (SHEET, b'<?xml version="1.0"?><!--' + b"x" * 3000 + b"-->" + BILLION_LAUGHS[21:]),
        ("xl/worksheets/sheet1.dat", BILLION_LAUGHS),  # the name does not matter, the content does
    ],
)
def test_entity_declarations_are_refused(tmp_path: Path, member: str, content: bytes) -> None:
    path = zip_with(tmp_path / "entitas.xlsx", {member: content})
    message = refusal(path)
    assert "DOCTYPE/ENTITY" in message and "demi keamanan" in message


@pytest.mark.parametrize(
    "padding",
    [
        b"<!--" + b"x" * 5000 + b"-->",
        b" " * 5000,
        b"<?pi " + b"x" * 5000 + b"?>",
        b"<!--a-->" * 600,
    ],
)
def test_prolog_padding_cannot_hide_a_doctype(tmp_path: Path, padding: bytes) -> None:
    content = b'<?xml version="1.0"?>' + padding + BILLION_LAUGHS[21:]
    path = zip_with(tmp_path / "sembunyi.xlsx", {SHEET: content})
    assert "demi keamanan" in refusal(path)


# --- hostile compound files and fuzzing ------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: ole_bytes({"Workbook": b"x"}, fat_patch={1: 1}), id="directory-cycle"),
        pytest.param(lambda: ole_bytes({"Workbook": b"x"}, fat_patch={2: 2}), id="stream-cycle"),
        pytest.param(
            lambda: ole_bytes({"Workbook": b"x"}, fat_patch={1: 0x7FFFFFFF}), id="chain-out-of-file"
        ),
        pytest.param(
            lambda: ole_bytes(
                {"Workbook": b"x"},
                header_patch={
                    0x2C: struct.pack("<L", 0xFFFFFFFF),
                    0x44: struct.pack("<L", 0),
                    0x48: b"\xff" * 4,
                },
            ),
            id="huge-fat-count",
        ),
        pytest.param(
            lambda: ole_bytes({"Workbook": b"x"}, header_patch={0x1E: b"\x20\x00"}),
            id="bad-sector-shift",
        ),
        pytest.param(lambda: ole_bytes({"Workbook": b"x"})[:600], id="truncated"),
        pytest.param(lambda: bytes.fromhex("d0cf11e0a1b11ae1"), id="magic-only"),
    ],
)
def test_hostile_compound_files_are_read_in_bounded_work(
    tmp_path: Path, content: Callable[[], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "aneh.xls"
    path.write_bytes(content())
    read = [0]
    original = ole._CompoundFile._read_at

    def counting(self, offset, size):  # type: ignore[no-untyped-def]
        read[0] += size
        return original(self, offset, size)

    monkeypatch.setattr(ole._CompoundFile, "_read_at", counting)
    try:
        check_workbook(path, DEFAULTS)
    except RejectedFile:
        pass
    # The directory walk is capped at 1,024 sectors and a stream prefix at 64 K sectors' ids.
    assert read[0] <= 8 * MB


@pytest.mark.parametrize("seed_file", ["xlsx", "xls"])
def test_random_corruption_never_escapes_as_another_exception(
    tmp_path: Path, seed_file: str, inflated: list[int]
) -> None:
    if seed_file == "xlsx":
        original = openpyxl_xlsx(tmp_path / "asli.xlsx").read_bytes()
    else:
        original = ole_bytes({"Workbook": biff8_stream(encrypted=False), "SummaryInformation": b""})
    generator = random.Random(20240601)
    path = tmp_path / f"acak.{seed_file}"
    for _ in range(150):
        mutated = bytearray(original)
        for _ in range(generator.randint(1, 12)):
            mutated[generator.randrange(len(mutated))] = generator.randrange(256)
        path.write_bytes(bytes(mutated))
        try:
            check_workbook(path, DEFAULTS)
        except RejectedFile:
            pass
    # Each mutant is a few KB; a mutated size field must not make the guard unpack more.
    assert inflated[0] <= 150 * MB


# --- the calamine corpus --------------------------------------------------------------------

CORPUS_FILES = (
    sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in SPREADSHEET_SUFFIXES)
    if CORPUS.is_dir()
    else []
)
NO_CORPUS = f"korpus {CORPUS} tidak ada di mesin ini"
KNOWN_REFUSALS = {
    "pass_protected.xlsx": "kata sandi",
    "pass_protected.xlsb": "kata sandi",
    "pass_protected.ods": "kata sandi",
    "issue_385.xls": "kata sandi",  # BIFF8 with FILEPASS (RC4)
    "too_small.xls": "teks biasa",  # a 68-byte text note named .xls
    # A member whose compressed data runs past its declared end: refused as damaged before
    # it is unpacked.
    "issue252.xlsx": "rusak",
    # calamine's own denial-of-service samples: refused before the reader allocates.
    "OOM_alloc3.xls": "rantai sektornya",  # a sector chain that loops
    "issue_594_dos.ods": "di luar batas lembar kerja",  # a cell repeated past the grid
}
KNOWN_PASSES = [
    "any_sheets.xlsx",
    "any_sheets.xlsb",
    "any_sheets.ods",
    "any_sheets.xls",
    "issue_530.xlsx",
    "minimal_package.xlsx",
    "OOM_alloc.xls",
    "biff5_write.xls",
    "vba.xlsm",
]


def corpus_params(names: list[str] | None = None) -> list[object]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS))]
    paths = CORPUS_FILES if names is None else [CORPUS / name for name in names]
    return [pytest.param(p, id=p.name) for p in paths]


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_passes_or_is_refused_cleanly(path: Path, inflated: list[int]) -> None:
    try:
        check_workbook(path, DEFAULTS)
    except RejectedFile as exc:
        assert path.name in KNOWN_REFUSALS, f"unexpected refusal: {exc}"
    else:
        assert path.name not in KNOWN_REFUSALS
    assert inflated[0] <= 64 * MB


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params(sorted(KNOWN_REFUSALS)))
def test_corpus_refusals_say_why(path: Path) -> None:
    assert KNOWN_REFUSALS[path.name] in refusal(path)


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params(KNOWN_PASSES))
def test_corpus_odd_but_honest_files_pass(path: Path) -> None:
    check_workbook(path, DEFAULTS)
