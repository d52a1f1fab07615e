"""Finding the inputs: the files named and those inside the folders named, each once.

Only names and `stat` are looked at here, never a file's content (except to recognise this
run's own report at an -o path), so a FIFO, a device or a symlink loop is named as a masalah
before anything could block on it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skorasn.errors import describe_os_error
from skorasn.formatting import file_label, shown
from skorasn.models import Masalah
from skorasn.reading.files import FOLDER, Identity, identity, kind_of
from skorasn.reading.ownfiles import (
    is_lock_name,
    lock_message,
    open_elsewhere,
    report_kind,
    report_message,
)
from skorasn.reading.workbook import SUFFIXES
from skorasn.vocabulary import GALAT, PERINGATAN, Level

_REPORT_SUFFIXES = (".json", ".html", ".htm")


def is_skipped_name(name: str) -> bool:
    """Office lock files, hidden files and temporaries are never inputs."""
    return name.startswith(("~$", ".~lock.", ".", "~")) or name.endswith(("~", ".tmp", ".bak", "#"))


@dataclass
class Discovery:
    """The files named on the command line and inside the folders named, each once, and the
    problems met while looking (a missing path, an empty folder, a file named twice)."""

    files: list[Path]
    problems: list[Masalah]


def discover(inputs: Sequence[Path], outputs: Sequence[Path] = ()) -> Discovery:
    """Expand folders (sorted by name); a missing, unsupported or non-regular path is a galat.

    `outputs` are this run's -o paths: a folder's file at one of them that is a skorasn
    report is passed over (it is about to be replaced), so a report written into the input
    folder is not read back. Anything else at an output path stays an input, so that the
    check against overwriting inputs still refuses the run.
    """
    files: list[Path] = []
    problems: list[Masalah] = []
    own = {identity(path) for path in outputs}
    kinds = [(path, *kind_of(path)) for path in inputs]
    named = {identity(path) for path, kind, _ in kinds if kind == FOLDER}
    for path, kind, why in kinds:
        if kind == FOLDER:
            files.extend(_folder(path, problems, own, named))
        elif why is not None:
            problems.append(file_problem(path, why))
        elif is_lock_name(path.name):
            problems.append(file_problem(path, lock_message(path), PERINGATAN))
        elif path.suffix.lower() not in SUFFIXES:
            problems.append(_unsupported(path))
        else:
            files.append(path)
    files = _once_each(files, problems)
    for path in files:
        opened = open_elsewhere(path)
        if opened is not None:
            problems.append(file_problem(path, opened, PERINGATAN))
    return Discovery(files, problems)


def _folder(
    folder: Path, problems: list[Masalah], own: set[Identity], named: set[Identity]
) -> list[Path]:
    """The spreadsheets directly in `folder`; a subfolder holding some, unless it is one of
    the `named` folders itself, gets a peringatan."""
    try:
        # Sorted as paths, as before: case-insensitively on Windows.
        children = sorted(folder / name for name in os.listdir(folder))
    except OSError as exc:
        problems.append(
            file_problem(folder, f"folder tidak dapat dibaca ({describe_os_error(exc)})")
        )
        return []
    found: list[Path] = []
    refused = False
    for child in children:
        if is_skipped_name(child.name):
            continue
        if child.suffix.lower() not in SUFFIXES:
            if _holds_workbooks(child) and identity(child) not in named:
                problems.append(_subfolder(child))
            continue
        kind, why = kind_of(child)
        if kind == FOLDER:
            continue  # a folder named like a workbook is not looked into
        if why is not None:
            problems.append(file_problem(child, why))
            refused = True
        elif identity(child) in own and report_kind(child) is not None:
            continue  # this run's own report from an earlier run: about to be replaced
        else:
            found.append(child)
    if not found and not refused:
        problems.append(
            file_problem(
                folder, "folder ini tidak berisi lembar kerja (.xlsx, .xlsm, .xls, .ods, .csv)"
            )
        )
    return found


def _holds_workbooks(path: Path) -> bool:
    """A folder with a spreadsheet directly in it (one level: a folder is never walked)."""
    try:
        if not path.is_dir():
            return False
        return any(
            not is_skipped_name(name) and Path(name).suffix.lower() in SUFFIXES
            for name in os.listdir(path)
        )
    except OSError:
        return False


def _subfolder(path: Path) -> Masalah:
    return file_problem(
        path,
        "subfolder ini berisi lembar kerja tetapi tidak dibaca: skorasn hanya membaca berkas "
        "yang langsung ada di folder yang disebut. Bila isinya ikut dihitung, sebut juga "
        f"foldernya, misalnya: skorasn tier {shown(str(path.parent))} {shown(str(path))}",
        PERINGATAN,
    )


def _unsupported(path: Path) -> Masalah:
    kind = report_kind(path) if path.suffix.lower() in _REPORT_SUFFIXES else None
    if kind is not None:
        return file_problem(path, report_message(kind), PERINGATAN)
    return file_problem(
        path, "jenis berkas tidak didukung; gunakan .xlsx, .xlsm, .xls, .ods atau .csv"
    )


def _once_each(files: list[Path], problems: list[Masalah]) -> list[Path]:
    """A file named twice, inside a folder also given, or reached by a hard link or another
    path, would make everyone a duplikat: the same (device, inode) is read once."""
    seen: dict[Identity, Path] = {}
    for path in files:
        key = identity(path)
        if key in seen:
            problems.append(
                file_problem(
                    path,
                    f"berkas yang sama sudah dibaca sebagai {shown(seen[key], None)}; "
                    "dibaca sekali saja",
                    PERINGATAN,
                )
            )
        else:
            seen[key] = path
    return list(seen.values())


def file_problem(path: Path, message: str, level: Level = GALAT) -> Masalah:
    return Masalah(
        berkas=file_label(path), lembar=None, baris=None, kolom=None, tingkat=level, pesan=message
    )
