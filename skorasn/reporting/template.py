"""The blank scoring workbook for trainers (`skorasn templat`), optionally pre-filled.

The workbook has a "Petunjuk" sheet first (how to fill it in, in Indonesian), then one sheet per
stage ("Dasar", "Lanjutan 1", "Lanjutan 2") whose header row is exactly what the reader
recognises. Excel enforces what it can while the trainer types: NIP cells are Text so all 18
digits survive, scores are decimals 0–10, Eselon is a dropdown and Tanggal a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from skorasn.formatting import decimal_comma
from skorasn.models import Participant, Rules
from skorasn.vocabulary import INSTRUCTIONS_MARKER, INSTRUCTIONS_SHEET, SHEET_NAMES

# (header, width, key in a pre-filled Participant or None)
COLUMNS = (
    ("No", 5, None),
    ("NIP", 21, "nip"),
    ("Nama", 34, "nama"),
    ("Eselon", 9, "eselon"),
    ("Unit Kerja", 36, "unit_kerja"),
    ("Jabatan", 30, "jabatan"),
    ("Tanggal", 12, None),
    ("Skor Pelatih 1", 14, None),
    ("Skor Pelatih 2", 14, None),
    ("Keterangan", 26, None),
)
HEADERS = tuple(title for title, _, _ in COLUMNS)
ESELON_CHOICES = ("II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b")
SCORE_MIN, SCORE_MAX = 0, 10
FIRST_DATE, LAST_DATE = (2020, 1, 1), (2099, 12, 31)
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
# Formatted, validated rows below the header, however short the pre-filled list.
BLANK_ROWS = 1000
SPARE_ROWS = 200
HEADER_FILL = "D9E1F2"


def write_template(
    path: Path, stages: Sequence[str], roster: dict[str, list[Participant]], rules: Rules
) -> None:
    """Write the workbook to `path`, with `roster`'s participants on their stage sheets."""
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "skorasn"
    book.properties.title = "Lembar nilai pelatihan AI ASN Pemkot Sukabumi"
    instructions = book.active
    instructions.title = INSTRUCTIONS_SHEET
    _instructions_sheet(instructions, stages, rules)
    for stage in stages:
        _stage_sheet(book.create_sheet(SHEET_NAMES[stage]), roster.get(stage, []))
    book.active = 0
    book.save(path)


def instruction_lines(stages: Sequence[str], rules: Rules) -> list[tuple[str, str]]:
    """(topic, explanation) rows of the Petunjuk sheet.

    No cell may be a bare column name ("NIP", "Nama", "Skor"): a reader looking for a header
    row would take the sheet for a table.
    """
    sheets = ", ".join(f"'{SHEET_NAMES[s]}'" for s in stages)
    lanjut, berhenti = _decimal(rules.lanjut_min), _decimal(rules.berhenti_maks)
    return [
        (
            "Lembar",
            f"Isi nilai pada lembar tahapnya: {sheets}. Nama lembar menunjukkan tahap, "
            "jadi jangan mengganti nama lembar.",
        ),
        (
            "Baris",
            "Satu baris untuk satu peserta. Mulai dari baris 2, tepat di bawah judul "
            "kolom, tanpa baris kosong di antaranya.",
        ),
        (
            "Kolom NIP",
            "18 digit, diketik sebagai teks tanpa spasi (kolom ini sudah berformat "
            "Teks). Jangan menempel NIP sebagai angka: Excel hanya menyimpan 15 "
            "digit, sehingga digit terakhir hilang.",
        ),
        ("Kolom Nama, Unit Kerja, Jabatan", "Tulis seperti pada data kepegawaian."),
        ("Kolom Eselon", "Pilih dari daftar: " + ", ".join(ESELON_CHOICES) + "."),
        ("Kolom Tanggal", "Tanggal ujian, ditulis hari/bulan/tahun, misalnya 07/10/2025."),
        (
            "Kolom Skor Pelatih 1 dan 2",
            f"Angka {SCORE_MIN} sampai {SCORE_MAX}; desimal boleh, "
            "misalnya 8,5 (Excel berbahasa Indonesia) atau 8.5 (Excel "
            "berbahasa Inggris). Bila hanya ada satu pelatih, kosongkan "
            f"Skor Pelatih 2. Skor peserta adalah {rules.gabung} skor "
            "para pelatih.",
        ),
        (
            "Aturan Wali Kota",
            f"Skor {lanjut} ke atas: lanjut ke tahap berikutnya. Skor "
            f"{berhenti} ke bawah: berhenti dan tidak diikutkan lagi. Di "
            "antaranya: tahan (mengulang tahap ini).",
        ),
        (
            "Ujian ulang",
            "Tambahkan baris BARU untuk peserta yang sama dengan Tanggal yang "
            "berbeda; jangan menimpa baris lama. Percobaan terakhir yang berlaku.",
        ),
        (
            "Kolom Keterangan",
            "Boleh dikosongkan. Bila diisi (lanjut, tahan, berhenti), "
            "skorasn mencocokkannya dengan aturan: keputusan selalu menurut "
            "aturan, dan keterangan yang tidak sesuai dilaporkan.",
        ),
        (
            "Jangan",
            "Jangan mengubah, memindahkan atau menerjemahkan judul kolom di baris 1; "
            "jangan menyisipkan baris di atas judul; jangan menyembunyikan lembar; "
            "jangan menggabungkan sel; jangan memakai rumus untuk NIP atau skor.",
        ),
        (
            "Menyimpan",
            "Simpan sebagai Excel Workbook (.xlsx), lalu kirim ke BKPSDM. Petugas "
            "dapat memeriksanya lebih dulu dengan: skorasn periksa nama_berkas.xlsx",
        ),
    ]


def _instructions_sheet(sheet: Any, stages: Sequence[str], rules: Rules) -> None:
    from openpyxl.styles import Alignment, Font

    sheet["A1"] = INSTRUCTIONS_MARKER
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "Pelatihan Pemanfaatan AI bagi ASN — BKPSDM Kota Sukabumi"
    sheet["A2"].font = Font(italic=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (topic, text) in enumerate(instruction_lines(stages, rules), start=4):
        _text(sheet.cell(row=row, column=1), topic).font = Font(bold=True)
        sheet.cell(row=row, column=1).alignment = wrap
        _text(sheet.cell(row=row, column=2), text).alignment = wrap
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 100


def _stage_sheet(sheet: Any, participants: list[Participant]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    thin = Side(style="thin")
    header_border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for position, (title, width, _) in enumerate(COLUMNS, start=1):
        cell = _text(sheet.cell(row=1, column=position), title)
        cell.font, cell.fill, cell.border = header_font, header_fill, header_border
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"

    last = 1 + max(BLANK_ROWS, len(participants) + SPARE_ROWS)
    nip, date = _letter("NIP"), _letter("Tanggal")
    sheet.column_dimensions[nip].number_format = TEXT_FORMAT
    sheet.column_dimensions[date].number_format = DATE_FORMAT
    sheet[f"{nip}1"].number_format = TEXT_FORMAT
    for row in range(2, last + 1):
        sheet[f"{nip}{row}"].number_format = TEXT_FORMAT
        sheet[f"{date}{row}"].number_format = DATE_FORMAT
    for row, person in enumerate(participants, start=2):
        sheet.cell(row=row, column=1, value=row - 1)
        for position, (_, _, key) in enumerate(COLUMNS, start=1):
            value = getattr(person, key) if key else None
            if value:
                _text(sheet.cell(row=row, column=position), value)
    for validation in _validations(last):
        sheet.add_data_validation(validation)


def _validations(last: int) -> list[Any]:
    """Score 0–10, Eselon from the list, Tanggal a date, NIP 18 characters; all 'stop'."""
    from openpyxl.utils.datetime import to_excel
    from openpyxl.worksheet.datavalidation import DataValidation

    def rule(columns: tuple[str, ...], **options: Any) -> DataValidation:
        validation = DataValidation(
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            **options,
        )
        for title in columns:
            letter = _letter(title)
            validation.add(f"{letter}2:{letter}{last}")
        return validation

    first_day, last_day = (int(to_excel(dt.datetime(*d))) for d in (FIRST_DATE, LAST_DATE))
    return [
        rule(
            ("Skor Pelatih 1", "Skor Pelatih 2"),
            type="decimal",
            operator="between",
            formula1=str(SCORE_MIN),
            formula2=str(SCORE_MAX),
            errorTitle="Skor tidak sah",
            error=f"Skor harus berupa angka {SCORE_MIN} sampai {SCORE_MAX}. Desimal boleh, "
            "misalnya 8,5. Jangan menulis huruf atau tanda lain.",
            promptTitle="Skor pelatih",
            prompt=f"Angka {SCORE_MIN}–{SCORE_MAX}, desimal boleh (misalnya 8,5).",
        ),
        rule(
            ("Eselon",),
            type="list",
            formula1='"' + ",".join(ESELON_CHOICES) + '"',
            errorTitle="Eselon tidak sah",
            error="Pilih eselon dari daftar: " + ", ".join(ESELON_CHOICES) + ".",
            promptTitle="Eselon",
            prompt="Pilih dari daftar.",
        ),
        rule(
            ("Tanggal",),
            type="date",
            operator="between",
            formula1=str(first_day),
            formula2=str(last_day),
            errorTitle="Tanggal tidak sah",
            error="Tulis tanggal ujian sebagai tanggal, hari/bulan/tahun, misalnya 07/10/2025.",
            promptTitle="Tanggal ujian",
            prompt="Hari/bulan/tahun, misalnya 07/10/2025.",
        ),
        rule(
            ("NIP",),
            type="textLength",
            operator="equal",
            formula1="18",
            errorTitle="NIP tidak sah",
            error="NIP harus 18 digit, diketik sebagai teks tanpa spasi.",
            promptTitle="NIP",
            prompt="18 digit tanpa spasi.",
        ),
    ]


def _letter(title: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(HEADERS.index(title) + 1)


def _text(cell: Any, value: str) -> Any:
    """Store `value` as text, even when it starts with '=' (openpyxl would make a formula)."""
    cell.value = value
    cell.data_type = "s"
    return cell


_decimal = decimal_comma
