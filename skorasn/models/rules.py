"""The rules in force, the limits on hostile files, the letterhead, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skorasn.formatting import shown_value


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
    # The register (`arsip = "…"` in skorasn.toml); --arsip on the command line wins.
    arsip: Path | None = None
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
        if self.arsip is not None:
            settings.append(("arsip", str(self.arsip)))
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
