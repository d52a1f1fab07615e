"""Reads one workbook with python-calamine in a process of its own and writes its sheets to
standard output as a pickle. isolation.py runs it as a script:

    python -I isolated.py PATH MAX_CELLS MEMORY_BYTES

For .xls, .xlsb and .ods, calamine builds every sheet while it opens the file, from structures
too many to check cheaply beforehand; an allocation that fails there aborts the process. Here
that ends only this process. It imports nothing from skorasn, so starting it costs no more
than starting Python.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator
from typing import Any


def main(argv: list[str]) -> int:
    path, max_cells, memory = argv[1], int(argv[2]), int(argv[3])
    _limit_memory(memory)
    try:
        result: tuple[Any, ...] = ("ok", list(_sheets(path, max_cells)))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's panics derive from BaseException
        result = ("error", type(exc).__name__, str(exc)[:500])
    pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


def _limit_memory(memory: int) -> None:
    """Cap the address space (an allocation past it fails at once instead of eating the
    machine's memory) and write no core file when calamine aborts. POSIX only."""
    if sys.platform != "win32" and memory > 0:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or memory < hard:
            resource.setrlimit(resource.RLIMIT_AS, (memory, hard))


def _sheets(path: str, max_cells: int) -> Iterator[tuple[Any, ...]]:
    """(name, visible, start, rows, merged) per worksheet; rows is the filled box only,
    or ("too big", height, width) when the box is over the limit."""
    workbook = open_calamine(path)
    for meta in workbook.sheets_metadata:
        if str(meta.typ) != "SheetTypeEnum.WorkSheet":
            continue
        if str(meta.visible) != "SheetVisibleEnum.Visible":
            yield meta.name, False, None, [], []
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        start, merged = sheet.start, list(sheet.merged_cell_ranges or [])
        if start is None:
            yield meta.name, True, None, [], merged
        elif sheet.height * sheet.width > max_cells:
            yield meta.name, True, start, ("too big", sheet.height, sheet.width), merged
        else:
            yield meta.name, True, start, sheet.to_python(skip_empty_area=True), merged


def open_calamine(path: str) -> Any:
    """A workbook opened by python-calamine. Its from_path cannot take a name whose bytes are
    not UTF-8 (Linux allows them): such a file is handed to it as an open file instead."""
    import python_calamine

    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        with open(path, "rb") as handle:
            return python_calamine.CalamineWorkbook.from_filelike(handle)
    return python_calamine.CalamineWorkbook.from_path(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
