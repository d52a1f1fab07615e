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

# --- exit codes (the README's table) -----------------------------------------------------

EXIT_OK, EXIT_GALAT, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
EXIT_INTERNAL, EXIT_OUTPUT, EXIT_LOCKED = 70, 73, 75
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143
