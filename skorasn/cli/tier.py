"""`skorasn tier`: parse the options, run the job, show the report, keep the log."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from skorasn.cli.app import (
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
from skorasn.cli.spec import Format, command
from skorasn.console import StreamFailed
from skorasn.errors import SkorasnError, UsageError, describe_os_error
from skorasn.formatting import file_label, thousands
from skorasn.vocabulary import EXIT_GALAT, EXIT_INTERNAL, EXIT_OK, EXIT_OUTPUT

if TYPE_CHECKING:
    from skorasn.core import TierJob
    from skorasn.models import Report, Rules

QUIET_PROBLEM_LINES = 5
SUMMARY_PROBLEM_LINES = 20


@command(app, "tier")
@handle_errors
def tier(**given: Any) -> None:
    started = dt.datetime.now().astimezone()
    job: TierJob | None = None
    code = EXIT_INTERNAL
    try:
        rules = rules_from(
            given["config"], given["lanjut_min"], given["berhenti_maks"], given["gabung"]
        )
        job = _job(given, started, rules)
        with progress_display(make_console(stderr=True), wanted=not given["quiet"]) as show:
            report = job.run(on_progress=show)  # type: ignore[arg-type]
        code = EXIT_GALAT if report.galat else EXIT_OK
        _show(report, job.targets, given["format"], given["ringkas"], given["quiet"], code)
    except SkorasnError as exc:
        code = exc.exit_code
        raise
    except StreamFailed:
        code = EXIT_OUTPUT
        raise
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the log says which
        code = interrupted_code(exc)
        raise
    finally:
        if given["log"] is not None:
            _log(given["log"], job, code, started, given["inputs"])
    if code:
        raise typer.Exit(code)


def _job(given: dict[str, Any], started: dt.datetime, rules: Rules) -> TierJob:
    """The job the options describe; UsageError for any option that cannot be met."""
    from skorasn.cli.arsip import arsip_options
    from skorasn.core import TierJob, TierOptions
    from skorasn.models import Selection

    register = arsip_options(
        given["arsip"], given["terima_koreksi"], given["alasan"], given["banding_dengan"],
        rules, given["tunggu"],
    )  # fmt: skip
    chosen = stage_options(given["tahap"], rules)
    since, until = parse_date(given["sejak"], "--sejak"), parse_date(given["sampai"], "--sampai")
    if since and until and since > until:
        raise UsageError(
            f"--sejak {since:%d/%m/%Y} jatuh sesudah --sampai {until:%d/%m/%Y}; "
            "tukar kedua tanggal itu"
        )
    selection = Selection(
        tahap=chosen,
        eselon=eselon_options(given["eselon"]),
        # Text that is not UTF-8 (a Linux terminal in another encoding) as \xNN escapes.
        unit=tuple(file_label(u) for u in given["unit"] or () if u.strip()),
        sejak=since,
        sampai=until,
    )
    return TierJob(
        TierOptions(
            inputs=tuple(given["inputs"]),
            rules=rules,
            outputs=tuple(given["output"] or ()),
            selection=selection,
            default_stage=chosen[0] if len(chosen) == 1 else None,
            delimiter=_delimiter(given["pemisah"]),
            wait=given["tunggu"],
            command=command_line(),
            started=started,
            arsip=register,
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
        console.print(f"Laporan ditulis: {file_label(target)}", markup=False)
    if report.perubahan is not None:
        console.print(
            f"Arsip: tercatat sebagai laporan #{report.perubahan.laporan} di "
            f"{report.perubahan.arsip}; hash rantai {report.perubahan.rantai}",
            markup=False,
            soft_wrap=True,
        )
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
    if report.perubahan is not None:
        from skorasn.reporting.changes import changes_renderable

        # Short even in a summary: this is the day-by-day view a cron mail carries.
        console.print(changes_renderable(report.perubahan, limit=5 if summary_only else 20))
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
        left_out = (
            "" if shown == 0 else f"; {thousands(len(report.problems) - shown)} tidak ditampilkan"
        )
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
            f"  … {thousands(len(everything) - QUIET_PROBLEM_LINES)} lainnya; lihat laporan atau "
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
