"""Output locks: two runs writing the same report never overlap.

The lock is a kernel lock on '.<output name>.lock' beside the output (see safeio.system for
which call takes it on which platform); the file itself holds who holds it, for the message
a second run shows.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import socket
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from skorasn.errors import LockBusy, OutputError, describe_os_error
from skorasn.formatting import file_label
from skorasn.safeio.paths import lock_name, real_target
from skorasn.safeio.system import byte_lock

_LOCK_POLL_SECONDS = 0.05
_LOCK_INFO_MAX_BYTES = 4096
# Windows opens descriptors in text mode unless told otherwise, turning "\n" into "\r\n".
_BINARY = getattr(os, "O_BINARY", 0)

# The locks this process holds, by lock file, with their descriptors. A second OutputLock on
# the same file in this process is busy, whatever the platform's lock does within one process
# (lockf would grant it, and closing any descriptor of the file would drop the lock).
_HELD: dict[str, int] = {}


def _key(lock_path: Path) -> str:
    return os.path.normcase(str(lock_path))


def _lock_path(output: Path) -> Path:
    target = real_target(Path(output))
    return target.parent / lock_name(target.name)


def _holder_info() -> bytes:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": shlex.join(map(file_label, sys.argv)),
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
    """An exclusive lock on '.<output name>.lock' beside the output, as a context manager.

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
            self._wait_for_this_process(deadline)
            fd = self._open()
            if self._lock_until(fd, deadline) and self._still_linked(fd):
                break
            self._release(fd)  # the lock file was replaced under us: lock the current one
        self._fd = fd
        _HELD[_key(self.lock_path)] = fd
        self._write_info()
        return self

    def __exit__(self, *exc_info: object) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _HELD.pop(_key(self.lock_path), None)
        # Clear our details first, so nobody later reads them as a current holder's.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        self._release(fd)

    @staticmethod
    def _release(fd: int) -> None:
        with contextlib.suppress(OSError):
            byte_lock().unlock(fd)
        os.close(fd)

    def _wait_for_this_process(self, deadline: float) -> None:
        while _key(self.lock_path) in _HELD:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._raise_busy(_HELD[_key(self.lock_path)], close=False)
            time.sleep(min(_LOCK_POLL_SECONDS, remaining))

    def _open(self) -> int:
        with contextlib.suppress(OSError):
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return os.open(self.lock_path, os.O_RDWR | os.O_CREAT | _BINARY, 0o666)
        except PermissionError:
            # Created by another user's run: a read-only descriptor still takes the lock
            # (flock, msvcrt.locking).
            pass
        try:
            return os.open(self.lock_path, os.O_RDONLY | _BINARY)
        except OSError as exc:
            raise OutputError(
                f"Berkas kunci '{self.lock_path}' untuk keluaran '{self.output_path}' tidak "
                f"dapat dibuka ({describe_os_error(exc)}). Periksa izin tulis folder itu."
            ) from exc

    def _lock_until(self, fd: int, deadline: float) -> bool:
        while True:
            try:
                if byte_lock().try_lock(fd):
                    return True
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

    def _raise_busy(self, fd: int, close: bool = True) -> NoReturn:
        try:  # no os.pread on Windows
            os.lseek(fd, 0, os.SEEK_SET)
            raw = os.read(fd, _LOCK_INFO_MAX_BYTES)
        except OSError:
            raw = b""
        if close:
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
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, _holder_info())


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
