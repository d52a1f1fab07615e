"""Every odd, old, broken or hostile workbook of calamine's own test suite gets a clean answer."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .conftest import SHARED, Run

CORPUS = SHARED / "corpus" / "calamine"
SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
FILES = (
    sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in SUFFIXES) if CORPUS.is_dir() else []
)
SECONDS_PER_FILE = 5


@pytest.mark.corpus
@pytest.mark.skipif(not FILES, reason="../shared/corpus/calamine tidak ada (hanya di mesin tim)")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_gets_a_clean_answer(run: Run, path: Path) -> None:
    started = time.monotonic()
    result = run("tier", path, "--format", "json")
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS_PER_FILE, f"{path.name} took {elapsed:.1f}s"
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 3), result.stderr
    if result.exit_code == 3:
        assert path.name in result.stderr
        return
    document = json.loads(result.stdout)
    if result.exit_code == 1:
        assert any(path.name in problem["berkas"] for problem in document["masalah"])
