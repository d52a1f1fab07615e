"""`skorasn tier` without the terminal: find the inputs, lock the outputs, build the report,
write every output atomically, and keep the one-line log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from skorasn.core.report import build_report
from skorasn.errors import OutputError, UsageError, describe_os_error, os_error_advice
from skorasn.formatting import file_label
from skorasn.models import ArsipOptions, Progress, Report, Rules, Selection, Step, count_levels
from skorasn.reading import discover
from skorasn.reporting.writers import format_for, write_output
from skorasn.safeio import (
    atomic_output,
    check_output_path,
    check_outputs_distinct_from_inputs,
    expand_placeholders,
    lock_all,
    real_target,
    remove_stale_temporaries,
    scratch_folder,
)
from skorasn.safeio.paths import _same_file
from skorasn.vocabulary import DECISIONS, GALAT, PERINGATAN

if TYPE_CHECKING:
    from skorasn.arsip import ArsipSession


@dataclass(frozen=True)
class TierOptions:
    """Everything `skorasn tier` was asked to do, already parsed and validated."""

    inputs: tuple[Path, ...]
    rules: Rules
    outputs: tuple[str, ...] = ()
    selection: Selection = field(default_factory=Selection)
    default_stage: str | None = None
    delimiter: str = ","
    wait: float = 0
    command: str = ""
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    arsip: ArsipOptions | None = None


class TierJob:
    """One run of `tier`. The report stays on the job once built, so that the log line can
    count it even when writing an output fails afterwards."""

    def __init__(self, options: TierOptions):
        self.options = options
        self.report: Report | None = None
        self.targets: list[Path] = []

    def run(self, on_progress: Progress | None = None) -> Report:
        options = self.options
        targets = output_paths(options.outputs, options.started)
        # The outputs are known before the inputs are listed, so that a report written into
        # an input folder (cron: -o masuk/rekap_{tanggal}.xlsx) is never read back.
        found = discover(options.inputs, targets)
        check_outputs_distinct_from_inputs(targets, found.files)
        self.targets = targets
        if options.arsip is not None:
            check_register_apart(options.arsip.path, found.files, self.targets)
        # The register is recognised before anything is read: a bad one ends the run (exit 2).
        with _register(options) as arsip:
            with self._lock():
                self.report = build_report(
                    found,
                    options.rules,
                    options.selection,
                    default_stage=options.default_stage,
                    on_progress=on_progress,
                    command=options.command,
                    audit=None if arsip is None else arsip.audit,
                )
                if arsip is not None:
                    arsip.seal(self.report, self.targets)
                for target in self.targets:
                    write_target(self.report, target, options.delimiter, on_progress)
                if arsip is not None:  # only now: a run that wrote no report is not recorded
                    arsip.commit()
        return self.report

    def _lock(self) -> AbstractContextManager[object]:
        if not self.targets:
            return nullcontext()
        try:
            return lock_all(self.targets, self.options.wait)
        except OSError as exc:
            raise OutputError(
                f"-o {self.targets[0]}: folder laporan tidak dapat dipakai "
                f"({describe_os_error(exc)})"
            ) from None

    def log_line(self, exit_code: int) -> str:
        """Time, inputs, counts per keputusan, galat and peringatan, and the exit code."""
        fields = [
            self.options.started.isoformat(timespec="seconds"),
            "masukan=" + ",".join(file_label(p) for p in self.options.inputs),
        ]
        if self.report is not None:
            decided = self.report.peserta["keputusan"].value_counts()
            fields += [f"{d}={int(decided.get(d, 0))}" for d in DECISIONS]
            counts = count_levels(self.report.problems)
            fields += [f"galat={counts[GALAT]}", f"peringatan={counts[PERINGATAN]}"]
        fields.append(f"keluar={exit_code}")
        return " ".join(fields)


@contextmanager
def _register(options: TierOptions) -> Iterator[ArsipSession | None]:
    if options.arsip is None:
        yield None
        return
    from skorasn.arsip import ArsipSession

    session = ArsipSession(options.arsip, options.started, options.command)
    try:
        yield session
    finally:
        session.close()


def check_register_apart(register: Path, inputs: list[Path], outputs: list[Path]) -> None:
    """The register is never read as an input nor replaced by a report."""
    for role, paths in (("masukan", inputs), ("keluaran", outputs)):
        for path in paths:
            if _same_file(register, path):
                raise UsageError(
                    f"--arsip {register} sama dengan berkas {role} '{path}'; arsip harus "
                    "berkas tersendiri, misalnya arsip/skorasn.db"
                )


def output_paths(outputs: tuple[str, ...], now: dt.datetime) -> list[Path]:
    """The -o paths with {tanggal}/{waktu} filled; UsageError for an unknown format, a folder,
    a name the file system cannot hold, or a symlink to another format. Whether one would
    overwrite an input is checked once the inputs are found."""
    targets = [expand_placeholders(text, now) for text in outputs]
    for target in targets:
        kind = format_for(target)
        if kind is None:
            raise UsageError(
                f"-o {target}: ekstensi tidak dikenal; gunakan .xlsx, .json, .csv atau .html"
            )
        check_output_path(target)
        if target.is_dir():
            raise UsageError(f"-o {target}: itu sebuah folder; sebutkan nama berkasnya")
        _check_link(target, kind)
    return targets


def _check_link(target: Path, kind: str) -> None:
    """The format comes from the name typed; a symlink must not lead to a file whose name
    says another format (Excel would then open JSON as a workbook, or the reverse)."""
    real = real_target(target)
    if format_for(real) != kind:
        raise UsageError(
            f"-o {target}: nama ini tautan simbolik ke '{real}', yang bukan berkas "
            f"{target.suffix}. Format laporan mengikuti nama yang diketik, jadi tujuan tautan "
            f"harus berekstensi {target.suffix} juga: arahkan tautan ke berkas "
            f"{target.suffix}, atau tulis langsung ke '{real}' dengan -o."
        )


def write_target(
    report: Report, target: Path, delimiter: str, on_progress: Progress | None = None
) -> None:
    """One output, atomically; the old report stays whole when anything fails."""
    kind = format_for(target)
    total = max(len(report.peserta), 1)

    def tell(rows: int) -> None:
        if on_progress is not None:
            on_progress(Step("menulis", str(target), rows, min(rows / total, 1.0)))

    try:
        folder = real_target(target).parent
        remove_stale_temporaries(folder if folder.is_dir() else Path("."))
        with atomic_output(target) as temporary:
            # xlsxwriter's own temporaries go to a scratch folder beside the report, removed
            # with it on any failure or signal (and by the next run if this one is killed).
            scratch = scratch_folder(target) if kind == "xlsx" else nullcontext(None)
            with scratch as scratch_path:
                tell(0)
                write_output(
                    report, temporary, delimiter, kind=kind, scratch=scratch_path, on_rows=tell
                )
    except OSError as exc:
        raise OutputError(
            f"-o {target}: laporan tidak dapat ditulis ({describe_os_error(exc)}); "
            f"{os_error_advice(exc)}. Laporan lama tetap utuh."
        ) from None


def append_log(log: Path, line: str) -> None:
    """Add one line to the --log file, creating its folder."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
