"""Refuse hostile, broken or mislabelled workbooks before any parser opens them.

python-calamine and openpyxl trust what a file says about itself: a zip bomb, an XML entity bomb
or an HTML page named `.xls` makes them hang, eat memory or fail with an English error. Every check
here reads only headers and directories, or streams through a fixed-size buffer, so the guard itself
stays bounded in time and memory whatever the file claims about itself.
"""

from __future__ import annotations

from pathlib import Path

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.ole import HEAD_BYTES, biff_is_encrypted, check_ole, is_raw_biff
from skorasn.reading.refusals import (
    EXPECTED_KINDS,
    LOOKS_LIKE,
    PASSWORD,
    RESAVE,
    RESEND,
    number,
    size_text,
    unreadable_message,
)
from skorasn.reading.xlsxplan import WorkbookFacts
from skorasn.reading.zipguard import ZIP_SUFFIXES, check_xml_safety, check_zip
from skorasn.vocabulary import MB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
__all__ = ["check_workbook", "check_xml_safety"]


def check_workbook(path: Path, limits: ZipLimits) -> WorkbookFacts | None:
    """Raise RejectedFile (Indonesian message, one sentence saying what is wrong and what to do)
    if the file must not be parsed; for .xlsx/.xlsm/.ods, return what the pre-check measured."""
    try:
        return _check_workbook(path, limits)
    except OSError as exc:
        raise RejectedFile(unreadable_message(exc)) from None


def _check_workbook(path: Path, limits: ZipLimits) -> WorkbookFacts | None:
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise RejectedFile(
            f"ukuran berkas {size_text(size)} melebihi batas {number(limits.max_file_mb)} MB; bila "
            "berkas ini memang sah, naikkan batasnya di skorasn.toml bagian [batas_berkas] "
            "ukuran_berkas_maks_mb"
        )
    if size == 0:
        raise RejectedFile(f"berkas kosong (0 bita); {RESEND}")
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    suffix = path.suffix.lower()
    kind = _sniff(head)
    if kind == "ole":
        kind = check_ole(path, size)
    elif kind == "biff" and biff_is_encrypted(head):
        raise RejectedFile(PASSWORD)
    if kind == "zip" and (suffix in ZIP_SUFFIXES or suffix not in EXPECTED_KINDS):
        return check_zip(path, size, suffix, limits)
    _check_suffix(kind, suffix)
    return None


def _check_suffix(kind: str, suffix: str) -> None:
    expected = EXPECTED_KINDS.get(suffix)
    if expected is None or kind in expected:
        return
    if suffix == ".xls" and kind == "ole":
        raise RejectedFile(
            f"berkas ini bukan buku kerja Excel (tidak ada bagian Workbook di dalamnya); {RESAVE}"
        )
    raise RejectedFile(
        f"isi berkas tidak sesuai ekstensinya (isinya tampak seperti {LOOKS_LIKE[kind]}); {RESAVE}"
    )


# --- sniffing -------------------------------------------------------------------------------


def _sniff(head: bytes) -> str:
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if is_raw_biff(head):
        return "biff"
    if head.startswith(b"%PDF"):
        return "pdf"
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str:
    text = _decode_sample(head)
    if text is None:
        return "binary"
    start = text.lstrip(" \t\r\n\f\ufeff").lower()
    if start.startswith(
        ("<html", "<!doctype", "<table", "<head", "<body", "<meta", "mime-version:")
    ):
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
