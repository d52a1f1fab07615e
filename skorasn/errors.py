"""The small exception hierarchy that cli.py turns into messages and exit codes."""

import errno


class SkorasnError(Exception):
    """An error shown to the user as one Indonesian message."""

    exit_code = 1


class UsageError(SkorasnError):
    """The command line or the rules file asks for something impossible."""

    exit_code = 2


class ConfigError(UsageError):
    """The rules file is invalid; carries one message per field."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


class NothingReadError(SkorasnError):
    """No input yielded a single participant row."""

    exit_code = 3


class UnreadableFile(SkorasnError):
    """One input file cannot be read; reported as a galat, the run goes on."""


class RejectedFile(UnreadableFile):
    """An input file was refused before any parser saw it (hostile or mislabelled)."""


class OutputError(SkorasnError):
    """An output file could not be written or moved into place."""

    exit_code = 73


class LockBusy(SkorasnError):
    """Another run holds the output lock."""

    exit_code = 75


_OS_ERRORS = {
    errno.ENOENT: "tidak ditemukan",
    errno.EACCES: "izin ditolak",
    errno.EPERM: "izin ditolak",
    errno.EISDIR: "itu sebuah folder",
    errno.ENOTDIR: "sebagian jalurnya bukan folder",
    errno.EEXIST: "sudah ada",
    errno.ENOSPC: "disk penuh",
    errno.EFBIG: "berkas terlalu besar untuk sistem berkas ini",
    errno.EROFS: "sistem berkas hanya-baca",
    errno.EBUSY: "sedang dipakai program lain",
    errno.ENAMETOOLONG: "nama terlalu panjang",
    errno.ELOOP: "tautan simbolik berputar",
}
if hasattr(errno, "EDQUOT"):
    _OS_ERRORS[errno.EDQUOT] = "kuota disk habis"
# Windows errors that Python maps to a vaguer errno.
_WINDOWS_ERRORS = {
    32: "sedang dibuka program lain",  # ERROR_SHARING_VIOLATION
    112: "disk penuh",  # ERROR_DISK_FULL
    206: "nama atau jalur terlalu panjang",  # ERROR_FILENAME_EXCED_RANGE
}
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def describe_os_error(exc: OSError) -> str:
    """An OSError in Indonesian; the system's own (English) text only when we have none."""
    windows = _WINDOWS_ERRORS.get(getattr(exc, "winerror", None) or 0)
    return windows or _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))


def os_error_advice(exc: OSError) -> str:
    """What to do about a failed write, in Indonesian."""
    if exc.errno in _NO_SPACE or getattr(exc, "winerror", None) == 112:
        return "kosongkan ruang disk lalu jalankan ulang"
    if exc.errno == errno.EFBIG:
        return "tulis ke disk lain (flashdisk FAT32 menolak berkas di atas 4 GB)"
    if exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == 206:
        return "pakai nama atau folder yang lebih pendek"
    return "periksa folder dan izinnya, lalu jalankan ulang"
