"""skorasn performance benchmark (issue "Performance").

Run from the project root, in a venv with `pip install ".[bench]"`:

    .venv/bin/python bench/run.py            # 10k, 100k and 1M rows + profile (~25 min)
    .venv/bin/python bench/run.py --cepat    # 10k and 100k, one run at 100k (< 2 min)

Options: --ulang N (runs per measurement at 10k/100k; default 3, 1 with --cepat),
--tanpa-1m (everything but the 1M rows), --tanpa-profil, --keluar FILE (default
bench/RESULTS.md), --tulis-ulang (rewrite RESULTS.md from bench/out/hasil_terakhir.json, the
measurements of the last run, without measuring again), --profil-saja (profile again, keeping
the last run's measurements: for a profile added at the same revision).

Workbooks and CSVs are generated once into bench/data/ (git-ignored) by bench/generate.py
and reused. Every measurement is a whole process (bench/measure.py: wall time, and peak RSS
via /usr/bin/time): the naive pandas/openpyxl pipeline, the fastest raw read and raw write
(bench/tasks.py), skorasn itself, and `--help` against bench/minimal_typer.py. The runs of one
size are interleaved so that a busy neighbour slows every candidate alike. The ratio table goes
to stdout; bench/RESULTS.md gets the same numbers, the targets and (without --cepat) the profile
of bench/profil.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import report  # noqa: E402
import results_text  # noqa: E402
import saved  # noqa: E402
from measure import Result, available_mb, run_once  # noqa: E402

OUT = BENCH / "out"
PY = sys.executable
TASKS = str(BENCH / "tasks.py")
MILLION = 1_000_000
HELP_RUNS = 7
MANY_FILES = 10_000
EXAMPLE = BENCH.parent / "contoh_data" / "nilai_pelatihan_ai_2025.xlsx"
NEEDED_FOR_1M_MB = 6000


def skorasn() -> str:
    script = Path(PY).with_name("skorasn")
    return str(script) if script.exists() else shutil.which("skorasn") or "skorasn"


def plan(rows: int, xlsx: Path, csv: Path) -> dict[str, list[str]]:
    """The commands timed at one size, by name."""
    tag, cli = generate.label(rows), skorasn()
    commands = {
        "naif": [PY, TASKS, "naive", str(xlsx), str(OUT / f"naif_{tag}.xlsx")],
        "baca_fastexcel": [PY, TASKS, "read-fastexcel", str(xlsx)],
        "baca_calamine": [PY, TASKS, "read-calamine", str(xlsx)],
        "tulis_xlsxwriter": [
            PY,
            TASKS,
            "write-xlsxwriter",
            str(rows),
            str(OUT / f"tulis_{tag}.xlsx"),
        ],
        "skorasn_xlsx": [cli, "tier", str(xlsx), "-o", str(OUT / f"skorasn_{tag}.xlsx")],
        "skorasn_json": [cli, "tier", str(xlsx), "--format", "json"],
        "skorasn_ringkas": [cli, "tier", str(xlsx), "--ringkas"],
        "skorasn_csv_json": [cli, "tier", str(csv), "--format", "json"],
        # The same run as skorasn_json, checked against and recorded in an arsip that starts
        # empty at each size: the first run is a first day, the later ones compare with it.
        "skorasn_json_arsip": [
            cli,
            "tier",
            str(xlsx),
            "--format",
            "json",
            "--arsip",
            str(_fresh_register(tag)),
        ],
        "arsip_fase": [PY, TASKS, "arsip", str(xlsx)],
    }
    if rows < MILLION:  # three stages full of peringatan: the cost of the problems
        heavy = generate.ensure_problem_heavy(rows)
        commands["skorasn_tiga_json"] = [cli, "tier", str(heavy), "--format", "json"]
    if rows == MANY_FILES:  # as many one-row files as the CSV above has rows
        folder = generate.ensure_many_files(MANY_FILES)
        commands["skorasn_banyak_csv"] = [cli, "tier", str(folder), "--format", "json"]
    if rows >= MILLION:  # openpyxl would take ~6 minutes and several GB; no target needs it
        del commands["naif"]
    if not _has_fastexcel():
        del commands["baca_fastexcel"]
    return commands


def _fresh_register(tag: str) -> Path:
    register = OUT / f"arsip_{tag}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{register}{suffix}").unlink(missing_ok=True)
    return register


def _has_fastexcel() -> bool:
    import importlib.util

    return importlib.util.find_spec("fastexcel") is not None


def measure(
    commands: dict[str, list[str]], rows: int | None, runs: int, warm_up: bool = True
) -> list[Result]:
    """Run every command `runs` times, interleaved, after one untimed warm-up if asked."""
    results = {name: Result(name, rows) for name in commands}
    if warm_up:
        for argv in commands.values():
            run_once(argv)
    for number in range(1, runs + 1):
        for name, argv in commands.items():
            run = run_once(argv, capture=name.startswith(("baca", "tulis", "naif", "arsip")))
            results[name].runs.append(run)
            _progress(results[name], number, runs)
    return list(results.values())


def _progress(result: Result, number: int, runs: int) -> None:
    run = result.runs[-1]
    size = generate.label(result.rows) if result.rows else "-"
    state = "DIHENTIKAN (memori)" if run.killed else f"{run.seconds:7.2f} s {run.rss_mb:7.0f} MB"
    print(f"  {size:>4} {result.name:<18} {number}/{runs}  {state}", file=sys.stderr, flush=True)


def measure_size(rows: int, runs: int, fast: bool) -> list[Result]:
    print(f"[{generate.label(rows)}] menyiapkan data …", file=sys.stderr, flush=True)
    xlsx, csv = generate.ensure(rows)
    if rows >= MILLION and available_mb() < NEEDED_FOR_1M_MB:
        note = f"dilewati: memori tersedia {available_mb():.0f} MB < {NEEDED_FOR_1M_MB} MB"
        return [Result("skorasn_xlsx", rows, note=note)]
    return measure(plan(rows, xlsx, csv), rows, runs, warm_up=rows <= 10_000 and not fast)


def measure_startup() -> list[Result]:
    """`--help`, and the README's main job on the example data, against their floors."""
    commands = {
        "help_skorasn": [skorasn(), "--help"],
        "help_typer_minimal": [PY, str(BENCH / "minimal_typer.py"), "--help"],
        "contoh_skorasn": [skorasn(), "tier", str(EXAMPLE)],
        "impor_pandas": [PY, "-c", "import pandas"],
    }
    return measure(commands, None, HELP_RUNS)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark skorasn (lihat docstring).")
    parser.add_argument("--cepat", action="store_true", help="tanpa 1M baris; < 2 menit")
    parser.add_argument("--tanpa-1m", action="store_true", help="tanpa 1M baris")
    parser.add_argument("--ulang", type=int, help="jumlah ulangan di 10k/100k")
    parser.add_argument("--tanpa-profil", action="store_true")
    parser.add_argument("--keluar", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument(
        "--tulis-ulang",
        action="store_true",
        help="tulis ulang RESULTS.md dari hasil terakhir, tanpa mengukur",
    )
    parser.add_argument(
        "--profil-saja",
        action="store_true",
        help="profil lagi (revisi yang sama), ukuran dari hasil terakhir tetap",
    )
    return parser.parse_args()


def main() -> None:
    args = options()
    if args.tulis_ulang or args.profil_saja:
        if not saved.PATH.exists():
            sys.exit(f"belum ada hasil tersimpan ({saved.PATH}); jalankan tanpa --tulis-ulang")
        last = saved.load()
        if args.profil_saja:
            import profil

            last["profiles"] = profil.standard_profiles(generate.paths(100_000)[0])
            saved.save(**last)
        write(args.keluar, **last)
        return
    OUT.mkdir(exist_ok=True)
    sizes = {10_000: args.ulang or 3, 100_000: args.ulang or (1 if args.cepat else 3)}
    if not (args.cepat or args.tanpa_1m):
        sizes[MILLION] = 1
    results = measure_startup()
    for rows, runs in sizes.items():
        results += measure_size(rows, runs, args.cepat)
    profiles = []
    if not (args.cepat or args.tanpa_profil):
        import profil

        print("[profil] 100k, JSON dan XLSX …", file=sys.stderr, flush=True)
        profiles = profil.standard_profiles(generate.paths(100_000)[0])
    print(report.text(results))
    now, machine_rows = dt.datetime.now().astimezone(), report.machine()
    saved.save(results, profiles, sizes, args.cepat, now, machine_rows)
    write(args.keluar, results, profiles, sizes, args.cepat, now, machine_rows)


def write(
    path: Path,
    results: list[Result],
    profiles: list,
    sizes: dict[int, int],
    fast: bool,
    now: dt.datetime,
    machine_rows: list[list[str]],
) -> None:
    path.write_text(
        results_text.document(results, profiles, sizes, fast, now, machine_rows), encoding="utf-8"
    )
    print(f"\nditulis: {path}")


if __name__ == "__main__":
    main()
