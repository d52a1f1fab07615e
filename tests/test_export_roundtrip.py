"""Names with any Unicode survive every export, and never become formulas."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skorasn.core import report_on
from skorasn.models import Rules
from skorasn.reporting.workbook import write_xlsx
from skorasn.reporting.writers import neutralise, write_csv, write_json
from skorasn.vocabulary import SPACES

from .conftest import nip

# Any printable text; control and invisible (format) characters are removed on reading (with
# a warning, tested in test_values) and surrounding spaces are trimmed, so the property is
# about everything else.
NAMES = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: s.strip(" \t\r\n" + SPACES))
    .filter(bool)
)
TRIGGERS = st.sampled_from(["=", "+", "-", "@"]).flatmap(
    lambda first: NAMES.map(lambda rest: first + rest)
)


def _input(folder: Path, names: list[str]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Skor"])
    for number, name in enumerate(names, start=1):
        sheet.append([nip(number), None, 9])
        cell = sheet.cell(row=number + 1, column=2)
        cell.value = name
        cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula
    path = folder / "masuk.xlsx"
    book.save(path)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(NAMES, TRIGGERS), min_size=1, max_size=4))
def test_names_survive_json_csv_and_xlsx(names: list[str]) -> None:
    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        report = report_on([_input(root, names)], Rules())
        by_nip = {nip(n): name for n, name in enumerate(names, start=1)}
        assert report.peserta.set_index("nip")["nama"].to_dict() == by_nip

        with (root / "out.json").open("w", encoding="utf-8") as out:
            write_json(report, out)
        exported = json.loads((root / "out.json").read_text(encoding="utf-8"))
        assert {p["nip"]: p["nama"] for p in exported["peserta"]} == by_nip

        with (root / "out.csv").open("w", encoding="utf-8", newline="") as out:
            write_csv(report, out)
        with (root / "out.csv").open(encoding="utf-8", newline="") as handle:
            rows = {r["nip"]: r["nama"] for r in csv.DictReader(handle)}
        assert rows == {key: neutralise(name) for key, name in by_nip.items()}

        with (root / "out.xlsx").open("wb") as binary:
            write_xlsx(report, binary)
        book = load_workbook(root / "out.xlsx")
        sheet = book["Dasar"]
        read_back = {row[1].value: row[2].value for row in sheet.iter_rows(min_row=2)}
        assert read_back == by_nip
        for worksheet in book.worksheets:
            for row in worksheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row)
