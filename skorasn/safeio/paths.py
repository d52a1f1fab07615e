"""The -o paths: {tanggal}/{waktu} placeholders, never an output over an input, and never a
name the file system cannot hold."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from skorasn.errors import UsageError

_ALLOWED_PLACEHOLDERS = "{tanggal} (YYYY-MM-DD) dan {waktu} (HHMMSS)"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def expand_placeholders(template: str, now: datetime) -> Path:
    """Fill {tanggal} (YYYY-MM-DD) and {waktu} (HHMMSS) in an -o path.

    Anything else in braces, or a brace without its partner, is a UsageError; `%` and other
    characters are kept literally (this is not strftime).
    """
    values = {
        "tanggal": f"{now.year:04d}-{now.month:02d}-{now.day:02d}",
        "waktu": f"{now.hour:02d}{now.minute:02d}{now.second:02d}",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise UsageError(
                f"Penanda '{match.group(0)}' pada jalur keluaran '{template}' tidak dikenal. "
                f"Yang boleh dipakai hanya {_ALLOWED_PLACEHOLDERS}."
            )
        return values[name]

    filled = _PLACEHOLDER.sub(fill, template)
    leftover = _PLACEHOLDER.sub("", template)
    if "{" in leftover or "}" in leftover:
        brace = "{" if "{" in leftover else "}"
        raise UsageError(
            f"Jalur keluaran '{template}' memuat kurung kurawal '{brace}' tanpa pasangan. "
            f"Penanda yang boleh dipakai hanya {_ALLOWED_PLACEHOLDERS}."
        )
    return Path(filled)


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # symlink loop and the like: compare lexically instead
        return Path(os.path.abspath(path))


def _same_file(a: Path, b: Path) -> bool:
    if _resolved(a) == _resolved(b):
        return True
    try:  # hard links and case-insensitive file systems, when both already exist
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_outputs_distinct_from_inputs(outputs: Sequence[Path], inputs: Sequence[Path]) -> None:
    """UsageError if an output is one of the inputs, or two outputs are the same file."""
    for out in outputs:
        for inp in inputs:
            if _same_file(out, inp):
                raise UsageError(
                    f"Berkas keluaran '{out}' sama dengan berkas masukan '{inp}'; "
                    "menulisnya akan menimpa data masukan. Pilih jalur keluaran lain."
                )
    for i, first in enumerate(outputs):
        for second in outputs[i + 1 :]:
            if _same_file(first, second):
                raise UsageError(
                    f"Dua keluaran menunjuk ke berkas yang sama: '{first}' dan '{second}'. "
                    "Beri nama yang berbeda untuk masing-masing keluaran."
                )


def real_target(path: Path) -> Path:
    """A symlinked output is followed, so the link keeps pointing at the (new) report instead
    of being replaced by a regular file, as shell redirection would do."""
    return Path(os.path.realpath(path))


def lock_name(name: str) -> str:
    """The name of the lock file kept beside an output called `name`."""
    return f".{name}.lock"


NAME_MAX = 255
# The longest name skorasn itself puts beside a report (a temporary file, or a scratch folder
# with xlsxwriter's files inside), whatever the report is called.
_OWN_NAMES_MAX = 64


def _name_length(name: str) -> int:
    # Windows counts UTF-16 code units; POSIX file systems count bytes.
    if os.name == "nt":
        return len(name.encode("utf-16-le")) // 2
    return len(os.fsencode(name))


def _path_max() -> int | None:
    pathconf = getattr(os, "pathconf", None)
    if pathconf is None:
        return None  # Windows: depends on the long-path setting; the OS error says it
    try:
        return int(pathconf("/", "PC_PATH_MAX"))
    except (OSError, ValueError):
        return 4096


def _shown(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-(limit // 2) + 1 :]}"


def check_output_path(path: Path) -> None:
    """UsageError for an output no file system here could hold: a name (with its lock file's
    name) over 255, or a path over the system's limit. Caught here, before any reading, rather
    than as a failed write at the end of a long run."""
    name = lock_name(path.name)
    length = _name_length(name)
    if length > NAME_MAX:
        allowed = NAME_MAX - (length - _name_length(path.name))
        raise UsageError(
            f"-o {_shown(str(path))}: nama berkas terlalu panjang ({_name_length(path.name)}; "
            f"paling banyak {allowed}, karena berkas kunci '{_shown(name, 30)}' ditaruh di "
            "sampingnya). Pakai nama yang lebih pendek."
        )
    limit = _path_max()
    folder = os.path.abspath(real_target(path).parent)
    longest = len(os.fsencode(folder)) + 1 + max(len(os.fsencode(name)), _OWN_NAMES_MAX)
    if limit is not None and longest >= limit:
        raise UsageError(
            f"-o {_shown(str(path))}: jalur terlalu panjang (folder '{_shown(folder)}' "
            f"{len(os.fsencode(folder))} bita; batas sistem {limit} bita termasuk nama "
            "berkas). Pakai folder atau nama yang lebih pendek."
        )
