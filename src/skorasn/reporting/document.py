"""The JSON document: the contract scripts and the other outputs rely on."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from skorasn.core import Report

PARTICIPANT_FIELDS = ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap", "tanggal",
                      "skor", "skor_pelatih", "keputusan", "sumber", "riwayat")


def _number(value: Any) -> int | float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def participant_records(peserta: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per participant with JSON-safe values (no NaN, dates as ISO text)."""
    if peserta.empty:
        return []
    dates = peserta["tanggal"].dt.strftime("%Y-%m-%d")
    columns: dict[str, list[Any]] = {
        name: [_text(v) for v in peserta[name]]
        for name in ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap")
    }
    columns["tanggal"] = [_text(v) for v in dates]
    columns["skor"] = [_number(v) for v in peserta["skor"]]
    columns["skor_pelatih"] = [[_number(v) for v in scores] for scores in peserta["skor_pelatih"]]
    columns["keputusan"] = peserta["keputusan"].tolist()
    columns["sumber"] = peserta["sumber"].tolist()
    columns["riwayat"] = peserta["riwayat"].tolist()
    return [dict(zip(PARTICIPANT_FIELDS, values, strict=True))
            for values in zip(*(columns[f] for f in PARTICIPANT_FIELDS), strict=True)]


def report_document(report: Report) -> dict[str, Any]:
    return {
        "versi": report.version,
        "aturan": report.rules.as_report(),
        "peserta": participant_records(report.peserta),
        "ringkasan": report.ringkasan,
        "masalah": [problem.as_json() for problem in report.problems],
    }


def dumps(document: dict[str, Any]) -> str:
    """Strict JSON (NaN refused), UTF-8 text kept readable, one list item per line.

    Lists are written item by item with the C encoder: `json.dumps(indent=…)` falls back to
    the pure-Python encoder, which is many times slower on 100,000 participants.
    """
    parts = []
    for key, value in document.items():
        name = _encode(key)
        if isinstance(value, list) and value:
            items = ",\n".join("  " + _encode(item) for item in value)
            parts.append(f" {name}: [\n{items}\n ]")
        else:
            nested = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=1)
            parts.append(f" {name}: " + nested.replace("\n", "\n "))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
