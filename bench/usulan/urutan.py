# ruff: noqa: F821
# berkas: src/skorasn/core.py
# impor: import numpy as np
# basis: order_participants=1e07413a40d6
# ganti: order_participants
# What a report shows or locates; the reading and audit columns (cacat, kolom_*, skor_akhir,
# pelatih_*, tertulis*, …) are not copied into the ordered table.
REPORT_COLUMNS = ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap", "tanggal", "skor",
                  "skor_pelatih", "keputusan", "sumber", "riwayat", "berkas", "lembar", "baris")


def order_participants(peserta: pd.DataFrame) -> pd.DataFrame:
    """Stable order (tahap, keputusan, skor descending, nama, nip, sumber) so reruns give the
    same bytes.

    np.lexsort on numbers for the first four keys; NIP and sumber (unique strings, costly to
    factorize at a million rows) only break the rare ties, in Python. Only REPORT_COLUMNS are
    copied in the new order.
    """
    columns = [c for c in REPORT_COLUMNS if c in peserta.columns]
    if peserta.empty:
        return peserta[columns].reset_index(drop=True)
    keys = np.column_stack((
        peserta["tahap"].map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES))
        .to_numpy(dtype=float),
        peserta["keputusan"].map({d: i for i, d in enumerate(DECISIONS)}).to_numpy(dtype=float),
        -peserta["skor"].fillna(-1).to_numpy(dtype=float),
        pd.factorize(peserta["nama"].fillna("").astype(str).str.casefold(), sort=True)[0],
    ))
    order = np.lexsort(keys.T[::-1])  # np.lexsort sorts by the last key first
    ordered = keys[order]
    tied = np.r_[False, (ordered[1:] == ordered[:-1]).all(axis=1), False]
    starts = np.flatnonzero(~tied[:-1] & tied[1:])
    ends = np.flatnonzero(tied[:-1] & ~tied[1:]) + 1
    if len(starts):
        nips = peserta["nip"].fillna("").to_numpy(dtype=object)
        sources = peserta["sumber"].to_numpy(dtype=object)
        for start, end in zip(starts, ends, strict=True):
            run = order[start:end]
            order[start:end] = sorted(run, key=lambda i: (nips[i], sources[i]))
    return peserta[columns].take(order).reset_index(drop=True)
