"""A masalah: one problem found in the input, located as precisely as the input allows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["galat", "peringatan"]
GALAT: Level = "galat"
PERINGATAN: Level = "peringatan"


@dataclass(frozen=True)
class Masalah:
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
        """Where to look, as a user would type it: `skor.xlsx:Dasar!G12`."""
        place = self.berkas
        cell = f"{self.kolom or ''}{self.baris or ''}"
        if self.lembar is not None:
            place += f":{self.lembar}"
            if cell:
                place += f"!{cell}"
        elif cell:
            place += f":{cell}"
        return place

    def as_json(self) -> dict[str, object]:
        record = asdict(self)
        return {key: record[key] for key in
                ("berkas", "lembar", "baris", "kolom", "nip", "tingkat", "pesan")}


def sort_key(problem: Masalah) -> tuple:
    """Stable order: by place in the input, then level and text."""
    return (problem.berkas, problem.lembar or "", problem.baris or 0,
            len(problem.kolom or ""), problem.kolom or "", problem.tingkat, problem.pesan)


def count_levels(problems: list[Masalah]) -> dict[str, int]:
    return {
        GALAT: sum(1 for p in problems if p.tingkat == GALAT),
        PERINGATAN: sum(1 for p in problems if p.tingkat == PERINGATAN),
    }
