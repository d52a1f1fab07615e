"""Make the small "messy" fixtures in tests/data/ with writers other than skorasn.

    python tests/data/buat_fixture.py                  # every fixture + README
    python tests/data/buat_fixture.py --tanpa-soffice  # skip LibreOffice files

How each file is made (see README.md for what it contains and the expected decisions):

* ``lo_per_tahap.ods`` -- a workbook is first written with openpyxl to a temporary folder
  (sheets "Tahap Dasar", "Lanjutan 1", "Lanjutan 2"; merged title rows; headers with odd
  spacing/case/NBSP), then converted by LibreOffice:
  ``soffice --headless --convert-to ods --outdir tests/data <tmp>/lo_per_tahap.xlsx``.
* ``lo_per_tahap.xlsx`` -- that .ods converted back by LibreOffice:
  ``soffice --headless --convert-to xlsx --outdir tests/data tests/data/lo_per_tahap.ods``,
  so every byte of it is LibreOffice's (Calc "Office Open XML" export).
* ``legacy.xls`` -- openpyxl to a temporary .xlsx, then
  ``soffice --headless --convert-to xls`` (BIFF8, "MS Excel 97"). One sheet "Dasar".
* ``titik_koma_bom.csv``, ``cp1252.csv``, ``tab.csv`` -- written byte by byte here, the way
  Excel (id-ID "CSV UTF-8"; en-US "CSV (Comma delimited)") or a copy-paste into a text editor
  produce them.
* ``excel_like.xlsx`` -- xlsxwriter, with an instructions sheet, a hidden lookup sheet, an Excel
  table, formulas with cached results (one cached ``#DIV/0!``) and data validation.

LibreOffice output is not byte-stable (it stamps the time into the file); the CSVs and
``excel_like.xlsx`` are. LibreOffice comes from Debian: ``apt-get install -y
--no-install-recommends libreoffice-calc`` (tested with LibreOffice 7.4.7.2).

The module is importable: ``FIXTURES`` maps each file to the rows it holds, the decision
skorasn should reach for each and the masalah it should report on that row (cell + level);
``SHEET_PROBLEMS`` lists the sheet- and file-level masalah (skipped sheets, the cp1252
encoding). README.md shows the same.

Expected decisions follow the product rules: score >= 9 ``lanjut``, <= 5 ``berhenti``,
otherwise ``tahan``; blank ``belum_dinilai``; an unusable NIP (e.g. stored as a NUMBER), an
invalid score or an Excel error in the score cell ``periksa`` with a galat. Nilai Akhir decides
when filled; a blank trainer score next to a filled one is a peringatan. The .xls/.ods files
hold no Excel error cells: skorasn's readers for those formats cannot see cached errors yet
(the cell would read as blank), so only the .xlsx written by xlsxwriter has one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2025, 11, 7, 8, 0, 0)
NBSP = "\u00a0"


LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA = (
    "lanjut",
    "tahan",
    "berhenti",
    "belum_dinilai",
    "periksa",
)
DECISIONS = (LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA)
GALAT, PERINGATAN = "galat", "peringatan"


@dataclass(frozen=True)
class Expect:
    """One participant row of a fixture and what skorasn should decide and report for it."""

    file: str
    where: str  # "Sheet!row" for workbooks, "line N" for CSVs
    nip: str  # the NIP after normalisation ("" when unusable: JSON nip is null)
    nama: str
    tahap: str  # dasar / lanjutan_1 / lanjutan_2
    skor: str  # the score cell as written
    keputusan: str  # lanjut / tahan / berhenti / belum_dinilai / periksa
    catatan: str = ""
    masalah: tuple[tuple[str, str], ...] = ()  # (column letter, galat/peringatan) on this row

    @property
    def lembar(self) -> str | None:
        return self.where.rsplit("!", 1)[0] if "!" in self.where else None

    @property
    def baris(self) -> int:
        return int(self.where.rsplit("!", 1)[1] if "!" in self.where else self.where.split()[1])


def nip(birth: str, tmt: str, gender: int, serial: int) -> str:
    return f"{birth}{tmt}{gender}{serial:03d}"


def spaced(value: str) -> str:
    return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"


def decide(score: float | None) -> str:
    if score is None:
        return BELUM
    return LANJUT if score >= 9 else BERHENTI if score <= 5 else TAHAN


def id_text(score: float) -> str:
    return f"{score:g}".replace(".", ",")


# --------------------------------------------------------------------------------------------
# lo_per_tahap.{ods,xlsx}
# --------------------------------------------------------------------------------------------

# fmt: off
LO_PEOPLE = [
    # nip, name, OPD, Dasar score as written (str = text cell), Lanjutan 1, Lanjutan 2
    (nip("19790312", "200501", 1, 2), "Asep Saepul Rohman, S.Kom.",
     "Dinas Komunikasi dan Informatika", "9,5", 9, "9,5"),
    (nip("19850721", "201001", 2, 1), "Euis Sumiati, S.E.", "Dinas Kesehatan", 7, None, None),
    (nip("19700105", "199603", 1, 3), "Drs. Dadang Sukmana", "Kecamatan Cikole", "5,0", None, None),
    (nip("19881130", "201503", 2, 4), "Neneng Hasanah, S.Sos.",
     "Badan Perencanaan Pembangunan Daerah", 9, "7,5", None),
    (nip("19910218", "201903", 2, 1), "Rina Marlina, S.Kom.",
     "Dinas Pendidikan", "8,99", None, None),
    (nip("19760909", "200212", 1, 1), "Cecep Supriadi, S.IP.",
     "Kecamatan Citamiang", 5.01, None, None),
    (nip("19830415", "200904", 1, 2), "Ujang Komarudin, S.T., M.T.",
     "Dinas Pekerjaan Umum dan Penataan Ruang", 10, 10, "8,5"),
    (nip("19680620", "199403", 2, 1), "Dra. Hj. Tati Rohayati, M.Si.",
     "Sekretariat Daerah", "3,5", None, None),
    (nip("19940102", "202001", 1, 5), "Rizki Ramdani, S.Kom.",
     "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "6,75", None, None),
    (nip("19810827", "200604", 2, 3), "Lilis Suryani, S.E., M.M.", "Inspektorat", 9.25, 4, None),
    (nip("19870303", "201101", 1, 6), "Deden Hidayat, S.H.", "Dinas Sosial", None, None, None),
    (nip("19730514", "199903", 2, 2), "Imas Masitoh, S.Pd.", "Kecamatan Baros", 8, None, None),
]
# fmt: on
LO_SHEETS = ("Tahap Dasar", "Lanjutan 1", "Lanjutan 2")
LO_HEADER = ("NO", " N I P ", "NAMA  LENGKAP", "OPD", f"Nilai{NBSP}Akhir", "Ket.")
LO_STAGE_KEYS = {"Tahap Dasar": "dasar", "Lanjutan 1": "lanjutan_1", "Lanjutan 2": "lanjutan_2"}
LO_HEADER_ROW = 4


def _as_number(written: object) -> float | None:
    if written is None:
        return None
    if isinstance(written, str):
        return float(written.replace(",", "."))
    return float(written)  # type: ignore[arg-type]


def lo_rows() -> dict[str, list[tuple[str, str, str, object]]]:
    """Rows per sheet: (NIP as written, name, OPD, score as written)."""
    sheets: dict[str, list[tuple[str, str, str, object]]] = {s: [] for s in LO_SHEETS}
    for i, (n, name, opd, d, l1, l2) in enumerate(LO_PEOPLE):
        written_nip = spaced(n) if i % 2 == 0 else n
        sheets["Tahap Dasar"].append((written_nip, name, opd, d))
        if l1 is not None:
            sheets["Lanjutan 1"].append((n if i % 2 == 0 else spaced(n), name, opd, l1))
        if l2 is not None:
            sheets["Lanjutan 2"].append((spaced(n), name, opd, l2))
    return sheets


def lo_expect() -> list[Expect]:
    result = []
    for file in ("lo_per_tahap.ods", "lo_per_tahap.xlsx"):
        for sheet, rows in lo_rows().items():
            for offset, (written_nip, name, _, score) in enumerate(rows):
                value = _as_number(score)
                note = []
                if " " in written_nip:
                    note.append("NIP with spaces")
                if isinstance(score, str):
                    note.append("score is text with decimal comma")
                result.append(
                    Expect(
                        file,
                        f"{sheet}!{LO_HEADER_ROW + 1 + offset}",
                        written_nip.replace(" ", ""),
                        name,
                        LO_STAGE_KEYS[sheet],
                        "" if score is None else str(score),
                        decide(value),
                        "; ".join(note),
                    )
                )
    return result


def write_lo_source(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in lo_rows().items():
        ws = wb.create_sheet(sheet)
        ws.merge_cells("A1:F1")
        ws["A1"] = "DAFTAR NILAI PESERTA PELATIHAN AI ASN"
        ws.merge_cells("A2:F2")
        ws["A2"] = f"BKPSDM KOTA SUKABUMI  —  {sheet.upper()}"
        for cell in (ws["A1"], ws["A2"]):
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for c, name in enumerate(LO_HEADER, start=1):
            ws.cell(row=LO_HEADER_ROW, column=c, value=name).font = Font(bold=True)
        for offset, (written_nip, name, opd, score) in enumerate(rows):
            r = LO_HEADER_ROW + 1 + offset
            ws.cell(row=r, column=1, value=offset + 1)
            ws.cell(row=r, column=2, value=written_nip).number_format = "@"
            ws.cell(row=r, column=3, value=name)
            ws.cell(row=r, column=4, value=opd)
            ws.cell(row=r, column=5, value=score)
        for letter, width in zip("ABCDEF", (5, 24, 32, 40, 10, 8), strict=True):
            ws.column_dimensions[letter].width = width
    wb.properties.created = FIXED_TIME
    wb.properties.creator = "Admin Diklat BKPSDM"
    wb.save(path)


# --------------------------------------------------------------------------------------------
# legacy.xls
# --------------------------------------------------------------------------------------------

# fmt: off
LEGACY_PEOPLE = [
    # nip, stored as number?, number format for numeric ones, name, unit, score
    (nip("19780211", "200312", 1, 1), False, None, "Agus Salim, S.Sos.", "Kecamatan Baros", 9),
    (nip("19820519", "200801", 2, 2), True, "General", "Yanti Kusmiati, S.E.", "Dinas Sosial", 7.5),
    (nip("19690830", "199503", 1, 1), False, None, "Drs. Engkos Kosasih",
     "Sekretariat Daerah", 4.5),
    (nip("19900412", "201503", 2, 3), True, "0", "Siti Nurjanah, S.Kom.",
     "Dinas Komunikasi dan Informatika", 9.5),
    (nip("19750101", "200101", 1, 4), False, None, "Iwan Setiawan, S.T.", "Dinas Perhubungan", 6),
    (nip("19860725", "201001", 2, 1), False, None, "Dewi Sartika, S.H.", "Inspektorat", 8.5),
    (nip("19930310", "201903", 1, 2), True, "General", "Fajar Nugraha, S.Kom.",
     "Badan Perencanaan Pembangunan Daerah", 10),
    (nip("19720615", "199803", 2, 1), False, None, "Hj. Enung Sumarni, S.Pd.",
     "Dinas Pendidikan", 5),
    (nip("19880918", "201101", 1, 3), True, "0", "Ridwan Kamil Hakim, S.IP.",
     "Kecamatan Gunungpuyuh", 8),
    (nip("19810203", "200604", 2, 2), False, None, "Nia Kurniasih, S.E., M.Si.",
     "Dinas Kesehatan", 9),
]
# fmt: on
LEGACY_HEADER_ROW = 3


def legacy_numeric(value: str) -> float:
    """An 18-digit NIP typed into a number cell: Excel keeps 15 significant digits."""
    return float(value[:15] + "000")


def legacy_expect() -> list[Expect]:
    result = []
    for offset, (n, numeric, _, name, _, score) in enumerate(LEGACY_PEOPLE):
        where = f"Dasar!{LEGACY_HEADER_ROW + 1 + offset}"
        nip_read, keputusan, note = n, decide(score), "NIP is text"
        masalah: tuple[tuple[str, str], ...] = ()
        if numeric:
            shown = n[:15] + "000"  # as Excel shows it with number format 0
            nip_read, keputusan, masalah = "", PERIKSA, (("B", GALAT),)
            note = (
                f"NIP stored as a number ({shown}, real {n}): digits lost, "
                f"galat; by score alone: {decide(score)}"
            )
        result.append(
            Expect(
                "legacy.xls", where, nip_read, name, "dasar", f"{score:g}", keputusan, note, masalah
            )
        )
    return result


def write_legacy_source(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Dasar"
    ws["A1"] = "DATA NILAI PELATIHAN AI - TAHAP DASAR"
    ws["A1"].font = Font(bold=True)
    for c, name in enumerate(("No", "NIP", "Nama", "Unit Kerja", "Skor"), start=1):
        ws.cell(row=LEGACY_HEADER_ROW, column=c, value=name).font = Font(bold=True)
    for offset, (n, numeric, fmt, name, unit, score) in enumerate(LEGACY_PEOPLE):
        r = LEGACY_HEADER_ROW + 1 + offset
        ws.cell(row=r, column=1, value=offset + 1)
        cell = ws.cell(row=r, column=2, value=legacy_numeric(n) if numeric else n)
        cell.number_format = fmt if numeric else "@"
        ws.cell(row=r, column=3, value=name)
        ws.cell(row=r, column=4, value=unit)
        ws.cell(row=r, column=5, value=score)
    for letter, width in zip("ABCDE", (5, 22, 30, 38, 8), strict=True):
        ws.column_dimensions[letter].width = width
    wb.properties.created = FIXED_TIME
    wb.properties.creator = "Admin Diklat BKPSDM"
    wb.save(path)


# --------------------------------------------------------------------------------------------
# CSVs
# --------------------------------------------------------------------------------------------

# titik_koma_bom.csv: Excel id-ID "CSV UTF-8": BOM, ';', CRLF, decimal comma.
SEMI_ROWS = [
    (nip("19800714", "200501", 1, 1), "Yayan Sopyan, S.Kom.", 9.5, "Dasar"),
    (nip("19870222", "201101", 2, 2), "Wulan Sari Dewi, S.E.", 8.75, "Dasar"),
    (nip("19750330", "200003", 1, 1), "Dodi Firmansyah, S.T.", 5, "Dasar"),
    (nip("19921212", "201903", 2, 1), "Fitri Handayani, S.IP.", 9, "Dasar"),
    (nip("19690101", "199403", 1, 2), "Drs. Tatang Sutarman, M.Si.", 6.5, "Dasar"),
    (nip("19830808", "200904", 2, 3), "Santi Rahmawati, S.Sos.", 10, "Dasar"),
    (nip("19770505", "200212", 1, 1), "Hendra Gunawan, S.H.", 4.25, "Dasar"),
    (nip("19890619", "201404", 2, 2), "Dian Kartika, S.Pd.", None, "Dasar"),
    (nip("19800714", "200501", 1, 1), "Yayan Sopyan, S.Kom.", 9, "Lanjutan 1"),
    (nip("19921212", "201903", 2, 1), "Fitri Handayani, S.IP.", 7.25, "Lanjutan 1"),
    (nip("19830808", "200904", 2, 3), "Santi Rahmawati, S.Sos.", 9.5, "Lanjutan 1"),
    (nip("19800714", "200501", 1, 1), "Yayan Sopyan, S.Kom.", 9.75, "Lanjutan 2"),
    (nip("19830808", "200904", 2, 3), "Santi Rahmawati, S.Sos.", 5.5, "Lanjutan 2"),
]

# cp1252.csv: Excel en-US "CSV (Comma delimited)": cp1252, ',', CRLF, decimal point, no BOM.
CP1252_ROWS = [
    (nip("19810420", "200604", 1, 1), "Ëndang Ça", 9.5, "Dasar"),
    (nip("19860911", "201001", 2, 2), "Dédé Rosé Nurhayati, S.E.", 7, "Dasar"),
    (nip("19740613", "199903", 1, 1), "Ade Ma\u2019ruf, S.Ag.", 4, "Dasar"),
    (nip("19900808", "201503", 2, 1), "Siti Nur\u2019aini, S.Kom.", 9, "Dasar"),
    (nip("19780121", "200312", 1, 3), "Asep Suherman, S.Kom., M.Kom.", 8.5, "Dasar"),
    (nip("19850505", "200904", 2, 4), "Zoë Kurniasih \u2013 Dinkes", 5.5, "Dasar"),
    (nip("19700707", "199503", 1, 2), "H. Ujang Suryana, S.Sos.", 6.25, "Dasar"),
    (nip("19951001", "202001", 2, 1), "Nenden Ayu Lestari, S.Stat.", 10, "Dasar"),
    (nip("19810420", "200604", 1, 1), "Ëndang Ça", 8, "Lanjutan I"),
    (nip("19900808", "201503", 2, 1), "Siti Nur\u2019aini, S.Kom.", 9.25, "Lanjutan I"),
]

# tab.csv: a range copied from Excel (id-ID) and pasted into a text editor, saved as UTF-8
# without BOM, LF line endings, decimal comma, trailing tabs on a row with an empty cell,
# stage names in lower case.
TAB_ROWS = [
    (nip("19820302", "200801", 1, 2), "Rudi Hartono, S.E.", 9.25, "dasar"),
    (nip("19880614", "201101", 2, 1), "Lia Amélia, S.Kom.", 7.5, "dasar"),
    (nip("19710919", "199703", 1, 1), "Drs. Aceng Kurnia", 5, "dasar"),
    (nip("19930127", "201903", 2, 3), "Nurul Fauziah, S.IP.", 9, "dasar"),
    (nip("19840404", "200904", 1, 4), "Gugun Gunawan, S.T.", 8.99, "dasar"),
    (nip("19760811", "200212", 2, 2), "Cucu Cahyati, S.Pd.", None, "dasar"),
    (nip("19900201", "201503", 1, 1), "Ilham Maulana, S.Kom.", 2.5, "dasar"),
    (nip("19820302", "200801", 1, 2), "Rudi Hartono, S.E.", 9.5, "lanjutan 1"),
    (nip("19930127", "201903", 2, 3), "Nurul Fauziah, S.IP.", 6, "lanjutan 1"),
    (nip("19820302", "200801", 1, 2), "Rudi Hartono, S.E.", 8, "lanjutan 2"),
]

STAGE_KEYS = {
    "dasar": "dasar",
    "lanjutan 1": "lanjutan_1",
    "lanjutan 2": "lanjutan_2",
    "lanjutan i": "lanjutan_1",
    "lanjutan ii": "lanjutan_2",
}


def _csv_field(value: str, delimiter: str) -> str:
    if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_semicolon_csv(path: Path) -> None:
    lines = ["NIP;Nama;Skor;Tahap"]
    for n, name, score, stage in SEMI_ROWS:
        shown = "" if score is None else id_text(score)
        lines.append(";".join(_csv_field(v, ";") for v in (n, name, shown, stage)))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def write_cp1252_csv(path: Path) -> None:
    lines = ["NIP,Nama,Skor,Tahap"]
    for n, name, score, stage in CP1252_ROWS:
        lines.append(",".join(_csv_field(v, ",") for v in (n, name, f"{score:g}", stage)))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def write_tab_csv(path: Path) -> None:
    lines = ["NIP\tNama\tSkor\tTahap"]
    for n, name, score, stage in TAB_ROWS:
        shown = "" if score is None else id_text(score)
        lines.append("\t".join((n, name, shown, stage)))
    lines.append("\t\t\t")  # Excel copies the empty row under the selection too
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def csv_expect() -> list[Expect]:
    result = []
    for file, rows, note in (
        ("titik_koma_bom.csv", SEMI_ROWS, "decimal comma"),
        ("cp1252.csv", CP1252_ROWS, "cp1252 text"),
        ("tab.csv", TAB_ROWS, "tab-delimited, decimal comma"),
    ):
        for line, (n, name, score, stage) in enumerate(rows, start=2):
            written = (
                "" if score is None else (f"{score:g}" if file == "cp1252.csv" else id_text(score))
            )
            result.append(
                Expect(
                    file,
                    f"line {line}",
                    n,
                    name,
                    STAGE_KEYS[stage.lower()],
                    written,
                    decide(score),
                    note,
                )
            )
    return result


# --------------------------------------------------------------------------------------------
# excel_like.xlsx (xlsxwriter)
# --------------------------------------------------------------------------------------------

# fmt: off
EXCEL_LIKE_PEOPLE = [
    # nip, name, eselon, unit, trainer 1, trainer 2
    (nip("19790925", "200501", 1, 1), "Jajang Nurjaman, S.Kom.", "III.b",
     "Dinas Komunikasi dan Informatika", 9, 9.5),
    (nip("19840112", "200904", 2, 2), "Rika Rahmawati, S.E.", "IV.a",
     "Badan Keuangan Daerah", 7.5, 8),
    (nip("19711111", "199803", 1, 1), "Drs. Endang Rukmana", "III.a", "Kecamatan Warudoyong", 5, 5),
    (nip("19900630", "201503", 2, 1), "Anisa Rahma, S.Kom.", "IV.b", "Kecamatan Lembursitu", 10, 9),
    (nip("19860304", "201001", 1, 3), "Ruslan Abdul Gani, S.H.", "IV.a",
     "Satuan Polisi Pamong Praja", 8.5, 9),
    (nip("19750818", "200003", 2, 2), "Teti Herawati, S.Pd., M.Pd.", "III.b",
     "Dinas Pendidikan", 6, None),
    (nip("19920415", "201903", 1, 2), "Yusuf Maulana, S.T.", "IV.b",
     "Dinas Lingkungan Hidup", None, None),
    (nip("19680912", "199403", 2, 1), "Hj. Popon Suryani, S.Sos., M.Si.", "II.b",
     "Dinas Sosial", 9, 9),
    (nip("19830228", "200604", 1, 4), "Dikdik Sodikin, S.IP.", "IV.a",
     "Kecamatan Cibeureum", 4, 3.5),
    (nip("19890707", "201404", 2, 3), "Wulan Purnamasari, S.Ak.", "IV.a",
     "Badan Perencanaan Pembangunan Daerah", 9, 8.5),
]
# fmt: on
EXCEL_LIKE_HEADER_ROW = 3  # 0-based 2


def excel_like_final(t1: float | None, t2: float | None) -> float | str:
    values = [v for v in (t1, t2) if v is not None]
    if not values:
        return "#DIV/0!"
    return round(sum(values) / len(values), 2)


def excel_like_expect() -> list[Expect]:
    result = []
    for offset, (n, name, _, _, t1, t2) in enumerate(EXCEL_LIKE_PEOPLE):
        final = excel_like_final(t1, t2)
        where = f"Dasar!{EXCEL_LIKE_HEADER_ROW + 1 + offset}"
        masalah: tuple[tuple[str, str], ...] = ()
        if isinstance(final, str):
            skor, keputusan, masalah = final, PERIKSA, (("G", GALAT), ("H", PERINGATAN))
            note = (
                "both trainer cells empty; Nilai Akhir formula caches #DIV/0!: "
                "an Excel error in the score cell is a galat (never blank, "
                "never belum_dinilai); the Keterangan formula built on it caches #DIV/0! "
                "too, a peringatan at its cell"
            )
        else:
            skor, keputusan, note = f"{final:g}", decide(final), "formula with cached value"
            if t2 is None:
                note += (
                    "; only one trainer score: Nilai Akhir (AVERAGE of that one) decides, and "
                    "the blank Skor Pelatih 2 is a peringatan"
                )
                masalah = (("F", PERINGATAN),)
        result.append(
            Expect("excel_like.xlsx", where, n, name, "dasar", skor, keputusan, note, masalah)
        )
    return result


def write_excel_like(path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties(
        {
            "title": "Nilai Tahap Dasar",
            "author": "Admin Diklat",
            "company": "BKPSDM Kota Sukabumi",
            "created": FIXED_TIME,
        }
    )
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    text = wb.add_format({"num_format": "@"})
    two = wb.add_format({"num_format": "0.00"})

    info = wb.add_worksheet("Petunjuk")
    info.set_column(0, 0, 90)
    for r, line in enumerate(
        [
            "PETUNJUK",
            "Isi nilai pada lembar Dasar. Jangan mengubah lembar lain.",
            "Nilai Akhir dan Keterangan terisi otomatis (rumus).",
            "NIP diisi 18 digit sebagai teks.",
        ]
    ):
        info.write(r, 0, line, bold if r == 0 else None)

    ws = wb.add_worksheet("Dasar")
    ws.write(0, 0, "NILAI PELATIHAN AI ASN — TAHAP DASAR", title)
    headers = [
        "NIP",
        "Nama Peserta",
        "Eselon",
        "Unit Kerja",
        "Skor Pelatih 1",
        "Skor Pelatih 2",
        "Nilai Akhir",
        "Keterangan",
    ]
    first = EXCEL_LIKE_HEADER_ROW - 1
    last = first + len(EXCEL_LIKE_PEOPLE)
    ws.add_table(
        first,
        0,
        last,
        len(headers) - 1,
        {
            "name": "NilaiDasar",
            "style": "Table Style Medium 2",
            "columns": [{"header": h} for h in headers],
        },
    )
    for offset, (n, name, eselon, unit, t1, t2) in enumerate(EXCEL_LIKE_PEOPLE):
        r = first + 1 + offset
        excel_row = r + 1
        ws.write_string(r, 0, n, text)
        ws.write_string(r, 1, name)
        ws.write_string(r, 2, eselon)
        ws.write_string(r, 3, unit)
        for c, value in ((4, t1), (5, t2)):
            if value is None:
                ws.write_blank(r, c, None)
            else:
                ws.write_number(r, c, value)
        final = excel_like_final(t1, t2)
        ws.write_formula(r, 6, f"=ROUND(AVERAGE(E{excel_row}:F{excel_row}),2)", two, final)
        if isinstance(final, str):
            ket: str = "#DIV/0!"
        else:
            ket = "LULUS" if final >= 9 else "TIDAK LULUS" if final <= 5 else "ULANG"
        ws.write_formula(
            r,
            7,
            f'=IF(G{excel_row}>=9,"LULUS",IF(G{excel_row}<=5,"TIDAK LULUS","ULANG"))',
            None,
            ket,
        )
    ws.data_validation(
        first + 1, 2, last, 2, {"validate": "list", "source": "=Referensi!$A$2:$A$7"}
    )
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 34)
    ws.set_column(3, 3, 40)
    ws.set_column(4, 7, 13)
    ws.freeze_panes(first + 1, 0)
    ws.activate()

    ref = wb.add_worksheet("Referensi")
    ref.write_row(0, 0, ["Eselon", "Unit Kerja"], bold)
    ref.write_column(1, 0, ["II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b"])
    ref.write_column(1, 1, sorted({p[3] for p in EXCEL_LIKE_PEOPLE}))
    ref.hide()
    wb.close()


# --------------------------------------------------------------------------------------------
# LibreOffice
# --------------------------------------------------------------------------------------------


def soffice_convert(source: Path, target_ext: str, outdir: Path, profile: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit(
            "soffice not found: apt-get install -y --no-install-recommends "
            "libreoffice-calc  (or run with --tanpa-soffice)"
        )
    cmd = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        target_ext,
        "--outdir",
        str(outdir),
        str(source),
    ]
    subprocess.run(
        cmd, check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(profile)}
    )
    produced = outdir / f"{source.stem}.{target_ext}"
    if not produced.is_file():
        raise SystemExit(f"soffice did not produce {produced}")
    return produced


FIXTURES: dict[str, list[Expect]] = {}

# Masalah about a whole sheet (no row): (file, sheet, level, why).
SHEET_PROBLEMS: list[tuple[str, str | None, str, str]] = [
    ("excel_like.xlsx", "Petunjuk", PERINGATAN, "instructions, no table: skipped"),
    ("excel_like.xlsx", "Referensi", PERINGATAN, "hidden sheet: skipped"),
    ("cp1252.csv", None, PERINGATAN, "not UTF-8: read as cp1252, said once for the file"),
]


def all_expectations() -> list[Expect]:
    return lo_expect() + legacy_expect() + csv_expect() + excel_like_expect()


for _e in all_expectations():
    FIXTURES.setdefault(_e.file, []).append(_e)


def nip_plausible(value: str) -> bool:
    """Digits 1-8 a real birth date and the 15th digit 1 or 2 (else skorasn warns)."""
    try:
        dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return False
    return value[14] in "12"


def check_fixtures() -> list[str]:
    """Why the table above needs no more masalah than it lists: every usable NIP is plausible
    (no peringatan), and across stages only ``lanjut`` people appear in the next stage (no
    eligibility galat). Returns the violations (empty when the fixtures are as documented)."""
    errors = []
    order = ("dasar", "lanjutan_1", "lanjutan_2")
    for file, rows in FIXTURES.items():
        for e in rows:
            if e.nip and not nip_plausible(e.nip):
                errors.append(f"{file} {e.where}: NIP {e.nip} would get a peringatan")
        for e in rows:
            if not e.nip or e.tahap == "dasar":
                continue
            previous = order[order.index(e.tahap) - 1]
            before = [r for r in rows if r.nip == e.nip and r.tahap == previous]
            if [r.keputusan for r in before] != [LANJUT]:
                errors.append(
                    f"{file} {e.where}: {e.nip} is in {e.tahap} without exactly one "
                    f"lanjut record in {previous}"
                )
    return errors


# --------------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------------

README_INTRO = """# tests/data — fixtures not written by skorasn

Small input files made by other writers (LibreOffice, xlsxwriter, hand-made CSV bytes), each
with 10–20 participant rows, to test that skorasn reads what real users send. All names and
NIPs are fictitious. Regenerate with:

    python tests/data/buat_fixture.py            # needs soffice (libreoffice-calc)
    python tests/data/buat_fixture.py --tanpa-soffice

`buat_fixture.py` documents how each file was produced; `FIXTURES` and `SHEET_PROBLEMS` in it
hold the tables below as data (import them in tests instead of copying rows;
`tests/test_contoh_data.py` runs skorasn on every file and compares). The rule: score >= 9
`lanjut`, <= 5 `berhenti`, otherwise `tahan`; blank `belum_dinilai`; an unusable NIP (stored as
a number), an invalid score or an Excel error in the score cell `periksa`, with a galat. Nilai
Akhir decides when filled; a blank trainer score next to a filled one is a peringatan. The
*Masalah* column lists what skorasn must report on that row (`column: level`); rows without
one must get no masalah. Excel error cells are only in `excel_like.xlsx`: skorasn cannot yet
see cached errors in .xls/.ods (they would read as blank), so those files hold none.
"""

FILE_TABLE = [
    (
        "`lo_per_tahap.ods`",
        "LibreOffice 7.4 (from an openpyxl workbook)",
        'ODS; sheets "Tahap Dasar", "Lanjutan 1", "Lanjutan 2"; two merged title rows and a blank'
        ' row above the header (row 4); headers `NO`, `" N I P "`, `NAMA  LENGKAP` (two spaces), '
        "`OPD`, `Nilai<NBSP>Akhir`, `Ket.`; NIPs with spaces on alternate rows (and the same "
        "person without spaces on the next sheet); scores as numbers and as text with a decimal "
        "comma; one blank score",
    ),
    (
        "`lo_per_tahap.xlsx`",
        "LibreOffice 7.4 (from the .ods above)",
        "the same content written by LibreOffice's xlsx filter (shared strings, LO styles, merged"
        " cells)",
    ),
    (
        "`legacy.xls`",
        'LibreOffice 7.4, "MS Excel 97" filter',
        'BIFF8 .xls; one sheet "Dasar"; title row 1, header row 3 (`No, NIP, Nama, Unit Kerja, '
        "Skor`); NIP as text on 6 rows and as a NUMBER on 4 rows (15 significant digits kept, so "
        "the last three digits read `000`; two with number format `0`, two General)",
    ),
    (
        "`titik_koma_bom.csv`",
        'bytes, like Excel id-ID "CSV UTF-8"',
        "UTF-8 BOM, `;`, CRLF, decimal comma, header `NIP;Nama;Skor;Tahap`, stages "
        "`Dasar`/`Lanjutan 1`/`Lanjutan 2`, one blank score",
    ),
    (
        "`cp1252.csv`",
        'bytes, like Excel en-US "CSV (Comma delimited)"',
        "cp1252 (not UTF-8: `Ë`, `Ç`, `é`, `ë`, `’` 0x92, `–` 0x96), `,`, CRLF, decimal point, "
        "quoted names containing commas, stages `Dasar`/`Lanjutan I`",
    ),
    (
        "`tab.csv`",
        "bytes, like an Excel range pasted into a text editor",
        "tab-delimited despite the `.csv` name, UTF-8 without BOM, LF, decimal comma, lower-case "
        "stages, one blank score, a trailing line of empty tab-separated cells",
    ),
    (
        "`excel_like.xlsx`",
        "xlsxwriter",
        'sheet order: "Petunjuk" (instructions, no table: skip with a warning), "Dasar" (active; '
        'title row 1, blank row 2, header row 3 inside an Excel table `NilaiDasar`), "Referensi" '
        "(HIDDEN lookup lists `Eselon`/`Unit Kerja`, no participants: must yield no rows); Nilai "
        "Akhir and Keterangan are formulas with cached results; one cached `#DIV/0!`; data "
        "validation on Eselon",
    ),
]


def write_readme(path: Path) -> None:
    lines = [README_INTRO, "| File | Writer | What it exercises |", "| --- | --- | --- |"]
    lines += [f"| {file} | {writer} | {what} |" for file, writer, what in FILE_TABLE]
    lines += ["", "## Expected decision per row", ""]
    for file, rows in FIXTURES.items():
        lines.append(f"### `{file}`\n")
        lines.append(
            "| Where | NIP (normalised) | Nama | Tahap | Skor as written | Keputusan "
            "| Masalah | Notes |"
        )
        lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for e in rows:
            skor = e.skor.replace("|", "\\|") if e.skor else "(blank)"
            masalah = ", ".join(f"{col}: {level}" for col, level in e.masalah) or "—"
            lines.append(
                f"| {e.where} | {e.nip or '— (null)'} | {e.nama} | {e.tahap} | {skor} "
                f"| {e.keputusan} | {masalah} | {e.catatan} |"
            )
        lines.append("")
    lines += [
        "## Sheet-level masalah",
        "",
        "| File | Sheet | Level | Why |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{file}` | {sheet or '(whole file)'} | {level} | {why} |"
        for file, sheet, level, why in SHEET_PROBLEMS
    ]
    lines.append("")
    lines.append(
        "Across stages every fixture is consistent (only `lanjut` people appear in the "
        "next stage, checked by `check_fixtures()`), so no eligibility galat is "
        "expected and the final state per person follows from the table.\n"
    )
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the fixtures in tests/data/.")
    parser.add_argument(
        "--tanpa-soffice",
        action="store_true",
        help="skip the LibreOffice-made files (.ods, LO .xlsx, .xls)",
    )
    args = parser.parse_args(argv)
    problems = check_fixtures()
    if problems:
        raise SystemExit("fixtures disagree with their documentation:\n  " + "\n  ".join(problems))

    write_semicolon_csv(HERE / "titik_koma_bom.csv")
    write_cp1252_csv(HERE / "cp1252.csv")
    write_tab_csv(HERE / "tab.csv")
    write_excel_like(HERE / "excel_like.xlsx")
    if not args.tanpa_soffice:
        with tempfile.TemporaryDirectory(prefix="skorasn_fixture_") as tmp:
            tmpdir = Path(tmp)
            profile = tmpdir / "profile"
            profile.mkdir()
            src_dir = tmpdir / "src"
            src_dir.mkdir()
            write_lo_source(src_dir / "lo_per_tahap.xlsx")
            ods = soffice_convert(src_dir / "lo_per_tahap.xlsx", "ods", HERE, profile)
            soffice_convert(ods, "xlsx", HERE, profile)
            write_legacy_source(src_dir / "legacy.xlsx")
            soffice_convert(src_dir / "legacy.xlsx", "xls", HERE, profile)
    write_readme(HERE / "README.md")
    for name in (
        "lo_per_tahap.ods",
        "lo_per_tahap.xlsx",
        "legacy.xls",
        "titik_koma_bom.csv",
        "cp1252.csv",
        "tab.csv",
        "excel_like.xlsx",
        "README.md",
    ):
        path = HERE / name
        print(f"{path.stat().st_size:>7}  {path}" if path.exists() else f"missing  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
