"""The example data's reports, compared with the checked-in golden files (tests/golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .golden import GOLDEN, NAMES, produce


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return produce(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", NAMES)
def test_output_matches_its_golden_file(produced: dict[str, str], name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert produced[name] == expected, f"{name} berubah; bila disengaja: python tests/golden.py"


def test_golden_files_are_only_the_known_ones() -> None:
    assert sorted(p.name for p in Path(GOLDEN).iterdir()) == sorted(NAMES)
