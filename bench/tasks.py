"""The reference programs that bench/run.py times, each run as its own process.

    python bench/tasks.py naive FILE.xlsx OUT.xlsx     # read_excel(openpyxl) → rule → to_excel
    python bench/tasks.py read-fastexcel FILE.xlsx     # raw read only (Arrow columns)
    python bench/tasks.py read-calamine FILE.xlsx      # raw read only (python-calamine to_python)
    python bench/tasks.py write-xlsxwriter ROWS OUT.xlsx
    python bench/tasks.py skorasn-read FILE.xlsx       # skorasn's imports + read_inputs only
    python bench/tasks.py arrow-json FILE.xlsx         # floor of an Arrow-column design
    python bench/tasks.py arsip FILE.xlsx              # what --arsip adds: checks, recording

Imports happen inside each task so that a process pays only for what it uses. Each task prints
one JSON line with the seconds spent in its own phases (for information; run.py times the whole
process from outside).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

SHEET, HEADER_ROW = "Dasar", 4
LANJUT_MIN, BERHENTI_MAKS = 9, 5


def naive(source: str, target: str) -> dict[str, float]:
    """What a first pandas script would do: openpyxl both ways, everything as str."""
    import numpy as np
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_excel(source, sheet_name=SHEET, header=HEADER_ROW, engine="openpyxl", dtype=str)
    read = time.perf_counter()
    score = pd.to_numeric(frame["Skor"], errors="coerce")
    frame["Keputusan"] = np.select(
        [score.isna(), score >= LANJUT_MIN, score <= BERHENTI_MAKS],
        ["belum_dinilai", "lanjut", "berhenti"],
        default="tahan",
    )
    rule = time.perf_counter()
    frame.to_excel(target, sheet_name=SHEET, index=False, engine="openpyxl")
    return {"baca": read - start, "aturan": rule - read, "tulis": time.perf_counter() - rule}


def read_fastexcel(source: str) -> dict[str, float]:
    import fastexcel

    start = time.perf_counter()
    sheet = fastexcel.read_excel(source).load_sheet(SHEET, header_row=HEADER_ROW)
    table = sheet.to_arrow()
    return {"baca": time.perf_counter() - start, "baris": table.num_rows}


def read_calamine(source: str) -> dict[str, float]:
    import python_calamine

    start = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(source)
    rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    return {"baca": time.perf_counter() - start, "baris": len(rows) - HEADER_ROW - 1}


def write_xlsxwriter(rows: str, target: str) -> dict[str, float]:
    """The same rows as the generated workbook, written with nothing but write_row."""
    import xlsxwriter

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import HEADER, build_rows

    start = time.perf_counter()
    data = build_rows(int(rows))
    built = time.perf_counter()
    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(data, 1):
        sheet.write_row(number, 0, row if row[7] == row[7] else row[:7])
    book.close()
    return {"bangun": built - start, "tulis": time.perf_counter() - built}


def skorasn_read(source: str) -> dict[str, float]:
    """The floor of any skorasn run: the CLI's imports, then reading and normalising."""
    start = time.perf_counter()
    import skorasn.cli  # noqa: F401
    from skorasn.core import build_report  # noqa: F401  (imports pandas, like `tier` does)
    from skorasn.models import Rules
    from skorasn.reading import discover, read_inputs

    imported = time.perf_counter()
    rows = read_inputs(discover([Path(source)]), Rules()).rows
    return {"impor": imported - start, "baca": time.perf_counter() - imported, "baris": len(rows)}


def arrow_json(source: str) -> dict[str, float]:
    """How fast xlsx → JSON could be if skorasn kept columns in Arrow instead of one Python
    object per cell: fastexcel columns, NIP and score checks with pyarrow.compute, the rule,
    the stable order, and JSON lines written by pandas' C writer, to /dev/null. A floor for
    such a design, not skorasn's semantics (no cell types, error cells, stages, audits)."""
    import fastexcel
    import pandas as pd  # noqa: F401  (any skorasn run imports it)
    import pyarrow as pa
    import pyarrow.compute as pc

    start = time.perf_counter()
    table = (
        fastexcel.read_excel(source)
        .load_sheet(SHEET, header_row=HEADER_ROW, dtypes={"NIP": "string"})
        .to_arrow()
    )
    read = time.perf_counter()
    nip = pc.utf8_trim_whitespace(table["NIP"])
    nip_ok = pc.match_substring_regex(nip, r"^\d{18}$")
    born = pc.strptime(
        pc.utf8_slice_codeunits(nip, 0, 8), format="%Y%m%d", unit="s", error_is_null=True
    )
    gender = pc.is_in(pc.utf8_slice_codeunits(nip, 14, 15), value_set=pa.array(["1", "2"]))
    score = table["Skor"]
    in_range = pc.and_kleene(pc.greater_equal(score, 0), pc.less_equal(score, 10))
    decision = pc.case_when(
        pc.make_struct(
            pc.invert(nip_ok),
            pc.invert(pc.fill_null(in_range, True)),
            pc.is_null(score),
            pc.greater_equal(score, LANJUT_MIN),
            pc.less_equal(score, BERHENTI_MAKS),
        ),
        "periksa",
        "periksa",
        "belum_dinilai",
        "lanjut",
        "berhenti",
        "tahan",
    )
    table = table.append_column("keputusan", decision).append_column(
        "peringatan", pc.or_(pc.is_null(born), pc.invert(gender))
    )
    table = table.sort_by(
        [("keputusan", "ascending"), ("Skor", "descending"), ("Nama", "ascending")]
    )
    ruled = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as out:
        out.write(
            table.to_pandas().to_json(
                orient="records", lines=True, force_ascii=False, date_format="iso"
            )
        )
    return {"baca": read - start, "aturan": ruled - read, "json": time.perf_counter() - ruled}


def arsip(source: str) -> dict[str, float]:
    """What `--arsip` adds to a run, in its own phases: the checks against the register (under
    its write lock) and the recording of every participant (hash chain, executemany, one
    transaction). Twice on a fresh register: a first day (nothing known) and a second day with
    the same participants (every record compared). The file is read and decided once."""
    import datetime as dt
    import tempfile

    from skorasn.arsip import ArsipSession
    from skorasn.models import ArsipOptions, Report, Rules
    from skorasn.reading import discover, read_inputs
    from skorasn.rules import apply_rules

    rules = Rules()
    read = read_inputs(discover([Path(source)]), rules)
    decided = apply_rules(read.rows, rules)
    timings: dict[str, float] = {"baris": len(decided.peserta)}
    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / "arsip.db"
        for day in (1, 2):
            session = ArsipSession(ArsipOptions(register), dt.datetime.now().astimezone(), "bench")
            start = time.perf_counter()
            checked = session.audit(decided.peserta, read.files)
            timings[f"periksa_{day}"] = time.perf_counter() - start
            report = Report(
                peserta=checked.peserta,
                problems=read.problems + decided.problems + checked.problems,
                ringkasan={},
                rules=rules,
                files=read.files,
                perubahan=checked.perubahan,
            )
            start = time.perf_counter()
            session.seal(report, [])
            session.commit()
            timings[f"catat_{day}"] = time.perf_counter() - start
            session.close()
            timings[f"tambahan_{day}"] = timings[f"periksa_{day}"] + timings[f"catat_{day}"]
        timings["arsip_mb"] = register.stat().st_size / 2**20
    return timings


TASKS = {
    "naive": naive,
    "read-fastexcel": read_fastexcel,
    "read-calamine": read_calamine,
    "write-xlsxwriter": write_xlsxwriter,
    "skorasn-read": skorasn_read,
    "arrow-json": arrow_json,
    "arsip": arsip,
}


def main() -> None:
    name, *arguments = sys.argv[1:]
    print(json.dumps(TASKS[name](*arguments)))


if __name__ == "__main__":
    main()
