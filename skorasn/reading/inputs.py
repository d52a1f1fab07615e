"""The reading pass over every input: find the files, guard and read each, and gather one
table of participant rows with every problem as a `Masalah`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from skorasn.errors import UnreadableFile, describe_os_error
from skorasn.formatting import column_letter, file_label, shown
from skorasn.models import FileInfo, Masalah, Progress, ReadResult, Rules, Step
from skorasn.names import HeaderVocabulary, stage_table
from skorasn.reading.csvfile import read_csv
from skorasn.reading.discovery import Discovery, discover, file_problem, is_skipped_name
from skorasn.reading.extract import SheetPart, extract_sheet
from skorasn.reading.files import open_regular
from skorasn.reading.guard import check_workbook
from skorasn.reading.header import Header, headers_seen, is_instructions_sheet, locate_header
from skorasn.reading.layout import layout_problems
from skorasn.reading.ownfiles import report_kind, report_message
from skorasn.reading.samedata import Source, same_data
from skorasn.reading.table import ReadContext, RowReader
from skorasn.reading.workbook import (
    WORKBOOK_SUFFIXES,
    HiddenSheet,
    RawSheet,
    WorkbookFacts,
    read_checked,
)
from skorasn.vocabulary import DECIDING_FIELDS, FIELD_WORDS, HEADER_SEARCH_ROWS, PERINGATAN

__all__ = ["Discovery", "discover", "is_skipped_name", "read_inputs"]


class _OwnReport(Exception):
    """The file is a report skorasn wrote: skipped, with one peringatan."""


def read_inputs(
    found: Discovery,
    rules: Rules,
    default_stage: str | None = None,
    on_progress: Progress | None = None,
) -> ReadResult:
    """Read every discovered file once: a copy with the same bytes, a skorasn report, or a
    file holding the same data as another is named and not read again."""
    context = ReadContext(
        vocabulary=HeaderVocabulary.build(rules.column_aliases),
        stages=stage_table(rules.stage_spellings),
        default_stage=default_stage,
    )
    problems = list(found.problems)
    sources: list[Source] = []
    by_content: dict[str, str] = {}
    total, done = sum(_size(path) for path in found.files) or 1, 0
    for path in found.files:
        source = Source(FileInfo(berkas=file_label(path), path=path))
        tell = _teller(on_progress, source.info.berkas, min(done / total, 1.0))
        done += _size(path)
        try:
            _fingerprint(source.info)
            facts = _admit(path, rules)
            first = by_content.setdefault(source.info.sha256, source.info.berkas)
            if first != source.info.berkas:
                # Listed with the inputs (the Audit sheet proves it was there), not read.
                problems.append(_copy_of(path, first))
                sources.append(source)
                continue
            sheets = _sheets_of(path, facts, rules, source.problems)
            source.parts = _read_file(sheets, source.info, context, source.problems, tell)
        except _OwnReport as exc:
            problems.append(file_problem(path, str(exc), PERINGATAN))
            continue
        except UnreadableFile as exc:
            source.problems.append(file_problem(path, str(exc)))
        sources.append(source)
    reader = RowReader([part for source in sources for part in source.parts], context)
    for source in sources:
        source.parts = []  # the reader holds them now, and lets go once they are a table
    rows = reader.read()
    dropped, repeated = same_data(rows, sources)
    problems += repeated
    for source in sources:
        problems.extend(source.problems)
    problems += [p for p in reader.problems if p.berkas not in dropped]
    if dropped:
        rows = rows[~rows["berkas"].isin(dropped)].reset_index(drop=True)
    return ReadResult(rows=rows, problems=problems, files=[s.info for s in sources])


def _teller(
    on_progress: Progress | None, berkas: str, fraction: float
) -> Callable[[str | None, int], None]:
    """Tell the progress display which sheet of `berkas` is read and how many rows so far."""

    def tell(sheet: str | None, rows: int) -> None:
        if on_progress is not None:
            place = f"{berkas}:{sheet}" if sheet else berkas
            on_progress(Step("membaca", place, rows, fraction))

    return tell


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _copy_of(path: Path, first: str) -> Masalah:
    return file_problem(
        path,
        f"isi berkas ini sama persis dengan {shown(first, None)}; dibaca sekali saja",
        PERINGATAN,
    )


def _fingerprint(info: FileInfo) -> None:
    """Size and sha256 for the Audit sheet; only a regular file is ever opened."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open_regular(info.path) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise UnreadableFile(f"tidak dapat dibaca ({describe_os_error(exc)})") from None
    info.size = size
    info.sha256 = digest.hexdigest()


def _admit(path: Path, rules: Rules) -> WorkbookFacts | None:
    """Refuse a hostile workbook before any parser opens it, and pass over a skorasn report;
    return what the pre-check measured of the workbook, if anything."""
    facts = None
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        facts = check_workbook(path, rules.zip_limits)
    kind = report_kind(path)
    if kind is not None:
        raise _OwnReport(report_message(kind))
    return facts


def _sheets_of(
    path: Path, facts: WorkbookFacts | None, rules: Rules, problems: list[Masalah]
) -> Iterable[RawSheet | HiddenSheet]:
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_checked(path, facts, rules.zip_limits)
    sheet, found = read_csv(path)
    problems.extend(found)
    return [sheet]


PAST_TOTAL_LISTED = 12  # rows named in the message; the rest are counted


def _read_file(
    sheets: Iterable[RawSheet | HiddenSheet],
    info: FileInfo,
    context: ReadContext,
    problems: list[Masalah],
    tell: Callable[[str | None, int], None],
) -> list[SheetPart]:
    parts: list[SheetPart] = []
    skipped: list[Masalah] = []
    for sheet in sheets:
        tell(sheet.name, info.rows)
        if isinstance(sheet, HiddenSheet):
            skipped.append(
                _sheet_problem(
                    info,
                    sheet.name,
                    "lembar tersembunyi dilewati; tampilkan lembarnya (Unhide) bila berisi nilai",
                )
            )
            continue
        if is_instructions_sheet(sheet.name, sheet.rows):
            continue  # the Petunjuk sheet of `skorasn templat`: instructions, not data
        header = locate_header(sheet.rows, context.vocabulary)
        if header is None:
            skipped.append(_no_header(info, sheet))
            continue
        problems.extend(layout_problems(info.berkas, sheet, header))
        part = extract_sheet(sheet, info.berkas, header)
        sheet.rows = []  # the part holds the cells it needs; the grid's lists can go
        if part.past_total:
            problems.append(_past_total_problem(info, part))
        problems.extend(_repeated_problem(info, sheet.name, header, n) for n in header.repeated)
        info.sheets.append(sheet.name or "")
        info.rows += len(part)
        parts.append(part)
    problems.extend(skipped)
    if not info.sheets:
        problems.append(
            file_problem(
                info.path,
                "tidak ada lembar berisi tabel nilai (kolom NIP atau Nama, dan kolom "
                f"Skor/Nilai) di {HEADER_SEARCH_ROWS} baris pertama",
            )
        )
    return parts


def _sheet_problem(info: FileInfo, sheet: str | None, message: str) -> Masalah:
    return Masalah(
        berkas=info.berkas, lembar=sheet, baris=None, kolom=None, tingkat=PERINGATAN, pesan=message
    )


def _past_total_problem(info: FileInfo, part: SheetPart) -> Masalah:
    rows = part.past_total
    listed = ", ".join(map(str, rows[:PAST_TOTAL_LISTED]))
    more = f" dan {len(rows) - PAST_TOTAL_LISTED} lainnya" if len(rows) > PAST_TOTAL_LISTED else ""
    return Masalah(
        berkas=info.berkas,
        lembar=part.lembar,
        baris=rows[0],
        kolom=None,
        tingkat=PERINGATAN,
        pesan=(
            f"baris {listed}{more} ada di bawah baris jumlah (baris {part.total_row}) dan "
            "berisi skor tanpa NIP, jadi tidak dibaca sebagai peserta; bila itu peserta, isi "
            "NIP-nya atau pindahkan ke atas baris jumlah"
        ),
    )


def _repeated_problem(
    info: FileInfo, sheet: str | None, header: Header, repeated: tuple[str, int]
) -> Masalah:
    name, other = repeated
    read = header.columns[name]
    return Masalah(
        berkas=info.berkas,
        lembar=sheet,
        baris=header.row + 1,
        kolom=column_letter(other),
        tingkat=PERINGATAN,
        pesan=(
            f"judul kolom {column_letter(other)} '{shown(str(header.titles[other]))}' berarti "
            f"{FIELD_WORDS.get(name, name)}, sama dengan kolom {column_letter(read)} "
            f"'{shown(str(header.titles[read]))}'; yang dibaca kolom {column_letter(read)}"
            + (
                ", dan setiap baris yang isinya berbeda di kedua kolom menjadi periksa"
                if name in DECIDING_FIELDS
                else ""
            )
            + ". Hapus kolom yang tidak dipakai atau ganti judulnya"
        ),
    )


def _no_header(info: FileInfo, sheet: RawSheet) -> Masalah:
    seen = headers_seen(sheet.rows)
    found = ", ".join(f"'{text}'" for text in seen) if seen else "tidak ada"
    return _sheet_problem(
        info,
        sheet.name,
        "lembar dilewati: tidak ada baris judul kolom yang dikenali (perlu NIP "
        f"atau Nama, dan Skor/Nilai); teks yang ditemukan: {found}",
    )
