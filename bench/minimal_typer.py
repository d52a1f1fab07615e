"""The smallest useful Typer app: the yardstick for `skorasn --help` start-up time.

python bench/minimal_typer.py --help
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def tier(masukan: str, ringkas: bool = False) -> None:
    """Baca lembar nilai."""
    typer.echo(f"{masukan} {ringkas}")


@app.command()
def periksa(masukan: str) -> None:
    """Periksa berkas nilai."""
    typer.echo(masukan)


if __name__ == "__main__":
    app()
