"""The fast pass over a worksheet's XML, fed the bytes the zip guard unpacks anyway.

Every writer in use (Excel, LibreOffice, Gnumeric, openpyxl, xlsxwriter, the Open XML SDK)
writes cells one way: `<c r="B12" …>` with one prefix for the whole sheet. On such a sheet a
handful of byte searches per megabyte tell all that matters, without a callback per cell:

* the row numbers of `<row r>` and the set of column letters of `<c r>` bound the box the
  reader will allocate, once a search has shown no cell lies below the rows seen so far;
* the few cells with `t="e"` or a formula without a saved result are cut out and parsed for
  real (xmlparse.parse_cell), so quotes, prefixes and `xml:space` are read as XML;
* hidden rows, hidden columns and merged ranges are picked out of their tags.

Anything else (another prefix, a cell without `r`, a comment, CDATA, a box too big on this
rough measure) makes the scan step aside: `irregular` is set and sheetparse reads the sheet
with a real parser instead. The fast pass never has to be right about an odd sheet, only to
notice it is odd.
"""

from __future__ import annotations

import re
from array import array

from skorasn.formatting import column_letter
from skorasn.models import ZipLimits
from skorasn.reading.sheetfacts import (
    SheetFacts,
    check_text,
    parse_range,
    parse_ref,
    text_budget,
)
from skorasn.reading.xmlparse import parse_cell, unusual_markup

_BLOCK = 1 << 20
# More than this without a place to cut (a row end, a cell end) is not a sheet a writer made.
_MAX_CARRY = 16 << 20
_MAX_HEAD = 16 << 20
# The shortest cell that can point at a shared string: <c r="A1" t="s"><v>0</v></c>.
_SHORTEST_STRING_CELL = 28
# Times one block may widen the box; a sheet written in order widens it once per new column.
_MAX_WIDENINGS = 256

_NAME = rb"[^\s<>/!?:=\"']+"
_SHEET_DATA = re.compile(rb"<(" + _NAME + rb":)?sheetData(?:\s[^>]*)?(/?)>")
_COLUMN_TAG = re.compile(rb"<(?:" + _NAME + rb":)?col\s([^>]*)>")
_ATTRIBUTE = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_MERGE = re.compile(rb"mergeCell\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
# No \b in front: it would cost the search its fast scan for the literal 't'.
_ERROR_TYPE = re.compile(rb"t\s*=\s*[\"']e[\"']")
_STRING_TYPE = re.compile(rb"t\s*=\s*[\"']s[\"']")
_HIDDEN = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']")


class Irregular(Exception):
    """The sheet is not written the common way; the careful parser must read it."""


class SheetScan:
    """Consumes a sheet's XML chunk by chunk; `close()` leaves the facts filled in, or
    `irregular` set. Raises RejectedFile for what no careful reading could excuse."""

    def __init__(
        self,
        facts: SheetFacts,
        limits: ZipLimits,
        strings: array[int] | None = None,
        part_size: int = 0,
    ):
        self.facts = facts
        self.limits = limits
        self.strings = strings if strings is not None else array("I")
        longest = max(self.strings, default=0)
        # Counting each cell's shared string costs a search per cell; only worth it when the
        # rough bound (every possible string cell holding the longest string) is too high.
        self.exact_text = part_size // _SHORTEST_STRING_CELL * longest > text_budget(limits)
        self.irregular = False
        self.fragments = 0  # cells parsed for real: a measure of the work done
        self.scanned = 0
        self._pending = bytearray()
        self._stage = self._head
        self._patterns: _Patterns | None = None
        self._max_row = -1
        self._max_col = -1
        self._expanded = 0

    def feed(self, chunk: bytes) -> None:
        if self.irregular:
            return
        self._pending += chunk
        self.scanned += len(chunk)
        if len(self._pending) >= _BLOCK:
            self._run(final=False)

    def close(self) -> None:
        if not self.irregular:
            self._run(final=True)
        if not self.irregular:
            self._finish()

    def _run(self, final: bool) -> None:
        try:
            while self._pending and self._stage(final):
                pass
        except Irregular:
            self.irregular = True
            self._pending = bytearray()
        if final and self._stage != self._tail:
            self.irregular = True  # no </sheetData>: cut short, or no cells at all

    # --- stages: each consumes what it can from _pending and says whether to go on ------------

    def _head(self, final: bool) -> bool:
        found = _SHEET_DATA.search(self._pending)
        if found is None:
            if len(self._pending) > _MAX_HEAD:
                raise Irregular
            return False
        head = bytes(self._pending[: found.start()])
        if unusual_markup(head):
            raise Irregular  # a <sheetData> in a comment would start the scan in the wrong place
        self._hidden_columns(head)
        self._patterns = _Patterns(found.group(1) or b"")
        del self._pending[: found.end()]
        self._stage = self._tail if found.group(2) else self._body
        return True

    def _body(self, final: bool) -> bool:
        assert self._patterns is not None
        end = self._pending.find(self._patterns.sheet_data_end)
        if end >= 0:
            self._block(bytes(self._pending[:end]))
            del self._pending[: end + len(self._patterns.sheet_data_end)]
            self._stage = self._tail
            return True
        cut = self._patterns.cut(self._pending)
        if cut <= 0:
            if final or len(self._pending) > _MAX_CARRY:
                raise Irregular
            return False
        self._block(bytes(self._pending[:cut]))
        del self._pending[:cut]
        return not final

    def _tail(self, final: bool) -> bool:
        cut = len(self._pending) if final else self._pending.rfind(b">") + 1
        for match in _MERGE.finditer(self._pending, 0, cut):
            self.facts.note_merge(parse_range(match.group(1).decode("ascii", "replace")))
        del self._pending[:cut]
        return False

    # --- one block of whole rows --------------------------------------------------------------

    def _block(self, block: bytes) -> None:
        patterns = self._patterns
        assert patterns is not None
        if (b"!" in block and b"<!" in block) or (b"?" in block and b"<?" in block):
            raise Irregular  # a comment, CDATA or processing instruction: let a parser read it
        if patterns.foreign.search(block):
            raise Irregular  # another prefix, or none where the sheet uses one
        self._max_row = max(self._max_row, patterns.last_row(block))
        self._widen(block)
        self._errors(block)
        if _HIDDEN.search(block):  # LibreOffice writes hidden="false" on every row
            for match in patterns.hidden_rows.finditer(block):
                row = int(match.group(1)) - 1
                self.facts.note_hidden_rows(row, row)
        if self.exact_text:
            self._count_text(block)

    def _widen(self, block: bytes) -> None:
        """Find the cells outside the box seen so far, widening it to each; in the usual
        sheet only the first row widens it, and the rest of the block is one search."""
        assert self._patterns is not None
        position = 0
        for _ in range(_MAX_WIDENINGS):
            outside = self._patterns.outside(self._max_row, self._max_col)
            found = outside.search(block, position)
            if found is None:
                return
            if found.group(1) is not None:
                raise Irregular  # a cell without r first, or r not a plain reference
            row, col = self._patterns.reference(block, found.start())
            self._max_row, self._max_col = max(self._max_row, row), max(self._max_col, col)
            position = found.start()
        raise Irregular  # cells far out of order: a parser can sort that out

    def _errors(self, block: bytes) -> None:
        assert self._patterns is not None
        for pattern in (_ERROR_TYPE, *self._patterns.uncached):
            for mark in pattern.finditer(block):
                self._error_at(block, mark.start())

    def _error_at(self, block: bytes, position: int) -> None:
        assert self._patterns is not None
        fragment = self._patterns.cell_around(block, position)
        if fragment is None:
            return  # the mark is not inside a cell: text, or another element's attribute
        self.fragments += 1
        cell = parse_cell(fragment)
        if cell is None or cell.ref is None:
            raise Irregular
        error = cell.error()
        if error is None:
            return
        try:
            row, col = parse_ref(cell.ref)
        except ValueError:
            raise Irregular from None
        if col is None:
            raise Irregular
        self.facts.note_error(row, col, error)

    def _count_text(self, block: bytes) -> None:
        assert self._patterns is not None
        indexes = self._patterns.string_cells.findall(block)
        if len(indexes) != len(_STRING_TYPE.findall(block)):
            raise Irregular  # a string cell written some other way: count it with a parser
        lengths, count = self.strings, len(self.strings)
        self._expanded += sum(lengths[i] for i in map(int, indexes) if i < count)
        check_text(self.facts, self._expanded, self.limits)

    def _hidden_columns(self, head: bytes) -> None:
        for tag in _COLUMN_TAG.finditer(head):
            attrs = {name: double or single for name, double, single in _ATTRIBUTE.findall(tag[1])}
            if attrs.get(b"hidden") not in (b"1", b"true"):
                continue
            try:
                first, last = int(attrs.get(b"min", b"")), int(attrs.get(b"max", b""))
            except ValueError:
                raise Irregular from None
            if 1 <= first <= last:
                self.facts.note_hidden_cols(first - 1, last - 1)

    def _finish(self) -> None:
        """The box from A1 to the lowest row and widest column seen: an upper bound of what the
        reader will build. Too big on this measure is not yet a refusal: the parser decides."""
        if self._max_col < 0:
            return
        self.facts.first_row, self.facts.last_row = 0, self._max_row
        self.facts.last_col = self._max_col
        if self.facts.area() > self.limits.max_cells:
            self.irregular = True


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


class _Patterns:
    """The searches for one sheet, built for the prefix its `<sheetData>` uses."""

    def __init__(self, prefix: bytes):
        p = re.escape(prefix)
        self.prefix = p
        self.sheet_data_end = b"</" + prefix + b"sheetData>"
        local = rb"(?:c|row|v|f|is)[\s/>]"
        if prefix:  # any element of these names with no prefix or another one
            self.foreign = re.compile(rb"(?:<|(?<![</]" + p[:-1] + rb"):)" + local)
        else:
            self.foreign = re.compile(rb":" + local)
        self.hidden_rows = re.compile(
            rb"<" + p + rb"row r=\"([0-9]+)\"[^>]*?\shidden\s*=\s*[\"'](?:1|true)[\"']"
        )
        value = rb"(?:<" + p + rb"v(?:\s[^>]*)?/>|<" + p + rb"v(?:\s[^>]*)?>\s*</" + p + rb"v>)"
        after_formula = rb"\s*(?:</" + p + rb"c>|" + value + rb")"
        # Two searches, each starting with its own literal, run faster than one alternation.
        self.uncached = (
            re.compile(rb"</" + p + rb"f>" + after_formula),
            re.compile(rb"<" + p + rb"f(?:\s[^>]*)?/>" + after_formula),
        )
        plain = rb"(?: [a-z]+=\"[^\"]*\")*"
        self.string_cells = re.compile(
            rb"<"
            + p
            + rb"c r=\"[A-Z]{1,3}[0-9]+\""
            + plain
            + rb" t=\"s\""
            + plain
            + rb">\s*<"
            + p
            + rb"v>([0-9]+)</"
            + p
            + rb"v>"
        )
        self._start_tag = re.compile(
            rb"<" + p + rb"c(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(/?)>"
        )
        self._last_row = re.compile(rb"<" + p + rb"row r=\"([0-9]{1,7})\"")
        self._reference = re.compile(rb"<" + p + rb"c r=\"([A-Z]{1,3})([0-9]{1,7})\"")
        self._row_tag = b"<" + prefix + b"row r="
        self._row_end = b"</" + prefix + b"row>"
        self._cell_end = b"</" + prefix + b"c>"
        self._cell_start = b"<" + prefix + b"c "

    def outside(self, max_row: int, max_col: int) -> re.Pattern[bytes]:
        """A cell not written `<c r="A1"` (group 1 matches), or one right of column `max_col`
        or below row `max_row` (0-based) as its reference reads."""
        columns = b"[A-Z]+"
        if max_col >= 0:
            columns = _beyond(column_letter(max_col).encode(), b"A", b"Z")
        rows = _beyond(str(max_row + 1).encode(), b"0", b"9")
        return re.compile(
            rb"<"
            + self.prefix
            + rb"c(?:(?=[\s/>])(?! r=\"[A-Z]{1,3}[0-9])()"
            + rb"| r=\"(?:"
            + columns
            + rb")[0-9]| r=\"[A-Z]{1,3}(?:"
            + rows
            + rb")\")"
        )

    def last_row(self, block: bytes) -> int:
        """The 0-based number of the last `<row r>` in the block (-1 if none): in a sheet
        written in order, the lowest row; `outside` checks every cell against it anyway."""
        found = self._last_row.match(block, max(block.rfind(self._row_tag), 0))
        return int(found.group(1)) - 1 if found else -1

    def reference(self, block: bytes, start: int) -> tuple[int, int]:
        found = self._reference.match(block, start)
        if found is None:
            raise Irregular  # a row number longer than the grid's
        return int(found.group(2)) - 1, _column(found.group(1))

    def cut(self, pending: bytearray) -> int:
        """Where a block of whole rows (or at least whole cells) ends in `pending`; 0 if none."""
        for end in (self._row_end, self._cell_end):
            at = pending.rfind(end)
            if at >= 0:
                return at + len(end)
        return 0

    def cell_around(self, block: bytes, position: int) -> bytes | None:
        """The whole `<c>` element containing `position`, or None if there is none."""
        start = block.rfind(self._cell_start, 0, position)
        tag = self._start_tag.match(block, start) if start >= 0 else None
        if tag is None:
            return None
        if tag.group(1):
            end = tag.end()
        else:
            close = block.find(self._cell_end, tag.end())
            end = close + len(self._cell_end) if close >= 0 else -1
        return block[start:end] if start < position < end else None


def _beyond(text: bytes, low: bytes, high: bytes) -> bytes:
    """A regex for the strings over [low-high] that sort after `text` when shorter strings
    sort first: longer ones, or as long and larger at the first place they differ."""
    branches = [b"[%s-%s]{%d,}" % (low, high, len(text) + 1)]
    for i, char in enumerate(text):
        if char < high[0]:
            rest = b"[%s-%s]{%d}" % (low, high, len(text) - i - 1)
            branches.append(re.escape(text[:i]) + b"[%c-%s]" % (char + 1, high) + rest)
    return b"|".join(branches)
