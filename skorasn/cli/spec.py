"""Typer commands built from perintah.toml: each option written once, every word in one file.

A command is a plain function taking keyword arguments; `command` gives it the signature the
file describes (names, types, defaults, help), which is what Typer reads to build the parser.
"""

from __future__ import annotations

import inspect
import tomllib
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])
REQUIRED = inspect.Parameter.empty


class Format(StrEnum):
    teks = "teks"
    json = "json"


class Combine(StrEnum):
    rata_rata = "rata-rata"
    median = "median"
    minimum = "minimum"


# jenis → (the value's type, its default, what else Typer must know)
KINDS: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "jalur*": (list[Path], REQUIRED, {}),
    "jalur": (Path, REQUIRED, {}),
    "jalur?": (Path | None, None, {}),
    "teks": (str, REQUIRED, {}),
    "teks?": (str | None, None, {}),
    "teks*": (list[str] | None, None, {}),
    "bendera": (bool, False, {}),
    "detik": (float, 0, {"min": 0}),
    "nomor?": (int | None, None, {"min": 1}),
    "format": (Format, Format.teks, {"show_default": True}),
    "format?": (Format | None, None, {}),
    "gabung?": (Combine | None, None, {}),
    "pemisah": (str, ",", {"show_default": True}),
}


@cache
def words() -> dict[str, Any]:
    """perintah.toml, read once."""
    text = files("skorasn.cli").joinpath("perintah.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def parameter(key: str) -> inspect.Parameter:
    """The parameter an option of perintah.toml stands for, with its Typer annotation."""
    spec = words()["opsi"][key]
    kind, default, extra = KINDS[spec["jenis"]]
    shown = {"help": spec["bantuan"], "metavar": spec.get("metavar"), "show_default": False}
    if spec.get("argumen"):
        info = typer.Argument(**shown)
    else:
        names = spec.get("nama", ["--" + key.replace("_", "-")])
        info = typer.Option(*names, **{**shown, **extra})
    return inspect.Parameter(
        spec.get("parameter", key),
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, info],
    )


def command(app: typer.Typer, name: str) -> Callable[[F], F]:
    """Register the function as command `name` ("arsip laporan": `laporan` on the arsip
    group), with the options and help perintah.toml gives it."""
    spec = words()["perintah"][name]

    def register(function: F) -> F:
        parameters = [parameter(key) for key in spec["opsi"]]
        function.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        function.__annotations__ = {p.name: p.annotation for p in parameters}
        app.command(name=name.split()[-1], help=spec["bantuan"], short_help=spec["ringkas"])(
            function
        )
        return function

    return register


def group(name: str) -> typer.Typer:
    """A group of commands (`skorasn arsip …`) as perintah.toml describes it."""
    spec = words()["kelompok"][name]
    return typer.Typer(
        name=name,
        help=spec["bantuan"],
        short_help=spec["ringkas"],
        no_args_is_help=True,
        rich_markup_mode=None,
        options_metavar="[OPSI]",
        subcommand_metavar="PERINTAH [ARGUMEN]...",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
