"""A masalah: one problem found in the input, located as precisely as the input allows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from skorasn.formatting import shown
from skorasn.vocabulary import GALAT, PERINGATAN, Level

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


def _text(value: object) -> str | None:
    """A text field of a masalah as it came from a frame: NaN, NA and None mean none."""
    return value if isinstance(value, str) else None


def masalah_at(
    level: Level,
    berkas: Iterable[object],
    lembar: Iterable[object],
    baris: Iterable[object],
    kolom: Iterable[object],
    pesan: Iterable[str],
    nip: Iterable[object],
) -> list[Masalah]:
    """One masalah per participant row, built from whole columns at once."""
    return [
        Masalah(str(b), _text(sheet), int(row), _text(column), level, message, _text(number))
        for b, sheet, row, column, message, number in zip(
            berkas, lembar, baris, kolom, pesan, nip, strict=True
        )
    ]


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
