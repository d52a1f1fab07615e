"""The blank scoring workbook for trainers (`skorasn templat`), optionally pre-filled with names.

The workbook has a "Petunjuk" sheet first (how to fill it in, in Indonesian), then one sheet per
stage ("Dasar", "Lanjutan 1", "Lanjutan 2") whose header row is exactly what the reader
recognises. Excel enforces what it can while the trainer types: NIP cells are Text so all 18
digits survive, scores are decimals 0–10, Eselon is a dropdown and Tanggal a date.

With `--peserta LIST` the stage sheets are pre-filled (NIP, Nama, Eselon, Unit Kerja, Jabatan):

* A skorasn report (`skorasn tier -o hasil.xlsx` or `.csv`, recognised by its "Keputusan"
  column) closes the loop: only participants whose keputusan is exactly `lanjut` are taken, and
  each goes onto the sheet of the NEXT stage (lanjut in Dasar → the "Lanjutan 1" sheet,
  lanjut in Lanjutan 1 → "Lanjutan 2"). Those who passed Lanjutan 2 have finished and are not
  copied, and neither is anyone tahan, berhenti, belum dinilai or periksa. The rows are sorted
  by name so that the previous stage's ranking does not show on the new sheet.
* Any other table with a NIP or Nama column is a plain roster: each row goes onto the sheet of
  the stage it names (a Tahap column, else its sheet's name) or, naming none, onto the first
  stage of the template; rows stay in the roster's order.

Rows whose stage has no sheet in this template (see `--tahap`) are left out. A NIP that is not
18 digits is not copied (the name is, so the trainer can fill in the NIP); each such row, and
any other doubt about the list, comes back as a `Masalah` for the CLI to print.

This module imports only light modules at the top, so that the reader can import
`is_instructions_sheet` from here without a cycle; pandas, the readers and openpyxl are
imported where they are used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skorasn.config import STAGES, Rules
from skorasn.errors import UnreadableFile, UsageError
from skorasn.numbers import decimal_comma
from skorasn.problems import GALAT, PERINGATAN, Masalah, sort_key

if TYPE_CHECKING:
    import pandas as pd

    from skorasn.reading.names import HeaderVocabulary
    from skorasn.reading.sources import RawSheet

# skorasn's own instructions sheet, recognised by its name and the marker in A1
# (is_instructions_sheet), so that readers can skip it without a warning.
INSTRUCTIONS_SHEET = "Petunjuk"
INSTRUCTIONS_MARKER = "PETUNJUK PENGISIAN LEMBAR NILAI (templat skorasn)"

SHEET_NAMES = {"dasar": "Dasar", "lanjutan_1": "Lanjutan 1", "lanjutan_2": "Lanjutan 2"}
NEXT_STAGE = {"dasar": "lanjutan_1", "lanjutan_1": "lanjutan_2"}

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

# What a list must show for its sheet to count as a table of participants.
_LIST_COLUMNS = ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap")
_DECISION_HEADER = "keputusan"
_PASSED = "lanjut"
_HEADER_SEARCH_ROWS = 20
_FOOTER_WORDS = ("jumlah", "total", "ratarata", "rerata", "rekapitulasi")


@dataclass(frozen=True)
class Participant:
    """One pre-filled row: what the trainer does not have to type."""

    nip: str | None
    nama: str | None
    eselon: str | None = None
    unit_kerja: str | None = None
    jabatan: str | None = None


def write_template(path: Path, stages: Sequence[str], peserta: Path | None,
                   rules: Rules) -> list[Masalah]:
    """Write the workbook to `path`; return the masalah met while reading `peserta`."""
    problems: list[Masalah] = []
    roster: dict[str, list[Participant]] = {}
    if peserta is not None:
        roster, problems = read_participants(peserta, stages, rules)
    _write_workbook(path, stages, roster, rules)
    return problems


# --- the workbook --------------------------------------------------------------------------

def _write_workbook(path: Path, stages: Sequence[str], roster: dict[str, list[Participant]],
                    rules: Rules) -> None:
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
        ("Lembar", f"Isi nilai pada lembar tahapnya: {sheets}. Nama lembar menunjukkan tahap, "
                   "jadi jangan mengganti nama lembar."),
        ("Baris", "Satu baris untuk satu peserta. Mulai dari baris 2, tepat di bawah judul "
                  "kolom, tanpa baris kosong di antaranya."),
        ("Kolom NIP", "18 digit, diketik sebagai teks tanpa spasi (kolom ini sudah berformat "
                      "Teks). Jangan menempel NIP sebagai angka: Excel hanya menyimpan 15 "
                      "digit, sehingga digit terakhir hilang."),
        ("Kolom Nama, Unit Kerja, Jabatan", "Tulis seperti pada data kepegawaian."),
        ("Kolom Eselon", "Pilih dari daftar: " + ", ".join(ESELON_CHOICES) + "."),
        ("Kolom Tanggal", "Tanggal ujian, ditulis hari/bulan/tahun, misalnya 07/10/2025."),
        ("Kolom Skor Pelatih 1 dan 2", f"Angka {SCORE_MIN} sampai {SCORE_MAX}; desimal boleh, "
                                 "misalnya 8,5 (Excel berbahasa Indonesia) atau 8.5 (Excel "
                                 "berbahasa Inggris). Bila hanya ada satu pelatih, kosongkan "
                                 f"Skor Pelatih 2. Skor peserta adalah {rules.gabung} skor "
                                 "para pelatih."),
        ("Aturan Wali Kota", f"Skor {lanjut} ke atas: lanjut ke tahap berikutnya. Skor "
                             f"{berhenti} ke bawah: berhenti dan tidak diikutkan lagi. Di "
                             "antaranya: tahan (mengulang tahap ini)."),
        ("Ujian ulang", "Tambahkan baris BARU untuk peserta yang sama dengan Tanggal yang "
                        "berbeda; jangan menimpa baris lama. Percobaan terakhir yang berlaku."),
        ("Kolom Keterangan", "Boleh dikosongkan. Bila diisi (lanjut, tahan, berhenti), "
                             "skorasn mencocokkannya dengan aturan: keputusan selalu menurut "
                             "aturan, dan keterangan yang tidak sesuai dilaporkan."),
        ("Jangan", "Jangan mengubah, memindahkan atau menerjemahkan judul kolom di baris 1; "
                   "jangan menyisipkan baris di atas judul; jangan menyembunyikan lembar; "
                   "jangan menggabungkan sel; jangan memakai rumus untuk NIP atau skor."),
        ("Menyimpan", "Simpan sebagai Excel Workbook (.xlsx), lalu kirim ke BKPSDM. Petugas "
                      "dapat memeriksanya lebih dulu dengan: skorasn periksa nama_berkas.xlsx"),
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
    import datetime as dt

    from openpyxl.utils.datetime import to_excel
    from openpyxl.worksheet.datavalidation import DataValidation

    def rule(columns: tuple[str, ...], **options: Any) -> DataValidation:
        validation = DataValidation(allow_blank=True, showErrorMessage=True,
                                    showInputMessage=True, errorStyle="stop", **options)
        for title in columns:
            letter = _letter(title)
            validation.add(f"{letter}2:{letter}{last}")
        return validation

    first_day, last_day = (int(to_excel(dt.datetime(*d))) for d in (FIRST_DATE, LAST_DATE))
    return [
        rule(("Skor Pelatih 1", "Skor Pelatih 2"), type="decimal", operator="between",
             formula1=str(SCORE_MIN), formula2=str(SCORE_MAX),
             errorTitle="Skor tidak sah",
             error=f"Skor harus berupa angka {SCORE_MIN} sampai {SCORE_MAX}. Desimal boleh, "
                   "misalnya 8,5. Jangan menulis huruf atau tanda lain.",
             promptTitle="Skor pelatih",
             prompt=f"Angka {SCORE_MIN}–{SCORE_MAX}, desimal boleh (misalnya 8,5)."),
        rule(("Eselon",), type="list", formula1='"' + ",".join(ESELON_CHOICES) + '"',
             errorTitle="Eselon tidak sah",
             error="Pilih eselon dari daftar: " + ", ".join(ESELON_CHOICES) + ".",
             promptTitle="Eselon", prompt="Pilih dari daftar."),
        rule(("Tanggal",), type="date", operator="between", formula1=str(first_day),
             formula2=str(last_day),
             errorTitle="Tanggal tidak sah",
             error="Tulis tanggal ujian sebagai tanggal, hari/bulan/tahun, misalnya "
                   "07/10/2025.",
             promptTitle="Tanggal ujian", prompt="Hari/bulan/tahun, misalnya 07/10/2025."),
        rule(("NIP",), type="textLength", operator="equal", formula1="18",
             errorTitle="NIP tidak sah",
             error="NIP harus 18 digit, diketik sebagai teks tanpa spasi.",
             promptTitle="NIP", prompt="18 digit tanpa spasi."),
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


# --- reading a participant list ------------------------------------------------------------

@dataclass
class _ListHeader:
    row: int
    columns: dict[str, int]
    decision: int | None = None

    @property
    def size(self) -> int:
        return len(self.columns) + (self.decision is not None)


@dataclass
class _Row:
    """One participant row of the list, before it is placed on a template sheet."""

    lembar: str | None
    baris: int
    stage: str | None
    passed: bool
    person: Participant
    nip_code: str | None
    nip_written: object
    columns: dict[str, str]

    def column(self, name: str) -> str | None:
        return self.columns.get(name)


def read_participants(path: Path, stages: Sequence[str],
                      rules: Rules) -> tuple[dict[str, list[Participant]], list[Masalah]]:
    """Participants per stage of the template, read from a roster or a skorasn report."""
    from skorasn.reading.names import HeaderVocabulary, stage_table

    sheets, problems = _list_sheets(path, rules)
    vocabulary = HeaderVocabulary.build(rules.column_aliases)
    headers = [(sheet, _find_header(sheet.rows, vocabulary)) for sheet in sheets
               if not is_instructions_sheet(sheet.name, sheet.rows)]
    if not any(header for _, header in headers):
        raise UnreadableFile(f"--peserta {path}: tidak ada tabel peserta (kolom NIP atau Nama) "
                             f"di {_HEADER_SEARCH_ROWS} baris pertama lembar mana pun")
    report = any(header and header.decision is not None for _, header in headers)
    table = stage_table(rules.stage_spellings)
    rows: list[_Row] = []
    for sheet, header in headers:
        if header is None:
            if not report:
                problems.append(_problem(path, sheet.name, None, None, PERINGATAN,
                                         "lembar dilewati: tidak ada judul kolom NIP atau Nama"))
        elif header.decision is not None or not report:
            # In a report, Ringkasan, Perlu Diperiksa and Audit are not lists of participants.
            rows.extend(_list_rows(path, sheet, header, table, problems))
    chosen = _from_report(path, rows, stages, problems) if report else \
        _from_roster(rows, stages)
    roster = _place(path, chosen, problems)
    if report:
        for people in roster.values():
            people.sort(key=lambda p: ((p.nama or "").casefold(), p.nip or ""))
    if not roster:
        problems.append(_problem(path, None, None, None, PERINGATAN,
                                 _nothing_copied(report, stages)))
    return roster, sorted(problems, key=sort_key)


def _from_report(path: Path, rows: list[_Row], stages: Sequence[str],
                 problems: list[Masalah]) -> list[tuple[str, _Row]]:
    """(template stage, row) for each participant whose latest stage in the report is lanjut."""
    order = {stage: index for index, stage in enumerate(STAGES)}
    latest: dict[str, int] = {}
    for row in rows:
        if row.person.nip is not None and row.stage is not None:
            latest[row.person.nip] = max(latest.get(row.person.nip, -1), order[row.stage])
    chosen = []
    for row in rows:
        if not row.passed:
            continue
        if row.stage is None:
            problems.append(_problem(path, row.lembar, row.baris, None, PERINGATAN,
                                     "peserta lanjut tanpa tahap yang diketahui tidak disalin; "
                                     "tambahkan kolom Tahap atau beri nama lembar 'Dasar', "
                                     "'Lanjutan 1' atau 'Lanjutan 2'"))
            continue
        if row.person.nip is not None and latest[row.person.nip] > order[row.stage]:
            continue  # already on to a later stage: that record decides
        target = NEXT_STAGE.get(row.stage)
        if target is not None and target in stages:
            chosen.append((target, row))
    return chosen


def _from_roster(rows: list[_Row], stages: Sequence[str]) -> list[tuple[str, _Row]]:
    """(template stage, row): the stage a row names, else the template's first stage."""
    targets = ((row.stage or stages[0], row) for row in rows)
    return [(target, row) for target, row in targets if target in stages]


def _place(path: Path, chosen: list[tuple[str, _Row]],
           problems: list[Masalah]) -> dict[str, list[Participant]]:
    """The participants per template stage, once per NIP, with a masalah for each doubt."""
    from skorasn.reading.names import normalise_eselon

    roster: dict[str, list[Participant]] = {}
    first_place: dict[tuple[str, str], str] = {}
    for target, row in chosen:
        nip = row.person.nip
        if nip is None:
            problems.append(_nip_problem(path, row))
        else:
            here = _place_text(path, row)
            first = first_place.setdefault((target, nip), here)
            if first != here:
                problems.append(_problem(path, row.lembar, row.baris, row.column("nip"),
                                         PERINGATAN, f"NIP {nip} sudah disalin ke lembar "
                                         f"{SHEET_NAMES[target]} dari {first}; baris ini "
                                         "dilewati", nip))
                continue
        person = row.person
        eselon = person.eselon
        if eselon is not None and normalise_eselon(eselon) is None:
            problems.append(_problem(path, row.lembar, row.baris, row.column("eselon"),
                                     PERINGATAN, f"eselon '{eselon}' tidak dikenali (contoh "
                                     "yang benar: III.a, IV.b); disalin apa adanya, perbaiki "
                                     "di templat", nip))
        elif eselon is not None:
            eselon = normalise_eselon(eselon)
        roster.setdefault(target, []).append(replace(person, nip=nip, eselon=eselon))
    return roster


def _nothing_copied(report: bool, stages: Sequence[str]) -> str:
    sheets = ", ".join(SHEET_NAMES[s] for s in stages)
    if report:
        return ("tidak ada peserta yang disalin: tidak ada peserta berkeputusan 'lanjut' yang "
                f"menuju lembar templat ini ({sheets}); templat dibuat kosong")
    return (f"tidak ada peserta yang disalin untuk lembar templat ini ({sheets}); periksa "
            "kolom Tahap atau nama lembar daftar itu, atau pilih --tahap lain")


def _list_sheets(path: Path, rules: Rules) -> tuple[list[RawSheet], list[Masalah]]:
    """The visible sheets of the list, read through the same guard as every input."""
    from skorasn.reading import is_skipped_name
    from skorasn.reading.guard import check_workbook
    from skorasn.reading.sources import (
        SUFFIXES,
        WORKBOOK_SUFFIXES,
        HiddenSheet,
        read_csv,
        read_workbook,
    )

    if not path.is_file():
        raise UsageError(f"--peserta {path}: berkas tidak ditemukan; periksa nama dan foldernya")
    if path.suffix.lower() not in SUFFIXES or is_skipped_name(path.name):
        raise UsageError(f"--peserta {path}: jenis berkas tidak didukung; gunakan .xlsx, "
                         ".xlsm, .xls, .ods atau .csv")
    problems: list[Masalah] = []
    sheets: list[RawSheet] = []
    try:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            check_workbook(path, rules.zip_limits)
            for sheet in read_workbook(path):
                if isinstance(sheet, HiddenSheet):
                    problems.append(_problem(path, sheet.name, None, None, PERINGATAN,
                                             "lembar tersembunyi dilewati; tampilkan lembarnya "
                                             "(Unhide) bila berisi peserta"))
                else:
                    sheets.append(sheet)
        else:
            sheets.append(read_csv(path))
    except UnreadableFile as exc:
        raise UnreadableFile(f"--peserta {path}: {exc}") from None
    return sheets, problems


def is_instructions_sheet(name: str | None, rows: list[list[object]]) -> bool:
    """The Petunjuk sheet this module writes: its name, and the marker in its A1 cell."""
    first = rows[0][0] if rows and rows[0] else None
    return name == INSTRUCTIONS_SHEET and first == INSTRUCTIONS_MARKER


def _find_header(rows: list[list[object]], vocabulary: HeaderVocabulary) -> _ListHeader | None:
    """The row in the first twenty naming most list columns, if it names NIP or Nama.

    Unlike the score reader, no score column is needed. A column titled exactly "Keputusan"
    is the decision column of a skorasn report, not a hand-written Keterangan.
    """
    from skorasn.reading.names import fold

    best: _ListHeader | None = None
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        header = _ListHeader(index, {})
        for position, cell in enumerate(row):
            if fold(cell) == _DECISION_HEADER:
                header.decision = position if header.decision is None else header.decision
                continue
            column = vocabulary.classify(cell)
            if column in _LIST_COLUMNS and column not in header.columns:
                header.columns[column] = position
        if {"nip", "nama"} & header.columns.keys() and (best is None or header.size > best.size):
            best = header
    return best


def _list_rows(path: Path, sheet: RawSheet, header: _ListHeader, table: dict[str, str],
               problems: list[Masalah]) -> list[_Row]:
    """The participant rows of one sheet; a row whose Tahap cannot be read is left out."""
    from skorasn.reading import normalise as norm
    from skorasn.reading.names import column_letter, fold, parse_stage

    raw = _grid(sheet, header)
    text = {name: _text_column(raw, header.columns.get(name)) for name in _LIST_COLUMNS}
    keep = (text["nip"].notna() | text["nama"].notna()) & ~_not_participants(raw, text)
    passed = _cells(raw, header.decision).map(fold) == _PASSED
    written_nip = _cells(raw, header.columns.get("nip"))
    nip, code = norm.normalise_nip(written_nip)
    letters = {name: column_letter(position) for name, position in header.columns.items()}
    fallback = parse_stage(sheet.stage_hint, table)
    rows = []
    for index in raw.index[keep]:
        written = text["tahap"][index]
        stage = parse_stage(written, table) if written is not None else fallback
        if written is not None and stage is None:
            problems.append(_problem(path, sheet.name, int(index) + 1, letters.get("tahap"),
                                     PERINGATAN, f"tahap '{written}' tidak dikenali; baris ini "
                                     "tidak disalin (tulis Dasar, Lanjutan 1 atau Lanjutan 2)"))
            continue
        rows.append(_Row(
            lembar=sheet.name, baris=int(index) + 1, stage=stage, passed=bool(passed[index]),
            person=Participant(nip=nip[index], nama=text["nama"][index],
                               eselon=text["eselon"][index],
                               unit_kerja=text["unit_kerja"][index],
                               jabatan=text["jabatan"][index]),
            nip_code=code[index], nip_written=written_nip[index], columns=letters))
    return rows


def _grid(sheet: RawSheet, header: _ListHeader) -> pd.DataFrame:
    import pandas as pd

    body = sheet.rows[header.row + 1:]
    width = max(len(row) for row in [sheet.rows[header.row], *body])
    frame = pd.DataFrame([[*row, *[""] * (width - len(row))] for row in body],
                         columns=range(width), dtype=object)
    frame.index = pd.RangeIndex(header.row + 1, header.row + 1 + len(frame))
    return frame


def _cells(raw: pd.DataFrame, position: int | None) -> pd.Series:
    import pandas as pd

    if position is None or position not in raw.columns:
        return pd.Series("", index=raw.index, dtype=object)
    return raw[position]


def _text_column(raw: pd.DataFrame, position: int | None) -> pd.Series:
    """Cells as stripped text (None when blank), without invisible control characters."""
    from skorasn.reading import normalise as norm

    cells = _cells(raw, position)
    text, _ = norm.strip_control(norm.as_text(cells, norm.cell_kinds(cells)))
    return text.where(text.notna() & (text != ""), None)


def _not_participants(raw: pd.DataFrame, text: dict[str, pd.Series]) -> pd.Series:
    """JUMLAH rows, repeated headers and 'NIP. 1970…' signature lines."""
    nip, nama, first = (_folded(column) for column in (text["nip"], text["nama"],
                                                         _text_column(raw, 0)))
    footer = ~nip.str.contains(r"\d") & (nama.str.startswith(_FOOTER_WORDS)
                                         | first.str.startswith(_FOOTER_WORDS))
    repeated = (nip == "nip") | (nama == "nama")
    signature = nip.str.match(r"nip\d") | nama.str.match(r"nip\d")
    return footer | repeated | signature


def _folded(text: pd.Series) -> pd.Series:
    from skorasn.reading.names import fold

    return text.map(fold, na_action="ignore").fillna("").astype(str)


def _nip_problem(path: Path, row: _Row) -> Masalah:
    """Why this row's NIP was not copied; the name still is."""
    if row.nip_code in (None, "kosong"):
        return _problem(path, row.lembar, row.baris, row.column("nip"), PERINGATAN,
                        "NIP kosong; nama disalin tanpa NIP, isi NIP-nya di templat")
    value = row.nip_written
    # A number shows as Excel shows it: 15 significant digits, the rest zeros.
    shown = format(Decimal(f"{value:.15g}"), "f") if isinstance(value, float) else str(value)
    why = {
        "angka16": "tersimpan sebagai angka, sehingga digit terakhirnya sudah hilang",
        "angka": "tersimpan sebagai angka, bukan 18 digit teks",
        "ilmiah": "tertulis dalam notasi ilmiah, sehingga digit terakhirnya sudah hilang",
    }.get(str(row.nip_code), "bukan 18 digit angka")
    return _problem(path, row.lembar, row.baris, row.column("nip"), GALAT,
                    f"NIP '{shown}' {why}; nama disalin tanpa NIP, ketik NIP yang benar di "
                    "templat")


def _place_text(path: Path, row: _Row) -> str:
    return f"{path}:{row.lembar}!{row.baris}" if row.lembar is not None else \
        f"{path}:{row.baris}"


def _problem(path: Path, sheet: str | None, row: int | None, column: str | None, level: str,
             message: str, nip: str | None = None) -> Masalah:
    return Masalah(berkas=str(path), lembar=sheet, baris=row, kolom=column,
                   tingkat=level, pesan=message, nip=nip)  # type: ignore[arg-type]
