"""Write the Gnumeric fixtures: an openpyxl source converted by Gnumeric's ssconvert.

    python tests/data/buat_gnumeric.py          # needs ssconvert (package gnumeric)

The source is a score sheet as a trainer keeps it: a title row, a blank row, the header on
row 3, NIPs as text, decimal scores, a date column, row 6 hidden, and the unit kerja of rows
7 and 8 merged into one cell. ssconvert writes `gnumeric_dasar.ods` (indented content.xml,
which python-calamine 0.9 refuses) and `gnumeric_dasar.xlsx` (indented, inline strings).
The expected reading is GNUMERIC_ROWS below; tests import it rather than copy it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ("NIP", "Nama", "Unit Kerja", "Tanggal", "Skor")
# (NIP, name, unit kerja, date, score, decision): row 4 onwards of sheet "Dasar".
GNUMERIC_ROWS = (
    ("198001012005011001", "Ani Lestari", "Dinas Kominfo", dt.date(2025, 11, 7), 9.5, "lanjut"),
    ("198505152010012002", "Budi Santoso", "Dinas Kominfo", dt.date(2025, 11, 7), 7.25, "tahan"),
    ("199012312015031003", "Citra Dewi", "Bappeda", dt.date(2025, 11, 7), 4.0, "berhenti"),
    ("197703032002121004", "Dedi Kurnia", "BKPSDM", dt.date(2025, 11, 8), 9.0, "lanjut"),
    ("198811112012012005", "Euis Sartika", "BKPSDM", dt.date(2025, 11, 8), 6.5, "tahan"),
)
HIDDEN_ROW = 6
MERGED = "C7:C8"


def build_source(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["DAFTAR NILAI PELATIHAN AI — TAHAP DASAR"])
    sheet.append([])
    sheet.append(list(HEADER))
    for nip, name, unit, date, score, _ in GNUMERIC_ROWS:
        sheet.append([nip, name, unit, date, score])
    for cells in sheet.iter_rows(min_row=4, max_col=1):
        cells[0].number_format = "@"
    for cells in sheet.iter_rows(min_row=4, min_col=4, max_col=4):
        cells[0].number_format = "dd/mm/yyyy"
    sheet.row_dimensions[HIDDEN_ROW].hidden = True
    sheet.merge_cells(MERGED)
    book.save(path)
    return path


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        source = build_source(Path(folder) / "sumber.xlsx")
        for suffix in (".ods", ".xlsx"):
            target = HERE / f"gnumeric_dasar{suffix}"
            subprocess.run(["ssconvert", str(source), str(target)], check=True)
            print(f"ditulis: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
