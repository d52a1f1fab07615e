"""Just enough of OLE2 compound files and BIFF to tell an .xls from a Word file and to see
legacy encryption, without trusting any size the file declares."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO, NamedTuple

from skorasn.errors import RejectedFile
from skorasn.reading.refusals import PASSWORD, RESAVE

HEAD_BYTES = 4096
_BIFF_BOF_RECORDS = {0x0009, 0x0209, 0x0409, 0x0809}
_BIFF_FILEPASS = 0x002F
_BIFF_EOF = 0x000A
_OLE_SPECIAL = 0xFFFFFFFA  # sector ids from here up mark chain ends, free or FAT sectors
_OLE_MAX_DIRECTORY_SECTORS = 1024
_OLE_MAX_CHAIN = 1 << 16
BROKEN_CHAINS = (
    "struktur berkas .xls rusak (rantai sektornya berputar atau lebih pendek daripada isi "
    f"yang dinyatakannya); berkas rusak atau sengaja dibuat berbahaya — {RESAVE}"
)


def is_raw_biff(head: bytes) -> bool:
    """BIFF2-5 files written without an OLE wrapper start straight with a BOF record."""
    if len(head) < 4:
        return False
    record, length = struct.unpack_from("<HH", head)
    return record in _BIFF_BOF_RECORDS and 4 <= length <= 20


class _MalformedOle(Exception):
    """The compound file's structure cannot be followed; the parser will have its own say."""


class _Loop(_MalformedOle):
    """A sector chain comes back on itself: calamine would follow it round for ever (the
    directory) or until the stream's declared size, up to 4 GB (a stream)."""


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
        self.sector_count = max(0, -(-size // self.sector_size) - 1)
        self.mini_cutoff = _u32(header, 0x38)
        self.mini_fat_sectors = _u32(header, 0x40)
        self._directory_start = _u32(header, 0x30)
        self._fat_sectors = self._read_difat(header)
        self._fat_cache: tuple[int, bytes] = (-1, b"")

    def entries(self) -> Iterator[_OleEntry]:
        for sector in self._walk(self._directory_start, _OLE_MAX_DIRECTORY_SECTORS):
            block = self._sector(sector)
            for offset in range(0, self.sector_size, 128):
                entry = _directory_entry(block[offset : offset + 128])
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

    def holds(self, entry: _OleEntry) -> bool:
        """Whether the stream's sector chain ends, within the file, after at least as many
        bytes as the entry declares (a lie or a loop would make calamine read round it)."""
        sectors = sum(1 for _ in self._walk(entry.start, self.sector_count + 1))
        return sectors * self.sector_size >= entry.size

    def _read_difat(self, header: bytes) -> list[int]:
        fat_count = min(_u32(header, 0x2C), self.sector_count)
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
            if sector in seen:
                raise _Loop
            if len(seen) >= limit:
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
        if sector >= self.sector_count:
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
    name = raw[: name_size - 2].decode("utf-16-le", "replace")
    return _OleEntry(name, kind, _u32(raw, 116), _u32(raw, 120))


def check_ole(path: Path, size: int) -> str:
    """Refuse encrypted compound files, and chains the reader would follow round and round;
    otherwise say what the file holds ("ole-excel", ...)."""
    with path.open("rb") as handle:
        ole, streams, complete = _read_ole_directory(handle, size)
        # Office 2007+ encryption wraps the whole package in an OLE file with these two streams.
        if {"encryptioninfo", "encryptedpackage"} & streams.keys():
            raise RejectedFile(PASSWORD)
        book = streams.get("workbook") or streams.get("book")
        if ole is not None and book is not None:
            if biff_is_encrypted(ole.stream_prefix(book, HEAD_BYTES)):
                raise RejectedFile(PASSWORD)
            _check_chains(ole, book, streams.get("root entry"))
    if book is not None:
        return "ole-excel"
    if "worddocument" in streams:
        return "ole-word"
    if "powerpoint document" in streams:
        return "ole-powerpoint"
    return "ole" if complete else "ole-unknown"


def _check_chains(ole: _CompoundFile, book: _OleEntry, root: _OleEntry | None) -> None:
    """The book's chain must hold what it declares; a small book lives in the mini stream,
    whose container (the root entry) must then hold its size, and whose mini FAT cannot have
    more sectors than the file."""
    small = book.size < ole.mini_cutoff
    container = root if small else book
    try:
        whole = container is not None and ole.holds(container)
    except _MalformedOle:
        whole = False
    if not whole or (small and ole.mini_fat_sectors > ole.sector_count):
        raise RejectedFile(BROKEN_CHAINS)


def _read_ole_directory(
    handle: BinaryIO,
    size: int,
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
    except _Loop:
        raise RejectedFile(BROKEN_CHAINS) from None
    except _MalformedOle:
        return ole, streams, False
    return ole, streams, True


def biff_is_encrypted(data: bytes) -> bool:
    """True if the globals substream carries FILEPASS (legacy XOR/RC4 encryption).

    FILEPASS follows the BOF record, so the first few records of the stream are enough.
    """
    if not is_raw_biff(data):
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


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]
