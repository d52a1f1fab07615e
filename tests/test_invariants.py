"""Numbers the mayor can trust: every count adds up with the others, in every format.

Per stage: the decisions add up to `jumlah`; the sebaran counts exactly those decided by their
score (sum = lanjut + tahan + berhenti, and under the default rule the buckets 10 and 9 are
the lanjut); per eselon and per unit kerja add up to the stage. The same numbers stand in the
JSON, the CSV rows, the XLSX Ringkasan, the HTML page and the terminal summary. Checked on
generated rosters (Hypothesis) and on the example data.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rich.console import Console

from skorasn.core import report_on
from skorasn.models import Report, Rules
from skorasn.reporting import render
from skorasn.reporting.document import report_document
from skorasn.reporting.html import render_html
from skorasn.reporting.workbook import write_xlsx
from skorasn.reporting.writers import write_csv
from skorasn.vocabulary import BUCKETS, DECIDED_BY_SCORE, DECISIONS

from .conftest import CONTOH, nip
from .readback import parse, read_summary

UNITS = ("Dinas Kesehatan", "Bappeda", "Kecamatan Cikole", "")
ESELON = ("III.a", "IV.b", "II.b", "-", "")
# A cell as a trainer might type it: a score, a blank, or something that is not a score.
SCORE = st.one_of(
    st.integers(0, 40).map(lambda quarter: quarter / 4),
    st.sampled_from(["", "sembilan", "11", "8,5", "9"]),
)
PERSON = st.fixed_dictionaries(
    {
        # Few enough that duplicates happen; None leaves the NIP cell blank.
        "nip": st.one_of(st.integers(1, 30), st.none()),
        "unit": st.sampled_from(UNITS),
        "eselon": st.sampled_from(ESELON),
        "stages": st.lists(SCORE, min_size=1, max_size=3),
        # The last stage cell written otherwise: blank (the file names no stage either) or a
        # stage that does not exist; both rows are periksa and must say why.
        "last_stage": st.sampled_from([None, None, None, "", "Lanjutan 3"]),
    }
)
ROSTER = st.lists(PERSON, min_size=1, max_size=25)
HEADER = "NIP;Nama;Eselon;Unit Kerja;Skor;Tahap"
STAGE_WORDS = ("Dasar", "Lanjutan 1", "Lanjutan 2")


def roster_csv(people: list[dict[str, Any]]) -> str:
    # One person always readable, so that a roster of blanks still makes a report.
    lines = [HEADER, f"{nip(99)};Peserta tetap;III.a;Bappeda;9;Dasar"]
    for number, person in enumerate(people):
        words = list(STAGE_WORDS[: len(person["stages"])])
        if person["last_stage"] is not None:
            words[-1] = person["last_stage"]
        for stage, score in zip(words, person["stages"], strict=True):
            shown = f"{score:g}".replace(".", ",") if isinstance(score, float) else score
            lines.append(
                f"{nip(person['nip']) if person['nip'] else ''};Peserta {number};{person['eselon']};{person['unit']};"
                f"{shown};{stage}"
            )
    return "\n".join(lines) + "\n"


def report_for(text: str, rules: Rules) -> Report:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nilai.csv"
        path.write_text(text, encoding="utf-8")
        return report_on([path], rules)


# --- the invariant, format by format ------------------------------------------------------


def check_json(document: dict[str, Any], rules: Rules) -> None:
    for stage, counts in document["ringkasan"].items():
        members = [p for p in document["peserta"] if (p["tahap"] or "tanpa_tahap") == stage]
        assert counts["jumlah"] == len(members) == sum(counts[d] for d in DECISIONS)
        for decision in DECISIONS:
            assert counts[decision] == sum(p["keputusan"] == decision for p in members)
        decided = [p for p in members if p["keputusan"] in DECIDED_BY_SCORE]
        assert sum(counts["sebaran"].values()) == len(decided)
        assert sum(counts["sebaran"].values()) == sum(counts[d] for d in DECIDED_BY_SCORE)
        buckets = Counter(str(math.floor(p["skor"])) for p in decided)
        assert counts["sebaran"] == {b: buckets.get(b, 0) for b in BUCKETS}
        for decision in DECIDED_BY_SCORE:
            assert sum(counts["sebaran_keputusan"][decision].values()) == counts[decision]
        if (rules.lanjut_min, rules.berhenti_maks) == (9, 5):
            assert counts["sebaran"]["10"] + counts["sebaran"]["9"] == counts["lanjut"]
        for key in ("per_eselon", "per_unit_kerja"):
            for field in (*DECISIONS, "jumlah"):
                assert sum(group[field] for group in counts[key].values()) == counts[field]
        for person in members:
            if person["keputusan"] in ("periksa", "belum_dinilai"):
                assert person["alasan"], person


def check_csv(text: str, document: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(document["peserta"])
    for stage, counts in document["ringkasan"].items():
        here = [r for r in rows if (r["tahap"] or "tanpa_tahap") == stage]
        for decision in DECISIONS:
            assert counts[decision] == sum(r["keputusan"] == decision for r in here)
        decided = Counter(
            str(math.floor(float(r["skor"]))) for r in here if r["keputusan"] in DECIDED_BY_SCORE
        )
        assert counts["sebaran"] == {b: decided.get(b, 0) for b in BUCKETS}


def check_xlsx(data: bytes, document: dict[str, Any]) -> None:
    shown = read_summary(load_workbook(io.BytesIO(data))["Ringkasan"])
    for stage, counts in document["ringkasan"].items():
        block = shown[stage.replace("_", " ") if stage != "tanpa_tahap" else "tanpa tahap"]
        for field in (*DECISIONS, "jumlah", "sebaran", "sebaran_keputusan"):
            assert block[field] == counts[field], (stage, field)
        for key in ("per_eselon", "per_unit_kerja"):
            assert block[key] == counts[key]


def check_html(text: str, document: dict[str, Any]) -> None:
    page = parse(text)
    for stage, counts in document["ringkasan"].items():
        if stage == "tanpa_tahap":
            continue
        for decision in DECISIONS:
            assert page.numbers(data_tahap=stage, data_keputusan=decision) == [counts[decision]]
        spread = page.numbers(data_tahap=stage, data_sebaran="")
        assert spread == [counts["sebaran"][b] for b in BUCKETS]
        assert page.numbers(data_tahap=stage, data_jumlah="") == [counts["jumlah"]]


def check_terminal(report: Report, document: dict[str, Any]) -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    for renderable in render.summary(report, render.Look(False)):
        console.print(renderable)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    for stage, counts in document["ringkasan"].items():
        line = " · ".join(
            f"{d.replace('_', ' ')} {counts[d]:,}".replace(",", ".") for d in DECISIONS
        )
        assert line in text, (stage, line)


def check_every_format(report: Report, rules: Rules) -> None:
    document = json.loads(json.dumps(report_document(report)))
    check_json(document, rules)
    out = io.StringIO()
    write_csv(report, out)
    check_csv(out.getvalue(), document)
    binary = io.BytesIO()
    write_xlsx(report, binary)
    check_xlsx(binary.getvalue(), document)
    check_html(render_html(report), document)
    check_terminal(report, document)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROSTER, st.sampled_from([(9, 5), (8.5, 4), (10, 0)]))
def test_counts_add_up_in_every_format(people: list[dict[str, Any]], rule: tuple) -> None:
    rules = Rules(lanjut_min=rule[0], berhenti_maks=rule[1])
    check_every_format(report_for(roster_csv(people), rules), rules)


def test_counts_add_up_on_the_example_data() -> None:
    rules = Rules()
    report = report_on([CONTOH / "nilai_pelatihan_ai_2025.xlsx"], rules)
    check_every_format(report, rules)
    dasar = report.ringkasan["dasar"]
    assert isinstance(dasar, dict)
    # The example's own planted problems: none of those rows counts in the sebaran.
    assert sum(dasar["sebaran"].values()) == dasar["lanjut"] + dasar["tahan"] + dasar["berhenti"]
    assert dasar["sebaran"]["10"] + dasar["sebaran"]["9"] == dasar["lanjut"]


def test_one_unit_however_it_was_typed_is_one_row() -> None:
    """Spacing, a no-break space and capitals do not split a unit in the per-unit tables; it
    is shown as its most frequent spelling."""
    units = ["Dinas Kesehatan", "Dinas  Kesehatan", "Dinas\u00a0Kesehatan", "DINAS KESEHATAN",
             "Dinas Kesehatan", "Bappeda", None]  # fmt: skip
    lines = [HEADER] + [
        f"{nip(n)};Peserta {n};III.a;{unit or ''};{score};Dasar"
        for n, (unit, score) in enumerate(zip(units, [9, 4, 4, 7, 9, 9, 9], strict=True), 1)
    ]
    report = report_for("\n".join(lines) + "\n", Rules())
    table = report.ringkasan["dasar"]["per_unit_kerja"]
    assert set(table) == {"Dinas Kesehatan", "Bappeda", "(tanpa unit kerja)"}
    assert table["Dinas Kesehatan"]["jumlah"] == 5
    assert table["Dinas Kesehatan"]["berhenti"] == 2
    assert sum(row["jumlah"] for row in table.values()) == report.ringkasan["dasar"]["jumlah"]
