"""Helpers the rule modules share: problems at a participant's row, scores as written."""

from __future__ import annotations

from collections.abc import Iterable
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
        lembar=row["lembar"] if isinstance(row["lembar"], str) else None,
        baris=int(row["baris"]),
        kolom=column if isinstance(column, str) else None,
        tingkat=level,
        pesan=message,
        nip=row["nip"] if isinstance(row["nip"], str) else None,
    )


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
    return [
        Masalah(
            berkas=str(berkas),
            lembar=lembar if isinstance(lembar, str) else None,
            baris=int(baris),
            kolom=column if isinstance(column, str) else None,
            tingkat=level,
            pesan=message,
            nip=nip if isinstance(nip, str) else None,
        )
        for berkas, lembar, baris, nip, message, column in zip(
            rows["berkas"].tolist(),
            rows["lembar"].tolist(),
            rows["baris"].tolist(),
            rows["nip"].tolist(),
            messages,
            columns,
            strict=True,
        )
    ]


def format_score(score: float) -> str:
    if score != score:
        return "kosong"
    return decimal_comma(score)


def json_score(score: float) -> float | int | None:
    if score != score:
        return None
    return int(score) if float(score).is_integer() else float(score)
