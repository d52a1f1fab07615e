"""Terminal renderers: each returns rich renderables, the caller decides where to print them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from skorasn.formatting import decimal_comma
from skorasn.models import Masalah, Report, count_levels
from skorasn.reporting.document import participant_records
from skorasn.reporting.summary import stage_summaries, stage_title
from skorasn.vocabulary import BUCKETS, DECISION_LABELS, DECISIONS, GALAT

STYLES = {
    "lanjut": "green",
    "tahan": "yellow",
    "berhenti": "red",
    "belum_dinilai": "dim",
    "periksa": "magenta",
}
BAR_WIDTH = 30


class Look:
    """Plain or fancy drawing: no box characters when piped or when NO_COLOR is set."""

    def __init__(self, fancy: bool):
        self.box = box.SIMPLE_HEAD if fancy else None
        self.bar = "█" if fancy else "#"

    def table(self, title: str | None = None, **kwargs: Any) -> Table:
        kwargs.setdefault("title_style", "bold")
        return Table(title=title, box=self.box, title_justify="left", pad_edge=False, **kwargs)


def summary(report: Report, look: Look) -> Iterator[RenderableType]:
    """Per stage: the count for each keputusan and the distribution of scores."""
    stages = stage_summaries(report.ringkasan, with_stageless=True)
    if not stages:
        yield Text("Tidak ada peserta dengan tahap yang diketahui.")
    for stage, counts in stages.items():
        yield Group(
            _decision_line(stage, counts),
            Text("Sebaran skor", style="dim"),
            _distribution(counts, look),
        )
    yield rule_line(report)


def rule_line(report: Report) -> Text:
    rules = report.rules
    return Text(
        f"Aturan: lanjut jika skor ≥ {rules.lanjut_min:g}, berhenti jika skor ≤ "
        f"{rules.berhenti_maks:g}, selebihnya tahan.",
        style="dim",
    )


def _decision_line(stage: str, counts: dict[str, Any]) -> Text:
    total = sum(counts[d] for d in DECISIONS)
    line = Text(f"{stage_title(stage)} — {total} peserta\n", style="bold")
    for position, decision in enumerate(DECISIONS):
        if position:
            line.append(" · ")
        line.append(f"{DECISION_LABELS[decision]} {counts[decision]}", style=STYLES[decision])
    return line


def _distribution(counts: dict[str, Any], look: Look) -> Table:
    spread = counts["sebaran"]
    largest = max(spread.values()) or 1
    table = Table(box=None, pad_edge=False, padding=(0, 1), show_header=True, header_style="dim")
    table.add_column("Skor", justify="right")
    table.add_column("Jumlah", justify="right")
    table.add_column("", no_wrap=True)
    for bucket in BUCKETS:
        count = spread[bucket]
        length = round(count / largest * BAR_WIDTH) if count else 0
        table.add_row(bucket, str(count), Text(look.bar * length, style=_bar_style(bucket)))
    return table


def _bar_style(bucket: str) -> str:
    score = int(bucket)
    return "green" if score >= 9 else "red" if score <= 5 else "yellow"


def tier_lists(report: Report, look: Look) -> Iterator[RenderableType]:
    """Per stage and keputusan: No, NIP, Nama, Unit kerja, Skor."""
    records = participant_records(report.peserta)
    by_stage: dict[str | None, dict[str, list[dict[str, Any]]]] = {}
    for record in records:
        by_stage.setdefault(record["tahap"], {}).setdefault(record["keputusan"], []).append(record)
    for stage, groups in by_stage.items():
        for decision in DECISIONS:
            if decision in groups:
                yield _tier_table(stage_title(stage), decision, groups[decision], look)


def _tier_table(stage: str, decision: str, records: list[dict[str, Any]], look: Look) -> Table:
    table = look.table(
        f"{stage} — {DECISION_LABELS[decision]} ({len(records)})",
        title_style=f"bold {STYLES[decision]}",
    )
    table.add_column("No", justify="right")
    table.add_column("NIP", no_wrap=True)
    table.add_column("Nama")
    table.add_column("Unit kerja")
    table.add_column("Skor", justify="right")
    for number, record in enumerate(records, start=1):
        score = "" if record["skor"] is None else decimal_comma(record["skor"])
        table.add_row(
            str(number),
            record["nip"] or "—",
            Text(record["nama"] or "—"),
            Text(record["unit_kerja"] or ""),
            score,
        )
    return table


def problem_table(problems: list[Masalah], look: Look, limit: int | None = None) -> Group:
    """Each masalah as its place, then its message indented below: readable at any width."""
    counts = count_levels(problems)
    lines: list[RenderableType] = [
        Text(f"Masalah — {counts['galat']} galat, {counts['peringatan']} peringatan", style="bold")
    ]
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        style = "red" if problem.tingkat == GALAT else "yellow"
        lines.append(Text.assemble((f"{problem.tingkat:<11}", style), problem.lokasi))
        lines.append(Padding(Text(problem.pesan), (0, 0, 0, 11)))
    return Group(*lines)


def problem_lines(problems: list[Masalah], limit: int | None = None) -> Iterator[str]:
    """`berkas:lembar!sel  tingkat  pesan`, one per line, for periksa and for cron mail."""
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        yield f"{problem.lokasi}  {problem.tingkat}  {problem.pesan}"


def count_line(problems: list[Masalah]) -> str:
    counts = count_levels(problems)
    return f"{counts['galat']} galat, {counts['peringatan']} peringatan"
