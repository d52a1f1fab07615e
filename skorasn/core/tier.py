"""`skorasn tier` without the terminal: find the inputs, lock the outputs, build the report,
write every output atomically, and keep the one-line log."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from skorasn.core.report import build_report
from skorasn.errors import OutputError, UsageError, describe_os_error
from skorasn.models import Report, Rules, Selection, count_levels
from skorasn.reading import Progress, discover
from skorasn.reporting.writers import format_for, write_output
from skorasn.safeio import (
    atomic_output,
    check_outputs_distinct_from_inputs,
    expand_placeholders,
    lock_all,
    remove_stale_temporaries,
)
from skorasn.vocabulary import DECISIONS, GALAT, PERINGATAN


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
        with self._lock():
            self.report = build_report(
                found,
                options.rules,
                options.selection,
                default_stage=options.default_stage,
                on_progress=on_progress,
                command=options.command,
            )
            for target in self.targets:
                write_target(self.report, target, options.delimiter)
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
            "masukan=" + ",".join(str(p) for p in self.options.inputs),
        ]
        if self.report is not None:
            decided = self.report.peserta["keputusan"].value_counts()
            fields += [f"{d}={int(decided.get(d, 0))}" for d in DECISIONS]
            counts = count_levels(self.report.problems)
            fields += [f"galat={counts[GALAT]}", f"peringatan={counts[PERINGATAN]}"]
        fields.append(f"keluar={exit_code}")
        return " ".join(fields)


def output_paths(outputs: tuple[str, ...], now: dt.datetime) -> list[Path]:
    """The -o paths with {tanggal}/{waktu} filled; UsageError for an unknown format or a
    folder. Whether one would overwrite an input is checked once the inputs are found."""
    targets = [expand_placeholders(text, now) for text in outputs]
    for target in targets:
        if format_for(target) is None:
            raise UsageError(
                f"-o {target}: ekstensi tidak dikenal; gunakan .xlsx, .json, .csv atau .html"
            )
        if target.is_dir():
            raise UsageError(f"-o {target}: itu sebuah folder; sebutkan nama berkasnya")
    return targets


def write_target(report: Report, target: Path, delimiter: str) -> None:
    """One output, atomically; the old report stays whole when anything fails."""
    try:
        remove_stale_temporaries(target.parent if target.parent.is_dir() else Path("."))
        with atomic_output(target) as temporary:
            write_output(report, temporary, delimiter)
    except OSError as exc:
        raise OutputError(
            f"-o {target}: laporan tidak dapat ditulis "
            f"({describe_os_error(exc)}); periksa folder dan izinnya"
        ) from None


def append_log(log: Path, line: str) -> None:
    """Add one line to the --log file, creating its folder."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
