"""What the register checks, as pure functions on DataFrames: today's records against what
earlier runs recorded. Nothing here touches the database, and no function changes its input.

A record is one assessment: (nip, tahap, tanggal), the key used across runs whatever file or
row it sits in. Records without a NIP or a stage cannot be followed and are only stored.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from skorasn.models import FileInfo
from skorasn.vocabulary import BERHENTI, LANJUT, STAGES, TAHAN

DECIDED = (LANJUT, TAHAN, BERHENTI)
BARU, SAMA, BERUBAH, KOREKSI = "baru", "sama", "berubah", "koreksi"
KEY = ["nip", "tahap", "tgl"]
RANK = {stage: position for position, stage in enumerate(STAGES)}
TODAY_COLUMNS = (
    "row",
    "attempt",
    "input",
    "nip",
    "nama",
    "tahap",
    "tanggal",
    "skor",
    "skor_pelatih",
    "keputusan",
    "sumber",
)

_encode = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode


def _texts(column: pd.Series) -> list[Any]:
    return column.astype(object).where(column.notna(), None).tolist()


def today_records(peserta: pd.DataFrame, files: list[FileInfo]) -> pd.DataFrame:
    """Every record this run read: each participant's decided row, then the earlier attempts
    its riwayat keeps (retakes). `row` is the participant's index in `peserta`."""
    positions = {info.berkas: position for position, info in enumerate(files)}
    current = pd.DataFrame(
        {
            "row": peserta.index,
            "attempt": False,
            "input": peserta["berkas"].map(positions).astype("Int64").tolist(),
            "nip": _texts(peserta["nip"]),
            "nama": _texts(peserta["nama"]),
            "tahap": _texts(peserta["tahap"]),
            "tanggal": _texts(peserta["tanggal"].dt.strftime("%Y-%m-%d")),
            "skor": peserta["skor"].astype(float).to_numpy(),
            "skor_pelatih": [_trainers(scores) for scores in peserta["skor_pelatih"]],
            "keputusan": peserta["keputusan"].tolist(),
            "sumber": peserta["sumber"].astype(str).tolist(),
        },
        columns=list(TODAY_COLUMNS),
    )
    attempts = [
        {
            "row": index,
            "attempt": True,
            "input": _input_of(str(attempt["sumber"]), positions),
            "nip": current.at[position, "nip"],
            "nama": current.at[position, "nama"],
            "tahap": current.at[position, "tahap"],
            "tanggal": attempt["tanggal"],
            "skor": np.nan if attempt["skor"] is None else float(attempt["skor"]),
            "skor_pelatih": None,
            "keputusan": attempt["keputusan"],
            "sumber": str(attempt["sumber"]),
        }
        for position, (index, history) in enumerate(peserta["riwayat"].items())
        if len(history)
        for attempt in history
    ]
    if not attempts:
        return current
    return pd.concat(
        [current, pd.DataFrame(attempts, columns=list(TODAY_COLUMNS))], ignore_index=True
    )


def _trainers(scores: Any) -> str | None:
    if scores is None or not len(scores):
        return None
    return _encode([None if value != value else float(value) for value in scores])


def _input_of(sumber: str, positions: dict[str, int]) -> int | None:
    """The file of an earlier attempt, from its `berkas:lembar!baris`."""
    for berkas, position in positions.items():
        if sumber.startswith(berkas + ":"):
            return position
    return None


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """The records that can be followed across runs, with `tgl` ('' when undated) for joins."""
    usable = frame[frame["nip"].notna() & frame["tahap"].notna()]
    return usable.assign(tgl=usable["tanggal"].fillna("").astype(str))


# --- what the register holds ---------------------------------------------------------------


def known_state(known: pd.DataFrame) -> pd.DataFrame:
    """Per key, what was reported: the score and the decision, each with the run that first
    reported the value it still has, and the latest record of any kind.

    A change that was not accepted never becomes what is known, so running again does not
    make it disappear. An accepted correction is known from its run on.
    """
    frame = keyed(known).sort_values("run", kind="stable")
    valid = frame[frame["status"] != BERUBAH]
    corrected = valid["status"] == KOREKSI
    score = _baseline(valid[valid["skor"].notna() | corrected], "skor")
    decision = _baseline(valid[valid["keputusan"].isin(DECIDED) | corrected], "keputusan")
    latest = valid.groupby(KEY, sort=False).tail(1).set_index(KEY)
    latest = latest[["keputusan", "skor", "run", "started"]].add_prefix("terakhir_")
    return score.join(decision, how="outer").join(latest, how="outer")


def _baseline(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """The latest value of `column` per key, and the first run of its last unbroken streak."""
    names = [f"{column}_acuan", f"{column}_laporan", f"{column}_waktu"]
    if rows.empty:
        return pd.DataFrame(columns=names, index=pd.MultiIndex.from_tuples([], names=KEY))
    groups = [rows[name] for name in KEY]
    values = rows[column].fillna(-1 if column == "skor" else "")
    changed = values.ne(values.groupby(groups).shift())
    streak = changed.astype(int).groupby(groups).cumsum()
    last = rows[streak.eq(streak.groupby(groups).transform("max"))]
    first = last.groupby(KEY, sort=False).head(1).set_index(KEY)
    return pd.DataFrame(
        {names[0]: first[column], names[1]: first["run"], names[2]: first["started"]}
    )


def decisions(state: pd.DataFrame) -> pd.DataFrame:
    """Per key, the decision the register stands by: the reported one, else the latest."""
    reported = state["keputusan_acuan"].notna()
    return pd.DataFrame(
        {
            "keputusan": state["keputusan_acuan"].where(reported, state["terakhir_keputusan"]),
            "skor": state["skor_acuan"].where(state["skor_acuan"].notna(), state["terakhir_skor"]),
            "laporan": state["keputusan_laporan"].where(reported, state["terakhir_run"]),
            "waktu": state["keputusan_waktu"].where(reported, state["terakhir_started"]),
        },
        index=state.index,
    )


# --- the checks ----------------------------------------------------------------------------


def find_changes(today: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """Today's records whose score, or decision, differs from what was reported.

    A blank score filled in, or a `periksa`/`belum_dinilai` that gets decided, is the normal
    course of a training day, not a change. A score that was reported and is now different
    or blank is; so is a decision that flips between lanjut, tahan and berhenti.
    """
    merged = keyed(today).join(state, on=KEY, how="inner")
    score_changed = merged["skor_acuan"].notna() & ~(merged["skor"] == merged["skor_acuan"])
    both_decided = merged["keputusan"].isin(DECIDED) & merged["keputusan_acuan"].isin(DECIDED)
    decision_changed = both_decided & (merged["keputusan"] != merged["keputusan_acuan"])
    changes = merged[score_changed | decision_changed]
    return changes.assign(jenis=np.where(score_changed[changes.index], "skor", "keputusan"))


def statuses(
    today: pd.DataFrame,
    state: pd.DataFrame,
    changes: pd.DataFrame,
    accepted: set[tuple[str, str]],
) -> pd.Series:
    """baru, sama, berubah or koreksi per record; None for a record without a key."""
    usable = keyed(today)
    known = pd.MultiIndex.from_frame(usable[KEY]).isin(state.index)
    status = pd.Series(np.where(known, SAMA, BARU), index=usable.index, dtype=object).reindex(
        today.index
    )
    pairs = zip(changes["nip"], changes["tahap"], strict=True)
    status[changes.index] = [KOREKSI if pair in accepted else BERUBAH for pair in pairs]
    return status.astype(object).where(status.notna(), None)


def _standing(today: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """The register's decisions, less those today's records decide for themselves: accepted
    corrections, and records today's rules already judged the same way."""
    usable = keyed(today)
    keys = pd.MultiIndex.from_frame(usable[KEY])
    corrected = keys[(usable["status"] == KOREKSI).to_numpy()]
    known = decisions(state)
    return known[~known.index.isin(corrected)]


def register_stops(today: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """Participants the register knows as stopped at an earlier stage (or at an earlier
    attempt of this stage) whose stop is not among today's records: one row per hit, with
    `row` and the stop's tahap, tanggal, skor, laporan and waktu."""
    usable = keyed(today)
    standing = _standing(today, state)
    seen = pd.MultiIndex.from_frame(usable.loc[usable["keputusan"] == BERHENTI, KEY])
    stops = standing[(standing["keputusan"] == BERHENTI) & ~standing.index.isin(seen)]
    current = usable[~usable["attempt"]]
    if stops.empty or current.empty:
        return _empty_hits()
    pairs = current[["row", "nip", "tahap", "tgl"]].merge(
        stops.reset_index(), on="nip", suffixes=("", "_stop")
    )
    earlier_stage = pairs["tahap_stop"].map(RANK) < pairs["tahap"].map(RANK)
    retake = (
        (pairs["tahap_stop"] == pairs["tahap"])
        & (pairs["tgl_stop"] != "")
        & (pairs["tgl"] != "")
        & (pairs["tgl_stop"] < pairs["tgl"])
    )
    hits = pairs[earlier_stage | retake].sort_values(["row", "laporan"], kind="stable")
    return _hits(hits.drop_duplicates("row"), "tahap_stop", "tgl_stop")


def register_unpassed(
    today: pd.DataFrame, state: pd.DataFrame, skip_rows: pd.Index
) -> pd.DataFrame:
    """Participants at a later stage whose previous stage is not among today's records and
    who, by the register, never passed it (their latest attempt there was not lanjut)."""
    usable = keyed(today)
    current = usable[~usable["attempt"] & ~usable["row"].isin(skip_rows)]
    current = current[current["tahap"].map(RANK) > 0]
    if current.empty:
        return _empty_hits()
    current = current.assign(sebelum=current["tahap"].map(lambda s: STAGES[RANK[s] - 1]))
    present = pd.MultiIndex.from_frame(usable[["nip", "tahap"]])
    asked = pd.MultiIndex.from_frame(current[["nip", "sebelum"]])
    current = current[~asked.isin(present)]
    prior = _standing(today, state).reset_index().rename(columns={"tahap": "sebelum"})
    pairs = current[["row", "nip", "tahap", "sebelum"]].merge(prior, on=["nip", "sebelum"])
    latest = pairs.sort_values(["row", "tgl", "laporan"], kind="stable").groupby("row").tail(1)
    return _hits(latest[latest["keputusan"] != LANJUT], "sebelum", "tgl")


def _hits(frame: pd.DataFrame, stage: str, date: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": frame["row"],
            "tahap": frame["tahap"],
            "tahap_acuan": frame[stage],
            "tanggal_acuan": frame[date],
            "keputusan": frame["keputusan"],
            "skor": frame["skor"],
            "laporan": frame["laporan"],
            "waktu": frame["waktu"],
        }
    ).reset_index(drop=True)


def _empty_hits() -> pd.DataFrame:
    columns = (
        "row",
        "tahap",
        "tahap_acuan",
        "tanggal_acuan",
        "keputusan",
        "skor",
        "laporan",
        "waktu",
    )
    return pd.DataFrame(columns=list(columns))


def vanished(today: pd.DataFrame, earlier: pd.DataFrame) -> pd.DataFrame:
    """Records an earlier reading of a file held that today's reading of it does not; with
    `sekarang`, where the record is today if it moved to another file.

    `earlier` has `input`, today's position of the file it was read from.
    """
    now = keyed(today)
    before = keyed(earlier)
    if before.empty:
        return before
    here = pd.MultiIndex.from_frame(now[["input", *KEY]].astype({"input": "Int64"}))
    gone = before[~pd.MultiIndex.from_frame(before[["input", *KEY]]).isin(here)]
    elsewhere = now.drop_duplicates(KEY).set_index(KEY)["sumber"]
    moved = pd.MultiIndex.from_frame(gone[KEY]).map(lambda key: elsewhere.get(key))
    return gone.assign(sekarang=list(moved))
