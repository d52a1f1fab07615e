"""The reading pass over every input: find the files, guard and read each, and gather one
table of participant rows with every problem as a `Masalah`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from skorasn.errors import UnreadableFile, describe_os_error
from skorasn.models import FileInfo, Masalah, ReadResult, Rules
from skorasn.names import HeaderVocabulary, stage_table
from skorasn.reading.csvfile import read_csv
from skorasn.reading.header import headers_seen, is_instructions_sheet, locate_header
from skorasn.reading.layout import layout_problems
from skorasn.reading.table import ReadContext, SheetReader
from skorasn.reading.workbook import (
    SUFFIXES,
    WORKBOOK_SUFFIXES,
    HiddenSheet,
    RawSheet,
    read_workbook,
)
from skorasn.vocabulary import GALAT, HEADER_SEARCH_ROWS, PERINGATAN, Level

Progress = Callable[[str, str | None], None]


def is_skipped_name(name: str) -> bool:
    """Office lock files, hidden files and temporaries are never inputs."""
    return name.startswith(("~$", ".~lock.", ".", "~")) or name.endswith(("~", ".tmp", ".bak", "#"))


@dataclass
class Discovery:
    """The files named on the command line and inside the folders named, each once, and the
    problems met while looking (a missing path, an empty folder, a file named twice)."""

    files: list[Path]
    problems: list[Masalah]


def discover(inputs: Sequence[Path]) -> Discovery:
    """Expand folders (sorted by name); a missing or unsupported path is a galat."""
    files: list[Path] = []
    problems: list[Masalah] = []
    for path in inputs:
        if path.is_dir():
            children = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUFFIXES and not is_skipped_name(p.name)
            )
            if not children:
                problems.append(
                    _file_problem(
                        path,
                        "folder ini tidak berisi lembar kerja (.xlsx, .xlsm, .xls, .ods, .csv)",
                    )
                )
            files.extend(children)
        elif not path.exists():
            problems.append(
                _file_problem(path, "berkas tidak ditemukan; periksa nama dan foldernya")
            )
        elif path.suffix.lower() not in SUFFIXES:
            problems.append(
                _file_problem(
                    path, "jenis berkas tidak didukung; gunakan .xlsx, .xlsm, .xls, .ods atau .csv"
                )
            )
        else:
            files.append(path)
    return Discovery(_once_each(files, problems), problems)


def _once_each(files: list[Path], problems: list[Masalah]) -> list[Path]:
    """A file named twice (or inside a folder also given) would make everyone a duplikat."""
    seen: dict[Path, Path] = {}
    for path in files:
        key = path.resolve()
        if key in seen:
            problems.append(
                _file_problem(
                    path,
                    f"berkas yang sama sudah dibaca sebagai {seen[key]}; dibaca sekali saja",
                    PERINGATAN,
                )
            )
        else:
            seen[key] = path
    return list(seen.values())


def _file_problem(path: Path, message: str, level: Level = GALAT) -> Masalah:
    return Masalah(
        berkas=str(path), lembar=None, baris=None, kolom=None, tingkat=level, pesan=message
    )


def read_inputs(
    found: Discovery,
    rules: Rules,
    default_stage: str | None = None,
    on_progress: Progress | None = None,
) -> ReadResult:
    context = ReadContext(
        vocabulary=HeaderVocabulary.build(rules.column_aliases),
        stages=stage_table(rules.stage_spellings),
        default_stage=default_stage,
    )
    files, problems = found.files, list(found.problems)
    frames: list[pd.DataFrame] = []
    infos: list[FileInfo] = []
    for path in files:
        info = FileInfo(berkas=str(path), path=path)
        infos.append(info)
        try:
            _fingerprint(info)
            sheets = _sheets_of(path, rules)
            frames.extend(_read_file(sheets, info, context, problems, on_progress))
        except UnreadableFile as exc:
            problems.append(_file_problem(path, str(exc)))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return ReadResult(rows=rows, problems=problems, files=infos)


def _fingerprint(info: FileInfo) -> None:
    digest = hashlib.sha256()
    try:
        with info.path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        info.size = info.path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"tidak dapat dibaca ({describe_os_error(exc)})") from None
    info.sha256 = digest.hexdigest()


def _sheets_of(path: Path, rules: Rules) -> Iterable[RawSheet | HiddenSheet]:
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_workbook(path, rules.zip_limits)
    return [read_csv(path)]


def _read_file(
    sheets: Iterable[RawSheet | HiddenSheet],
    info: FileInfo,
    context: ReadContext,
    problems: list[Masalah],
    on_progress: Progress | None,
) -> list[pd.DataFrame]:
    frames: list[pd.DataFrame] = []
    skipped: list[Masalah] = []
    for sheet in sheets:
        if on_progress is not None:
            on_progress(info.berkas, sheet.name)
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
        reader = SheetReader(sheet, info.berkas, header, context)
        frame = reader.read()
        problems.extend(reader.problems)
        info.sheets.append(sheet.name or "")
        info.rows += len(frame)
        frames.append(frame)
    problems.extend(skipped)
    if not info.sheets:
        problems.append(
            _file_problem(
                info.path,
                "tidak ada lembar berisi tabel nilai (kolom NIP atau Nama, dan kolom "
                f"Skor/Nilai) di {HEADER_SEARCH_ROWS} baris pertama",
            )
        )
    return frames


def _sheet_problem(info: FileInfo, sheet: str | None, message: str) -> Masalah:
    return Masalah(
        berkas=info.berkas, lembar=sheet, baris=None, kolom=None, tingkat=PERINGATAN, pesan=message
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
