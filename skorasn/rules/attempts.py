"""Retakes, duplicates and hand-written decisions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skorasn.formatting import shown
from skorasn.models import Masalah
from skorasn.rules.common import (
    cell_place,
    format_score,
    json_score,
    nothing_each,
    problems_at,
    refuse_rows,
)
from skorasn.vocabulary import BERHENTI, GALAT, PERIKSA, STAGE_NAMES

PLACES = 5  # a duplikat message names this many of its rows, then counts the rest


KEY = ["nip", "tahap"]


def resolve_attempts(frame: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """One record per NIP and stage: the latest dated attempt, or every row as a duplikat.

    Whole columns at a time: a file where every participant repeats costs about what a file
    of distinct participants does, not a pandas call per row.
    """
    frame = frame.copy(deep=False)
    frame["riwayat"] = nothing_each(len(frame))
    keyed = frame["nip"].notna() & frame["tahap"].notna()
    repeated = frame[keyed & frame.duplicated(KEY, keep=False)]
    if repeated.empty:
        return frame
    by_key = [repeated[k] for k in KEY]
    dated = repeated["tanggal"].notna().groupby(by_key).transform("all")
    distinct = (
        (~repeated.duplicated([*KEY, "tanggal"], keep=False)).groupby(by_key).transform("all")
    )
    retakes = dated & distinct
    _mark_duplicates(frame, repeated[~retakes], problems)
    earlier = _keep_latest(frame, repeated[retakes], problems)
    return frame.drop(index=earlier)


def _keep_latest(frame: pd.DataFrame, attempts: pd.DataFrame, problems: list[Masalah]) -> pd.Index:
    """The latest attempt of each NIP and stage stays, with the earlier ones as its riwayat;
    one stopped earlier makes it periksa. Returns the index of the earlier rows."""
    if attempts.empty:
        return attempts.index
    ordered = attempts.sort_values([*KEY, "tanggal"], kind="stable")
    group = ordered.groupby(KEY, sort=False).ngroup().to_numpy()
    last = ~ordered.duplicated(KEY, keep="last").to_numpy()
    latest, earlier = ordered[last], ordered[~last]
    history = [
        {"tanggal": when.date().isoformat(), "skor": json_score(score), "keputusan": d, "sumber": s}
        for when, score, d, s in zip(
            earlier["tanggal"],
            earlier["skor"],
            earlier["keputusan"],
            earlier["sumber"],
            strict=True,
        )
    ]
    histories: list[list[dict[str, object]]] = [[] for _ in range(len(latest))]
    for position, record in zip(group[~last], history, strict=True):
        histories[position].append(record)
    riwayat = frame["riwayat"].to_numpy(copy=True)
    for place, records in zip(frame.index.get_indexer(latest.index), histories, strict=True):
        riwayat[place] = records
    frame["riwayat"] = riwayat
    _refuse_after_stop(frame, latest, earlier, group[~last], problems)
    return earlier.index


def _refuse_after_stop(
    frame: pd.DataFrame,
    latest: pd.DataFrame,
    earlier: pd.DataFrame,
    groups: np.ndarray,
    problems: list[Masalah],
) -> None:
    """A latest attempt after a stop (berhenti) is periksa, naming the first stop."""
    stops = earlier.assign(kelompok=groups)[earlier["keputusan"] == BERHENTI]
    first = stops.drop_duplicates("kelompok").set_index("kelompok")
    hit = latest.assign(kelompok=np.arange(len(latest)))
    hit = hit[hit["kelompok"].isin(first.index) & (hit["keputusan"] != PERIKSA)]
    if hit.empty:
        return
    stop = first.loc[hit["kelompok"]]
    refuse_rows(
        frame,
        hit,
        [
            f"sudah disetop pada percobaan {when:%d/%m/%Y} (skor {format_score(score)}) — "
            "tidak boleh mengulang tahap ini"
            for when, score in zip(stop["tanggal"], stop["skor"], strict=True)
        ],
        problems,
    )


def _mark_duplicates(frame: pd.DataFrame, rows: pd.DataFrame, problems: list[Masalah]) -> None:
    """Repeats without distinct dates: every row periksa, each message naming the first
    PLACES cells of its group (with the file when the group spans files)."""
    if rows.empty:
        return
    groups = rows.groupby(KEY, sort=False)
    size = groups["nip"].transform("size")
    spans_files = groups["berkas"].transform("nunique") > 1
    cells = [
        cell_place(row, with_file=wide)
        for row, wide in zip(
            rows[["kolom_nip", "baris", "lembar", "berkas"]].to_dict("records"),
            spans_files,
            strict=True,
        )
    ]
    keys = list(zip(rows["nip"], rows["tahap"], strict=True))
    named: dict[tuple[str, str], list[str]] = {}
    for key, cell, first in zip(keys, cells, groups.cumcount() < PLACES, strict=True):
        if first:
            named.setdefault(key, []).append(cell)
    listed = [", ".join(named[key]) for key in keys]
    refuse_rows(
        frame,
        rows,
        [
            f"duplikat: NIP {nip} muncul {count} kali di tahap {STAGE_NAMES.get(stage, stage)} "
            f"tanpa tanggal yang berbeda ({where}"
            f"{f' dan {count - PLACES} lainnya' if count > PLACES else ''}); hapus baris yang "
            "salah atau isi kolom Tanggal untuk ujian ulang"
            for nip, stage, count, where in zip(
                rows["nip"], rows["tahap"], size, listed, strict=True
            )
        ],
        problems,
    )


def check_written_decisions(frame: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """A decision typed by hand never overrides the rule; a mismatch is a galat."""
    if "tertulis" not in frame:
        return frame
    written = frame["tertulis"]
    mismatch = frame[
        written.notna() & (frame["keputusan"] != PERIKSA) & (written != frame["keputusan"])
    ]
    problems += problems_at(
        mismatch,
        GALAT,
        [
            f"keputusan tertulis '{shown(text)}' tidak sesuai aturan (skor {format_score(score)} → "
            f"{decision}); keputusan menurut aturan yang dipakai"
            for text, score, decision in zip(
                mismatch["tertulis_teks"], mismatch["skor"], mismatch["keputusan"], strict=True
            )
        ],
        mismatch["kolom_keterangan"],
    )
    return frame
