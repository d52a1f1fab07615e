"""Standard streams that never end a run: any console encoding, any reader that goes away.

Redirected output on Windows is written in the ANSI code page (cp1252), a cron mail may be
ascii, and `| head` closes the pipe early. `prepare_streams` is called once, before anything is
printed, so that every later write (rich, Typer/Click, json, warnings) goes through one place:

- a character the stream cannot encode is transliterated (`≥` → `>=`, `—` → `-`, `é` → `e`)
  or becomes `?`, by the codec error handler `skorasn` registered here;
- a write to a reader that went away (a broken pipe, a stdout closed with `>&-`) silences the
  stream for the rest of the run, following the recipe in the Python docs (devnull is dup2'ed
  onto the descriptor, so the interpreter's final flush does not complain either). The run
  goes on and ends with the exit code it would have had.
- any other failed write (stdout redirected to a full disk) silences the stream too, and
  raises StreamFailed once, which the CLI reports as an output that could not be written.

Nothing here prints; only skorasn/cli/ decides what to print.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from typing import Any, TextIO

ERRORS = "skorasn"

TRANSLITERATIONS = {
    "≥": ">=",
    "≤": "<=",
    "—": "-",
    "–": "-",
    "−": "-",
    "…": "...",
    "·": "-",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "×": "x",
    "█": "#",
    "─": "-",  # the rule under a tier list's header
    "→": "->",
    "←": "<-",
    "\u00a0": " ",
}


def ascii_for(char: str) -> str:
    """An ASCII stand-in for one character: its transliteration, its letter without accents
    (`é` → `e`), or `?`."""
    if char in TRANSLITERATIONS:
        return TRANSLITERATIONS[char]
    import unicodedata

    base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
    return base if base.isprintable() and base else "?"


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ascii_for(c) for c in text), error.end


codecs.register_error(ERRORS, _transliterate)


class StreamFailed(OSError):
    """A standard stream could not be written for a reason other than its reader going away
    (a full disk, an I/O error); `name` is "stdout" or "stderr"."""

    def __init__(self, name: str, error: OSError):
        super().__init__(error.errno, error.strerror)
        self.name = name


def _reader_gone(error: OSError) -> bool:
    # Windows reports a closed pipe as EINVAL as often as EPIPE.
    return isinstance(error, BrokenPipeError) or (
        os.name == "nt" and error.errno in (errno.EINVAL, errno.EPIPE)
    )


class SafeStream:
    """A text stream in place of sys.stdout or sys.stderr; see the module's docstring.

    It deliberately has no `buffer`: Click writes around a text stream it finds ascii by
    encoding UTF-8 into its binary buffer, which an ascii reader could not decode.
    """

    def __init__(self, stream: TextIO | None, fd: int) -> None:
        self._stream = stream
        self._fd = fd
        self._name = "stdout" if fd == 1 else "stderr"
        self._gone = stream is None
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors=ERRORS)
            except (OSError, ValueError):
                self._silence()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return ERRORS

    @property
    def closed(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def isatty(self) -> bool:
        if self._gone or self._stream is None:
            return False
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self._fd

    def write(self, text: str) -> int:
        if self._gone or self._stream is None:
            return len(text)
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:  # a stream that could not take our error handler
                safe = text.encode(self.encoding, ERRORS).decode(self.encoding)
                return self._stream.write(safe)
        except (OSError, ValueError) as error:
            self._silence()
            if isinstance(error, OSError) and not _reader_gone(error):
                raise StreamFailed(self._name, error) from error
            return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._gone or self._stream is None:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError) as error:
            self._silence()
            if isinstance(error, OSError) and not _reader_gone(error):
                raise StreamFailed(self._name, error) from error

    def _silence(self) -> None:
        """From now on, writes go nowhere. The descriptor is pointed at devnull so that what
        the underlying stream still buffers is flushed there at exit, without a complaint."""
        self._gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
        except OSError:
            return
        try:
            os.dup2(devnull, self._fd)
        except OSError:
            pass
        finally:
            os.close(devnull)


def _occupy_if_closed(fd: int) -> None:
    """A descriptor closed at start (`>&-`) would otherwise be handed to the next file we
    open, and anything written to 'stdout' would land in that file."""
    try:
        os.fstat(fd)
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)


def prepare_streams() -> None:
    """Replace sys.stdout and sys.stderr with SafeStreams; idempotent."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        current = getattr(sys, name)
        if isinstance(current, SafeStream):
            continue
        if current is None:
            _occupy_if_closed(fd)
        setattr(sys, name, SafeStream(current, fd))


def flush_streams() -> None:
    """The last flush, done here so that a reader gone by now still ends the run quietly."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, SafeStream):
            try:
                stream.flush()
            except StreamFailed:  # already reported, or nowhere left to report it
                pass


def can_encode_all(stream: Any) -> bool:
    """True when `stream` takes any character as it is (a UTF encoding)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


class JsonEscaping(io.TextIOBase):
    """Writes JSON text to a stream that cannot take every character: everything beyond
    ASCII becomes a \\uXXXX escape, which is the same JSON, valid in any ASCII-compatible
    encoding (and in UTF-8, which is what a JSON reader expects)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not text.isascii():
            text = "".join(c if c.isascii() else _json_escape(c) for c in text)
        self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_stream(stream: Any) -> Any:
    """`stream` itself when it takes every character, else a JsonEscaping around it."""
    return stream if can_encode_all(stream) else JsonEscaping(stream)
