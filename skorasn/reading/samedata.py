"""The same data in two files, such as a workbook and its CSV export side by side.

Read together they would make every participant a duplikat, hundreds of galat that hide the
one thing to fix. "The same data" is defined on the participant rows read from each file: the
multiset of (NIP, nama, tahap, tanggal, final score, each trainer's score), with blanks as
blanks. Two files are the same data when these multisets are equal, or when one is contained
in the other (every row of the smaller file also in the larger one, as often as there). Then
one galat names both and only one is read: of two equal files the first in input order (the
first by name inside a folder), of a contained one the larger. A single differing score, name
or date makes the files different, and their duplicates stay galat as before.

Rows are compared through a 64-bit hash of each row, sorted: vectorised, and linear in rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skorasn.formatting import shown
from skorasn.models import TRAINER_PREFIX, FileInfo, Masalah
from skorasn.reading.extract import SheetPart
from skorasn.vocabulary import GALAT

_TEXT_KEYS = ("nip", "nama", "tahap")


@dataclass
class Source:
    """One input file once read: its sheets' people and its own masalah."""

    info: FileInfo
    parts: list[SheetPart] = field(default_factory=list)
    problems: list[Masalah] = field(default_factory=list)

    def drop(self) -> None:
        self.parts, self.problems = [], []
        self.info.sheets, self.info.rows = [], 0


def same_data(rows: pd.DataFrame, sources: list[Source]) -> tuple[set[str], list[Masalah]]:
    """The files (by `berkas`) whose data another holds, and one galat for each.

    Only files that share a row can hold the same data, so each file is compared with the
    files holding its first row, not with every other: a folder of ten thousand files costs
    ten thousand look-ups, not fifty million comparisons."""
    readable = [s for s in sources if s.info.rows]
    if len(readable) < 2:
        return set(), []
    keys = _row_keys(rows)
    by_file = {
        str(berkas): np.sort(hashes.to_numpy())
        for berkas, hashes in keys.groupby(rows["berkas"].astype(object), sort=False)
    }
    order = {s.info.berkas: n for n, s in enumerate(readable)}
    holders: dict[int, set[str]] = {}
    for berkas, hashes in by_file.items():
        for value in np.unique(hashes).tolist():
            holders.setdefault(value, set()).add(berkas)
    dropped: set[str] = set()
    problems = []
    for source in readable:
        mine = source.info.berkas
        if mine in dropped or mine not in by_file:
            continue
        others = sorted(holders[int(by_file[mine][0])] - {mine, *dropped}, key=order.__getitem__)
        for other in others:
            verdict = _compare(by_file[mine], by_file[other])
            if verdict is None:
                continue
            first, second = (mine, other) if order[mine] < order[other] else (other, mine)
            kept, gone = (
                (first, second) if verdict == 0 else (mine, other) if verdict > 0 else (other, mine)
            )
            dropped.add(gone)
            problems.append(_message(readable[order[kept]], readable[order[gone]], verdict == 0))
            if gone == mine:
                break
    for source in readable:
        if source.info.berkas in dropped:
            source.drop()
    return dropped, problems


def _compare(left: np.ndarray, right: np.ndarray) -> int | None:
    """0: equal; 1: right is contained in left; -1: left in right; None: different data."""
    if len(left) == len(right):
        return 0 if np.array_equal(left, right) else None
    if len(left) > len(right):
        return 1 if _contains(left, right) else None
    return -1 if _contains(right, left) else None


def _contains(big: np.ndarray, small: np.ndarray) -> bool:
    """Every value of `small` is in `big` at least as often (both sorted)."""
    small_values, small_counts = np.unique(small, return_counts=True)
    big_values, big_counts = np.unique(big, return_counts=True)
    at = np.searchsorted(big_values, small_values)
    if (at >= len(big_values)).any():
        return False
    return bool((big_values[at] == small_values).all() and (big_counts[at] >= small_counts).all())


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    """One 64-bit hash per row of what makes it the same data."""
    trainers = sum(1 for name in frame.columns if str(name).startswith(TRAINER_PREFIX))
    parts: dict[str, object] = {}
    for name in _TEXT_KEYS:
        column = frame[name].astype(object)
        parts[name] = column.where(column.notna(), "").astype(str).to_numpy(dtype=object)
    parts["tanggal"] = frame["tanggal"].to_numpy(dtype="datetime64[ns]").view("int64")
    for name in ("skor_akhir", *(f"{TRAINER_PREFIX}{k}" for k in range(1, trainers + 1))):
        values = frame[name].to_numpy(dtype=float) if name in frame else np.full(len(frame), np.nan)
        # One blank, one zero: NaN payloads and -0.0 must not make equal rows differ.
        parts[name] = np.where(np.isnan(values), -1.0, values + 0.0)
    return pd.util.hash_pandas_object(pd.DataFrame(parts, index=frame.index), index=False)


def _message(kept: Source, gone: Source, equal: bool) -> Masalah:
    first, second = shown(kept.info.berkas, None), shown(gone.info.berkas, None)
    pair = (first, second) if kept.info.berkas < gone.info.berkas else (second, first)
    rows = gone.info.rows
    why = (
        f"hanya {first} yang dibaca (yang pertama menurut urutan masukan)"
        if equal
        else f"semua {rows} baris peserta {second} juga ada di {first}, jadi hanya {first} "
        "yang dibaca"
    )
    return Masalah(
        berkas=gone.info.berkas,
        lembar=None,
        baris=None,
        kolom=None,
        tingkat=GALAT,
        pesan=f"{pair[0]} dan {pair[1]} berisi data yang sama; pilih salah satu: {why}. "
        "Pindahkan yang lain dari folder masukan",
    )
