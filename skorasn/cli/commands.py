"""`skorasn periksa`, `templat` and `aturan`."""

from __future__ import annotations

import sys
from typing import Any

import typer

from skorasn.cli.app import (
    app,
    command_line,
    handle_errors,
    make_console,
    rules_from,
    stage_options,
)
from skorasn.cli.spec import Format, command
from skorasn.errors import UsageError
from skorasn.formatting import file_label
from skorasn.vocabulary import EXIT_GALAT, GALAT, STAGES


@command(app, "periksa")
@handle_errors
def periksa(**given: Any) -> None:
    from skorasn.core import report_on
    from skorasn.models import Selection
    from skorasn.reporting.render import count_line, problem_lines

    rules = rules_from(
        given["config"], given["lanjut_min"], given["berhenti_maks"], given["gabung"]
    )
    chosen = stage_options(given["tahap"], rules)
    report = report_on(
        given["inputs"],
        rules,
        Selection(tahap=chosen),
        default_stage=chosen[0] if len(chosen) == 1 else None,
        command=command_line(),
    )
    if given["format"] is Format.json:
        from skorasn.console import json_stream
        from skorasn.reporting.document import dumps

        json_stream(sys.stdout).write(dumps({"masalah": [p.as_json() for p in report.problems]}))
    else:
        console = make_console()
        for line in problem_lines(report.problems):
            console.print(line, markup=False, soft_wrap=True)
        console.print(count_line(report.problems), markup=False)
    if report.galat:
        raise typer.Exit(EXIT_GALAT)


@command(app, "templat")
@handle_errors
def templat(**given: Any) -> None:
    from skorasn.core.templat import make_template
    from skorasn.reporting.render import problem_lines

    output = given["output"]
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: templat harus berupa berkas .xlsx")
    if output.exists() and not given["timpa"]:
        raise UsageError(
            f"{output} sudah ada; pilih nama lain atau tambahkan --timpa bila "
            "memang ingin menimpanya"
        )
    rules = rules_from(given["config"], None, None, None)
    stages = stage_options(given["tahap"], rules) or STAGES
    problems = make_template(output, stages, given["peserta"], rules)
    console = make_console()
    for line in problem_lines(problems):
        console.print(line, markup=False, soft_wrap=True)
    console.print(f"Templat ditulis: {file_label(output)}", markup=False)
    if any(p.tingkat == GALAT for p in problems):
        raise typer.Exit(EXIT_GALAT)


@command(app, "aturan")
@handle_errors
def aturan(**given: Any) -> None:
    from rich.table import Table

    from skorasn.config import find_config

    path = find_config(given["config"])
    rules = rules_from(
        given["config"], given["lanjut_min"], given["berhenti_maks"], given["gabung"],
        announce=False,
    )  # fmt: skip
    console = make_console()
    console.print(
        f"Aturan yang berlaku (berkas: {path or 'tidak ada'})", markup=False, soft_wrap=True
    )
    table = Table(box=None, pad_edge=False)
    for column in ("kunci", "nilai", "asal"):
        table.add_column(column)
    for key, value, source in rules.rows(file_label="berkas"):
        table.add_row(key, value, source)
    console.print(table)
