"""The day-by-day view: today's records against those of one earlier run, as plain rows."""

from __future__ import annotations

import math
from collections.abc import Callable
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
    read: set[int],
    reasons: dict[tuple[str, str], str],
    details: Callable[[list[int]], pd.DataFrame],
    files: dict[int, tuple[str, str]],
) -> dict[str, list[dict[str, Any]]]:
    """baru, berubah, hilang and tidak_dibaca between an earlier run and today.

    `then` holds the run's keyed records as store.run_values gives them; `details` fetches
    whole records of that run by position, only for those shown as hilang. A record that
    is not here today counts as hilang only when its file (`read`: positions among the run's
    inputs) was read today; records of files not read today are counted per file instead.
    """
    now = usable.drop_duplicates(KEY).set_index(KEY, drop=False)
    before = then.drop_duplicates(KEY).set_index(KEY)
    # Set operations and alignment on the unique keys: an outer merge would cost more.
    new = now[~now.index.isin(before.index)]
    gone = before[~before.index.isin(now.index)]
    both = now[now.index.isin(before.index)]
    both = both.join(before[["skor", "keputusan"]].add_suffix("_lama"))
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
    read_again = gone["input"].isin(read)
    lost = gone[read_again]
    unread = gone.loc[~read_again, "input"].map(lambda at: files.get(at, ("?", ""))[0])
    plain = {name: name for name in ROW_FIELDS}
    changed_fields = {
        **{name: name for name in ("nip", "nama", "tahap", "tanggal")},
        "skor_lama": "skor_lama",
        "keputusan_lama": "keputusan_lama",
        **{name: name for name in ("skor", "keputusan", "sumber", "koreksi")},
    }
    return {
        "baru": _rows(new, plain),
        "berubah": _rows(changed, changed_fields),
        "hilang": _rows(keyed(details(lost["position"].tolist())), plain) if len(lost) else [],
        "tidak_dibaca": [
            {"berkas": str(name), "catatan": int(count)}
            for name, count in unread.value_counts().sort_index().items()
        ],
    }
