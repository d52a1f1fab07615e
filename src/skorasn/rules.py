"""The mayor's rule and the audits, as pure functions on DataFrames.

Nothing here reads files or prints, and no function changes the frame it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from skorasn.config import STAGES, Rules
from skorasn.numbers import decimal_comma
from skorasn.problems import GALAT, PERINGATAN, Masalah

LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA = "lanjut", "tahan", "berhenti", "belum_dinilai", "periksa"
DECISIONS = (LANJUT, TAHAN, BERHENTI, BELUM, PERIKSA)
DECISION_LABELS = {LANJUT: "lanjut", TAHAN: "tahan", BERHENTI: "berhenti",
                   BELUM: "belum dinilai", PERIKSA: "periksa"}
STAGE_NAMES = {"dasar": "dasar", "lanjutan_1": "lanjutan 1", "lanjutan_2": "lanjutan 2"}
DISAGREEMENT_TOLERANCE = 0.05


def _nothing_each(rows: int) -> np.ndarray:
    """An empty, shared, immutable sequence per row: a million empty lists would cost 56 MB,
    and the cells are only ever replaced, never appended to."""
    values = np.empty(rows, dtype=object)
    values.fill(())
    return values


@dataclass
class Decided:
    peserta: pd.DataFrame
    problems: list[Masalah]


def decide(scores: pd.Series, invalid: pd.Series, rules: Rules) -> pd.Series:
    """The keputusan for each score: exact comparison on the value as written."""
    choices = np.select(
        [invalid.to_numpy(bool), scores.isna().to_numpy(), (scores >= rules.lanjut_min).to_numpy(),
         (scores <= rules.berhenti_maks).to_numpy()],
        [PERIKSA, BELUM, LANJUT, BERHENTI],
        default=TAHAN,
    )
    return pd.Series(choices, index=scores.index, dtype=object)


def apply_rules(rows: pd.DataFrame, rules: Rules) -> Decided:
    """All audits, in the order in which each depends on the one before."""
    problems: list[Masalah] = []
    if rows.empty:
        return Decided(_empty_peserta(), problems)
    frame = combine_trainers(rows, rules, problems)
    frame["keputusan"] = decide(frame["skor"], frame["cacat"], rules)
    frame = resolve_attempts(frame, problems)
    frame = check_written_decisions(frame, problems)
    frame = check_eligibility(frame, problems)
    return Decided(frame, problems)


def _empty_peserta() -> pd.DataFrame:
    return pd.DataFrame(columns=["nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap",
                                 "tanggal", "skor", "skor_pelatih", "keputusan", "sumber",
                                 "riwayat"])


def _problem(row: pd.Series, level: str, message: str, column: str | None = None) -> Masalah:
    return Masalah(berkas=row["berkas"], lembar=row["lembar"], baris=int(row["baris"]),
                   kolom=column, tingkat=level, pesan=message,  # type: ignore[arg-type]
                   nip=row["nip"] if isinstance(row["nip"], str) else None)


def _score_list(scores: pd.Series) -> str:
    return ", ".join(_format_score(v) for v in scores.dropna())


def _format_score(score: float) -> str:
    if score != score:
        return "kosong"
    return decimal_comma(score)


# --- several trainers ----------------------------------------------------------------------

def trainer_columns(frame: pd.DataFrame) -> list[str]:
    names = [c for c in frame.columns if c.startswith("pelatih_")]
    return sorted(names, key=lambda c: int(c.split("_")[1]))


def combine_trainers(rows: pd.DataFrame, rules: Rules, problems: list[Masalah]) -> pd.DataFrame:
    """skor = the final-score column where filled, else the trainers' combination."""
    frame = rows.copy(deep=False)  # copy-on-write: the caller's frame is never touched
    columns = trainer_columns(frame)
    final = frame["skor_akhir"].astype(float) if "skor_akhir" in frame else \
        pd.Series(np.nan, index=frame.index)
    # A row with an unreadable score cell has no trustworthy score, even if another cell is fine.
    broken = frame["skor_cacat"].fillna(False).astype(bool) if "skor_cacat" in frame else \
        pd.Series(False, index=frame.index)
    if not columns:
        frame["skor"] = final.mask(broken)
        frame["skor_pelatih"] = _nothing_each(len(frame))
        return frame
    trainers = frame[columns].astype(float)
    combined = _combine(trainers, rules.gabung).round(2)
    frame["skor"] = final.where(final.notna(), combined).mask(broken)
    frame["skor_pelatih"] = _trainer_lists(trainers, frame["n_pelatih"])
    _report_trainer_problems(frame, trainers, combined, final, rules, problems)
    return frame


def _combine(trainers: pd.DataFrame, method: str) -> pd.Series:
    if method == "median":
        return trainers.median(axis=1, skipna=True)
    if method == "minimum":
        return trainers.min(axis=1, skipna=True)
    return trainers.mean(axis=1, skipna=True)


def _trainer_lists(trainers: pd.DataFrame, counts: pd.Series) -> list[list[float | None]]:
    values = trainers.to_numpy()
    return [[None if v != v else float(v) for v in row[:int(n)]]
            for row, n in zip(values, counts.fillna(0), strict=True)]


def _report_trainer_problems(frame: pd.DataFrame, trainers: pd.DataFrame, combined: pd.Series,
                             final: pd.Series, rules: Rules, problems: list[Masalah]) -> None:
    filled = trainers.notna()
    counts = frame["n_pelatih"].fillna(0).astype(int)
    expected = pd.DataFrame({c: counts > i for i, c in enumerate(trainers.columns)})
    partly = filled.any(axis=1) & ~frame["cacat"]
    blank = expected & ~filled & partly.to_numpy()[:, None]
    for index, column in zip(*np.nonzero(blank.to_numpy()), strict=True):
        row = frame.iloc[index]
        letter = str(row["kolom_pelatih"]).split(",")[column]
        problems.append(_problem(row, PERINGATAN, f"skor pelatih {column + 1} kosong; skor "
                                 "dihitung dari pelatih lain saja", letter))
    spread = trainers.max(axis=1) - trainers.min(axis=1)
    for index in frame.index[(spread >= rules.selisih_pelatih) & ~frame["cacat"]]:
        row = frame.loc[index]
        problems.append(_problem(row, PERINGATAN, "selisih penilaian antar pelatih "
                                 f"{_format_score(spread[index])} poin "
                                 f"({_score_list(trainers.loc[index])}); mohon ditinjau",
                                 row["kolom_pelatih"].split(",")[0]))
    gap = (final - combined).abs().round(6)  # 8.55 - 8.5 is 0.0500000000000007 in binary
    differs = final.notna() & combined.notna() & (gap > DISAGREEMENT_TOLERANCE)
    has_final_column = frame["kolom_skor"].notna() if "kolom_skor" in frame else False
    fallback = has_final_column & final.isna() & combined.notna() & ~frame["cacat"]
    for index in frame.index[fallback]:
        row = frame.loc[index]
        problems.append(_problem(row, PERINGATAN, "nilai akhir kosong; skor dihitung dari "
                                 f"{rules.gabung} skor pelatih ({_format_score(combined[index])})",
                                 row["kolom_skor"]))
    for index in frame.index[differs & ~frame["cacat"]]:
        row = frame.loc[index]
        problems.append(_problem(row, PERINGATAN, f"nilai akhir {_format_score(final[index])} "
                                 f"berbeda dari {rules.gabung} skor pelatih "
                                 f"({_format_score(combined[index])}); nilai akhir yang dipakai",
                                 row["kolom_skor"]))


# --- retakes and duplicates ----------------------------------------------------------------

def resolve_attempts(frame: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """One record per NIP and stage: the latest dated attempt, or every row as a duplikat."""
    frame = frame.copy(deep=False)
    frame["riwayat"] = _nothing_each(len(frame))
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
    frame.at[latest, "riwayat"] = [
        {"tanggal": row["tanggal"].date().isoformat(), "skor": _json_score(row["skor"]),
         "keputusan": row["keputusan"], "sumber": row["sumber"]}
        for _, row in earlier.iterrows()
    ]
    stopped = earlier[earlier["keputusan"] == BERHENTI]
    if not stopped.empty and frame.at[latest, "keputusan"] != PERIKSA:
        first = stopped.iloc[0]
        frame.at[latest, "keputusan"] = PERIKSA
        problems.append(_problem(frame.loc[latest], GALAT,
                                 f"sudah disetop pada percobaan {first['tanggal']:%d/%m/%Y} "
                                 f"(skor {_format_score(first['skor'])}) — tidak boleh "
                                 "mengulang tahap ini", frame.at[latest, "kolom_nip"]))
    return list(earlier.index)


def _mark_duplicates(frame: pd.DataFrame, group: pd.DataFrame, problems: list[Masalah]) -> None:
    places = ", ".join(group["sumber"])
    stage = STAGE_NAMES.get(group["tahap"].iloc[0], group["tahap"].iloc[0])
    for index, row in group.iterrows():
        frame.at[index, "keputusan"] = PERIKSA
        problems.append(_problem(row, GALAT, f"duplikat: NIP {row['nip']} muncul "
                                 f"{len(group)} kali di tahap {stage} tanpa tanggal yang berbeda "
                                 f"({places}); hapus baris yang salah atau isi kolom Tanggal "
                                 "untuk ujian ulang", row["kolom_nip"]))


def _json_score(score: float) -> float | int | None:
    if score != score:
        return None
    return int(score) if float(score).is_integer() else float(score)


# --- hand-written decisions ----------------------------------------------------------------

def check_written_decisions(frame: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """A decision typed by hand never overrides the rule; a mismatch is a galat."""
    if "tertulis" not in frame:
        return frame
    written = frame["tertulis"]
    mismatch = written.notna() & (frame["keputusan"] != PERIKSA) & (written != frame["keputusan"])
    for _, row in frame[mismatch].iterrows():
        problems.append(_problem(
            row, GALAT,
            f"keputusan tertulis '{row['tertulis_teks']}' tidak sesuai aturan "
            f"(skor {_format_score(row['skor'])} → {row['keputusan']}); keputusan menurut "
            "aturan yang dipakai", row["kolom_keterangan"]))
    return frame


# --- eligibility across stages -------------------------------------------------------------

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
    stops = pd.DataFrame({"nip": stops["nip"], "rank_stop": rank[stops.index],
                          "date_stop": stops["tanggal"], "stop": stops.index})
    candidates = frame[frame["tanggal"].notna() & frame["nip"].notna()
                       & (frame["keputusan"] != PERIKSA)]
    paired = candidates.assign(rank=rank[candidates.index], row=candidates.index).merge(
        stops, on="nip")
    offending = paired[(paired["rank"] < paired["rank_stop"])
                       & (paired["tanggal"] > paired["date_stop"])]
    for _, pair in offending.drop_duplicates("row").iterrows():
        stop = frame.loc[pair["stop"]]
        frame.at[pair["row"], "keputusan"] = PERIKSA
        problems.append(_problem(frame.loc[pair["row"]], GALAT,
                                 f"sudah disetop di tahap {STAGE_NAMES[stop['tahap']]} pada "
                                 f"{stop['tanggal']:%d/%m/%Y} (skor {_format_score(stop['skor'])})"
                                 " — tidak boleh diikutkan lagi", pair["kolom_nip"]))


def _stopped_before(frame: pd.DataFrame, later: pd.DataFrame,
                    earlier: tuple[str, ...]) -> pd.Series:
    """For each later record, the index of an earlier record that stopped this NIP, if any."""
    stops = frame[frame["tahap"].isin(earlier) & (frame["keputusan"] == BERHENTI)]
    first_stop = pd.Series(stops.index, index=stops["nip"]).groupby(level=0).first()
    return later["nip"].map(first_stop)


def _refuse_stopped(frame: pd.DataFrame, later: pd.DataFrame, stopped: pd.Series,
                    problems: list[Masalah]) -> None:
    for index, stop_index in stopped.dropna().items():
        first = frame.loc[int(stop_index)]
        frame.at[index, "keputusan"] = PERIKSA
        problems.append(_problem(later.loc[index], GALAT,
                                 f"disetop di tahap {STAGE_NAMES[first['tahap']]} "
                                 f"(skor {_format_score(first['skor'])}) — tidak boleh "
                                 "diikutkan lagi", later.at[index, "kolom_nip"]))


def _require_passed(frame: pd.DataFrame, later: pd.DataFrame, previous: str,
                    problems: list[Masalah]) -> None:
    before = frame[frame["tahap"] == previous]
    # With a duplikat both rows are periksa, so the first row speaks for the NIP.
    earlier = before.drop_duplicates("nip").set_index("nip")
    found = later["nip"].isin(earlier.index)
    for _, row in later[~found].iterrows():
        problems.append(_problem(row, PERINGATAN, f"tidak ada catatan tahap "
                                 f"{STAGE_NAMES[previous]} untuk peserta ini", row["kolom_nip"]))
    matched = later[found]
    nips = matched["nip"]
    dates, decided_on = matched["tanggal"], nips.map(earlier["tanggal"])
    # Most rows need no history: one attempt before, or no dates to order them by.
    simple = ~nips.map(earlier["riwayat"].map(bool)).astype(bool) & \
        (dates.isna() | decided_on.isna() | (decided_on <= dates))
    needs_look = matched[~simple | (nips.map(earlier["keputusan"]) != LANJUT)]
    for index, row in needs_look.iterrows():
        record = earlier.loc[row["nip"]]
        status = _status_when(record, row["tanggal"])
        if status is not None and status["keputusan"] == LANJUT:
            continue
        frame.at[index, "keputusan"] = PERIKSA
        if status is None:
            message = (f"mengikuti tahap ini ({row['tanggal']:%d/%m/%Y}) sebelum lulus tahap "
                       f"{STAGE_NAMES[previous]} ({record['tanggal']:%d/%m/%Y})")
        else:
            message = (f"belum lulus tahap {STAGE_NAMES[previous]} (skor "
                       f"{_format_score(status['skor'])}, "
                       f"{DECISION_LABELS[status['keputusan']]})")
        problems.append(_problem(row, GALAT, message, row["kolom_nip"]))


def _status_when(record: pd.Series, when: object) -> dict | None:
    """Where a participant stood at the earlier stage on the later stage's date: the last
    attempt on or before it (retakes included). Undated, the record as decided. None when
    every dated attempt came after."""
    attempts = [{"tanggal": record["tanggal"], "skor": record["skor"],
                 "keputusan": record["keputusan"]}]
    attempts += [{"tanggal": pd.Timestamp(a["tanggal"]), "skor": a["skor"],
                  "keputusan": a["keputusan"]} for a in record["riwayat"]]
    if pd.isna(when) or any(pd.isna(a["tanggal"]) for a in attempts):
        return attempts[0]
    before = [a for a in attempts if a["tanggal"] <= when]
    return max(before, key=lambda a: a["tanggal"]) if before else None


def _missing_stage(frame: pd.DataFrame, stage: str, previous: str) -> Masalah:
    rows = frame[frame["tahap"] == stage]
    return Masalah(berkas=", ".join(dict.fromkeys(rows["berkas"])), lembar=None, baris=None,
                   kolom=None, tingkat=PERINGATAN,
                   pesan=f"catatan tahap {STAGE_NAMES[previous]} tidak ada di masukan, sehingga "
                   f"kelayakan {len(rows)} peserta tahap {STAGE_NAMES[stage]} tidak dapat "
                   f"diperiksa; sertakan berkas tahap {STAGE_NAMES[previous]}")
