"""Indonesian for the words Typer's help and usage errors print ("Usage:", "Options", "Error").

Typer vendors Click, whose messages are English f-strings; the few a user meets are swapped here
once, at start-up, so that `--help` and a mistyped option speak the user's language. The
Indonesian lives in perintah.toml, beside the commands' own help.
"""

from __future__ import annotations

import re
from typing import IO, Any

from skorasn.cli import spec

HELP_OPTION_TEXT = "Tampilkan bantuan ini lalu keluar."


def translate_word(text: str) -> str:
    words: dict[str, str] = spec.words()["kata_click"]
    return words.get(text, text)


def translate(message: str) -> str:
    words: dict[str, str] = spec.words()["kata_click"]
    if message in words:
        return words[message]
    for swap in spec.words()["pesan_click"]:
        message = re.sub(swap["cari"], swap["ganti"], message)
    return message


def install() -> None:
    """Patch the vendored Click once; idempotent."""
    from typer import core
    from typer._click import core as click_core
    from typer._click import exceptions, formatting

    # Typer formats some messages after looking them up ("No such command {name!r}."): only
    # whole words are swapped there, messages are translated when shown.
    # Typer's rich_utils is left alone: every skorasn command has rich_markup_mode=None, so
    # help and errors go through Click's formatter, and importing it would cost every run
    # rich.markdown and pygments.
    core._ = translate_word  # type: ignore[attr-defined,assignment]

    original_usage = formatting.HelpFormatter.write_usage
    if getattr(original_usage, "_skorasn", False):
        return

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, "Penggunaan: " if prefix is None else prefix)

    write_usage._skorasn = True  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    # Help lists what an option means in words; no `<list[Path]>` or `[x>=0]` descriptors.
    core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
    for parameter in (core.TyperArgument, core.TyperOption):
        parameter._get_number_range_help_str = lambda self: ""  # type: ignore[method-assign]


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    command = "skorasn"
    if self.ctx is not None:
        command = self.ctx.command_path
        echo(self.ctx.get_usage(), file=file, err=file is None)
    echo(
        f"skorasn: galat pemakaian: {translate(self.format_message())}", file=file, err=file is None
    )
    echo(f"Coba '{command} --help' untuk bantuan.", file=file, err=file is None)
