"""The README is executable truth: its command reference is `--help`, its quick start is real."""

from __future__ import annotations

import importlib.util
import re
import shlex

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _load_updater():
    spec = importlib.util.spec_from_file_location(
        "perbarui_readme", ROOT / "scripts" / "perbarui_readme.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_command_reference_matches_help() -> None:
    assert _load_updater().updated(README) == README, (
        "README.md sudah usang: jalankan python scripts/perbarui_readme.py"
    )


def quick_start_commands() -> list[str]:
    section = README.split("## Mulai cepat", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line for block in blocks for line in block.strip().splitlines()]


def test_quick_start_has_exactly_two_commands() -> None:
    install_and_run, install_and_test = quick_start_commands()
    assert "contoh_data/" in install_and_run and "skorasn tier" in install_and_run
    assert "pytest" in install_and_test


def test_quick_start_example_file_exists_and_ci_uses_the_test_command() -> None:
    install_and_run, install_and_test = quick_start_commands()
    example = next(word for word in shlex.split(install_and_run) if "contoh_data/" in word)
    assert (ROOT / example).is_file()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "tes:mulai" in ci and "<!-- tes:mulai -->" in README
    marked = README.split("<!-- tes:mulai -->", 1)[1].split("<!-- tes:selesai -->", 1)[0]
    assert install_and_test in marked


def test_every_documented_exit_code_exists_in_the_cli() -> None:
    from skorasn import errors, vocabulary

    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", README, re.M)}
    used = {
        vocabulary.EXIT_OK,
        vocabulary.EXIT_GALAT,
        vocabulary.EXIT_USAGE,
        vocabulary.EXIT_NOTHING,
        vocabulary.EXIT_INTERNAL,
        errors.OutputError.exit_code,
        errors.LockBusy.exit_code,
        vocabulary.EXIT_INTERRUPTED,
        vocabulary.EXIT_TERMINATED,
    }
    assert documented == used


def test_the_developer_guide_names_only_what_exists() -> None:
    """The architecture the README describes is the tree there is: no renamed module left."""
    section = README.split("## Untuk pengembang", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:skorasn|tests|scripts|bench|\.ci)/[\w./]*)`", section))
    assert len(named) > 20
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"README (Untuk pengembang) menyebut yang tidak ada: {missing}"
