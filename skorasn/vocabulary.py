"""The words and constants of skorasn, each defined once.

This module imports nothing from skorasn and nothing heavy: every layer may use it.
"""

from __future__ import annotations

from typing import Literal

# --- stages ------------------------------------------------------------------------------

DASAR, LANJUTAN_1, LANJUTAN_2 = "dasar", "lanjutan_1", "lanjutan_2"
STAGES = (DASAR, LANJUTAN_1, LANJUTAN_2)
STAGE_NAMES = {DASAR: "dasar", LANJUTAN_1: "lanjutan 1", LANJUTAN_2: "lanjutan 2"}
SHEET_NAMES = {DASAR: "Dasar", LANJUTAN_1: "Lanjutan 1", LANJUTAN_2: "Lanjutan 2"}
NEXT_STAGE = {DASAR: LANJUTAN_1, LANJUTAN_1: LANJUTAN_2}
NO_STAGE = "tanpa_tahap"
NO_STAGE_SHEET = "Tanpa Tahap"

# --- decisions ---------------------------------------------------------------------------

LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA = "lanjut", "tahan", "berhenti", "belum_dinilai", "periksa"
DECISIONS = (LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA)
# The decisions taken by the score alone: only these are counted in a score distribution.
DECIDED_BY_SCORE = (LANJUT, TAHAN, BERHENTI)
DECISION_LABELS = {
    LANJUT: "lanjut",
    TAHAN: "tahan",
    BERHENTI: "berhenti",
    BELUM: "belum dinilai",
    PERIKSA: "periksa",
}

# --- problems ----------------------------------------------------------------------------

Level = Literal["galat", "peringatan"]
GALAT: Level = "galat"
PERINGATAN: Level = "peringatan"

# --- summaries ---------------------------------------------------------------------------

BUCKETS = tuple(str(score) for score in range(10, -1, -1))
NO_ESELON = "(tanpa eselon)"
NO_UNIT = "(tanpa unit kerja)"

# --- reports -----------------------------------------------------------------------------

TITLE = "Rekap Nilai Pelatihan Pemanfaatan AI — ASN Pemkot Sukabumi"
COMBINE_METHODS = ("rata-rata", "median", "minimum")
CONFIG_FILE_NAME = "skorasn.toml"

# --- reading -----------------------------------------------------------------------------

# How far down a sheet the header row is looked for (titles and merged cells sit above it).
HEADER_SEARCH_ROWS = 20
# A row whose label starts with one of these (after folding) closes the table.
FOOTER_WORDS = ("jumlah", "total", "ratarata", "rerata", "rekapitulasi")
# skorasn's own instructions sheet in the trainers' template: its name and the text in A1.
INSTRUCTIONS_SHEET = "Petunjuk"
INSTRUCTIONS_MARKER = "PETUNJUK PENGISIAN LEMBAR NILAI (templat skorasn)"

MB = 1024 * 1024
# The input columns by the words a sheet's header uses for them.
FIELD_WORDS = {"nip": "NIP", "nama": "Nama", "eselon": "Eselon", "unit_kerja": "Unit Kerja",
               "jabatan": "Jabatan", "skor": "Skor", "tahap": "Tahap", "tanggal": "Tanggal",
               "keterangan": "Keterangan"}  # fmt: skip
# The columns that decide: where two columns both mean one of these and disagree, the row
# cannot be decided.
DECIDING_FIELDS = ("nip", "skor", "tahap", "tanggal")
# The most text one Excel cell holds, in UTF-16 units; longer text is cut in an XLSX report.
EXCEL_CELL_TEXT = 32_767
# A NIP stored as a number keeps Excel's 15 significant digits: enough to point at the people
# it may be (born the same day, same TMT and gender), never enough to name one.
NIP_LEGIBLE_DIGITS = 15

# Characters that take no room on screen and that people paste in without seeing them:
# zero-width, bidirectional controls, word joiners, the BOM and the soft hyphen.
INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Spaces other than ' ': no-break, figure, narrow, ideographic and the typographic ones.
SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
# skorasn's own reports are recognised so that they are never read back as score sheets: by
# this document property in every XLSX report, and by the CSV export's header
# (models.REPORT_CSV_COLUMNS).
REPORT_PROPERTY = "skorasn_laporan"

# --- exit codes (the README's table) -----------------------------------------------------

EXIT_OK, EXIT_GALAT, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
EXIT_INTERNAL, EXIT_OUTPUT, EXIT_LOCKED = 70, 73, 75
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143
