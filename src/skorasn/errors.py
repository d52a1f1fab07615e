"""The small exception hierarchy that cli.py turns into messages and exit codes."""


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
