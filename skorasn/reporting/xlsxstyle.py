"""What the XLSX report's sheets share: formats, colours, widths, print setup and a letterhead.

Every text goes through write_string, so no cell from the data can become a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from skorasn.vocabulary import TITLE

FILLS = {
    "lanjut": "#C6EFCE",
    "tahan": "#FFEB9C",
    "berhenti": "#FFC7CE",
    "belum_dinilai": "#EDEDED",
    "periksa": "#F4B183",
}
# Bars in the charts: one strong colour per decision band, distinct in grey-scale print.
BAR_COLOURS = {"lanjut": "#2E7D32", "tahan": "#F9A825", "berhenti": "#C62828"}
LINE_HEIGHT = 15  # points per line of wrapped text
WIDEST = 60  # characters; longer text wraps within the column
A4 = 9


class Styles:
    """The formats of one workbook, made once."""

    def __init__(self, book: Any):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"bold": True, "font_size": 12})
        self.bold = book.add_format({"bold": True})
        self.note = book.add_format({"bold": True, "font_color": "#9C5700"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.count = book.add_format({"num_format": "#,##0"})
        self.count_bold = book.add_format({"num_format": "#,##0", "bold": True, "top": 1})
        self.total_label = book.add_format({"bold": True, "top": 1})
        self.top = book.add_format({"valign": "top"})
        self.score = book.add_format({"num_format": "0.00", "valign": "top"})
        self.date = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
        self.fills = {d: book.add_format({"bg_color": c}) for d, c in FILLS.items()}
        self.galat = book.add_format(
            {"bg_color": FILLS["periksa"], "text_wrap": True, "valign": "top"}
        )


def fitted_width(longest: int, least: int = 6) -> int:
    """A column as wide as its longest text, within bounds; wider text wraps."""
    return max(least, min(int(longest) + 2, WIDEST))


def fit_row(sheet: Any, row: int, cells: Iterable[tuple[str, int]]) -> None:
    """Give a row the lines its longest wrapped text needs, for (text, column width) cells:
    neither Excel nor LibreOffice grows a row written in constant-memory mode."""
    lines = max((-(-len(text) // max(width - 1, 1)) for text, width in cells), default=1)
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines)


def print_setup(sheet: Any, name: str, landscape: bool = True) -> None:
    """A4, as wide as the page, the header row on every page, page numbers in the footer."""
    if landscape:
        sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    sheet.set_header(f"&L&8{TITLE}&R&8{name}")
    sheet.set_footer("&L&8Dibuat oleh skorasn&R&8Halaman &P dari &N")
