"""The register's file: recognising it, creating it, migrating it forward, opening it safely.

A register is an SQLite database whose `PRAGMA application_id` is skorasn's and whose `meta`
table names it. Nothing is written to a file until it has been recognised as a register of a
schema this skorasn knows: a foreign, newer or damaged file is refused and left as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from skorasn import __version__
from skorasn.errors import (
    LockBusy,
    OutputError,
    SkorasnError,
    UsageError,
    describe_os_error,
)

APPLICATION_ID = 0x534B4152  # "SKAR"
APPLICATION = "skorasn-arsip"
SQLITE_HEADER = b"SQLite format 3\x00"
TEMP_PREFIX, TEMP_SUFFIX, STALE_SECONDS = ".skorasn-arsip-", ".baru", 3600

# MIGRATIONS[n] takes a register from schema version n to n + 1; the last one is the current.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (
        kunci TEXT PRIMARY KEY,
        nilai TEXT NOT NULL
    );
    CREATE TABLE runs (
        run INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        version TEXT NOT NULL,
        command TEXT NOT NULL,
        rules TEXT NOT NULL,
        compared_with INTEGER,
        participants INTEGER NOT NULL,
        galat INTEGER NOT NULL,
        peringatan INTEGER NOT NULL,
        exit_code INTEGER NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    );
    CREATE TABLE inputs (
        run INTEGER NOT NULL REFERENCES runs (run),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        sheets TEXT NOT NULL,
        rows INTEGER NOT NULL,
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    CREATE INDEX inputs_path ON inputs (path);
    CREATE TABLE outputs (
        run INTEGER NOT NULL REFERENCES runs (run),
        position INTEGER NOT NULL,
        path TEXT NOT NULL,
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    CREATE TABLE corrections (
        run INTEGER NOT NULL REFERENCES runs (run),
        position INTEGER NOT NULL,
        nip TEXT NOT NULL,
        tahap TEXT NOT NULL,
        alasan TEXT NOT NULL,
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    CREATE TABLE records (
        run INTEGER NOT NULL REFERENCES runs (run),
        position INTEGER NOT NULL,
        input INTEGER,
        nip TEXT,
        nama TEXT,
        tahap TEXT,
        tanggal TEXT,
        skor REAL,
        skor_pelatih TEXT,
        keputusan TEXT NOT NULL,
        sumber TEXT NOT NULL,
        status TEXT,
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    CREATE INDEX records_key
        ON records (nip, tahap, tanggal, run, position, status, skor, keputusan);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def open_register(path: Path, create: bool, wait: float) -> sqlite3.Connection:
    """A connection to the register at `path`, recognised, migrated, in WAL mode.

    With `create`, a missing (or empty) file becomes a new register. UsageError (exit 2) for
    a file that is not a register, comes from a newer skorasn, or is damaged; the file is not
    changed then.
    """
    if path.is_dir():
        raise UsageError(
            f"--arsip {path}: itu sebuah folder; sebutkan nama berkas arsipnya, misalnya "
            "arsip/skorasn.db"
        )
    if not _exists_with_content(path):
        if not create:
            raise UsageError(
                f"arsip {path} tidak ditemukan; arsip dibuat oleh 'skorasn tier --arsip "
                f"{path}'. Periksa jalurnya"
            )
        _create(path)
    _check_header(path)
    connection = _connect(path, wait)
    try:
        _recognise(connection, path)
        _migrate(connection, path)
        _check_tables(connection, path)
        _configure(connection, path)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        connection.close()
        raise failure(path, exc) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _exists_with_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise UsageError(f"arsip {path} tidak dapat dibuka ({describe_os_error(exc)})") from None


def _create(path: Path) -> None:
    """A new, empty register, built beside `path` and linked into place only when whole, so
    that two runs starting at once on a new register cannot build it over each other."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale(folder)
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
        os.close(handle)
    except OSError as exc:
        raise _cannot_create(path, exc) from None
    fresh = Path(name)
    try:
        connection = sqlite3.connect(fresh, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            _apply(connection)
        finally:
            connection.close()
        _link_into_place(fresh, path)
    except OSError as exc:
        raise _cannot_create(path, exc) from None
    finally:
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)


def _remove_stale(folder: Path) -> None:
    """A register half-built by a run killed an hour ago or more is never going to be used."""
    limit = time.time() - STALE_SECONDS
    for leftover in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}*"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


def _cannot_create(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"arsip {path} tidak dapat dibuat ({describe_os_error(exc)}); periksa folder dan izinnya"
    )


def _link_into_place(fresh: Path, path: Path) -> None:
    if path.exists():  # an empty file stands where the register goes: nothing to keep
        if path.stat().st_size == 0:
            os.replace(fresh, path)
        return
    try:
        os.link(fresh, path)
    except FileExistsError:
        pass  # another run created it a moment ago; that one is used
    except OSError:
        # A file system without hard links: a plain rename, which only loses the race above.
        if not path.exists():
            os.replace(fresh, path)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UsageError(f"arsip {path} tidak dapat dibaca ({describe_os_error(exc)})") from None
    if header != SQLITE_HEADER:
        raise UsageError(
            f"{path} bukan arsip skorasn (bukan basis data SQLite); berkas itu tidak diubah. "
            "Sebutkan berkas arsip yang benar, atau nama berkas baru untuk arsip baru"
        )


def _connect(path: Path, wait: float) -> sqlite3.Connection:
    try:
        # isolation_level=None: transactions are begun and ended explicitly, nothing implicit.
        return sqlite3.connect(path, timeout=wait, isolation_level=None)
    except sqlite3.Error as exc:
        raise UsageError(f"arsip {path} tidak dapat dibuka ({exc})") from None


UNREADABLE = "isinya tidak terbaca sebagai basis data"


def damaged(path: Path, detail: str = UNREADABLE) -> UsageError:
    """The register cannot be trusted; `detail` in Indonesian (SQLite's own text is not)."""
    return UsageError(
        f"arsip {path} rusak ({detail}); berkas itu tidak diubah. Pulihkan dari salinan "
        "cadangan, lalu periksa dengan 'skorasn arsip verifikasi'"
    )


def failure(path: Path, exc: BaseException, recorded: bool = True) -> SkorasnError:
    """What a register operation that failed midway means for the user. With
    `recorded=False` the reports were written but the run could not be recorded."""
    text = str(exc)
    after = "" if recorded else "; laporan sudah ditulis tetapi jalankan ini tidak tercatat"
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in text or "busy" in text:
            return LockBusy(f"arsip {path} sedang dikunci proses lain; coba lagi nanti{after}")
        if "readonly" in text:
            return UsageError(
                f"arsip {path} hanya dapat dibaca (berkas atau foldernya hanya-baca); skorasn "
                f"perlu menulis di samping arsip. Salin arsip ke folder yang dapat ditulisi{after}"
            )
        for words, reason in (("full", "disk penuh"), ("disk I/O", "galat baca/tulis disk")):
            if words in text:
                return OutputError(f"arsip {path} tidak dapat ditulis ({reason}){after}")
    # Anything else (text that is not UTF-8, a table or column missing) means damage.
    return damaged(path)


@functools.cache
def expected_columns() -> dict[str, tuple[str, ...]]:
    """The tables and columns of the current schema, as SQLite itself reads MIGRATIONS."""
    connection = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for statement in _statements(script):
                connection.execute(statement)
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: tuple(row[1] for row in connection.execute(f"PRAGMA table_info({table})"))
            for table in tables
            if not table.startswith("sqlite_")
        }
    finally:
        connection.close()


def _check_tables(connection: sqlite3.Connection, path: Path) -> None:
    for table, columns in expected_columns().items():
        found = tuple(row[1] for row in connection.execute(f"PRAGMA table_info({table})"))
        if found != columns:
            raise damaged(path, f"tabel {table} tidak sesuai skema")


def _recognise(connection: sqlite3.Connection, path: Path) -> None:
    """Only reads: a file that is not a register of a known schema stays untouched."""
    try:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if application != APPLICATION_ID:
            raise UsageError(
                f"{path} bukan arsip skorasn (basis data SQLite milik program lain); berkas "
                "itu tidak diubah. Sebutkan berkas arsip yang benar, atau nama berkas baru"
            )
        if version > SCHEMA_VERSION:
            raise UsageError(
                f"arsip {path} dibuat oleh skorasn yang lebih baru (skema {version}; skorasn "
                f"{__version__} mengenal sampai skema {SCHEMA_VERSION}); perbarui skorasn. "
                "Arsip tidak diubah"
            )
        # integrity_check, not quick_check: only it finds an index that lost rows, which would
        # make the register answer with some records missing or twice.
        check = connection.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise damaged(path, f"pemeriksaan integritas SQLite gagal, {len(check)} temuan")
        if "meta" not in tables:
            raise damaged(path, "tabel meta tidak ada")
        name = connection.execute("SELECT nilai FROM meta WHERE kunci = 'aplikasi'").fetchone()
        if name != (APPLICATION,):
            raise damaged(path, "penanda arsip di tabel meta tidak ada")
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise failure(path, exc) from None


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION:
        try:
            _apply(connection)
        except sqlite3.Error:
            raise damaged(path, f"pemutakhiran skema dari versi {version} gagal") from None


def _apply(connection: sqlite3.Connection) -> None:
    """Every migration the register still needs, in one transaction; another run that got
    there first is noticed inside it, so nothing is done twice."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        for number in range(current, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[number]):
                connection.execute(statement)
        if current == 0:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.executemany(
                "INSERT INTO meta (kunci, nilai) VALUES (?, ?)",
                [
                    ("aplikasi", APPLICATION),
                    ("dibuat", dt.datetime.now().astimezone().isoformat(timespec="seconds")),
                    ("dibuat_oleh", f"skorasn {__version__}"),
                ],
            )
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def _configure(connection: sqlite3.Connection, path: Path) -> None:
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a recorded run survives a power cut too, not only a killed process.
        connection.execute("PRAGMA synchronous = FULL")
        # Room for the index pages a run of 100,000 participants touches, and temporary
        # tables in memory rather than in a file beside the register.
        connection.execute("PRAGMA cache_size = -65536")
        connection.execute("PRAGMA temp_store = MEMORY")
    except sqlite3.Error as exc:
        raise failure(path, exc) from None
