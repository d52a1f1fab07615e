"""Golden files: the example data's JSON, CSV, HTML and a cell dump of its XLSX.

After an intended change to a report, regenerate them and review the diff:

    python tests/golden.py
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = "contoh_data/nilai_pelatihan_ai_2025.xlsx"
NAMES = ("contoh.json", "contoh.csv", "contoh.html", "contoh.xlsx.txt")

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


def produce(folder: Path) -> dict[str, str]:
    """Run `skorasn tier` on the example from the repository root; the outputs as text."""
    from typer.testing import CliRunner

    from skorasn.cli import app

    targets = {name: folder / name.removesuffix(".txt") for name in NAMES}
    args = ["tier", EXAMPLE, "-q"]
    for target in targets.values():
        args += ["-o", str(target)]
    before, argv = Path.cwd(), sys.argv
    os.chdir(ROOT)
    sys.argv = ["skorasn", *args]  # the Audit sheet records the command line
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(before)
        sys.argv = argv
    assert result.exit_code == 1, result.output
    texts = {}
    for name, target in targets.items():
        if name.endswith(".xlsx.txt"):
            texts[name] = cell_dump(target)
        else:
            texts[name] = target.read_text(encoding="utf-8-sig")
    return {name: normalise(text) for name, text in texts.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in produce(Path(folder)).items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
            print(f"ditulis: {GOLDEN / name}", file=sys.stderr)


if __name__ == "__main__":
    main()
