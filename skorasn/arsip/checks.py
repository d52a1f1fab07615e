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

from skorasn.arsip.chain import VALUES
from skorasn.models import FileInfo
from skorasn.vocabulary import BERHENTI, LANJUT, STAGES, TAHAN

DECIDED = (LANJUT, TAHAN, BERHENTI)
BARU, SAMA, BERUBAH, KOREKSI = "baru", "sama", "berubah", "koreksi"
KEY = "kunci"
RANK = {stage: position for position, stage in enumerate(STAGES)}
TODAY_COLUMNS = ("row", "attempt", "input", *VALUES)

_encode = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode


def _texts(column: pd.Series) -> pd.Series:
    """Python strings (None where missing) in an object column: pandas would otherwise copy a
    list of text into Arrow, and recording turns every value back into Python."""
    return _objects(column.astype(object).where(column.notna(), None).tolist())


def _objects(values: list[Any]) -> pd.Series:
    return pd.Series(values, dtype=object)


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
            "skor_pelatih": _objects([_trainers(s) for s in peserta["skor_pelatih"]]),
            "keputusan": _objects(peserta["keputusan"].tolist()),
            "sumber": _objects(peserta["sumber"].astype(str).tolist()),
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
    # A trainer who has not scored yet is None in the list, or NaN from a float column.
    return _encode([None if value is None or value != value else float(value) for value in scores])


def _input_of(sumber: str, positions: dict[str, int]) -> int | None:
    """The file of an earlier attempt, from its `berkas:lembar!baris`."""
    for berkas, position in positions.items():
        if sumber.startswith(berkas + ":"):
            return position
    return None


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """The records that can be followed across runs, with `tgl` ('' when undated) and the
    one-column key `kunci` ('nip|tahap|tgl') that every join and grouping here uses."""
    usable = frame[frame["nip"].notna() & frame["tahap"].notna()]
    # Plain Python strings: pandas' Arrow strings take a slow path in `isin`.
    nips, stages = usable["nip"].astype(object), usable["tahap"].astype(object)
    dates = usable["tanggal"].fillna("").astype(object)
    if KEY in usable:  # made by SQLite already (store.KEY_SQL)
        keys = usable[KEY].astype(object)
    else:
        made = [f"{n}|{s}|{d}" for n, s, d in zip(nips, stages, dates, strict=True)]
        keys = pd.Series(made, index=usable.index, dtype=object)
    return usable.assign(nip=nips, tahap=stages, tgl=dates, kunci=keys)


# --- what the register holds ---------------------------------------------------------------


def known_state(latest: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per key, what the register stands by: the latest reported score and decision, each
    with the run (and its time) that recorded it, and the latest record of any kind.

    `latest` comes from store.latest: a change that was not accepted is never among its
    records, so running again does not make it disappear; an accepted correction is, from
    its run on, even when it leaves the score blank.
    """
    last = latest["terakhir"]
    index = pd.Index(last[KEY], dtype=object, name=KEY)
    columns: dict[str, Any] = {name: last[name].to_numpy() for name in ("nip", "tahap", "tgl")}
    for name in ("keputusan", "skor", "run", "started"):
        columns[f"terakhir_{name}"] = last[name].to_numpy()
    corrected = (last["status"] == KOREKSI).to_numpy()
    for kind in ("skor", "keputusan"):
        values = last[kind]
        reported = corrected | (values.notna() if kind == "skor" else values.isin(DECIDED))
        found = {
            "acuan": values.where(reported).to_numpy(
                dtype=float if kind == "skor" else object, copy=True
            ),
            "laporan": last["run"].where(reported).to_numpy(dtype=object, copy=True),
            "waktu": last["started"].where(reported).to_numpy(dtype=object, copy=True),
        }
        further = latest[kind]  # the few keys whose latest record is not the reported one
        at = index.get_indexer(pd.Index(further[KEY], dtype=object))
        for part, column in (("acuan", kind), ("laporan", "run"), ("waktu", "started")):
            found[part][at] = further[column].to_numpy()
            columns[f"{kind}_{part}"] = found[part]
    return pd.DataFrame(columns, index=index)


def decisions(state: pd.DataFrame) -> pd.DataFrame:
    """Per key, the decision the register stands by: the reported one, else the latest."""
    reported = state["keputusan_acuan"].notna()
    return pd.DataFrame(
        {
            "nip": state["nip"],
            "tahap": state["tahap"],
            "tgl": state["tgl"],
            "keputusan": state["keputusan_acuan"].where(reported, state["terakhir_keputusan"]),
            "skor": state["skor_acuan"].where(state["skor_acuan"].notna(), state["terakhir_skor"]),
            "laporan": state["keputusan_laporan"].where(reported, state["terakhir_run"]),
            "waktu": state["keputusan_waktu"].where(reported, state["terakhir_started"]),
        },
        index=state.index,
    )


# --- the checks ----------------------------------------------------------------------------

BASELINE_COLUMNS = [
    f"{column}_{part}" for column in ("skor", "keputusan") for part in ("acuan", "laporan", "waktu")
]


def find_changes(usable: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """Today's records whose score, or decision, differs from what was reported.

    A blank score filled in, or a `periksa`/`belum_dinilai` that gets decided, is the normal
    course of a training day, not a change. A score that was reported and is now different
    or blank is; so is a decision that flips between lanjut, tahan and berhenti.
    """
    # Aligned by position on the (unique) keys of the register: a join would hash them again.
    at = state.index.get_indexer(pd.Index(usable[KEY], dtype=object))
    known = at >= 0
    aligned = state[BASELINE_COLUMNS].iloc[at[known]].set_axis(usable.index[known])
    merged = pd.concat([usable[known], aligned], axis=1)
    score_changed = merged["skor_acuan"].notna() & ~(merged["skor"] == merged["skor_acuan"])
    both_decided = merged["keputusan"].isin(DECIDED) & merged["keputusan_acuan"].isin(DECIDED)
    decision_changed = both_decided & (merged["keputusan"] != merged["keputusan_acuan"])
    changes = merged[score_changed | decision_changed]
    return changes.assign(jenis=np.where(score_changed[changes.index], "skor", "keputusan"))


def statuses(
    usable: pd.DataFrame,
    state: pd.DataFrame,
    changes: pd.DataFrame,
    accepted: set[tuple[str, str]],
) -> pd.Series:
    """baru, sama, berubah or koreksi for each record that has a key."""
    known = usable[KEY].isin(state.index).to_numpy()
    status = pd.Series(np.where(known, SAMA, BARU), index=usable.index, dtype=object)
    pairs = zip(changes["nip"], changes["tahap"], strict=True)
    status[changes.index] = [KOREKSI if pair in accepted else BERUBAH for pair in pairs]
    return status


def standing(usable: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """The register's decisions, less those that today's accepted corrections replace."""
    corrected = usable.loc[usable["status"] == KOREKSI, KEY]
    known = decisions(state)
    return known[~known.index.isin(corrected)]


def register_stops(usable: pd.DataFrame, standing: pd.DataFrame) -> pd.DataFrame:
    """Participants the register knows as stopped at an earlier stage (or at an earlier
    attempt of this stage) whose stop is not among today's records: one row per hit, with
    `row` and the stop's tahap, tanggal, skor, laporan and waktu."""
    seen = usable.loc[usable["keputusan"] == BERHENTI, KEY]
    stops = standing[(standing["keputusan"] == BERHENTI) & ~standing.index.isin(seen)]
    current = usable[~usable["attempt"]]
    if stops.empty or current.empty:
        return _empty_hits()
    pairs = current[["row", "nip", "tahap", "tgl"]].merge(stops, on="nip", suffixes=("", "_stop"))
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
    usable: pd.DataFrame, standing: pd.DataFrame, skip_rows: pd.Index
) -> pd.DataFrame:
    """Participants at a later stage whose previous stage is not among today's records and
    who, by the register, never passed it (their latest attempt there was not lanjut)."""
    current = usable[~usable["attempt"] & ~usable["row"].isin(skip_rows)]
    current = current[current["tahap"].map(RANK) > 0]
    if current.empty:
        return _empty_hits()
    current = current.assign(sebelum=current["tahap"].map(lambda s: STAGES[RANK[s] - 1]))
    present = pd.Index(usable["nip"] + "|" + usable["tahap"])
    current = current[~(current["nip"] + "|" + current["sebelum"]).isin(present)]
    prior = standing.rename(columns={"tahap": "sebelum"})
    pairs = current[["row", "nip", "tahap", "sebelum"]].merge(prior, on=["nip", "sebelum"])
    latest = pairs.sort_values(["row", "tgl", "laporan"], kind="stable")
    latest = latest.drop_duplicates("row", keep="last")
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


def vanished(usable: pd.DataFrame, earlier: pd.DataFrame, today_input: int) -> pd.DataFrame:
    """The records an earlier reading of a file held (store.run_values of its input) that
    today's reading of it, input `today_input`, does not: their positions in that run, and
    `sekarang`, where the record is today if it moved to another file."""
    here = usable.loc[(usable["input"].astype("Int64") == today_input).fillna(False), KEY]
    gone = earlier[~earlier[KEY].isin(pd.Index(here, dtype=object))]
    elsewhere = usable.drop_duplicates(KEY).set_index(KEY)["sumber"]
    return gone.assign(sekarang=gone[KEY].map(elsewhere))
