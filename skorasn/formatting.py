"""Numbers and cell names as Indonesians read them, for every message and report."""

from __future__ import annotations


def decimal_comma(value: float) -> str:
    """8.5 → '8,5', 9.0 → '9': shortest form, decimal comma."""
    return f"{value:g}".replace(".", ",")


def shown_value(value: object) -> str:
    """A setting's value as Indonesians read it: 8,5; ya/tidak; lists joined by commas."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
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
