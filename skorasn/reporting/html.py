"""The mayor's report: one self-contained HTML page for A4, inline CSS and SVG, no script.

Every number comes from `report_document(report)`, the same document `--format json` prints.
This module turns it into plain data (counts, bar geometry, name lists) and the Jinja2
template `templates/laporan.html.j2` lays it out; autoescaping is on, so a name from the input
can never become markup.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined

from skorasn.formatting import decimal_comma
from skorasn.models import Masalah, Report
from skorasn.reporting.changes import changes_view
from skorasn.reporting.document import report_document
from skorasn.vocabulary import (
    BERHENTI,
    BUCKETS,
    DECISION_LABELS,
    DECISIONS,
    GALAT,
    LANJUT,
    NO_UNIT,
    PERINGATAN,
    STAGE_NAMES,
    STAGES,
    TITLE,
)

TEMPLATE = "laporan.html.j2"
PROBLEMS_SHOWN = 10
# Bar colours, strong enough to tell apart on a grey-scale printout; text drawn on each.
MAX_NAMES = 120
COLOURS = {
    "lanjut": ("#2e7d32", "#ffffff"),
    "tahan": ("#f9a825", "#000000"),
    "berhenti": ("#c62828", "#ffffff"),
    "belum_dinilai": ("#9e9e9e", "#000000"),
    "periksa": ("#6a1b9a", "#ffffff"),
}
DISTRIBUTION_COLOUR = "#4472c4"
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Geometry, in SVG user units (the SVGs scale to their box, keeping proportions).
STACK_WIDTH, STACK_HEIGHT = 500, 22
DIGIT_WIDTH = 7  # a label fits on a segment when the segment is wider than its digits
SLOT, BAR, PLOT_HEIGHT, LABEL_ROOM = 26, 18, 70, 13


@dataclass(frozen=True)
class Segment:
    """One keputusan on the stacked bar."""

    decision: str
    label: str
    count: int
    x: float
    width: float
    fill: str
    ink: str

    @property
    def fits(self) -> bool:
        return self.count > 0 and self.width >= DIGIT_WIDTH * len(str(self.count)) + 4

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Column:
    """One score bucket on the distribution chart."""

    bucket: str
    count: int
    x: float
    y: float
    height: float

    @property
    def width(self) -> int:
        return BAR

    @property
    def middle(self) -> float:
        return round(self.x + BAR / 2, 1)

    @property
    def label_y(self) -> float:
        """The baseline of the count written just above the bar."""
        return round(self.y - 2, 1)


def write_html(report: Report, out: TextIO) -> None:
    out.write(render_html(report))


def render_html(report: Report) -> str:
    return _environment().get_template(TEMPLATE).render(page_data(report))


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("skorasn", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def page_data(report: Report) -> dict[str, Any]:
    """Everything the template shows, as plain values taken from the JSON document."""
    document = report_document(report)
    rules = document["aturan"]
    summary = document["ringkasan"]
    participants = document["peserta"]
    return {
        "title": TITLE,
        "created": long_date(report),
        "lanjut_min": decimal(rules["lanjut_min"]),
        "berhenti_maks": decimal(rules["berhenti_maks"]),
        "gabung": rules["gabung"],
        "selection": selection_text(report),
        "stages": [
            stage_view(stage, summary[stage], participants) for stage in STAGES if stage in summary
        ],
        "stageless": sum(1 for p in participants if p["tahap"] is None),
        "bar_colour": DISTRIBUTION_COLOUR,
        "legend": [(d, DECISION_LABELS[d], COLOURS[d][0]) for d in DECISIONS],
        "stopped_units": stopped_per_unit(summary.get("per_unit_kerja", {})),
        "problems": problem_view(document["masalah"]),
        "files": [info.berkas for info in report.files],
        "perubahan": None if report.perubahan is None else changes_view(report.perubahan),
        "version": document["versi"],
        "sizes": {
            "stack_width": STACK_WIDTH,
            "stack_height": STACK_HEIGHT,
            "on_bar_y": STACK_HEIGHT / 2 + 4.5,  # 12-unit digits, centred
            "chart_width": SLOT * len(BUCKETS),
            "chart_height": PLOT_HEIGHT + 2 * LABEL_ROOM,
            "plot_bottom": PLOT_HEIGHT + LABEL_ROOM,
            "bucket_y": PLOT_HEIGHT + 2 * LABEL_ROOM - 3,
        },
    }


def long_date(report: Report) -> str:
    created = report.created
    return f"{created.day} {MONTHS[created.month - 1]} {created.year}, pukul {created:%H.%M}"


decimal = decimal_comma


def selection_text(report: Report) -> str:
    chosen = report.selection
    if not chosen.active:
        return ""
    parts = []
    if chosen.tahap:
        parts.append("tahap " + ", ".join(STAGE_NAMES.get(s, s) for s in chosen.tahap))
    if chosen.eselon:
        parts.append("eselon " + ", ".join(chosen.eselon))
    if chosen.unit:
        parts.append("unit kerja memuat " + ", ".join(f"‘{u}’" for u in chosen.unit))
    if chosen.sejak:
        parts.append(f"tanggal sejak {chosen.sejak:%d-%m-%Y}")
    if chosen.sampai:
        parts.append(f"tanggal sampai {chosen.sampai:%d-%m-%Y}")
    return "; ".join(parts)


def stage_view(
    stage: str, counts: dict[str, Any], participants: list[dict[str, Any]]
) -> dict[str, Any]:
    position = STAGES.index(stage)
    following = STAGES[position + 1] if position + 1 < len(STAGES) else None
    return {
        "key": stage,
        "name": STAGE_NAMES[stage],
        "next": STAGE_NAMES[following] if following else None,
        "total": sum(counts[d] for d in DECISIONS),
        "counts": {d: counts[d] for d in DECISIONS},
        "segments": stacked_bar(counts),
        "columns": distribution_bars(counts["sebaran"]),
        **_passed(stage, participants),
    }


def _passed(stage: str, participants: list[dict[str, Any]]) -> dict[str, Any]:
    """Those who go on, capped so the page still prints on two sheets of A4 at city scale;
    the workbook holds the full list."""
    passed = [p for p in participants if p["tahap"] == stage and p["keputusan"] == LANJUT]
    return {
        "passed": passed[:MAX_NAMES],
        "passed_total": len(passed),
        "passed_hidden": max(0, len(passed) - MAX_NAMES),
    }


def stacked_bar(counts: dict[str, Any], width: float = STACK_WIDTH) -> list[Segment]:
    """Segments left to right in DECISIONS order; empty keputusan take no room."""
    total = sum(counts[d] for d in DECISIONS)
    segments: list[Segment] = []
    x = 0.0
    for decision in DECISIONS:
        count = counts[decision]
        if not count:
            continue
        share = width * count / total
        fill, ink = COLOURS[decision]
        segments.append(
            Segment(
                decision, DECISION_LABELS[decision], count, round(x, 1), round(share, 1), fill, ink
            )
        )
        x += share
    return segments


def distribution_bars(spread: dict[str, int]) -> list[Column]:
    """Vertical bars 10 … 0; the tallest fills the plot, a zero is a bar of no height."""
    largest = max(spread.values(), default=0) or 1
    columns = []
    for position, bucket in enumerate(BUCKETS):
        count = spread[bucket]
        height = round(PLOT_HEIGHT * count / largest, 1)
        x = position * SLOT + (SLOT - BAR) / 2
        columns.append(
            Column(bucket, count, round(x, 1), round(LABEL_ROOM + PLOT_HEIGHT - height, 1), height)
        )
    return columns


def stopped_per_unit(per_unit: dict[str, dict[str, Any]]) -> list[tuple[str, int]]:
    """(unit kerja, berhenti) with at least one stopped, most first, then by name."""
    rows = [(unit, counts[BERHENTI]) for unit, counts in per_unit.items() if counts[BERHENTI]]
    rows.sort(key=lambda row: (-row[1], row[0] == NO_UNIT, row[0].casefold()))
    return rows


def problem_view(problems: list[dict[str, Any]], shown: int = PROBLEMS_SHOWN) -> dict[str, Any]:
    """Counts per tingkat and the first few, galat before peringatan."""
    found = [Masalah(**problem) for problem in problems]
    ordered = sorted(found, key=lambda p: p.tingkat != GALAT)
    return {
        "galat": sum(1 for p in found if p.tingkat == GALAT),
        "peringatan": sum(1 for p in found if p.tingkat == PERINGATAN),
        "total": len(found),
        "first": [
            {"lokasi": p.lokasi, "tingkat": p.tingkat, "pesan": p.pesan} for p in ordered[:shown]
        ],
    }
