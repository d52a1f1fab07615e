"""Measure the optimisation proposals in bench/usulan/ against the current package.

    /tmp/venv/bin/python bench/prototipe.py                 # 100k rows, ~5 minutes
    /tmp/venv/bin/python bench/prototipe.py --baris 10000   # quick check

For each prototype: the same work in one process with the original function and with the
prototype swapped in (monkeypatching every skorasn module that bound the original), best of
three, after checking that both give the same result. Then whole processes, as bench/run.py
measures them: `skorasn tier` as installed against the same command with every prototype
applied (`python bench/prototipe.py --anak NAMES ARGS`), next to the naive pipeline and the raw read
of the same run, so the target ratios can be read off directly. Writes bench/PROTOTIPE.md, and
the numbers to bench/out/prototipe_terakhir.json (`--tulis-ulang` rewrites the text from them).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import proposal  # noqa: E402

SAVED = BENCH / "out" / "prototipe_terakhir.json"
ALL = {item.name: item for item in proposal.load_all()}
# Only fragments written against the current source are measured ("usang" ones would revert
# someone's newer edit, "diterapkan" ones are in src/ already).
STATUS = {name: proposal.status(item) for name, item in ALL.items()}
PROPOSALS = {name: item for name, item in ALL.items() if STATUS[name] == "berlaku"}


def _skorasn_modules() -> list:
    """Every skorasn module, imported (reporting/ is a namespace package, which pkgutil's
    walk_packages does not enter)."""
    import skorasn

    root = Path(skorasn.__path__[0])
    names = {".".join(("skorasn", *path.relative_to(root).with_suffix("").parts))
             for path in root.rglob("*.py")}
    return [importlib.import_module(name.removesuffix(".__init__")) for name in sorted(names)
            if not name.endswith("__main__")]


_MISSING = object()


@contextlib.contextmanager
def swapped(*names: str) -> Iterator[None]:
    """Apply the named proposals: run each fragment inside its module, point every other
    skorasn module that imported a replaced definition at the new one; undo it all after."""
    undo: list[tuple[object, str, object]] = []
    modules = _skorasn_modules()
    for item in (ALL[name] for name in names):
        home = importlib.import_module(item.module)
        originals = {name: getattr(home, name) for name in item.sections}
        undo += [(home, name, vars(home).get(name, _MISSING))
                 for name in proposal.defined_names(item)]
        exec(proposal.code(item), vars(home))
        for name, original in originals.items():
            for module in modules:
                if module is not home and getattr(module, name, None) is original:
                    undo.append((module, name, original))
                    setattr(module, name, getattr(home, name))
    try:
        yield
    finally:
        for module, name, value in reversed(undo):
            if value is _MISSING:
                delattr(module, name)
            else:
                setattr(module, name, value)


def best_of(work: Callable[[], object], runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


# --- in-process comparisons ---------------------------------------------------------------
# Each takes (report, workbook, folder) and returns (what was timed, work) where work() gives
# something comparable: the same result with and without the proposal means the same output.

def _reading(report: object, workbook: Path, folder: Path) -> tuple[str, Callable]:
    from skorasn.config import Rules
    from skorasn.reading import read_inputs

    def work() -> object:
        read = read_inputs([workbook], Rules())
        return _Frame(read.rows), read.problems

    return "read_inputs (baca + normalisasi)", work


class _Frame:
    """A DataFrame compared with DataFrame.equals (NaN equal to NaN, dtypes included)."""

    def __init__(self, frame: object):
        self.frame = frame

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Frame) and self.frame.equals(other.frame)


def _records(report: object, workbook: Path, folder: Path) -> tuple[str, Callable]:
    from skorasn.reporting import document

    return "participant_records", lambda: document.participant_records(report.peserta)


def _summary(report: object, workbook: Path, folder: Path) -> tuple[str, Callable]:
    import json

    from skorasn.core import summarise

    return "summarise", lambda: json.dumps(summarise(report.peserta))


def _report(report: object, workbook: Path, folder: Path) -> tuple[str, Callable]:
    """The whole build_report, compared through its JSON document (no timestamps in it)."""
    from skorasn import core
    from skorasn.config import Rules
    from skorasn.reporting.document import dumps, report_document

    def work() -> object:
        return dumps(report_document(core.build_report([workbook], Rules())))

    return "build_report", work


def _ordering(report: object, workbook: Path, folder: Path) -> tuple[str, Callable]:
    """order_participants on the unordered table; compared on the columns a report uses."""
    from skorasn import core
    from skorasn.config import Rules
    from skorasn.reading import read_inputs
    from skorasn.rules import apply_rules

    unordered = apply_rules(read_inputs([workbook], Rules()).rows, Rules()).peserta
    columns = ["nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap", "tanggal", "skor",
               "skor_pelatih", "keputusan", "sumber", "riwayat", "berkas", "lembar", "baris"]
    return "order_participants", lambda: _Frame(core.order_participants(unordered)[columns])


COMPARISONS = {"nip_cepat": _reading, "participant_records": _records, "summary": _summary,
               "urutan": _ordering}


def compare(name: str, report: object, workbook: Path, folder: Path) -> dict:
    timed, work = COMPARISONS.get(name, _report)(report, workbook, folder)
    before, old = best_of(work)
    with swapped(name):
        after, new = best_of(work)
    return {"nama": name, "diukur": timed, "sebelum": before, "sesudah": after,
            "sama": old == new}


def in_process(workbook: Path) -> list[dict]:
    from skorasn.config import Rules
    from skorasn.core import build_report

    report = build_report([workbook], Rules())
    with tempfile.TemporaryDirectory() as folder:
        return [compare(name, report, workbook, Path(folder)) for name in PROPOSALS]


# --- whole processes -----------------------------------------------------------------------

def _commands(workbook: Path, with_json: bool = True) -> dict[str, list[str]]:
    from run import OUT, PY, TASKS, skorasn

    OUT.mkdir(exist_ok=True)
    same = [PY, str(Path(__file__).resolve()), "--anak", ",".join(PROPOSALS)]
    commands = {
        "skorasn_xlsx": [skorasn(), "tier", str(workbook), "-o", str(OUT / "proto_lama.xlsx")],
        "usulan_xlsx": [*same, "tier", str(workbook), "-o", str(OUT / "proto_baru.xlsx")],
    }
    if with_json:
        commands |= {
            "skorasn_json": [skorasn(), "tier", str(workbook), "--format", "json"],
            "usulan_json": [*same, "tier", str(workbook), "--format", "json"],
            "baca_fastexcel": [PY, TASKS, "read-fastexcel", str(workbook)],
            "baca_calamine": [PY, TASKS, "read-calamine", str(workbook)],
            "skorasn_baca_saja": [PY, TASKS, "skorasn-read", str(workbook)],
            "lantai_arrow_json": [PY, TASKS, "arrow-json", str(workbook)],
            "naif": [PY, TASKS, "naive", str(workbook), str(OUT / "proto_naif.xlsx")],
        }
    return commands


def whole_processes(commands: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    """Median seconds and peak RSS of each command (interleaved; the naive pipeline once)."""
    from measure import run_once

    seconds: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    digests: dict[str, str] = {}
    outputs: dict[str, str] = {}
    for number in range(runs):
        for name, argv in commands.items():
            if name == "naif" and number:
                continue
            run = run_once(argv, capture=name.endswith(("json", "saja")))
            seconds[name].append(run.seconds)
            peaks[name] = max(peaks[name], run.rss_mb)
            digests[name] = hashlib.sha256(run.stdout.encode()).hexdigest()
            outputs[name] = run.stdout
            print(f"  {name:<18} {run.seconds:7.2f} s {run.rss_mb:6.0f} MB", file=sys.stderr)
    result = {name: {"median": statistics.median(values), "rss": peaks[name]}
              for name, values in seconds.items()}
    if "usulan_json" in digests:
        result["usulan_json"]["sama"] = digests["usulan_json"] == digests["skorasn_json"]
    if "skorasn_baca_saja" in outputs:  # its own split: seconds importing, seconds reading
        result["skorasn_baca_saja"] |= json.loads(outputs["skorasn_baca_saja"])
    return result


def _child(names: str, arguments: list[str]) -> None:
    """`skorasn ARGUMENTS` with the named proposals (comma-separated) applied. A proposal that
    cannot be applied exits with 99, which run_once reports (skorasn itself exits 0 or 1)."""
    from skorasn.cli import main

    sys.argv = ["skorasn", *arguments]
    try:
        context = swapped(*names.split(","))
        context.__enter__()
    except Exception as exc:
        print(f"usulan tidak dapat diterapkan: {exc!r}", file=sys.stderr)
        sys.exit(99)
    main()


def main() -> None:
    if sys.argv[1:2] == ["--anak"]:
        _child(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description="Ukur prototipe optimasi skorasn.")
    parser.add_argument("--baris", type=int, default=100_000)
    parser.add_argument("--ulang", type=int, default=3)
    parser.add_argument("--satu-juta", action="store_true",
                        help="juga RSS puncak xlsx → xlsx pada 1M baris (sekali, ~4 menit)")
    parser.add_argument("--keluar", type=Path, default=BENCH / "PROTOTIPE.md")
    parser.add_argument("--tulis-ulang", action="store_true",
                        help="tulis ulang PROTOTIPE.md dari hasil terakhir, tanpa mengukur")
    args = parser.parse_args()
    import generate
    from prototipe_text import document

    if args.tulis_ulang:
        if not SAVED.exists():
            sys.exit(f"belum ada hasil tersimpan ({SAVED}); jalankan tanpa --tulis-ulang dulu")
        saved = json.loads(SAVED.read_text(encoding="utf-8"))
        saved["now"] = dt.datetime.fromisoformat(saved["now"])
        args.keluar.write_text(document(**saved), encoding="utf-8")
        print(f"ditulis: {args.keluar}")
        return

    workbook, _ = generate.ensure(args.baris)
    comparisons = in_process(workbook)
    for item in comparisons:
        print(f"{item['nama']:<22} {item['sebelum']:7.2f} s → {item['sesudah']:7.2f} s "
              f"(sama: {item['sama']})", file=sys.stderr)
    processes = whole_processes(_commands(workbook), args.ulang)
    million = None
    if args.satu_juta:
        million = whole_processes(_commands(generate.ensure(1_000_000)[0], False), 1)
    now = dt.datetime.now().astimezone()
    measured = {"comparisons": comparisons, "processes": processes, "million": million,
                "rows": args.baris, "now": now, "status": STATUS}
    SAVED.write_text(json.dumps(measured, default=str), encoding="utf-8")
    args.keluar.write_text(document(**measured), encoding="utf-8")
    print(f"ditulis: {args.keluar}")


if __name__ == "__main__":
    main()
