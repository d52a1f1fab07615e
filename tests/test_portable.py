"""The office's Windows PCs, checked from here: no POSIX-only code on the common path, output
that survives a cp1252 or ascii console, and a reader that goes away early (| head, >&-).

The lock's Windows path runs in the suite's Windows mode (SKORASN_TANPA_FCNTL=1, see
tests/without_fcntl/), which CI runs as a second pass over the lock, atomic-write and CLI tests.
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from skorasn.console import JsonEscaping, ascii_for
from skorasn.safeio import OutputLock
from skorasn.safeio.system import byte_lock

from .conftest import CONTOH, ROOT, Run, hide_fcntl, nip, write_scores

PACKAGE = ROOT / "skorasn"
EXAMPLE = CONTOH / "nilai_pelatihan_ai_2025.xlsx"

POSIX_ONLY_MODULES = {
    "fcntl", "resource", "pwd", "grp", "termios", "tty", "pty", "posix", "crypt", "spwd",
    "syslog", "nis", "curses", "readline", "_posixsubprocess",
}  # fmt: skip
WINDOWS_ONLY_MODULES = {"msvcrt", "winreg", "_winapi", "winsound", "nt", "ctypes.wintypes"}
POSIX_ONLY_OS = {
    "fork", "getuid", "geteuid", "getgid", "setsid", "killpg", "getpgid", "lockf", "F_TLOCK",
    "F_ULOCK", "pread", "pwrite", "sync", "mkfifo", "O_NOFOLLOW", "O_NONBLOCK", "O_DIRECTORY",
    "O_NOCTTY", "statvfs", "pathconf", "fpathconf", "getloadavg", "sched_getaffinity", "WNOHANG",
}  # fmt: skip
# What Windows' signal module has; anything else (SIGPIPE, SIGHUP, SIGKILL, ...) is POSIX only.
WINDOWS_SIGNALS = {"SIGABRT", "SIGFPE", "SIGILL", "SIGINT", "SIGSEGV", "SIGTERM", "SIGBREAK"}
PLATFORM_TESTS = ("sys.platform", "os.name", "TYPE_CHECKING")


def _platform_guard(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and any(t in ast.unparse(node.test) for t in PLATFORM_TESTS)


def _import_guard(node: ast.AST) -> bool:
    if not isinstance(node, ast.Try):
        return False
    caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
    return bool(caught & {"ImportError", "ModuleNotFoundError", "(ImportError, OSError)"})


def platform_problems(source: str) -> list[str]:
    """Every POSIX- or Windows-only import, os attribute or signal in `source` that is not
    inside a platform test (or, for an import, a try that catches ImportError), and every
    signal constant touched at import time."""
    problems: list[str] = []

    def visit(node: ast.AST, guarded: bool, in_function: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom) and not guarded:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name in POSIX_ONLY_MODULES | WINDOWS_ONLY_MODULES:
                    problems.append(f"line {node.lineno}: import {name}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner, attribute = node.value.id, node.attr
            if owner == "os" and attribute in POSIX_ONLY_OS and not guarded:
                problems.append(f"line {node.lineno}: os.{attribute}")
            if owner == "signal" and attribute.startswith("SIG") and "_" not in attribute:
                if attribute not in WINDOWS_SIGNALS and not guarded:
                    problems.append(f"line {node.lineno}: signal.{attribute}")
                if not in_function:
                    problems.append(f"line {node.lineno}: signal.{attribute} at import time")
        for child in ast.iter_child_nodes(node):
            visit(
                child,
                guarded or _platform_guard(node) or (_import_guard(node) and child in node.body),
                in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef),
            )

    visit(ast.parse(source), guarded=False, in_function=False)
    return problems


def _sources() -> Iterator[Path]:
    return iter(sorted(PACKAGE.rglob("*.py")))


@pytest.mark.parametrize("path", list(_sources()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_platform_only_code_outside_a_guard(path: Path) -> None:
    assert platform_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import fcntl\n", ["line 1: import fcntl"]),
        ("def f():\n    import resource\n", ["line 2: import resource"]),
        ("from msvcrt import locking\n", ["line 1: import msvcrt"]),
        ("import signal\nX = signal.SIGTERM\n", ["line 2: signal.SIGTERM at import time"]),
        (
            "import signal\ndef f():\n    signal.signal(signal.SIGPIPE, signal.SIG_DFL)\n",
            ["line 3: signal.SIGPIPE"],
        ),
        ("import os\ndef f(fd):\n    return os.pread(fd, 1, 0)\n", ["line 3: os.pread"]),
        ("try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n", []),
        ("import sys\nif sys.platform == 'win32':\n    import msvcrt\nelse:\n    import pwd\n", []),
        ("import signal\ndef f():\n    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n", []),
        ("import os\nflags = getattr(os, 'O_DIRECTORY', 0)\n", []),
    ],
)
def test_the_platform_check_itself(source: str, found: list[str]) -> None:
    assert platform_problems(source) == found


CHILD_LOCK = "from skorasn.safeio.system import byte_lock; print(byte_lock().name)"


def test_the_lock_in_use_matches_the_mode_here_and_in_started_processes() -> None:
    expected = "lockf" if hide_fcntl.active() else "flock"
    if os.name == "nt":
        expected = "msvcrt.locking"
    child = subprocess.run(
        [sys.executable, "-c", CHILD_LOCK], capture_output=True, text=True, timeout=60
    )
    assert (byte_lock().name, child.stdout.strip()) == (expected, expected), child.stderr


# --- consoles that are not UTF-8 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ascii_text"),
    [
        ("skor ≥ 9, ≤ 5", "skor >= 9, <= 5"),
        ("Tahap dasar — 151 peserta · 3 × 2 … “ok” ‘ya’ – █", None),
        ("Amélia Nuñez", "Amelia Nunez"),
        ("日本", "??"),
        ("────", "----"),  # the rule under a tier list's header
    ],
)
def test_every_character_has_an_ascii_stand_in(text: str, ascii_text: str | None) -> None:
    converted = text.encode("ascii", "skorasn").decode("ascii")
    assert converted == "".join(ascii_for(c) if not c.isascii() else c for c in text)
    if ascii_text is not None:
        assert converted == ascii_text
    assert "—" not in converted and converted.isascii()


def test_json_on_a_narrow_stream_is_escaped_not_lost() -> None:
    import io

    document = {"nama": "Amélia — 日本 \U0001f600", "skor": 9}
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    JsonEscaping(stream).write(json.dumps(document, ensure_ascii=False))
    stream.flush()
    raw = stream.buffer.getvalue()  # type: ignore[attr-defined]
    assert raw.isascii() and json.loads(raw.decode("ascii")) == document


def _cases(tmp: Path) -> dict[str, tuple[list[str], int, str]]:
    """name: (arguments, exit code, text that must appear in stdout + stderr, as the console's
    encoding lets it: `–` stays in cp1252 and becomes `-` in ascii)."""
    empty = tmp / "kosong.csv"
    empty.write_bytes(b"")
    bad_rules = tmp / "aturan_salah.toml"
    bad_rules.write_text('lanjut_min = "sembilan"\n', encoding="utf-8")
    not_a_folder = tmp / "bukan_folder"
    not_a_folder.write_text("x")
    # Small, with what the example has: accents, a galat with quotes in its message, two stages.
    small = write_scores(
        tmp / "kecil.xlsx",
        ["NIP", "Nama", "Unit Kerja", "Skor"],
        {
            "Dasar": [[nip(1), "Amélia Nuñez", "Dinas Pariwisata — Sukabumi", 9]]
            + [[nip(2), "Budi “Bud” Santoso", "Bappeda", "sembilan"], [nip(3), "Cici", "BKD", 4]],
            "Lanjutan 1": [[nip(3), "Cici", "BKD", 10]],
        },
    )
    example, small_ = str(EXAMPLE), str(small)
    return {
        "tier": (["tier", example], 1, "Tahap dasar —"),
        "tier-small": (["tier", small_], 1, "Amélia Nuñez"),
        "tier-json": (["tier", small_, "--format", "json"], 1, '"peserta"'),
        "tier-quiet": (["tier", small_, "-q"], 1, "galat"),
        "periksa": (["periksa", small_], 1, "(skor 4) — tidak boleh"),
        "periksa-json": (["periksa", small_, "--format", "json"], 1, '"masalah"'),
        "aturan": (["aturan"], 0, "lanjut_min"),
        "templat": (["templat", "templat.xlsx"], 0, "Templat ditulis"),
        "help": (["--help"], 0, "Penggunaan"),
        "help-tier": (["tier", "--help"], 0, "Penggunaan"),
        "help-periksa": (["periksa", "--help"], 0, "Penggunaan"),
        "help-templat": (["templat", "--help"], 0, "skor 0–10"),
        "help-aturan": (["aturan", "--help"], 0, "Penggunaan"),
        "usage-click": (["tier", small_, "--tunggu", "-1"], 2, "harus ≥ 0"),
        "usage-option": (["tier", small_, "--pemisah", "|"], 2, "--pemisah"),
        "usage-rules": (["aturan", "--config", str(bad_rules)], 2, "angka 0–10"),
        "missing-file": (["tier", str(tmp / "hilang.xlsx")], 3, "hilang.xlsx"),
        "nothing-readable": (["tier", str(empty)], 3, "kosong.csv"),
        "locked": (["tier", small_, "-o", str(tmp / "terkunci.json")], 75, "sedang dikerjakan"),
        "unwritable": (["tier", small_, "-o", str(not_a_folder / "x.json")], 73, "bukan folder"),
    }


# One Python per encoding runs every case through skorasn's own entry point, exactly as the
# installed command does (PYTHONIOENCODING sets the streams it finds), one case after another:
# starting a Python per case would cost most of a minute.
DRIVER = """
import json, os, sys
from skorasn.cli import main
for name, arguments in json.loads(sys.argv[1]).items():
    for fd in (1, 2):
        os.write(fd, f"\\n@@@ {name}\\n".encode())
    sys.argv = ["skorasn", *arguments]
    try:
        main()
        code = 0
    except SystemExit as exit:
        code = exit.code or 0
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, f"\\n@@@ {name} keluar={code}\\n".encode())
"""


def _split(raw: bytes) -> dict[str, bytes]:
    parts = raw.split(b"\n@@@ ")[1:]
    return {part.split(b"\n", 1)[0].decode(): part.split(b"\n", 1)[1] for part in parts}


@pytest.fixture(scope="module")
def narrow_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every case under cp1252 and under ascii, the locked case's lock held meanwhile."""
    tmp = tmp_path_factory.mktemp("konsol")
    cases = _cases(tmp)
    arguments = json.dumps({name: case[0] for name, case in cases.items()})
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    results: dict[str, object] = {"cases": cases}
    with OutputLock(tmp / "terkunci.json"):
        children = {}
        for encoding in ("cp1252", "ascii"):
            folder = tmp / encoding  # no skorasn.toml here; templat writes its own copy
            folder.mkdir()
            children[encoding] = subprocess.Popen(
                [sys.executable, "-c", DRIVER, arguments],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=folder,
                env=dict(env, PYTHONIOENCODING=encoding, NO_COLOR="1"),
            )
        for encoding, child in children.items():
            stdout, stderr = child.communicate(timeout=300)
            results[encoding] = (_split(stdout), _split(stderr))
    return results


def _case_names() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return list(_cases(Path(folder)))


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("name", _case_names())
def test_output_survives_a_narrow_console(
    narrow_runs: dict, run: Run, name: str, encoding: str
) -> None:
    arguments, code, expected = narrow_runs["cases"][name]
    outputs, errors = narrow_runs[encoding]
    raw_stdout = outputs[name]
    stdout = raw_stdout.decode(encoding)  # strict: every byte must be valid here
    stderr = errors[name].decode(encoding)
    exits = [key for key in outputs if key.startswith(f"{name} keluar=")]
    assert exits == [f"{name} keluar={code}"], stderr
    assert "Traceback" not in stderr and "galat internal" not in stderr
    assert expected.encode(encoding, "skorasn").decode(encoding) in stdout + stderr
    if name.endswith("-json"):  # escaped where needed, never lost
        wide = run(*arguments).stdout
        assert stdout.isascii() and json.loads(stdout) == json.loads(wide)


# --- a reader that goes away ------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough participants that the JSON is far larger than a pipe's buffer."""
    from openpyxl import Workbook

    path = tmp_path_factory.mktemp("pipa") / "besar.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Dasar"
    sheet.append(["NIP", "Nama", "Unit Kerja", "Skor"])
    for i in range(800):
        sheet.append([nip(i % 1000, birth=f"19{80 + i // 1000}0101"), f"Peserta {i}", "Dinas", 9])
    book.save(path)
    return path


def test_json_into_head_ends_quietly_with_the_runs_code(big_input: Path, tmp_path: Path) -> None:
    log = tmp_path / "skorasn.log"
    child = subprocess.Popen(
        [sys.executable, "-m", "skorasn", "tier", str(big_input), "--format", "json"]
        + ["--log", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    head = child.stdout.read(100)  # what `head -c 100` does, then it exits
    child.stdout.close()
    stderr = child.stderr.read()
    child.wait(timeout=120)
    assert head.startswith(b"{")
    assert child.returncode == 0, stderr
    assert stderr == b""
    assert log.read_text(encoding="utf-8").rstrip().endswith("keluar=0")


@pytest.mark.skipif(os.name == "nt", reason="`>&-` is a POSIX shell's")
def test_closed_stdout_ends_quietly_and_still_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "rekap.json"
    result = subprocess.run(
        ["sh", "-c", '"$0" -m skorasn tier "$1" --format json -o "$2" >&-']
        + [sys.executable, str(EXAMPLE), str(report)],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr  # the example's galat, as without >&-
    assert result.stderr == b""
    assert '"peserta"' in report.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a disk that is full)")
@pytest.mark.parametrize("command", [["tier", "--format", "json"], ["periksa"]])
def test_stdout_on_a_full_disk_is_an_output_failure_not_an_internal_one(
    tmp_path: Path, command: list[str]
) -> None:
    log = tmp_path / "skorasn.log"
    logged = ["--log", str(log)] if command[0] == "tier" else []
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "skorasn", command[0], str(EXAMPLE), *command[1:], *logged],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 73, stderr
    assert "stdout tidak dapat ditulis (disk penuh)" in stderr
    assert "galat internal" not in stderr and "Traceback" not in stderr
    if logged:
        assert log.read_text(encoding="utf-8").rstrip().endswith("keluar=73")


def _name_not_utf8(folder: Path, stem: bytes, suffix: str) -> Path:
    """A file whose name is not UTF-8 (possible on Linux); the test skips where the file
    system refuses such a name."""
    if sys.platform == "win32":
        pytest.skip("Windows menyimpan nama berkas sebagai UTF-16, selalu sah")
    path = Path(os.fsdecode(os.fsencode(folder) + b"/" + stem + suffix.encode()))
    try:
        path.write_bytes(b"")
    except OSError:
        pytest.skip("sistem berkas ini menolak nama yang bukan UTF-8")
    return path


@pytest.mark.parametrize(
    ("stem", "source", "shown_as"),
    [
        (b"caf\xe9", "nilai_pelatihan_ai_2025.csv", "caf\\xe9.csv"),
        (b"n\xe9", "nilai_pelatihan_ai_2025.xlsx", "n\\xe9.xlsx"),
    ],
)
def test_a_file_whose_name_is_not_utf8_is_read_and_named(
    tmp_path: Path, run: Run, stem: bytes, source: str, shown_as: str
) -> None:
    target = _name_not_utf8(tmp_path, stem, Path(source).suffix)
    target.write_bytes((CONTOH / source).read_bytes())
    register = tmp_path / "arsip.db"
    for _ in range(2):  # the second run checks against what the first recorded
        code, report = run.json("tier", target, "--arsip", register)
        assert code == 1  # the example data's planted galat
        assert len(report["peserta"]) == 203
        names = {p["sumber"].split(":")[0].rsplit("/", 1)[-1] for p in report["peserta"]}
        assert names == {shown_as}


def test_arguments_that_are_not_utf8_reach_every_output(tmp_path: Path) -> None:
    """The lock's holder note, the arsip's command line, the log line and a filter all take
    such an argument; none of them ends in an internal error."""
    source = _name_not_utf8(tmp_path, b"n\xff", ".csv")
    source.write_bytes((CONTOH / "nilai_pelatihan_ai_2025.csv").read_bytes())
    odd = _name_not_utf8(tmp_path, b"x\xff", ".json")
    odd.unlink()
    for extra in (
        ["-o", odd],
        ["--arsip", odd.with_suffix(".db")],
        ["-q", "--log", odd.with_suffix(".log")],
        ["--unit", os.fsdecode(b"Dinas \xff"), "-o", tmp_path / "saring.json"],
    ):
        # A real process: its standard streams are set up as a user's are.
        result = subprocess.run(
            [sys.executable, "-m", "skorasn", "tier", source, *extra],
            capture_output=True,
            cwd=ROOT,
            check=False,
        )
        assert result.returncode == 1, (extra, result.stderr)  # the planted galat
    assert json.loads(odd.read_text(encoding="utf-8"))["peserta"]
    assert "masukan=" in odd.with_suffix(".log").read_text(encoding="utf-8")
    command = sqlite3.connect(odd.with_suffix(".db")).execute("SELECT command FROM runs").fetchone()
    assert "n\\xff.csv" in command[0]


def test_a_name_written_with_a_literal_backslash_is_another_file_in_the_arsip(
    tmp_path: Path, run: Run
) -> None:
    """'a\\xff.csv' typed with a backslash and a name holding the byte 0xFF are shown alike,
    but the arsip keeps them apart: the second is not taken for the first with a row gone."""
    header = "NIP;Nama;Tahap;Skor\n"
    folder = tmp_path / "d"
    folder.mkdir()
    literal = folder / "a\\xff.csv"
    literal.write_text(header + f"{nip(1)};Ani;Dasar;9\n", encoding="utf-8")
    register = tmp_path / "arsip.db"
    assert run("tier", folder, "--arsip", register).exit_code == 0
    literal.rename(tmp_path / literal.name)
    byte = _name_not_utf8(folder, b"a\xff", ".csv")
    byte.write_text(header + f"{nip(2)};Budi;Dasar;8\n", encoding="utf-8")
    result = run("tier", folder, "--arsip", register, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    assert "baris dihapus" not in result.stderr + result.stdout
