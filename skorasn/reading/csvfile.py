"""CSV files as raw grids: the delimiter and encoding are detected, never assumed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from skorasn.errors import UnreadableFile, describe_os_error
from skorasn.reading.workbook import RawSheet

_DELIMITERS = (";", ",", "\t")


def read_csv(path: Path) -> RawSheet:
    """A CSV as text cells; the delimiter and encoding are detected, never assumed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"tidak dapat dibaca ({describe_os_error(exc)})") from None
    text = _decode(data)
    delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = [list(row) for row in reader]
    return RawSheet(None, rows, path.stem)


_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _decode(data: bytes) -> str:
    if data.startswith(_WORKBOOK_MAGIC):
        raise UnreadableFile(
            "berkas ini sebenarnya buku kerja Excel/LibreOffice, bukan CSV; "
            "ganti ekstensinya (.xlsx, .xls atau .ods) atau simpan ulang "
            "sebagai CSV"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" export: UTF-16 with a byte-order mark.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                "berkas UTF-16 ini rusak; simpan ulang dari Excel sebagai "
                "'CSV UTF-8 (Comma delimited)'"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "bukan teks UTF-8 maupun cp1252; simpan ulang dari Excel sebagai "
            "'CSV UTF-8 (Comma delimited)'"
        ) from None


def _detect_delimiter(text: str) -> str:
    sample = text[:65536].splitlines()[:50]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter) if any(row)]
        wide = [count for count in counts if count > 1]
        if not wide:
            return (0, 0)
        mode = max(set(wide), key=wide.count)
        return (wide.count(mode), mode)

    return max(_DELIMITERS, key=score)
