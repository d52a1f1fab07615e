"""Terminal renderers: each returns rich renderables, the caller decides where to print them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from skorasn.formatting import decimal_comma, shown, thousands
from skorasn.models import Masalah, Report, count_levels
from skorasn.reporting.document import participant_records
from skorasn.reporting.summary import stage_summaries, stage_title
from skorasn.reporting.tierlist import Column, TierList
from skorasn.reporting.wording import (
    nobody_text,
    rule_notes,
    rule_sentence,
    selection_text,
    spread_caption,
)
from skorasn.vocabulary import (
    BELUM,
    BUCKETS,
    DECIDED_BY_SCORE,
    DECISION_LABELS,
    DECISIONS,
    GALAT,
    PERIKSA,
    PERINGATAN,
)

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
        self.rule = "─" if fancy else None

    def table(self, title: str | None = None, **kwargs: Any) -> Table:
        kwargs.setdefault("title_style", "bold")
        return Table(title=title, box=self.box, title_justify="left", pad_edge=False, **kwargs)


def summary(report: Report, look: Look) -> Iterator[RenderableType]:
    """The filter and the rules in force, then per stage the count for each keputusan and the
    distribution of the scores that decided."""
    if report.selection.active:
        yield Text(
            f"Saringan: hanya peserta dengan {selection_text(report.selection)}.", style="bold"
        )
    nobody = nobody_text(report)
    if nobody:
        yield Text(nobody)
    for stage, counts in stage_summaries(report.ringkasan).items():
        yield Group(
            _decision_line(stage, counts),
            Text(spread_caption(counts), style="dim"),
            _distribution(counts, look),
        )
    yield rule_lines(report)


def rule_lines(report: Report) -> Text:
    """The rule as applied and, when it is not the default or comes from a file, from where."""
    text = Text(f"Aturan: {rule_sentence(report.rules)}.", style="dim")
    for note in rule_notes(report.rules):
        text.append(f"\n{note}", style="bold yellow")
    return text


def _decision_line(stage: str, counts: dict[str, Any]) -> Text:
    line = Text(f"{stage_title(stage)} — {thousands(counts['jumlah'])} peserta\n", style="bold")
    for position, decision in enumerate(DECISIONS):
        if position:
            line.append(" · ")
        line.append(
            f"{DECISION_LABELS[decision]} {thousands(counts[decision])}", style=STYLES[decision]
        )
    return line


def _distribution(counts: dict[str, Any], look: Look) -> Table:
    """One row per score bucket; the bar shows each decision's share in its colour."""
    spread, per_decision = counts["sebaran"], counts["sebaran_keputusan"]
    largest = max(spread.values()) or 1
    table = Table(box=None, pad_edge=False, padding=(0, 1), show_header=True, header_style="dim")
    table.add_column("Skor", justify="right")
    table.add_column("Jumlah", justify="right")
    table.add_column("", no_wrap=True)
    for bucket in BUCKETS:
        bar = Text()
        for decision in DECIDED_BY_SCORE:
            share = per_decision[decision][bucket]
            bar.append(look.bar * round(share / largest * BAR_WIDTH), style=STYLES[decision])
        table.add_row(bucket, thousands(spread[bucket]), bar)
    return table


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


def _tier_table(stage: str, decision: str, records: list[dict[str, Any]], look: Look) -> TierList:
    """A stage's list for one keputusan; a list that waits or needs checking says why."""
    explained = decision in (BELUM, PERIKSA)
    columns = [*TIER_COLUMNS, *([Column("Alasan", wraps=True)] if explained else [])]
    rows = []
    for number, record in enumerate(records, start=1):
        row = [
            str(number),
            record["nip"] or "—",
            # Text from the cells is never drawn raw: no escape code reaches the terminal.
            shown(record["nama"]) if record["nama"] else "—",
            shown(record["unit_kerja"]) if record["unit_kerja"] else "",
            "" if record["skor"] is None else decimal_comma(record["skor"]),
        ]
        if explained:
            row.append(shown("; ".join(record["alasan"]), limit=None))
        rows.append(row)
    return TierList(
        title=f"{stage} — {DECISION_LABELS[decision]} ({thousands(len(records))})",
        title_style=f"bold {STYLES[decision]}",
        columns=columns,
        rows=rows,
        rule=look.rule,
    )


TIER_COLUMNS = (
    Column("No", right=True),
    Column("NIP"),
    Column("Nama", wraps=True),
    Column("Unit kerja", wraps=True),
    Column("Skor", right=True),
)


def problem_table(problems: list[Masalah], look: Look, limit: int | None = None) -> Group:
    """Each masalah as its place, then its message indented below: readable at any width."""
    lines: list[RenderableType] = [Text(f"Masalah — {count_line(problems)}", style="bold")]
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
    return f"{thousands(counts[GALAT])} galat, {thousands(counts[PERINGATAN])} peringatan"


def verdict(report: Report, exit_code: int) -> str:
    """The last line of a run: how many, how many problems, and why the exit code is what it
    is. Galat outside a filter count too, as they do for the exit code."""
    everything = [*report.problems, *report.hidden_problems]
    why = "ada galat" if exit_code else "tidak ada galat"
    line = (
        f"Selesai: {thousands(len(report.peserta))} peserta, {count_line(everything)} — "
        f"kode keluar {exit_code} ({why})"
    )
    if report.hidden_problems:
        line += f"; {count_line(report.hidden_problems)} di luar saringan"
    return line
