"""The wheel carries everything skorasn needs: built from a copy of the sources, installed
into a fresh virtual environment, and run there on the example data.

The tests import skorasn from the work tree, so only this proves that the templates and every
other data file ship. It runs offline: the wheel is built without build isolation, and the new
environment borrows the test environment's dependencies through a .pth file, after its own
site-packages, so that the installed wheel, not the work tree, is what runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT

EXAMPLE = ROOT / "contoh_data" / "nilai_pelatihan_ai_2025.xlsx"


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the skorasn wheel installed."""
    work = tmp_path_factory.mktemp("roda")
    source = work / "sumber"
    shutil.copytree(
        ROOT / "skorasn", source / "skorasn", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        work / "dist",
        source,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("skorasn-*.whl")

    venv = work / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel
    )
    assert done.returncode == 0, done.stdout + done.stderr
    target = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    borrowed = Path(target.stdout.strip()) / "zz_dependensi_tes.pth"
    borrowed.write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python.parent


@pytest.mark.slow
def test_the_installed_wheel_runs_tier_on_the_example(installed: Path, tmp_path: Path) -> None:
    python = installed / ("python.exe" if os.name == "nt" else "python")
    where = _run(python, "-c", "import skorasn; print(skorasn.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout

    script = installed / ("skorasn.exe" if os.name == "nt" else "skorasn")
    result = _run(script, "tier", EXAMPLE, "-o", "laporan.html", "-o", "laporan.xlsx", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # the example has galat
    assert "Traceback" not in result.stderr
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert "Rekap Nilai Pelatihan" in html  # templates/laporan.html.j2 shipped
    assert (tmp_path / "laporan.xlsx").stat().st_size > 0
