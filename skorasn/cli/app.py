"""The Typer app and what its commands share: consoles, error handling, common options.

The cli package is the only part of skorasn that prints or exits. Heavy modules (pandas, the
readers and writers) are imported inside the commands, so that `skorasn --help` starts as
fast as a bare Typer app.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shlex
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from skorasn import __version__
from skorasn.errors import SkorasnError, UsageError
from skorasn.vocabulary import EXIT_INTERNAL, EXIT_INTERRUPTED

if TYPE_CHECKING:
    from skorasn.models import Rules

app = typer.Typer(
    name="skorasn",
    help="Rekap nilai pelatihan AI ASN Pemkot Sukabumi: daftar tier per tahap (lanjut, tahan, "
    "berhenti), audit ketat, dan laporan untuk Wali Kota.\n\n"
    "Contoh: skorasn tier contoh_data/nilai_pelatihan_ai_2025.xlsx",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    options_metavar="[OPSI]",
    subcommand_metavar="PERINTAH [ARGUMEN]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(StrEnum):
    teks = "teks"
    json = "json"


class Combine(StrEnum):
    rata_rata = "rata-rata"
    median = "median"
    minimum = "minimum"


F = TypeVar("F", bound=Callable[..., Any])


def make_console(stderr: bool = False) -> Console:
    """No colour or box drawing when piped or when NO_COLOR is set."""
    # Messages on stderr are never wrapped: cron mails and log greps want one line each.
    return Console(
        stderr=stderr, highlight=False, soft_wrap=stderr, no_color="NO_COLOR" in os.environ or None
    )


def fancy(console: Console) -> bool:
    return console.is_terminal and "NO_COLOR" not in os.environ


def handle_errors(command: F) -> F:
    """Turn every failure into one Indonesian message and an exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except SkorasnError as exc:
            error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            error("dihentikan oleh pengguna")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # the last line of defence: no traceback reaches a user
            if os.environ.get("SKORASN_DEBUG"):
                raise
            error(
                f"galat internal ({type(exc).__name__}: {exc}); jalankan ulang dengan "
                "SKORASN_DEBUG=1 dan laporkan ke pengelola skorasn"
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def error(message: str) -> None:
    console = make_console(stderr=True)
    for line in message.splitlines() or [""]:
        console.print(f"skorasn: {line}", markup=False)


# --- shared options -----------------------------------------------------------------------

InputsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Berkas .xlsx, .xlsm, .xls, .ods, .csv atau folder berisi berkas-berkas itu.",
        show_default=False,
        metavar="MASUKAN",
    ),
]
StageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tahap",
        help="Tahap untuk lembar tanpa keterangan tahap, sekaligus hanya menampilkan "
        "tahap ini (dasar, lanjutan_1, lanjutan_2). Boleh diulang untuk menyaring.",
        show_default=False,
        metavar="TAHAP",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Berkas aturan TOML (bawaan: skorasn.toml di folder kerja bila ada).",
        show_default=False,
        metavar="BERKAS",
    ),
]
LanjutOpt = Annotated[
    float | None,
    typer.Option(
        "--lanjut-min",
        help="Skor minimal untuk lanjut (bawaan 9).",
        show_default=False,
        metavar="SKOR",
    ),
]
BerhentiOpt = Annotated[
    float | None,
    typer.Option(
        "--berhenti-maks",
        help="Skor maksimal yang berarti berhenti (bawaan 5).",
        show_default=False,
        metavar="SKOR",
    ),
]
CombineOpt = Annotated[
    Combine | None,
    typer.Option(
        "--gabung",
        help="Cara menggabungkan skor beberapa pelatih (bawaan rata-rata).",
        show_default=False,
        metavar="rata-rata|median|minimum",
    ),
]

ArsipOpt = Annotated[
    Path | None,
    typer.Option(
        "--arsip",
        help="Berkas arsip (SQLite) yang mengingat setiap keputusan antarhari; dibuat bila "
        "belum ada (bawaan: 'arsip' di skorasn.toml bila ada).",
        show_default=False,
        metavar="BERKAS",
    ),
]


def rules_from(
    config: Path | None, lanjut: float | None, berhenti: float | None, gabung: Combine | None
) -> Rules:
    from skorasn.config import find_config, load_rules

    flags = {
        "lanjut_min": lanjut,
        "berhenti_maks": berhenti,
        "gabung": gabung.value if gabung else None,
    }
    return load_rules(find_config(config), flags)


def stage_options(stages: list[str] | None, rules: Rules) -> tuple[str, ...]:
    from skorasn.names import parse_stage, stage_table

    table = stage_table(rules.stage_spellings)
    parsed = []
    for text in stages or []:
        stage = parse_stage(text, table)
        if stage is None:
            raise UsageError(
                f"--tahap '{text}' tidak dikenali; pilih dasar, lanjutan_1 atau lanjutan_2"
            )
        parsed.append(stage)
    return tuple(dict.fromkeys(parsed))


def parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UsageError(f"{option} '{text}' bukan tanggal; tulis seperti 2025-05-01 atau 01/05/2025")


def command_line() -> str:
    return shlex.join(["skorasn", *sys.argv[1:]])


def progress(console: Console) -> Callable[[str, str | None], None] | None:
    """A one-line progress note on stderr, only where a person is watching."""
    if not console.is_terminal:
        return None

    def show(berkas: str, lembar: str | None) -> None:
        where = f"{berkas}:{lembar}" if lembar else berkas
        console.print(f"membaca {where} …", end="\r", markup=False, highlight=False)

    return show


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skorasn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--versi", help="Tampilkan versi lalu keluar.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    pass


def main() -> None:
    from skorasn.cli.i18n import install

    install()
    app(prog_name="skorasn")
