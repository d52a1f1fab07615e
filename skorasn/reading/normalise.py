"""Column-wise normalisation of raw cells (NIP, score, date, text), vectorised with pandas.

Each function takes the raw cells of one column as an object Series and returns the clean
values plus a Series of problem codes (None where the cell is fine), so that the caller can
write one message per bad cell without a Python loop over the good ones.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

NIP_LENGTH = 18
_NIP_SEPARATORS = r"[\s.\-\u00a0\u200b\u202f]"
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
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
_BLANKS = " \u00a0\u200b\t\r\n"


def cell_kinds(raw: pd.Series) -> pd.Series:
    """'num', 'text', 'blank', 'bool' or 'date' for each cell.

    The two common types are tested inline and the rest looked up by exact type: this runs
    once per cell of every column, and a function call per cell doubled the reading time.
    """
    by_type = _KIND_BY_TYPE.get
    kinds = [
        ("text" if v.strip(_BLANKS) else "blank")
        if type(v) is str
        else ("num" if v == v else "blank")
        if type(v) is float
        else by_type(type(v)) or _kind(v)
        for v in raw.tolist()
    ]
    return pd.Series(kinds, index=raw.index, dtype=object)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "blank" if value != value else "num"  # NaN never comes from calamine, but from CSV
    if isinstance(value, str):
        return "text" if value.strip(" \u00a0\u200b\t\r\n") else "blank"
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return "date"
    return "blank" if value is None else "text"


def as_text(raw: pd.Series, kinds: pd.Series) -> pd.Series:
    """Text cells as stripped strings; numbers as their shortest decimal; others None."""
    text = raw.where(kinds == "text").astype(object)
    text = text.where(text.isna(), text.astype(str).str.strip(" \u00a0\u200b\t\r\n"))
    numbers = raw.where(kinds == "num")
    if numbers.notna().any():
        text = text.where(numbers.isna(), numbers.map(_number_text, na_action="ignore"))
    return text.where(text.notna(), None)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def strip_control(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Remove control characters; the mask says where something was removed."""
    present = text.notna()
    if not present.any():
        return text, pd.Series(False, index=text.index)
    strings = text[present].astype(str)
    has_control = strings.str.contains(_CONTROL, regex=True)
    if not has_control.any():
        return text, pd.Series(False, index=text.index)
    cleaned = text.copy()
    cleaned[present] = strings.str.replace(_CONTROL, "", regex=True)
    mask = pd.Series(False, index=text.index)
    mask[present] = has_control
    return cleaned, mask


def normalise_nip(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """NIP as 18-digit text; codes: kosong, angka, angka16, ilmiah, format."""
    kinds = cell_kinds(raw)
    code = _nothing(raw.index)
    code[kinds == "blank"] = "kosong"
    numbers = kinds == "num"
    if numbers.any():
        digits = raw[numbers].map(lambda v: len(str(int(abs(v)))))
        code[numbers] = np.where(digits >= 16, "angka16", "angka")
    code[kinds.isin(["bool", "date"])] = "format"

    text = raw.where(kinds == "text").astype(object)
    strings = text.dropna().astype(str).str.strip()
    strings = strings.str.replace(r"^['\u2018\u2019`]", "", regex=True)
    cleaned = strings.str.replace(_NIP_SEPARATORS, "", regex=True)
    scientific = strings.str.fullmatch(_SCIENTIFIC.pattern)
    valid = cleaned.str.fullmatch(rf"\d{{{NIP_LENGTH}}}")
    code[scientific[scientific].index] = "ilmiah"
    code[valid[~valid & ~scientific].index] = "format"

    nip = _nothing(raw.index)
    nip[valid[valid].index] = cleaned[valid]
    return nip, code


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


def normalise_score(raw: pd.Series, error_rows: dict[int, str]) -> tuple[pd.Series, pd.Series]:
    """Scores as floats (NaN = blank); codes: teks, rentang, jenis, galat_sel.

    `error_rows` maps a row label to the Excel error its cell holds, since the readers
    return such cells as empty.
    """
    kinds = cell_kinds(raw)
    value = pd.Series(np.nan, index=raw.index, dtype=float)
    code = _nothing(raw.index)

    numbers = kinds == "num"
    value[numbers] = raw[numbers].astype(float)

    text = raw[kinds == "text"].astype(str).str.strip(" \u00a0\u200b\t\r\n")
    decimal = text.str.replace(",", ".", regex=False)
    parsable = decimal.str.fullmatch(r"\d+(\.\d+)?")
    value[parsable[parsable].index] = decimal[parsable].astype(float)
    code[parsable[~parsable].index] = "teks"
    excel_errors = text[text.str.upper().isin(EXCEL_ERRORS)]
    code[excel_errors.index] = "galat_sel:" + excel_errors.str.upper()
    code[kinds.isin(["bool", "date"])] = "jenis"

    out_of_range = value.notna() & ((value < 0) | (value > 10))
    code[out_of_range] = "rentang"
    value[out_of_range] = np.nan
    value[code.notna()] = np.nan
    for row, error in error_rows.items():
        if row in code.index:
            code[row] = "galat_sel:" + error
    return value, code


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


def normalise_date(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from Excel date cells or text (07/11/2025, 2025-11-07, 7 November 2025).

    Returns datetime64 values (NaT = none) and a mask of non-empty cells that are not dates.
    Numbers are refused: a serial like 45968 is ambiguous once it has lost its date format.
    """
    kinds = cell_kinds(raw)
    value = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    dates = kinds == "date"
    if dates.any():
        value[dates] = pd.to_datetime(raw[dates].map(_as_datetime), errors="coerce")
    text = raw[kinds == "text"].astype(str).str.strip()
    if not text.empty:
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        for fmt in _DATE_FORMATS:
            missing = parsed.isna()
            if not missing.any():
                break
            parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        missing = parsed.isna()
        if missing.any():
            parsed[missing] = pd.to_datetime(text[missing].map(_indonesian_date), errors="coerce")
        value[text.index] = parsed
    invalid = (kinds != "blank") & value.isna()
    return value, invalid


def _as_datetime(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def _indonesian_date(text: str) -> object:
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    try:
        return dt.datetime(
            int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
        )
    except ValueError:
        return None
