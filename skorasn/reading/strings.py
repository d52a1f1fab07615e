"""The shared-string table of an xlsx (xl/sharedStrings.xml), measured before the reader
trusts it.

calamine reserves room for as many strings as `<sst uniqueCount>` declares (4294967295 in
a 2 KB file aborts the process) and then copies a string into every cell that uses it. So
the declared and the real count are bounded, and the length of every string is kept for
sheetscan and sheetparse to bound the copies.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterator

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.refusals import RESAVE
from skorasn.reading.sheetfacts import HOSTILE, check_count
from skorasn.reading.xmlparse import feed, local, new_parser, unusual_markup

_CHUNK = 1 << 20
_ROOT_WITHIN = 1 << 16
# A string longer than this is not a cell of a score sheet: Excel stops at 32,767 characters.
_MAX_STRING_BYTES = 1 << 20
_ROOT = re.compile(rb"<([^\s<>/!?:=\"']+:)?sst(\s[^>]*)?>")
_COUNT = re.compile(rb"\buniqueCount\s*=\s*[\"']\s*([0-9]*)")
_WHAT = "teks bersama (xl/sharedStrings.xml)"


def shared_string_lengths(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits
) -> array[int]:
    """Bytes of markup each `<si>` takes, in order: a bound on the text it holds."""
    lengths = _scan(member_chunks(archive, info), limits)
    if lengths is None:  # written some unusual way: measure it with a parser
        lengths = _parse(member_chunks(archive, info), info.filename, limits)
    return lengths


def member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes a megabyte at a time (zipfile stops at the size the directory
    declares, which the guard has bounded)."""
    with archive.open(info) as stream:
        yield from iter(lambda: stream.read(_CHUNK), b"")


def _scan(chunks: Iterator[bytes], limits: ZipLimits) -> array[int] | None:
    lengths: array[int] = array("I")
    pending = b""
    end = foreign = None
    for chunk in chunks:
        pending += chunk
        if end is None:
            root = _ROOT.search(pending)
            if root is None:
                if len(pending) > _ROOT_WITHIN:
                    return None
                continue
            if unusual_markup(pending[: root.start()]):
                return None  # the root found may sit inside a comment: let a parser find it
            _check_declared(root.group(2) or b"", limits)
            prefix = root.group(1) or b""
            end = b"</" + prefix + b"si>"
            other = re.escape(prefix[:-1])
            foreign = re.compile(
                rb"(?:<|(?<![</]" + other + rb"):)si[\s/>]" if prefix else rb":si[\s/>]"
            )
            pending = pending[root.end() :]
        assert foreign is not None
        if b"<!" in pending or b"<?" in pending or foreign.search(pending):
            return None
        pieces = pending.split(end)
        pending = pieces.pop()
        lengths.extend(len(piece) + len(end) for piece in pieces)
        _check_sizes(lengths, max(map(len, pieces), default=0), limits)
        _check_sizes(lengths, len(pending), limits)
    return lengths


def _check_declared(attributes: bytes, limits: ZipLimits) -> None:
    declared = _COUNT.search(attributes)
    if declared is not None and declared.group(1):
        check_count(f"{_WHAT} yang dinyatakan", int(declared.group(1)), limits)


def _check_sizes(lengths: array[int], longest: int, limits: ZipLimits) -> None:
    check_count(_WHAT, len(lengths), limits)
    if longest > _MAX_STRING_BYTES:
        raise RejectedFile(
            f"ada {_WHAT} yang lebih panjang dari 1 MB, jauh di atas batas isi satu sel; "
            f"{HOSTILE} — {RESAVE}"
        )


def _parse(chunks: Iterator[bytes], part: str, limits: ZipLimits) -> array[int]:
    lengths: array[int] = array("I")
    parser = new_parser()
    opened = [-1]

    def start(name: str, attrs: dict[str, str]) -> None:
        kind = local(name)
        if kind == "si":
            opened[0] = parser.CurrentByteIndex
        elif kind == "sst" and "uniqueCount" in attrs:
            _check_declared(f'uniqueCount="{attrs["uniqueCount"]}"'.encode(), limits)

    def end(name: str) -> None:
        if local(name) == "si" and opened[0] >= 0:
            lengths.append(parser.CurrentByteIndex - opened[0])
            opened[0] = -1
            _check_sizes(lengths, lengths[-1], limits)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    feed(parser, chunks, part)
    return lengths
