"""The data that passes between layers: problems, rules, inputs, selections and the report.

Also the schema of the frame that reading hands to the rules, declared once here so that the
reader, the rules and the tests agree on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skorasn import __version__
from skorasn.formatting import shown, shown_value
from skorasn.vocabulary import GALAT, PERINGATAN, Level

if TYPE_CHECKING:
    import pandas as pd


# --- problems ----------------------------------------------------------------------------

MASALAH_FIELDS = ("berkas", "lembar", "baris", "kolom", "nip", "tingkat", "pesan")


@dataclass(frozen=True)
class Masalah:
    """One problem found in the input, located as precisely as the input allows."""

    berkas: str
    lembar: str | None
    baris: int | None
    kolom: str | None
    tingkat: Level
    pesan: str
    nip: str | None = None

    def __post_init__(self) -> None:
        # A missing NIP can arrive from a DataFrame as NaN; the contract says null.
        if not isinstance(self.nip, str):
            object.__setattr__(self, "nip", None)

    @property
    def lokasi(self) -> str:
        """Where to look, as a user would type it: `skor.xlsx:Dasar!G12`. A file or sheet name
        is shown escaped, as cell text is: names can hold control characters too."""
        place = shown(self.berkas, None)
        cell = f"{self.kolom or ''}{self.baris or ''}"
        if self.lembar is not None:
            place += f":{shown(self.lembar, None)}"
            if cell:
                place += f"!{cell}"
        elif cell:
            place += f":{cell}"
        return place

    def as_json(self) -> dict[str, object]:
        return {
            "berkas": self.berkas,
            "lembar": self.lembar,
            "baris": self.baris,
            "kolom": self.kolom,
            "nip": self.nip,
            "tingkat": self.tingkat,
            "pesan": self.pesan,
        }


def sort_key(problem: Masalah) -> tuple:
    """Stable order: by place in the input, then level and text."""
    return (
        problem.berkas,
        problem.lembar or "",
        problem.baris or 0,
        len(problem.kolom or ""),
        problem.kolom or "",
        problem.tingkat,
        problem.pesan,
    )


def count_levels(problems: list[Masalah]) -> dict[str, int]:
    return {
        GALAT: sum(1 for p in problems if p.tingkat == GALAT),
        PERINGATAN: sum(1 for p in problems if p.tingkat == PERINGATAN),
    }


# --- rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    """Bounds checked on a workbook's zip directory before any parser opens it."""

    max_file_mb: float = 512
    max_members: int = 10_000
    # An honest workbook of a million rows unpacks to about 430 MB; a bomb kept under the
    # ratio cap (8 MB to 1 GB) does not fit.
    max_member_mb: float = 768
    max_total_mb: float = 768
    max_ratio: float = 200
    # Cells of one sheet, from column A over its filled rows: what the reader may allocate.
    max_cells: int = 20_000_000

    # The TOML keys under [batas_berkas], in Indonesian like everything a user types.
    KEYS = {
        "ukuran_berkas_maks_mb": "max_file_mb",
        "anggota_maks": "max_members",
        "ukuran_anggota_maks_mb": "max_member_mb",
        "total_maks_mb": "max_total_mb",
        "rasio_maks": "max_ratio",
        "sel_maks": "max_cells",
    }


def plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


@dataclass(frozen=True)
class Letterhead:
    """[laporan] in skorasn.toml: who issues the mayor's report and who signs it."""

    instansi: str = ""
    judul: str = ""
    kota: str = ""
    penandatangan: str = ""
    jabatan: str = ""
    nip: str = ""

    KEYS = ("instansi", "judul", "kota", "penandatangan", "jabatan", "nip")

    @property
    def given(self) -> bool:
        return any(getattr(self, key) for key in self.KEYS)


@dataclass(frozen=True)
class RulesFile:
    """The skorasn.toml a run used, so a report can prove which rules were in force."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Rules:
    """Everything that decides a keputusan or what counts as a readable sheet."""

    lanjut_min: float = 9
    berhenti_maks: float = 5
    gabung: str = "rata-rata"
    selisih_pelatih: float = 3
    pelatih_lengkap: bool = True
    column_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stage_spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    laporan: Letterhead = field(default_factory=Letterhead)
    # Where each value came from ("berkas" or "flag"); absent means the default.
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    file: RulesFile | None = field(default=None, compare=False)

    def values(self) -> dict[str, Any]:
        """Every rule and limit by its key, as a user writes it in skorasn.toml."""
        values: dict[str, Any] = {
            "lanjut_min": plain_number(self.lanjut_min),
            "berhenti_maks": plain_number(self.berhenti_maks),
            "gabung": self.gabung,
            "selisih_pelatih": plain_number(self.selisih_pelatih),
            "pelatih_lengkap": self.pelatih_lengkap,
        }
        for key, attribute in ZipLimits.KEYS.items():
            values[f"batas_berkas.{key}"] = plain_number(getattr(self.zip_limits, attribute))
        for column, names in sorted(self.column_aliases.items()):
            values[f"alias_kolom.{column}"] = list(names)
        for stage, names in sorted(self.stage_spellings.items()):
            values[f"ejaan_tahap.{stage}"] = list(names)
        return values

    def source_of(self, key: str) -> str:
        """'bawaan', the rules file's path, or 'flag'."""
        source = self.sources.get(key, "bawaan")
        if source == "berkas" and self.file is not None:
            return self.file.path
        return source

    def changed(self) -> list[str]:
        """The keys whose value is not the default."""
        defaults = Rules().values()
        return [key for key, value in self.values().items() if defaults.get(key) != value]

    def rows(self, file_label: str | None = None) -> list[tuple[str, str, str]]:
        """(key, value as a user reads it, source) for `skorasn aturan` and the Audit sheet;
        `file_label` stands for the rules file's path where that path is named already."""
        settings = [(key, shown_value(value)) for key, value in self.values().items()]
        settings += [
            (f"laporan.{key}", getattr(self.laporan, key))
            for key in Letterhead.KEYS
            if getattr(self.laporan, key)
        ]
        rows = []
        for key, value in settings:
            source = self.source_of(key)
            if file_label and self.file is not None and source == self.file.path:
                source = file_label
            rows.append((key, value, source))
        return rows

    def as_report(self) -> dict[str, Any]:
        """The `aturan` object written into every report: values, sources, the file used."""
        values = self.values()
        report: dict[str, Any] = {key: value for key, value in values.items() if "." not in key}
        report["batas_berkas"] = {key: values[f"batas_berkas.{key}"] for key in ZipLimits.KEYS}
        report["alias_kolom"] = {c: list(n) for c, n in sorted(self.column_aliases.items())}
        report["ejaan_tahap"] = {s: list(n) for s, n in sorted(self.stage_spellings.items())}
        report["sumber"] = {key: self.source_of(key) for key in values}
        report["berkas_aturan"] = (
            None if self.file is None else {"jalur": self.file.path, "sha256": self.file.sha256}
        )
        return report


# --- inputs ------------------------------------------------------------------------------


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
    "sumber",
    "riwayat",
    "alasan",
)
# The CSV export's columns: every participant field but the history. Its header also tells
# the reader that a file is a skorasn report, never to be read as input.
REPORT_CSV_COLUMNS = tuple(c for c in PESERTA_COLUMNS if c != "riwayat")


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
