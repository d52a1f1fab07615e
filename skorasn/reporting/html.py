"""The mayor's report: one self-contained HTML page for A4, inline CSS and SVG, no script.

Every number comes from `report_document(report)`, the same document `--format json` prints.
This module turns it into plain data (counts, bar geometry, name lists) and the Jinja2
template `templates/laporan.html.j2` lays it out; autoescaping is on, so a name from the input
can never become markup.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined

from skorasn.formatting import thousands
from skorasn.models import Masalah, Report
from skorasn.reporting.document import report_document
from skorasn.reporting.summary import stage_summaries
from skorasn.reporting.wording import (
    created_text,
    decision_bands,
    long_date,
    nobody_text,
    rule_notes,
    rule_sentence,
    selection_text,
    spread_caption,
)
from skorasn.vocabulary import (
    BERHENTI,
    BUCKETS,
    DECIDED_BY_SCORE,
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
MAX_NAMES = 120
# Bar colours, strong enough to tell apart on a grey-scale printout; text drawn on each.
COLOURS = {
    "lanjut": ("#2e7d32", "#ffffff"),
    "tahan": ("#f9a825", "#000000"),
    "berhenti": ("#c62828", "#ffffff"),
    "belum_dinilai": ("#9e9e9e", "#000000"),
    "periksa": ("#6a1b9a", "#ffffff"),
}

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
        return self.count > 0 and self.width >= DIGIT_WIDTH * len(thousands(self.count)) + 4

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def shown(self) -> str:
        return thousands(self.count)


@dataclass(frozen=True)
class Part:
    """One decision's share of a score bucket's column."""

    decision: str
    y: float
    height: float
    fill: str


@dataclass(frozen=True)
class Column:
    """One score bucket on the distribution chart, stacked by decision."""

    bucket: str
    count: int
    x: float
    top: float
    parts: tuple[Part, ...]

    @property
    def width(self) -> int:
        return BAR

    @property
    def middle(self) -> float:
        return round(self.x + BAR / 2, 1)

    @property
    def label_y(self) -> float:
        """The baseline of the count written just above the bar."""
        return round(self.top - 2, 1)

    @property
    def shown(self) -> str:
        return thousands(self.count)


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
    summary = document["ringkasan"]
    participants = document["peserta"]
    letterhead = report.rules.laporan
    bands = decision_bands(report.rules)
    return {
        "title": letterhead.judul or TITLE,
        "instansi": letterhead.instansi,
        "created": created_text(report),
        "rule": rule_sentence(report.rules),
        "rule_notes": rule_notes(report.rules),
        "selection": selection_text(report.selection),
        "nobody": nobody_text(report),
        "stages": [
            stage_view(stage, summary[stage], participants) for stage in STAGES if stage in summary
        ],
        "stageless": sum(1 for p in participants if p["tahap"] is None),
        "legend": [(d, DECISION_LABELS[d], COLOURS[d][0]) for d in DECISIONS],
        "bands": [(DECISION_LABELS[d], bands[d], COLOURS[d][0]) for d in DECIDED_BY_SCORE],
        "stopped_units": stopped_per_unit(stage_summaries(summary)),
        "problems": problem_view(document["masalah"]),
        "files": [info.berkas for info in report.files],
        "version": document["versi"],
        "signature": _signature(report),
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


def _signature(report: Report) -> dict[str, str] | None:
    letterhead = report.rules.laporan
    if not (letterhead.penandatangan or letterhead.jabatan):
        return None
    place = f"{letterhead.kota}, " if letterhead.kota else ""
    return {
        "date": f"{place}{long_date(report.created)}",
        "jabatan": letterhead.jabatan,
        "nama": letterhead.penandatangan,
        "nip": letterhead.nip,
    }


def stage_view(
    stage: str, counts: dict[str, Any], participants: list[dict[str, Any]]
) -> dict[str, Any]:
    position = STAGES.index(stage)
    following = STAGES[position + 1] if position + 1 < len(STAGES) else None
    return {
        "key": stage,
        "name": STAGE_NAMES[stage],
        "next": STAGE_NAMES[following] if following else None,
        "total": counts["jumlah"],
        "shown_total": thousands(counts["jumlah"]),
        "counts": {d: counts[d] for d in DECISIONS},
        "shown": {d: thousands(counts[d]) for d in DECISIONS},
        "caption": spread_caption(counts),
        "segments": stacked_bar(counts),
        "columns": distribution_bars(counts["sebaran_keputusan"]),
        **_passed(stage, participants),
    }


def _passed(stage: str, participants: list[dict[str, Any]]) -> dict[str, Any]:
    """Those who go on, capped so the page still prints on two sheets of A4 at city scale;
    the workbook holds the full list."""
    passed = [p for p in participants if p["tahap"] == stage and p["keputusan"] == LANJUT]
    return {
        "passed": passed[:MAX_NAMES],
        "passed_total": thousands(len(passed)),
        "passed_hidden": thousands(max(0, len(passed) - MAX_NAMES)),
        "passed_more": len(passed) > MAX_NAMES,
    }


def stacked_bar(counts: dict[str, Any], width: float = STACK_WIDTH) -> list[Segment]:
    """Segments left to right in DECISIONS order; empty keputusan take no room."""
    total = counts["jumlah"] or 1
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


def distribution_bars(per_decision: dict[str, dict[str, int]]) -> list[Column]:
    """Columns 10 … 0 stacked by decision band; the tallest fills the plot."""
    totals = {b: sum(per_decision[d][b] for d in DECIDED_BY_SCORE) for b in BUCKETS}
    largest = max(totals.values(), default=0) or 1
    bottom = LABEL_ROOM + PLOT_HEIGHT
    columns = []
    for position, bucket in enumerate(BUCKETS):
        parts, y = [], float(bottom)
        for decision in DECIDED_BY_SCORE:
            height = PLOT_HEIGHT * per_decision[decision][bucket] / largest
            if height:
                y -= height
                parts.append(Part(decision, round(y, 1), round(height, 1), COLOURS[decision][0]))
        x = position * SLOT + (SLOT - BAR) / 2
        columns.append(Column(bucket, totals[bucket], round(x, 1), round(y, 1), tuple(parts)))
    return columns


def stopped_per_unit(stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Units with at least one participant stopped: the count per stage, most first."""
    shown = [stage for stage in STAGES if stage in stages]
    units: dict[str, dict[str, int]] = {}
    for stage in shown:
        for unit, counts in stages[stage]["per_unit_kerja"].items():
            if counts[BERHENTI]:
                units.setdefault(unit, {})[stage] = counts[BERHENTI]
    rows = [(unit, [per_stage.get(s, 0) for s in shown]) for unit, per_stage in units.items()]
    rows.sort(key=lambda row: (-sum(row[1]), row[0] == NO_UNIT, row[0].casefold()))
    return {"stages": [STAGE_NAMES[s] for s in shown], "rows": rows}


def problem_view(problems: list[dict[str, Any]], shown: int = PROBLEMS_SHOWN) -> dict[str, Any]:
    """Counts per tingkat and the first few, galat before peringatan."""
    found = [Masalah(**problem) for problem in problems]
    ordered = sorted(found, key=lambda p: p.tingkat != GALAT)
    # The footer names every input in full; a table row names the file by its own name, so
    # that a long folder path cannot push the page onto a third sheet.
    names = {p.berkas: PurePath(p.berkas).name for p in found}
    short = len(set(names.values())) == len(names)
    galat = sum(1 for p in found if p.tingkat == GALAT)
    peringatan = sum(1 for p in found if p.tingkat == PERINGATAN)
    return {
        "galat": galat,
        "peringatan": peringatan,
        "shown_galat": thousands(galat),
        "shown_peringatan": thousands(peringatan),
        "total": len(found),
        "more": thousands(max(0, len(found) - shown)),
        "first": [
            {
                "lokasi": replace(p, berkas=names[p.berkas]).lokasi if short else p.lokasi,
                "tingkat": p.tingkat,
                "pesan": p.pesan,
            }
            for p in ordered[:shown]
        ],
    }
