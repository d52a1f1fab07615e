"""The few operating-system calls that differ between Windows and POSIX, chosen when first
used and never at import, so that importing skorasn needs no POSIX-only module.

- `pid_alive`: on Windows `os.kill(pid, 0)` does not probe, it sends Ctrl-C (signal 0 is
  CTRL_C_EVENT there), so the process is looked up through the Windows API instead.
- `byte_lock()`: an exclusive, non-blocking lock on one byte of an open file, released by the
  kernel when its holder dies: `fcntl.flock` where fcntl exists, `msvcrt.locking` on Windows,
  and `os.lockf` on a POSIX Python without fcntl (the test suite's Windows mode). The byte
  is far beyond the holder's details, because Windows byte locks are mandatory: a locked
  range cannot even be read by others.
"""

from __future__ import annotations

import errno
import os
import sys
from types import ModuleType
from typing import Protocol

LOCKED_BYTE = 1 << 20


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (an unknown answer counts as yes)."""
    if pid <= 0:  # kill(0, ...) would address our own process group
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except (OverflowError, OSError):
        return False
    return True


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    def _windows_pid_alive(pid: int) -> bool:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = wintypes.HANDLE
        query_limited_information, still_active, access_denied = 0x1000, 259, 5
        handle = kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:
            return ctypes.get_last_error() == access_denied  # exists, not ours to query
        try:
            code = wintypes.DWORD()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)


class ByteLock(Protocol):
    name: str

    def try_lock(self, fd: int) -> bool:
        """Take the lock; False when another holder has it."""

    def unlock(self, fd: int) -> None: ...


class _Flock:
    name = "flock"

    def __init__(self, fcntl: ModuleType) -> None:
        self._fcntl = fcntl

    def try_lock(self, fd: int) -> bool:
        try:
            self._fcntl.flock(fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        self._fcntl.flock(fd, self._fcntl.LOCK_UN)


class _RangeLock:
    """A lock on LOCKED_BYTE, through `msvcrt.locking` or `os.lockf`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def try_lock(self, fd: int) -> bool:
        os.lseek(fd, LOCKED_BYTE, os.SEEK_SET)
        try:
            self._call(fd, locking=True)
        except OSError as exc:
            # msvcrt reports a held range as EACCES or EDEADLOCK, lockf as EACCES or EAGAIN.
            if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
                return False
            raise
        return True

    def unlock(self, fd: int) -> None:
        os.lseek(fd, LOCKED_BYTE, os.SEEK_SET)
        self._call(fd, locking=False)

    def _call(self, fd: int, locking: bool) -> None:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK if locking else msvcrt.LK_UNLCK, 1)
        else:
            os.lockf(fd, os.F_TLOCK if locking else os.F_ULOCK, 1)


_chosen: ByteLock | None = None


def byte_lock() -> ByteLock:
    global _chosen
    if _chosen is None:
        if sys.platform == "win32":
            _chosen = _RangeLock("msvcrt.locking")
        else:
            try:
                import fcntl
            except ImportError:
                _chosen = _RangeLock("lockf")
            else:
                _chosen = _Flock(fcntl)
    return _chosen
