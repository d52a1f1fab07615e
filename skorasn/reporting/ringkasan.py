"""The Ringkasan sheet: what the mayor reads first, ready to print and sign.

Per stage: the decisions, the score distribution of those decided by their score with a chart
coloured by decision band, then the same stage per eselon and per unit kerja. Above: the rules
in force and any filter; below, when skorasn.toml gives one, the signature block.
"""

from __future__ import annotations

from typing import Any

from skorasn.formatting import thousands
from skorasn.models import Report
from skorasn.reporting.summary import GROUPS, stage_summaries, stage_title
from skorasn.reporting.wording import (
    created_text,
    decision_bands,
    long_date,
    rule_notes,
    rule_sentence,
    selection_text,
    spread_caption,
)
from skorasn.reporting.xlsxstyle import BAR_COLOURS, Styles, fitted_width, print_setup
from skorasn.vocabulary import BUCKETS, DECIDED_BY_SCORE, DECISION_LABELS, DECISIONS, TITLE

SHEET = "Ringkasan"
CHART_ROWS = 18  # the chart sits under the distribution table, as wide as the tables
GROUP_LABELS = {"per_eselon": "Eselon", "per_unit_kerja": "Unit kerja"}


def ringkasan_sheet(book: Any, styles: Styles, report: Report) -> None:
    sheet = book.add_worksheet(SHEET)
    print_setup(sheet, SHEET, landscape=False)
    sheet.set_column(0, 0, _label_width(report))
    sheet.set_column(1, 6, 13)
    row = _heading(sheet, styles, report)
    for stage, counts in stage_summaries(report.ringkasan).items():
        row = _stage_block(book, sheet, styles, stage, counts, report, row)
    if report.peserta.empty:
        sheet.write_string(row, 0, _nobody(report))
        row += 2
    _signature(sheet, styles, report, row)


def _label_width(report: Report) -> int:
    labels = [DECISION_LABELS[d] for d in DECISIONS] + ["Keputusan"]
    for counts in stage_summaries(report.ringkasan).values():
        for key, _, _ in GROUPS:
            labels += list(counts[key])
    return fitted_width(max(map(len, labels)), least=16)


def _heading(sheet: Any, styles: Styles, report: Report) -> int:
    letterhead = report.rules.laporan
    lines: list[tuple[str, Any]] = []
    if letterhead.instansi:
        lines.append((letterhead.instansi, styles.subtitle))
    lines.append((letterhead.judul or TITLE, styles.title))
    lines.append((f"Dibuat {created_text(report)}", None))
    lines.append((f"Aturan: {rule_sentence(report.rules)}.", None))
    lines += [(note, styles.note) for note in rule_notes(report.rules)]
    if report.selection.active:
        lines.append(
            (f"Saringan: hanya peserta dengan {selection_text(report.selection)}.", styles.note)
        )
    for row, (text, style) in enumerate(lines):
        sheet.write_string(row, 0, text, style)
    return len(lines) + 1


def _nobody(report: Report) -> str:
    if report.selection.active:
        return f"Tidak ada peserta dengan {selection_text(report.selection)}."
    return "Tidak ada peserta dengan tahap yang diketahui."


def _stage_block(
    book: Any,
    sheet: Any,
    styles: Styles,
    stage: str,
    counts: dict[str, Any],
    report: Report,
    row: int,
) -> int:
    title = stage_title(stage)
    sheet.write_string(row, 0, f"{title} — {thousands(counts['jumlah'])} peserta", styles.subtitle)
    row += 1
    sheet.write_row(row, 0, ["Keputusan", "Jumlah"], styles.header)
    for offset, decision in enumerate(DECISIONS, start=1):
        sheet.write_string(row + offset, 0, DECISION_LABELS[decision], styles.fills[decision])
        sheet.write_number(row + offset, 1, counts[decision], styles.count)
    row += len(DECISIONS) + 1
    sheet.write_string(row, 0, "jumlah", styles.total_label)
    sheet.write_number(row, 1, counts["jumlah"], styles.count_bold)
    row += 2
    sheet.write_string(row, 0, spread_caption(counts))
    row += 1
    top = row
    sheet.write_row(
        row, 0, ["Skor", *(DECISION_LABELS[d] for d in DECIDED_BY_SCORE), "Jumlah"], styles.header
    )
    per_decision = counts["sebaran_keputusan"]
    for offset, bucket in enumerate(BUCKETS, start=1):
        sheet.write_string(row + offset, 0, bucket)
        for column, decision in enumerate(DECIDED_BY_SCORE, start=1):
            sheet.write_number(row + offset, column, per_decision[decision][bucket], styles.count)
        sheet.write_number(
            row + offset, len(DECIDED_BY_SCORE) + 1, counts["sebaran"][bucket], styles.count
        )
    row += len(BUCKETS) + 2
    sheet.insert_chart(row, 0, _chart(book, title, top, counts, report))
    row += CHART_ROWS
    for key, _, _ in GROUPS:
        row = _group_table(
            sheet,
            styles,
            f"{title} per {GROUP_LABELS[key].lower()}",
            GROUP_LABELS[key],
            counts[key],
            row,
        )
    return row + 1


def _chart(book: Any, title: str, top: int, counts: dict[str, Any], report: Report) -> Any:
    """Stacked columns 10 … 0, one series per decision band, a label on each non-zero part."""
    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    bands = decision_bands(report.rules)
    for column, decision in enumerate(DECIDED_BY_SCORE, start=1):
        chart.add_series({
            "name": f"{DECISION_LABELS[decision]} ({bands[decision]})",
            "categories": [SHEET, top + 1, 0, top + len(BUCKETS), 0],
            "values": [SHEET, top + 1, column, top + len(BUCKETS), column],
            "fill": {"color": BAR_COLOURS[decision]},
            "gap": 60,
            # A custom number format with an empty zero section hides the labels of zeros.
            "data_labels": {"value": True, "num_format": "#,##0;-#,##0;;"},
        })  # fmt: skip
    largest = max(counts["sebaran"].values()) or 1
    chart.set_title({"name": f"Sebaran skor — {title.lower()}", "name_font": {"size": 11}})
    chart.set_x_axis({"name": "Skor (8 berarti 8,00–8,99)"})
    chart.set_y_axis({
        "name": "Jumlah peserta",
        "min": 0,
        "major_unit": max(1, -(-largest // 5)),
        "num_format": "0",
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    })  # fmt: skip
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 340})
    return chart


def _group_table(
    sheet: Any, styles: Styles, title: str, label: str, groups: dict[str, Any], row: int
) -> int:
    """One row per eselon or unit kerja in this stage, and a total that equals the stage."""
    sheet.write_string(row, 0, title, styles.bold)
    sheet.write_row(
        row + 1, 0, [label, *(DECISION_LABELS[d] for d in DECISIONS), "jumlah"], styles.header
    )
    row += 2
    for name, counts in groups.items():
        sheet.write_string(row, 0, name, styles.wrap)
        for column, key in enumerate((*DECISIONS, "jumlah"), start=1):
            sheet.write_number(row, column, counts[key], styles.count)
        row += 1
    sheet.write_string(row, 0, "jumlah", styles.total_label)
    for column, key in enumerate((*DECISIONS, "jumlah"), start=1):
        sheet.write_number(row, column, sum(c[key] for c in groups.values()), styles.count_bold)
    return row + 2


def _signature(sheet: Any, styles: Styles, report: Report, row: int) -> None:
    """The signature block of a government report: place and date, post, name, NIP."""
    letterhead = report.rules.laporan
    if not (letterhead.penandatangan or letterhead.jabatan):
        return
    column = 3
    place = f"{letterhead.kota}, " if letterhead.kota else ""
    sheet.write_string(row + 1, column, f"{place}{long_date(report.created)}")
    if letterhead.jabatan:
        sheet.write_string(row + 2, column, letterhead.jabatan)
    if letterhead.penandatangan:
        sheet.write_string(row + 6, column, letterhead.penandatangan, styles.bold)
    if letterhead.nip:
        sheet.write_string(row + 7, column, f"NIP. {letterhead.nip}")
