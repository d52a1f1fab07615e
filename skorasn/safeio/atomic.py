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
import socket
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from skorasn.errors import OutputError, describe_os_error
from skorasn.safeio.paths import real_target

TEMP_PREFIX = ".skorasn-tmp-"

# Temp name: PREFIX + pid + host tag + random + original suffix. The host tag lets a run on a
# shared (NFS/SMB) folder tell its own host's temporaries from another host's, whose pid it
# cannot check.
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-([0-9a-f]{8})-[0-9a-f]{12}(\..*)?")

# Errors a rename may report while another program (Excel over SMB, an antivirus scan) holds the
# target open; they often clear within a second, so they are worth a few retries.
_TRANSIENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temp_name(target: Path) -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-{host_tag()}-{secrets.token_hex(6)}{target.suffix}"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:  # kill(0, ...) would address our own process group
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except (OverflowError, OSError):
        return False
    return True


def _is_stale(entry: os.DirEntry[str], match: re.Match[str], max_age: float) -> bool:
    st = entry.stat(follow_symlinks=False)
    if not stat.S_ISREG(st.st_mode):
        return False
    if time.time() - st.st_mtime > max_age:
        return True
    # A pid only means something on the host that wrote it.
    return match.group(2) == host_tag() and not _pid_alive(int(match.group(1)))


def remove_stale_temporaries(folder: Path, max_age_seconds: float = 3600) -> list[Path]:
    """Delete our own leftover temporaries in `folder` whose writer is gone; return them.

    Only regular files named exactly like `atomic_output` names them are considered. A temp is
    stale when its mtime is older than `max_age_seconds`, or when it was written on this host
    by a pid that is no longer alive. Temporaries from other hosts (shared folders) are only
    removed by age.
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
            if _is_stale(entry, match, max_age_seconds):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:  # vanished meanwhile, or not ours to delete: leave it
            continue
    return removed


def _make_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"Folder keluaran '{target.parent}' tidak dapat dibuat ({describe_os_error(exc)}). "
            "Periksa jalur dan izin tulisnya."
        ) from exc


def _create_temp(target: Path) -> Path:
    temp = target.parent / _temp_name(target)
    try:
        # O_EXCL reserves the name; creating it now also surfaces permission problems before
        # the (possibly long) writing starts.
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise OutputError(
            f"Berkas sementara untuk '{target}' tidak dapat dibuat di folder '{target.parent}' "
            f"({describe_os_error(exc)}). Periksa izin tulis folder itu."
        ) from exc
    return temp


def _keep_old_mode(temp: Path, target: Path) -> None:
    # An in-place overwrite would have kept the target's permissions; do the same.
    with contextlib.suppress(OSError):
        os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable. Some file systems refuse fsync on a directory; the
    # replacement has already happened by now, so that is not worth failing the run for.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace_failed(target: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"Berkas keluaran '{target}' tidak dapat diganti ({describe_os_error(exc)}). "
        "Berkas lama tetap disimpan tanpa perubahan. Tutup berkas itu bila sedang dibuka "
        f"(misalnya di Excel), atau periksa izin tulis folder '{target.parent}', "
        "lalu jalankan ulang."
    )


def _replace_with_retries(temp: Path, target: Path, retries: int, retry_delay: float) -> None:
    for attempt in range(retries + 1):
        try:
            os.replace(temp, target)
            return
        except OSError as exc:
            if exc.errno not in _TRANSIENT_ERRNOS or attempt == retries:
                raise _replace_failed(target, exc) from exc
            time.sleep(retry_delay)


def _commit(temp: Path, target: Path, retries: int, retry_delay: float) -> None:
    _keep_old_mode(temp, target)
    try:
        # Network file systems may only report a failed write (e.g. disk full) here.
        _fsync_file(temp)
    except OSError as exc:
        raise _replace_failed(target, exc) from exc
    _replace_with_retries(temp, target, retries, retry_delay)
    _fsync_dir(target.parent)


@contextmanager
def atomic_output(path: Path, *, retries: int = 5, retry_delay: float = 0.2) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success move it onto `path` atomically.

    The temp keeps the target's suffix so writers that pick a format by suffix still work.
    On a normal exit the temp is fsynced, `os.replace`d onto `path` (transient failures are
    retried `retries` times, `retry_delay` seconds apart) and the folder fsynced; a failure
    raises OutputError and leaves the old file as it was. On an exception in the body the temp
    is removed and the exception propagates. A symlinked `path` is followed.
    """
    target = real_target(Path(path))
    _make_parent(target)
    temp = _create_temp(target)
    try:
        yield temp
        _commit(temp, target, retries, retry_delay)
    except BaseException:  # including KeyboardInterrupt: never leave a temp behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
