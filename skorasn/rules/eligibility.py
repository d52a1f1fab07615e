"""Eligibility across stages: a later stage needs `lanjut` in the one before, and nobody
stopped comes back."""

from __future__ import annotations

from typing import Any

import pandas as pd

from skorasn.models import Masalah
from skorasn.rules.common import format_score, problems_at, row_problem
from skorasn.vocabulary import (
    BERHENTI,
    DECISION_LABELS,
    GALAT,
    LANJUT,
    PERIKSA,
    PERINGATAN,
    STAGE_NAMES,
    STAGES,
)


def check_eligibility(frame: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """A later stage needs `lanjut` in the stage before, and nobody stopped comes back.

    Stages are checked in order, so a lanjutan 1 record turned `periksa` here already counts
    as not passed when lanjutan 2 is checked.
    """
    frame = frame.copy(deep=False)
    present = set(frame["tahap"].dropna())
    _no_return_after_stop(frame, problems)
    for position, stage in enumerate(STAGES[1:], start=1):
        if stage not in present:
            continue
        previous = STAGES[position - 1]
        if previous not in present:
            problems.append(_missing_stage(frame, stage, previous))
        later = frame[(frame["tahap"] == stage) & frame["nip"].notna()]
        stopped = _stopped_before(frame, later, STAGES[:position])
        _refuse_stopped(frame, later, stopped, problems)
        if previous in present:
            _require_passed(frame, later[stopped.isna()], previous, problems)
    return frame


def _no_return_after_stop(frame: pd.DataFrame, problems: list[Masalah]) -> None:
    """Stopped at a later stage, then seated again at an earlier one: still stopped."""
    rank = frame["tahap"].map({stage: i for i, stage in enumerate(STAGES)})
    stops = frame[(frame["keputusan"] == BERHENTI) & frame["tanggal"].notna()]
    if stops.empty:
        return
    stops = pd.DataFrame(
        {
            "nip": stops["nip"],
            "rank_stop": rank[stops.index],
            "date_stop": stops["tanggal"],
            "stop": stops.index,
        }
    )
    candidates = frame[
        frame["tanggal"].notna() & frame["nip"].notna() & (frame["keputusan"] != PERIKSA)
    ]
    paired = candidates.assign(rank=rank[candidates.index], row=candidates.index).merge(
        stops, on="nip"
    )
    offending = paired[
        (paired["rank"] < paired["rank_stop"]) & (paired["tanggal"] > paired["date_stop"])
    ]
    for _, pair in offending.drop_duplicates("row").iterrows():
        stop = frame.loc[pair["stop"]]
        frame.at[pair["row"], "keputusan"] = PERIKSA
        problems.append(
            row_problem(
                frame.loc[pair["row"]],
                GALAT,
                f"sudah disetop di tahap {STAGE_NAMES[stop['tahap']]} pada "
                f"{stop['tanggal']:%d/%m/%Y} (skor {format_score(stop['skor'])})"
                " — tidak boleh diikutkan lagi",
                pair["kolom_nip"],
            )
        )


def _stopped_before(
    frame: pd.DataFrame, later: pd.DataFrame, earlier: tuple[str, ...]
) -> pd.Series:
    """For each later record, the index of an earlier record that stopped this NIP, if any."""
    stops = frame[frame["tahap"].isin(earlier) & (frame["keputusan"] == BERHENTI)]
    first_stop = pd.Series(stops.index, index=stops["nip"]).groupby(level=0).first()
    return later["nip"].map(first_stop)


def _refuse_stopped(
    frame: pd.DataFrame, later: pd.DataFrame, stopped: pd.Series, problems: list[Masalah]
) -> None:
    refused = later.loc[stopped.dropna().index]
    stops = frame.loc[stopped.dropna().astype(int).to_numpy()]
    frame.loc[refused.index, "keputusan"] = PERIKSA
    problems += problems_at(
        refused,
        GALAT,
        [
            f"disetop di tahap {STAGE_NAMES[stage]} (skor {format_score(score)}) — tidak boleh "
            "diikutkan lagi"
            for stage, score in zip(stops["tahap"], stops["skor"], strict=True)
        ],
        refused["kolom_nip"],
    )


def _require_passed(
    frame: pd.DataFrame, later: pd.DataFrame, previous: str, problems: list[Masalah]
) -> None:
    """Each later record needs `lanjut` in the previous stage, as it stood on the later date."""
    before = frame[frame["tahap"] == previous]
    # With a duplikat both rows are periksa, so the first row speaks for the NIP.
    earlier = before.drop_duplicates("nip").set_index("nip")
    found = later["nip"].isin(earlier.index)
    unknown = later[~found]
    problems += problems_at(
        unknown,
        PERINGATAN,
        [f"tidak ada catatan tahap {STAGE_NAMES[previous]} untuk peserta ini"] * len(unknown),
        unknown["kolom_nip"],
    )
    matched = later[found]
    nips = matched["nip"]
    dates, decided_on = matched["tanggal"], nips.map(earlier["tanggal"])
    # Most rows need no history: one attempt before, or no dates to order them by; then the
    # record as decided is where the participant stood.
    simple = ~nips.map(earlier["riwayat"].map(bool)).astype(bool) & (
        dates.isna() | decided_on.isna() | (decided_on <= dates)
    )
    failed = matched[simple & (nips.map(earlier["keputusan"]) != LANJUT)]
    record = earlier.loc[failed["nip"]]
    _refuse(
        frame, failed, record["skor"].tolist(), record["keputusan"].tolist(), previous, problems
    )
    for index, row in matched[~simple].iterrows():
        prior = earlier.loc[row["nip"]]
        status = _status_when(prior, row["tanggal"])
        if status is not None and status["keputusan"] == LANJUT:
            continue
        if status is None:
            frame.at[index, "keputusan"] = PERIKSA
            message = (
                f"mengikuti tahap ini ({row['tanggal']:%d/%m/%Y}) sebelum lulus tahap "
                f"{STAGE_NAMES[previous]} ({prior['tanggal']:%d/%m/%Y})"
            )
            problems.append(row_problem(row, GALAT, message, row["kolom_nip"]))
        else:
            _refuse(
                frame,
                frame.loc[[index]],
                [status["skor"]],
                [status["keputusan"]],
                previous,
                problems,
            )


def _refuse(
    frame: pd.DataFrame,
    rows: pd.DataFrame,
    scores: list[float],
    decisions: list[str],
    previous: str,
    problems: list[Masalah],
) -> None:
    """`periksa` for `rows`, each not passed in the previous stage with that score and decision."""
    frame.loc[rows.index, "keputusan"] = PERIKSA
    problems += problems_at(
        rows,
        GALAT,
        [
            f"belum lulus tahap {STAGE_NAMES[previous]} (skor {format_score(score)}, "
            f"{DECISION_LABELS[decision]})"
            for score, decision in zip(scores, decisions, strict=True)
        ],
        rows["kolom_nip"],
    )


def _status_when(record: pd.Series, when: Any) -> dict | None:
    """Where a participant stood at the earlier stage on the later stage's date: the last
    attempt on or before it (retakes included). Undated, the record as decided. None when
    every dated attempt came after."""
    attempts = [
        {"tanggal": record["tanggal"], "skor": record["skor"], "keputusan": record["keputusan"]}
    ]
    attempts += [
        {"tanggal": pd.Timestamp(a["tanggal"]), "skor": a["skor"], "keputusan": a["keputusan"]}
        for a in record["riwayat"]
    ]
    if pd.isna(when) or any(pd.isna(a["tanggal"]) for a in attempts):
        return attempts[0]
    before = [a for a in attempts if a["tanggal"] <= when]
    return max(before, key=lambda a: a["tanggal"]) if before else None


def _missing_stage(frame: pd.DataFrame, stage: str, previous: str) -> Masalah:
    rows = frame[frame["tahap"] == stage]
    return Masalah(
        berkas=", ".join(dict.fromkeys(rows["berkas"])),
        lembar=None,
        baris=None,
        kolom=None,
        tingkat=PERINGATAN,
        pesan=f"catatan tahap {STAGE_NAMES[previous]} tidak ada di masukan, sehingga "
        f"kelayakan {len(rows)} peserta tahap {STAGE_NAMES[stage]} tidak dapat "
        f"diperiksa; sertakan berkas tahap {STAGE_NAMES[previous]}",
    )
