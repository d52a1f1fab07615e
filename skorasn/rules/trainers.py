"""Several trainers: one score from their columns, and a word where they disagree."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skorasn.models import TRAINER_PREFIX, Masalah, Rules
from skorasn.rules.common import format_score, nothing_each, row_problem, score_list
from skorasn.vocabulary import PERINGATAN

DISAGREEMENT_TOLERANCE = 0.05


def trainer_columns(frame: pd.DataFrame) -> list[str]:
    names = [c for c in frame.columns if c.startswith(TRAINER_PREFIX)]
    return sorted(names, key=lambda c: int(c.split("_")[1]))


def combine_trainers(rows: pd.DataFrame, rules: Rules, problems: list[Masalah]) -> pd.DataFrame:
    """skor = the final-score column where filled, else the trainers' combination."""
    frame = rows.copy(deep=False)  # copy-on-write: the caller's frame is never touched
    columns = trainer_columns(frame)
    final = (
        frame["skor_akhir"].astype(float)
        if "skor_akhir" in frame
        else pd.Series(np.nan, index=frame.index)
    )
    # A row with an unreadable score cell has no trustworthy score, even if another cell is fine.
    broken = (
        frame["skor_cacat"].fillna(False).astype(bool)
        if "skor_cacat" in frame
        else pd.Series(False, index=frame.index)
    )
    if not columns:
        frame["skor"] = final.mask(broken)
        frame["skor_pelatih"] = nothing_each(len(frame))
        return frame
    trainers = frame[columns].astype(float)
    combined = _combine(trainers, rules.gabung).round(2)
    frame["skor"] = final.where(final.notna(), combined).mask(broken)
    frame["skor_pelatih"] = _trainer_lists(trainers, frame["n_pelatih"])
    _report_trainer_problems(frame, trainers, combined, final, rules, problems)
    return frame


def _combine(trainers: pd.DataFrame, method: str) -> pd.Series:
    if method == "median":
        return trainers.median(axis=1, skipna=True)
    if method == "minimum":
        return trainers.min(axis=1, skipna=True)
    return trainers.mean(axis=1, skipna=True)


def _trainer_lists(trainers: pd.DataFrame, counts: pd.Series) -> list[list[float | None]]:
    values = trainers.to_numpy()
    return [
        [None if v != v else float(v) for v in row[: int(n)]]
        for row, n in zip(values, counts.fillna(0), strict=True)
    ]


def _report_trainer_problems(
    frame: pd.DataFrame,
    trainers: pd.DataFrame,
    combined: pd.Series,
    final: pd.Series,
    rules: Rules,
    problems: list[Masalah],
) -> None:
    filled = trainers.notna()
    counts = frame["n_pelatih"].fillna(0).astype(int)
    expected = pd.DataFrame({c: counts > i for i, c in enumerate(trainers.columns)})
    partly = filled.any(axis=1) & ~frame["cacat"]
    blank = expected & ~filled & partly.to_numpy()[:, None]
    for index, column in zip(*np.nonzero(blank.to_numpy()), strict=True):
        row = frame.iloc[index]
        letter = str(row["kolom_pelatih"]).split(",")[column]
        problems.append(
            row_problem(
                row,
                PERINGATAN,
                f"skor pelatih {column + 1} kosong; skor dihitung dari pelatih lain saja",
                letter,
            )
        )
    spread = trainers.max(axis=1) - trainers.min(axis=1)
    for index in frame.index[(spread >= rules.selisih_pelatih) & ~frame["cacat"]]:
        row = frame.loc[index]
        problems.append(
            row_problem(
                row,
                PERINGATAN,
                "selisih penilaian antar pelatih "
                f"{format_score(spread[index])} poin "
                f"({score_list(trainers.loc[index])}); mohon ditinjau",
                row["kolom_pelatih"].split(",")[0],
            )
        )
    gap = (final - combined).abs().round(6)  # 8.55 - 8.5 is 0.0500000000000007 in binary
    differs = final.notna() & combined.notna() & (gap > DISAGREEMENT_TOLERANCE)
    has_final_column = frame["kolom_skor"].notna() if "kolom_skor" in frame else False
    fallback = has_final_column & final.isna() & combined.notna() & ~frame["cacat"]
    for index in frame.index[fallback]:
        row = frame.loc[index]
        problems.append(
            row_problem(
                row,
                PERINGATAN,
                "nilai akhir kosong; skor dihitung dari "
                f"{rules.gabung} skor pelatih ({format_score(combined[index])})",
                row["kolom_skor"],
            )
        )
    for index in frame.index[differs & ~frame["cacat"]]:
        row = frame.loc[index]
        problems.append(
            row_problem(
                row,
                PERINGATAN,
                f"nilai akhir {format_score(final[index])} "
                f"berbeda dari {rules.gabung} skor pelatih "
                f"({format_score(combined[index])}); nilai akhir yang dipakai",
                row["kolom_skor"],
            )
        )
