# ruff: noqa: F821
# berkas: src/skorasn/reporting/summary.py
# basis: summarise=19a0e20218e2 _per=4781c38ef4c8
# ganti: summarise
def _count_groups(peserta: pd.DataFrame, keys: pd.Series) -> dict[str, dict[str, object]]:
    """counts() of every group of `keys` (sorted), in one pass with bincount: no per-group
    frame copy and no Python call per score."""
    codes, groups = pd.factorize(keys, sort=True)
    size = len(groups)
    decision = pd.Categorical(peserta["keputusan"], categories=DECISIONS).codes.astype(np.int64)
    known = decision >= 0
    decided = np.bincount(codes[known] * len(DECISIONS) + decision[known],
                          minlength=size * len(DECISIONS)).reshape(size, len(DECISIONS))
    floored = np.floor(peserta["skor"].to_numpy(dtype=float))
    scored = ~np.isnan(floored) & (floored >= 0) & (floored <= 10)
    bucket = 10 - floored[scored].astype(np.int64)  # BUCKETS runs from "10" down to "0"
    spread = np.bincount(codes[scored] * len(BUCKETS) + bucket,
                         minlength=size * len(BUCKETS)).reshape(size, len(BUCKETS))
    result: dict[str, dict[str, object]] = {}
    for number, group in enumerate(groups):
        counted: dict[str, object] = dict(zip(DECISIONS, decided[number].tolist(), strict=True))
        counted["sebaran"] = dict(zip(BUCKETS, spread[number].tolist(), strict=True))
        result[str(group)] = counted
    return result


def summarise(peserta: pd.DataFrame) -> dict[str, object]:
    """`ringkasan`: per stage, then per eselon and per unit kerja over every stage."""
    by_stage = _count_groups(peserta, peserta["tahap"].fillna(NO_STAGE).astype(str))
    summary: dict[str, object] = {stage: by_stage[stage] for stage in (*STAGES, NO_STAGE)
                                  if stage in by_stage}
    summary["per_eselon"] = _per(peserta, "eselon", NO_ESELON)
    summary["per_unit_kerja"] = _per(peserta, "unit_kerja", NO_UNIT)
    return summary
# ganti: _per
def _per(peserta: pd.DataFrame, column: str, missing: str) -> dict[str, object]:
    return _count_groups(peserta, peserta[column].fillna(missing).astype(str))  # type: ignore
