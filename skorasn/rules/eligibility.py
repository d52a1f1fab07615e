"""Eligibility across stages: a later stage needs `lanjut` in the one before, and nobody
stopped comes back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from skorasn.formatting import thousands
from skorasn.models import Masalah
from skorasn.rules.common import format_score, problems_at, refuse_rows
from skorasn.vocabulary import (
    BERHENTI,
    DECISION_LABELS,
    LANJUT,
    NIP_LEGIBLE_DIGITS,
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
        # Judged by the nearest earlier stage that has a record of the NIP: no lanjutan 1
        # record does not let someone who did not pass dasar through to lanjutan 2.
        pending = later[stopped["tahap"].isna()]
        for earlier in reversed(STAGES[:position]):
            if earlier in present and not pending.empty:
                pending = _require_passed(frame, pending, earlier, problems, earlier == previous)
        _unreadable_namesakes(frame, pending, STAGES[:position], problems)
    return frame


def _unreadable_namesakes(
    frame: pd.DataFrame, unknown: pd.DataFrame, earlier: tuple[str, ...], problems: list[Masalah]
) -> None:
    """A later record with no earlier record of its NIP, while an earlier record whose NIP
    nobody could read (stored as a number, typed with letters) bears the same legible digits
    or the same name: it may be the same person, stopped there, so the record cannot be
    decided until that NIP is fixed."""
    blind = frame[frame["tahap"].isin(earlier) & frame["nip"].isna()]
    if blind.empty or unknown.empty:
        return
    blind = blind.assign(row=blind.index)
    named = blind[blind["nama"].notna()]
    by_name = named.assign(kunci=_name_key(named["nama"])).drop_duplicates("kunci")
    name_match = _name_key(unknown["nama"].fillna("")).map(by_name.set_index("kunci")["row"])
    digit_match = _legible_matches(blind, unknown)
    match = digit_match.fillna(name_match).dropna()
    hits, found = unknown.loc[match.index], frame.loc[match.astype(int)]
    by_digits = digit_match[match.index].notna()
    refuse_rows(
        frame,
        hits,
        [
            f"tidak ada catatan tahap sebelumnya dengan NIP ini, tetapi {source} "
            f"(tahap {STAGE_NAMES[stage]}) yang NIP-nya tidak terbaca "
            f"{'memuat digit yang sama' if digits else 'atas nama yang sama'}, jadi bisa "
            "jadi orang yang sama; perbaiki NIP di baris itu lalu jalankan ulang"
            for source, stage, digits in zip(
                found["sumber"], found["tahap"], by_digits, strict=True
            )
        ],
        problems,
    )


def _legible_matches(blind: pd.DataFrame, unknown: pd.DataFrame) -> pd.Series:
    """For each unknown record, the frame row of a refused NIP whose legible digits begin its
    NIP (the longest such, so that an exact match wins); NaN where none."""
    traced = blind[blind["nip_jejak"].notna()]
    candidates: dict[str, list[tuple[str, int]]] = {}
    for digits, row in sorted(
        zip(traced["nip_jejak"], traced.index, strict=True), key=lambda t: -len(t[0])
    ):
        candidates.setdefault(digits[:NIP_LEGIBLE_DIGITS], []).append((digits, row))
    found = []
    for nip in unknown["nip"].astype(str):
        rows = [
            row
            for digits, row in candidates.get(nip[:NIP_LEGIBLE_DIGITS], [])
            if nip.startswith(digits)
        ]
        found.append(rows[0] if rows else np.nan)
    return pd.Series(found, index=unknown.index, dtype=float)


def _name_key(names: pd.Series) -> pd.Series:
    return names.astype(str).str.split().str.join(" ").str.casefold()


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
    offending = offending.drop_duplicates("row")
    rows, stop = frame.loc[offending["row"]], frame.loc[offending["stop"]]
    refuse_rows(
        frame,
        rows,
        [
            f"sudah disetop di tahap {STAGE_NAMES[stage]} pada {when:%d/%m/%Y} (skor "
            f"{format_score(score)}) — tidak boleh diikutkan lagi"
            for stage, when, score in zip(stop["tahap"], stop["tanggal"], stop["skor"], strict=True)
        ],
        problems,
    )


def _stopped_before(
    frame: pd.DataFrame, later: pd.DataFrame, earlier: tuple[str, ...]
) -> pd.DataFrame:
    """For each later record, the stage (`tahap`) and score (`skor`) of this NIP's first stop
    in an `earlier` stage, as decided or as an attempt in its riwayat; NaN where none."""
    records = frame[frame["tahap"].isin(earlier) & frame["nip"].notna()]
    decided = records[records["keputusan"] == BERHENTI]
    retaken = records[records["riwayat"].map(bool).astype(bool)]
    in_history = [
        (nip, stage, entry["skor"])
        for nip, stage, history in zip(
            retaken["nip"], retaken["tahap"], retaken["riwayat"], strict=True
        )
        for entry in history
        if entry["keputusan"] == BERHENTI
    ]
    stops = pd.concat(
        [
            pd.DataFrame(
                {"nip": decided["nip"], "tahap": decided["tahap"], "skor": decided["skor"]}
            ),
            pd.DataFrame(in_history, columns=["nip", "tahap", "skor"]),
        ],
        ignore_index=True,
    )
    rank = stops["tahap"].map({stage: i for i, stage in enumerate(STAGES)})
    first = stops.assign(rank=rank).sort_values("rank", kind="stable").drop_duplicates("nip")
    found = later[["nip"]].merge(first, on="nip", how="left").set_index(later.index)
    return found[["tahap", "skor"]].where(found["tahap"].notna())


def _refuse_stopped(
    frame: pd.DataFrame, later: pd.DataFrame, stopped: pd.DataFrame, problems: list[Masalah]
) -> None:
    stops = stopped.dropna(subset=["tahap"])
    refuse_rows(
        frame,
        later.loc[stops.index],
        [
            f"disetop di tahap {STAGE_NAMES[stage]} (skor {format_score(score)}) — tidak boleh "
            "diikutkan lagi"
            for stage, score in zip(stops["tahap"], stops["skor"], strict=True)
        ],
        problems,
    )


def _require_passed(
    frame: pd.DataFrame,
    later: pd.DataFrame,
    previous: str,
    problems: list[Masalah],
    warn_unknown: bool = True,
) -> pd.DataFrame:
    """Each later record needs `lanjut` in the `previous` stage, as it stood on the later
    date. Returns the records with no `previous` record, named in a peringatan when
    `warn_unknown`."""
    before = frame[frame["tahap"] == previous]
    # With a duplikat both rows are periksa, so the first row speaks for the NIP.
    earlier = before.drop_duplicates("nip").set_index("nip")
    found = later["nip"].isin(earlier.index)
    unknown = later[~found]
    if warn_unknown:
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
    _follow_history(frame, matched[~simple], earlier, previous, problems)
    return unknown


def _follow_history(
    frame: pd.DataFrame,
    rows: pd.DataFrame,
    earlier: pd.DataFrame,
    previous: str,
    problems: list[Masalah],
) -> None:
    """Later records whose NIP retook the previous stage, or sat it after this date: judged
    by where the participant stood in it on this record's date (`_standing`)."""
    if rows.empty:
        return
    standing = _standing(rows, _attempts(earlier.loc[rows["nip"].unique()]))
    early = rows[standing["keputusan"].isna()]
    refuse_rows(
        frame,
        early,
        [
            f"mengikuti tahap ini ({when:%d/%m/%Y}) sebelum lulus tahap "
            f"{STAGE_NAMES[previous]} ({decided:%d/%m/%Y})"
            for when, decided in zip(
                early["tanggal"], early["nip"].map(earlier["tanggal"]), strict=True
            )
        ],
        problems,
    )
    failed = standing["keputusan"].notna() & (standing["keputusan"] != LANJUT)
    _refuse(
        frame,
        rows[failed],
        standing.loc[failed, "skor"].tolist(),
        standing.loc[failed, "keputusan"].tolist(),
        previous,
        problems,
    )


def _attempts(records: pd.DataFrame) -> pd.DataFrame:
    """Every attempt of these previous-stage records (indexed by NIP): the record as decided
    (`utama`), then its riwayat; one row each."""
    earlier = [
        (nip, entry["tanggal"], entry["skor"], entry["keputusan"])
        for nip, history in zip(records.index, records["riwayat"], strict=True)
        for entry in history
    ]
    attempts = pd.concat(
        [
            pd.DataFrame(
                {
                    "nip": records.index,
                    "tanggal": records["tanggal"].to_numpy(),
                    "skor": records["skor"].to_numpy(),
                    "keputusan": records["keputusan"].to_numpy(),
                    "utama": True,
                }
            ),
            pd.DataFrame(earlier, columns=["nip", "tanggal", "skor", "keputusan"]).assign(
                tanggal=lambda t: pd.to_datetime(t["tanggal"]), utama=False
            ),
        ],
        ignore_index=True,
    )
    return attempts


def _standing(rows: pd.DataFrame, attempts: pd.DataFrame) -> pd.DataFrame:
    """Per row, where its NIP stood in the previous stage on the row's date (columns skor and
    keputusan, both NaN when every dated attempt came after it): the last attempt on or
    before that date, or the record as decided when a date is missing on either side."""
    undated_nips = set(attempts.loc[attempts["tanggal"].isna(), "nip"])
    as_decided = rows["tanggal"].isna() | rows["nip"].isin(undated_nips)
    main = attempts[attempts["utama"]].set_index("nip")
    standing = pd.DataFrame(
        {
            "skor": rows["nip"].map(main["skor"]).astype(float).where(as_decided),
            "keputusan": rows["nip"].map(main["keputusan"]).astype(object).where(as_decided),
        },
        index=rows.index,
    )
    dated = rows[~as_decided]
    if dated.empty:
        return standing
    # merge_asof wants the same types on both sides; dates in microseconds cover any year.
    keys: dict[str, Any] = {"nip": "object", "tanggal": "datetime64[us]"}
    tried = attempts[["nip", "tanggal", "skor", "keputusan"]].astype(keys)
    found = pd.merge_asof(
        dated[["nip", "tanggal"]].astype(keys).reset_index().sort_values("tanggal"),
        tried.rename(columns={"tanggal": "tanggal_ujian"}).sort_values("tanggal_ujian"),
        left_on="tanggal",
        right_on="tanggal_ujian",
        by="nip",
        direction="backward",
    ).set_index("index")
    standing.loc[found.index, "skor"] = found["skor"].astype(float)
    standing.loc[found.index, "keputusan"] = found["keputusan"].astype(object)
    return standing


def _refuse(
    frame: pd.DataFrame,
    rows: pd.DataFrame,
    scores: list[float],
    decisions: list[str],
    previous: str,
    problems: list[Masalah],
) -> None:
    """`periksa` for `rows`, each not passed in the previous stage with that score and decision."""
    refuse_rows(
        frame,
        rows,
        [
            f"belum lulus tahap {STAGE_NAMES[previous]} (skor {format_score(score)}, "
            f"{DECISION_LABELS[decision]})"
            for score, decision in zip(scores, decisions, strict=True)
        ],
        problems,
    )


def _missing_stage(frame: pd.DataFrame, stage: str, previous: str) -> Masalah:
    rows = frame[frame["tahap"] == stage]
    return Masalah(
        berkas=", ".join(dict.fromkeys(rows["berkas"])),
        lembar=None,
        baris=None,
        kolom=None,
        tingkat=PERINGATAN,
        pesan=f"catatan tahap {STAGE_NAMES[previous]} tidak ada di masukan, sehingga "
        f"kelayakan {thousands(len(rows))} peserta tahap {STAGE_NAMES[stage]} tidak dapat "
        f"diperiksa; sertakan berkas tahap {STAGE_NAMES[previous]}",
    )
