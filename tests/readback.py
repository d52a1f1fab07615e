"""Reports read back by the tests: the XLSX Ringkasan as numbers, the HTML page as hooks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from skorasn.vocabulary import DECIDED_BY_SCORE as SCORED
from skorasn.vocabulary import DECISION_LABELS, DECISIONS


def rows(sheet: Worksheet) -> Iterator[tuple[Any, ...]]:
    yield from sheet.iter_rows(values_only=True)


# "Tahap dasar — 12 peserta", and "Tanpa tahap — 1 peserta" for rows whose stage is unknown.
STAGE_TITLE = re.compile(r"(?:Tahap (.+)|(Tanpa tahap)) — (\d+) peserta")


def read_summary(sheet: Worksheet) -> dict[str, dict[str, Any]]:
    """The Ringkasan blocks back as {stage label: {decision: n, 'jumlah': n, 'sebaran': {…},
    'sebaran_keputusan': {decision: {…}}, 'per_eselon': {…}, 'per_unit_kerja': {…}}}."""
    labels = {label: decision for decision, label in DECISION_LABELS.items()}
    found: dict[str, dict[str, Any]] = {}
    stage, part = None, None
    for row in rows(sheet):
        first = row[0]
        title = STAGE_TITLE.fullmatch(first) if isinstance(first, str) else None
        if title:
            stage, part = title.group(1) or title.group(2).lower(), None
            found[stage] = {
                "judul": int(title.group(3)),
                "sebaran": {},
                "sebaran_keputusan": {d: {} for d in SCORED},
                "per_eselon": {},
                "per_unit_kerja": {},
            }
        elif stage and isinstance(first, str) and _titled(first, stage):
            part = "per_eselon" if first.endswith("eselon") else "per_unit_kerja"
        elif stage and row[:2] == ("Keputusan", "Jumlah"):
            part = "keputusan"
        elif stage and row[:5] == ("Skor", "lanjut", "tahan", "berhenti", "Jumlah"):
            part = "sebaran"
        elif stage and part == "keputusan" and first in labels:
            found[stage][labels[first]] = row[1]
        elif stage and part == "keputusan" and first == "jumlah":
            found[stage]["jumlah"] = row[1]
        elif stage and part == "sebaran" and isinstance(first, str) and first.isdigit():
            found[stage]["sebaran"][first] = row[4]
            for column, decision in enumerate(SCORED, start=1):
                found[stage]["sebaran_keputusan"][decision][first] = row[column]
        elif (
            stage
            and part in ("per_eselon", "per_unit_kerja")
            and first not in (None, "Eselon", "Unit kerja", "jumlah")
        ):
            found[stage][part][first] = dict(zip((*DECISIONS, "jumlah"), row[1:7], strict=True))
    return found


def _titled(text: str, stage: str) -> bool:
    """The title of a stage's per-eselon or per-unit table."""
    opening = "Tanpa tahap per " if stage == "tanpa tahap" else f"Tahap {stage} per "
    return text.startswith(opening)


# --- a tiny collector over the stdlib parser -------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Hooked:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


class Page(HTMLParser):
    """Every tag with its attributes, the text of elements carrying data-* hooks, the CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.hooked: list[Hooked] = []
        self.style = ""
        self._open: list[tuple[int, Hooked]] = []
        self._depth = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        self._in_style = tag == "style"
        if tag in VOID:
            return
        self._depth += 1
        if any(name.startswith("data-") for name in found):
            self._open.append((self._depth, Hooked(tag, found)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        if tag in VOID:
            return
        if self._open and self._open[-1][0] == self._depth:
            self.hooked.append(self._open.pop()[1])
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        for _, element in self._open:
            element.text += data

    def find(self, **wanted: str) -> list[Hooked]:
        """Hooked elements whose attributes include these (data_tahap= for data-tahap)."""
        names = {key.replace("_", "-"): value for key, value in wanted.items()}
        return [
            h
            for h in self.hooked
            if all(
                name in h.attrs and (value == "" or h.attrs[name] == value)
                for name, value in names.items()
            )
        ]

    def numbers(self, **wanted: str) -> list[int]:
        """The plain integer of each hooked number (data-n), checked against its shown text,
        which uses thousands separators (200.000)."""
        found = []
        for hooked in self.find(**wanted):
            value = int(hooked.attrs["data-n"] or "")
            assert hooked.text.strip() == f"{value:,}".replace(",", "."), hooked
            found.append(value)
        return found


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page
