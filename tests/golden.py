"""Golden files: the example data's JSON, CSV, HTML and a cell dump of its XLSX, and the JSON
of small files of the benchmark's shapes (bench/generate.py): a clean sheet, its CSV, three
stages full of problems and a folder of one-row CSVs. Speed work must leave them byte-identical.

After an intended change to a report, regenerate them and review the diff:

    python tests/golden.py
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = "contoh_data/nilai_pelatihan_ai_2025.xlsx"
EXAMPLE_NAMES = ("contoh.json", "contoh.csv", "contoh.html", "contoh.xlsx.txt")
# The benchmark's shapes, small: golden name → (what bench/generate.py writes, rows).
BENCH_SHAPES = {
    "bench_skor.json": ("skor.xlsx", 300),
    "bench_dasar_csv.json": ("dasar.csv", 300),
    "bench_tiga_tahap.json": ("tiga_tahap.xlsx", 600),
    "bench_banyak_csv.json": ("banyak_csv", 25),
}
NAMES = EXAMPLE_NAMES + tuple(BENCH_SHAPES)

# What changes from run to run: the time of the run and the command that made it.
_VOLATILE = (
    (re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}"), "<waktu>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"), "<waktu>"),
    (re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}, pukul \d{2}\.\d{2}"), "<waktu>"),
    (re.compile(r"skorasn tier .*"), "<perintah>"),
)


def normalise(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def cell_dump(path: Path) -> str:
    """Every non-empty cell as `Sheet!A1<TAB>type<TAB>value`, sheet by sheet."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    lines.append(f"{sheet.title}!{cell.coordinate}\t{cell.data_type}\t{cell.value}")
    book.close()
    return "\n".join(lines) + "\n"


def _invoke(args: list[str], where: Path, exit_code: int) -> str:
    """`skorasn *args` run from `where`, as a user would; its standard output."""
    from typer.testing import CliRunner

    from skorasn.cli import app

    before, argv = Path.cwd(), sys.argv
    os.chdir(where)
    sys.argv = ["skorasn", *args]  # the Audit sheet records the command line
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(before)
        sys.argv = argv
    assert result.exit_code == exit_code, result.output
    return result.stdout


def produce(folder: Path) -> dict[str, str]:
    """Every golden output, as text."""
    return {**produce_example(folder), **produce_bench_shapes(folder)}


def produce_example(folder: Path) -> dict[str, str]:
    """Run `skorasn tier` on the example from the repository root; the outputs as text."""
    targets = {name: folder / name.removesuffix(".txt") for name in EXAMPLE_NAMES}
    args = ["tier", EXAMPLE, "-q"]
    for target in targets.values():
        args += ["-o", str(target)]
    _invoke(args, ROOT, exit_code=1)  # the example holds galat on purpose
    texts = {}
    for name, target in targets.items():
        if name.endswith(".xlsx.txt"):
            texts[name] = cell_dump(target)
        else:
            texts[name] = target.read_text(encoding="utf-8-sig")
    return {name: normalise(text) for name, text in texts.items()}


def produce_bench_shapes(folder: Path) -> dict[str, str]:
    """`tier --format json` on small files of each benchmark shape, named relative to their
    folder so that the JSON does not depend on where it was made."""
    generate = _bench_generator()
    made = folder / "bench"
    made.mkdir()
    writers = {
        "skor.xlsx": generate.write_xlsx,
        "dasar.csv": generate.write_csv,
        "tiga_tahap.xlsx": generate.write_three_stages,
    }
    texts = {}
    for name, (source, rows) in BENCH_SHAPES.items():
        if source in writers:
            writers[source](made / source, generate.build_rows(rows))
        else:
            generate.write_many_files(made / source, rows)
        # No galat in these shapes: peringatan (no dasar record) and blank scores only.
        texts[name] = normalise(_invoke(["tier", source, "--format", "json"], made, exit_code=0))
    return texts


def _bench_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in produce(Path(folder)).items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
            print(f"ditulis: {GOLDEN / name}", file=sys.stderr)


if __name__ == "__main__":
    main()
