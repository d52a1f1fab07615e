"""One `tier` run's use of the register.

Opened (and the file recognised) before any input is read; `audit` takes the register's
write lock and checks the run's records against it; `seal` fixes this run's content and chain
hash before the outputs are written, so that they can carry it; `commit` records the run in
one transaction once every output is written. Anything else (an exception, a signal, a kill)
leaves the register as it was: the transaction is rolled back, or never committed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from skorasn.arsip import checks, messages, store
from skorasn.arsip.chain import GENESIS, run_hash
from skorasn.arsip.checks import KEY
from skorasn.arsip.compare import compare
from skorasn.arsip.schema import failure, open_register
from skorasn.errors import LockBusy, UsageError
from skorasn.formatting import file_label
from skorasn.models import ArsipOptions, Audited, FileInfo, Masalah, Perubahan, Report, Rules
from skorasn.vocabulary import GALAT, PERIKSA, PERINGATAN

# SQLite's own busy wait cannot be interrupted by Ctrl-C, so the wait for the write lock is a
# loop of short waits.
BUSY_STEP_MS = 200
BUSY_TIMEOUT_S = 30


def file_key(path: Path) -> str:
    """How a file is recognised across runs: its absolute path with links and '..' resolved
    (and, on Windows, case folded), whatever folder the run was started from."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = Path(os.path.abspath(path))
    text = str(resolved)
    label = file_label(text)
    if label != text:  # bytes that are not UTF-8: escaped, and the bytes too, so that a name
        label += f" [{os.fsencode(text).hex()}]"  # written with a literal \xff never matches
    return os.path.normcase(label)


def rules_text(rules: Rules) -> str:
    """The rules in force and where each came from, as stored with every run."""
    return json.dumps(
        {
            "aturan": rules.as_report(),
            "alias_kolom": {k: list(v) for k, v in sorted(rules.column_aliases.items())},
            "ejaan_tahap": {k: list(v) for k, v in sorted(rules.stage_spellings.items())},
            "batas_berkas": asdict(rules.zip_limits),
            "sumber": dict(sorted(rules.sources.items())),
        },
        ensure_ascii=False,
        sort_keys=True,
    )


class ArsipSession:
    """The register as one `tier` run uses it; see the module's docstring for the order."""

    def __init__(self, options: ArsipOptions, started: dt.datetime, command: str):
        self.options = options
        self.started = started
        self.command = command
        self.path = options.path
        self.connection = open_register(options.path, create=True, wait=BUSY_TIMEOUT_S)
        self.number = 0
        self.compared_with: int | None = None
        self.today = pd.DataFrame()
        self.accepted: list[tuple[str, str, str]] = []
        self.earlier: dict[int, pd.DataFrame] = {}
        self.sealed: tuple[tuple[Any, ...], str, dict[str, list[tuple[Any, ...]]]] | None = None
        try:
            self._check_banding()
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            self.close()
            raise failure(self.path, exc) from None
        except BaseException:
            self.close()
            raise

    def _check_banding(self) -> None:
        wanted = self.options.banding
        if wanted is None or store.run_started(self.connection, wanted) is not None:
            return
        last = store.last_run(self.connection)
        held = "arsip masih kosong" if last is None else f"laporan terakhir #{last}"
        raise UsageError(
            f"--banding-dengan {wanted}: laporan #{wanted} tidak ada di arsip {self.path} "
            f"({held}); lihat daftarnya dengan 'skorasn arsip laporan --arsip {self.path}'"
        )

    def close(self) -> None:
        """Roll back whatever was not committed, and let go of the file."""
        try:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # closing without a rollback rolls back too
        finally:
            self.connection.close()

    # --- before the outputs ----------------------------------------------------------------

    def audit(self, peserta: pd.DataFrame, files: list[FileInfo]) -> Audited:
        """The register's checks on the decided participants, under the write lock."""
        try:
            self._lock()
            return self._audit(peserta, files)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise failure(self.path, exc) from None

    def _lock(self) -> None:
        deadline = time.monotonic() + self.options.wait
        self.connection.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
        while True:
            try:
                store.begin(self.connection, self.path, self.options.wait)
                break
            except LockBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(BUSY_STEP_MS / 1000)
        self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        self.number = store.next_run(self.connection)

    def _audit(self, peserta: pd.DataFrame, files: list[FileInfo]) -> Audited:
        today = checks.today_records(peserta, files)
        usable = checks.keyed(today)
        people = store.want(self.connection, usable["nip"].unique().tolist())
        state = checks.known_state(store.latest(self.connection, people))
        wanted = {(k.nip, k.tahap): k.alasan for k in self.options.koreksi}
        today["status"] = None
        today.loc[usable.index, "status"] = checks.BARU
        problems: list[Masalah] = []
        flagged: list[Any] = []
        used: set[tuple[str, str]] = set()
        if not state.empty:  # else a first run, or new people only: nothing to compare with
            usable, used = self._against(state, usable, peserta, set(wanted), problems, flagged)
            today.loc[usable.index, "status"] = usable["status"]
        self.accepted = [(n, t, wanted[n, t]) for n, t in wanted if (n, t) in used]
        problems += [
            messages.unused(k, str(self.path))
            for k in self.options.koreksi
            if (k.nip, k.tahap) not in used
        ]
        peserta = peserta.copy(deep=False)
        if flagged:
            peserta["keputusan"] = peserta["keputusan"].copy()
            peserta.loc[flagged, "keputusan"] = PERIKSA
        current = ~today["attempt"]
        rows = today.loc[current, "row"]
        today.loc[current, "keputusan"] = peserta.loc[rows, "keputusan"].to_numpy()
        self.today = today
        usable = checks.keyed(today)
        self.earlier.clear()
        problems += self._vanished(usable, files)
        return Audited(peserta, problems, self._changes(usable, files, wanted))

    def _against(
        self,
        state: pd.DataFrame,
        usable: pd.DataFrame,
        peserta: pd.DataFrame,
        accepted: set[tuple[str, str]],
        problems: list[Masalah],
        flagged: list[Any],
    ) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
        """Today's records against what the register stands by: each galat at its row, the
        rows to turn `periksa` in `flagged`; the records with their status, and the accepted
        corrections that met a change."""
        changes = checks.find_changes(usable, state)
        usable = usable.assign(status=checks.statuses(usable, state, changes, accepted))
        changed = changes[usable.loc[changes.index, "status"] == checks.BERUBAH]
        held = checks.standing(usable, state)
        stops = checks.register_stops(usable, held)
        unpassed = checks.register_unpassed(usable, held, pd.Index(stops["row"]))
        for hits, describe, column in (
            (changed, messages.change, "kolom_skor"),
            (stops, messages.stopped, "kolom_nip"),
            (unpassed, messages.unpassed, "kolom_nip"),
        ):
            texts = [describe(hit) for hit in hits.to_dict("records")]
            problems += messages.at_rows(peserta, hits["row"].tolist(), GALAT, texts, column)
            flagged += hits["row"].tolist()
        return usable, set(zip(changes["nip"], changes["tahap"], strict=True)) & accepted

    def _values(self, run: int) -> pd.DataFrame:
        """The keyed records of an earlier run, read once however often needed."""
        if run not in self.earlier:
            self.earlier[run] = store.run_values(self.connection, run)
        return self.earlier[run]

    def _vanished(self, usable: pd.DataFrame, files: list[FileInfo]) -> list[Masalah]:
        """A file read again whose earlier reading held a record it no longer holds."""
        read = {position: info for position, info in enumerate(files) if info.sheets}
        keys = {position: file_key(info.path) for position, info in read.items()}
        readings = store.previous_readings(self.connection, set(keys.values()))
        problems = []
        for position, key in keys.items():
            if key not in readings or readings[key][2] == read[position].sha256:
                continue  # never read before, or not changed since
            run, was, _ = readings[key]
            values = self._values(run)
            gone = checks.vanished(usable, values[values["input"] == was], position)
            if gone.empty:
                continue
            records = store.run_details(self.connection, run, gone["position"].tolist())
            records = records.assign(sekarang=records["kunci"].map(gone.set_index(KEY)["sekarang"]))
            problems += [
                messages.deleted(record, read[position]) for record in records.to_dict("records")
            ]
        return problems

    def _changes(
        self, usable: pd.DataFrame, files: list[FileInfo], reasons: dict[tuple[str, str], str]
    ) -> Perubahan:
        banding = self.options.banding or store.last_run(self.connection)
        self.compared_with = banding
        perubahan = Perubahan(arsip=str(self.path), laporan=self.number, banding=banding)
        perubahan.koreksi = [{"nip": n, "tahap": t, "alasan": a} for n, t, a in self.accepted]
        if banding is None:
            return perubahan
        perubahan.banding_waktu = store.run_started(self.connection, banding)
        inputs = store.run_files(self.connection, banding)
        today = {file_key(info.path) for info in files if info.sheets}
        read = {position for position, (_, path) in inputs.items() if path in today}
        found = compare(
            usable,
            self._values(banding),
            read,
            reasons,
            lambda positions: store.run_details(self.connection, banding, positions),
            inputs,
        )
        perubahan.baru, perubahan.berubah = found["baru"], found["berubah"]
        perubahan.hilang, perubahan.tidak_dibaca = found["hilang"], found["tidak_dibaca"]
        return perubahan

    def seal(self, report: Report, targets: list[Path]) -> None:
        """This run's row, its rows per table and its chain hash, fixed before any output is
        written; the hash goes into the report so that the outputs carry it."""
        everything = [*report.problems, *report.hidden_problems]
        galat = sum(1 for p in everything if p.tingkat == GALAT)
        try:
            previous = store.last_hash(self.connection) or GENESIS
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise failure(self.path, exc) from None
        run = (
            self.number,
            self.started.isoformat(timespec="seconds"),
            report.version,
            self.command,
            rules_text(report.rules),
            self.compared_with,
            int((~self.today["attempt"]).sum()) if not self.today.empty else 0,
            galat,
            sum(1 for p in everything if p.tingkat == PERINGATAN),
            1 if galat else 0,
            previous,
        )
        parts: dict[str, list[tuple[Any, ...]]] = {
            "inputs": [
                (n, i.berkas, file_key(i.path), i.size, i.sha256, json.dumps(i.sheets), i.rows)
                for n, i in enumerate(report.files)
            ],
            "outputs": [(n, file_key(target)) for n, target in enumerate(targets)],
            "corrections": [(n, *accepted) for n, accepted in enumerate(self.accepted)],
            "records": record_rows(self.today),
        }
        digest = run_hash(run, parts)
        if report.perubahan is not None:
            report.perubahan.rantai = digest
        self.sealed = (run, digest, parts)

    # --- after the outputs -----------------------------------------------------------------

    def commit(self) -> None:
        """Record the sealed run: one transaction, whole or not at all."""
        if self.sealed is None:
            return
        run, digest, parts = self.sealed
        try:
            store.insert_run(self.connection, run, digest, parts)
            self.connection.execute("COMMIT")
        except sqlite3.Error as exc:
            raise failure(self.path, exc, recorded=False) from None


def record_rows(today: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The records as stored and hashed: plain Python values, None for every missing one."""
    if today.empty:
        return []

    def plain(column: str) -> list[Any]:
        values = today[column]
        return values.astype(object).where(values.notna(), None).tolist()

    inputs = [None if value is None else int(value) for value in plain("input")]
    scores = [None if value is None else float(value) for value in plain("skor")]
    columns = [
        range(len(today)),
        inputs,
        plain("nip"),
        plain("nama"),
        plain("tahap"),
        plain("tanggal"),
        scores,
        plain("skor_pelatih"),
        plain("keputusan"),
        plain("sumber"),
        plain("status"),
    ]
    return list(zip(*columns, strict=True))
