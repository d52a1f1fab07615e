"""Column-wise normalisation of raw cells (NIP, score, date, text), vectorised with pandas.

Each function takes the raw cells of one column as an object Series and returns the clean
values plus a Series of problem codes (None where the cell is fine), so that the caller can
write one message per bad cell without a Python loop over the good ones.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import NamedTuple

import numpy as np
import pandas as pd

from skorasn.vocabulary import EXCEL_CELL_TEXT, INVISIBLE, NIP_LEGIBLE_DIGITS, SPACES

NIP_LENGTH = 18
_NIP_SEPARATORS = r"[\s.\-]"
# Digits are ASCII here on purpose: `\d` (and str.isdigit) also take ١ and １, which are turned
# into ASCII, with a peringatan, before any of these patterns is tried.
_SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$")
# "19800101200501115.0": a NIP that was a float before it became text, its last digits lost.
_DECIMAL_NUMBER = r"[0-9]+[.,][0-9]+"
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Controls (not tab or line breaks) and invisible characters: removed, with a peringatan.
_UNSEEN = re.compile(f"[{_CONTROL}{INVISIBLE}]")
# A cell with anything but printable ASCII: the rare one that needs the per-cell Unicode care.
_NOT_PLAIN = r"[^ -~]"
# Error values as Excel shows them; a CSV export writes them as plain text.
EXCEL_ERRORS = (
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)


def _nothing(index: pd.Index) -> pd.Series:
    """An object Series of None (pd.Series(None, dtype=object) would hold NaN)."""
    return pd.Series([None] * len(index), index=index, dtype=object)


_KIND_BY_TYPE = {
    bool: "bool",
    int: "num",
    str: "text",
    type(None): "blank",
    dt.date: "date",
    dt.datetime: "date",
    dt.time: "date",
    dt.timedelta: "date",
}
# Stripped from both ends of a cell without a word, as a space would be.
_SPACE = " \t\r\n" + SPACES
# A cell of only these shows nothing, and is blank. Inside or around text, a control or
# invisible character is removed with a peringatan instead (strip_control, plain).
_BLANKS = _SPACE + INVISIBLE + "".join(map(chr, (*range(0x20), *range(0x7F, 0xA0))))


class Normalised(NamedTuple):
    """A column read: the clean values, a galat code per cell, and a peringatan code per cell
    (None where there is nothing to say)."""

    value: pd.Series
    code: pd.Series
    note: pd.Series


def cell_kinds(raw: pd.Series) -> pd.Series:
    """'num', 'text', 'blank', 'bool' or 'date' for each cell.

    The two common types are tested inline and the rest looked up by exact type: this runs
    once per cell of every column, and a function call per cell doubled the reading time.
    """
    by_type = _KIND_BY_TYPE.get
    kinds = [
        ("text" if v.strip(_BLANKS) else "blank")
        if type(v) is str
        else "num"
        if type(v) is float
        else by_type(type(v)) or _kind(v)
        for v in raw.tolist()
    ]
    return pd.Series(kinds, index=raw.index, dtype=object)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "num"  # NaN too: calamine gives it for a cell holding "nan", which is not empty
    if isinstance(value, str):
        return "text" if value.strip(_BLANKS) else "blank"
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return "date"
    return "blank" if value is None else "text"


def as_text(raw: pd.Series, kinds: pd.Series) -> pd.Series:
    """Text cells as stripped strings; numbers as their shortest decimal; others None.

    One pass in Python on purpose: str.strip hands back the very object when there is
    nothing to strip, so a clean column of a million names costs no new strings."""
    texts = [
        (v if type(v) is str else str(v)).strip(_SPACE)
        if k == "text"
        else _number_text(v)
        if k == "num" and v == v
        else None
        for v, k in zip(raw.tolist(), kinds.tolist(), strict=True)
    ]
    return pd.Series(texts, index=raw.index, dtype=object)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def strip_control(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Remove control and invisible characters (zero-width, bidi marks); the mask says where
    something was removed."""
    present = text.notna()
    if not present.any():
        return text, pd.Series(False, index=text.index)
    strings = text[present].astype(str)
    has_control = strings.str.contains(_UNSEEN.pattern, regex=True)
    if not has_control.any():
        return text, pd.Series(False, index=text.index)
    cleaned = text.copy()
    cleaned[present] = strings.str.replace(_UNSEEN.pattern, "", regex=True)
    mask = pd.Series(False, index=text.index)
    mask[present] = has_control
    return cleaned, mask


def legible_digits(cells: pd.Series) -> list[str | None]:
    """What can still be read of each refused NIP cell: its ASCII digits after NFKC (a number
    keeps only its first 15), when at least 15 of them are there; else None."""
    found: list[str | None] = []
    for value in cells:
        if isinstance(value, int | float) and not isinstance(value, bool):
            digits = (
                f"{value:.0f}"[:NIP_LEGIBLE_DIGITS] if math.isfinite(value) and value > 0 else ""
            )
        else:
            digits = "".join(
                c for c in unicodedata.normalize("NFKC", str(value)) if c.isascii() and c.isdigit()
            )
        found.append(digits if len(digits) >= NIP_LEGIBLE_DIGITS else None)
    return found


def utf16_lengths(text: pd.Series) -> pd.Series:
    """How long each text is in Excel's units (UTF-16: a character past U+FFFF counts two),
    counted exactly only where it could matter."""
    lengths = text.str.len().fillna(0).astype("int64")
    long = lengths[lengths > EXCEL_CELL_TEXT // 2].index
    if len(long):
        exact = [len(str(value).encode("utf-16-le")) // 2 for value in text[long]]
        lengths[long] = pd.Series(exact, index=long, dtype="int64")
    return lengths


def plain(text: str) -> tuple[str, str | None]:
    """`text` with controls and invisible characters removed, NFKC applied (full-width ９ is
    9), and the digits of any other script (Arabic-Indic ٩, Devanagari ९ …) as ASCII.

    The note says what changed: 'angka' (digits of another form), 'tak_terlihat' (something
    invisible removed), or both joined by '+'; None when nothing did.
    """
    other_digits = any(c.isdigit() and not c.isascii() for c in text)
    unseen = _UNSEEN.search(text) is not None
    cleaned = unicodedata.normalize("NFKC", _UNSEEN.sub("", text))
    if other_digits:
        cleaned = "".join(_ascii_digit(c) for c in cleaned)
    notes = [name for name, found in (("angka", other_digits), ("tak_terlihat", unseen)) if found]
    return cleaned, "+".join(notes) or None


def _ascii_digit(character: str) -> str:
    if character.isascii():
        return character
    digit = unicodedata.decimal(character, None)
    return character if digit is None else str(digit)


def _plain_column(strings: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`plain` on the cells that need it; cells of printable ASCII, nearly all, are left as
    they are without a Python call each."""
    note = _nothing(strings.index)
    odd = strings.str.contains(_NOT_PLAIN, regex=True)
    if not odd.any():
        return strings, note
    fixed = strings[odd].map(plain)
    strings = strings.copy()
    strings[odd] = fixed.str[0]
    note[odd] = fixed.str[1]
    return strings, note


def normalise_nip(raw: pd.Series) -> Normalised:
    """NIP as 18-digit ASCII text.

    Codes: kosong, angka, angka16, angka_rusak (inf, NaN), ilmiah, desimal, format. Notes, on
    valid NIPs only: angka (written in other digits), tak_terlihat (invisible characters
    removed), or both.
    """
    kinds = cell_kinds(raw)
    code = _nothing(raw.index)
    code[kinds == "blank"] = "kosong"
    numbers = kinds == "num"
    if numbers.any():
        values = raw[numbers].astype(float)
        finite = pd.Series(np.isfinite(values.to_numpy()), index=values.index)
        digits = values[finite].map(lambda v: len(str(int(abs(v)))))
        code[digits.index] = np.where(digits >= 16, "angka16", "angka")
        code[finite[~finite].index] = "angka_rusak"
    code[kinds.isin(["bool", "date"])] = "format"

    text = raw.where(kinds == "text").astype(object)
    strings, unicode_note = _plain_column(text.dropna().astype(str))
    strings = strings.str.strip()
    strings = strings.str.replace(r"^['\u2018\u2019`]", "", regex=True)
    cleaned = strings.str.replace(_NIP_SEPARATORS, "", regex=True)
    scientific = strings.str.fullmatch(_SCIENTIFIC.pattern)
    disguised = strings.str.fullmatch(_DECIMAL_NUMBER) & ~scientific
    valid = cleaned.str.fullmatch(f"[0-9]{{{NIP_LENGTH}}}") & ~scientific & ~disguised
    code[scientific[scientific].index] = "ilmiah"
    code[disguised[disguised].index] = "desimal"
    code[valid[~valid & ~scientific & ~disguised].index] = "format"

    nip = _nothing(raw.index)
    nip[valid[valid].index] = cleaned[valid]
    note = _nothing(raw.index)
    noted = unicode_note[valid & unicode_note.notna()]
    note[noted.index] = noted
    return Normalised(nip, code, note)


def nip_warnings(nip: pd.Series) -> pd.Series:
    """Codes for NIPs that are 18 digits yet implausible: 'lahir' or 'kelamin'."""
    code = _nothing(nip.index)
    present = nip.dropna().astype(str)
    if present.empty:
        return code
    births = pd.to_datetime(present.str[:8], format="%Y%m%d", errors="coerce")
    bad_birth = births.isna() | (births.dt.year < 1930)
    bad_gender = ~present.str[14].isin(["1", "2"])
    code[bad_gender[bad_gender].index] = "kelamin"
    code[bad_birth[bad_birth].index] = "lahir"
    return code


def normalise_score(raw: pd.Series, error_rows: dict[int, str]) -> Normalised:
    """Scores as floats (NaN = blank).

    Codes: teks, rentang, jenis, angka_rusak (inf, NaN), galat_sel:<error>. Notes, on valid
    scores only: angka, tak_terlihat, as for the NIP. `error_rows` maps a row label to the
    Excel error its cell holds, since the readers return such cells as empty.
    """
    kinds = cell_kinds(raw)
    value = pd.Series(np.nan, index=raw.index, dtype=float)
    code = _nothing(raw.index)

    numbers = kinds == "num"
    broken = pd.Series(False, index=raw.index)
    if numbers.any():
        written = raw[numbers].astype(float)
        value[numbers] = written
        broken[numbers] = ~np.isfinite(written.to_numpy())

    text = raw[kinds == "text"].astype(str).str.strip(_SPACE)
    text, unicode_note = _plain_column(text)
    decimal = text.str.strip().str.replace(",", ".", regex=False)
    parsable = decimal.str.fullmatch(r"[0-9]+(\.[0-9]+)?")
    value[parsable[parsable].index] = decimal[parsable].astype(float)
    code[parsable[~parsable].index] = "teks"
    excel_errors = text[text.str.upper().isin(EXCEL_ERRORS)]
    code[excel_errors.index] = "galat_sel:" + excel_errors.str.upper()
    code[kinds.isin(["bool", "date"])] = "jenis"

    out_of_range = value.notna() & ((value < 0) | (value > 10))
    code[out_of_range] = "rentang"
    code[broken] = "angka_rusak"
    value[code.notna()] = np.nan
    for row, error in error_rows.items():
        if row in code.index:
            code[row] = "galat_sel:" + error
    note = _nothing(raw.index)
    noted = unicode_note[unicode_note.notna()]
    noted = noted[code[noted.index].isna()]
    note[noted.index] = noted
    return Normalised(value, code, note)


_MONTHS = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "nopember": 11,
    "desember": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "des": 12,
    "dec": 12,
    "may": 5,
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%y")


def normalise_date(raw: pd.Series) -> Normalised:
    """Dates from Excel date cells or text (07/11/2025, 2025-11-07, 7 November 2025).

    Values are datetime64 (NaT = none). Codes: tidak_dikenali (not a date), di_luar_rentang (a
    date a datetime64[ns] cannot hold, before 1677 or after 2262: 07/11/3025 is a typo).
    Numbers are refused: a serial like 45968 is ambiguous once it has lost its date format;
    so is text in other digits, which is never read silently.
    """
    kinds = cell_kinds(raw)
    # Microseconds hold years 1–9999, so that a far date is found and named, not an overflow.
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    dates = kinds == "date"
    if dates.any():
        parsed[dates] = pd.to_datetime(raw[dates].map(_as_datetime), errors="coerce")
    text = raw[kinds == "text"].astype(str).str.strip()
    text = text[~text.str.contains(_NOT_PLAIN, regex=True)]
    if not text.empty:
        found = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
        for fmt in _DATE_FORMATS:
            missing = found.isna()
            if not missing.any():
                break
            found[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        missing = found.isna()
        if missing.any():
            found[missing] = pd.to_datetime(text[missing].map(_indonesian_date), errors="coerce")
        parsed[text.index] = found
    outside = parsed.notna() & ((parsed < pd.Timestamp.min) | (parsed > pd.Timestamp.max))
    code = _nothing(raw.index)
    code[(kinds != "blank") & parsed.isna()] = "tidak_dikenali"
    code[outside] = "di_luar_rentang"
    value = parsed.where(~outside).astype("datetime64[ns]")
    return Normalised(value, code, _nothing(raw.index))


def _as_datetime(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def _indonesian_date(text: str) -> object:
    match = re.fullmatch(r"([0-9]{1,2})\s+([A-Za-z]+)\.?\s+([0-9]{4})", text)
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    try:
        return dt.datetime(
            int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
        )
    except ValueError:
        return None
