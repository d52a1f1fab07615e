"""The JSON document: the contract scripts and the other outputs rely on."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

import pandas as pd

from skorasn.models import PESERTA_COLUMNS, Report

# Columns are turned into Python lists a slice at a time, so that writing a million participants
# never holds a million of each value at once.
CHUNK_ROWS = 50_000


# What the encoder below does with a str, without its per-call checks.
_string = json.encoder.encode_basestring
LIST_FIELDS = frozenset({"skor_pelatih", "alasan", "riwayat"})


@dataclass(frozen=True)
class Encoded:
    """List items that are JSON text already, written as they are."""

    items: Iterable[str]


def _number(value: Any) -> int | float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _texts(column: pd.Series) -> list[str | None]:
    """A text column as a list with None for every kind of missing value, vectorised."""
    return column.astype(object).where(column.notna(), None).tolist()


def iter_participant_records(
    peserta: pd.DataFrame, on_rows: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per participant with JSON-safe values (no NaN, dates as ISO text), made one at
    a time so that a million participants never sit in memory as dicts all at once.
    `on_rows` hears how many have been handed out, a chunk at a time."""
    for columns in participant_columns(peserta, on_rows):
        for values in zip(*(columns[f] for f in PESERTA_COLUMNS), strict=True):
            yield dict(zip(PESERTA_COLUMNS, values, strict=True))


def iter_participant_json(
    peserta: pd.DataFrame, on_rows: Callable[[int], None] | None = None
) -> Iterator[str]:
    """Each participant as the JSON text its record encodes to, byte for byte, built a column
    at a time: no dict per participant and one C call per value, not a Python walk."""
    template = "{{" + ", ".join(f"{_encode(name)}: {{}}" for name in PESERTA_COLUMNS) + "}}"
    for columns in participant_columns(peserta, on_rows):
        fragments = [_json_column(name, columns[name]) for name in PESERTA_COLUMNS]
        yield from map(template.format, *fragments)


def participant_columns(
    peserta: pd.DataFrame,
    on_rows: Callable[[int], None] | None = None,
    chunk: int = CHUNK_ROWS,
) -> Iterator[dict[str, list[Any]]]:
    """The participants `chunk` at a time, each field a list of JSON-safe values."""
    for start in range(0, len(peserta), chunk):
        yield _columns(peserta.iloc[start : start + chunk])
        if on_rows is not None:
            on_rows(min(start + chunk, len(peserta)))


def _columns(peserta: pd.DataFrame) -> dict[str, list[Any]]:
    """Every participant field as a list of JSON-safe Python values."""
    dates = peserta["tanggal"].dt.strftime("%Y-%m-%d")
    columns: dict[str, list[Any]] = {
        name: _texts(peserta[name])
        for name in ("nip", "nama", "eselon", "unit_kerja", "jabatan", "tahap")
    }
    columns["tanggal"] = _texts(dates)
    columns["skor"] = [_number(v) for v in peserta["skor"]]
    columns["skor_pelatih"] = [[_number(v) for v in scores] for scores in peserta["skor_pelatih"]]
    for name in ("keputusan", "alasan", "sumber", "riwayat"):
        columns[name] = peserta[name].tolist()
    return columns


def _json_column(name: str, values: list[Any]) -> list[str]:
    if name in LIST_FIELDS:
        return ["[]" if not value else _encode(value) for value in values]
    if name == "skor":
        return ["null" if value is None else _encode(value) for value in values]
    return ["null" if value is None else _string(value) for value in values]


def participant_records(peserta: pd.DataFrame) -> list[dict[str, Any]]:
    return list(iter_participant_records(peserta))


def report_document(
    report: Report, streaming: bool = False, on_rows: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """The JSON contract; with `streaming`, `peserta` is an iterator for write_document."""
    document = {
        "versi": report.version,
        "aturan": report.rules.as_report(),
        "saringan": report.selection.as_json(),
        "peserta": Encoded(iter_participant_json(report.peserta, on_rows))
        if streaming
        else list(iter_participant_records(report.peserta, on_rows)),
        "ringkasan": report.ringkasan,
        "masalah": [problem.as_json() for problem in report.problems],
    }
    if report.perubahan is not None:  # only with an arsip: the plain report stays as it was
        from skorasn.reporting.changes import changes_document

        document["perubahan"] = changes_document(report.perubahan)
    return document


def write_document(document: dict[str, Any], out: TextIO) -> None:
    """Strict JSON (NaN refused), UTF-8 text kept readable, one list item per line.

    Lists (or iterators) are written item by item with the C encoder: `json.dumps(indent=…)`
    falls back to the pure-Python encoder, many times slower on 100,000 participants.
    """
    out.write("{\n")
    for position, (key, value) in enumerate(document.items()):
        out.write(",\n" if position else "")
        out.write(f" {_encode(key)}: ")
        if isinstance(value, Encoded):
            _write_items(value.items, out, encode=str)
        elif isinstance(value, list | Iterator):
            _write_items(value, out)
        else:
            nested = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=1)
            out.write(nested.replace("\n", "\n "))
    out.write("\n}\n")


def _write_items(
    items: Iterable[Any], out: TextIO, encode: Callable[[Any], str] | None = None
) -> None:
    encode = encode or _encode
    first = True
    for item in items:
        out.write("[\n  " if first else ",\n  ")
        out.write(encode(item))
        first = False
    out.write("[]" if first else "\n ]")


def dumps(document: dict[str, Any]) -> str:
    buffer = io.StringIO()
    write_document(document, buffer)
    return buffer.getvalue()


# One encoder for every item: json.dumps with options builds a new encoder on each call.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
