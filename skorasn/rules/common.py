"""Helpers the rule modules share: problems at a participant's row, scores as written."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from skorasn.formatting import decimal_comma
from skorasn.models import Masalah, masalah_at
from skorasn.vocabulary import GALAT, PERIKSA, Level


def nothing_each(rows: int) -> np.ndarray:
    """An empty, shared, immutable sequence per row: a million empty lists would cost 56 MB,
    and the cells are only ever replaced, never appended to."""
    values = np.empty(rows, dtype=object)
    values.fill(())
    return values


def cell_place(row: Any, with_file: bool = True) -> str:
    """Where a participant's record is, as a real cell: `skor.xlsx:Dasar!B51` (its NIP), or
    `Dasar!B51` when the file goes without saying."""
    cell = f"{row['kolom_nip'] if isinstance(row['kolom_nip'], str) else 'A'}{row['baris']}"
    place = f"{row['lembar']}!{cell}" if isinstance(row["lembar"], str) else cell
    if not with_file:
        return place
    return f"{row['berkas']}:{place}"


def problems_at(
    rows: pd.DataFrame, level: Level, messages: Iterable[str], columns: Iterable[object]
) -> list[Masalah]:
    """One masalah per row of `rows`, with its message and column letter, built from whole
    columns at once rather than row by row."""
    return masalah_at(
        level,
        rows["berkas"].tolist(),
        rows["lembar"].tolist(),
        rows["baris"].tolist(),
        columns,
        messages,
        rows["nip"].tolist(),
    )


def refuse_rows(
    frame: pd.DataFrame, rows: pd.DataFrame, messages: Iterable[str], problems: list[Masalah]
) -> None:
    """`rows` of `frame` become periksa, each with a galat at its NIP cell saying why."""
    frame.loc[rows.index, "keputusan"] = PERIKSA
    problems += problems_at(rows, GALAT, messages, rows["kolom_nip"])


def format_score(score: float) -> str:
    if score != score:
        return "kosong"
    return decimal_comma(score)


def json_score(score: float) -> float | int | None:
    if score != score:
        return None
    return int(score) if float(score).is_integer() else float(score)
