"""Sentences every output shares, so the terminal, the workbook and the page say the same:
the rule in force and where it came from, the filter, and what a count covers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from skorasn.formatting import decimal_comma, shown_value, thousands
from skorasn.models import Report, Rules, Selection
from skorasn.vocabulary import BELUM, DECIDED_BY_SCORE, DECISION_LABELS, PERIKSA, STAGE_NAMES

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip


def long_date(when: dt.date) -> str:
    """7 November 2025."""
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def created_text(report: Report) -> str:
    """When the report was made: 7 November 2025, pukul 18.30."""
    return f"{long_date(report.created)}, pukul {report.created:%H.%M}"


def rule_sentence(rules: Rules) -> str:
    """The mayor's rule as it was applied."""
    sentence = (
        f"lanjut bila skor ≥ {decimal_comma(rules.lanjut_min)}, berhenti bila skor ≤ "
        f"{decimal_comma(rules.berhenti_maks)}, di antaranya tahan; skor beberapa pelatih "
        f"digabung dengan {rules.gabung}"
    )
    if not rules.pelatih_lengkap:
        sentence += ", juga bila skor sebagian pelatih masih kosong"
    return sentence


def rule_notes(rules: Rules) -> list[str]:
    """Which rules differ from the defaults and where they came from, and the rules file.

    Empty for the defaults: then there is nothing anyone could have bent.
    """
    notes = []
    changed = rules.changed()
    if changed:
        shown = ", ".join(
            f"{key} = {shown_value(rules.values()[key])} ({_origin(rules, key)})" for key in changed
        )
        notes.append(f"Berbeda dari bawaan: {shown}.")
    if rules.file is not None:
        notes.append(f"Berkas aturan: {rules.file.path} (sha256 {rules.file.sha256[:12]}…).")
    return notes


def _origin(rules: Rules, key: str) -> str:
    source = rules.source_of(key)
    return "opsi baris perintah" if source == "flag" else f"dari {source}"


def selection_text(selection: Selection) -> str:
    """The filter as a phrase ('tahap dasar; eselon III'), empty when nothing is filtered."""
    parts = []
    if selection.tahap:
        parts.append("tahap " + ", ".join(STAGE_NAMES.get(s, s) for s in selection.tahap))
    if selection.eselon:
        parts.append("eselon " + ", ".join(selection.eselon))
    if selection.unit:
        parts.append("unit kerja memuat " + ", ".join(f"‘{u}’" for u in selection.unit))
    if selection.sejak:
        parts.append(f"tanggal sejak {selection.sejak:%d-%m-%Y}")
    if selection.sampai:
        parts.append(f"tanggal sampai {selection.sampai:%d-%m-%Y}")
    return "; ".join(parts)


def nobody_text(report: Report) -> str | None:
    """What to say when there is nobody to show, naming the filter if one is the reason."""
    if not report.peserta.empty:
        return None
    if report.selection.active:
        return f"Tidak ada peserta dengan {selection_text(report.selection)}."
    return "Tidak ada peserta dengan tahap yang diketahui."


def spread_caption(counts: dict[str, Any]) -> str:
    """What the score distribution counts, and what it leaves out."""
    scored = sum(counts[d] for d in DECIDED_BY_SCORE)
    caption = f"Sebaran skor: {thousands(scored)} peserta yang diputuskan menurut skornya"
    left_out = [
        f"{DECISION_LABELS[d]} {thousands(counts[d])}" for d in (BELUM, PERIKSA) if counts[d]
    ]
    if left_out:
        caption += f" ({' dan '.join(left_out)} tidak termasuk)"
    return caption


def decision_bands(rules: Rules) -> dict[str, str]:
    """The score range of each decision, for legends: lanjut ≥ 9, tahan 5–9, berhenti ≤ 5."""
    return {
        "lanjut": f"skor ≥ {decimal_comma(rules.lanjut_min)}",
        "tahan": f"skor di antara {decimal_comma(rules.berhenti_maks)} dan "
        f"{decimal_comma(rules.lanjut_min)}",
        "berhenti": f"skor ≤ {decimal_comma(rules.berhenti_maks)}",
    }
