"""Counts and score distributions as plain data, the numbers every output shares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skorasn.config import STAGES
from skorasn.rules import DECISIONS

BUCKETS = tuple(str(score) for score in range(10, -1, -1))
NO_ESELON = "(tanpa eselon)"
NO_UNIT = "(tanpa unit kerja)"


def score_bucket(scores: pd.Series) -> pd.Series:
    """The whole part of each score as text; 10 only for exactly 10."""
    floored = np.floor(scores.to_numpy(dtype=float))
    buckets = pd.Series(floored, index=scores.index)
    return buckets.map(lambda v: None if v != v else str(int(v)), na_action="ignore")


def counts(group: pd.DataFrame) -> dict[str, object]:
    """Decision counts and the score distribution (10 … 0) of a group of participants."""
    decided = group["keputusan"].value_counts()
    result: dict[str, object] = {decision: int(decided.get(decision, 0)) for decision in DECISIONS}
    spread = score_bucket(group["skor"].dropna()).value_counts()
    result["sebaran"] = {bucket: int(spread.get(bucket, 0)) for bucket in BUCKETS}
    return result


def summarise(peserta: pd.DataFrame) -> dict[str, object]:
    """`ringkasan`: per stage, then per eselon and per unit kerja over every stage."""
    summary: dict[str, object] = {}
    for stage in STAGES:
        group = peserta[peserta["tahap"] == stage]
        if not group.empty:
            summary[stage] = counts(group)
    summary["per_eselon"] = _per(peserta, "eselon", NO_ESELON)
    summary["per_unit_kerja"] = _per(peserta, "unit_kerja", NO_UNIT)
    return summary


def _per(peserta: pd.DataFrame, column: str, missing: str) -> dict[str, object]:
    keys = peserta[column].fillna(missing).astype(str)
    return {str(key): counts(group) for key, group in peserta.groupby(keys, sort=True)}


def stage_summaries(summary: dict[str, object]) -> dict[str, dict]:
    return {stage: summary[stage] for stage in STAGES if stage in summary}  # type: ignore[misc]
