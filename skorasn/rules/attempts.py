"""Retakes, duplicates and hand-written decisions."""

from __future__ import annotations

import pandas as pd

from skorasn.formatting import shown
from skorasn.models import Masalah
from skorasn.rules.common import (
    cell_place,
    format_score,
    json_score,
    nothing_each,
    problems_at,
    row_problem,
)
from skorasn.vocabulary import BERHENTI, GALAT, PERIKSA, STAGE_NAMES

PLACES = 5  # a duplikat message names this many of its rows, then counts the rest


def resolve_attempts(frame: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """One record per NIP and stage: the latest dated attempt, or every row as a duplikat."""
    frame = frame.copy(deep=False)
    frame["riwayat"] = nothing_each(len(frame))
    keyed = frame["nip"].notna() & frame["tahap"].notna()
    repeated = keyed & frame.duplicated(["nip", "tahap"], keep=False)
    dropped: list[int] = []
    for _, group in frame[repeated].groupby(["nip", "tahap"], sort=False):
        dates = group["tanggal"]
        if dates.notna().all() and dates.is_unique:
            dropped.extend(_keep_latest(frame, group, problems))
        else:
            _mark_duplicates(frame, group, problems)
    return frame.drop(index=dropped)


def _keep_latest(frame: pd.DataFrame, group: pd.DataFrame, problems: list[Masalah]) -> list[int]:
    ordered = group.sort_values("tanggal")
    latest = ordered.index[-1]
    earlier = ordered.iloc[:-1]
    frame.at[latest, "riwayat"] = [  # type: ignore[assignment]
        {
            "tanggal": row["tanggal"].date().isoformat(),
            "skor": json_score(row["skor"]),
            "keputusan": row["keputusan"],
            "sumber": row["sumber"],
        }
        for _, row in earlier.iterrows()
    ]
    stopped = earlier[earlier["keputusan"] == BERHENTI]
    if not stopped.empty and frame.at[latest, "keputusan"] != PERIKSA:
        first = stopped.iloc[0]
        frame.at[latest, "keputusan"] = PERIKSA
        problems.append(
            row_problem(
                frame.loc[latest],
                GALAT,
                f"sudah disetop pada percobaan {first['tanggal']:%d/%m/%Y} "
                f"(skor {format_score(first['skor'])}) — tidak boleh "
                "mengulang tahap ini",
                frame.at[latest, "kolom_nip"],
            )
        )
    return list(earlier.index)


def _mark_duplicates(frame: pd.DataFrame, group: pd.DataFrame, problems: list[Masalah]) -> None:
    one_file = group["berkas"].nunique() == 1
    cells = [cell_place(row, with_file=not one_file) for _, row in group.head(PLACES).iterrows()]
    more = f" dan {len(group) - PLACES} lainnya" if len(group) > PLACES else ""
    places = ", ".join(cells) + more
    stage = STAGE_NAMES.get(group["tahap"].iloc[0], group["tahap"].iloc[0])
    for index, row in group.iterrows():
        frame.at[index, "keputusan"] = PERIKSA
        problems.append(
            row_problem(
                row,
                GALAT,
                f"duplikat: NIP {row['nip']} muncul "
                f"{len(group)} kali di tahap {stage} tanpa tanggal yang berbeda "
                f"({places}); hapus baris yang salah atau isi kolom Tanggal "
                "untuk ujian ulang",
                row["kolom_nip"],
            )
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
