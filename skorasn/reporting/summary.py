"""Counts and score distributions as plain data, the numbers every output shares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skorasn.vocabulary import (
    BUCKETS,
    DECISIONS,
    NO_ESELON,
    NO_STAGE,
    NO_UNIT,
    STAGE_NAMES,
    STAGES,
)


def score_bucket(scores: pd.Series) -> pd.Series:
    """The whole part of each (non-missing) score; 10 only for exactly 10."""
    values = scores.dropna().to_numpy(dtype=float)
    return pd.Series(np.floor(values).astype(int), index=scores.dropna().index)


def counts(group: pd.DataFrame) -> dict[str, object]:
    """Decision counts and the score distribution (10 … 0) of a group of participants."""
    decided = group["keputusan"].value_counts()
    result: dict[str, object] = {decision: int(decided.get(decision, 0)) for decision in DECISIONS}
    spread = score_bucket(group["skor"]).value_counts()
    result["sebaran"] = {bucket: int(spread.get(int(bucket), 0)) for bucket in BUCKETS}
    return result


def summarise(peserta: pd.DataFrame) -> dict[str, object]:
    """`ringkasan`: per stage, then per eselon and per unit kerja over every stage."""
    # Only the columns counted: grouping the whole frame would copy every column per group.
    peserta = peserta[["tahap", "keputusan", "skor", "eselon", "unit_kerja"]]
    summary: dict[str, object] = {}
    for stage in STAGES:
        group = peserta[peserta["tahap"] == stage]
        if not group.empty:
            summary[stage] = counts(group)
    stageless = peserta[peserta["tahap"].isna()]
    if not stageless.empty:
        summary[NO_STAGE] = counts(stageless)
    summary["per_eselon"] = _per(peserta, "eselon", NO_ESELON)
    summary["per_unit_kerja"] = _per(peserta, "unit_kerja", NO_UNIT)
    return summary


def _per(peserta: pd.DataFrame, column: str, missing: str) -> dict[str, object]:
    keys = peserta[column].fillna(missing).astype(str)
    return {str(key): counts(group) for key, group in peserta.groupby(keys, sort=True)}


def stage_summaries(summary: dict[str, object], with_stageless: bool = False) -> dict[str, dict]:
    """The per-stage blocks in stage order; rows whose stage is unknown last, if asked."""
    keys = (*STAGES, NO_STAGE) if with_stageless else STAGES
    return {stage: summary[stage] for stage in keys if stage in summary}  # type: ignore[misc]


def stage_title(stage: str | None) -> str:
    """'Tahap dasar', or 'Tanpa tahap' for rows whose stage could not be read."""
    if stage in (None, NO_STAGE):
        return "Tanpa tahap"
    return f"Tahap {STAGE_NAMES[stage]}"
