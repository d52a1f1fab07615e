"""Several trainers: one score from their columns, and a word where they disagree.

An assessment by several trainers is complete only when each has scored: with a trainer's
score missing (and no final score written) the participant waits, `belum_dinilai`, unless the
rules say `pelatih_lengkap = false`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skorasn.models import TRAINER_PREFIX, Masalah, Rules
from skorasn.rules.common import format_score, nothing_each, problems_at
from skorasn.vocabulary import PERINGATAN

DISAGREEMENT_TOLERANCE = 0.05


FINAL_SCORE_DECIMALS = 9


def trainer_columns(frame: pd.DataFrame) -> list[str]:
    names = [c for c in frame.columns if c.startswith(TRAINER_PREFIX)]
    return sorted(names, key=lambda c: int(c.split("_")[1]))


def combine_trainers(rows: pd.DataFrame, rules: Rules, problems: list[Masalah]) -> pd.DataFrame:
    """skor = the final-score column where filled, else the trainers' combination."""
    frame = rows.copy(deep=False)  # copy-on-write: the caller's frame is never touched
    columns = trainer_columns(frame)
    # A final score a formula computed (=AVERAGE(9,7;9,7;7,6) is stored as 8.999999999999998)
    # loses its binary residue first, so that the score Excel shows as 9 is decided as 9; no
    # one writes a score with nine decimals, so what a person typed is compared as written.
    final = (
        frame["skor_akhir"].astype(float).round(FINAL_SCORE_DECIMALS)
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
    blank = _blank_trainers(frame, trainers)
    waiting = blank.any(axis=1) & final.isna() & rules.pelatih_lengkap
    frame["skor"] = final.where(final.notna(), combined.mask(waiting)).mask(broken)
    frame["skor_pelatih"] = _trainer_lists(trainers, frame["n_pelatih"])
    problems += _blank_problems(frame, blank, final, waiting)
    problems += _disagreements(frame, trainers, combined, final, rules)
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


def _blank_trainers(frame: pd.DataFrame, trainers: pd.DataFrame) -> pd.DataFrame:
    """Trainer cells left blank on a row that another trainer has scored."""
    filled = trainers.notna()
    counts = frame["n_pelatih"].fillna(0).astype(int)
    expected = pd.DataFrame({c: counts > i for i, c in enumerate(trainers.columns)})
    partly = filled.any(axis=1) & ~frame["cacat"].astype(bool)
    return expected & ~filled & partly.to_numpy()[:, None]


def _blank_problems(
    frame: pd.DataFrame, blank: pd.DataFrame, final: pd.Series, waiting: pd.Series
) -> list[Masalah]:
    rows, columns = np.nonzero(blank.to_numpy())
    if not len(rows):
        return []
    at = frame.iloc[rows]
    letters = [
        str(text).split(",")[c] for text, c in zip(at["kolom_pelatih"], columns, strict=True)
    ]
    waits, decided = waiting.to_numpy()[rows], final.notna().to_numpy()[rows]
    messages = [
        f"skor Pelatih {c + 1} belum diisi; peserta ini menunggu skor Pelatih {c + 1} "
        "(belum dinilai)"
        if wait
        else f"skor Pelatih {c + 1} kosong; keputusan menurut nilai akhir"
        if has_final
        else f"skor Pelatih {c + 1} kosong; skor dihitung dari pelatih lain saja"
        for c, wait, has_final in zip(columns, waits, decided, strict=True)
    ]
    return problems_at(at, PERINGATAN, messages, letters)


def _disagreements(
    frame: pd.DataFrame,
    trainers: pd.DataFrame,
    combined: pd.Series,
    final: pd.Series,
    rules: Rules,
) -> list[Masalah]:
    """Trainers far apart, a blank final score filled in, a final score off the trainers'."""
    sound = ~frame["cacat"].astype(bool)
    spread = trainers.max(axis=1) - trainers.min(axis=1)
    apart = frame[(spread >= rules.selisih_pelatih) & sound]
    found = problems_at(
        apart,
        PERINGATAN,
        [
            f"selisih penilaian antar pelatih {format_score(spread[i])} poin "
            f"({', '.join(format_score(v) for v in trainers.loc[i].dropna())}); mohon ditinjau"
            for i in apart.index
        ],
        [str(text).split(",")[0] for text in apart["kolom_pelatih"]],
    )
    if "kolom_skor" not in frame:
        return found
    gap = (final - combined).abs().round(6)  # 8.55 - 8.5 is 0.0500000000000007 in binary
    fallback = frame[frame["kolom_skor"].notna() & final.isna() & frame["skor"].notna() & sound]
    found += problems_at(
        fallback,
        PERINGATAN,
        [
            f"nilai akhir kosong; skor dihitung dari {rules.gabung} skor pelatih "
            f"({format_score(combined[i])})"
            for i in fallback.index
        ],
        fallback["kolom_skor"],
    )
    differs = frame[final.notna() & combined.notna() & (gap > DISAGREEMENT_TOLERANCE) & sound]
    found += problems_at(
        differs,
        PERINGATAN,
        [
            f"nilai akhir {format_score(final[i])} berbeda dari {rules.gabung} skor pelatih "
            f"({format_score(combined[i])}); nilai akhir yang dipakai"
            for i in differs.index
        ],
        differs["kolom_skor"],
    )
    return found
