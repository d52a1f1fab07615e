"""The day-by-day view: today's records against those of one earlier run, as plain rows."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from skorasn.arsip.checks import KEY, KOREKSI, RANK, keyed

ROW_FIELDS = ("nip", "nama", "tahap", "tanggal", "skor", "keputusan", "sumber")


def number(value: Any) -> int | float | None:
    """A score as the JSON contract writes it: 9, 8.5, or null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):  # a register edited by hand
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def _text(value: Any) -> str | None:
    return None if value is None or value is pd.NA or value != value else str(value)


def _rows(frame: pd.DataFrame, fields: dict[str, str]) -> list[dict[str, Any]]:
    """`fields` maps each output name to a column; scores become JSON numbers."""
    ordered = frame.assign(_rank=frame["tahap"].map(RANK)).sort_values(
        ["_rank", "nip", "tgl"], kind="stable"
    )
    columns = {
        name: [number(v) if name.startswith("skor") else _text(v) for v in ordered[column].tolist()]
        for name, column in fields.items()
    }
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def compare(
    usable: pd.DataFrame,
    then: pd.DataFrame,
    read_paths: set[str],
    reasons: dict[tuple[str, str], str],
) -> dict[str, list[dict[str, Any]]]:
    """baru, berubah, hilang and tidak_dibaca between run `then` and today.

    A record of `then` that is not here today counts as hilang only when its file was read
    today; records of files not read today are counted per file instead.
    """
    now = usable.drop_duplicates(KEY).set_index(KEY, drop=False)
    before = keyed(then).drop_duplicates(KEY).set_index(KEY, drop=False)
    # Set operations and alignment on the unique keys: an outer merge would cost more.
    new = now[~now.index.isin(before.index)]
    gone = before[~before.index.isin(now.index)]
    both = now[now.index.isin(before.index)]
    old = before.reindex(both.index)[["nama", "tanggal", "skor", "keputusan", "sumber"]]
    both = both.join(old.add_suffix("_lama"))
    same_score = (both["skor"] == both["skor_lama"]) | (
        both["skor"].isna() & both["skor_lama"].isna()
    )
    changed = both[~same_score | (both["keputusan"] != both["keputusan_lama"])]
    accepted = [
        reasons.get((nip, tahap)) if status == KOREKSI else None
        for nip, tahap, status in zip(
            changed["nip"], changed["tahap"], changed["status"], strict=True
        )
    ]
    changed = changed.assign(koreksi=pd.Series(accepted, index=changed.index, dtype=object))
    read_again = gone["path"].astype(object).isin(read_paths)
    unread = gone[~read_again]
    unread_files = unread["berkas"].fillna(unread["path"]).fillna("?")
    plain = {name: name for name in ROW_FIELDS}
    return {
        "baru": _rows(new, plain),
        "berubah": _rows(
            changed,
            {
                "nip": "nip",
                "nama": "nama",
                "tahap": "tahap",
                "tanggal": "tanggal",
                "skor_lama": "skor_lama",
                "keputusan_lama": "keputusan_lama",
                "skor": "skor",
                "keputusan": "keputusan",
                "sumber": "sumber",
                "koreksi": "koreksi",
            },
        ),
        "hilang": _rows(gone[read_again], plain),
        "tidak_dibaca": [
            {"berkas": str(path), "catatan": int(count)}
            for path, count in unread.groupby(unread_files, sort=True).size().items()
        ],
    }
