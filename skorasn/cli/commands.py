"""`skorasn periksa`, `templat` and `aturan`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skorasn.cli.app import (
    BerhentiOpt,
    CombineOpt,
    ConfigOpt,
    Format,
    InputsArg,
    LanjutOpt,
    StageOpt,
    app,
    command_line,
    handle_errors,
    make_console,
    rules_from,
    stage_options,
)
from skorasn.errors import UsageError
from skorasn.vocabulary import EXIT_GALAT, GALAT, STAGES


@app.command(
    short_help="Periksa berkas nilai tanpa membuat laporan.",
    help="Periksa berkas nilai tanpa membuat laporan: semua masalah dengan sel-nya. "
    "Keluar 0 bila tidak ada galat, 1 bila ada.\n\n"
    "Contoh: skorasn periksa kiriman_pelatih/",
)
@handle_errors
def periksa(
    inputs: InputsArg,
    format: Annotated[
        Format,
        typer.Option(
            "--format",
            help="teks (satu masalah per baris) atau json (daftar masalah).",
            metavar="teks|json",
        ),
    ] = Format.teks,
    tahap: StageOpt = None,
    lanjut_min: LanjutOpt = None,
    berhenti_maks: BerhentiOpt = None,
    gabung: CombineOpt = None,
    config: ConfigOpt = None,
) -> None:
    from skorasn.core import report_on
    from skorasn.models import Selection
    from skorasn.reporting.render import count_line, problem_lines

    rules = rules_from(config, lanjut_min, berhenti_maks, gabung)
    chosen = stage_options(tahap, rules)
    report = report_on(
        inputs,
        rules,
        Selection(tahap=chosen),
        default_stage=chosen[0] if len(chosen) == 1 else None,
        command=command_line(),
    )
    if format is Format.json:
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


# --- templat ------------------------------------------------------------------------------


@app.command(
    short_help="Buat buku kerja kosong untuk pelatih.",
    help="Buat buku kerja kosong untuk pelatih, dengan validasi skor 0–10, NIP "
    "berformat Teks, dan lembar Petunjuk.\n\n"
    "Contoh: skorasn templat lanjutan1.xlsx --tahap lanjutan_1 --peserta hasil.xlsx",
)
@handle_errors
def templat(
    output: Annotated[
        Path,
        typer.Argument(help="Berkas .xlsx yang akan dibuat.", show_default=False, metavar="BERKAS"),
    ],
    tahap: Annotated[
        list[str] | None,
        typer.Option(
            "--tahap",
            help="Tahap yang diberi lembar (bawaan: ketiganya). Boleh diulang.",
            show_default=False,
            metavar="TAHAP",
        ),
    ] = None,
    peserta: Annotated[
        Path | None,
        typer.Option(
            "--peserta",
            help="Isi NIP, Nama, Eselon, Unit kerja dari daftar ini (misalnya laporan "
            "tahap sebelumnya); hanya peserta yang lanjut bila daftar itu laporan skorasn.",
            show_default=False,
            metavar="BERKAS",
        ),
    ] = None,
    config: ConfigOpt = None,
    timpa: Annotated[
        bool,
        typer.Option(
            "--timpa",
            help="Timpa berkas yang sudah ada (bawaan: menolak, agar lembar nilai yang "
            "sudah terisi tidak hilang).",
        ),
    ] = False,
) -> None:
    from skorasn.core.templat import make_template
    from skorasn.reporting.render import problem_lines

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: templat harus berupa berkas .xlsx")
    if output.exists() and not timpa:
        raise UsageError(
            f"{output} sudah ada; pilih nama lain atau tambahkan --timpa bila "
            "memang ingin menimpanya"
        )
    rules = rules_from(config, None, None, None)
    stages = stage_options(tahap, rules) or STAGES
    problems = make_template(output, stages, peserta, rules)
    console = make_console()
    for line in problem_lines(problems):
        console.print(line, markup=False, soft_wrap=True)
    console.print(f"Templat ditulis: {output}", markup=False)
    if any(p.tingkat == GALAT for p in problems):
        raise typer.Exit(EXIT_GALAT)


# --- aturan -------------------------------------------------------------------------------


@app.command(
    short_help="Tampilkan aturan yang berlaku dan asalnya.",
    help="Tampilkan aturan yang berlaku dan asal setiap nilainya (bawaan, berkas, "
    "atau flag).\n\nContoh: skorasn aturan --config skorasn.toml",
)
@handle_errors
def aturan(
    lanjut_min: LanjutOpt = None,
    berhenti_maks: BerhentiOpt = None,
    gabung: CombineOpt = None,
    config: ConfigOpt = None,
) -> None:
    from rich.table import Table

    from skorasn.config import find_config

    path = find_config(config)
    rules = rules_from(config, lanjut_min, berhenti_maks, gabung, announce=False)
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
