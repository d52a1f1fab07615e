"""Where skorasn spends its time: a sampling profile (pyinstrument) grouped into phases.

    python bench/profil.py bench/data/100k/skor.xlsx            # JSON run and XLSX run

The child process starts pyinstrument before importing skorasn, runs `skorasn.cli.main` with
the given arguments, and saves the session. Each sample is credited to the innermost phase on
its stack (an import inside the reader counts as start-up, a rich table as rendering), and to
the function it was in (self time). The full call tree is left in bench/out/profil_*.txt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"

# (phase, function names); the innermost matching frame on a stack decides.
PHASES = (
    ("normalisasi (reading/table, normalise)", {"read_inputs", "locate_header"}),
    ("baca: calamine / csv", {"read_workbook", "_sheet_rows", "read_csv"}),
    (
        "baca: pemeriksaan berkas (guard, sha256, sel galat)",
        {"check_workbook", "_fingerprint"},
    ),
    ("aturan & audit (rules, select, urut)", {"apply_rules", "select", "order_participants"}),
    ("ringkasan (summary)", {"summarise"}),
    ("tulis: participant_records", {"participant_records", "iter_participant_records", "_records"}),
    ("tulis: JSON", {"report_document", "dumps", "write_json", "write_document"}),
    ("tulis: XLSX (xlsxwriter)", {"write_xlsx"}),
    ("tulis: CSV", {"write_csv"}),
    ("tampilan terminal (rich)", {"_print_text", "_quiet_summary"}),
    ("impor & start-up", {"_find_and_load"}),
)
OTHER = "lain-lain (Typer, CLI, kunci, berkas sementara)"
_PHASE_OF = {name: phase for phase, names in PHASES for name in names}


@dataclass
class Profile:
    name: str
    total: float
    phases: dict[str, float]
    functions: list[tuple[str, float]]


def _child(session_path: str, arguments: list[str]) -> None:
    """Runs inside the profiled process."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        from skorasn.cli import main

        sys.argv = ["skorasn", *arguments]
        main()
    except SystemExit:
        pass
    finally:
        profiler.stop()
        profiler.last_session.save(session_path)
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        Path(session_path).with_suffix(".txt").write_text(text, encoding="utf-8")


def _frame(info: str) -> tuple[str, str]:
    """(function, 'file:line') from pyinstrument's frame identifier."""
    parts = info.split("\x01")[0].split("\x00")
    file = parts[1] if len(parts) > 1 else ""
    short = "/".join(Path(file).parts[-2:]) if file else ""
    return parts[0], f"{short}:{parts[2]}" if len(parts) > 2 else short


def _group(records: list) -> tuple[Counter, Counter]:
    phases: Counter = Counter()
    functions: Counter = Counter()
    for stack, seconds in records:
        phase = OTHER
        for info in stack:
            phase = _PHASE_OF.get(_frame(info)[0], phase)
        phases[phase] += seconds
        function, where = _frame(stack[-1]) if stack else ("?", "")
        functions[f"{function} ({where})"] += seconds
    return phases, functions


def profile(name: str, arguments: list[str], top: int = 15) -> Profile:
    """Profile `skorasn ARGUMENTS` in a child process and group its samples."""
    from pyinstrument.session import Session

    OUT.mkdir(exist_ok=True)
    session_path = OUT / f"profil_{name}.pyisession"
    subprocess.run(
        [sys.executable, __file__, "--anak", str(session_path), *arguments],
        stdout=subprocess.DEVNULL,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    session = Session.load(session_path)
    phases, functions = _group(session.frame_records)
    return Profile(name, session.duration, dict(phases.most_common()), functions.most_common(top))


EXAMPLE = BENCH.parent / "contoh_data" / "nilai_pelatihan_ai_2025.xlsx"


def standard_profiles(workbook: Path) -> list[Profile]:
    """The clean file to JSON and to XLSX, the problem-heavy file beside it to JSON, and the
    example data as a person runs it (the start-up target)."""
    heavy = workbook.with_name("tiga_tahap.xlsx")
    return [
        profile("json", ["tier", str(workbook), "--format", "json"]),
        profile("xlsx", ["tier", str(workbook), "-o", str(OUT / "profil.xlsx")]),
        profile("tiga_json", ["tier", str(heavy), "--format", "json"]),
        example_profile(),
    ]


def example_profile() -> Profile:
    return profile("contoh", ["tier", str(EXAMPLE)])


def main() -> None:
    if sys.argv[1] == "--anak":
        _child(sys.argv[2], sys.argv[3:])
        return
    for result in standard_profiles(Path(sys.argv[1])):
        print(
            json.dumps(
                {
                    "nama": result.name,
                    "total": result.total,
                    "fase": result.phases,
                    "fungsi": result.functions,
                },
                indent=1,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
