"""Counts and score distributions as plain data, the numbers every output shares.

The invariants every report relies on: per stage, the decisions add up to `jumlah`; the score
distribution (`sebaran`) counts exactly the participants decided by their score, so it adds up
to lanjut + tahan + berhenti; and the per-eselon and per-unit tables of a stage add up to the
stage. `periksa` and `belum_dinilai` have no trustworthy score and are never in the sebaran.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from skorasn.vocabulary import (
    BUCKETS,
    DECIDED_BY_SCORE,
    DECISIONS,
    NO_ESELON,
    NO_STAGE,
    NO_UNIT,
    STAGE_NAMES,
    STAGES,
)

GROUPS = (("per_eselon", "eselon", NO_ESELON), ("per_unit_kerja", "unit_kerja", NO_UNIT))


def score_bucket(scores: pd.Series) -> np.ndarray:
    """The whole part of each score (10 only for exactly 10); -1 where there is none."""
    values = scores.to_numpy(dtype=float, na_value=np.nan)
    return np.floor(np.where(np.isnan(values), -1, values)).astype(int)


def decision_counts(decisions: pd.Series) -> dict[str, int]:
    """`jumlah` and the count of each keputusan."""
    found = decisions.value_counts()
    counted = {decision: int(found.get(decision, 0)) for decision in DECISIONS}
    return {"jumlah": sum(counted.values()), **counted}


def stage_counts(group: pd.DataFrame) -> dict[str, Any]:
    """One stage: its decisions, the sebaran of those decided by score, per decision too,
    and the per-eselon and per-unit tables."""
    result: dict[str, Any] = decision_counts(group["keputusan"])
    per_decision = _sebaran_per_decision(group)
    result["sebaran"] = {
        bucket: sum(per_decision[decision][bucket] for decision in DECIDED_BY_SCORE)
        for bucket in BUCKETS
    }
    result["sebaran_keputusan"] = per_decision
    for key, column, missing in GROUPS:
        # Arrow text, not Python objects: a million labels as objects cost ~100 MB at the peak.
        labels = group[column].astype("str").fillna(missing)
        result[key] = {
            str(label): decision_counts(decisions)
            for label, decisions in group["keputusan"].groupby(labels, sort=True)
        }
    return result


def _sebaran_per_decision(group: pd.DataFrame) -> dict[str, dict[str, int]]:
    """For each decision made by score, how many fell in each bucket: one bincount over
    bucket × decision, not a crosstab (which copies the column several times over)."""
    width, top = len(DECIDED_BY_SCORE), len(BUCKETS) - 1
    decided = group["keputusan"]
    codes = np.full(len(group), -1)
    for column, decision in enumerate(DECIDED_BY_SCORE):
        codes[(decided == decision).to_numpy(dtype=bool, na_value=False)] = column
    buckets = score_bucket(group["skor"])
    inside = (codes >= 0) & (buckets >= 0) & (buckets <= top)
    cells = np.bincount(buckets[inside] * width + codes[inside], minlength=len(BUCKETS) * width)
    return {
        decision: {bucket: int(cells[int(bucket) * width + column]) for bucket in BUCKETS}
        for column, decision in enumerate(DECIDED_BY_SCORE)
    }


def unit_labels(units: pd.Series) -> pd.Series:
    """One name per unit kerja however it was typed: 'Dinas  Kesehatan', 'DINAS KESEHATAN'
    and 'Dinas<NBSP>Kesehatan' are one unit (as --unit matches them), shown as its most
    frequent spelling, spaces tidied. Worked out once per distinct spelling, not per row."""
    written = units.value_counts()
    if written.empty:
        return units
    frequency: dict[str, Counter[str]] = {}
    key_of: dict[object, str] = {}
    for spelling, count in written.items():
        tidy = " ".join(str(spelling).split())
        key_of[spelling] = tidy.casefold()
        frequency.setdefault(key_of[spelling], Counter())[tidy] += int(count)
    # Most frequent first, then alphabetical, so that the choice never depends on row order.
    chosen = {key: _most_frequent(spellings) for key, spellings in frequency.items()}
    return units.map({spelling: chosen[key] for spelling, key in key_of.items()})


def _most_frequent(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda tidy: (-spellings[tidy], tidy))


def summarise(peserta: pd.DataFrame) -> dict[str, object]:
    """`ringkasan`: one block per stage, in stage order; rows without a stage last."""
    # Only the columns counted: grouping the whole frame would copy every column per group.
    peserta = peserta[["tahap", "keputusan", "skor", "eselon", "unit_kerja"]]
    peserta = peserta.assign(unit_kerja=unit_labels(peserta["unit_kerja"]))
    summary: dict[str, object] = {}
    for stage in STAGES:
        group = peserta[peserta["tahap"] == stage]
        if not group.empty:
            summary[stage] = stage_counts(group)
    stageless = peserta[peserta["tahap"].isna()]
    if not stageless.empty:
        summary[NO_STAGE] = stage_counts(stageless)
    return summary


def stage_summaries(summary: dict[str, object]) -> dict[str, dict[str, Any]]:
    """The per-stage blocks in stage order, rows whose stage is unknown last."""
    return {stage: summary[stage] for stage in (*STAGES, NO_STAGE) if stage in summary}  # type: ignore[misc]


def stage_title(stage: str | None) -> str:
    """'Tahap dasar', or 'Tanpa tahap' for rows whose stage could not be read."""
    if stage in (None, NO_STAGE):
        return "Tanpa tahap"
    return f"Tahap {STAGE_NAMES[stage]}"
