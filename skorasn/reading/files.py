"""What a path names before anything reads it: a regular file, a folder, or something that must
never be opened for reading (a FIFO waits forever for a writer, /dev/zero never ends)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from skorasn.errors import UnreadableFile, describe_os_error
from skorasn.formatting import shown

FILE, FOLDER = "berkas", "folder"
Identity = tuple[int, int] | Path

_SPECIAL = (
    (stat.S_ISFIFO, "pipa bernama (FIFO)"),
    (stat.S_ISCHR, "perangkat karakter (misalnya /dev/zero)"),
    (stat.S_ISBLK, "perangkat blok (disk)"),
    (stat.S_ISSOCK, "soket"),
)


def kind_of(path: Path) -> tuple[str, str | None]:
    """(FILE or FOLDER, None) for what may be read, else ('', why not) in Indonesian.

    Symbolic links are followed; only `stat` is called, nothing is opened.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return "", _stat_failure(path, exc)
    if stat.S_ISDIR(mode):
        return FOLDER, None
    if stat.S_ISREG(mode):
        return FILE, None
    return "", not_regular(mode)


def not_regular(mode: int) -> str:
    what = next((name for test, name in _SPECIAL if test(mode)), "bukan berkas biasa")
    return (
        f"ini {what}, bukan berkas biasa; tidak dibaca. Sebutkan berkas lembar nilai "
        "(.xlsx, .xlsm, .xls, .ods, .csv) atau foldernya"
    )


def _stat_failure(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return (
            "tautan simbolik berputar (menunjuk ke dirinya sendiri atau ke tautan yang kembali "
            "lagi); perbaiki atau hapus tautan itu"
        )
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            try:
                target = shown(os.readlink(path), None)
            except OSError:
                target = "?"
            return f"tautan simbolik rusak: tujuannya ({target}) tidak ada"
        return "berkas tidak ditemukan; periksa nama dan foldernya"
    return f"tidak dapat dibuka ({describe_os_error(exc)})"


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """`path` opened for reading only if it is a regular file.

    Opened without blocking, so that a FIFO put in the file's place after it was listed
    cannot hang the run (it still holds the output lock); the type is then checked on the
    open descriptor itself, which no later swap can change.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFile(_stat_failure(path, exc)) from None
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError as exc:
        os.close(descriptor)
        raise UnreadableFile(f"tidak dapat dibaca ({describe_os_error(exc)})") from None
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise UnreadableFile(not_regular(mode))
    with os.fdopen(descriptor, "rb") as handle:
        yield handle


def identity(path: Path) -> Identity:
    """What makes two paths one file: (st_dev, st_ino), so hard links and other routes to
    the same file match; the resolved path where the file system gives no inode."""
    try:
        info = os.stat(path)
    except OSError:
        return Path(os.path.abspath(path))
    if info.st_ino:
        return (info.st_dev, info.st_ino)
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))
