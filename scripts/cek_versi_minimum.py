"""Prove the lower bounds in pyproject.toml: a fresh venv with every floor pinned exactly, then
the whole test suite and the static checks in it.

    python scripts/cek_versi_minimum.py              # all floors, all tests, static checks
    python scripts/cek_versi_minimum.py --cepat      # skip the tests marked slow
    python scripts/cek_versi_minimum.py --daftar     # only print the pins
    python scripts/cek_versi_minimum.py --python python3.11 --venv /tmp/venv-minimum

The pins are read from pyproject.toml on every run (build-system.requires, the dependencies
and the test and dev extras), so they never drift from what the project claims. Packages that
the dependencies bring in themselves are left to pip, which takes their newest versions: this
checks skorasn's own floors, as a resolver that picks the lowest direct versions would.
It downloads packages and takes a few minutes, so CI does not run it; run it after raising,
lowering or adding a dependency, and with the oldest Python that requires-python allows.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("test", "dev")
# A name, optional extras, the version specifiers, an optional environment marker (PEP 508,
# without direct URLs, which pyproject.toml does not use).
_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*"
    r"(?P<specs>[^;]*?)\s*(?:;\s*(?P<marker>.+?))?\s*$"
)
_SPECIFIER = re.compile(r"^(?P<op>===|==|~=|>=|<=|!=|>|<)\s*(?P<version>\S+)$")


@dataclass
class Floor:
    """What pyproject.toml says about one package, over all the places it is named."""

    name: str
    version: str | None = None
    excluded: set[str] = field(default_factory=set)
    marker: str | None = None
    sources: list[str] = field(default_factory=list)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Enough of PEP 440 to compare release floors such as 3.0.3.260530 with 3.1."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    key = [(int(p), "") if p.isdigit() else (-1, p) for p in parts]
    while key and key[-1] == (0, ""):
        key.pop()
    return tuple(key)


def requirements(pyproject: dict, extras: tuple[str, ...]) -> list[tuple[str, str]]:
    """(where, requirement) for everything the build, the package and the extras need."""
    found = [("build-system", r) for r in pyproject.get("build-system", {}).get("requires", [])]
    project = pyproject["project"]
    found += [("dependencies", r) for r in project.get("dependencies", [])]
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"pyproject.toml: ekstra [{extra}] tidak ada")
        found += [(f"[{extra}]", r) for r in optional[extra]]
    return found


def floors(pyproject: dict, extras: tuple[str, ...] = EXTRAS) -> dict[str, Floor]:
    """The floor of every package: the highest lower bound wherever it is named."""
    result: dict[str, Floor] = {}
    for where, text in requirements(pyproject, extras):
        match = _REQUIREMENT.match(text)
        if match is None:
            raise SystemExit(f"pyproject.toml {where}: persyaratan tidak terbaca: {text!r}")
        name = match["name"]
        floor = result.setdefault(canonical(name), Floor(name))
        floor.sources.append(where)
        floor.marker = floor.marker or match["marker"]
        for spec in filter(None, (s.strip() for s in match["specs"].split(","))):
            parsed = _SPECIFIER.match(spec)
            if parsed is None:
                raise SystemExit(f"pyproject.toml {where}: penentu versi tidak terbaca: {spec!r}")
            op, version = parsed["op"], parsed["version"]
            if op == "!=":
                floor.excluded.add(version)
            elif op in (">=", "~=", "==", "==="):
                if floor.version is None or version_key(version) > version_key(floor.version):
                    floor.version = version
    problems = [
        f"{f.name} ({', '.join(f.sources)}): tidak punya batas bawah (>=)"
        for f in result.values()
        if f.version is None
    ]
    problems += [
        f"{f.name}: batas bawah {f.version} dikecualikan sendiri (!={f.version})"
        for f in result.values()
        if f.version in f.excluded
    ]
    if problems:
        raise SystemExit("pyproject.toml:\n  " + "\n  ".join(problems))
    return result


def pins(found: dict[str, Floor]) -> list[str]:
    return [
        f"{f.name}=={f.version}" + (f"; {f.marker}" if f.marker else "")
        for f in sorted(found.values(), key=lambda f: canonical(f.name))
    ]


def _bin(venv: Path, tool: str) -> Path:
    return (
        venv
        / ("Scripts" if os.name == "nt" else "bin")
        / (tool + (".exe" if os.name == "nt" else ""))
    )


def _step(title: str, command: list[str | Path], results: list[tuple[str, bool, float]]) -> bool:
    print(f"\n== {title}\n+ {' '.join(str(c) for c in command)}", flush=True)
    start = time.monotonic()
    passed = subprocess.run([str(c) for c in command], cwd=ROOT, check=False).returncode == 0
    results.append((title, passed, time.monotonic() - start))
    return passed


def run(python: str, venv: Path, quick: bool, pytest_args: list[str]) -> bool:
    pinned = pins(floors(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))))
    results: list[tuple[str, bool, float]] = []
    py = _bin(venv, "python")
    pip = [py, "-m", "pip", "--disable-pip-version-check"]
    installed = (
        _step("membuat venv", [python, "-m", "venv", venv], results)
        and _step("memasang batas bawah", [*pip, "install", "-q", *pinned], results)
        # The build uses the pinned setuptools, so the build-system floor is proven too.
        and _step(
            "memasang skorasn",
            [*pip, "install", "-q", "--no-deps", "--no-build-isolation", "-e", ROOT],
            results,
        )
        and _step("pip check", [*pip, "check"], results)
    )
    if installed:
        subprocess.run([*map(str, pip), "list", "--format=freeze"], check=False)
        marker = ["-m", "not slow and not waktu"] if quick else []
        _step("tes", [py, "-m", "pytest", "-p", "no:cacheprovider", *marker, *pytest_args], results)
        _step("ruff check", [py, "-m", "ruff", "check", "skorasn", "tests", "bench"], results)
        _step(
            "ruff format",
            [py, "-m", "ruff", "format", "--check", "skorasn", "tests", "bench"],
            results,
        )
        _step("mypy", [py, "-m", "mypy", "skorasn"], results)
    print("\n== ringkasan batas bawah (" + ", ".join(pinned) + ")")
    for title, passed, seconds in results:
        print(f"  {'lulus' if passed else 'GAGAL'}  {title} ({seconds:.0f} dtk)")
    print(f"  total {sum(seconds for _, _, seconds in results) / 60:.1f} menit")
    return installed and all(passed for _, passed, _ in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Uji batas bawah dependensi di pyproject.toml dalam venv baru."
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter untuk venv")
    parser.add_argument("--venv", type=Path, help="folder venv (dibiarkan setelah selesai)")
    parser.add_argument("--cepat", action="store_true", help="lewati tes bertanda slow")
    parser.add_argument("--daftar", action="store_true", help="hanya cetak versi yang dipasang")
    parser.add_argument("pytest_args", nargs="*", help="argumen tambahan untuk pytest (setelah --)")
    options = parser.parse_args(argv)
    if options.daftar:
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        print("\n".join(pins(floors(pyproject))))
        return 0
    if options.venv is not None:
        if options.venv.exists():
            raise SystemExit(f"{options.venv} sudah ada; pilih folder baru atau hapus dulu")
        return 0 if run(options.python, options.venv, options.cepat, options.pytest_args) else 1
    scratch = Path(tempfile.mkdtemp(prefix="skorasn-minimum-"))
    try:
        ok = run(options.python, scratch / "venv", options.cepat, options.pytest_args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
