"""A participant list laid out by hand for the terminal.

rich's Table measures every cell of every row several times over, about half a millisecond
per participant: at the 1,000 rows of a real training day that is most of a run. A list has
few columns and plain text, so its widths are worked out once here, the wide columns (names,
units, reasons) wrapped at word boundaries to share what the terminal leaves, and each line
is handed to rich as ready segments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

GAP = "  "
# A wrapped column never gets narrower than this, however narrow the terminal.
NARROWEST = 6
WIDE_CHARACTER = 2
# A longer word (a long e-mail or URL in a reason) is cut rather than widen its column.
LONGEST_KEPT = 24


@dataclass(frozen=True)
class Column:
    title: str
    right: bool = False  # numbers line up on the right
    wraps: bool = False  # may be wrapped onto several lines to fit the terminal


@dataclass
class TierList:
    """A title, a header line, and one or more lines per row; cells are plain, already
    sanitised text."""

    title: str
    title_style: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str]]
    rule: str | None = None  # drawn under the header when the terminal is fancy

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = column_widths(self.columns, self.rows, options.max_width)
        yield Text(self.title, style=self.title_style)  # a Text wraps on a narrow terminal
        for line in _row_lines([c.title for c in self.columns], self.columns, widths):
            yield Segment(line, _HEADER)
            yield Segment.line()
        if self.rule:
            yield Segment(self.rule * (sum(widths) + len(GAP) * (len(widths) - 1)), _HEADER)
            yield Segment.line()
        for row in self.rows:
            for line in _row_lines(row, self.columns, widths):
                yield Segment(line)
                yield Segment.line()


_HEADER = Style(bold=True)


def column_widths(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int
) -> list[int]:
    """Widths that fit `width` whenever it can be done, each column no wider than its widest
    cell. Narrowed in steps: first the wrapping columns down to their longest word (up to
    LONGEST_KEPT cells), then down to NARROWEST, then as far as needed, and only then the
    other columns. A cell wider than its column is wrapped, and a word wider than it is
    cut, so nothing is ever lost (rich would crop a line that is too long, without a mark)."""
    natural = [cell_len(column.title) for column in columns]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], cell_len(cell))
    room = width - len(GAP) * (len(columns) - 1)
    wrapping = {i for i, column in enumerate(columns) if column.wraps}
    longest = {i: _longest_word(columns[i].title, [row[i] for row in rows]) for i in wrapping}
    # Two cells hold any one character, a wide one (田, an emoji) included.
    least = [min(n, WIDE_CHARACTER) for n in natural]
    for floor in (
        lambda i: min(natural[i], max(NARROWEST, min(longest[i], LONGEST_KEPT))),
        lambda i: min(natural[i], NARROWEST),
        lambda i: least[i],  # the NIP, numbers and titles kept whole before any name or reason
    ):
        floors = [floor(i) if i in wrapping else natural[i] for i in range(len(columns))]
        if sum(floors) <= room:
            return _share(natural, floors, room)
    # Not even that: the wrapping columns stay at their narrowest and the others share what
    # is left, the ones that want least (No, Skor) whole first, then the NIP.
    wanted = [least[i] if i in wrapping else natural[i] for i in range(len(columns))]
    return _share(wanted, least, max(room, sum(least)))


def _share(natural: list[int], floors: list[int], room: int) -> list[int]:
    """`floors`, widened towards `natural` with what `room` leaves: the columns that want
    least are satisfied first and the rest split what remains evenly, so that a long
    Alasan does not squeeze a short Unit kerja onto two lines."""
    widths = list(floors)
    left = room - sum(floors)
    wanting = sorted((n - f, i) for i, (n, f) in enumerate(zip(natural, floors, strict=True)))
    wanting = [(want, i) for want, i in wanting if want > 0]
    for position, (want, index) in enumerate(wanting):
        given = min(want, left // (len(wanting) - position))
        widths[index] += given
        left -= given
    return widths


def _longest_word(title: str, cells: list[str]) -> int:
    return max((cell_len(word) for text in (title, *cells) for word in text.split(" ")), default=0)


def _row_lines(row: Sequence[str], columns: Sequence[Column], widths: list[int]) -> Iterator[str]:
    wrapped = [
        wrap(cell, width) if cell_len(cell) > width else [cell]
        for cell, width in zip(row, widths, strict=True)
    ]
    for depth in range(max(len(lines) for lines in wrapped)):
        cells = [lines[depth] if depth < len(lines) else "" for lines in wrapped]
        yield _line(columns, cells, widths)


def _line(columns: Sequence[Column], cells: Sequence[str], widths: list[int]) -> str:
    padded = [
        _pad(cell, width, column.right)
        for column, cell, width in zip(columns, cells, widths, strict=True)
    ]
    return GAP.join(padded).rstrip()


def _pad(cell: str, width: int, right: bool) -> str:
    space = " " * max(0, width - cell_len(cell))
    return space + cell if right else cell + space


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells, broken between words; a word
    longer than a line is cut. Always at least one line."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while cell_len(word) > width:
            if current:
                lines.append(current)
                current = ""
            head = _cut(word, width)
            lines.append(head)
            word = word[len(head) :]
        joined = f"{current} {word}" if current else word
        if cell_len(joined) <= width:
            current = joined
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def _cut(word: str, width: int) -> str:
    """The longest start of `word` that fits in `width` cells (at least one character)."""
    taken = 0
    for index, character in enumerate(word):
        taken += cell_len(character)
        if taken > width:
            return word[: max(1, index)]
    return word
