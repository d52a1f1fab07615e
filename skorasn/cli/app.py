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
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from skorasn import __version__
from skorasn.console import StreamFailed
from skorasn.errors import SkorasnError, UsageError, describe_os_error, os_error_advice
from skorasn.formatting import file_label
from skorasn.vocabulary import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_TERMINATED

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


F = TypeVar("F", bound=Callable[..., Any])


def make_console(stderr: bool = False) -> Console:
    """No colour or box drawing when piped or when NO_COLOR is set."""
    stream = sys.stderr if stderr else sys.stdout
    try:
        terminal = stream is not None and stream.isatty()
    except (OSError, ValueError):
        terminal = False
    # Messages on stderr are never wrapped: cron mails and log greps want one line each.
    # Rich takes a redirected stream on Windows for a legacy console (no VT) and then drives
    # it through console APIs; a file or pipe only needs plain text.
    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=stderr,
        no_color="NO_COLOR" in os.environ or None,
        legacy_windows=None if terminal else False,
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
        except StreamFailed as exc:
            error(stream_failed_message(exc))
            raise typer.Exit(EXIT_OUTPUT) from None
        except KeyboardInterrupt as exc:
            error(
                "dihentikan oleh sinyal SIGTERM"
                if isinstance(exc, Terminated)
                else "dihentikan oleh pengguna"
            )
            raise typer.Exit(interrupted_code(exc)) from None
        except Exception as exc:  # the last line of defence: no traceback reaches a user
            if os.environ.get("SKORASN_DEBUG"):
                raise
            error(
                f"galat internal ({type(exc).__name__}: {exc}); jalankan ulang dengan "
                "SKORASN_DEBUG=1 dan laporkan ke pengelola skorasn"
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def warn(message: str) -> None:
    """One peringatan line on stderr, shown whatever -q says."""
    make_console(stderr=True).print(f"skorasn: peringatan: {message}", markup=False)


class Terminated(KeyboardInterrupt):
    """SIGTERM (cron, systemd, `kill`), raised where the run is, so that it unwinds exactly as
    Ctrl-C does: temporaries removed, locks released, the --log line written."""


def interrupted_code(exc: KeyboardInterrupt) -> int:
    return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED


def _on_terminate(signum: int, frame: object) -> None:
    # Once is enough: a second SIGTERM must not cut the cleanup of the first short.
    signal.signal(signum, signal.SIG_IGN)
    raise Terminated()


def _handle_termination() -> None:
    # Looked up at run time: a platform may lack a signal (Windows has no SIGPIPE, and its
    # SIGTERM only comes from inside the process; Task Scheduler ends a task outright).
    terminate = getattr(signal, "SIGTERM", None)
    if terminate is not None:
        try:
            signal.signal(terminate, _on_terminate)
        except (OSError, ValueError):  # not the main thread, or not allowed here
            pass


def error(message: str) -> None:
    console = make_console(stderr=True)
    try:
        for line in message.splitlines() or [""]:
            console.print(f"skorasn: {line}", markup=False)
    except StreamFailed:  # stderr itself cannot be written: the exit code still tells
        pass


def stream_failed_message(exc: StreamFailed) -> str:
    return (
        f"{exc.name} tidak dapat ditulis ({describe_os_error(exc)}); laporan di layar tidak "
        f"lengkap. {os_error_advice(exc).capitalize()}, atau alihkan keluaran ke tempat lain"
    )


# --- shared options -----------------------------------------------------------------------


def rules_from(
    config: Path | None,
    lanjut: str | None,
    berhenti: str | None,
    gabung: StrEnum | None,
    announce: bool = True,
) -> Rules:
    """The rules in force. A skorasn.toml found in the working folder without being named
    changes the rules silently otherwise, so it is announced on stderr, even under -q."""
    from skorasn.config import find_config, load_rules

    flags = {
        "lanjut_min": score_option(lanjut, "--lanjut-min"),
        "berhenti_maks": score_option(berhenti, "--berhenti-maks"),
        "gabung": gabung.value if gabung else None,
    }
    path = find_config(config)
    rules = load_rules(path, flags)
    if announce and config is None and path is not None:
        changed = [key for key in rules.changed() if rules.source_of(key) != "flag"]
        what = f"mengubah {', '.join(changed)}" if changed else "sama dengan bawaan"
        warn(
            f"aturan dibaca dari {path} di folder kerja ({what}); sebutkan --config {path} "
            "bila memang disengaja, atau pindahkan berkas itu"
        )
    return rules


def score_option(text: str | None, option: str) -> float | None:
    """A score typed on the command line, with a decimal comma or point: 8,5 or 8.5."""
    if text is None:
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise UsageError(f"{option} '{text}' bukan angka; tulis misalnya 8,5") from None


def eselon_options(values: list[str] | None) -> tuple[str, ...]:
    """Eselon filters as written in reports: III (both III.a and III.b), III.a, 3a, IIIA …"""
    from skorasn.names import normalise_eselon

    levels = {"1": "I", "2": "II", "3": "III", "4": "IV", "I": "I", "II": "II", "III": "III",
              "IV": "IV"}  # fmt: skip
    chosen = []
    for text in values or []:
        compact = text.strip().upper().removeprefix("ESELON").strip()
        eselon = normalise_eselon(text) or levels.get(compact)
        if eselon is None:
            raise UsageError(
                f"--eselon '{text}' tidak dikenali; tulis misalnya III (III.a dan III.b) atau IV.b"
            )
        chosen.append(eselon)
    return tuple(dict.fromkeys(chosen))


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
    # An argument that is not UTF-8 (a Linux file name) is stored with \xNN escapes.
    return shlex.join(["skorasn", *map(file_label, sys.argv[1:])])


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skorasn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--versi",
            "--version",
            "-V",
            help="Tampilkan versi lalu keluar.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    pass


def _ignore_quietly(unraisable: Any) -> None:
    """Python's default prints "Exception ignored in ..." and a traceback for an error it
    cannot raise, such as a half-written zip closed by the garbage collector after a failed
    write that skorasn has already reported."""


def main() -> None:
    from skorasn.cli.i18n import install
    from skorasn.console import flush_streams, prepare_streams

    prepare_streams()
    _handle_termination()
    if not os.environ.get("SKORASN_DEBUG"):
        sys.unraisablehook = _ignore_quietly
    install()
    try:
        app(prog_name="skorasn")
    finally:
        flush_streams()
