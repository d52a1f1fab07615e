"""The command line: the Typer app and its commands."""

# isort: off
# Each module registers its commands on import, in the order `skorasn --help` lists them.
from skorasn.cli import tier  # noqa: F401
from skorasn.cli import commands  # noqa: F401
from skorasn.cli import arsip  # noqa: F401
from skorasn.cli.app import app, main

# isort: on

__all__ = ["app", "main"]
