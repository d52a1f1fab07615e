"""Unattended runs: locks, failed replacements, stale temporaries, hostile text, hostile files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from skorasn.safeio import TEMP_PREFIX, OutputLock

from .conftest import Run, nip

HEADER = ["NIP", "Nama", "Unit Kerja", "Skor"]


@pytest.fixture
def scores(write_xlsx: Callable[..., Path]) -> Path:
    return write_xlsx(
        {"Dasar": [HEADER, [nip(1), "Ani", "Dinas", 9], [nip(2), "Budi", "Dinas", 7]]}
    )


def test_second_run_on_a_locked_output_exits_75_and_names_the_holder(
    run: Run,
    scores: Path,
    tmp_path: Path,
) -> None:
    target = tmp_path / "hasil.json"
    target.write_text("laporan lama")
    with OutputLock(target):
        started = time.monotonic()
        result = run("tier", scores, "-o", target, "--tunggu", "0.3")
        waited = time.monotonic() - started
    assert result.exit_code == 75
    assert f"pid {os.getpid()}" in result.stderr or str(os.getpid()) in result.stderr
    assert waited >= 0.3
    assert target.read_text() == "laporan lama"


def test_lock_held_by_another_process_is_waited_for(run: Run, scores: Path, tmp_path: Path) -> None:
    target = tmp_path / "hasil.json"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from skorasn.safeio import OutputLock\n"
                f"with OutputLock(Path({str(target)!r})):\n"
                "    print('held', flush=True); time.sleep(0.8)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run("tier", scores, "-o", target, "--tunggu", "10")
    finally:
        holder.wait(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert '"peserta"' in target.read_text()


def test_report_held_open_keeps_the_old_one_and_says_to_close_it(
    run: Run,
    scores: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What Windows does while Excel has the report open: the rename is refused."""
    monkeypatch.chdir(tmp_path)
    typed = Path("laporan") / "hasil.json"  # as the user typed it, with this system's separator
    typed.parent.mkdir()
    typed.write_text("laporan lama")
    attempts = []

    def locked(*_: object) -> None:
        attempts.append(1)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    monkeypatch.setattr("time.sleep", lambda _: None)
    result = run("tier", scores, "-o", typed)
    assert result.exit_code == 73
    assert len(attempts) > 1  # retried before giving up
    assert (
        f"'{typed}': laporan sedang dibuka di program lain (Excel?); tutup lalu jalankan ulang"
        in result.stderr
    )
    assert typed.read_text() == "laporan lama"
    assert not list(typed.parent.glob(TEMP_PREFIX + "*"))


def test_stale_temporaries_of_dead_runs_are_removed(run: Run, scores: Path, tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    from skorasn.safeio.atomic import host_tag as _host_tag

    stale = tmp_path / f"{TEMP_PREFIX}{dead.stdout.strip()}-{_host_tag()}-{'0' * 12}.json"
    stale.write_text("setengah")
    unrelated = tmp_path / "catatan.json"
    unrelated.write_text("biarkan")
    assert run("tier", scores, "-o", tmp_path / "hasil.json").exit_code == 0
    assert not stale.exists() and unrelated.exists()


def test_control_characters_are_removed_with_a_warning(
    run: Run, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    source = write_csv(f"NIP;Nama;Skor;Tahap\n{nip(1)};Ani\x07 Su\x1bsanti;9;Dasar\n")
    code, document = run.json("tier", source)
    assert code == 0
    assert document["peserta"][0]["nama"] == "Ani Susanti"
    assert [(m["tingkat"], m["kolom"], m["baris"]) for m in document["masalah"]] == [
        ("peringatan", "B", 2)
    ]


def test_killed_cli_run_leaves_the_previous_report_whole(scores: Path, tmp_path: Path) -> None:
    """SIGKILL the real command while it writes; the last good report must survive."""
    target = tmp_path / "hasil.json"
    target.write_text('{"laporan": "lama"}')
    slow_writer = (
        "import sys, time\n"
        "import skorasn.reporting.writers as w\n"
        "original = w.write_json\n"
        "def slow(report, out, *rest):\n"
        "    out.write('{\"setengah\": ')\n"
        "    out.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(30)\n"
        "w.write_json = slow\n"
        "from skorasn.cli import main\n"
        f"sys.argv = ['skorasn', 'tier', {str(scores)!r}, '-q', '-o', {str(target)!r}]\n"
        "main()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", slow_writer], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    child.kill()
    child.wait(timeout=10)
    assert target.read_text() == '{"laporan": "lama"}'
    assert list(tmp_path.glob(TEMP_PREFIX + "*"))  # the orphan, cleaned by the next run
    result = subprocess.run(
        [sys.executable, "-m", "skorasn", "tier", str(scores), "-q", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob(TEMP_PREFIX + "*"))
    assert '"peserta"' in target.read_text()


# --- hostile files, crafted here rather than checked in ------------------------------------


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"<row>" + b"0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return path


def _html_as_xls(path: Path) -> Path:
    path.write_text("<html><body><table><tr><td>NIP</td></tr></table></body></html>")
    return path


def _truncated(path: Path, source: Path) -> Path:
    path.write_bytes(source.read_bytes()[: len(source.read_bytes()) // 2])
    return path


def _entities(path: Path, source: Path) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            copy.writestr(item, data)
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp, src: _bomb(tmp / "bom.xlsx"), "bom zip"),
        (lambda tmp, src: _html_as_xls(tmp / "ekspor.xls"), "HTML"),
        (lambda tmp, src: _truncated(tmp / "potong.xlsx", src), "terpotong"),
        (lambda tmp, src: _entities(tmp / "entitas.xlsx", src), "DOCTYPE"),
    ],
)
def test_hostile_file_is_refused_cheaply_and_the_others_still_read(
    run: Run,
    scores: Path,
    tmp_path: Path,
    make: Callable[[Path, Path], Path],
    words: str,
    inflated: list[int],
) -> None:
    hostile = make(tmp_path, scores)
    code, document = run.json("tier", hostile, scores)
    assert inflated[0] <= 4 * 1024 * 1024
    assert code == 1
    assert [p["nama"] for p in document["peserta"]] == ["Ani", "Budi"]
    refusal = [m for m in document["masalah"] if m["berkas"] == str(hostile)]
    assert len(refusal) == 1 and refusal[0]["tingkat"] == "galat"
    assert words.lower() in refusal[0]["pesan"].lower()


# --- a report folder for runs in a child process --------------------------------------------


@dataclass
class Reports:
    """A reports folder holding the last run's rekap.xlsx, and an empty folder that a child
    process gets as its system temp (TMPDIR)."""

    folder: Path
    system_temp: Path
    target: Path

    @property
    def env(self) -> dict[str, str]:
        return dict(os.environ, TMPDIR=str(self.system_temp))

    def run(self, *args: str, **options: object) -> subprocess.CompletedProcess[str]:
        """Python with `args`, as cron would start skorasn."""
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=self.env,
            **options,
        )

    def assert_untouched(self) -> None:
        """The old report is intact and no temporary file is left anywhere."""
        assert self.target.read_bytes() == b"laporan lama"
        assert _leftovers(self.folder) == [] and list(self.system_temp.iterdir()) == []


@pytest.fixture
def reports(tmp_path: Path) -> Reports:
    folder, system_temp = tmp_path / "laporan", tmp_path / "tmp"
    folder.mkdir()
    system_temp.mkdir()
    target = folder / "rekap.xlsx"
    target.write_bytes(b"laporan lama")
    return Reports(folder, system_temp, target)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


# --- signals: SIGTERM is handled like Ctrl-C ------------------------------------------------

PAUSED_XLSX_WRITER = """
import sys, time
import xlsxwriter
original_close = xlsxwriter.Workbook.close
def paused_close(book):
    # Every sheet's constant-memory temporary exists by now.
    print("writing", flush=True)
    time.sleep(30)
    original_close(book)
xlsxwriter.Workbook.close = paused_close
from skorasn.cli import main
sys.argv = ["skorasn", *sys.argv[1:]]
main()
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_write_cleans_up_logs_and_exits(
    scores: Path, reports: Reports, signum: int, code: int
) -> None:
    target, log = reports.target, reports.folder / "skorasn.log"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED_XLSX_WRITER, "tier", str(scores), "-q"]
        + ["-o", str(target), "--log", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=reports.env,
        # A child started with SIGINT ignored (a background job) would never see Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        scratch = [
            p for p in reports.folder.iterdir() if p.name.startswith(TEMP_PREFIX) and p.is_dir()
        ]
        assert scratch and any(scratch[0].iterdir())  # xlsxwriter's files, beside the report
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == code, stderr
    assert "dihentikan" in stderr and "Traceback" not in stderr
    assert target.read_bytes() == b"laporan lama"
    assert sorted(p.name for p in reports.folder.iterdir()) == [
        ".rekap.xlsx.lock",
        "rekap.xlsx",
        "skorasn.log",
    ]
    assert list(reports.system_temp.iterdir()) == []
    assert log.read_text(encoding="utf-8").splitlines()[-1].endswith(f" keluar={code}")
    with OutputLock(target):  # released
        pass


# --- output failures end in 73 or 2, never 70 -------------------------------------------------


DISK_FULL_WHEN_PACKING = """
import errno, sys, zipfile
def full(*_, **__):
    raise OSError(errno.ENOSPC, "No space left on device")
zipfile.ZipFile.write = full  # what xlsxwriter calls to pack each part into the .xlsx
from skorasn.cli import main
sys.argv = ["skorasn", *sys.argv[1:]]
main()
"""


def test_disk_full_while_xlsxwriter_packs_the_workbook_exits_73(
    scores: Path, reports: Reports
) -> None:
    target = str(reports.target)
    result = reports.run("-c", DISK_FULL_WHEN_PACKING, "tier", str(scores), "-o", target)
    assert result.returncode == 73, result.stderr
    assert "disk penuh" in result.stderr and "kosongkan ruang disk" in result.stderr
    # Not even the garbage collector's complaint about the half-written zip reaches the user.
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    reports.assert_untouched()


FILE_SIZE_LIMIT = 64 * 1024


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


@pytest.mark.skipif(os.name == "nt", reason="RLIMIT_FSIZE is POSIX")
def test_a_real_failed_write_inside_xlsxwriter_exits_73(
    write_xlsx: Callable[..., Path], reports: Reports
) -> None:
    """The operating system refuses the writer's own temporary files mid-sheet (a file size
    limit: like a full disk, but only for this process)."""
    rows = [
        [nip(i % 1000, birth=f"198{i // 1000}0101"), f"Peserta {i}", "Dinas", 7]
        for i in range(1500)
    ]
    scores = write_xlsx({"Dasar": [HEADER, *rows]})
    target = str(reports.target)
    result = reports.run(
        "-m", "skorasn", "tier", str(scores), "-q", "-o", target, preexec_fn=_limit_file_size
    )
    assert result.returncode == 73, result.stderr
    assert "terlalu besar" in result.stderr and "Traceback" not in result.stderr
    reports.assert_untouched()


@pytest.mark.parametrize(
    ("name", "limit"),
    [("a" * 300 + ".json", None), ("b" * 245 + ".json", "249"), ("é" * 130 + ".json", None)],
)
def test_output_name_too_long_is_a_usage_error(
    run: Run, scores: Path, tmp_path: Path, name: str, limit: str | None
) -> None:
    if os.name == "nt" and name.startswith("é"):
        pytest.skip("Windows counts characters, not bytes")
    result = run("tier", scores, "-o", tmp_path / name)
    assert result.exit_code == 2, result.output
    assert "nama berkas terlalu panjang" in result.stderr
    assert limit is None or f"paling banyak {limit}" in result.stderr
    assert len(result.stderr.splitlines()[0]) < 400  # the name is shortened, not echoed whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skor.xlsx"]


@pytest.mark.skipif(os.name == "nt", reason="PATH_MAX is a POSIX limit")
def test_output_path_over_the_system_limit_is_a_usage_error(
    run: Run, scores: Path, tmp_path: Path
) -> None:
    deep = tmp_path.joinpath(*["folder" * 40] * 20) / "rekap.json"
    result = run("tier", scores, "-o", deep)
    assert result.exit_code == 2, result.output
    assert "jalur terlalu panjang" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skor.xlsx"]


def _symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except OSError:
        pytest.skip("symlinks are not allowed here")


@pytest.mark.parametrize("pointed", ["rekap.xlsx", "rekap", "rekap.JSON.bak"])
def test_symlink_to_another_format_is_a_usage_error(
    run: Run, scores: Path, tmp_path: Path, pointed: str
) -> None:
    real = tmp_path / pointed
    real.write_bytes(b"laporan lama")
    link = tmp_path / "latest.json"
    _symlink(link, real)
    result = run("tier", scores, "-o", link)
    assert result.exit_code == 2, result.output
    assert "tautan simbolik" in result.stderr and str(real) in result.stderr
    assert real.read_bytes() == b"laporan lama" and link.is_symlink()
    assert _leftovers(tmp_path) == []


def test_symlink_to_the_same_format_is_followed(run: Run, scores: Path, tmp_path: Path) -> None:
    real = tmp_path / "rekap-2025.JSON"
    real.write_text("laporan lama")
    link = tmp_path / "latest.json"
    _symlink(link, real)
    assert run("tier", scores, "-o", link).exit_code == 0
    assert link.is_symlink() and '"peserta"' in real.read_text()
