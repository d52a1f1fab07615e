"""Reading a workbook in a child process, so that the native reader failing on it (an abort, a
runaway allocation, a hang) costs that file a galat and the run goes on.

Which formats go there: .xls, .xlsb and .ods, which calamine builds whole while opening them
(BIFF records, binary records, repeat attributes), from more structures than the pre-check can
afford to model. They are seldom sent, so the child's start-up (about a tenth of a second)
hardly shows. The common .xlsx is read in-process after the pre-check has bounded what
calamine will allocate for it.
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skorasn.errors import UnreadableFile
from skorasn.formatting import thousands
from skorasn.models import ZipLimits
from skorasn.reading.refusals import RESAVE
from skorasn.vocabulary import MB

_SCRIPT = Path(__file__).with_name("isolated.py")
# Address space for the child: what the largest allowed sheet costs in calamine and then in
# Python objects, with room to spare; never less than 2 GB.
_BYTES_PER_CELL = 160
_MIN_MEMORY = 2048 * MB
# Seconds: a minute, plus ten a megabyte (an honest 10 MB .xls reads in a few seconds).
_BASE_SECONDS = 60
_SECONDS_PER_MB = 10
_TYPES = {("datetime", name) for name in ("date", "datetime", "time", "timedelta")}


@dataclass
class ChildSheet:
    name: str
    visible: bool
    start: tuple[int, int] | None
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def read_isolated(path: Path, limits: ZipLimits) -> list[ChildSheet]:
    """Every worksheet of `path`, read by calamine in a child process."""
    memory = max(_MIN_MEMORY, limits.max_cells * _BYTES_PER_CELL)
    seconds = _BASE_SECONDS + _SECONDS_PER_MB * path.stat().st_size / MB
    command = [sys.executable, "-I", str(_SCRIPT), str(path), str(limits.max_cells), str(memory)]
    try:
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFile(
            f"pembacaan berkas ini dihentikan setelah {seconds:.0f} detik tanpa selesai; "
            f"berkas rusak atau sengaja dibuat berbahaya — {RESAVE}"
        ) from None
    except OSError as exc:
        raise UnreadableFile(f"pembaca lembar kerja tidak dapat dijalankan ({exc})") from None
    if done.returncode != 0:
        raise UnreadableFile(_died(done.returncode))
    return _sheets(_load(done.stdout), limits)


def _died(code: int) -> str:
    """The child ended without an answer: calamine aborted (out of memory, most often)."""
    how = f"sinyal {-code}" if code < 0 else f"kode {code}"
    return (
        "pembaca lembar kerja berhenti mendadak saat membuka berkas ini "
        f"({how}; biasanya karena berkas meminta memori sangat besar); berkas rusak atau "
        f"sengaja dibuat berbahaya — {RESAVE}"
    )


class _Unpickler(pickle.Unpickler):
    """The child sends lists of plain values; nothing else may be rebuilt from its output."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _TYPES:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return super().find_class(module, name)


def _load(data: bytes) -> tuple[Any, ...]:
    try:
        result = _Unpickler(io.BytesIO(data)).load()
    except Exception:
        raise UnreadableFile(_died(0)) from None
    if not isinstance(result, tuple) or not result:
        raise UnreadableFile(_died(0))
    return result


def _sheets(result: tuple[Any, ...], limits: ZipLimits) -> list[ChildSheet]:
    if result[0] == "error":
        raise ReaderError(result[1], result[2])
    sheets = []
    for name, visible, start, rows, merged in result[1]:
        if isinstance(rows, tuple):
            _, height, width = rows
            raise UnreadableFile(
                f"lembar '{name}' terlalu besar ({thousands(height)} baris × "
                f"{thousands(width)} kolom, melebihi sel_maks {thousands(limits.max_cells)}); "
                "hapus isi di luar tabel lalu simpan ulang"
            )
        sheets.append(ChildSheet(name, visible, start, rows, merged))
    return sheets


class ReaderError(Exception):
    """The reader in the child refused the file with an error of its own (damaged, password)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
