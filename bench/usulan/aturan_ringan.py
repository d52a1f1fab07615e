# ruff: noqa: F821
# berkas: src/skorasn/rules.py
# basis: resolve_attempts=e1d6a04e541a _no_return_after_stop=fb764b4c5b6d
# ganti: resolve_attempts
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
    # drop() copies the whole table even when there is nothing to drop.
    return frame.drop(index=dropped) if dropped else frame
# ganti: _no_return_after_stop
def _no_return_after_stop(frame: pd.DataFrame, problems: list[Masalah]) -> None:
    """Stopped at a later stage, then seated again at an earlier one: still stopped."""
    rank = frame["tahap"].map({stage: i for i, stage in enumerate(STAGES)})
    stopped = (frame["keputusan"] == BERHENTI) & frame["tanggal"].notna()
    if not stopped.any():
        return
    stops = pd.DataFrame({"nip": frame.loc[stopped, "nip"], "rank_stop": rank[stopped],
                          "date_stop": frame.loc[stopped, "tanggal"], "stop": frame.index[stopped]})
    # Only rows whose NIP was ever stopped, and only the columns the pairing needs: merging
    # (a copy of) the whole table costs hundreds of MB at a million rows.
    chosen = (frame["tanggal"].notna() & frame["nip"].isin(stops["nip"])
              & (frame["keputusan"] != PERIKSA))
    candidates = pd.DataFrame({"nip": frame.loc[chosen, "nip"],
                               "tanggal": frame.loc[chosen, "tanggal"],
                               "rank": rank[chosen], "row": frame.index[chosen]})
    paired = candidates.merge(stops, on="nip")
    offending = paired[(paired["rank"] < paired["rank_stop"])
                       & (paired["tanggal"] > paired["date_stop"])]
    for _, pair in offending.drop_duplicates("row").iterrows():
        stop = frame.loc[pair["stop"]]
        frame.at[pair["row"], "keputusan"] = PERIKSA
        problems.append(_problem(frame.loc[pair["row"]], GALAT,
                                 f"sudah disetop di tahap {STAGE_NAMES[stop['tahap']]} pada "
                                 f"{stop['tanggal']:%d/%m/%Y} (skor {_format_score(stop['skor'])})"
                                 " — tidak boleh diikutkan lagi",
                                 frame.at[pair["row"], "kolom_nip"]))
