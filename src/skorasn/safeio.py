"""Safe outputs for unattended (cron) runs: atomic replacement, stale-temp cleanup, output locks.

A report on disk is either the complete old one or the complete new one, never a torn mix:
writers fill a temporary file beside the target and `os.replace` moves it into place. Concurrent
runs on the same output are serialised by an `flock` lock file beside the output.

POSIX only (uses `fcntl.flock`); see the notes on NFS/SMB in the functions below.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shlex
import socket
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from skorasn.errors import LockBusy, OutputError, UsageError, describe_os_error

TEMP_PREFIX = ".skorasn-tmp-"

# Temp name: PREFIX + pid + host tag + random + original suffix. The host tag lets a run on a
# shared (NFS/SMB) folder tell its own host's temporaries from another host's, whose pid it
# cannot check.
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-([0-9a-f]{8})-[0-9a-f]{12}(\..*)?")

_ALLOWED_PLACEHOLDERS = "{tanggal} (YYYY-MM-DD) dan {waktu} (HHMMSS)"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Errors a rename may report while another program (Excel over SMB, an antivirus scan) holds the
# target open; they often clear within a second, so they are worth a few retries.
_TRANSIENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}

_LOCK_POLL_SECONDS = 0.05
_LOCK_INFO_MAX_BYTES = 4096


# --------------------------------------------------------------------------- placeholders


def expand_placeholders(template: str, now: datetime) -> Path:
    """Fill {tanggal} (YYYY-MM-DD) and {waktu} (HHMMSS) in an -o path.

    Anything else in braces, or a brace without its partner, is a UsageError; `%` and other
    characters are kept literally (this is not strftime).
    """
    values = {
        "tanggal": f"{now.year:04d}-{now.month:02d}-{now.day:02d}",
        "waktu": f"{now.hour:02d}{now.minute:02d}{now.second:02d}",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise UsageError(
                f"Penanda '{match.group(0)}' pada jalur keluaran '{template}' tidak dikenal. "
                f"Yang boleh dipakai hanya {_ALLOWED_PLACEHOLDERS}."
            )
        return values[name]

    filled = _PLACEHOLDER.sub(fill, template)
    leftover = _PLACEHOLDER.sub("", template)
    if "{" in leftover or "}" in leftover:
        brace = "{" if "{" in leftover else "}"
        raise UsageError(
            f"Jalur keluaran '{template}' memuat kurung kurawal '{brace}' tanpa pasangan. "
            f"Penanda yang boleh dipakai hanya {_ALLOWED_PLACEHOLDERS}."
        )
    return Path(filled)


# --------------------------------------------------------------------------- outputs vs inputs


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # symlink loop and the like: compare lexically instead
        return Path(os.path.abspath(path))


def _same_file(a: Path, b: Path) -> bool:
    if _resolved(a) == _resolved(b):
        return True
    try:  # hard links and case-insensitive file systems, when both already exist
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_outputs_distinct_from_inputs(outputs: Sequence[Path], inputs: Sequence[Path]) -> None:
    """UsageError if an output is one of the inputs, or two outputs are the same file."""
    for out in outputs:
        for inp in inputs:
            if _same_file(out, inp):
                raise UsageError(
                    f"Berkas keluaran '{out}' sama dengan berkas masukan '{inp}'; "
                    "menulisnya akan menimpa data masukan. Pilih jalur keluaran lain."
                )
    for i, first in enumerate(outputs):
        for second in outputs[i + 1 :]:
            if _same_file(first, second):
                raise UsageError(
                    f"Dua keluaran menunjuk ke berkas yang sama: '{first}' dan '{second}'. "
                    "Beri nama yang berbeda untuk masing-masing keluaran."
                )


# --------------------------------------------------------------------------- temporaries


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temp_name(target: Path) -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-{_host_tag()}-{secrets.token_hex(6)}{target.suffix}"


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
    return match.group(2) == _host_tag() and not _pid_alive(int(match.group(1)))


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


# --------------------------------------------------------------------------- atomic output


def _real_target(path: Path) -> Path:
    # Follow a symlinked output so the link keeps pointing at the (new) report instead of
    # being replaced by a regular file, as shell redirection would do.
    return Path(os.path.realpath(path))


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
    target = _real_target(Path(path))
    _make_parent(target)
    temp = _create_temp(target)
    try:
        yield temp
        _commit(temp, target, retries, retry_delay)
    except BaseException:  # including KeyboardInterrupt: never leave a temp behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# --------------------------------------------------------------------------- locking


def _lock_path(output: Path) -> Path:
    target = _real_target(Path(output))
    return target.parent / f".{target.name}.lock"


def _holder_info() -> bytes:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": shlex.join(sys.argv),
        "since": time.time(),
    }
    return json.dumps(info, ensure_ascii=False).encode("utf-8") + b"\n"


def _clean(value: object, limit: int = 300) -> str:
    text = " ".join(str(value).split())  # no newlines or control spacing in a one-line message
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_holder(raw: bytes) -> str:
    try:  # the holder may be half-way through writing, or the file may be foreign
        info = json.loads(raw.decode("utf-8"))
        since = datetime.fromtimestamp(float(info["since"])).strftime("%Y-%m-%d %H:%M:%S")
        return (
            f"pid {int(info['pid'])} di host '{_clean(info.get('host', '?'), 100)}', "
            f"perintah '{_clean(info.get('command', '?'))}', sejak {since}"
        )
    except (ValueError, TypeError, KeyError, OverflowError, OSError, AttributeError):
        return "pemegangnya belum tercatat (mungkin baru saja mengambil kunci)"


class OutputLock:
    """An exclusive `flock` on '.<output name>.lock' beside the output, as a context manager.

    The lock dies with its holder's open file (even on SIGKILL), so it never goes stale. The
    lock file is deliberately never deleted: deleting it would let a waiter lock an orphaned
    inode while a newcomer locks a fresh one. The descriptor is close-on-exec, so programs we
    start do not inherit the lock.
    """

    def __init__(self, output_path: Path, wait_seconds: float = 0) -> None:
        self.output_path = Path(output_path)
        self.lock_path = _lock_path(self.output_path)
        self.wait_seconds = max(0.0, float(wait_seconds))
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        deadline = time.monotonic() + self.wait_seconds
        while True:
            fd = self._open()
            if self._flock_until(fd, deadline) and self._still_linked(fd):
                break
            os.close(fd)  # the lock file was replaced under us: lock the current one
        self._fd = fd
        self._write_info()
        return self

    def __exit__(self, *exc_info: object) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        # Clear our details first, so nobody later reads them as a current holder's.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def _open(self) -> int:
        with contextlib.suppress(OSError):
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except PermissionError:
            pass  # created by another user's run: a read-only descriptor still takes flock
        try:
            return os.open(self.lock_path, os.O_RDONLY)
        except OSError as exc:
            raise OutputError(
                f"Berkas kunci '{self.lock_path}' untuk keluaran '{self.output_path}' tidak "
                f"dapat dibuka ({describe_os_error(exc)}). Periksa izin tulis folder itu."
            ) from exc

    def _flock_until(self, fd: int, deadline: float) -> bool:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                pass
            except OSError as exc:
                os.close(fd)
                raise OutputError(
                    f"Keluaran '{self.output_path}' tidak dapat dikunci lewat "
                    f"'{self.lock_path}' ({describe_os_error(exc)})."
                ) from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._raise_busy(fd)
            time.sleep(min(_LOCK_POLL_SECONDS, remaining))

    def _still_linked(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.lock_path)
        except OSError:
            return False
        mine = os.fstat(fd)
        return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)

    def _raise_busy(self, fd: int) -> NoReturn:
        try:
            raw = os.pread(fd, _LOCK_INFO_MAX_BYTES, 0)
        except OSError:
            raw = b""
        os.close(fd)
        raise LockBusy(
            f"Keluaran '{self.output_path}' sedang dikerjakan oleh proses skorasn lain "
            f"({_describe_holder(raw)}; berkas kunci '{self.lock_path}'). "
            "Tunggu sampai proses itu selesai lalu jalankan ulang, atau beri waktu tunggu "
            "(--tunggu DETIK)."
        )

    def _write_info(self) -> None:
        assert self._fd is not None
        # Best effort: a read-only descriptor (lock file owned by another user) cannot say who
        # we are, which readers report as "belum tercatat".
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, _holder_info(), 0)


def lock_all(outputs: Sequence[Path], wait_seconds: float) -> contextlib.ExitStack:
    """Lock several outputs, already held when this returns; close the stack to release.

    Locks are taken in sorted, de-duplicated order of their lock files, so two runs sharing
    outputs cannot deadlock; `wait_seconds` bounds the total wait, not each lock's.
    """
    deadline = time.monotonic() + max(0.0, float(wait_seconds))
    lock_paths = {_lock_path(Path(out)): Path(out) for out in outputs}
    stack = contextlib.ExitStack()
    try:
        for lock_path in sorted(lock_paths, key=str):
            remaining = max(0.0, deadline - time.monotonic())
            stack.enter_context(OutputLock(lock_paths[lock_path], remaining))
    except BaseException:
        stack.close()
        raise
    return stack
