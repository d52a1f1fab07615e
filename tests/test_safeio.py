"""Tests for skorasn.safeio: placeholders, input/output clashes, atomic writes, locks."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

import skorasn
from skorasn.errors import LockBusy, OutputError, UsageError
from skorasn.safeio import (
    TEMP_PREFIX,
    OutputLock,
    atomic_output,
    check_outputs_distinct_from_inputs,
    expand_placeholders,
    lock_all,
    remove_stale_temporaries,
    scratch_folder,
)
from skorasn.safeio.atomic import host_tag

MB = 1024 * 1024
SRC = str(Path(skorasn.__file__).resolve().parents[1])
TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def spawn(code: str, *args: object) -> subprocess.Popen[str]:
    """Run `code` in a fresh interpreter that can import skorasn."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def temps_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped, so the pid no longer exists (not even as a zombie)
    return proc.pid


# --------------------------------------------------------------------------- placeholders

NOW = datetime(2024, 3, 5, 7, 8, 9)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("rekap-{tanggal}.xlsx", "rekap-2024-03-05.xlsx"),
        ("out/{tanggal}/rekap-{waktu}.csv", "out/2024-03-05/rekap-070809.csv"),
        ("{tanggal}_{waktu}_{tanggal}.json", "2024-03-05_070809_2024-03-05.json"),
        ("rekap.xlsx", "rekap.xlsx"),
        ("rekap-100%.xlsx", "rekap-100%.xlsx"),
        ("%Y-%m-%d-{waktu}.xlsx", "%Y-%m-%d-070809.xlsx"),
    ],
)
def test_placeholders_filled(template: str, expected: str) -> None:
    assert expand_placeholders(template, NOW) == Path(expected)


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("rekap-{foo}.xlsx", "{foo}"),
        ("rekap-{}.xlsx", "{}"),
        ("rekap-{Tanggal}.xlsx", "{Tanggal}"),
        ("rekap-{tanggal:%Y}.xlsx", "{tanggal:%Y}"),
        ("rekap-{tanggal.xlsx", "'{'"),
        ("rekap-tanggal}.xlsx", "'}'"),
        ("rekap-{{tanggal}}.xlsx", "'{'"),
    ],
)
def test_placeholders_rejected(template: str, named: str) -> None:
    with pytest.raises(UsageError) as caught:
        expand_placeholders(template, NOW)
    message = str(caught.value)
    assert named in message
    assert "{tanggal}" in message and "{waktu}" in message


# --------------------------------------------------------------------------- outputs vs inputs


@pytest.fixture
def input_file(tmp_path: Path) -> Path:
    path = tmp_path / "nilai.xlsx"
    path.write_bytes(b"input")
    return path


def test_output_same_as_input(input_file: Path) -> None:
    with pytest.raises(UsageError, match="masukan"):
        check_outputs_distinct_from_inputs([input_file], [input_file])


def test_output_same_as_input_via_symlink(tmp_path: Path, input_file: Path) -> None:
    link = tmp_path / "tautan.xlsx"
    link.symlink_to(input_file)
    with pytest.raises(UsageError):
        check_outputs_distinct_from_inputs([link], [input_file])


def test_output_same_as_input_via_dotdot(tmp_path: Path, input_file: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(UsageError):
        check_outputs_distinct_from_inputs([tmp_path / "sub" / ".." / "nilai.xlsx"], [input_file])


def test_output_same_as_input_relative(
    tmp_path: Path, input_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError):
        check_outputs_distinct_from_inputs([Path("nilai.xlsx")], [input_file])


def test_output_same_as_input_via_hard_link(tmp_path: Path, input_file: Path) -> None:
    hard = tmp_path / "salinan.xlsx"
    os.link(input_file, hard)
    with pytest.raises(UsageError):
        check_outputs_distinct_from_inputs([hard], [input_file])


def test_two_outputs_the_same(tmp_path: Path, input_file: Path) -> None:
    (tmp_path / "sub").mkdir()
    first, second = tmp_path / "rekap.xlsx", tmp_path / "sub" / ".." / "rekap.xlsx"
    with pytest.raises(UsageError, match="Dua keluaran"):
        check_outputs_distinct_from_inputs([first, second], [input_file])


def test_distinct_outputs_pass(tmp_path: Path, input_file: Path) -> None:
    check_outputs_distinct_from_inputs(
        [tmp_path / "rekap.xlsx", tmp_path / "rekap.json"], [input_file]
    )


# --------------------------------------------------------------------------- atomic_output


def test_atomic_output_writes_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"lama")
    with atomic_output(target) as temp:
        assert temp.parent == tmp_path
        assert temp.name.startswith(TEMP_PREFIX) and temp.suffix == ".xlsx"
        temp.write_bytes(b"baru")
    assert target.read_bytes() == b"baru"
    assert temps_in(tmp_path) == []


def test_atomic_output_creates_parent(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "rekap.csv"
    with atomic_output(target) as temp:
        temp.write_text("x")
    assert target.read_text() == "x"


def test_atomic_output_parent_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    with pytest.raises(OutputError, match="Folder keluaran"):
        with atomic_output(blocker / "rekap.csv"):
            pass


def test_atomic_output_exception_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"laporan lama")
    with pytest.raises(ValueError):
        with atomic_output(target) as temp:
            temp.write_bytes(b"setengah")
            raise ValueError("penulis gagal")
    assert target.read_bytes() == b"laporan lama"
    assert temps_in(tmp_path) == []


def test_atomic_output_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"lama")
    target.chmod(0o640)
    with atomic_output(target) as temp:
        temp.write_bytes(b"baru")
    assert target.stat().st_mode & 0o777 == 0o640


def test_atomic_output_follows_symlink(tmp_path: Path) -> None:
    real = tmp_path / "rekap-2024.xlsx"
    real.write_bytes(b"lama")
    link = tmp_path / "rekap-terbaru.xlsx"
    link.symlink_to(real)
    with atomic_output(link) as temp:
        temp.write_bytes(b"baru")
    assert link.is_symlink() and real.read_bytes() == b"baru"


def _failing_replace(monkeypatch: pytest.MonkeyPatch, error: OSError, times: int) -> list[int]:
    calls: list[int] = []
    real_replace = os.replace

    def fake(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise error
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fake)
    return calls


@pytest.mark.parametrize(
    "error",
    [PermissionError(errno.EACCES, "Permission denied"), OSError(errno.EBUSY, "Device busy")],
)
def test_replace_failure_after_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    # Tests run as root, where chmod cannot deny a rename; simulate the refusal instead.
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"laporan lama")
    calls = _failing_replace(monkeypatch, error, times=100)
    with pytest.raises(OutputError) as caught:
        with atomic_output(target, retries=3, retry_delay=0) as temp:
            temp.write_bytes(b"baru")
    assert len(calls) == 4
    message = str(caught.value)
    assert str(target) in message and "lama" in message and "Excel" in message
    assert caught.value.exit_code == 73
    assert target.read_bytes() == b"laporan lama"
    assert temps_in(tmp_path) == []


def test_replace_not_retried_on_permanent_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "rekap.xlsx"
    calls = _failing_replace(monkeypatch, OSError(errno.ENOSPC, "No space left"), times=100)
    with pytest.raises(OutputError):
        with atomic_output(target, retries=3, retry_delay=0) as temp:
            temp.write_bytes(b"baru")
    assert len(calls) == 1
    assert temps_in(tmp_path) == []


def test_replace_succeeds_after_transient_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"lama")
    calls = _failing_replace(monkeypatch, PermissionError(errno.EACCES, "denied"), times=2)
    with atomic_output(target, retries=3, retry_delay=0) as temp:
        temp.write_bytes(b"baru")
    assert len(calls) == 3 and target.read_bytes() == b"baru"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_folder_real_chmod(tmp_path: Path) -> None:
    folder = tmp_path / "terkunci"
    folder.mkdir()
    target = folder / "rekap.xlsx"
    target.write_bytes(b"laporan lama")
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            with atomic_output(target, retry_delay=0) as temp:
                temp.write_bytes(b"baru")
    finally:
        folder.chmod(0o700)
    assert target.read_bytes() == b"laporan lama"


SLOW_WRITER = """
import sys, time
from pathlib import Path
from skorasn.safeio import atomic_output
chunk = b"N" * (1024 * 1024)
with atomic_output(Path(sys.argv[1])) as temp:
    with open(temp, "wb") as f:
        for _ in range(200):  # 200 MB, slowly, so the kill lands mid-write
            f.write(chunk)
            f.flush()
            time.sleep(0.01)
"""


def test_sigkill_mid_write_keeps_previous_report(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    previous = os.urandom(256 * 1024)
    target.write_bytes(previous)
    proc = spawn(SLOW_WRITER, target)
    try:
        deadline = time.monotonic() + 20
        while not any(t.stat().st_size >= 3 * MB for t in temps_in(tmp_path)):
            assert proc.poll() is None, "penulis selesai sebelum sempat dibunuh"
            assert time.monotonic() < deadline, "berkas sementara tidak pernah tumbuh"
            time.sleep(0.01)
        assert proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == previous
    orphans = temps_in(tmp_path)
    assert len(orphans) == 1 and str(proc.pid) in orphans[0].name
    assert remove_stale_temporaries(tmp_path) == orphans
    assert temps_in(tmp_path) == []
    assert target.read_bytes() == previous


# --------------------------------------------------------------------------- stale temporaries


def _touch(path: Path, age: float = 0) -> Path:
    path.write_bytes(b"x")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp), follow_symlinks=False)
    return path


def test_remove_stale_temporaries(tmp_path: Path) -> None:
    host = host_tag()
    other_host = "00000000" if host != "00000000" else "11111111"
    gone = dead_pid()

    def name(pid: int, tag: str = host, rand: str = "ab") -> str:
        return f"{TEMP_PREFIX}{pid}-{tag}-{rand * 6}.xlsx"

    dead_fresh = _touch(tmp_path / name(gone))
    live_old = _touch(tmp_path / name(os.getpid()), age=7200)
    other_old = _touch(tmp_path / name(gone, other_host, "cd"), age=7200)
    keep = [
        _touch(tmp_path / name(os.getpid(), rand="ef")),  # live writer, fresh
        _touch(tmp_path / name(gone, other_host)),  # other host: its pid means nothing here
        _touch(tmp_path / "rekap.xlsx", age=7200),
        _touch(tmp_path / f"{TEMP_PREFIX}bukan-pid", age=7200),
        _touch(tmp_path / f"{TEMP_PREFIX}{gone}-{host}-pendek.xlsx", age=7200),
    ]
    folder_lookalike = tmp_path / name(gone, rand="12")
    folder_lookalike.mkdir()
    os.utime(folder_lookalike, (0, 0))
    link_lookalike = tmp_path / name(gone, rand="34")
    link_lookalike.symlink_to(tmp_path / "rekap.xlsx")

    removed = remove_stale_temporaries(tmp_path, max_age_seconds=3600)

    assert sorted(removed) == sorted([dead_fresh, live_old, other_old])
    assert all(not p.exists() for p in removed)
    assert all(p.exists() for p in keep)
    assert folder_lookalike.is_dir() and link_lookalike.is_symlink()


def test_remove_stale_temporaries_missing_folder(tmp_path: Path) -> None:
    assert remove_stale_temporaries(tmp_path / "tidak-ada") == []


def _scratch(folder: Path, pid: int, tag: str, rand: str, age: float = 0) -> Path:
    scratch = folder / f"{TEMP_PREFIX}{pid}-{tag}-{rand * 6}.d"
    scratch.mkdir()
    _touch(scratch / "tmpabc123")  # an xlsxwriter temporary inside
    stamp = time.time() - age
    os.utime(scratch, (stamp, stamp))
    return scratch


def test_stale_scratch_folders_are_removed_with_their_contents(tmp_path: Path) -> None:
    host, gone = host_tag(), dead_pid()
    other_host = "00000000" if host != "00000000" else "11111111"
    dead = _scratch(tmp_path, gone, host, "ab")
    old = _scratch(tmp_path, os.getpid(), other_host, "cd", age=7200)
    keep = [
        _scratch(tmp_path, os.getpid(), host, "ef"),  # a live run's
        _scratch(tmp_path, gone, other_host, "12"),  # another host's, still fresh
    ]
    regular = _touch(tmp_path / f"{TEMP_PREFIX}{os.getpid()}-{host}-{'34' * 6}.d")  # a file
    removed = remove_stale_temporaries(tmp_path, max_age_seconds=3600)
    assert sorted(removed) == sorted([dead, old])
    assert not dead.exists() and not old.exists()
    assert all((k / "tmpabc123").exists() for k in keep) and regular.is_file()


@pytest.mark.parametrize("failure", [RuntimeError("gagal"), KeyboardInterrupt()])
def test_scratch_folder_is_removed_however_the_block_ends(
    tmp_path: Path, failure: BaseException
) -> None:
    target = tmp_path / "rekap.xlsx"
    with scratch_folder(target) as scratch:
        assert scratch.parent == tmp_path and scratch.name.startswith(TEMP_PREFIX)
        (scratch / "tmpdata").write_bytes(b"x" * 1000)
    assert not scratch.exists()
    with pytest.raises(type(failure)):
        with scratch_folder(target) as scratch:
            (scratch / "tmpdata").write_bytes(b"x")
            raise failure
    assert list(tmp_path.iterdir()) == []


def test_scratch_folder_that_cannot_be_made_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="Folder sementara") as caught:
        with scratch_folder(blocker / "rekap.xlsx"):
            pass
    assert caught.value.exit_code == 73


# --------------------------------------------------------------------------- locking

HOLDER = """
import sys, time
from pathlib import Path
from skorasn.safeio import OutputLock
with OutputLock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(target: Path, seconds: float) -> subprocess.Popen[str]:
    proc = spawn(HOLDER, target, seconds)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_lock_busy_names_holder(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    holder = hold_lock(target, 30)
    try:
        started = time.monotonic()
        with pytest.raises(LockBusy) as caught:
            with OutputLock(target, wait_seconds=0):
                pass
        assert time.monotonic() - started < 1
        message = str(caught.value)
        assert f"pid {holder.pid}" in message and TIME_RE.search(message)
        assert caught.value.exit_code == 75
    finally:
        holder.kill()
        holder.wait()
    assert (tmp_path / ".rekap.xlsx.lock").exists()


def test_lock_waits_for_release(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    holder = hold_lock(target, 0.5)
    try:
        started = time.monotonic()
        with OutputLock(target, wait_seconds=2):
            assert time.monotonic() - started < 2
    finally:
        holder.kill()
        holder.wait()


def test_lock_released_when_holder_killed(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    holder = hold_lock(target, 30)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with OutputLock(target, wait_seconds=0):
        pass


def test_lock_tolerates_half_written_info(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    with OutputLock(target) as held:
        held.lock_path.write_bytes(b'{"pid": 12')
        with pytest.raises(LockBusy, match="belum tercatat"):
            with OutputLock(target):
                pass
    assert (tmp_path / ".rekap.xlsx.lock").read_bytes() == b""  # cleared on release


def test_lock_all_dedups_and_releases_on_failure(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.json"
    (tmp_path / "sub").mkdir()
    with lock_all([second, first, tmp_path / "sub" / ".." / "a.xlsx"], wait_seconds=0):
        with pytest.raises(LockBusy):
            with OutputLock(first):
                pass
    with OutputLock(second):
        with pytest.raises(LockBusy):
            lock_all([first, second], wait_seconds=0)
        with OutputLock(first):  # the partial lock_all gave `first` back
            pass


WRITER = """
import os, sys
from pathlib import Path
from skorasn.safeio import OutputLock, atomic_output
target, log, mark, rounds = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
chunk = mark.encode() * (1024 * 1024)
log_fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
for _ in range(rounds):
    with OutputLock(target, wait_seconds=60):
        os.write(log_fd, f"start {mark}\\n".encode())
        with atomic_output(target) as temp:
            with open(temp, "wb") as f:
                for _ in range(5):
                    f.write(chunk)
        os.write(log_fd, f"end {mark}\\n".encode())
"""


def _assert_one_pattern(data: bytes) -> None:
    assert len(data) == 5 * MB
    assert data[:1] in (b"A", b"B") and data.strip(data[:1]) == b""


def test_concurrent_writers_never_interleave(tmp_path: Path) -> None:
    target, log = tmp_path / "rekap.bin", tmp_path / "log.txt"
    writers = [spawn(WRITER, target, log, mark, 6) for mark in "AB"]
    observed = 0
    while any(w.poll() is None for w in writers):
        if target.exists():  # readers never lock: the rename alone must keep them whole
            _assert_one_pattern(target.read_bytes())
            observed += 1
        time.sleep(0.005)
    assert [w.returncode for w in writers] == [0, 0]
    _assert_one_pattern(target.read_bytes())
    assert observed > 0
    lines = log.read_text().splitlines()
    assert len(lines) == 24
    for start, end in zip(lines[::2], lines[1::2], strict=True):
        assert start.startswith("start ") and end == "end " + start.split()[1]
    assert temps_in(tmp_path) == []
