"""A list of participants for `skorasn templat --peserta`: a roster or a skorasn report.

* A skorasn report (recognised by its "Keputusan" column) closes the loop: only participants
  whose keputusan is exactly `lanjut` are taken, each onto the sheet of the NEXT stage. Those
  who passed Lanjutan 2 have finished and are not copied, nor is anyone tahan, berhenti, belum
  dinilai or periksa. The rows are sorted by name so the previous ranking does not show.
* Any other table with a NIP or Nama column is a plain roster: each row goes onto the stage it
  names (a Tahap column, else its sheet's name) or, naming none, onto the template's first
  stage; rows keep the roster's order.

The sheets are found and read exactly as score sheets are: the same guard, header search, row
selection and NIP checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from skorasn.errors import UnreadableFile, UsageError
from skorasn.formatting import column_letter, file_label, shown
from skorasn.models import Masalah, Participant, Rules, sort_key
from skorasn.names import HeaderVocabulary, find_stage, fold, normalise_eselon, stage_table
from skorasn.reading import normalise as norm
from skorasn.reading.csvfile import read_csv
from skorasn.reading.files import FILE, kind_of
from skorasn.reading.header import (
    Header,
    body_frame,
    has_digit,
    is_instructions_sheet,
    locate_header,
    people_rows,
)
from skorasn.reading.inputs import is_skipped_name
from skorasn.reading.messages import nip_message
from skorasn.reading.workbook import (
    SUFFIXES,
    WORKBOOK_SUFFIXES,
    HiddenSheet,
    RawSheet,
    read_workbook,
)
from skorasn.vocabulary import (
    GALAT,
    HEADER_SEARCH_ROWS,
    LANJUT,
    NEXT_STAGE,
    PERINGATAN,
    SHEET_NAMES,
    STAGES,
    Level,
)

_LIST_COLUMNS = ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap")
_DECISION_TITLE = "keputusan"


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


def read_participants(
    path: Path, stages: Sequence[str], rules: Rules
) -> tuple[dict[str, list[Participant]], list[Masalah]]:
    """Participants per stage of the template, read from a roster or a skorasn report."""
    sheets, problems = _list_sheets(path, rules)
    vocabulary = HeaderVocabulary.build(rules.column_aliases)
    headers = [
        (sheet, locate_header(sheet.rows, vocabulary, need_score=False))
        for sheet in sheets
        if not is_instructions_sheet(sheet.name, sheet.rows)
    ]
    if not any(header for _, header in headers):
        raise UnreadableFile(
            f"--peserta {path}: tidak ada tabel peserta (kolom NIP atau Nama) "
            f"di {HEADER_SEARCH_ROWS} baris pertama lembar mana pun"
        )
    report = any(header and _decision_column(header) is not None for _, header in headers)
    table = stage_table(rules.stage_spellings)
    rows: list[_Row] = []
    for sheet, header in headers:
        if header is None:
            if not report:
                problems.append(
                    _sheet_warning(
                        path, sheet.name, "lembar dilewati: tidak ada judul kolom NIP atau Nama"
                    )
                )
        elif _decision_column(header) is not None or not report:
            # In a report, Ringkasan, Perlu Diperiksa and Audit are not lists of participants.
            rows.extend(_list_rows(path, sheet, header, table, problems))
    chosen = _from_report(path, rows, stages, problems) if report else _from_roster(rows, stages)
    roster = _place(path, chosen, problems)
    if report:
        for people in roster.values():
            people.sort(key=lambda p: ((p.nama or "").casefold(), p.nip or ""))
    if not roster:
        problems.append(
            _problem(path, None, None, None, PERINGATAN, _nothing_copied(report, stages))
        )
    return roster, sorted(problems, key=sort_key)


def _decision_column(header: Header) -> int | None:
    """A column titled exactly "Keputusan" is a skorasn report's decision, not a Keterangan."""
    position = header.columns.get("keterangan")
    if position is None or fold(header.titles[position]) != _DECISION_TITLE:
        return None
    return position


def _from_report(
    path: Path, rows: list[_Row], stages: Sequence[str], problems: list[Masalah]
) -> list[tuple[str, _Row]]:
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
            problems.append(
                _problem(
                    path,
                    row.lembar,
                    row.baris,
                    row.column("nip") or row.column("nama") or "A",
                    PERINGATAN,
                    "peserta lanjut tanpa tahap yang diketahui tidak disalin; "
                    "tambahkan kolom Tahap atau beri nama lembar 'Dasar', "
                    "'Lanjutan 1' atau 'Lanjutan 2'",
                )
            )
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


def _place(
    path: Path, chosen: list[tuple[str, _Row]], problems: list[Masalah]
) -> dict[str, list[Participant]]:
    """The participants per template stage, once per NIP, with a masalah for each doubt."""
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
                problems.append(
                    _problem(
                        path,
                        row.lembar,
                        row.baris,
                        row.column("nip"),
                        PERINGATAN,
                        f"NIP {nip} sudah disalin ke lembar "
                        f"{SHEET_NAMES[target]} dari {first}; baris ini "
                        "dilewati",
                        nip,
                    )
                )
                continue
        person = row.person
        eselon = person.eselon
        if eselon is not None and normalise_eselon(eselon) is None:
            problems.append(
                _problem(
                    path,
                    row.lembar,
                    row.baris,
                    row.column("eselon"),
                    PERINGATAN,
                    f"eselon '{shown(eselon)}' tidak dikenali (contoh "
                    "yang benar: III.a, IV.b); disalin apa adanya, perbaiki "
                    "di templat",
                    nip,
                )
            )
        elif eselon is not None:
            eselon = normalise_eselon(eselon)
        roster.setdefault(target, []).append(replace(person, nip=nip, eselon=eselon))
    return roster


def _nothing_copied(report: bool, stages: Sequence[str]) -> str:
    sheets = ", ".join(SHEET_NAMES[s] for s in stages)
    if report:
        return (
            "tidak ada peserta yang disalin: tidak ada peserta berkeputusan 'lanjut' yang "
            f"menuju lembar templat ini ({sheets}); templat dibuat kosong"
        )
    return (
        f"tidak ada peserta yang disalin untuk lembar templat ini ({sheets}); periksa "
        "kolom Tahap atau nama lembar daftar itu, atau pilih --tahap lain"
    )


def _list_sheets(path: Path, rules: Rules) -> tuple[list[RawSheet], list[Masalah]]:
    """The visible sheets of the list, read through the same guard as every input."""
    kind, why = kind_of(path)
    if kind != FILE:
        raise UsageError(f"--peserta {path}: {why or 'itu sebuah folder; sebutkan berkasnya'}")
    if path.suffix.lower() not in SUFFIXES or is_skipped_name(path.name):
        raise UsageError(
            f"--peserta {path}: jenis berkas tidak didukung; gunakan .xlsx, "
            ".xlsm, .xls, .ods atau .csv"
        )
    problems: list[Masalah] = []
    sheets: list[RawSheet] = []
    try:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            for sheet in read_workbook(path, rules.zip_limits):
                if isinstance(sheet, HiddenSheet):
                    problems.append(
                        _sheet_warning(
                            path,
                            sheet.name,
                            "lembar tersembunyi dilewati; tampilkan lembarnya "
                            "(Unhide) bila berisi peserta",
                        )
                    )
                else:
                    sheets.append(sheet)
        else:
            sheet, found = read_csv(path)
            sheets.append(sheet)
            problems.extend(found)
    except UnreadableFile as exc:
        raise UnreadableFile(f"--peserta {path}: {exc}") from None
    return sheets, problems


def _list_rows(
    path: Path, sheet: RawSheet, header: Header, table: dict[str, str], problems: list[Masalah]
) -> list[_Row]:
    """The participant rows of one sheet; a row whose Tahap cannot be read is left out."""
    raw = body_frame(sheet.rows, header.row)
    text = {name: _text_column(raw, header.columns.get(name)) for name in _LIST_COLUMNS}
    written_nip = _cells(raw, header.columns.get("nip"))
    has_nip = written_nip.map(has_digit).astype(bool)
    keep = people_rows(raw, header, text["nip"].notna() | text["nama"].notna(), has_nip)
    passed = _cells(raw, _decision_column(header)).map(fold) == LANJUT
    nip, code, _ = norm.normalise_nip(written_nip)
    letters = {name: column_letter(position) for name, position in header.columns.items()}
    fallback = find_stage(sheet.stage_hint, table)
    rows = []
    for index in raw.index[keep]:
        written = text["tahap"][index]
        stage = find_stage(written, table) if written is not None else fallback
        if written is not None and stage is None:
            problems.append(
                _problem(
                    path,
                    sheet.name,
                    int(index) + 1,
                    letters.get("tahap"),
                    PERINGATAN,
                    f"tahap '{shown(written)}' tidak dikenali; baris ini "
                    "tidak disalin (tulis Dasar, Lanjutan 1 atau Lanjutan 2)",
                )
            )
            continue
        rows.append(
            _Row(
                lembar=sheet.name,
                baris=int(index) + 1,
                stage=stage,
                passed=bool(passed[index]),
                person=Participant(
                    nip=nip[index],
                    nama=text["nama"][index],
                    eselon=text["eselon"][index],
                    unit_kerja=text["unit_kerja"][index],
                    jabatan=text["jabatan"][index],
                ),
                nip_code=code[index],
                nip_written=written_nip[index],
                columns=letters,
            )
        )
    return rows


def _cells(raw: pd.DataFrame, position: int | None) -> pd.Series:
    if position is None or position not in raw.columns:
        return pd.Series("", index=raw.index, dtype=object)
    return raw[position]


def _text_column(raw: pd.DataFrame, position: int | None) -> pd.Series:
    """Cells as stripped text (None when blank), without invisible control characters."""
    cells = _cells(raw, position)
    text, _ = norm.strip_control(norm.as_text(cells, norm.cell_kinds(cells)))
    return text.where(text.notna() & (text != ""), None)


def _nip_problem(path: Path, row: _Row) -> Masalah:
    """Why this row's NIP was not copied; the name still is."""
    if row.nip_code in (None, "kosong"):
        return _problem(
            path,
            row.lembar,
            row.baris,
            row.column("nip"),
            PERINGATAN,
            "NIP kosong; nama disalin tanpa NIP, isi NIP-nya di templat",
        )
    return _problem(
        path,
        row.lembar,
        row.baris,
        row.column("nip"),
        GALAT,
        f"{nip_message(str(row.nip_code), row.nip_written)} (nama disalin tanpa "
        "NIP; ketik NIP yang benar di templat)",
    )


def _place_text(path: Path, row: _Row) -> str:
    return f"{path}:{row.lembar}!{row.baris}" if row.lembar is not None else f"{path}:{row.baris}"


def _sheet_warning(path: Path, sheet: str | None, message: str) -> Masalah:
    return _problem(path, sheet, None, None, PERINGATAN, message)


def _problem(
    path: Path,
    sheet: str | None,
    row: int | None,
    column: str | None,
    level: Level,
    message: str,
    nip: str | None = None,
) -> Masalah:
    return Masalah(
        berkas=file_label(path),
        lembar=sheet,
        baris=row,
        kolom=column,
        tingkat=level,
        pesan=message,
        nip=nip,
    )
