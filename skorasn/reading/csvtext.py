"""The text of a CSV file: its encoding found from the bytes, never assumed.

The order of the tests, and why:

1. A byte-order mark decides (UTF-8, UTF-16 LE/BE): Excel writes one for "CSV UTF-8" and for
   "Unicode Text".
2. UTF-16 without a mark: the text of a score sheet is nearly all ASCII, so one byte of each
   pair is NUL. At least 30% of the pairs with a NUL on one side and (almost) none on the other
   is UTF-16; an honest UTF-8 or cp1252 file has no NUL at all.
3. UTF-8, if the whole file decodes.
4. A file that is *plausibly* UTF-8 with a few damaged bytes (a stray byte from another
   program, a truncated copy): at least as many well-formed multi-byte characters as bytes
   that are not UTF-8. It is read as UTF-8, each damaged byte becomes U+FFFD and the rows that
   hold one are named by the caller. Real cp1252 text practically never holds a well-formed
   UTF-8 sequence (that would take pairs such as "Ã©"), so its accented letters all count as
   damaged and it fails this test.
5. Otherwise cp1252 (what Excel on an Indonesian Windows writes as "CSV"), with a peringatan,
   since a misjudged encoding shows as wrong letters in names; bytes cp1252 does not define
   become U+FFFD as in 4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skorasn.errors import UnreadableFile

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes the UTF-8 decoder could not take, as "surrogateescape" leaves them.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_SNIFF_BYTES = 4096
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-16-le", "utf-16-be" or "cp1252"
    damaged: bool  # some bytes could not be decoded and are now U+FFFD


def decode(data: bytes) -> Decoded:
    if data.startswith(_WORKBOOK_MAGIC):
        raise UnreadableFile(
            "berkas ini sebenarnya buku kerja Excel/LibreOffice, bukan CSV; "
            "ganti ekstensinya (.xlsx, .xls atau .ods) atau simpan ulang "
            "sebagai CSV"
        )
    if data.startswith(_UTF16_BOMS):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _strict_or_replaced(data[2:], codec)
    if data.startswith(_UTF8_BOM):
        return _utf8_or_cp1252(data[3:])
    sniffed = utf16_without_bom(data)
    if sniffed is not None:
        return _strict_or_replaced(data, sniffed)
    return _utf8_or_cp1252(data)


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes say so (see the module's note)."""
    sample = data[:_SNIFF_BYTES]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _strict_or_replaced(data: bytes, codec: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec, damaged=False)
    except UnicodeDecodeError:
        return Decoded(data.decode(codec, "replace"), codec, damaged=True)


def _utf8_or_cp1252(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8", damaged=False)
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "surrogateescape")
    damaged = len(_ESCAPED_BYTE.findall(text))
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - damaged
    if well_formed >= damaged:
        return Decoded(_ESCAPED_BYTE.sub(REPLACEMENT, text), "utf-8", damaged=True)
    return _strict_or_replaced(data, "cp1252")
