"""Atomic replacement of a report, and the cleanup of temporaries a dead run left behind.

A report on disk is either the complete old one or the complete new one, never a torn mix:
writers fill a temporary file beside the target and `os.replace` moves it into place.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from skorasn.errors import OutputError, describe_os_error
from skorasn.safeio.paths import real_target
from skorasn.safeio.system import pid_alive

TEMP_PREFIX = ".skorasn-tmp-"

# Temp name: PREFIX + pid + host tag + random + original suffix. The host tag lets a run on a
# shared (NFS/SMB) folder tell its own host's temporaries from another host's, whose pid it
# cannot check.
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-([0-9a-f]{8})-[0-9a-f]{12}(\..*)?")
# Scratch folders (for writers that need temporary files of their own, such as xlsxwriter in
# constant-memory mode) are named the same way with the suffix ".d", and are told from a file
# of that name by being folders.
_SCRATCH_SUFFIX = ".d"

# Errors a rename may report while another program (Excel over SMB, an antivirus scan) holds the
# target open; they often clear within a second, so they are worth a few retries.
_TRANSIENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temp_name(suffix: str) -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-{host_tag()}-{secrets.token_hex(6)}{suffix}"


def _is_stale(st: os.stat_result, match: re.Match[str], max_age: float) -> bool:
    if time.time() - st.st_mtime > max_age:
        return True
    # A pid only means something on the host that wrote it.
    return match.group(2) == host_tag() and not pid_alive(int(match.group(1)))


def _remove(entry: os.DirEntry[str], match: re.Match[str], max_age: float) -> bool:
    """Remove one temporary or scratch folder of ours if it is stale; True when removed."""
    st = entry.stat(follow_symlinks=False)
    if stat.S_ISREG(st.st_mode):
        if _is_stale(st, match, max_age):
            os.unlink(entry.path)
            return True
    elif stat.S_ISDIR(st.st_mode) and match.group(3) == _SCRATCH_SUFFIX:
        if _is_stale(st, match, max_age):
            shutil.rmtree(entry.path)  # does not follow symlinks inside
            return True
    return False


def remove_stale_temporaries(folder: Path, max_age_seconds: float = 3600) -> list[Path]:
    """Delete our own leftover temporaries in `folder` whose writer is gone; return them.

    Only regular files named exactly like `atomic_output` names them, and folders named like
    `scratch_folder` names them, are considered. One is stale when its mtime is older than
    `max_age_seconds`, or when it was made on this host by a pid that is no longer alive.
    Those from other hosts (shared folders) are only removed by age.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None:
            continue
        try:
            if _remove(entry, match, max_age_seconds):
                removed.append(Path(entry.path))
        except OSError:  # vanished meanwhile, or not ours to delete: leave it
            continue
    return removed


@contextmanager
def scratch_folder(beside: Path) -> Iterator[Path]:
    """A new private folder in `beside`'s folder for a writer's own temporary files, removed
    with everything in it when the block ends, however it ends (Ctrl-C, SIGTERM included).

    Kept beside the report rather than in the system temp folder: it is then on the disk the
    report goes to, and a run killed outright leaves it where the next run's
    `remove_stale_temporaries` finds it.
    """
    folder = real_target(Path(beside)).parent / _temp_name(_SCRATCH_SUFFIX)
    try:
        folder.mkdir(mode=0o700)
    except OSError as exc:
        raise OutputError(
            f"Folder sementara untuk '{beside}' tidak dapat dibuat di '{Path(beside).parent}' "
            f"({describe_os_error(exc)}). Periksa izin tulis folder itu."
        ) from exc
    try:
        yield folder
    finally:
        # On Windows a file a writer left open cannot be deleted yet; the next run will.
        shutil.rmtree(folder, ignore_errors=True)


def _make_parent(given: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"Folder keluaran untuk '{given}' tidak dapat dibuat ({describe_os_error(exc)}). "
            "Periksa jalur dan izin tulisnya."
        ) from exc


def _create_temp(given: Path, target: Path) -> Path:
    temp = target.parent / _temp_name(target.suffix)
    try:
        # O_EXCL reserves the name; creating it now also surfaces permission problems before
        # the (possibly long) writing starts.
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise OutputError(
            f"Berkas sementara untuk '{given}' tidak dapat dibuat di folder '{target.parent}' "
            f"({describe_os_error(exc)}). Periksa izin tulis folder itu."
        ) from exc
    return temp


def _keep_old_mode(temp: Path, target: Path) -> None:
    # An in-place overwrite would have kept the target's permissions; do the same.
    with contextlib.suppress(OSError):
        os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))


def _fsync_file(path: Path) -> None:
    # Windows flushes only through a descriptor open for writing.
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable. Some file systems refuse fsync on a directory (and
    # Windows cannot open one); the replacement has already happened by now, so that is not
    # worth failing the run for.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


HELD_OPEN = "laporan sedang dibuka di program lain (Excel?); tutup lalu jalankan ulang"


def _replace_failed(given: Path, exc: OSError) -> OutputError:
    if exc.errno in _TRANSIENT_ERRNOS:
        # On Windows this is what a report open in Excel gives; elsewhere it can only be the
        # file's own permissions, hence the second hint.
        return OutputError(
            f"'{given}': {HELD_OPEN}. Laporan lama tetap utuh. (Bila berkas itu tidak sedang "
            f"dibuka: {describe_os_error(exc)}; periksa izin berkas dan foldernya.)"
        )
    return OutputError(
        f"Berkas keluaran '{given}' tidak dapat diganti ({describe_os_error(exc)}). "
        "Laporan lama tetap utuh. Periksa ruang disk, jalur dan izin tulis foldernya, "
        "lalu jalankan ulang."
    )


def _replace_with_retries(
    temp: Path, given: Path, target: Path, retries: int, retry_delay: float
) -> None:
    for attempt in range(retries + 1):
        try:
            os.replace(temp, target)
            return
        except OSError as exc:
            if exc.errno not in _TRANSIENT_ERRNOS or attempt == retries:
                raise _replace_failed(given, exc) from exc
            time.sleep(retry_delay)


def _commit(temp: Path, given: Path, target: Path, retries: int, retry_delay: float) -> None:
    try:
        # Network file systems may only report a failed write (e.g. disk full) here.
        _fsync_file(temp)
    except OSError as exc:
        raise _replace_failed(given, exc) from exc
    _keep_old_mode(temp, target)  # after the fsync: the old mode may be read-only
    _replace_with_retries(temp, given, target, retries, retry_delay)
    _fsync_dir(target.parent)


@contextmanager
def atomic_output(path: Path, *, retries: int = 5, retry_delay: float = 0.2) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success move it onto `path` atomically.

    The temp keeps the target's suffix. On a normal exit the temp is fsynced, `os.replace`d
    onto `path` (transient failures, such as Excel holding the report open on Windows, are
    retried `retries` times, `retry_delay` seconds apart) and the folder fsynced; a failure
    raises OutputError, which names `path` as given, and leaves the old file as it was. On an
    exception in the body the temp is removed and the exception propagates. A symlinked
    `path` is followed.
    """
    given = Path(path)
    target = real_target(given)
    _make_parent(given, target)
    temp = _create_temp(given, target)
    try:
        yield temp
        _commit(temp, given, target, retries, retry_delay)
    except BaseException:  # including KeyboardInterrupt: never leave a temp behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
