"""The mayor's rule and the audits, as pure functions on DataFrames.

Nothing here reads files or prints, and no function changes the frame it is given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skorasn.models import PESERTA_COLUMNS, Decided, Masalah, Rules
from skorasn.rules.attempts import check_written_decisions, resolve_attempts
from skorasn.rules.eligibility import check_eligibility
from skorasn.rules.trainers import combine_trainers
from skorasn.vocabulary import BELUM, BERHENTI, LANJUT, PERIKSA, TAHAN


def decide(scores: pd.Series, invalid: pd.Series, rules: Rules) -> pd.Series:
    """The keputusan for each score: exact comparison on the value as written."""
    choices = np.select(
        [
            invalid.to_numpy(bool),
            scores.isna().to_numpy(),
            (scores >= rules.lanjut_min).to_numpy(),
            (scores <= rules.berhenti_maks).to_numpy(),
        ],
        [PERIKSA, BELUM, LANJUT, BERHENTI],
        default=TAHAN,
    )
    return pd.Series(choices, index=scores.index, dtype=object)


def apply_rules(rows: pd.DataFrame, rules: Rules) -> Decided:
    """All audits, in the order in which each depends on the one before."""
    problems: list[Masalah] = []
    if rows.empty:
        return Decided(_empty_peserta(), problems)
    frame = combine_trainers(rows, rules, problems)
    frame["keputusan"] = decide(frame["skor"], frame["cacat"], rules)
    frame = resolve_attempts(frame, problems)
    frame = check_written_decisions(frame, problems)
    frame = check_eligibility(frame, problems)
    return Decided(frame, problems)


def _empty_peserta() -> pd.DataFrame:
    return pd.DataFrame(columns=list(PESERTA_COLUMNS))
