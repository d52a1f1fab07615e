"""Numbers and cell names as Indonesians read them, for every message and report."""

from __future__ import annotations


def decimal_comma(value: float) -> str:
    """8.5 → '8,5', 9.0 → '9': shortest form, decimal comma."""
    return f"{value:g}".replace(".", ",")


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
