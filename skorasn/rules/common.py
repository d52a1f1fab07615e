"""Helpers the rule modules share: problems at a participant's row, scores as written."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from skorasn.formatting import decimal_comma
from skorasn.models import Masalah
from skorasn.vocabulary import Level


def nothing_each(rows: int) -> np.ndarray:
    """An empty, shared, immutable sequence per row: a million empty lists would cost 56 MB,
    and the cells are only ever replaced, never appended to."""
    values = np.empty(rows, dtype=object)
    values.fill(())
    return values


def row_problem(row: Any, level: Level, message: str, column: Any = None) -> Masalah:
    """A masalah at a participant's row; `column` is a letter (or None for the whole row)."""
    return Masalah(
        berkas=row["berkas"],
        lembar=row["lembar"],
        baris=int(row["baris"]),
        kolom=column if isinstance(column, str) else None,
        tingkat=level,
        pesan=message,
        nip=row["nip"] if isinstance(row["nip"], str) else None,
    )


def score_list(scores: pd.Series) -> str:
    return ", ".join(format_score(v) for v in scores.dropna())


def format_score(score: float) -> str:
    if score != score:
        return "kosong"
    return decimal_comma(score)


def json_score(score: float) -> float | int | None:
    if score != score:
        return None
    return int(score) if float(score).is_integer() else float(score)
