"""The cells of every sheet's people as one frame: each sheet-wide fact (file, sheet, column
letters, fallback stage) repeated on its rows, and each row's place (`sumber`) named once.

Cells stay the very objects the reader made; normalisation (table.py) looks at their types.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from skorasn.models import TRAINER_PREFIX
from skorasn.reading.extract import ERROR_KEPT, SheetPart


def _offsets(parts: Sequence[SheetPart]) -> Iterator[tuple[int, SheetPart]]:
    """Each part with the table row its first participant lands on."""
    offset = 0
    for part in parts:
        yield offset, part
        offset += len(part)


def conflicts(parts: Sequence[SheetPart]) -> list[tuple[int, str, str, str, object, object]]:
    """The parts' conflicts, each with its row in the table."""
    return [
        (offset + index, name, read, other, first, second)
        for offset, part in _offsets(parts)
        for index, name, read, other, first, second in part.conflicts
    ]


def cell_errors(parts: Sequence[SheetPart]) -> list[tuple[int, str, str]]:
    """(row in the table, field, Excel error) for the error cells of ERROR_KEPT fields."""
    return [
        (offset + index, name, error)
        for offset, part in _offsets(parts)
        for name in ERROR_KEPT
        for index, error in part.errors.get(name, {}).items()
    ]


def cell_frame(parts: Sequence[SheetPart], fallbacks: list[str | None]) -> pd.DataFrame:
    """Every part's cells in one object frame, each sheet-wide fact repeated on its rows."""
    sizes = [len(part) for part in parts]
    trainers = max((len(part.trainers) for part in parts), default=0)

    def joined(values: Any) -> np.ndarray:
        # An object array, not a list: pandas would turn a list of text into Arrow strings,
        # which normalisation turns back into Python objects, a copy each way.
        cells = [value for part in parts for value in values(part)]
        array = np.empty(len(cells), dtype=object)
        array[:] = cells
        return array

    def repeated(value: Any) -> np.ndarray:
        return np.repeat(np.array([value(part) for part in parts], dtype=object), sizes)

    columns: dict[str, Any] = {
        "berkas": repeated(lambda p: p.berkas),
        "lembar": repeated(lambda p: p.lembar),
        "lembar_ke": np.repeat(np.arange(len(parts)), sizes),
        "baris": joined(lambda p: p.baris),
    }
    for name in parts[0].cells if parts else ():
        columns[name] = joined(lambda p, name=name: p.cells[name])
        columns[f"kolom_{name}"] = repeated(lambda p, name=name: p.letters[name])
    for number in range(1, trainers + 1):
        name = f"{TRAINER_PREFIX}{number}"
        columns[name] = joined(
            lambda p, n=number: p.trainers[n - 1] if n <= len(p.trainers) else [""] * len(p)
        )
        columns[f"kolom_{name}"] = repeated(
            lambda p, n=number: p.trainer_letters[n - 1] if n <= len(p.trainers) else None
        )
        columns[f"galat_{name}"] = joined(
            lambda p, name=name: [p.errors.get(name, {}).get(i) for i in range(len(p))]
        )
    columns["galat_skor"] = joined(
        lambda p: [p.errors.get("skor", {}).get(i) for i in range(len(p))]
    )
    columns["n_pelatih"] = repeated(lambda p: len(p.trainers)).astype(int)
    columns["kolom_pelatih"] = repeated(lambda p: ",".join(p.trainer_letters) or None)
    columns["kolom_baris"] = repeated(lambda p: p.letters["nip"] or p.letters["nama"] or "A")
    columns["tahap_bawaan"] = np.repeat(np.array(fallbacks, dtype=object), sizes)
    columns["lebih"] = joined(lambda p: p.extra or [None] * len(p))
    # copy=False: the columns are not consolidated into one block, a copy of every cell;
    # and object Series, or pandas would copy every text column into Arrow strings, which
    # normalisation then turns back into Python objects.
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=object, copy=False) if values.dtype == object else values
            for name, values in columns.items()
        },
        copy=False,
    )
    frame["baris"] = frame["baris"].astype(int)
    frame["sumber"] = _places(parts, frame["baris"].to_numpy())
    # A CSV has no sheet: None, not the NaN pandas makes of a column holding only None.
    frame["lembar"] = frame["lembar"].astype(object).where(frame["lembar"].notna(), None)
    return frame


def _places(parts: Sequence[SheetPart], rows: np.ndarray) -> pd.Series:
    """'skor.xlsx:Dasar!12' (a CSV has no sheet: 'skor.csv:12') for every row, joined in
    Arrow from one prefix per sheet: a million Python strings, made several times over on
    the way, would cost hundreds of MB at the peak."""
    prefixes = [f"{p.berkas}:" + ("" if p.lembar is None else f"{p.lembar}!") for p in parts]
    codes = np.repeat(np.arange(len(parts)), [len(p) for p in parts])
    places = pa.array(prefixes, pa.string()).take(codes)
    joined = pc.binary_join_element_wise(places, pa.array(rows).cast(pa.string()), "")
    return pd.Series(pd.arrays.ArrowStringArray(joined), dtype="string[pyarrow]")
