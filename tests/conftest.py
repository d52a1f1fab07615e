"""Shared fixtures: a pinned, colourless terminal and small workbook builders."""

from __future__ import annotations

import compileall
import json
import os
import sys
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

# The Windows mode (SKORASN_TANPA_FCNTL=1) must be in place before skorasn is imported, here and
# in every Python the tests start.
WITHOUT_FCNTL = Path(__file__).parent / "without_fcntl"
sys.path.insert(0, str(WITHOUT_FCNTL))
import hide_fcntl  # noqa: E402

if hide_fcntl.install():
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(WITHOUT_FCNTL), os.environ.get("PYTHONPATH")) if part
    )
sys.path.remove(str(WITHOUT_FCNTL))

from skorasn.cli import app  # noqa: E402
from skorasn.cli.i18n import install  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONTOH = ROOT / "contoh_data"
# The team's shared corpus of odd workbooks; tests that need it skip with a reason without it.
CORPUS = Path(os.environ.get("SKORASN_CORPUS", ROOT.parent / "shared" / "corpus"))
TEST_DATA = Path(__file__).parent / "data"

install()


@pytest.fixture(scope="session", autouse=True)
def _bytecode_once() -> None:
    """Dozens of tests start `python -m skorasn` as a process of its own. Where writing
    bytecode is switched off (PYTHONDONTWRITEBYTECODE, as on the CI machine), each start would
    compile every module again; compiled once here, they all load it. Nothing is lost if the
    folder cannot be written: the processes then compile as before."""
    compileall.compile_dir(ROOT / "skorasn", quiet=2)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output must not depend on the terminal running the tests."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("SKORASN_DEBUG", raising=False)


def nip(serial: int, gender: int = 1, birth: str = "19800101", tmt: str = "200501") -> str:
    """A plausible 18-digit NIP: birth date, TMT CPNS, gender digit, serial."""
    return f"{birth}{tmt}{gender}{serial:03d}"


@dataclass
class Traced:
    peak: int = 0  # bytes


@contextmanager
def traced_peak() -> Iterator[Traced]:
    """The peak of Python allocations (tracemalloc) inside the block: bounded work measured
    as memory, never as time. The peak is set when the block ends without an exception."""
    traced = Traced()
    tracemalloc.start()
    try:
        yield traced
        _, traced.peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()


@pytest.fixture
def inflated(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes the zip guard has decompressed so far: the work a hostile zip made it do."""
    from skorasn.reading import zipguard

    counted = [0]
    original = zipguard._inflated_chunks

    def counting(handle, size):  # type: ignore[no-untyped-def]
        for chunk in original(handle, size):
            counted[0] += len(chunk)
            yield chunk

    monkeypatch.setattr(zipguard, "_inflated_chunks", counting)
    return counted


def write_scores(
    path: Path, header: Sequence[str], sheets: dict[str, Sequence[Sequence[Any]]]
) -> Path:
    """A trainer's workbook with `header` on each sheet; the first column is formatted as Text,
    and values such as '=HYPERLINK(…)' are stored as text, as a person typing them would."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows(min_row=2):
            cells[0].number_format = "@"
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(path)
    return path


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write a workbook with openpyxl: {sheet name: rows}; rows are lists of cell values."""
    from openpyxl import Workbook

    def write(
        sheets: dict[str, Sequence[Sequence[Any]]],
        name: str = "skor.xlsx",
        hidden: Sequence[str] = (),
    ) -> Path:
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
            if title in hidden:
                sheet.sheet_state = "hidden"
        path = tmp_path / name
        book.save(path)
        return path

    return write


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(text: str, name: str = "skor.csv", encoding: str = "utf-8-sig") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


class Run:
    """The CLI through CliRunner, with stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(app, [str(a) for a in args], input=input)

    def json(self, *args: str) -> tuple[int, dict[str, Any]]:
        result = self(*args, "--format", "json")
        assert result.exit_code in (0, 1), result.output + result.stderr
        return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def run() -> Run:
    return Run()
