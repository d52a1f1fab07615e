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
from skorasn.errors import OutputError, UsageError, describe_os_error
from skorasn.models import ArsipOptions, Report, Rules, Selection, count_levels
from skorasn.reading import Progress, discover
from skorasn.reporting.writers import format_for, write_output
from skorasn.safeio import (
    atomic_output,
    check_outputs_distinct_from_inputs,
    expand_placeholders,
    lock_all,
    remove_stale_temporaries,
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
        found = discover(options.inputs)
        self.targets = output_paths(options.outputs, found.files, options.started)
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
                    write_target(self.report, target, options.delimiter)
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
            "masukan=" + ",".join(str(p) for p in self.options.inputs),
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


def output_paths(outputs: tuple[str, ...], inputs: list[Path], now: dt.datetime) -> list[Path]:
    """The -o paths with {tanggal}/{waktu} filled; UsageError for an unknown format, a folder,
    or a path that would overwrite an input."""
    targets = [expand_placeholders(text, now) for text in outputs]
    for target in targets:
        if format_for(target) is None:
            raise UsageError(
                f"-o {target}: ekstensi tidak dikenal; gunakan .xlsx, .json, .csv atau .html"
            )
        if target.is_dir():
            raise UsageError(f"-o {target}: itu sebuah folder; sebutkan nama berkasnya")
    check_outputs_distinct_from_inputs(targets, inputs)
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
