"""Indonesian everywhere, the way people type: no English from the command-line library, help
without type descriptors, decimal commas accepted, --version beside --versi."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skorasn import __version__

from .conftest import CONTOH, Run

EXAMPLE = str(CONTOH / "nilai_pelatihan_ai_2025.xlsx")
# Words from Click's and Typer's English message catalogue; none may reach a user.
ENGLISH = re.compile(
    r"\b(Usage|Error|Options?|Arguments?|Commands|Missing|Invalid|value|Got|unexpected|extra|"
    r"No such|Did you mean|does not|take|requires?|Possible|Try|Path|exist|readable|writable|"
    r"directory|Input|should|valid|number|integer|choose|Aborted|required|default|iterable)\b"
)

USAGE_ERRORS = [
    ["tiers"],  # no such command, with a suggestion
    ["bogus"],  # no such command
    ["tier", EXAMPLE, "--ringks"],  # no such option, with a suggestion
    ["tier", EXAMPLE, "--bogus"],
    ["tier", EXAMPLE, "--ringkas=1"],  # a flag given a value
    ["tier", EXAMPLE, "--tunggu"],  # an option missing its value
    ["tier", EXAMPLE, "--tunggu", "abc"],
    ["tier", EXAMPLE, "--tunggu", "-1"],
    ["tier", EXAMPLE, "--gabung", "salah"],
    ["tier", EXAMPLE, "--format", "xml"],
    ["tier"],  # a missing argument
    ["aturan", "berlebih"],  # an extra argument
    ["templat"],
    ["periksa", EXAMPLE, "--format"],
    ["tier", EXAMPLE, "--lanjut-min", "sembilan"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_usage_errors_speak_indonesian(run: Run, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    said = result.stderr.replace("--help", "").replace(EXAMPLE, "")
    assert "skorasn: galat pemakaian:" in said or "skorasn: " in said
    assert not ENGLISH.search(said), said


def test_a_mistyped_command_gets_a_suggestion(run: Run) -> None:
    result = run("tiers")
    assert "perintah 'tiers' tidak dikenal; mungkin maksudnya 'tier'?" in result.stderr


@pytest.mark.parametrize("message", [
    "Path 'x.xlsx' is not readable.",
    "File 'x.xlsx' does not exist.",
    "Directory 'x' is a file.",
    "Got unexpected extra argument (b)",
    "Got unexpected extra arguments (b c)",
    "Option '--o' requires 2 arguments.",
    "Missing parameter: masukan",
    "Value must be an iterable.",
    "Input should be a valid boolean, unable to interpret input",
])  # fmt: skip
def test_messages_a_user_can_trigger_are_translated(message: str) -> None:
    from skorasn.cli.i18n import translate

    assert not ENGLISH.search(translate(message).replace("x.xlsx", "")), translate(message)


@pytest.mark.parametrize("command", [[], ["tier"], ["periksa"], ["templat"], ["aturan"]])
def test_help_has_no_type_descriptors_and_no_cut_off_lines(run: Run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "<list" not in result.stdout and "<path>" not in result.stdout
    assert not re.search(r"\[x[<>]=?", result.stdout)
    assert not ENGLISH.search(result.stdout.replace("--help", "")), result.stdout
    if not command:
        listed = result.stdout.split("Perintah:", 1)[1]
        assert "..." not in listed and "…" not in listed


@pytest.mark.parametrize("flag", ["--versi", "--version", "-V"])
def test_version_flags(run: Run, flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0 and result.stdout.strip() == f"skorasn {__version__}"


@pytest.mark.parametrize("written", ["8,5", "8.5", " 8,5 "])
def test_a_score_option_takes_a_decimal_comma(run: Run, written: str) -> None:
    code, document = run.json("tier", EXAMPLE, "--lanjut-min", written)
    assert document["aturan"]["lanjut_min"] == 8.5
    assert document["aturan"]["sumber"]["lanjut_min"] == "flag"


def test_a_decimal_comma_in_the_rules_file_gets_a_hint(run: Run, tmp_path: Path) -> None:
    rules = tmp_path / "aturan.toml"
    rules.write_text("lanjut_min = 9,0\n", encoding="utf-8")
    result = run("aturan", "--config", rules)
    assert result.exit_code == 2
    assert "pakai titik desimal" in result.stderr and "baris 1" in result.stderr
