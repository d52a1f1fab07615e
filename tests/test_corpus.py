"""Every odd, old, broken or hostile workbook of calamine's own test suite gets a clean answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CORPUS as SHARED_CORPUS
from .conftest import Run

CORPUS = SHARED_CORPUS / "calamine"
SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
FILES = (
    sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in SUFFIXES) if CORPUS.is_dir() else []
)


@pytest.mark.corpus
@pytest.mark.skipif(
    not FILES, reason=f"{CORPUS} tidak ada (set SKORASN_CORPUS; korpus hanya di mesin tim)"
)
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_gets_a_clean_answer(run: Run, path: Path) -> None:
    result = run("tier", path, "--format", "json")
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
