"""Builders of hostile and odd workbooks, written into a test's tmp_path: nothing here is checked
in. Each is the smallest package the reader accepts, with one part made to lie or to ask for
something huge.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Nama</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Skor</t></is></c></row>'
)


def participant_row(row: int, nip: str, name: str, score: str) -> str:
    return (
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{nip}</t></is></c>'
        f'<c r="B{row}" t="inlineStr"><is><t>{name}</t></is></c>{score}</row>'
    )


def sheet_xml(rows: str, prefix: str = "", head: str = "", tail: str = "") -> str:
    """A worksheet around `rows`; with a prefix, every element carries it."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{head}'
        f"<{p}sheetData>{rows}</{p}sheetData>{tail}</{p}worksheet>"
    )


def write_xlsx(
    path: Path, sheet: str, shared_strings: str | None = None, name: str = "Dasar"
) -> Path:
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{_OFFICE}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return path


def huge_unique_count(path: Path) -> Path:
    """sharedStrings declaring 4294967295 strings: calamine reserves room for them at open."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" '
        'uniqueCount="4294967295"><si><t>Ani</t></si></sst>'
    )
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return write_xlsx(path, sheet_xml(rows), strings)


def far_corner(path: Path, far: str = "XFD1048576") -> Path:
    """A table at the top and one stray value at `far`: the box between them is allocated."""
    row = int(far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = HEADER_ROW + f'<row r="{row}"><c r="{far}"><v>1</v></c></row>'
    return write_xlsx(path, sheet_xml(rows))


def far_cell(path: Path, ref: str = "AX1000000") -> Path:
    """One value far down and right, nothing else: a 1-cell box that padding from A1 makes
    fifty million."""
    row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return write_xlsx(path, sheet_xml(f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'))


def shared_string_fanout(path: Path, length: int = 1_000_000, cells: int = 1000) -> Path:
    """One long shared string used by many cells: copied into each one."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{cells}" '
        f'uniqueCount="1"><si><t>{"a" * length}</t></si></sst>'
    )
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, cells))
    return write_xlsx(path, sheet_xml(rows), strings)


def cells_without_reference(path: Path, count: int = 20_000) -> Path:
    """One row of cells without r: each takes the next column, past the last one."""
    return write_xlsx(path, sheet_xml("<row>" + "<c><v>1</v></c>" * count + "</row>"))


# --- ODS ------------------------------------------------------------------------------------

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def write_ods(path: Path, tables: str) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES}>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return path


def ods_number(value: float, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}"{repeated}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods_repeated_block(path: Path, rows: int = 6000, cols: int = 16384) -> Path:
    """One filled cell repeated over a block: under a kilobyte asking for 98 million cells."""
    return write_ods(
        path,
        f'<table:table table:name="Dasar"><table:table-row table:number-rows-repeated="{rows}">'
        f"{ods_number(1, cols)}</table:table-row></table:table>",
    )


def ods_far_rows(path: Path, rows: int = 3000, col: int = 16383) -> Path:
    """Many rows, each an empty run then one value far right: every run is built."""
    row = (
        f'<table:table-row><table:table-cell table:number-columns-repeated="{col}"/>'
        f"{ods_number(1)}</table:table-row>"
    )
    return write_ods(path, '<table:table table:name="Dasar">' + row * rows + "</table:table>")


def ods_spaces(path: Path, count: int = 2_000_000_000) -> Path:
    """<text:s text:c=N/>: N spaces pushed one at a time."""
    return write_ods(
        path,
        '<table:table table:name="Dasar"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>a'
        f'<text:s text:c="{count}"/>b</text:p></table:table-cell></table:table-row></table:table>',
    )


# --- XLS (BIFF8 in a compound file) ----------------------------------------------------------


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff_workbook(
    cells: list[tuple[int, int, float]], dimensions: tuple[int, int, int, int]
) -> bytes:
    """A one-sheet BIFF8 Workbook stream: NUMBER records and a DIMENSIONS record as given."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006)
    globals_ = [_record(0x0809, bof), _record(0x0042, struct.pack("<H", 1200))]
    name = b"Dasar"
    sheet_at = sum(map(len, globals_)) + 4 + 8 + len(name) + 4
    globals_ += [
        _record(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(name), 0) + name),
        _record(0x000A),
    ]
    sheet = [
        _record(0x0809, bof[:2] + struct.pack("<H", 0x0010) + bof[4:]),
        _record(0x0200, struct.pack("<IIHHH", *dimensions, 0)),
        *(_record(0x0203, struct.pack("<HHHd", r, c, 0x0F, v)) for r, c, v in cells),
        _record(0x000A),
    ]
    return b"".join(globals_) + b"".join(sheet)


def write_cfb(path: Path, stream: bytes, directory_loops: bool = False) -> Path:
    """A compound file (512-byte sectors) holding `stream` as "Workbook" in regular sectors:
    sector 0 is the FAT, 1 the directory, the stream after."""
    size = 512
    stream = stream.ljust(max(len(stream), 4096), b"\x00")
    count = -(-len(stream) // size)
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD, 1 if directory_loops else end]
    fat += [2 + i + 1 if i < count - 1 else end for i in range(count)]
    fat += [free] * (128 - len(fat))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x003E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))

    def entry(name: str, kind: int, start: int, length: int, child: int = free) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, free, child)
        struct.pack_into("<II", raw, 116, start, length)
        return bytes(raw)

    directory = entry("Root Entry", 5, end, 0, child=1) + entry("Workbook", 2, 2, len(stream))
    body = struct.pack("<128I", *fat) + directory.ljust(size, b"\x00") + stream
    path.write_bytes(bytes(header) + body.ljust(size * (2 + count), b"\x00"))
    return path
