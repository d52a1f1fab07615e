"""The data of a run: the inputs, the reader-to-rules column schema, progress steps, the
selection and the report itself.

The schema of the frame that reading hands to the rules is declared once here, so that the
reader, the rules and the tests agree on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skorasn import __version__
from skorasn.models.problems import Masalah
from skorasn.models.rules import Rules
from skorasn.vocabulary import GALAT

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class FileInfo:
    """What the Audit sheet says of one input: enough to prove which file a report came from."""

    berkas: str
    path: Path
    size: int = 0
    sha256: str = ""
    sheets: list[str] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True)
class ReadColumn:
    """One column of the frame reading hands to the rules."""

    default: Any
    meaning: str


# The reader → rules schema. Trainers' scores follow as pelatih_1, pelatih_2, … (floats).
TRAINER_PREFIX = "pelatih_"
READ_COLUMNS: dict[str, ReadColumn] = {
    "berkas": ReadColumn("skor.xlsx", "the input file as the user named it"),
    "lembar": ReadColumn("Dasar", "sheet name; None for CSV"),
    "baris": ReadColumn(2, "1-based row number in the sheet"),
    "sumber": ReadColumn(None, "berkas:lembar!baris, or berkas:baris for CSV"),
    "nip": ReadColumn(None, "18-digit text, or None when missing or untrustworthy"),
    "kolom_nip": ReadColumn("B", "letter of the NIP column, or None"),
    "nip_jejak": ReadColumn(
        None,
        "the digits still legible in a NIP refused as untrustworthy (15 of a NIP "
        "stored as a number), to find the same person elsewhere; None otherwise",
    ),
    "cacat": ReadColumn(False, "the row has a galat that prevents a decision"),
    "nama": ReadColumn("Peserta", "text or None"),
    "eselon": ReadColumn(None, "normalised I.a … IV.b, the text as written, or None"),
    "unit_kerja": ReadColumn(None, "text or None"),
    "jabatan": ReadColumn(None, "text or None"),
    "skor_akhir": ReadColumn(float("nan"), "the final-score cell as a float, NaN when blank"),
    "kolom_skor": ReadColumn("E", "letter of the final-score column, or None"),
    "skor_cacat": ReadColumn(False, "a score cell of the row is unreadable"),
    "n_pelatih": ReadColumn(0, "number of trainer columns used on this sheet"),
    "kolom_pelatih": ReadColumn(None, "comma-separated letters of the trainer columns"),
    "tahap": ReadColumn("dasar", "canonical stage, or None when unknown"),
    "tanggal": ReadColumn(None, "datetime64 date of the assessment, NaT when none"),
    "tertulis": ReadColumn(None, "the decision written by hand, canonical, or None"),
    "tertulis_teks": ReadColumn(None, "the hand-written decision as typed"),
    "kolom_keterangan": ReadColumn(None, "letter of the Keterangan column, or None"),
}

# What the rules hand on to selection and reporting, besides the read columns.
PESERTA_COLUMNS = (
    "nip",
    "nama",
    "eselon",
    "unit_kerja",
    "jabatan",
    "tahap",
    "tanggal",
    "skor",
    "skor_pelatih",
    "keputusan",
    "alasan",
    "sumber",
    "riwayat",
)
# The CSV export's columns: every participant field but the history, the reasons last (they
# are long). Its header also tells the reader that a file is a skorasn report, never to be
# read as input.
REPORT_CSV_COLUMNS = (
    *(c for c in PESERTA_COLUMNS if c not in ("riwayat", "alasan")),
    "alasan",
)


@dataclass(frozen=True)
class Step:
    """Where a long run is, for a progress display: reading a sheet or writing a report."""

    action: str  # "membaca" or "menulis"
    place: str  # the file, with its sheet when reading one
    rows: int  # rows read from the file, or written to the report, so far
    fraction: float | None = None  # of the whole reading or writing, when known


Progress = Callable[[Step], None]


@dataclass
class ReadResult:
    rows: pd.DataFrame
    problems: list[Masalah]
    files: list[FileInfo]


@dataclass
class Decided:
    peserta: pd.DataFrame
    problems: list[Masalah]


# --- what to show ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What to show; the audits always see every input."""

    tahap: tuple[str, ...] = ()
    eselon: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    sejak: dt.date | None = None
    sampai: dt.date | None = None

    @property
    def active(self) -> bool:
        return bool(self.tahap or self.eselon or self.unit or self.sejak or self.sampai)

    def as_json(self) -> dict[str, object]:
        """`saringan` in the JSON report: what was chosen, empty where nothing was."""
        return {
            "tahap": list(self.tahap),
            "eselon": list(self.eselon),
            "unit": list(self.unit),
            "sejak": self.sejak.isoformat() if self.sejak else None,
            "sampai": self.sampai.isoformat() if self.sampai else None,
        }


@dataclass
class Perubahan:
    """What changed since an earlier run in the register, as plain rows for every output.

    `banding` is the run compared against (None when the register held no run before);
    `laporan` and `rantai` are this run's number and chain hash, known before any output is
    written so that the reports can carry them.
    """

    arsip: str
    laporan: int
    banding: int | None = None
    banding_waktu: str | None = None
    baru: list[dict[str, Any]] = field(default_factory=list)
    berubah: list[dict[str, Any]] = field(default_factory=list)
    hilang: list[dict[str, Any]] = field(default_factory=list)
    koreksi: list[dict[str, Any]] = field(default_factory=list)
    tidak_dibaca: list[dict[str, Any]] = field(default_factory=list)
    rantai: str = ""

    def restricted(self, shown: set[tuple[str, str]], stages: tuple[str, ...]) -> Perubahan:
        """Only the rows of the (nip, tahap) pairs a filtered report shows."""

        def keep(row: dict[str, Any]) -> bool:
            return (row["nip"], row["tahap"]) in shown

        return replace(
            self,
            baru=[r for r in self.baru if keep(r)],
            berubah=[r for r in self.berubah if keep(r)],
            hilang=[r for r in self.hilang if not stages or r["tahap"] in stages],
        )


@dataclass
class Report:
    peserta: pd.DataFrame
    problems: list[Masalah]
    ringkasan: dict[str, object]
    rules: Rules
    files: list[FileInfo]
    selection: Selection = field(default_factory=Selection)
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    command: str = ""
    version: str = __version__
    hidden_problems: list[Masalah] = field(default_factory=list)
    perubahan: Perubahan | None = None

    @property
    def galat(self) -> int:
        """Galat in everything read, shown or not: a filter never turns a failing run green."""
        return sum(1 for p in (*self.problems, *self.hidden_problems) if p.tingkat == GALAT)


# --- the trainers' template ----------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """One pre-filled row of the template: what the trainer does not have to type."""

    nip: str | None
    nama: str | None
    eselon: str | None = None
    unit_kerja: str | None = None
    jabatan: str | None = None
