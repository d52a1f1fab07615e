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
    errno.EROFS: "sistem berkas hanya-baca",
    errno.EBUSY: "sedang dipakai program lain",
    errno.ENAMETOOLONG: "nama terlalu panjang",
}


def describe_os_error(exc: OSError) -> str:
    """An OSError in Indonesian; the system's own (English) text only when we have none."""
    return _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
