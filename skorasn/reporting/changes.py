"""What changed since an earlier run of the arsip, for every output: the JSON object, a short
terminal section, the rows of the XLSX "Perubahan" sheet and the HTML section's data."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from skorasn.formatting import decimal_comma, thousands
from skorasn.models import Perubahan
from skorasn.vocabulary import DECISION_LABELS, STAGE_NAMES

KINDS = (("baru", "baru"), ("berubah", "berubah"), ("hilang", "hilang"))
SHEET = "Perubahan"
SHEET_COLUMNS = (
    ("Perubahan", 10),
    ("NIP", 21),
    ("Nama", 30),
    ("Tahap", 11),
    ("Tanggal", 11),
    ("Skor lama", 9),
    ("Keputusan lama", 14),
    ("Skor", 7),
    ("Keputusan", 14),
    ("Sumber", 34),
    ("Keterangan", 40),
)


def changes_document(perubahan: Perubahan) -> dict[str, Any]:
    """The JSON `perubahan` object."""
    banding = None
    if perubahan.banding is not None:
        banding = {"laporan": perubahan.banding, "waktu": perubahan.banding_waktu}
    return {
        "arsip": perubahan.arsip,
        "laporan": perubahan.laporan,
        "hash": perubahan.rantai,
        "banding": banding,
        "baru": perubahan.baru,
        "berubah": perubahan.berubah,
        "hilang": perubahan.hilang,
        "koreksi": perubahan.koreksi,
        "berkas_tidak_dibaca": perubahan.tidak_dibaca,
    }


def headline(perubahan: Perubahan) -> str:
    """'Perubahan sejak laporan #3 (2025-11-07 18:30): 5 baru, 2 berubah, 1 hilang'."""
    if perubahan.banding is None:
        return (
            f"Arsip: laporan #{perubahan.laporan} adalah catatan pertama; belum ada laporan "
            "pembanding"
        )
    when = (perubahan.banding_waktu or "")[:16].replace("T", " ")
    counts = ", ".join(
        f"{thousands(len(getattr(perubahan, kind)))} {label}" for kind, label in KINDS
    )
    line = f"Perubahan sejak laporan #{perubahan.banding} ({when}): {counts}"
    if perubahan.koreksi:
        line += f"; {thousands(len(perubahan.koreksi))} koreksi diterima"
    return line


def _score(value: Any) -> str:
    return "–" if value is None else decimal_comma(value)


def _stage(value: Any) -> str:
    return STAGE_NAMES.get(value, str(value))


def _decision(value: Any) -> str:
    return DECISION_LABELS.get(value, str(value or "–"))


def describe(kind: str, row: dict[str, Any]) -> str:
    """One change in words, after the NIP and name."""
    stage = _stage(row["tahap"])
    if kind == "berubah":
        text = (
            f"{stage}: {_score(row['skor_lama'])} {_decision(row['keputusan_lama'])} → "
            f"{_score(row['skor'])} {_decision(row['keputusan'])}"
        )
        return text + (f" (koreksi diterima: {row['koreksi']})" if row.get("koreksi") else "")
    text = f"{stage}, skor {_score(row['skor'])}, {_decision(row['keputusan'])}"
    return text + (f", dari {row['sumber']}" if kind == "hilang" else "")


def changes_renderable(perubahan: Perubahan, limit: int = 10) -> RenderableType:
    """The terminal's short section: the headline, then a few lines of each kind."""
    lines: list[RenderableType] = [Text(headline(perubahan), style="bold")]
    for kind, label in KINDS:
        rows = getattr(perubahan, kind)
        for row in rows[:limit]:
            lines.append(
                Text(f"  {label:<8} {row['nip']} {row['nama'] or '—'} — {describe(kind, row)}")
            )
        if len(rows) > limit:
            lines.append(
                Text(f"  {label:<8} … dan {thousands(len(rows) - limit)} lainnya", style="dim")
            )
    for file in perubahan.tidak_dibaca:
        lines.append(
            Text(
                f"  tidak dibaca hari ini: {file['berkas']} ({file['catatan']} catatan)",
                style="dim",
            )
        )
    return Group(*lines)


def sheet_rows(perubahan: Perubahan) -> list[list[Any]]:
    """The "Perubahan" sheet's rows under SHEET_COLUMNS."""
    rows: list[list[Any]] = []
    for kind, label in KINDS:
        for row in getattr(perubahan, kind):
            old = (row.get("skor_lama"), _decision(row.get("keputusan_lama")))
            if kind != "berubah":
                old = (None, "")
            note = ""
            if kind == "berubah" and row.get("koreksi"):
                note = f"koreksi diterima: {row['koreksi']}"
            rows.append(
                [
                    label,
                    row["nip"],
                    row["nama"],
                    _stage(row["tahap"]),
                    row["tanggal"],
                    old[0],
                    old[1],
                    row["skor"],
                    _decision(row["keputusan"]),
                    row["sumber"],
                    note,
                ]
            )
    return rows


def write_changes_sheet(book: Any, header: Any, perubahan: Perubahan) -> None:
    sheet = book.add_worksheet(SHEET)
    for column, (_, width) in enumerate(SHEET_COLUMNS):
        sheet.set_column(column, column, width)
    sheet.write_string(0, 0, headline(perubahan))
    sheet.write_row(2, 0, [title for title, _ in SHEET_COLUMNS], header)
    rows = sheet_rows(perubahan)
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(number, column, value)
            elif value:
                sheet.write_string(number, column, str(value))
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(len(rows), 1) + 2, len(SHEET_COLUMNS) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def audit_lines(perubahan: Perubahan) -> list[tuple[str, str]]:
    """What the Audit sheet says of the arsip: where, which run, and the chain's hash."""
    lines = [
        ("Arsip", perubahan.arsip),
        ("Laporan arsip", f"#{perubahan.laporan}"),
        ("Hash rantai arsip (terbaru)", perubahan.rantai),
    ]
    if perubahan.banding is not None:
        lines.append(("Dibandingkan dengan", f"laporan #{perubahan.banding}"))
    return lines


def changes_view(perubahan: Perubahan, limit: int = 20) -> dict[str, Any]:
    """The HTML section: the headline, the first rows of each kind, the hash."""
    rows = [
        {"jenis": label, "nip": row["nip"], "nama": row["nama"], "teks": describe(kind, row)}
        for kind, label in KINDS
        for row in getattr(perubahan, kind)
    ]
    return {
        "headline": headline(perubahan),
        "counts": {kind: len(getattr(perubahan, kind)) for kind, _ in KINDS},
        "rows": rows[:limit],
        "hidden": max(0, len(rows) - limit),
        "laporan": perubahan.laporan,
        "hash": perubahan.rantai,
        "arsip": perubahan.arsip,
    }
