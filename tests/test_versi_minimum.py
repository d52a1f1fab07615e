"""Every dependency in pyproject.toml states a floor that scripts/cek_versi_minimum.py can pin.

The floor run itself downloads packages and takes minutes, so it is not part of the suite (the
README says how to run it); this only keeps pyproject.toml in a shape it can prove.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib

import pytest

from .conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location(
        "cek_versi_minimum", ROOT / "scripts" / "cek_versi_minimum.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # its dataclass looks its module up while being built
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _project(dependencies, test=(), build=()):
    return {
        "build-system": {"requires": list(build)},
        "project": {
            "dependencies": list(dependencies),
            "optional-dependencies": {"test": list(test), "dev": []},
        },
    }


def test_every_requirement_of_the_project_is_pinned_exactly():
    found = SCRIPT.floors(PYPROJECT)  # refuses, by name, a requirement without a floor
    named = {
        SCRIPT.canonical(re.match(r"[A-Za-z0-9._-]+", text).group())
        for _, text in SCRIPT.requirements(PYPROJECT, SCRIPT.EXTRAS)
    }
    assert set(found) == named
    for pin in SCRIPT.pins(found):
        name, version = pin.split("==")
        assert SCRIPT.canonical(name) in named and version == found[SCRIPT.canonical(name)].version


def test_a_dependency_without_a_floor_is_refused_by_name():
    with pytest.raises(SystemExit, match=r"xlsxwriter \(dependencies\): tidak punya batas bawah"):
        SCRIPT.floors(_project(["pandas>=3.1.0", "xlsxwriter"]))


def test_a_package_named_twice_is_pinned_at_the_higher_floor_and_keeps_its_exclusions():
    found = SCRIPT.floors(
        _project(
            ["openpyxl>=3.0.9", "Jinja2 >= 3.0"],
            test=["openpyxl!=3.1.0,!=3.1.1", "jinja2>=3.0.0; python_version >= '3.11'"],
            build=["setuptools>=77.0.1"],
        )
    )
    assert SCRIPT.pins(found) == [
        "Jinja2==3.0; python_version >= '3.11'",
        "openpyxl==3.0.9",
        "setuptools==77.0.1",
    ]
    assert found["openpyxl"].excluded == {"3.1.0", "3.1.1"}


def test_a_floor_that_is_also_excluded_is_refused():
    with pytest.raises(SystemExit, match=r"openpyxl: batas bawah 3\.1\.0 dikecualikan sendiri"):
        SCRIPT.floors(_project(["openpyxl>=3.1.0"], test=["openpyxl!=3.1.0"]))


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("3.0.0.260204", "3.0.3.260530"), ("77", "77.0.1"), ("0.9.0", "0.29.0"), ("6.2.4", "6.10")],
)
def test_versions_compare_by_number_not_by_text(lower, higher):
    assert SCRIPT.version_key(lower) < SCRIPT.version_key(higher)
    assert SCRIPT.version_key("3.1") == SCRIPT.version_key("3.1.0")
