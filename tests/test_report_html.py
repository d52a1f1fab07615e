"""The mayor's HTML report: self-contained, escaped, and the same numbers as the JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skorasn.cli import app
from skorasn.reporting.html import (
    PLOT_HEIGHT,
    PROBLEMS_SHOWN,
    STACK_WIDTH,
    distribution_bars,
    stacked_bar,
    stopped_per_unit,
)
from skorasn.vocabulary import BUCKETS, DECIDED_BY_SCORE, DECISIONS, STAGES

from .conftest import nip
from .conftest import write_scores as write_shared_scores
from .readback import Page, parse

SCORED = DECIDED_BY_SCORE

HEADER = ("NIP", "Nama", "Unit Kerja", "Eselon", "Skor")
SCRIPT_NAME = "<script>alert(1)</script>"
ODD_UNIT = 'Dinas "Uji" & <Coba>'
KOMINFO, DINKES, CIKOLE = "Dinas Komunikasi dan Informatika", "Dinas Kesehatan", "Kecamatan Cikole"

CLEAN = {
    "Dasar": [
        (nip(1), "Ani Lestari", KOMINFO, "IV.a", 9.5),
        (nip(2), SCRIPT_NAME, DINKES, "III.b", 10),
        (nip(3), "Budi Santoso", DINKES, "III.a", 8.5),
        (nip(4), "Cici Rahayu", CIKOLE, "IV.a", 7.25),
        (nip(5), "Dedi Kurnia", CIKOLE, "IV.b", 5),
        (nip(6), "Eka Putri", CIKOLE, "IV.b", 4.75),
        (nip(7), "Fajar Nugraha", ODD_UNIT, "IV.a", 2),
        (nip(8), "Gita Permata", KOMINFO, "III.a", None),
        (nip(9), "Hadi Wijaya", KOMINFO, "III.a", 9),
        # gender digit 3: a peringatan, not a galat
        (nip(10, gender=3), "Indra Gunawan", DINKES, "IV.a", 6),
    ],
    "Lanjutan 1": [
        (nip(1), "Ani Lestari", KOMINFO, "IV.a", 9),
        (nip(2), SCRIPT_NAME, DINKES, "III.b", 3.5),
        (nip(9), "Hadi Wijaya", KOMINFO, "III.a", 7),
    ],
}
# Twelve scores that are not numbers: more galat than the report lists.
MESSY = {
    "Dasar": CLEAN["Dasar"]
    + [(nip(100 + i), f"Peserta {i}", DINKES, "IV.a", "sembilan") for i in range(12)],
    "Lanjutan 1": CLEAN["Lanjutan 1"],
}


def write_scores(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> Path:
    return write_shared_scores(path, HEADER, sheets)


# --- one CLI run per scenario ----------------------------------------------------------


@dataclass
class Rendered:
    html: str
    page: Page
    document: dict[str, Any]


SCENARIOS = {
    "bersih": (CLEAN, [], 0),
    "disaring": (CLEAN, ["--unit", "Kesehatan"], 0),
    "bermasalah": (MESSY, [], 1),
}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    sheets, options, code = SCENARIOS[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    source = write_scores(folder / "skor.xlsx", sheets)
    out_html, out_json = folder / "laporan.html", folder / "laporan.json"
    result = CliRunner().invoke(
        app, ["tier", str(source), *options, "-o", str(out_html), "-o", str(out_json)]
    )
    assert result.exit_code == code, result.output
    text = out_html.read_text(encoding="utf-8")
    return Rendered(text, parse(text), json.loads(out_json.read_text(encoding="utf-8")))


def stage_counts(report: Rendered) -> dict[str, dict[str, Any]]:
    return {s: report.document["ringkasan"][s] for s in STAGES if s in report.document["ringkasan"]}


# --- the numbers are the JSON's numbers ------------------------------------------------


def test_every_decision_count_matches_the_json(report: Rendered) -> None:
    stages = stage_counts(report)
    assert stages, "the scenario must have at least one stage"
    for stage, counts in stages.items():
        for decision in DECISIONS:
            legend = report.page.find(data_tahap=stage, data_keputusan=decision)
            assert any(h.tag == "td" for h in legend), (stage, decision)
            # The legend cell and the label on the bar, where there is one, agree.
            assert set(report.page.numbers(data_tahap=stage, data_keputusan=decision)) == {
                counts[decision]
            }, (stage, decision)
        assert report.page.numbers(data_tahap=stage, data_jumlah="") == [counts["jumlah"]]
        assert counts["jumlah"] == sum(counts[d] for d in DECISIONS)


def test_only_the_stages_in_the_json_are_shown(report: Rendered) -> None:
    shown = {h.attrs["data-tahap"] for h in report.page.find(data_tahap="")}
    assert shown == set(stage_counts(report))


def test_every_score_bucket_matches_the_json(report: Rendered) -> None:
    for stage, counts in stage_counts(report).items():
        hooked = report.page.find(data_tahap=stage, data_sebaran="")
        numbers = report.page.numbers(data_tahap=stage, data_sebaran="")
        shown = {h.attrs["data-sebaran"]: n for h, n in zip(hooked, numbers, strict=True)}
        assert list(shown) == list(BUCKETS)
        assert shown == counts["sebaran"]
        # Only those decided by their score are in the distribution.
        assert sum(shown.values()) == counts["lanjut"] + counts["tahan"] + counts["berhenti"]


def test_names_that_go_on_are_listed_per_stage(report: Rendered) -> None:
    for stage in stage_counts(report):
        expected = [
            p
            for p in report.document["peserta"]
            if p["tahap"] == stage and p["keputusan"] == "lanjut"
        ]
        listed = report.page.find(data_tahap=stage, data_nip="")
        assert [h.attrs["data-nip"] for h in listed] == [p["nip"] for p in expected]
        for item, person in zip(listed, expected, strict=True):
            assert item.text.startswith(person["nama"])
            assert person["nip"] in item.text


def test_long_lists_of_names_are_capped_to_keep_the_page_short() -> None:
    from skorasn.reporting.html import MAX_NAMES, stage_view

    people = [
        {"tahap": "dasar", "keputusan": "lanjut", "nip": nip(i), "nama": f"P{i}"}
        for i in range(MAX_NAMES + 7)
    ]
    counts = dict.fromkeys(DECISIONS, 0) | {
        "lanjut": len(people),
        "jumlah": len(people),
        "sebaran": dict.fromkeys(BUCKETS, 0),
        "sebaran_keputusan": {d: dict.fromkeys(BUCKETS, 0) for d in SCORED},
    }
    view = stage_view("dasar", counts, people)
    assert len(view["passed"]) == MAX_NAMES
    assert (view["passed_total"], view["passed_hidden"]) == (str(MAX_NAMES + 7), "7")


def test_stopped_per_unit_kerja_matches_the_json_per_stage_most_first(report: Rendered) -> None:
    stages = list(stage_counts(report))
    cells = report.page.find(data_berhenti="")
    numbers = report.page.numbers(data_berhenti="")
    shown: dict[str, dict[str, int]] = {}
    for cell, number in zip(cells, numbers, strict=True):
        shown.setdefault(cell.attrs["data-unit"] or "", {})[
            stages[int(cell.attrs["data-kolom"] or 0)]
        ] = number
    expected: dict[str, dict[str, int]] = {}
    for stage, counts in stage_counts(report).items():
        for unit, per_unit in counts["per_unit_kerja"].items():
            if per_unit["berhenti"]:
                expected.setdefault(unit, {})[stage] = per_unit["berhenti"]
    assert {u: {s: n for s, n in c.items() if n} for u, c in shown.items()} == expected
    totals = [sum(c.values()) for c in shown.values()]
    assert totals == sorted(totals, reverse=True)


def test_problem_counts_and_the_first_few_listed(report: Rendered) -> None:
    problems = report.document["masalah"]
    for level in ("galat", "peringatan"):
        assert report.page.numbers(data_masalah=level) == [
            sum(1 for p in problems if p["tingkat"] == level)
        ]
    rows = [tag for tag in report.page.tags if tag[0] == "tr" and "data-masalah-baris" in tag[1]]
    assert len(rows) == min(len(problems), PROBLEMS_SHOWN)
    if len(problems) > PROBLEMS_SHOWN:
        assert f"dan {len(problems) - PROBLEMS_SHOWN} masalah lain" in report.html


def test_the_galat_are_listed_before_the_peringatan(report: Rendered) -> None:
    levels = re.findall(r'<td class="(galat|peringatan)">', report.html)
    assert levels == sorted(levels, key=lambda level: level != "galat")


def test_the_rule_and_the_date_are_stated(report: Rendered) -> None:
    rules = report.document["aturan"]
    lanjut = f"{rules['lanjut_min']:g}".replace(".", ",")
    berhenti = f"{rules['berhenti_maks']:g}".replace(".", ",")
    assert f"lanjut bila skor ≥ {lanjut}, berhenti bila skor ≤ {berhenti}" in report.html
    assert "Rekap Nilai Pelatihan Pemanfaatan AI — ASN Pemkot Sukabumi" in report.html
    assert re.search(r"Dibuat \d{1,2} [A-Z][a-z]+ \d{4}, pukul \d\d\.\d\d", report.html)


def test_a_filtered_report_says_so(report: Rendered) -> None:
    said = "hanya memuat peserta dengan unit kerja memuat ‘Kesehatan’" in report.html
    units = {p["unit_kerja"] for p in report.document["peserta"]}
    assert said == (units == {DINKES})


# --- self-contained and safe -----------------------------------------------------------

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def test_no_script_and_no_external_asset(report: Rendered) -> None:
    assert "<script" not in report.html.lower()
    for tag, attrs in report.page.tags:
        assert tag not in {"script", "link", "iframe", "object", "embed", "img", "base"}, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name)
            assert value is None or not EXTERNAL.match(value), (tag, name, value)
    assert "url(" not in report.page.style and "@import" not in report.page.style
    assert "javascript:" not in report.html.lower()


def test_it_prints_on_a4_with_stage_blocks_kept_whole(report: Rendered) -> None:
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*12mm", report.page.style)
    assert "break-inside: avoid" in report.page.style
    assert report.html.count("<svg") >= 2 * len(stage_counts(report))


def test_a_name_with_markup_comes_out_escaped(report: Rendered) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.html
    if any(
        p["nama"] == SCRIPT_NAME and p["keputusan"] == "lanjut" for p in report.document["peserta"]
    ):
        assert any(h.text.startswith(SCRIPT_NAME) for h in report.page.find(data_nip=""))


def test_a_unit_name_with_quotes_and_markup_comes_out_escaped(report: Rendered) -> None:
    units = [h.attrs["data-unit"] for h in report.page.find(data_berhenti="")]
    stopped = any(
        counts["per_unit_kerja"].get(ODD_UNIT, {}).get("berhenti")
        for counts in stage_counts(report).values()
    )
    assert (ODD_UNIT in units) == bool(stopped)
    if stopped:
        assert "<td>Dinas &#34;Uji&#34; &amp; &lt;Coba&gt;</td>" in report.html


# Everything the template itself writes; markup smuggled in through the data is anything else.
TEMPLATE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "section",
    "footer",
    "h1",
    "h2",
    "h3",
    "p",
    "b",
    "span",
    "div",
    "svg",
    "rect",
    "line",
    "text",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ol",
    "li",
    "code",
}


def test_no_markup_from_the_data(report: Rendered) -> None:
    assert {tag for tag, _ in report.page.tags} <= TEMPLATE_TAGS


# --- the geometry helpers ---------------------------------------------------------------


def counts_of(**given: int) -> dict[str, int]:
    counts = {decision: given.get(decision, 0) for decision in DECISIONS}
    return {**counts, "jumlah": sum(counts.values())}


@pytest.mark.parametrize(
    "counts",
    [
        counts_of(lanjut=37, tahan=72, berhenti=31, belum_dinilai=5, periksa=6),
        counts_of(lanjut=1),
        counts_of(tahan=1, periksa=999),
    ],
)
def test_stacked_bar_fills_the_width_without_empty_segments(counts: dict[str, int]) -> None:
    segments = stacked_bar(counts)
    assert [s.decision for s in segments] == [d for d in DECISIONS if counts[d]]
    assert sum(s.width for s in segments) == pytest.approx(STACK_WIDTH, abs=0.5)
    for before, after in zip(segments, segments[1:], strict=False):
        assert after.x == pytest.approx(before.x + before.width, abs=0.2)


@pytest.mark.parametrize(("count", "fits"), [(0, False), (1, False), (12, True), (300, True)])
def test_a_count_is_written_on_its_segment_only_when_it_fits(count: int, fits: bool) -> None:
    segments = stacked_bar(counts_of(lanjut=count, tahan=300 - count if count < 300 else 0))
    lanjut = [s for s in segments if s.decision == "lanjut"]
    assert bool(lanjut and lanjut[0].fits) == fits


@pytest.mark.parametrize(
    ("spread", "tallest"),
    [
        ({"9": 4, "5": 2}, "9"),
        ({"0": 1}, "0"),
        ({}, None),
    ],
)
def test_distribution_bars_scale_to_the_tallest(
    spread: dict[str, int], tallest: str | None
) -> None:
    # Bucket 5 holds a berhenti (exactly 5) and a tahan (5,5): its column is stacked.
    per_decision = {d: dict.fromkeys(BUCKETS, 0) for d in SCORED}
    for bucket, count in spread.items():
        if bucket == "5":
            per_decision["berhenti"][bucket], per_decision["tahan"][bucket] = 1, count - 1
        else:
            per_decision["lanjut" if bucket in ("9", "10") else "berhenti"][bucket] = count
    columns = distribution_bars(per_decision)
    assert [c.bucket for c in columns] == list(BUCKETS)
    assert {c.bucket: c.count for c in columns} == {b: spread.get(b, 0) for b in BUCKETS}
    heights = {c.bucket: sum(p.height for p in c.parts) for c in columns}
    for column in columns:
        assert [p.decision for p in column.parts] == [
            d for d in SCORED if per_decision[d][column.bucket]
        ]
    for bucket in BUCKETS:
        if bucket == tallest:
            assert heights[bucket] == PLOT_HEIGHT
        elif bucket not in spread:
            assert heights[bucket] == 0
    if "5" in spread:
        assert heights["5"] == PLOT_HEIGHT / 2


def test_stopped_units_sorted_most_first_then_by_name() -> None:
    stages = {
        "dasar": {"per_unit_kerja": {
            "b": counts_of(berhenti=2),
            "A": counts_of(berhenti=1),
            "c": counts_of(berhenti=5),
            "d": counts_of(lanjut=3),
        }},
        "lanjutan_1": {"per_unit_kerja": {"A": counts_of(berhenti=1), "e": counts_of(tahan=1)}},
    }  # fmt: skip
    assert stopped_per_unit(stages) == {
        "stages": ["dasar", "lanjutan 1"],
        "rows": [("c", [5, 0]), ("A", [1, 1]), ("b", [2, 0])],
    }


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium tidak terpasang; halaman tidak dicetak")
def test_example_page_prints_on_one_or_two_a4_pages(tmp_path: Path) -> None:
    from .conftest import CONTOH

    page = tmp_path / "laporan.html"
    result = CliRunner().invoke(
        app, ["tier", str(CONTOH / "nilai_pelatihan_ai_2025.xlsx"), "-q", "-o", str(page)]
    )
    assert result.exit_code == 1, result.output  # the example holds deliberate galat
    pdf = tmp_path / "laporan.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profil'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 1 <= pages <= 2
