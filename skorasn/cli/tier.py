"""`skorasn tier`: parse the options, run the job, show the report, keep the log."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    error,
    eselon_options,
    fancy,
    handle_errors,
    interrupted_code,
    make_console,
    parse_date,
    rules_from,
    stage_options,
)
from skorasn.cli.progress import progress_display
from skorasn.errors import SkorasnError, UsageError, describe_os_error
from skorasn.vocabulary import EXIT_GALAT, EXIT_INTERNAL, EXIT_OK

if TYPE_CHECKING:
    from skorasn.core import TierJob
    from skorasn.models import Report, Rules

QUIET_PROBLEM_LINES = 5
SUMMARY_PROBLEM_LINES = 20


@app.command(
    short_help="Daftar tier per tahap dan laporan untuk Wali Kota.",
    help="Baca lembar nilai, terapkan aturan lanjut/tahan/berhenti, lalu tampilkan "
    "atau ekspor daftar tier per tahap.\n\n"
    "Contoh: skorasn tier skor.xlsx -o laporan/{tanggal}.xlsx -o laporan/{tanggal}.json",
)
@handle_errors
def tier(
    inputs: InputsArg,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "-o",
            "--output",
            help="Tulis laporan ke berkas .xlsx, .json, .csv atau .html (menurut "
            "ekstensinya). Boleh diulang. {tanggal} dan {waktu} diisi otomatis.",
            show_default=False,
            metavar="BERKAS",
        ),
    ] = None,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="teks (tampilan terminal) atau json (ke stdout).",
            show_default=False,
            metavar="teks|json",
        ),
    ] = None,
    ringkas: Annotated[
        bool, typer.Option("--ringkas", help="Tampilkan ringkasan saja, tanpa daftar nama.")
    ] = False,
    tahap: StageOpt = None,
    eselon: Annotated[
        list[str] | None,
        typer.Option(
            "--eselon",
            help="Hanya eselon ini (III mencakup III.a dan III.b). Boleh diulang.",
            show_default=False,
            metavar="ESELON",
        ),
    ] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            help="Hanya unit kerja yang namanya memuat teks ini. Boleh diulang.",
            show_default=False,
            metavar="TEKS",
        ),
    ] = None,
    sejak: Annotated[
        str | None,
        typer.Option(
            "--sejak",
            help="Hanya peserta dengan Tanggal pada/sesudah tanggal ini (2025-05-01).",
            show_default=False,
            metavar="TANGGAL",
        ),
    ] = None,
    sampai: Annotated[
        str | None,
        typer.Option(
            "--sampai",
            help="Hanya peserta dengan Tanggal pada/sebelum tanggal ini.",
            show_default=False,
            metavar="TANGGAL",
        ),
    ] = None,
    lanjut_min: LanjutOpt = None,
    berhenti_maks: BerhentiOpt = None,
    gabung: CombineOpt = None,
    pemisah: Annotated[
        str,
        typer.Option(
            "--pemisah",
            help="Pemisah kolom CSV keluaran: ',' atau ';' (cocok untuk Excel "
            "berbahasa Indonesia) atau 'tab'.",
            metavar="PEMISAH",
        ),
    ] = ",",
    config: ConfigOpt = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "-q",
            "--quiet",
            help="Diam bila tidak ada galat; bila ada, hanya ringkasan singkat (cocok untuk cron).",
        ),
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="Tambahkan satu baris catatan per jalankan ke berkas ini.",
            show_default=False,
            metavar="BERKAS",
        ),
    ] = None,
    tunggu: Annotated[
        float,
        typer.Option(
            "--tunggu",
            help="Detik menunggu bila laporan yang sama sedang ditulis proses lain.",
            min=0,
            metavar="DETIK",
        ),
    ] = 0,
) -> None:
    started = dt.datetime.now().astimezone()
    job: TierJob | None = None
    code = EXIT_INTERNAL
    try:
        job = _job(
            inputs,
            output,
            tahap,
            eselon,
            unit,
            sejak,
            sampai,
            pemisah,
            tunggu,
            started,
            rules_from(config, lanjut_min, berhenti_maks, gabung),
        )
        with progress_display(make_console(stderr=True), wanted=not quiet) as show:
            report = job.run(on_progress=show)  # type: ignore[arg-type]
        code = EXIT_GALAT if report.galat else EXIT_OK
        _show(report, job.targets, format, ringkas, quiet, code)
    except SkorasnError as exc:
        code = exc.exit_code
        raise
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the log says which
        code = interrupted_code(exc)
        raise
    finally:
        if log is not None:
            _log(log, job, code, started, inputs)
    if code:
        raise typer.Exit(code)


def _job(
    inputs: list[Path],
    outputs: list[str] | None,
    tahap: list[str] | None,
    eselon: list[str] | None,
    unit: list[str] | None,
    sejak: str | None,
    sampai: str | None,
    pemisah: str,
    tunggu: float,
    started: dt.datetime,
    rules: Rules,
) -> TierJob:
    """The job the options describe; UsageError for any option that cannot be met."""
    from skorasn.core import TierJob, TierOptions
    from skorasn.models import Selection

    chosen = stage_options(tahap, rules)
    since, until = parse_date(sejak, "--sejak"), parse_date(sampai, "--sampai")
    if since and until and since > until:
        raise UsageError(
            f"--sejak {since:%d/%m/%Y} jatuh sesudah --sampai {until:%d/%m/%Y}; "
            "tukar kedua tanggal itu"
        )
    selection = Selection(
        tahap=chosen,
        eselon=eselon_options(eselon),
        unit=tuple(u for u in unit or () if u.strip()),
        sejak=since,
        sampai=until,
    )
    return TierJob(
        TierOptions(
            inputs=tuple(inputs),
            rules=rules,
            outputs=tuple(outputs or ()),
            selection=selection,
            default_stage=chosen[0] if len(chosen) == 1 else None,
            delimiter=_delimiter(pemisah),
            wait=tunggu,
            command=command_line(),
            started=started,
        )
    )


def _delimiter(text: str) -> str:
    value = {"tab": "\t", "\\t": "\t"}.get(text, text)
    if value not in (",", ";", "\t"):
        raise UsageError(f"--pemisah '{text}' tidak didukung; pilih ',' atau ';' atau 'tab'")
    return value


def _show(
    report: Report,
    targets: list[Path],
    format: Format | None,
    ringkas: bool,
    quiet: bool,
    code: int,
) -> None:
    from skorasn.reporting.render import verdict

    if format is Format.json:
        from skorasn.console import json_stream
        from skorasn.reporting.document import report_document, write_document

        write_document(report_document(report, streaming=True), json_stream(sys.stdout))
        if quiet and report.galat:
            _quiet_summary(report, code)
        return
    if quiet:
        if report.galat:
            _quiet_summary(report, code)
        return
    full = format is Format.teks or (not targets and not ringkas)
    limit = 0 if ringkas else None if full else SUMMARY_PROBLEM_LINES
    _print_text(report, summary_only=ringkas or not full, problem_limit=limit)
    console = make_console()
    for target in targets:
        console.print(f"Laporan ditulis: {target}", markup=False)
    console.print(verdict(report, code), markup=False)


def _print_text(report: Report, summary_only: bool, problem_limit: int | None) -> None:
    """The summaries, the tier lists unless `summary_only`, then up to `problem_limit`
    masalah (all when None; only their count when 0)."""
    from skorasn.reporting import render

    console = make_console()
    look = render.Look(fancy(console))
    for renderable in render.summary(report, look):
        console.print(renderable)
        console.print()
    if not summary_only:
        for renderable in render.tier_lists(report, look):
            console.print(renderable)
            console.print()
    if report.problems and problem_limit != 0:
        console.print(render.problem_table(report.problems, look, limit=problem_limit))
    shown = (
        len(report.problems) if problem_limit is None else min(problem_limit, len(report.problems))
    )
    if shown < len(report.problems):
        left_out = "" if shown == 0 else f"; {len(report.problems) - shown} tidak ditampilkan"
        console.print(
            f"Masalah: {render.count_line(report.problems)}{left_out} — lihat laporan "
            "atau jalankan 'skorasn periksa'.",
            markup=False,
        )
    if report.hidden_problems:
        console.print(
            f"Di luar saringan: {render.count_line(report.hidden_problems)} (tetap "
            "dihitung untuk kode keluar).",
            markup=False,
        )


def _quiet_summary(report: Report, code: int) -> None:
    """What cron mails: counts and the first few messages, nothing more."""
    from skorasn.reporting.render import count_line, problem_lines, verdict

    console = make_console(stderr=True)
    everything = [*report.problems, *report.hidden_problems]
    ordered = sorted(everything, key=lambda p: p.tingkat != "galat")
    console.print(f"skorasn: {count_line(everything)}", markup=False)
    for line in problem_lines(ordered, limit=QUIET_PROBLEM_LINES):
        console.print(f"  {line}", markup=False)
    if len(everything) > QUIET_PROBLEM_LINES:
        console.print(
            f"  … {len(everything) - QUIET_PROBLEM_LINES} lainnya; lihat laporan atau "
            "'skorasn periksa'",
            markup=False,
        )
    console.print(f"skorasn: {verdict(report, code)}", markup=False)


def _log(
    log: Path, job: TierJob | None, code: int, started: dt.datetime, inputs: list[Path]
) -> None:
    from skorasn.core.tier import append_log

    line = (
        job.log_line(code)
        if job is not None
        else " ".join(
            [
                started.isoformat(timespec="seconds"),
                "masukan=" + ",".join(map(str, inputs)),
                f"keluar={code}",
            ]
        )
    )
    try:
        append_log(log, line)
    except OSError as exc:
        error(f"catatan --log {log} tidak dapat ditulis ({describe_os_error(exc)})")
