"""What the register's checks tell the user, at the participant's own row where there is one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from skorasn.formatting import decimal_comma
from skorasn.models import FileInfo, Koreksi, Masalah, masalah_at
from skorasn.vocabulary import DECISION_LABELS, PERINGATAN, STAGE_NAMES, Level


def _score(value: Any) -> str:
    return "kosong" if value is None or value != value else decimal_comma(float(value))


def _stage(value: Any) -> str:
    """A stage's name; a register edited by hand may hold anything, shown as it is."""
    return STAGE_NAMES.get(value, str(value))


def _decision(value: Any) -> str:
    return DECISION_LABELS.get(value, str(value))


def _day(iso: Any) -> str:
    """A record's date as users write it: 07/11/2025."""
    try:
        return dt.date.fromisoformat(str(iso)).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)


def _recorded(run: Any, started: Any) -> str:
    """'tercatat 2025-11-07, laporan #3': when and in which run the register learnt it."""
    return f"tercatat {str(started)[:10]}, laporan #{int(run)}"


def at_rows(
    peserta: pd.DataFrame, rows: list[Any], level: Level, texts: list[str], column: str
) -> list[Masalah]:
    """A masalah at each participant's row, with its text; `column` names the letter column
    to point at. One lookup for all the rows, however many changed."""
    records = peserta.loc[rows]
    return masalah_at(
        level,
        records["berkas"],
        records["lembar"],
        records["baris"],
        records[column] if column in records else [None] * len(records),
        texts,
        records["nip"],
    )


def change(record: Mapping[Any, Any]) -> str:
    """'skor dasar 1980… berubah: 4 (tercatat 2025-11-07, laporan #3) → 9 sekarang'."""
    stage = _stage(record["tahap"])
    who = str(record["nip"])
    if record["attempt"] and record["tanggal"]:
        who += f" (percobaan {_day(record['tanggal'])})"
    hint = (
        f"; bila ini koreksi yang sah, jalankan dengan --terima-koreksi "
        f'{record["nip"]}:{record["tahap"]} --alasan "…"'
    )
    if record["jenis"] == "skor":
        return (
            f"skor {stage} {who} berubah: {_score(record['skor_acuan'])} "
            f"({_recorded(record['skor_laporan'], record['skor_waktu'])}) → "
            f"{_score(record['skor'])} sekarang{hint}"
        )
    return (
        f"keputusan {stage} {who} berubah: {_decision(record['keputusan_acuan'])} "
        f"({_recorded(record['keputusan_laporan'], record['keputusan_waktu'])}) → "
        f"{_decision(record['keputusan'])} sekarang, dengan skor yang sama "
        f"({_score(record['skor'])}); aturan yang dipakai berbeda?{hint}"
    )


def stopped(hit: Mapping[Any, Any]) -> str:
    recorded = _recorded(hit["laporan"], hit["waktu"])
    if hit["tahap_acuan"] == hit["tahap"]:
        return (
            f"sudah disetop pada percobaan {_day(hit['tanggal_acuan'])} menurut arsip "
            f"(skor {_score(hit['skor'])}, {recorded}) — tidak boleh mengulang tahap ini"
        )
    return (
        f"disetop di tahap {_stage(hit['tahap_acuan'])} menurut arsip (skor "
        f"{_score(hit['skor'])}, {recorded}) — tidak boleh diikutkan lagi"
    )


def unpassed(hit: Mapping[Any, Any]) -> str:
    return (
        f"belum lulus tahap {_stage(hit['tahap_acuan'])} menurut arsip (skor "
        f"{_score(hit['skor'])}, {_decision(hit['keputusan'])}; "
        f"{_recorded(hit['laporan'], hit['waktu'])}); berkas tahap itu tidak ada di masukan "
        "hari ini"
    )


def deleted(record: Mapping[Any, Any], info: FileInfo) -> Masalah:
    stage = _stage(record["tahap"])
    when = f", tanggal {_day(record['tanggal'])}" if record["tanggal"] else ""
    message = (
        f"baris dihapus: NIP {record['nip']} (tahap {stage}{when}, skor "
        f"{_score(record['skor'])}, {_decision(record['keputusan'])}"
        f") tercatat di laporan #{int(record['run'])} dari {record['sumber']}, tetapi tidak ada "
        "lagi di berkas ini"
    )
    if isinstance(record["sekarang"], str):
        message += f"; kini ada di {record['sekarang']}"
    return Masalah(
        berkas=info.berkas,
        lembar=None,
        baris=None,
        kolom=None,
        tingkat=PERINGATAN,
        pesan=message,
        nip=str(record["nip"]),
    )


def unused(correction: Koreksi, arsip: str) -> Masalah:
    return Masalah(
        berkas=arsip,
        lembar=None,
        baris=None,
        kolom=None,
        tingkat=PERINGATAN,
        pesan=f"--terima-koreksi {correction.nip}:{correction.tahap}: tidak ada skor atau "
        "keputusan peserta ini yang berbeda dari arsip; tidak ada koreksi yang dicatat",
        nip=correction.nip,
    )
