"""A defused expat for the XML the pre-check parses for real: small parts, single cells, and
sheets whose markup is too unusual for the fast scan.

Names are matched by their local part whatever the prefix (`<x:c>` is a cell), exactly as
calamine matches them, so a prefix cannot hide anything from the check. A DOCTYPE or entity
declaration is refused, so no entity can expand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from skorasn.errors import RejectedFile
from skorasn.reading.refusals import ENTITIES, RESAVE

UNCACHED_FORMULA = "RUMUS"


class Stop(Exception):
    """Raised by a handler that has seen all it needs."""


def _refuse(*_: object) -> int:
    raise RejectedFile(ENTITIES)


def new_parser() -> Any:
    """A non-namespace expat parser (names keep their prefix) that refuses DTDs and entities."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def unusual_markup(data: bytes) -> bool:
    """Comments, CDATA, a DOCTYPE or processing instructions past the XML declaration: markup
    whose content a byte search would take for elements, so a parser must read it."""
    declaration = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    start = data.find(b"?>") + 2 if declaration else 0
    return b"<!" in data or b"<?" in data[start:]


def local(name: str) -> str:
    return name.rpartition(":")[2]


def attribute(attrs: dict[str, str], name: str) -> str | None:
    """An attribute by local name, with or without a prefix."""
    if name in attrs:
        return attrs[name]
    return next((v for k, v in attrs.items() if local(k) == name), None)


def feed(parser: Any, chunks: Iterable[bytes], part: str) -> None:
    try:
        for chunk in chunks:
            parse(parser, chunk, False, part)
        parse(parser, b"", True, part)
    except Stop:
        return


def parse(parser: Any, data: bytes, final: bool, part: str) -> None:
    """Feed one chunk; XML that is not well-formed is a damaged file."""
    try:
        parser.Parse(data, final)
    except expat.ExpatError as exc:
        raise RejectedFile(
            f"bagian '{part}' bukan XML yang sah ({expat.ErrorString(exc.code)}, baris "
            f"{exc.lineno}); berkas rusak — {RESAVE}"
        ) from None


def elements(data: bytes, part: str, wanted: set[str]) -> list[tuple[str, dict[str, str]]]:
    """(local name, attributes) of every element of a small part whose local name is wanted."""
    found: list[tuple[str, dict[str, str]]] = []
    parser = new_parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) in wanted:
            found.append((local(name), attrs))

    parser.StartElementHandler = start
    feed(parser, [data], part)
    return found


# --- single cells -------------------------------------------------------------------------------


@dataclass
class Cell:
    """A `<c>` element as calamine reads it: `value` is the text of `<v>` (None if absent)."""

    ref: str | None = None
    type: str | None = None
    formula: bool = False
    value: str | None = None
    inline: bool = False

    def error(self) -> str | None:
        """The Excel error it holds ('#N/A'), UNCACHED_FORMULA for a formula whose result was
        never saved (the reader would hand on a blank that passes for "not yet scored"), or
        None. A formula whose saved result is the empty string (t="str") is not an error."""
        if self.type == "e" and self.value is not None:
            return self.value.strip() or "#ERROR"
        if not self.formula or self.inline:
            return None
        if self.value is None or (not self.value.strip() and self.type != "str"):
            return UNCACHED_FORMULA
        return None


class CellBuilder:
    """Expat handlers that fill a Cell; shared by the fragment parser and the sheet parser."""

    def __init__(self) -> None:
        self.cell = Cell()
        self._text: list[str] | None = None

    def start(self, kind: str, attrs: dict[str, str]) -> None:
        if kind == "c":
            self.cell = Cell(ref=attrs.get("r"), type=attrs.get("t"))
        elif kind == "f":
            self.cell.formula = True
        elif kind == "v":
            self._text = []
        elif kind == "is":
            self.cell.inline = True

    def text(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def end(self, kind: str) -> None:
        if kind == "v" and self._text is not None:
            self.cell.value = "".join(self._text)
            self._text = None


def parse_cell(fragment: bytes) -> Cell | None:
    """One `<c>…</c>` cut out of a sheet; None if the cut is not a well-formed cell."""
    builder = CellBuilder()
    parser = new_parser()
    parser.StartElementHandler = _by_local(builder.start)
    parser.EndElementHandler = _by_local(builder.end)
    parser.CharacterDataHandler = builder.text
    try:
        parser.Parse(fragment, True)
    except expat.ExpatError:
        return None
    return builder.cell


def _by_local(handler: Callable[..., None]) -> Callable[..., None]:
    def call(name: str, *args: Any) -> None:
        handler(local(name), *args)

    return call
