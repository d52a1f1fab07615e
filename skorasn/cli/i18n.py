"""Indonesian for the words Typer's help and usage errors print ("Usage:", "Options", "Error").

Typer vendors Click, whose messages are English f-strings; the few a user meets are swapped here
once, at start-up, so that `--help` and a mistyped option speak the user's language.
"""

from __future__ import annotations

import re
from typing import IO, Any

WORDS = {
    "Options": "Opsi",
    "Arguments": "Argumen",
    "Commands": "Perintah",
    "Missing command.": "Perintah belum diberikan.",
    "[required]": "[wajib]",
    "required": "wajib",
    "[default: {}]": "[bawaan: {}]",
    "default: {default}": "bawaan: {default}",
    "Aborted!": "Dibatalkan!",
    "Aborted.": "Dibatalkan.",
    "Error": "Galat",
}

MESSAGES = (
    (r"^Missing argument '(.+)'\.?$", r"argumen \1 belum diberikan"),
    (r"^Missing option '(.+)'\.?$", r"opsi \1 belum diberikan"),
    (r"^Missing parameter: (.+)$", r"parameter \1 belum diberikan"),
    (r"^No such option: (.+?)(?: Did you mean (.+)\?)?$", r"opsi \1 tidak dikenal"),
    (
        r"^No such command '?(.+?)'?\. Did you mean (.+)\?$",
        r"perintah '\1' tidak dikenal; "
        r"mungkin maksudnya \2?",
    ),
    (r"^No such command '?(.+?)'?\.?$", r"perintah '\1' tidak dikenal"),
    (r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$", r"argumen berlebih: \1"),
    (r"^Option '(.+)' does not take a value\.?$", r"opsi \1 tidak menerima nilai"),
    (r"^Argument '(.+)' takes (\d+) values\.?$", r"argumen \1 memerlukan \2 nilai"),
    (r"^(?:Path|File|Directory) '(.+)' does not exist\.?$", r"'\1' tidak ada"),
    (r"^(?:Path|File|Directory) '(.+)' is a file\.?$", r"'\1' adalah berkas, bukan folder"),
    (r"^(?:Path|File|Directory) '(.+)' is a directory\.?$", r"'\1' adalah folder, bukan berkas"),
    (r"^(?:Path|File|Directory) '(.+)' is not readable\.?$", r"'\1' tidak dapat dibaca"),
    (r"^(?:Path|File|Directory) '(.+)' is not writable\.?$", r"'\1' tidak dapat ditulis"),
    (r"^Value must be an iterable\.?$", "nilai harus berupa daftar"),
    (r"^Value (.+) is not a valid (.+)\.$", r"nilai \1 tidak sah"),
    (r"^Invalid value: (.+)$", r"nilai tidak sah: \1"),
    (r"^(.+?)\.? Did you mean (.+)\?$", r"\1; mungkin maksudnya \2?"),
    (r"^Invalid value for (.+?): (.+)$", r"nilai tidak sah untuk \1: \2"),
    (r"^Option '(.+)' requires an argument\.?$", r"opsi \1 memerlukan nilai"),
    (r"^Option '(.+)' requires (\d+) arguments\.?$", r"opsi \1 memerlukan \2 nilai"),
    (r"Value error, ", ""),
    (r"Input should be greater than or equal to (\S+)", r"harus ≥ \1"),
    (r"Input should be less than or equal to (\S+)", r"harus ≤ \1"),
    (r"Input should be a valid number.*$", "bukan angka yang sah"),
    (r"Input should be a valid integer.*$", "bukan bilangan bulat yang sah"),
    (r"Input should be .*$", "nilai tidak sah"),
    (r"\(Possible options: (.+)\)", r"(mungkin maksudnya: \1)"),
    (r"is not a valid float\.?", "bukan angka"),
    (r"is not a valid integer\.?", "bukan bilangan bulat"),
    (r"is not one of (.+)\.?$", r"bukan salah satu dari \1"),
    (r"bukan salah satu dari (.+)\.$", r"bukan salah satu dari \1"),
    (r"is not in the range (.+)\.?$", r"di luar rentang \1"),
)
HELP_OPTION_TEXT = "Tampilkan bantuan ini lalu keluar."


def translate_word(text: str) -> str:
    return WORDS.get(text, text)


def translate(message: str) -> str:
    if message in WORDS:
        return WORDS[message]
    for pattern, replacement in MESSAGES:
        message = re.sub(pattern, replacement, message)
    return message


def install() -> None:
    """Patch the vendored Click once; idempotent."""
    from typer import core, rich_utils
    from typer._click import core as click_core
    from typer._click import exceptions, formatting

    # Typer formats some messages after looking them up ("No such command {name!r}."): only
    # whole words are swapped there, messages are translated when shown.
    core._ = translate_word  # type: ignore[attr-defined,assignment]
    rich_utils._ = translate_word  # type: ignore[attr-defined,assignment]
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumen"
    rich_utils.OPTIONS_PANEL_TITLE = "Opsi"
    rich_utils.COMMANDS_PANEL_TITLE = "Perintah"

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
