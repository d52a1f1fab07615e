"""What the arsip hands between layers: accepted corrections, options, the changes since an
earlier run, and the participants after its checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skorasn.models.problems import Masalah
from skorasn.models.tables import FileInfo, Perubahan

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Koreksi:
    """A change to a reported result that the user accepts (--terima-koreksi), with why."""

    nip: str
    tahap: str
    alasan: str


@dataclass(frozen=True)
class ArsipOptions:
    """The register a `tier` run checks against and is recorded in."""

    path: Path
    koreksi: tuple[Koreksi, ...] = ()
    banding: int | None = None  # compare with this run instead of the last one
    wait: float = 300  # seconds to wait for another run holding the register


@dataclass
class Audited:
    """The participants after the register's checks, and what the checks found."""

    peserta: pd.DataFrame
    problems: list[Masalah]
    perubahan: Perubahan


# Called by build_report between the rules and the selection.
Audit = Callable[["pd.DataFrame", list[FileInfo]], Audited]
