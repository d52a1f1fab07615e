"""Numbers as Indonesians write them, for every message and report."""


def decimal_comma(value: float) -> str:
    """8.5 → '8,5', 9.0 → '9': shortest form, decimal comma."""
    return f"{value:g}".replace(".", ",")
