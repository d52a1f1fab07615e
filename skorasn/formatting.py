"""Numbers and cell names as Indonesians read them, for every message and report."""

from __future__ import annotations

# How much of a cell a message quotes (a 32,767-character cell must not make a 33 KB line).
SHOWN_LIMIT = 80


def decimal_comma(value: float) -> str:
    """8.5 → '8,5', 9.0 → '9': shortest form, decimal comma."""
    return f"{value:g}".replace(".", ",")


def shown_value(value: object) -> str:
    """A setting's value as Indonesians read it: 8,5; ya/tidak; lists joined by commas."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)  # 20000000, as it is typed in skorasn.toml, never 2e+07
    if isinstance(value, float):
        return decimal_comma(value)
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def thousands(count: int) -> str:
    """200000 → '200.000': counts as Indonesians write them."""
    return f"{count:,}".replace(",", ".")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def shown(value: object, limit: int | None = SHOWN_LIMIT) -> str:
    """Cell text as a message may quote it: every character that is not printable (controls,
    zero-width and bidirectional marks, odd spaces) written as an escape such as \\x1b or
    \\u200b, so that a cell can neither clear nor reorder a terminal, and the whole cut to
    `limit` characters with an ellipsis. None: escape only (file paths)."""
    text = value if isinstance(value, str) else str(value)
    head = text if limit is None else text[: limit + 1]
    printable = head.isprintable()
    if printable and (limit is None or len(text) <= limit):
        return text  # the usual case, at the cost of one scan
    pieces = list(head) if printable else [c if c.isprintable() else _escape(c) for c in head]
    if limit is None or (len(text) <= limit and sum(map(len, pieces)) <= limit):
        return "".join(pieces)
    kept: list[str] = []
    length = 0
    for piece in pieces:  # whole escapes only: never a dangling "\\x1"
        if length + len(piece) > limit - 1:
            break
        kept.append(piece)
        length += len(piece)
    return "".join(kept) + "…"


def _escape(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def file_label(path: object) -> str:
    """A path as messages and reports name it. A name whose bytes are not UTF-8 (possible on
    Linux) arrives with surrogates, which no report can be written with: those bytes are
    shown as \\xNN escapes instead, so the file is still read and still recognisable."""
    text = str(path)
    if not any("\ud800" <= character <= "\udfff" for character in text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate not made from a byte (a Windows name)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
