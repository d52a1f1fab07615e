"""The Typer app: thin commands that parse options, call the core, render, and map errors to exit
codes. The only module that prints or exits.

Heavy modules (pandas, the readers and writers) are imported inside the commands, so that
`skorasn --help` starts as fast as a bare Typer app.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shlex
import sys
from collections.abc import Callable
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from skorasn import __version__
from skorasn.errors import OutputError, SkorasnError, UsageError, describe_os_error

if TYPE_CHECKING:
    from skorasn.config import Rules
    from skorasn.core import Report

EXIT_OK, EXIT_GALAT, EXIT_USAGE, EXIT_NOTHING, EXIT_INTERNAL = 0, 1, 2, 3, 70
QUIET_PROBLEM_LINES = 5
SUMMARY_PROBLEM_LINES = 20

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


def _console(stderr: bool = False) -> Console:
    """No colour or box drawing when piped or when NO_COLOR is set."""
    # Messages on stderr are never wrapped: cron mails and log greps want one line each.
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr,
                   no_color="NO_COLOR" in os.environ or None)


def _fancy(console: Console) -> bool:
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
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _error("dihentikan oleh pengguna")
            raise typer.Exit(130) from None
        except Exception as exc:  # the last line of defence: no traceback reaches a user
            if os.environ.get("SKORASN_DEBUG"):
                raise
            _error(f"galat internal ({type(exc).__name__}: {exc}); jalankan ulang dengan "
                   "SKORASN_DEBUG=1 dan laporkan ke pengelola skorasn")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _error(message: str) -> None:
    console = _console(stderr=True)
    for line in message.splitlines() or [""]:
        console.print(f"skorasn: {line}", markup=False)


# --- shared options -----------------------------------------------------------------------

InputsArg = Annotated[list[Path], typer.Argument(
    help="Berkas .xlsx, .xlsm, .xls, .ods, .csv atau folder berisi berkas-berkas itu.",
    show_default=False, metavar="MASUKAN")]
StageOpt = Annotated[list[str] | None, typer.Option(
    "--tahap", help="Tahap untuk lembar tanpa keterangan tahap, sekaligus hanya menampilkan "
    "tahap ini (dasar, lanjutan_1, lanjutan_2). Boleh diulang untuk menyaring.",
    show_default=False, metavar="TAHAP")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="Berkas aturan TOML (bawaan: skorasn.toml di folder kerja bila ada).",
    show_default=False, metavar="BERKAS")]
LanjutOpt = Annotated[float | None, typer.Option(
    "--lanjut-min", help="Skor minimal untuk lanjut (bawaan 9).", show_default=False,
    metavar="SKOR")]
BerhentiOpt = Annotated[float | None, typer.Option(
    "--berhenti-maks", help="Skor maksimal yang berarti berhenti (bawaan 5).",
    show_default=False, metavar="SKOR")]
CombineOpt = Annotated[Combine | None, typer.Option(
    "--gabung", help="Cara menggabungkan skor beberapa pelatih (bawaan rata-rata).",
    show_default=False, metavar="rata-rata|median|minimum")]


def _rules(config: Path | None, lanjut: float | None, berhenti: float | None,
           gabung: Combine | None) -> Rules:
    from skorasn.config import find_config, load_rules

    flags = {"lanjut_min": lanjut, "berhenti_maks": berhenti,
             "gabung": gabung.value if gabung else None}
    return load_rules(find_config(config), flags)


def _stage_options(stages: list[str] | None, rules: Rules) -> tuple[str, ...]:
    from skorasn.reading.names import parse_stage, stage_table

    table = stage_table(rules.stage_spellings)
    parsed = []
    for text in stages or []:
        stage = parse_stage(text, table)
        if stage is None:
            raise UsageError(f"--tahap '{text}' tidak dikenali; pilih dasar, lanjutan_1 atau "
                             "lanjutan_2")
        parsed.append(stage)
    return tuple(dict.fromkeys(parsed))


def _parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UsageError(f"{option} '{text}' bukan tanggal; tulis seperti 2025-05-01 atau 01/05/2025")


def _command_line() -> str:
    return shlex.join(["skorasn", *sys.argv[1:]])


def _progress(console: Console) -> Callable[[str, str | None], None] | None:
    """A one-line progress note on stderr, only where a person is watching."""
    if not console.is_terminal:
        return None

    def show(berkas: str, lembar: str | None) -> None:
        where = f"{berkas}:{lembar}" if lembar else berkas
        console.print(f"membaca {where} …", end="\r", markup=False, highlight=False)

    return show


# --- tier ---------------------------------------------------------------------------------

@app.command(help="Baca lembar nilai, terapkan aturan lanjut/tahan/berhenti, lalu tampilkan "
             "atau ekspor daftar tier per tahap.\n\n"
             "Contoh: skorasn tier skor.xlsx -o laporan/{tanggal}.xlsx -o laporan/{tanggal}.json")
@handle_errors
def tier(
    inputs: InputsArg,
    output: Annotated[list[str] | None, typer.Option(
        "-o", "--output", help="Tulis laporan ke berkas .xlsx, .json, .csv atau .html (menurut "
        "ekstensinya). Boleh diulang. {tanggal} dan {waktu} diisi otomatis.",
        show_default=False, metavar="BERKAS")] = None,
    format: Annotated[Format | None, typer.Option(
        "--format", help="teks (tampilan terminal) atau json (ke stdout).",
        show_default=False, metavar="teks|json")] = None,
    ringkas: Annotated[bool, typer.Option(
        "--ringkas", help="Tampilkan ringkasan saja, tanpa daftar nama.")] = False,
    tahap: StageOpt = None,
    eselon: Annotated[list[str] | None, typer.Option(
        "--eselon", help="Hanya eselon ini (III mencakup III.a dan III.b). Boleh diulang.",
        show_default=False, metavar="ESELON")] = None,
    unit: Annotated[list[str] | None, typer.Option(
        "--unit", help="Hanya unit kerja yang namanya memuat teks ini. Boleh diulang.",
        show_default=False, metavar="TEKS")] = None,
    sejak: Annotated[str | None, typer.Option(
        "--sejak", help="Hanya peserta dengan Tanggal pada/sesudah tanggal ini (2025-05-01).",
        show_default=False, metavar="TANGGAL")] = None,
    sampai: Annotated[str | None, typer.Option(
        "--sampai", help="Hanya peserta dengan Tanggal pada/sebelum tanggal ini.",
        show_default=False, metavar="TANGGAL")] = None,
    lanjut_min: LanjutOpt = None,
    berhenti_maks: BerhentiOpt = None,
    gabung: CombineOpt = None,
    pemisah: Annotated[str, typer.Option(
        "--pemisah", help="Pemisah kolom CSV keluaran: ',' atau ';' (cocok untuk Excel "
        "berbahasa Indonesia) atau 'tab'.", metavar="PEMISAH")] = ",",
    config: ConfigOpt = None,
    quiet: Annotated[bool, typer.Option(
        "-q", "--quiet", help="Diam bila tidak ada galat; bila ada, hanya ringkasan singkat "
        "(cocok untuk cron).")] = False,
    log: Annotated[Path | None, typer.Option(
        "--log", help="Tambahkan satu baris catatan per jalankan ke berkas ini.",
        show_default=False, metavar="BERKAS")] = None,
    tunggu: Annotated[float, typer.Option(
        "--tunggu", help="Detik menunggu bila laporan yang sama sedang ditulis proses lain.",
        min=0, metavar="DETIK")] = 0,
) -> None:
    started = dt.datetime.now().astimezone()
    outcome: dict[str, Any] = {"exit": EXIT_INTERNAL, "report": None}
    try:
        outcome["exit"] = _run_tier(
            inputs=inputs, outputs=output or [], format=format, ringkas=ringkas,
            stages=tahap, eselon=eselon, unit=unit, sejak=sejak, sampai=sampai,
            rules=_rules(config, lanjut_min, berhenti_maks, gabung), delimiter=pemisah,
            quiet=quiet, wait=tunggu, started=started, outcome=outcome)
    except SkorasnError as exc:
        outcome["exit"] = exc.exit_code
        raise
    finally:
        if log is not None:
            _append_log(log, started, inputs, outcome)
    if outcome["exit"]:
        raise typer.Exit(outcome["exit"])


def _delimiter(text: str) -> str:
    value = {"tab": "\t", "\\t": "\t"}.get(text, text)
    if value not in (",", ";", "\t"):
        raise UsageError(f"--pemisah '{text}' tidak didukung; pilih ',' atau ';' atau 'tab'")
    return value


def _run_tier(*, inputs: list[Path], outputs: list[str], format: Format | None, ringkas: bool,
              stages: list[str] | None, eselon: list[str] | None, unit: list[str] | None,
              sejak: str | None, sampai: str | None, rules: Rules, delimiter: str,
              quiet: bool, wait: float, started: dt.datetime, outcome: dict[str, Any]) -> int:
    from skorasn.core import Selection, build_report

    chosen = _stage_options(stages, rules)
    since, until = _parse_date(sejak, "--sejak"), _parse_date(sampai, "--sampai")
    if since and until and since > until:
        raise UsageError(f"--sejak {since:%d/%m/%Y} jatuh sesudah --sampai {until:%d/%m/%Y}; "
                         "tukar kedua tanggal itu")
    selection = Selection(tahap=chosen, eselon=tuple(eselon or ()), unit=tuple(unit or ()),
                          sejak=since, sampai=until)
    delimiter = _delimiter(delimiter)
    targets = _output_paths(outputs, inputs, started)
    stderr = _console(stderr=True)
    with ExitStack() as stack:
        if targets:
            from skorasn.safeio import lock_all

            try:
                stack.enter_context(lock_all(targets, wait))
            except OSError as exc:
                raise OutputError(f"-o {targets[0]}: folder laporan tidak dapat dipakai "
                                  f"({describe_os_error(exc)})") from None
        report = build_report(inputs, rules, selection,
                              default_stage=chosen[0] if len(chosen) == 1 else None,
                              on_progress=None if quiet else _progress(stderr),
                              command=_command_line())
        outcome["report"] = report
        _write_outputs(report, targets, delimiter)
    code = EXIT_GALAT if report.galat else EXIT_OK
    _show(report, targets, format, ringkas, quiet)
    return code


def _output_paths(outputs: list[str], inputs: list[Path], now: dt.datetime) -> list[Path]:
    from skorasn.reporting.writers import format_for
    from skorasn.safeio import check_outputs_distinct_from_inputs, expand_placeholders

    targets = [expand_placeholders(text, now) for text in outputs]
    for target in targets:
        if format_for(target) is None:
            raise UsageError(f"-o {target}: ekstensi tidak dikenal; gunakan .xlsx, .json, .csv "
                             "atau .html")
        if target.is_dir():
            raise UsageError(f"-o {target}: itu sebuah folder; sebutkan nama berkasnya")
    check_outputs_distinct_from_inputs(targets, _input_files(inputs))
    return targets


def _input_files(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in inputs:
        files.extend(p for p in path.iterdir() if p.is_file()) if path.is_dir() else \
            files.append(path)
    return files


def _write_outputs(report: Report, targets: list[Path], delimiter: str) -> None:
    from skorasn.reporting.writers import write_output
    from skorasn.safeio import atomic_output, remove_stale_temporaries

    for target in targets:
        try:
            remove_stale_temporaries(target.parent if target.parent.is_dir() else Path("."))
            with atomic_output(target) as temporary:
                write_output(report, temporary, delimiter)
        except OSError as exc:
            raise OutputError(f"-o {target}: laporan tidak dapat ditulis "
                              f"({describe_os_error(exc)}); periksa folder dan izinnya") from None


def _show(report: Report, targets: list[Path], format: Format | None, ringkas: bool,
          quiet: bool) -> None:
    if format is Format.json:
        from skorasn.reporting.document import report_document, write_document

        write_document(report_document(report, streaming=True), sys.stdout)
        if quiet and report.galat:
            _quiet_summary(report)
        return
    if quiet:
        if report.galat:
            _quiet_summary(report)
        return
    full = format is Format.teks or (not targets and not ringkas)
    limit = 0 if ringkas else None if full else SUMMARY_PROBLEM_LINES
    _print_text(report, summary_only=ringkas or not full, problem_limit=limit)
    console = _console()
    for target in targets:
        console.print(f"Laporan ditulis: {target}", markup=False)


def _print_text(report: Report, summary_only: bool, problem_limit: int | None) -> None:
    """The summaries, the tier lists unless `summary_only`, then up to `problem_limit`
    masalah (all when None; only their count when 0)."""
    from skorasn.reporting import render

    console = _console()
    look = render.Look(_fancy(console))
    for renderable in render.summary(report, look):
        console.print(renderable)
        console.print()
    if not summary_only:
        for renderable in render.tier_lists(report, look):
            console.print(renderable)
            console.print()
    if report.problems and problem_limit != 0:
        console.print(render.problem_table(report.problems, look, limit=problem_limit))
    shown = len(report.problems) if problem_limit is None else \
        min(problem_limit, len(report.problems))
    if shown < len(report.problems):
        left_out = "" if shown == 0 else f"; {len(report.problems) - shown} tidak ditampilkan"
        console.print(f"Masalah: {render.count_line(report.problems)}{left_out} — lihat laporan "
                      "atau jalankan 'skorasn periksa'.", markup=False)
    if report.hidden_problems:
        console.print(f"Di luar saringan: {render.count_line(report.hidden_problems)} (tetap "
                      "dihitung untuk kode keluar).", markup=False)


def _quiet_summary(report: Report) -> None:
    """What cron mails: counts and the first few messages, nothing more."""
    from skorasn.reporting.render import count_line, problem_lines

    console = _console(stderr=True)
    everything = [*report.problems, *report.hidden_problems]
    ordered = sorted(everything, key=lambda p: p.tingkat != "galat")
    console.print(f"skorasn: {count_line(everything)}", markup=False)
    for line in problem_lines(ordered, limit=QUIET_PROBLEM_LINES):
        console.print(f"  {line}", markup=False)
    if len(everything) > QUIET_PROBLEM_LINES:
        console.print(f"  … {len(everything) - QUIET_PROBLEM_LINES} lainnya; lihat laporan atau "
                      "'skorasn periksa'", markup=False)


def _append_log(log: Path, started: dt.datetime, inputs: list[Path],
                outcome: dict[str, Any]) -> None:
    from skorasn.problems import count_levels
    from skorasn.rules import DECISIONS

    report = outcome["report"]
    fields = [started.isoformat(timespec="seconds"),
              "masukan=" + ",".join(str(p) for p in inputs)]
    if report is not None:
        decided = report.peserta["keputusan"].value_counts()
        fields += [f"{d}={int(decided.get(d, 0))}" for d in DECISIONS]
        counts = count_levels(report.problems)
        fields += [f"galat={counts['galat']}", f"peringatan={counts['peringatan']}"]
    fields.append(f"keluar={outcome['exit']}")
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(" ".join(fields) + "\n")
    except OSError as exc:
        _error(f"catatan --log {log} tidak dapat ditulis ({describe_os_error(exc)})")


# --- periksa ------------------------------------------------------------------------------

@app.command(help="Periksa berkas nilai tanpa membuat laporan: semua masalah dengan sel-nya. "
             "Keluar 0 bila tidak ada galat, 1 bila ada.\n\n"
             "Contoh: skorasn periksa kiriman_pelatih/")
@handle_errors
def periksa(
    inputs: InputsArg,
    format: Annotated[Format, typer.Option(
        "--format", help="teks (satu masalah per baris) atau json (daftar masalah).",
        metavar="teks|json")
    ] = Format.teks,
    tahap: StageOpt = None,
    lanjut_min: LanjutOpt = None,
    berhenti_maks: BerhentiOpt = None,
    gabung: CombineOpt = None,
    config: ConfigOpt = None,
) -> None:
    from skorasn.core import Selection, build_report
    from skorasn.reporting.render import count_line, problem_lines

    rules = _rules(config, lanjut_min, berhenti_maks, gabung)
    chosen = _stage_options(tahap, rules)
    report = build_report(inputs, rules, Selection(tahap=chosen),
                          default_stage=chosen[0] if len(chosen) == 1 else None,
                          command=_command_line())
    if format is Format.json:
        from skorasn.reporting.document import dumps

        sys.stdout.write(dumps({"masalah": [p.as_json() for p in report.problems]}))
    else:
        console = _console()
        for line in problem_lines(report.problems):
            console.print(line, markup=False, soft_wrap=True)
        console.print(count_line(report.problems), markup=False)
    if report.galat:
        raise typer.Exit(EXIT_GALAT)


# --- templat ------------------------------------------------------------------------------

@app.command(help="Buat buku kerja kosong untuk pelatih, dengan validasi skor 0–10, NIP "
             "berformat Teks, dan lembar Petunjuk.\n\n"
             "Contoh: skorasn templat lanjutan1.xlsx --tahap lanjutan_1 --peserta hasil.xlsx")
@handle_errors
def templat(
    output: Annotated[Path, typer.Argument(help="Berkas .xlsx yang akan dibuat.",
                                           show_default=False, metavar="BERKAS")],
    tahap: Annotated[list[str] | None, typer.Option(
        "--tahap", help="Tahap yang diberi lembar (bawaan: ketiganya). Boleh diulang.",
        show_default=False, metavar="TAHAP")] = None,
    peserta: Annotated[Path | None, typer.Option(
        "--peserta", help="Isi NIP, Nama, Eselon, Unit kerja dari daftar ini (misalnya laporan "
        "tahap sebelumnya); hanya peserta yang lanjut bila daftar itu laporan skorasn.",
        show_default=False, metavar="BERKAS")] = None,
    config: ConfigOpt = None,
    timpa: Annotated[bool, typer.Option(
        "--timpa", help="Timpa berkas yang sudah ada (bawaan: menolak, agar lembar nilai yang "
        "sudah terisi tidak hilang).")] = False,
) -> None:
    from skorasn.config import STAGES
    from skorasn.reporting.render import problem_lines
    from skorasn.safeio import atomic_output, check_outputs_distinct_from_inputs
    from skorasn.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: templat harus berupa berkas .xlsx")
    if output.exists() and not timpa:
        raise UsageError(f"{output} sudah ada; pilih nama lain atau tambahkan --timpa bila "
                         "memang ingin menimpanya")
    rules = _rules(config, None, None, None)
    stages = _stage_options(tahap, rules) or STAGES
    if peserta is not None:
        check_outputs_distinct_from_inputs([output], [peserta])
    with atomic_output(output) as temporary:
        problems = write_template(temporary, stages, peserta, rules)
    console = _console()
    for line in problem_lines(problems):
        console.print(line, markup=False, soft_wrap=True)
    console.print(f"Templat ditulis: {output}", markup=False)
    if any(p.tingkat == "galat" for p in problems):
        raise typer.Exit(EXIT_GALAT)


# --- aturan -------------------------------------------------------------------------------

@app.command(help="Tampilkan aturan yang berlaku dan asal setiap nilainya (bawaan, berkas, "
             "atau flag).\n\nContoh: skorasn aturan --config skorasn.toml")
@handle_errors
def aturan(
    lanjut_min: LanjutOpt = None,
    berhenti_maks: BerhentiOpt = None,
    gabung: CombineOpt = None,
    config: ConfigOpt = None,
) -> None:
    from rich.table import Table

    from skorasn.config import effective_rules_table, find_config

    path = find_config(config)
    rules = _rules(config, lanjut_min, berhenti_maks, gabung)
    console = _console()
    console.print(f"Aturan yang berlaku (berkas: {path or 'tidak ada'})", markup=False,
                  soft_wrap=True)
    table = Table(box=None, pad_edge=False)
    for column in ("kunci", "nilai", "asal"):
        table.add_column(column)
    for key, value, source in effective_rules_table(rules):
        table.add_row(key, value, source)
    console.print(table)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"skorasn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--versi", help="Tampilkan versi lalu keluar.", callback=_version,
        is_eager=True)] = False,
) -> None:
    pass


def main() -> None:
    from skorasn.i18n import install

    install()
    app(prog_name="skorasn")
