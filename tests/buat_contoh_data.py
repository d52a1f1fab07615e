"""Generate the sample data in ``contoh_data/`` (deterministic: same bytes on every run).

Run from anywhere::

    python tests/buat_contoh_data.py            # writes into contoh_data/
    python tests/buat_contoh_data.py --keluar DIR

It writes three files:

* ``nilai_pelatihan_ai_2025.xlsx`` -- openpyxl; sheets "Petunjuk" (instructions, no table),
  "Dasar", "Lanjutan I", "Lanjutan II". Each stage sheet has 3 merged title rows and a blank
  row above the header on row 5, data from row 6, then a JUMLAH row and a signature block.
  Columns: A No | B NIP | C Nama Peserta | D Eselon | E Unit Kerja | F Jabatan | G Tanggal |
  H Skor Pelatih 1 | I Skor Pelatih 2 | J Nilai Akhir | K Keterangan.
  Nilai Akhir = mean of H and I rounded to 2 decimals (number format ``0.00``).
* ``nilai_pelatihan_ai_2025.csv`` -- the same data rows (no titles, no footer) as one table with
  a leading ``Tahap`` column, the way Excel with an Indonesian locale saves "CSV UTF-8": BOM,
  ``;`` delimiter, CRLF, decimal commas, dates ``dd/mm/yyyy``, every cell as displayed
  (``0.00`` shows ``8,50``; a General-format 18-digit number shows ``1,98001E+17``). Because of
  the ``Tahap`` column every CSV column letter is one to the right of the workbook's (NIP is
  C, Nilai Akhir K, Keterangan L).
* ``MASALAH_SENGAJA.md`` -- the list below, in Indonesian, for people reading the README.

The module is importable (``build_dataset()``, ``DELIBERATE_PROBLEMS``, ``problem_cells()``,
``TOTALS``) so tests can use the exact rows and expected decisions instead of re-deriving them.

The rules (the product specification; ``apply_spec()`` implements them on the generator's own
knowledge of every cell and fills ``Row.expected`` / ``Row.findings``):

* keputusan: score >= 9 ``lanjut``; <= 5 ``berhenti`` (never taken along again); otherwise
  ``tahan``; blank score ``belum_dinilai``; NIP, score or stage invalid ``periksa``.
* NIP: text; spaces, dots, dashes and a leading apostrophe are removed; it must then be 18
  digits, else a galat and ``periksa``. A NIP stored as a NUMBER is a galat (``periksa``). A
  name and a score without a NIP is a galat (``periksa``). An impossible birth date (digits
  1-8) or a 15th digit other than 1/2 is only a peringatan: the score still decides.
* A score cell that is not a number, is outside 0-10, or holds an Excel error (``#N/A``) is a
  galat (``periksa``), never ``belum_dinilai``. Nilai Akhir decides when filled, else the mean
  of the trainer columns (2 decimals); a blank trainer score next to filled ones is a
  peringatan.
* Same NIP twice in one stage on the same date (or without a date): BOTH rows ``periksa``,
  each with a galat "duplikat". On different dates (a retake) the latest attempt decides and
  the earlier ones are kept in its ``riwayat`` (no record of their own); an earlier
  ``berhenti`` attempt makes the latest ``periksa`` (galat).
* Lanjutan I needs ``lanjut`` at Dasar, Lanjutan II needs ``lanjut`` at Lanjutan I. Stopped
  (``berhenti``) at any earlier stage -> ``periksa`` + galat "disetop di tahap dasar (skor 4,5)
  — tidak boleh diikutkan lagi"; earlier ``tahan``/``belum_dinilai``/``periksa`` -> ``periksa``
  + galat "belum lulus tahap ..."; no record at the previous stage -> decided by the score +
  peringatan.
* A hand-written Keterangan (LULUS/LANJUT/NAIK -> lanjut; ULANG/TAHAN -> tahan; TIDAK LULUS/
  GUGUR/BERHENTI/DISETOP -> berhenti) that disagrees with the rule is a galat; the rule's
  decision stands.

ORACLE: deliberate problems (code -- cell -- level -- decision)
===============================================================
Workbook cells are ``Sheet!Cell``; "CSV n" is the physical line number in the .csv (line 1 is
the header). Every problem exists in both files. For the three score problems (5, 11, 13) the
bad value is in Nilai Akhir (column J) and the trainer cells H/I of that row are EMPTY, so the
bad cell is the row's only score, whichever columns a reader takes the score from.

 1. NIP_ANGKA -- ``Dasar!B17`` (No 12, CSV 13) -- galat -- ``periksa``. The NIP is a NUMBER,
    198005142006041000: Excel kept 15 significant digits of 198005142006041007. The CSV holds
    the displayed text ``1,98005E+17``. No usable NIP (by score alone 7.75 = tahan).
 2. NIP_17_DIGIT -- ``Dasar!B39`` (No 34, CSV 35) -- galat -- ``periksa``.
    ``19871108201012003`` has 17 digits (by score alone 8.25 = tahan).
 3. NIP_TANGGAL_LAHIR -- ``Dasar!B64`` (No 59, CSV 60) -- peringatan -- ``tahan``.
    ``198213072008012004``: month 13 in the birth-date part; the score 6.75 decides.
 4. NIP_KOSONG -- ``Dasar!B93`` (No 88, CSV 89) -- galat -- ``periksa``: "Nandang Supriatna,
    S.T.", Nilai Akhir 9.50, NIP cell empty (by score: lanjut); not in Lanjutan I.
 5. SKOR_DI_LUAR_RENTANG -- ``Dasar!J110`` (No 105, CSV 106) -- galat -- ``periksa``: ``11``.
 6. NIP_GANDA -- ``Dasar!B51`` and ``Dasar!B128`` (No 46 and 123, CSV 47 and 124) -- galat
    "duplikat" on EACH row -- both ``periksa``. NIP 199203172019032011 twice on the same date
    07/10/2025 with identical data (8 / 8.5 -> 8.25), a copy-paste duplicate. The person is not
    in Lanjutan I (8.25 is below 9), so nothing follows from it there.
 7. ULANG_TAHAP (retake, NOT a problem: no masalah) -- ``Dasar!B76`` (No 71, 07/10/2025, 7.00)
    and ``Dasar!B157`` (No 152, 21/10/2025, 9.00), NIP 197706222003121003. Other date, so not a
    duplicate: the latest attempt decides -> ``lanjut``; the 7.00 attempt (``tahan``) is in its
    ``riwayat``. The person is in Lanjutan I at ``Lanjutan I!B43`` (scores 5 -> ``berhenti``).
 8. KETERANGAN_BERTENTANGAN -- ``Dasar!K31`` (No 26, CSV 27) -- galat -- ``tahan``: "LULUS"
    next to 7.00; the rule stands.
 9. KETERANGAN_BERTENTANGAN -- ``Dasar!K137`` (No 132, CSV 133) -- galat -- ``lanjut``:
    "TIDAK LULUS" next to 9.25 (the person is in Lanjutan I).
10. SUDAH_BERHENTI -- ``Lanjutan I!B42`` (No 37, CSV 190) -- galat -- ``periksa``, NIP
    196907252000032001: 4.50 at Dasar (``Dasar!J147``, ``berhenti``) but listed again in
    Lanjutan I with 10.00. Galat "disetop di tahap dasar (skor 4,5) — tidak boleh diikutkan
    lagi"; not in Lanjutan II.
11. SKOR_TEKS -- ``Lanjutan I!J23`` (No 18, CSV 171) -- galat -- ``periksa``: Nilai Akhir is
    the text "sembilan"; not in Lanjutan II.
12. KETERANGAN_BERTENTANGAN -- ``Lanjutan I!K13`` (No 8, CSV 161) -- galat -- ``berhenti``:
    "ULANG" next to 4.50.
13. SKOR_GALAT -- ``Lanjutan II!J12`` (No 7, CSV 198) -- galat -- ``periksa``: an Excel error
    cell ``#N/A`` (``t="e"`` in the sheet XML; text ``#N/A`` in the CSV). Not blank.

Knock-on effects across stages: none of the Dasar rows that end ``periksa`` (1, 2, 4, 5, 6)
belongs to a person listed in Lanjutan I, and the ``periksa`` rows of Lanjutan I (10, 11) are
not in Lanjutan II, so no further "belum lulus" galat is expected; ``apply_spec()`` would
produce them if the data changed.

Not problems, but things a reader must normalise (no masalah unless stated):
 * sheet "Petunjuk" has no table: skip it WITH a peringatan;
 * title rows 1-3 (merged A:K) and blank row 4 above the header on row 5; below each table the
   JUMLAH row (``A:B`` merged "JUMLAH", C "152 orang", I "Rata-rata", J a number) and the
   signature block in I:K (including the text "NIP. 197005121995031002") are not participants;
 * NIPs typed with spaces ("19700916 199504 2 006") at Dasar!B38, B50, B98, B119, B122, B127
   and Lanjutan I!B9; a leading apostrophe (a literal ``'`` in the cell text) at ``Dasar!B8``
   (a ``lanjut`` participant who is in Lanjutan I without it);
 * Nilai Akhir typed as text with a decimal comma at Dasar!J55 "5,25", J81 "5,5", J91 "8,5",
   J141 "9,25" (lanjut: goes on), J156 "7,75"; Lanjutan I!J11 "7", J26 "8,5";
   Lanjutan II!J8 "6,5";
 * Tanggal typed as text "dd/mm/yyyy" at Dasar!G27, G48, G94, G116; Lanjutan I!G18, G31;
   Lanjutan II!G18, G19 (day first: "07/10/2025" is 7 October);
 * Eselon written as "III.a", "III/a", "IIIA", "IV b", "IV.B", ...;
 * 5 Dasar rows not yet scored (H, I, J empty): Dasar rows 13, 58, 67, 70, 89 ->
   ``belum_dinilai``.

Totals per stage (``TOTALS``; one participant record per NIP and stage, the superseded retake
attempt is not a record, both duplicate rows are): Dasar 152 rows = 151 records: 37 lanjut,
72 tahan, 31 berhenti, 5 belum_dinilai, 6 periksa; Lanjutan I 38 rows/records: 14 lanjut,
15 tahan, 7 berhenti, 2 periksa; Lanjutan II 14 rows/records: 7 lanjut, 4 tahan, 2 berhenti,
1 periksa.

If you change the data, the generator checks these cells (``DELIBERATE_PROBLEMS``), the
decisions and levels in it, and ``TOTALS`` against what ``apply_spec()`` derives from the rows
it actually wrote, and stops with an error when they drift; then update this docstring.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter

SEED = 20251107
FIXED_TIMESTAMP = dt.datetime(2025, 11, 7, 8, 0, 0)
ZIP_TIMESTAMP = (2025, 11, 7, 8, 0, 0)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "contoh_data"
XLSX_NAME = "nilai_pelatihan_ai_2025.xlsx"
CSV_NAME = "nilai_pelatihan_ai_2025.csv"
MD_NAME = "MASALAH_SENGAJA.md"

STAGES = ("Dasar", "Lanjutan I", "Lanjutan II")
HEADER = (
    "No",
    "NIP",
    "Nama Peserta",
    "Eselon",
    "Unit Kerja",
    "Jabatan",
    "Tanggal",
    "Skor Pelatih 1",
    "Skor Pelatih 2",
    "Nilai Akhir",
    "Keterangan",
)
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
COL = {name: get_column_letter(i + 1) for i, name in enumerate(HEADER)}

LANJUT_MIN = 9.0
BERHENTI_MAKS = 5.0

# The keputusan words of the specification (skorasn's JSON uses exactly these).
LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA = "lanjut", "tahan", "berhenti", "belum_dinilai", "periksa"
DECISIONS = (LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA)
GALAT, PERINGATAN = "galat", "peringatan"
# Sheet name -> the tahap key skorasn reports; CSV columns (a leading "Tahap" column).
STAGE_KEYS = {"Dasar": "dasar", "Lanjutan I": "lanjutan_1", "Lanjutan II": "lanjutan_2"}
STAGE_LABELS = {"Dasar": "dasar", "Lanjutan I": "lanjutan 1", "Lanjutan II": "lanjutan 2"}
CSV_HEADER = ("Tahap", *HEADER)
CSV_COL = {name: get_column_letter(i + 1) for i, name in enumerate(CSV_HEADER)}

# Each deliberate problem: code; the workbook cells ("sel") and CSV lines ("baris_csv", same
# order); the masalah level skorasn must report at EACH of those cells ("tingkat"; None = not
# a problem, no masalah expected); optionally a text the masalah must contain ("pesan_memuat");
# the keputusan of the participant record of that row ("keputusan"; for ULANG_TAHAP the latest
# attempt's, the earlier one lives in "riwayat"); what the score alone would give; a message
# in Indonesian for MASALAH_SENGAJA.md. "rujukan" cells are other rows the message mentions.
# Everything here is checked against apply_spec() on the written rows at generation time.
DELIBERATE_PROBLEMS: list[dict[str, object]] = [
    {
        "kode": "NIP_ANGKA",
        "sel": ["Dasar!B17"],
        "baris_csv": [13],
        "tingkat": GALAT,
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": TAHAN,
        "pesan": "NIP tersimpan sebagai angka (198005142006041000); Excel membuang digit "
        "terakhir dari 198005142006041007. Galat: ketik ulang sebagai teks. Baris tidak "
        "dapat dicocokkan antartahap (menurut skor saja: tahan).",
    },
    {
        "kode": "NIP_17_DIGIT",
        "sel": ["Dasar!B39"],
        "baris_csv": [35],
        "tingkat": GALAT,
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": TAHAN,
        "pesan": "NIP 19871108201012003 hanya 17 digit; NIP harus 18 digit. Galat (menurut skor "
        "saja: tahan).",
    },
    {
        "kode": "NIP_TANGGAL_LAHIR",
        "sel": ["Dasar!B64"],
        "baris_csv": [60],
        "tingkat": PERINGATAN,
        "keputusan": TAHAN,
        "keputusan_menurut_skor": TAHAN,
        "pesan": "NIP 198213072008012004: bulan lahir 13 tidak mungkin. Hanya peringatan; "
        "keputusan tetap mengikuti nilai 6,75.",
    },
    {
        "kode": "NIP_KOSONG",
        "sel": ["Dasar!B93"],
        "baris_csv": [89],
        "tingkat": GALAT,
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": LANJUT,
        "pesan": "Nandang Supriatna, S.T. punya nilai 9,50 tetapi NIP kosong: galat, tidak dapat "
        "dilacak (menurut skor saja: lanjut). Tidak muncul di Lanjutan I.",
    },
    {
        "kode": "SKOR_DI_LUAR_RENTANG",
        "sel": ["Dasar!J110"],
        "baris_csv": [106],
        "tingkat": GALAT,
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": None,
        "pesan": "Nilai Akhir 11 di luar rentang 0–10: galat.",
    },
    {
        "kode": "NIP_GANDA",
        "sel": ["Dasar!B51", "Dasar!B128"],
        "baris_csv": [47, 124],
        "tingkat": GALAT,
        "pesan_memuat": "duplikat",
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": TAHAN,
        "pesan": "NIP 199203172019032011 muncul dua kali di tahap Dasar pada tanggal yang sama "
        "(07/10/2025) dengan nilai sama (8,25). Kedua baris mendapat galat duplikat dan "
        "keputusan periksa (orang ini tidak ada di Lanjutan I).",
    },
    {
        "kode": "ULANG_TAHAP",
        "sel": ["Dasar!B76", "Dasar!B157"],
        "baris_csv": [72, 153],
        "tingkat": None,
        "rujukan": ["Lanjutan I!B43"],
        "keputusan": LANJUT,
        "keputusan_menurut_skor": LANJUT,
        "pesan": "Bukan duplikat (tanggal berbeda), bukan masalah: NIP 197706222003121003 "
        "mengulang Dasar, 07/10/2025 nilai 7,00 (tahan) lalu 21/10/2025 nilai 9,00. "
        "Percobaan terakhir berlaku: lanjut; percobaan pertama disimpan di riwayat. Di "
        "Lanjutan I (Lanjutan I!B43) nilainya 5,00: berhenti.",
    },
    {
        "kode": "KETERANGAN_BERTENTANGAN",
        "sel": ["Dasar!K31"],
        "baris_csv": [27],
        "tingkat": GALAT,
        "keputusan": TAHAN,
        "keputusan_menurut_skor": TAHAN,
        "pesan": "Keterangan 'LULUS' di samping nilai 7,00: galat; keputusan menurut aturan "
        "tetap berlaku: tahan.",
    },
    {
        "kode": "KETERANGAN_BERTENTANGAN",
        "sel": ["Dasar!K137"],
        "baris_csv": [133],
        "tingkat": GALAT,
        "keputusan": LANJUT,
        "keputusan_menurut_skor": LANJUT,
        "pesan": "Keterangan 'TIDAK LULUS' di samping nilai 9,25: galat; keputusan menurut "
        "aturan tetap berlaku: lanjut (orang ini ada di Lanjutan I).",
    },
    {
        "kode": "SUDAH_BERHENTI",
        "sel": ["Lanjutan I!B42"],
        "baris_csv": [190],
        "tingkat": GALAT,
        "pesan_memuat": "disetop di tahap dasar (skor 4,5) — tidak boleh diikutkan lagi",
        "rujukan": ["Dasar!J147"],
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": LANJUT,
        "pesan": "NIP 196907252000032001 berhenti di Dasar (4,50 di Dasar!J147) tetapi muncul "
        'lagi di Lanjutan I dengan nilai 10,00: galat "disetop di tahap dasar '
        '(skor 4,5) — tidak boleh diikutkan lagi"; nilai 10 tidak berlaku. Tidak ada di '
        "Lanjutan II.",
    },
    {
        "kode": "SKOR_TEKS",
        "sel": ["Lanjutan I!J23"],
        "baris_csv": [171],
        "tingkat": GALAT,
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": None,
        "pesan": "Nilai Akhir berisi teks 'sembilan', bukan angka: galat. Tidak ada di "
        "Lanjutan II.",
    },
    {
        "kode": "KETERANGAN_BERTENTANGAN",
        "sel": ["Lanjutan I!K13"],
        "baris_csv": [161],
        "tingkat": GALAT,
        "keputusan": BERHENTI,
        "keputusan_menurut_skor": BERHENTI,
        "pesan": "Keterangan 'ULANG' di samping nilai 4,50: galat; keputusan menurut aturan "
        "tetap berlaku: berhenti.",
    },
    {
        "kode": "SKOR_GALAT",
        "sel": ["Lanjutan II!J12"],
        "baris_csv": [198],
        "tingkat": GALAT,
        "keputusan": PERIKSA,
        "keputusan_menurut_skor": None,
        "pesan": "Sel Nilai Akhir berisi galat Excel #N/A: galat (bukan sel kosong, jadi bukan "
        "belum_dinilai).",
    },
]


def problem_cells(problem: dict[str, object], fmt: str) -> list[tuple[str | None, str, int]]:
    """(lembar, kolom, baris) of each cell of a deliberate problem, as skorasn locates them.

    ``fmt`` is "xlsx" (sheet, column letter, Excel row) or "csv" (no sheet, the CSV column
    letter -- one to the right because of the Tahap column --, physical line).
    """
    result: list[tuple[str | None, str, int]] = []
    for ref, line in zip(problem["sel"], problem["baris_csv"], strict=True):  # type: ignore
        sheet, cell = str(ref).split("!")
        letter = re.match(r"[A-Z]+", cell).group(0)  # type: ignore[union-attr]
        if fmt == "xlsx":
            result.append((sheet, letter, int(cell[len(letter) :])))
        else:
            name = HEADER[column_index_from_string(letter) - 1]
            result.append((None, CSV_COL[name], int(line)))
    return result


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

MALE_FIRST = [
    "Asep",
    "Ujang",
    "Dede",
    "Cecep",
    "Deden",
    "Iwan",
    "Yayan",
    "Entis",
    "Ade",
    "Agus",
    "Rudi",
    "Hendra",
    "Dadang",
    "Jajang",
    "Nandang",
    "Wawan",
    "Eman",
    "Ayi",
    "Dodi",
    "Endang",
    "Ruslan",
    "Hamdan",
    "Gugun",
    "Ridwan",
    "Yusuf",
    "Rizal",
    "Fajar",
    "Dikdik",
    "Ujang",
    "Komar",
    "Aceng",
    "Engkos",
    "Tatang",
    "Budi",
    "Andri",
    "Ilham",
]
FEMALE_FIRST = [
    "Euis",
    "Neneng",
    "Iis",
    "Yanti",
    "Rina",
    "Lilis",
    "Tati",
    "Enung",
    "Cucu",
    "Imas",
    "Siti",
    "Dewi",
    "Nurul",
    "Rika",
    "Fitri",
    "Ratna",
    "Wulan",
    "Dian",
    "Rini",
    "Yuyun",
    "Teti",
    "Elis",
    "Nining",
    "Nenden",
    "Popon",
    "Lia",
    "Nia",
    "Ai",
    "Eneng",
    "Sri",
    "Santi",
    "Anisa",
    "Desi",
    "Rosita",
]
MALE_LAST = [
    "Suherman",
    "Sutisna",
    "Hidayat",
    "Kusnadi",
    "Permana",
    "Setiawan",
    "Nugraha",
    "Gunawan",
    "Rahmat",
    "Sumarna",
    "Supriatna",
    "Mulyana",
    "Saputra",
    "Sopandi",
    "Hermawan",
    "Ruhiyat",
    "Ramdani",
    "Firmansyah",
    "Taufik",
    "Maulana",
    "Somantri",
    "Kurniawan",
    "Suryana",
    "Hamdani",
    "Rohendi",
    "Sudrajat",
    "Wiratama",
    "Iskandar",
]
FEMALE_LAST = [
    "Kurniasih",
    "Rosmawati",
    "Nurhayati",
    "Sukmawati",
    "Maryati",
    "Komalasari",
    "Herawati",
    "Mulyani",
    "Fauziah",
    "Rahayu",
    "Wahyuni",
    "Suryani",
    "Marlina",
    "Rohimah",
    "Nurjanah",
    "Handayani",
    "Purnamasari",
    "Rahmawati",
    "Yuliani",
    "Nurlaela",
    "Sulastri",
    "Susilawati",
    "Kartika",
    "Agustina",
]
DEGREES = [
    "S.Kom.",
    "S.E.",
    "S.E., M.Si.",
    "S.Sos.",
    "S.Sos., M.Si.",
    "S.H.",
    "S.H., M.H.",
    "S.Pd.",
    "S.Pd., M.Pd.",
    "S.T.",
    "S.T., M.T.",
    "S.IP.",
    "S.IP., M.Si.",
    "S.Kom., M.Kom.",
    "S.AP.",
    "S.Ak.",
    "M.M.",
    "S.E., M.M.",
    "A.Md.",
    "S.Stat.",
]

DINAS = [
    "Dinas Komunikasi dan Informatika",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Sosial",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Badan Keuangan Daerah",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Satuan Polisi Pamong Praja",
]
KECAMATAN = {
    "Cikole": ["Cikole", "Gunungparang", "Kebonjati", "Selabatu", "Cisarua", "Subangjaya"],
    "Citamiang": ["Citamiang", "Gedongpanjang", "Nanggeleng", "Tipar", "Cikondang"],
    "Gunungpuyuh": ["Gunungpuyuh", "Karamat", "Karangtengah", "Sriwidari"],
    "Warudoyong": ["Warudoyong", "Benteng", "Dayeuhluhur", "Nyomplong", "Sukakarya"],
    "Baros": ["Baros", "Jayaraksa", "Jayamekar", "Sudajayahilir"],
    "Lembursitu": ["Lembursitu", "Cikundul", "Situmekar", "Cipanengah", "Sindangsari"],
    "Cibeureum": ["Cibeureumhilir", "Limusnunggal", "Babakan", "Sindangpalay"],
}
SUBBAGIAN = [
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Subbagian Perencanaan",
    "Kepala Subbagian Keuangan",
]
SUBBAGIAN_SETDA = [
    "Kepala Subbagian Tata Usaha Pimpinan",
    "Kepala Subbagian Protokol",
    "Kepala Subbagian Kelembagaan",
    "Kepala Subbagian Perundang-undangan",
]
SEKSI_KECAMATAN = [
    "Kepala Seksi Pemerintahan",
    "Kepala Seksi Ketenteraman dan Ketertiban Umum",
    "Kepala Seksi Pemberdayaan Masyarakat",
]
BIDANG = {
    "Badan Perencanaan Pembangunan Daerah": [
        "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
        "Kepala Bidang Perekonomian dan Sumber Daya Alam",
        "Kepala Bidang Infrastruktur dan Kewilayahan",
    ],
    "Dinas Komunikasi dan Informatika": [
        "Kepala Bidang Aplikasi Informatika",
        "Kepala Bidang Statistik dan Persandian",
        "Kepala Bidang Informasi dan Komunikasi Publik",
    ],
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": [
        "Kepala Bidang Pengembangan Kompetensi Aparatur",
        "Kepala Bidang Mutasi dan Promosi",
    ],
}
# Roles in a named unit, drawn beside the generic ones of the same eselon in role().
NAMED_ROLES = {
    "II.b": [
        ("Inspektorat", "Inspektur"),
        ("Sekretariat Daerah", "Asisten Perekonomian dan Pembangunan"),
        ("Sekretariat Daerah", "Asisten Administrasi Umum"),
        ("Sekretariat DPRD", "Sekretaris DPRD"),
    ],
    "III.a": [
        ("Sekretariat Daerah", "Kepala Bagian Organisasi"),
        ("Sekretariat Daerah", "Kepala Bagian Hukum"),
        ("Sekretariat Daerah", "Kepala Bagian Protokol dan Komunikasi Pimpinan"),
        ("Inspektorat", "Inspektur Pembantu Wilayah I"),
        ("Inspektorat", "Inspektur Pembantu Wilayah II"),
    ],
}
# How many people may hold the same generic title in one unit (default 1).
ROLE_CAPS = {
    "Kepala Bidang": 3,
    "Kepala Seksi": 4,
    "Kepala Subbidang": 4,
    "Kepala Subbagian Tata Usaha UPTD": 3,
    "Kepala Seksi Kesejahteraan Sosial": 1,
}

# Eselon -> (birth year range, share of participants)
ESELON = {
    "II.a": ((1965, 1970), 1),
    "II.b": ((1965, 1975), 9),
    "III.a": ((1966, 1980), 18),
    "III.b": ((1968, 1986), 40),
    "IV.a": ((1972, 1994), 60),
    "IV.b": ((1980, 1998), 22),
}
ESELON_VARIANTS = {
    "II.a": ["II/a", "IIA", "II a"],
    "II.b": ["II/b", "IIB", "II b"],
    "III.a": ["III/a", "IIIA", "III a", "iii.a"],
    "III.b": ["III/b", "IIIB", "III b", "III.B"],
    "IV.a": ["IV/a", "IVA", "IV a", "iv.a"],
    "IV.b": ["IV/b", "IVB", "IV b", "IV.B"],
}

DASAR_DATES = [dt.date(2025, 10, 6), dt.date(2025, 10, 7), dt.date(2025, 10, 8)]
RETAKE_DATE = dt.date(2025, 10, 21)
LANJUTAN1_DATES = [dt.date(2025, 10, 27), dt.date(2025, 10, 28)]
LANJUTAN2_DATES = [dt.date(2025, 11, 6), dt.date(2025, 11, 7)]

SIGNER = ("Dr. H. Yudi Ruhiyat, S.IP., M.Si.", "Pembina Utama Muda", "NIP. 197005121995031002")


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    nip: str
    name: str
    eselon: str
    unit: str
    jabatan: str


@dataclass
class Row:
    """One participant row as it is written (``nip_cell``/``final_cell`` may be odd on purpose)."""

    stage: str
    person: Person
    date: dt.date
    t1: float | None
    t2: float | None
    final: float | None  # the true numeric Nilai Akhir, None when absent/invalid
    keterangan: str = ""
    nip_cell: object = None  # what is written in column B
    final_cell: object = None  # what is written in column J (number, text, error)
    final_is_error: bool = False
    date_as_text: bool = False
    eselon_cell: str = ""
    # Filled by apply_spec(): the keputusan of the participant record this row becomes
    # (lanjut / tahan / berhenti / belum_dinilai / periksa); for a superseded retake attempt
    # the keputusan kept in the latest attempt's riwayat.
    expected: str | None = None
    superseded: bool = False  # an earlier retake attempt: in riwayat, not a record
    riwayat: list[Row] = field(default_factory=list)  # on the latest attempt: earlier ones
    findings: list[Finding] = field(default_factory=list)  # the masalah expected on this row
    problems: list[str] = field(default_factory=list)
    no: int = 0
    excel_row: int = 0
    csv_line: int = 0

    @property
    def tahap(self) -> str:
        return STAGE_KEYS[self.stage]

    @property
    def nip(self) -> str | None:
        """The NIP as the specification reads the cell; None when missing or unusable."""
        return read_nip(self.nip_cell)

    def location(self, fmt: str) -> tuple[str | None, int]:
        """(lembar, baris) of this row in the .xlsx ("xlsx") or the .csv ("csv")."""
        return (self.stage, self.excel_row) if fmt == "xlsx" else (None, self.csv_line)


@dataclass(frozen=True)
class Finding:
    """One masalah skorasn should report on a row: the column (by header name), level, text."""

    column: str  # a HEADER name, e.g. "NIP", "Nilai Akhir", "Keterangan"
    tingkat: str  # galat / peringatan
    pesan: str  # what it is about (a text the real message should contain
    # when the specification words it, e.g. "duplikat")

    def kolom(self, fmt: str) -> str:
        return (COL if fmt == "xlsx" else CSV_COL)[self.column]


def decide(score: float | None) -> str:
    if score is None:
        return BELUM
    if score >= LANJUT_MIN:
        return "lanjut"
    if score <= BERHENTI_MAKS:
        return "berhenti"
    return "tahan"


def id_number(value: float) -> str:
    """A number as Indonesian Excel shows it in General format: decimal comma, no trailing 0s."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def id_fixed2(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def spaced_nip(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def excel_number_nip(nip: str) -> float:
    """What Excel keeps when an 18-digit NIP is typed as a number: a double, 15 digits."""
    return float(nip[:15] + "000")


def excel_general_display(number: float) -> str:
    """Excel General format for a big integer in an 11-character cell, id-ID decimal comma."""
    mantissa, exponent = f"{number:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa.replace('.', ',')}E+{int(exponent)}"


# --------------------------------------------------------------------------------------------
# The specification, applied to the rows as written (the oracle for skorasn)
# --------------------------------------------------------------------------------------------

# The Keterangan a careful clerk writes (agreeing with the rule), and how written words read.
AGREEING_KETERANGAN = {LANJUT: "LULUS", TAHAN: "ULANG", BERHENTI: "TIDAK LULUS"}
KETERANGAN_WORDS = {
    "lulus": LANJUT,
    "lanjut": LANJUT,
    "naik": LANJUT,
    "ulang": TAHAN,
    "tahan": TAHAN,
    "tidak lulus": BERHENTI,
    "gugur": BERHENTI,
    "berhenti": BERHENTI,
    "disetop": BERHENTI,
}


def read_nip(cell: object) -> str | None:
    """The NIP in a cell per the rules: text only; spaces, dots, dashes and a leading
    apostrophe removed; 18 digits. None for a number, an empty cell or anything else."""
    if not isinstance(cell, str):
        return None
    text = re.sub(r"[\s.\-]", "", cell).lstrip("'")
    return text if re.fullmatch(r"\d{18}", text) else None


def nip_plausible(nip: str) -> bool:
    """Digits 1-8 a real birth date and the 15th digit 1 or 2 (otherwise only a peringatan)."""
    try:
        dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    return nip[14] in "12"


def read_score(cell: object, is_error: bool) -> tuple[float | None, bool]:
    """(value, valid) of a score cell: blank -> (None, True); not a number, outside 0-10 or an
    Excel error -> (None, False)."""
    if is_error:
        return None, False
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, True
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        try:
            value = float(str(cell).strip().replace(",", "."))
        except ValueError:
            return None, False
    return (value, True) if 0 <= value <= 10 else (None, False)


def row_score(row: Row) -> tuple[float | None, bool]:
    """Nilai Akhir when filled, else the mean of the filled trainer scores (2 decimals)."""
    value, valid = read_score(row.final_cell, row.final_is_error)
    if not valid or value is not None:
        return value, valid
    trainers = [t for t in (row.t1, row.t2) if t is not None]
    return (round(sum(trainers) / len(trainers), 2) if trainers else None), True


def format_score(value: float | None) -> str:
    return "kosong" if value is None else f"{value:g}".replace(".", ",")


def apply_spec(sheets: dict[str, list[Row]]) -> None:
    """Fill ``expected``, ``superseded``, ``riwayat`` and ``findings`` of every row from the
    rules in the module docstring, using only what is written in the cells."""
    scores: dict[int, float | None] = {}
    for stage in STAGES:
        for row in sheets[stage]:
            row.findings, row.riwayat, row.superseded = [], [], False
            score, valid = row_score(row)
            scores[id(row)] = score
            row.expected = decide(score) if valid else PERIKSA
            if not valid:
                row.findings.append(Finding("Nilai Akhir", GALAT, "skor tidak sah"))
            if row.nip_cell is None:
                row.expected = PERIKSA
                row.findings.append(Finding("NIP", GALAT, "NIP kosong"))
            elif row.nip is None:
                row.expected = PERIKSA
                row.findings.append(Finding("NIP", GALAT, "NIP tidak sah"))
            elif not nip_plausible(row.nip):
                row.findings.append(Finding("NIP", PERINGATAN, "NIP tidak wajar"))
        _resolve_attempts(sheets[stage])
        for row in records(sheets[stage]):
            # "Disagrees with the rule": with the decision the score gives (a row that is
            # periksa for its NIP still has a score the written word can contradict).
            written = KETERANGAN_WORDS.get(row.keterangan.strip().casefold())
            score, valid = row_score(row)
            if written and valid and written != decide(score):
                row.findings.append(Finding("Keterangan", GALAT, "keterangan bertentangan"))
    for position, stage in enumerate(STAGES[1:], start=1):
        previous = STAGES[position - 1]
        earlier = [r for s in STAGES[:position] for r in records(sheets[s])]
        before = {r.nip: r for r in records(sheets[previous]) if r.nip}
        for row in records(sheets[stage]):
            if row.nip is None:
                continue
            stopped = [r for r in earlier if r.nip == row.nip and r.expected == BERHENTI]
            if stopped:
                first = stopped[0]
                row.expected = PERIKSA
                row.findings.append(
                    Finding(
                        "NIP",
                        GALAT,
                        f"disetop di tahap {STAGE_LABELS[first.stage]} "
                        f"(skor {format_score(scores[id(first)])}) — tidak boleh diikutkan lagi",
                    )
                )
            elif row.nip not in before:
                row.findings.append(
                    Finding("NIP", PERINGATAN, f"tidak ada catatan tahap {STAGE_LABELS[previous]}")
                )
            elif before[row.nip].expected != LANJUT:
                row.expected = PERIKSA
                row.findings.append(
                    Finding("NIP", GALAT, f"belum lulus tahap {STAGE_LABELS[previous]}")
                )


def _resolve_attempts(rows: list[Row]) -> None:
    by_nip: dict[str, list[Row]] = {}
    for row in rows:
        if row.nip is not None:
            by_nip.setdefault(row.nip, []).append(row)
    for group in by_nip.values():
        if len(group) < 2:
            continue
        dates = [r.date for r in group]
        if None in dates or len(set(dates)) < len(dates):
            for row in group:
                row.expected = PERIKSA
                row.findings.append(Finding("NIP", GALAT, "duplikat"))
            continue
        ordered = sorted(group, key=lambda r: r.date)
        latest = ordered[-1]
        latest.riwayat = ordered[:-1]
        for row in ordered[:-1]:
            row.superseded = True
        if any(r.expected == BERHENTI for r in ordered[:-1]) and latest.expected != PERIKSA:
            latest.expected = PERIKSA
            latest.findings.append(Finding("NIP", GALAT, "tidak boleh mengulang"))


def records(rows: Iterable[Row]) -> list[Row]:
    """The participant records: every row except superseded retake attempts."""
    return [r for r in rows if not r.superseded]


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


class PeopleFactory:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.nips: set[str] = set()
        self.names: set[str] = set()
        self.roles_taken: dict[tuple[str, str], int] = {}

    def nip(self, eselon: str, gender: int, birth: dt.date | None = None) -> str:
        rng = self.rng
        (lo, hi), _ = ESELON[eselon]
        while True:
            if birth is None:
                year = rng.randint(lo, hi)
                b = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            else:
                b = birth
            tmt_year = min(b.year + rng.randint(21, 29), 2021)
            tmt_month = rng.choice([1, 1, 3, 3, 3, 4, 12])
            serial = rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 12])
            nip = f"{b:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{gender}{serial:03d}"
            if nip not in self.nips:
                self.nips.add(nip)
                return nip

    def name(self, gender: int, birth_year: int, unit: str) -> str:
        rng = self.rng
        while True:
            if gender == 1:
                base = f"{rng.choice(MALE_FIRST)} {rng.choice(MALE_LAST)}"
            else:
                base = f"{rng.choice(FEMALE_FIRST)} {rng.choice(FEMALE_LAST)}"
            if base in self.names:
                continue
            self.names.add(base)
            break
        prefix = ""
        if unit == "Dinas Kesehatan" and rng.random() < 0.35:
            prefix = "dr. "
        elif birth_year < 1972 and rng.random() < 0.45:
            prefix = rng.choice(["Drs. ", "H. "]) if gender == 1 else rng.choice(["Dra. ", "Hj. "])
        elif rng.random() < 0.06:
            prefix = "H. " if gender == 1 else "Hj. "
        degree = rng.choice(DEGREES)
        if prefix in ("Drs. ", "Dra. "):
            degree = rng.choice(["", "M.Si.", "M.M."])
        elif prefix == "dr. ":
            degree = rng.choice(["", "M.K.M.", "M.Kes."])
        elif rng.random() < 0.05:
            degree = ""
        return f"{prefix}{base}, {degree}" if degree else f"{prefix}{base}"

    def role(self, eselon: str) -> tuple[str, str]:
        rng = self.rng
        for _ in range(500):
            kecamatan = f"Kecamatan {rng.choice(list(KECAMATAN))}"
            kelurahan = rng.choice(KECAMATAN[kecamatan.split()[1]])
            dinas = rng.choice(DINAS)
            head = (
                "Kepala Badan"
                if dinas.startswith("Badan")
                else "Kepala Satuan"
                if dinas.startswith("Satuan")
                else "Kepala Dinas"
            )
            options = {
                "II.a": [("Sekretariat Daerah", "Sekretaris Daerah")],
                "II.b": [(dinas, head)] * 6 + NAMED_ROLES["II.b"],
                "III.a": [(dinas, "Sekretaris")] * 4
                + [(kecamatan, "Camat")] * 2
                + NAMED_ROLES["III.a"],
                "III.b": [(dinas, "Kepala Bidang")] * 5
                + [(kecamatan, "Sekretaris Camat")] * 2
                + [(unit, jabatan) for unit, names in BIDANG.items() for jabatan in names],
                "IV.a": [(dinas, "Kepala Seksi")] * 3
                + [(dinas, rng.choice(SUBBAGIAN))] * 3
                + [(kecamatan, f"Lurah {kelurahan}")] * 3
                + [(kecamatan, rng.choice(SEKSI_KECAMATAN))] * 2
                + [
                    ("Sekretariat Daerah", rng.choice(SUBBAGIAN_SETDA)),
                    ("Badan Perencanaan Pembangunan Daerah", "Kepala Subbidang"),
                ],
                "IV.b": [(kecamatan, f"Sekretaris Kelurahan {kelurahan}")] * 3
                + [(dinas, "Kepala Subbagian Tata Usaha UPTD")] * 2
                + [(kecamatan, "Kepala Seksi Kesejahteraan Sosial")],
            }[eselon]
            unit, jabatan = rng.choice(options)
            cap = ROLE_CAPS.get(jabatan, 1)
            if self.roles_taken.get((unit, jabatan), 0) >= cap:
                continue
            self.roles_taken[(unit, jabatan)] = self.roles_taken.get((unit, jabatan), 0) + 1
            return unit, jabatan
        raise RuntimeError(f"no free role left for eselon {eselon}")

    def person(
        self, eselon: str, gender: int | None = None, birth: dt.date | None = None
    ) -> Person:
        gender = gender or self.rng.choice([1, 1, 2, 2, 2])
        unit, jabatan = self.role(eselon)
        nip = self.nip(eselon, gender, birth)
        name = self.name(gender, int(nip[:4]), unit)
        return Person(nip=nip, name=name, eselon=eselon, unit=unit, jabatan=jabatan)


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------


def score_pair(rng: random.Random, category: str) -> tuple[float, float]:
    """Two trainer scores (0.5 steps, at most 1.5 apart) whose mean falls in ``category``."""
    while True:
        if category == "lanjut":
            t1 = rng.choice([8.5, 9, 9, 9.5, 9.5, 10])
        elif category == "tahan":
            t1 = rng.choice([5.5, 6, 6.5, 7, 7, 7.5, 7.5, 8, 8, 8.5, 8.5, 9])
        else:
            t1 = rng.choice([2.5, 3, 3.5, 4, 4, 4.5, 5, 5, 5.5])
        t2 = min(10.0, max(0.0, t1 + rng.choice([-1.5, -1, -0.5, 0, 0, 0.5, 1])))
        if decide(round((t1 + t2) / 2, 2)) == category:
            return t1, t2


def make_row(
    stage: str,
    person: Person,
    date: dt.date,
    t1: float | None,
    t2: float | None,
    /,
    **extra: object,
) -> Row:
    final = round((t1 + t2) / 2, 2) if t1 is not None and t2 is not None else None
    row = Row(stage, person, date, t1, t2, final)
    # The cells hold the true values unless ``extra`` makes one odd on purpose.
    written = {"nip_cell": person.nip, "final_cell": final, "eselon_cell": person.eselon}
    for key, value in {**written, **extra}.items():
        setattr(row, key, value)
    return row


# --------------------------------------------------------------------------------------------
# Dataset
# --------------------------------------------------------------------------------------------

# Positions (0-based) of special people in the 150-person Dasar list.
IDX_APOSTROPHE = 2
IDX_SEKDA = 5
IDX_NIP_NUMBER = 11
IDX_LULUS_AT_7 = 25
IDX_NIP_17 = 33
IDX_DUPLICATE = 45
IDX_NIP_MONTH13 = 58
IDX_RETAKE = 70
IDX_NO_NIP = 87
IDX_SCORE_11 = 104
IDX_DUP_INSERT_AT = 122  # the duplicate row is re-typed here (after No 122)
IDX_TIDAK_LULUS_AT_925 = 130
IDX_STOPPED = 140
N_DASAR = 150

FORCED_CATEGORY = {
    IDX_APOSTROPHE: "lanjut",
    IDX_NIP_NUMBER: "tahan",
    IDX_LULUS_AT_7: "tahan",
    IDX_NIP_17: "tahan",
    IDX_DUPLICATE: "tahan",
    IDX_NIP_MONTH13: "tahan",
    IDX_RETAKE: "tahan",
    IDX_NO_NIP: "lanjut",
    IDX_SCORE_11: "special",
    IDX_TIDAK_LULUS_AT_925: "lanjut",
    IDX_STOPPED: "berhenti",
}
FORCED_SCORES = {
    IDX_APOSTROPHE: (9.5, 9.0),
    IDX_NIP_NUMBER: (7.5, 8.0),
    IDX_LULUS_AT_7: (7.0, 7.0),
    IDX_NIP_17: (8.0, 8.5),
    IDX_DUPLICATE: (8.0, 8.5),
    IDX_NIP_MONTH13: (6.5, 7.0),
    IDX_RETAKE: (7.0, 7.0),
    IDX_NO_NIP: (9.5, 9.5),
    IDX_TIDAK_LULUS_AT_925: (9.0, 9.5),
    IDX_STOPPED: (4.5, 4.5),
}


@dataclass
class Dataset:
    sheets: dict[str, list[Row]]

    def all_rows(self) -> Iterable[Row]:
        for stage in STAGES:
            yield from self.sheets[stage]


def _quota(n: int, lanjut: float, berhenti: float) -> list[str]:
    n_lanjut, n_berhenti = round(n * lanjut), round(n * berhenti)
    return (
        ["lanjut"] * n_lanjut + ["berhenti"] * n_berhenti + ["tahan"] * (n - n_lanjut - n_berhenti)
    )


def _eselon_spelling(rng: random.Random, eselon: str) -> str:
    return rng.choice(ESELON_VARIANTS[eselon]) if rng.random() < 0.14 else eselon


def _later_stage(
    rng: random.Random,
    stage: str,
    people: list[Person],
    dates: list[dt.date],
    shares: tuple[float, float],
    keterangan_chance: float,
    stopped_nip: str | None,
) -> list[Row]:
    """The rows of a Lanjutan stage: the first half of ``people`` on the first date, scores
    drawn to the (lanjut, berhenti) ``shares``, a few agreeing Keterangan; the person stopped
    earlier (``stopped_nip``) is listed again with 10/10 (SUDAH_BERHENTI)."""
    categories = _quota(len(people), lanjut=shares[0], berhenti=shares[1])
    rng.shuffle(categories)
    rows: list[Row] = []
    for i, person in enumerate(people):
        date = dates[0 if i < len(people) // 2 else 1]
        extra = {"eselon_cell": _eselon_spelling(rng, person.eselon)}
        if person.nip == stopped_nip:
            row = make_row(stage, person, date, 10.0, 10.0, problems=["SUDAH_BERHENTI"], **extra)
        else:
            row = make_row(stage, person, date, *score_pair(rng, categories[i]), **extra)
            if rng.random() < keterangan_chance:
                row.keterangan = AGREEING_KETERANGAN[decide(row.final)]
        rows.append(row)
    return rows


def build_dataset() -> Dataset:
    """Build every row of every stage; pure and deterministic."""
    rng = random.Random(SEED)
    factory = PeopleFactory(rng)

    # II.a (Sekretaris Daerah) exists once; everyone else is drawn from the other levels.
    eselon_pool = [e for e, (_, share) in ESELON.items() if e != "II.a" for _ in range(share)]
    # Quotas for the 150 Dasar people: ~25% lanjut, ~50% tahan, ~20% berhenti, 5 blank.
    categories = ["lanjut"] * 38 + ["tahan"] * 76 + ["berhenti"] * 31 + ["kosong"] * 5
    rng.shuffle(categories)
    for idx, cat in FORCED_CATEGORY.items():
        if categories[idx] != cat and cat != "special":
            # swap with some other unforced position holding the wanted category
            for j in range(N_DASAR):
                if j not in FORCED_CATEGORY and categories[j] == cat:
                    categories[j], categories[idx] = categories[idx], categories[j]
                    break

    people: list[Person] = []
    for idx in range(N_DASAR):
        eselon = rng.choice(eselon_pool)
        if idx == IDX_NIP_MONTH13:
            eselon = "III.b"
        if idx == IDX_SEKDA:
            eselon = "II.a"
        if idx == IDX_NO_NIP:
            people.append(
                Person(
                    nip="",
                    name="Nandang Supriatna, S.T.",
                    eselon="IV.a",
                    unit="Dinas Pekerjaan Umum dan Penataan Ruang",
                    jabatan="Kepala Seksi",
                )
            )
            continue
        people.append(factory.person(eselon))

    # Fixed NIPs for the problem people, so the oracle can quote them.
    fixed = {
        IDX_NIP_NUMBER: ("198005142006041007", 1),
        IDX_NIP_17: ("198711082011012003", 2),
        IDX_NIP_MONTH13: ("198213072008012004", 2),
        IDX_DUPLICATE: ("199203172019032011", 2),
        IDX_RETAKE: ("197706222003121003", 1),
        IDX_STOPPED: ("196907252000032001", 2),
    }
    for idx, (nip, gender) in fixed.items():
        p = people[idx]
        p.nip = nip
        factory.nips.add(nip)
        name_gender_ok = (gender == 2) == _looks_female(p.name)
        if not name_gender_ok:
            p.name = factory.name(gender, int(nip[:4]), p.unit)

    dasar: list[Row] = []
    text_final_idx: set[int] = set()
    text_date_idx: set[int] = set()
    spaced_idx: set[int] = set()
    for idx in rng.sample(range(N_DASAR), 30):
        if idx in FORCED_CATEGORY or categories[idx] == "kosong":
            continue
        if len(text_final_idx) < 5:
            text_final_idx.add(idx)
        elif len(text_date_idx) < 4:
            text_date_idx.add(idx)
        elif len(spaced_idx) < 6:
            spaced_idx.add(idx)

    for idx, person in enumerate(people):
        date = DASAR_DATES[min(idx * len(DASAR_DATES) // N_DASAR, len(DASAR_DATES) - 1)]
        cat = categories[idx]
        extra: dict[str, object] = {"eselon_cell": _eselon_spelling(rng, person.eselon)}
        if idx == IDX_SCORE_11:
            row = make_row(
                "Dasar",
                person,
                date,
                None,
                None,
                final_cell=11,
                problems=["SKOR_DI_LUAR_RENTANG"],
                **extra,
            )
        elif cat == "kosong" and idx not in FORCED_SCORES:
            row = make_row("Dasar", person, date, None, None, **extra)
        else:
            t1, t2 = FORCED_SCORES.get(idx) or score_pair(rng, cat)
            row = make_row("Dasar", person, date, t1, t2, **extra)
        if idx in text_final_idx and row.final is not None:
            row.final_cell = id_number(row.final)
        if idx in text_date_idx:
            row.date_as_text = True
        if idx in spaced_idx:
            row.nip_cell = spaced_nip(person.nip)
        # Mostly empty Keterangan; a few agreeing ones.
        if row.final is not None and rng.random() < 0.08:
            row.keterangan = AGREEING_KETERANGAN[decide(row.final)]
        dasar.append(row)

    dasar[IDX_APOSTROPHE].nip_cell = "'" + people[IDX_APOSTROPHE].nip
    r = dasar[IDX_NIP_NUMBER]
    r.nip_cell, r.problems = excel_number_nip(r.person.nip), ["NIP_ANGKA"]
    r = dasar[IDX_NIP_17]
    r.nip_cell = r.person.nip[:10] + r.person.nip[11:]
    r.problems = ["NIP_17_DIGIT"]
    r = dasar[IDX_NIP_MONTH13]
    r.problems = ["NIP_TANGGAL_LAHIR"]
    r = dasar[IDX_NO_NIP]
    r.nip_cell, r.problems = None, ["NIP_KOSONG"]
    r = dasar[IDX_LULUS_AT_7]
    r.keterangan, r.problems = "LULUS", ["KETERANGAN_BERTENTANGAN"]
    r = dasar[IDX_TIDAK_LULUS_AT_925]
    r.keterangan, r.problems = "TIDAK LULUS", ["KETERANGAN_BERTENTANGAN"]
    r = dasar[IDX_DUPLICATE]
    r.date, r.problems, r.keterangan = DASAR_DATES[1], ["NIP_GANDA"], ""
    r = dasar[IDX_RETAKE]
    r.date, r.problems, r.keterangan = DASAR_DATES[1], ["ULANG_TAHAP"], ""
    r = dasar[IDX_STOPPED]
    r.keterangan = ""
    for idx in FORCED_CATEGORY:
        dasar[idx].date_as_text = False
        dasar[idx].final_cell = dasar[idx].final if idx != IDX_SCORE_11 else 11
    dasar[IDX_NIP_NUMBER].nip_cell = excel_number_nip(people[IDX_NIP_NUMBER].nip)

    dup = dasar[IDX_DUPLICATE]
    duplicate = Row(**{**dup.__dict__, "problems": ["NIP_GANDA"]})
    dasar.insert(IDX_DUP_INSERT_AT, duplicate)
    retake_first = dasar[IDX_RETAKE]
    retake_second = make_row(
        "Dasar",
        retake_first.person,
        RETAKE_DATE,
        9.0,
        9.0,
        eselon_cell=retake_first.person.eselon,
        problems=["ULANG_TAHAP"],
    )
    dasar.append(retake_second)

    # Lanjutan I: everyone who went on at Dasar (by the rule, latest attempt), in Dasar order,
    # plus the stopped participant who should not be there.
    lanjutan1_people: list[Person] = []
    seen: set[str] = set()
    for row in dasar:
        if row is retake_first:
            continue
        if (
            row.final is not None
            and row.final >= LANJUT_MIN
            and row.nip_cell is not None
            and row.person.nip not in seen
            and "NIP_KOSONG" not in row.problems
        ):
            lanjutan1_people.append(row.person)
            seen.add(row.person.nip)
        if row.person.nip == people[IDX_STOPPED].nip:
            lanjutan1_people.append(row.person)
    stopped_nip = people[IDX_STOPPED].nip

    lanjutan1 = _later_stage(
        rng, "Lanjutan I", lanjutan1_people, LANJUTAN1_DATES, (0.42, 0.17), 0.1, stopped_nip
    )
    # Deliberate problems at fixed positions in Lanjutan I.
    r = lanjutan1[17]
    r.t1 = r.t2 = r.final = None
    r.final_cell, r.problems, r.keterangan = "sembilan", ["SKOR_TEKS"], ""
    r = lanjutan1[7]
    r.t1, r.t2, r.final, r.final_cell = 4.5, 4.5, 4.5, 4.5
    r.keterangan, r.problems = "ULANG", ["KETERANGAN_BERTENTANGAN"]
    lanjutan1[3].nip_cell = spaced_nip(lanjutan1[3].person.nip)
    lanjutan1[12].date_as_text = True
    lanjutan1[25].date_as_text = True
    for i in (5, 20):
        value = lanjutan1[i].final
        if value is not None:
            lanjutan1[i].final_cell = id_number(value)

    lanjutan2_people = [
        row.person
        for row in lanjutan1
        if row.final is not None and row.final >= LANJUT_MIN and row.person.nip != stopped_nip
    ]
    lanjutan2 = _later_stage(
        rng, "Lanjutan II", lanjutan2_people, LANJUTAN2_DATES, (0.55, 0.12), 0.15, None
    )
    r = lanjutan2[6]
    r.t1 = r.t2 = r.final = None
    r.final_cell, r.final_is_error, r.problems, r.keterangan = ("#N/A", True, ["SKOR_GALAT"], "")
    lanjutan2[len(lanjutan2) - 2].date_as_text = True
    lanjutan2[len(lanjutan2) - 1].date_as_text = True
    lanjutan2[2].final_cell = id_number(lanjutan2[2].final) if lanjutan2[2].final else None

    sheets = {"Dasar": dasar, "Lanjutan I": lanjutan1, "Lanjutan II": lanjutan2}
    line = 2
    for stage in STAGES:
        for no, row in enumerate(sheets[stage], start=1):
            row.no = no
            row.excel_row = FIRST_DATA_ROW + no - 1
            row.csv_line = line
            line += 1
    apply_spec(sheets)
    return Dataset(sheets=sheets)


def _looks_female(name: str) -> bool:
    bare = re.sub(r"^(Drs?\.|Dra\.|Hj?\.|dr\.|Dr\.)\s+", "", name)
    return bare.split()[0] in FEMALE_FIRST


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WIDTHS = {
    "A": 5,
    "B": 22,
    "C": 36,
    "D": 8,
    "E": 44,
    "F": 44,
    "G": 12,
    "H": 9,
    "I": 9,
    "J": 9,
    "K": 14,
}

PETUNJUK = [
    "PETUNJUK PENGISIAN REKAP NILAI PELATIHAN PEMANFAATAN AI BAGI ASN",
    "",
    "1. Setiap tahap (Dasar, Lanjutan I, Lanjutan II) diisi pada lembar tersendiri.",
    "2. NIP diisi 18 digit sebagai teks, tanpa spasi dan tanpa tanda baca.",
    "3. Skor setiap pelatih diisi angka 0 sampai 10; Nilai Akhir adalah rata-rata kedua "
    "pelatih, dibulatkan dua desimal.",
    "4. Nilai Akhir 9 ke atas: lanjut ke tahap berikutnya. Nilai Akhir 5 ke bawah: berhenti "
    "dan tidak diikutkan lagi. Di antaranya: tahan (mengulang).",
    "5. Kolom Keterangan boleh dikosongkan.",
    "6. Jangan mengubah susunan kolom dan judul kolom.",
    "",
    "Pertanyaan: Bidang Pengembangan Kompetensi Aparatur, BKPSDM Kota Sukabumi.",
]


def write_xlsx(data: Dataset, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Petunjuk"
    for i, line in enumerate(PETUNJUK, start=1):
        ws.cell(row=i, column=1, value=line or None)
    ws["A1"].font = Font(bold=True, size=12)
    ws.column_dimensions["A"].width = 100

    for stage in STAGES:
        _write_stage_sheet(wb.create_sheet(stage), stage, data.sheets[stage])

    props = wb.properties
    props.creator = "Bidang PKA BKPSDM Kota Sukabumi"
    props.lastModifiedBy = "Bidang PKA BKPSDM Kota Sukabumi"
    props.title = "Rekap Nilai Pelatihan Pemanfaatan AI bagi ASN 2025"
    props.created = FIXED_TIMESTAMP
    props.modified = FIXED_TIMESTAMP

    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _write_stage_sheet(ws, stage: str, rows: list[Row]) -> None:  # noqa: ANN001
    last_col = get_column_letter(len(HEADER))
    titles = [
        "REKAP NILAI PELATIHAN PEMANFAATAN AI BAGI ASN",
        "PEMERINTAH KOTA SUKABUMI",
        f"Tahap: {stage} — Angkatan I",
    ]
    for r, text in enumerate(titles, start=1):
        ws.merge_cells(f"A{r}:{last_col}{r}")
        cell = ws.cell(row=r, column=1, value=text)
        cell.font = Font(bold=True, size=14 if r == 1 else 12)
        cell.alignment = Alignment(horizontal="center")

    for c, name in enumerate(HEADER, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 30

    for row in rows:
        values = [
            row.no,
            row.nip_cell,
            row.person.name,
            row.eselon_cell,
            row.person.unit,
            row.person.jabatan,
            row.date.strftime("%d/%m/%Y") if row.date_as_text else row.date,
            row.t1,
            row.t2,
            row.final_cell,
            row.keterangan or None,
        ]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=row.excel_row, column=c, value=value)
            cell.border = BORDER
        nip = ws.cell(row=row.excel_row, column=2)
        if isinstance(row.nip_cell, str):
            nip.number_format = "@"
        date_cell = ws.cell(row=row.excel_row, column=7)
        if row.date_as_text:
            date_cell.number_format = "@"
        else:
            date_cell.number_format = "dd/mm/yyyy"
        date_cell.alignment = Alignment(horizontal="center")
        final = ws.cell(row=row.excel_row, column=10)
        if row.final_is_error:
            final.data_type = "e"
        elif isinstance(row.final_cell, int | float):
            final.number_format = "0.00"
        else:
            final.alignment = Alignment(horizontal="right")

    last = FIRST_DATA_ROW + len(rows) - 1
    total = last + 1
    ws.merge_cells(f"A{total}:B{total}")
    ws.cell(row=total, column=1, value="JUMLAH").font = Font(bold=True)
    ws.cell(row=total, column=3, value=f"{len(rows)} orang").font = Font(bold=True)
    numeric = [
        r.final_cell for r in rows if isinstance(r.final_cell, int | float) and not r.final_is_error
    ]
    ws.cell(row=total, column=9, value="Rata-rata").font = Font(bold=True)
    avg = ws.cell(row=total, column=10, value=round(sum(numeric) / len(numeric), 2))
    avg.number_format = "0.00"
    avg.font = Font(bold=True)
    for c in range(1, len(HEADER) + 1):
        ws.cell(row=total, column=c).border = BORDER

    sign_rows = [
        (total + 2, "Sukabumi, 7 November 2025", False),
        (total + 3, "Kepala BKPSDM Kota Sukabumi", False),
        (total + 7, SIGNER[0], True),
        (total + 8, SIGNER[1], False),
        (total + 9, SIGNER[2], False),
    ]
    for r, text, bold in sign_rows:
        ws.merge_cells(f"I{r}:K{r}")
        cell = ws.cell(row=r, column=9, value=text)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=bold, underline="single" if bold else None)

    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _normalise_zip(data: bytes) -> bytes:
    """Pin zip member timestamps and the core.xml dates so the file is byte-stable."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp + m.group(3),
                    text,
                )
                content = text.encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, content)
    return out.getvalue()


def csv_cells(row: Row) -> list[str]:
    """The row as Excel (id-ID) displays it, which is what "Save as CSV" writes."""
    if row.nip_cell is None:
        nip = ""
    elif isinstance(row.nip_cell, float):
        nip = excel_general_display(row.nip_cell)
    else:
        nip = str(row.nip_cell)
    if isinstance(row.final_cell, int | float) and not row.final_is_error:
        final = id_fixed2(float(row.final_cell))
    elif row.final_cell is None:
        final = ""
    else:
        final = str(row.final_cell)
    return [
        row.stage,
        str(row.no),
        nip,
        row.person.name,
        row.eselon_cell,
        row.person.unit,
        row.person.jabatan,
        row.date.strftime("%d/%m/%Y"),
        "" if row.t1 is None else id_number(row.t1),
        "" if row.t2 is None else id_number(row.t2),
        final,
        row.keterangan,
    ]


def write_csv(data: Dataset, path: Path) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["Tahap", *HEADER])
    for row in data.all_rows():
        writer.writerow(csv_cells(row))
    path.write_bytes(out.getvalue().encode("utf-8-sig"))


DESCRIPTIONS_MD = {
    "NIP_ANGKA": "NIP tersimpan sebagai **angka**, bukan teks; Excel hanya menyimpan 15 digit "
    "sehingga tiga digit terakhir menjadi 000.",
    "NIP_17_DIGIT": "NIP hanya **17 digit** (satu digit tertinggal saat mengetik).",
    "NIP_TANGGAL_LAHIR": "Bagian tanggal lahir NIP mustahil (**bulan 13**).",
    "NIP_KOSONG": "Ada nama dan nilai, tetapi **NIP kosong**.",
    "SKOR_DI_LUAR_RENTANG": "Nilai **11**, di luar rentang 0–10.",
    "NIP_GANDA": "NIP yang sama **dua kali pada tanggal yang sama** (salin-tempel ganda).",
    "ULANG_TAHAP": "Peserta **mengulang** tahap Dasar pada tanggal lain (7 lalu 9).",
    "KETERANGAN_BERTENTANGAN": "Keterangan tulisan tangan **bertentangan** dengan aturan.",
    "SUDAH_BERHENTI": "Peserta yang sudah **berhenti** di Dasar muncul lagi di Lanjutan I "
    "dengan nilai 10.",
    "SKOR_TEKS": 'Nilai ditulis dengan **huruf** ("sembilan").',
    "SKOR_GALAT": "Sel nilai berisi **galat Excel `#N/A`**.",
}


def _cells(kind: str) -> str:
    return ", ".join(f"`{cell}`" for cell in NORMALISE_FACTS[kind])


def _eselon_variants(data: Dataset) -> list[str]:
    return sorted({r.eselon_cell for r in data.all_rows() if r.eselon_cell != r.person.eselon})


def write_problems_md(data: Dataset, path: Path) -> None:
    lines = [
        "# Masalah yang sengaja ditanam dalam contoh data",
        "",
        "Berkas `nilai_pelatihan_ai_2025.xlsx` dan `nilai_pelatihan_ai_2025.csv` dibuat oleh",
        "`tests/buat_contoh_data.py` (data fiktif; nama, NIP, dan jabatan tidak nyata).",
        "Sebagian besar baris rapi, tetapi beberapa sel sengaja dibuat bermasalah seperti yang",
        "sering terjadi pada rekap nilai sungguhan. Daftar di bawah ini adalah kunci jawabannya:",
        "skorasn harus melaporkan setiap masalah di sel yang tertulis, dengan tingkat (galat atau",
        "peringatan) yang tertulis, dan mengambil keputusan seperti tertulis.",
        "",
        "Aturan: nilai ≥ 9 → **lanjut**; ≤ 5 → **berhenti** (tidak diikutkan lagi);",
        "di antaranya → **tahan**; nilai kosong → **belum_dinilai**; NIP, nilai, atau tahap tidak",
        "sah → **periksa** (dengan galat). Tanggal lahir yang mustahil di dalam NIP hanya",
        "peringatan: keputusan tetap mengikuti nilai. NIP sama dua kali di tahap yang sama pada",
        "tanggal yang sama: kedua baris **periksa** (galat duplikat). Pada tanggal berbeda",
        "(ujian ulang): percobaan terakhir yang berlaku, yang sebelumnya masuk `riwayat`.",
        "Keterangan tulisan tangan yang bertentangan dengan aturan adalah galat; keputusan",
        "menurut aturan tetap berlaku.",
        "",
        "Di berkas CSV ada kolom `Tahap` di depan, sehingga setiap huruf kolom bergeser satu ke",
        "kanan: NIP di kolom C, Nilai Akhir di K, Keterangan di L.",
        "",
        "| No | Sel | Baris CSV | Masalah | Tingkat | Yang seharusnya dilakukan skorasn |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for i, problem in enumerate(DELIBERATE_PROBLEMS, start=1):
        cells = ", ".join(f"`{c}`" for c in problem["sel"])  # type: ignore[attr-defined]
        csv_lines = ", ".join(str(n) for n in problem["baris_csv"])  # type: ignore[attr-defined]
        level = problem["tingkat"] or "— (bukan masalah)"
        action = f"{problem['pesan']} Keputusan: **{problem['keputusan']}**."
        if problem["kode"] == "ULANG_TAHAP":
            action = (
                f"{problem['pesan']} Keputusan Dasar: **{problem['keputusan']}** (riwayat: tahan)."
            )
        lines.append(
            f"| {i} | {cells} | {csv_lines} | "
            f"{DESCRIPTIONS_MD[str(problem['kode'])]} | {level} | {action} |"
        )
    lines += [
        "",
        "Tidak ada akibat lanjutan antartahap: peserta Dasar yang menjadi **periksa** (no. 1, 2,",
        "4, 5, 6) tidak ada di Lanjutan I, dan peserta Lanjutan I yang menjadi **periksa**",
        "(no. 10, 11) tidak ada di Lanjutan II.",
        "",
        "## Bukan masalah, tetapi harus dirapikan oleh skorasn",
        "",
        "- Lembar **Petunjuk** tidak berisi tabel: dilewati dengan peringatan.",
        "- Tiga baris judul (sel digabung) dan satu baris kosong di atas judul kolom (baris 5).",
        "- Baris **JUMLAH** dan blok tanda tangan di bawah tabel (termasuk teks",
        '  "NIP. 197005121995031002") bukan peserta.',
        "- NIP diketik dengan spasi (" + _cells("spaced_nip") + "), dan satu NIP diawali",
        "  tanda petik (" + _cells("apostrophe_nip") + ").",
        "- Nilai Akhir diketik sebagai teks dengan koma desimal (" + _cells("text_score") + ").",
        "- Tanggal diketik sebagai teks `dd/mm/yyyy` (" + _cells("text_date") + "); hari lebih",
        "  dulu: `07/10/2025` adalah 7 Oktober.",
        "- Eselon ditulis beragam: " + ", ".join(f"`{v}`" for v in _eselon_variants(data)) + ".",
        "- Baris Dasar yang belum dinilai (nilai kosong, keputusan **belum_dinilai**): "
        + _cells("not_scored")
        + ".",
        "- Pada tiga masalah nilai (no. 5, 11, 13) kolom Skor Pelatih 1 dan 2 sengaja kosong:",
        "  sel Nilai Akhir yang bermasalah adalah satu-satunya nilai di baris itu.",
        "",
        "## Ringkasan per tahap",
        "",
        "| Tahap | Baris | Catatan peserta | lanjut | tahan | berhenti | belum_dinilai | periksa |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for stage, count in totals(data).items():
        lines.append(
            f"| {stage} | {count['baris']} | {count['catatan']} | "
            + " | ".join(str(count[k]) for k in DECISIONS)
            + " |"
        )
    lines += [
        "",
        "*Catatan peserta* adalah baris yang menjadi catatan peserta tersendiri, yaitu yang",
        "harus dihitung skorasn dalam ringkasan per tahap: percobaan pertama peserta yang",
        "mengulang (`ULANG_TAHAP`, nilai 7,00) bukan catatan tersendiri melainkan masuk",
        "`riwayat` percobaan terakhir (9,00, lanjut); kedua baris ganda (`NIP_GANDA`) tetap dua",
        "catatan, keduanya **periksa**.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------------
# Self-check: the oracle above must describe what was written
# --------------------------------------------------------------------------------------------


def locate_problems(data: Dataset) -> list[tuple[str, str, int]]:
    """(code, cell, csv_line) for every deliberate problem, computed from the data."""
    found = []
    for row in data.all_rows():
        for code in row.problems:
            column = {
                "SKOR_DI_LUAR_RENTANG": "J",
                "SKOR_TEKS": "J",
                "SKOR_GALAT": "J",
                "KETERANGAN_BERTENTANGAN": "K",
            }.get(code, "B")
            found.append((code, f"{row.stage}!{column}{row.excel_row}", row.csv_line))
    return found


# Sheets of the workbook that hold no table: skorasn skips each with a peringatan (lembar set,
# no row). The CSV has none.
SKIPPED_SHEETS = ["Petunjuk"]

# The "not problems" part of the docstring, checked like the problems.
NORMALISE_FACTS = {
    "spaced_nip": [
        "Dasar!B38",
        "Dasar!B50",
        "Dasar!B98",
        "Dasar!B119",
        "Dasar!B122",
        "Dasar!B127",
        "Lanjutan I!B9",
    ],
    "apostrophe_nip": ["Dasar!B8"],
    "text_score": [
        "Dasar!J55",
        "Dasar!J81",
        "Dasar!J91",
        "Dasar!J141",
        "Dasar!J156",
        "Lanjutan I!J11",
        "Lanjutan I!J26",
        "Lanjutan II!J8",
    ],
    "text_date": [
        "Dasar!G27",
        "Dasar!G48",
        "Dasar!G94",
        "Dasar!G116",
        "Lanjutan I!G18",
        "Lanjutan I!G31",
        "Lanjutan II!G18",
        "Lanjutan II!G19",
    ],
    "not_scored": ["Dasar!J13", "Dasar!J58", "Dasar!J67", "Dasar!J70", "Dasar!J89"],
}
# Per sheet: data rows, participant records (what skorasn counts) and records per keputusan.
TOTALS = {
    "Dasar": {
        "baris": 152,
        "catatan": 151,
        LANJUT: 37,
        TAHAN: 72,
        BERHENTI: 31,
        BELUM: 5,
        PERIKSA: 6,
    },
    "Lanjutan I": {
        "baris": 38,
        "catatan": 38,
        LANJUT: 14,
        TAHAN: 15,
        BERHENTI: 7,
        BELUM: 0,
        PERIKSA: 2,
    },
    "Lanjutan II": {
        "baris": 14,
        "catatan": 14,
        LANJUT: 7,
        TAHAN: 4,
        BERHENTI: 2,
        BELUM: 0,
        PERIKSA: 1,
    },
}


def normalise_facts(data: Dataset) -> dict[str, list[str]]:
    facts: dict[str, list[str]] = {key: [] for key in NORMALISE_FACTS}
    for row in data.all_rows():
        where = f"{row.stage}!{{}}{row.excel_row}"
        if isinstance(row.nip_cell, str) and " " in row.nip_cell:
            facts["spaced_nip"].append(where.format("B"))
        if isinstance(row.nip_cell, str) and row.nip_cell.startswith("'"):
            facts["apostrophe_nip"].append(where.format("B"))
        if isinstance(row.final_cell, str) and not row.problems:
            facts["text_score"].append(where.format("J"))
        if row.date_as_text:
            facts["text_date"].append(where.format("G"))
        if row.expected == BELUM:
            facts["not_scored"].append(where.format("J"))
    return facts


def totals(data: Dataset) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for stage in STAGES:
        rows = data.sheets[stage]
        kept = records(rows)
        counts = {"baris": len(rows), "catatan": len(kept)}
        counts.update({key: sum(1 for r in kept if r.expected == key) for key in DECISIONS})
        result[stage] = counts
    return result


def expected_findings(data: Dataset) -> set[tuple[str, str, str]]:
    """(cell, tingkat, text) of every masalah apply_spec() expects on a data row."""
    return {
        (f"{row.stage}!{f.kolom('xlsx')}{row.excel_row}", f.tingkat, f.pesan)
        for row in data.all_rows()
        for f in row.findings
    }


def check_oracle(data: Dataset) -> None:
    found = locate_problems(data)
    found_cells = {(code, cell) for code, cell, _ in found}
    found_lines = {(code, line) for code, _, line in found}
    documented_cells = {(str(p["kode"]), cell) for p in DELIBERATE_PROBLEMS for cell in p["sel"]}  # type: ignore[attr-defined]
    documented_lines = {
        (str(p["kode"]), line) for p in DELIBERATE_PROBLEMS for line in p["baris_csv"]
    }  # type: ignore[attr-defined]
    errors = [
        f"generated but not documented: {item}"
        for item in sorted(found_cells - documented_cells) + sorted(found_lines - documented_lines)
    ]
    errors += [
        f"documented but not generated: {item}"
        for item in sorted(documented_cells - found_cells) + sorted(documented_lines - found_lines)
    ]
    rows = {f"{r.stage}!{r.excel_row}": r for r in data.all_rows()}
    for problem in DELIBERATE_PROBLEMS:
        for ref in problem.get("rujukan", []):  # type: ignore[attr-defined]
            sheet, cell = str(ref).split("!")
            row_no = int(cell[1:])
            if not any(r.excel_row == row_no for r in data.sheets[sheet]):
                errors.append(f"reference {ref} is not a data row")
        # The stated decision is the one of the (latest) record; the level is on each cell.
        cells = [str(c) for c in problem["sel"]]  # type: ignore[attr-defined]
        targets = [rows[re.sub(r"![A-Z]+", "!", c)] for c in cells]
        decided = {t.expected for t in targets if not t.superseded}
        if decided != {problem["keputusan"]}:
            errors.append(
                f"{problem['kode']} {cells}: keputusan {decided} by the rules, "
                f"documented {problem['keputusan']}"
            )
        for cell, target in zip(cells, targets, strict=True):
            letter = cell.split("!")[1].rstrip("0123456789")
            levels = {f.tingkat for f in target.findings if f.kolom("xlsx") == letter}
            if levels != ({problem["tingkat"]} if problem["tingkat"] else set()):
                errors.append(
                    f"{problem['kode']} {cell}: level {levels or 'none'} by the "
                    f"rules, documented {problem['tingkat']}"
                )
            wanted = problem.get("pesan_memuat")
            if wanted and not any(str(wanted) in f.pesan for f in target.findings):
                errors.append(f"{problem['kode']} {cell}: no finding says {wanted!r}")
    documented = {str(c) for p in DELIBERATE_PROBLEMS if p["tingkat"] for c in p["sel"]}  # type: ignore[attr-defined]
    for cell, level, text in sorted(expected_findings(data)):
        if cell not in documented:
            errors.append(f"the rules expect a {level} at {cell} ({text}), not documented")
    for row in data.all_rows():
        # Avoid an ambiguous case: a Keterangan contradicting the score on a row that is
        # periksa anyway (is that still a galat of its own?).
        if row.expected == PERIKSA and any(f.column == "Keterangan" for f in row.findings):
            errors.append(
                f"{row.stage}!K{row.excel_row}: contradicting Keterangan on a "
                "periksa row; keep such rows out of the sample"
            )
    if normalise_facts(data) != NORMALISE_FACTS:
        errors.append(f"NORMALISE_FACTS drifted: {normalise_facts(data)}")
    if totals(data) != TOTALS:
        errors.append(f"TOTALS drifted: {totals(data)}")
    if errors:
        raise SystemExit(
            "oracle out of date (update the docstring and DELIBERATE_PROBLEMS):\n  "
            + "\n  ".join(errors)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Buat contoh data skorasn (deterministik).")
    parser.add_argument(
        "--keluar", type=Path, default=DEFAULT_OUT, help="folder tujuan (bawaan: contoh_data/)"
    )
    parser.add_argument(
        "--tampilkan", action="store_true", help="cetak letak setiap masalah yang ditanam"
    )
    args = parser.parse_args(argv)
    data = build_dataset()
    if args.tampilkan:
        for code, cell, line in locate_problems(data):
            print(f"{code:26} {cell:18} csv:{line}")
        return 0
    check_oracle(data)
    args.keluar.mkdir(parents=True, exist_ok=True)
    write_xlsx(data, args.keluar / XLSX_NAME)
    write_csv(data, args.keluar / CSV_NAME)
    write_problems_md(data, args.keluar / MD_NAME)
    for name in (XLSX_NAME, CSV_NAME, MD_NAME):
        print(args.keluar / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
