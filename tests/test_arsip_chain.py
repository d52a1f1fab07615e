"""Tamper evidence and bad registers: edits made behind skorasn's back are found, and a file
that is not a register of this skorasn is refused and left exactly as it was."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .arsip_days import ANI, BUDI, dasar_rows, query, run_count, tier, write_day
from .conftest import Run


@pytest.fixture(scope="module")
def three_runs_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register holding three runs of the dasar file, each a day further on."""
    folder = tmp_path_factory.mktemp("tiga")
    register, masuk = folder / "arsip.db", folder / "masuk"
    for day in (dasar_rows(), dasar_rows(DEDI=8), dasar_rows(DEDI=8)):
        write_day(masuk, "dasar.xlsx", "Dasar", day)
        tier(Run(), register, masuk)
    edit(register, "PRAGMA wal_checkpoint(TRUNCATE)")  # one file, as after its last run
    return register


@pytest.fixture
def three_runs(three_runs_once: Path, tmp_path: Path) -> Path:
    register = tmp_path / "arsip.db"
    shutil.copyfile(three_runs_once, register)
    write_day(tmp_path / "masuk", "dasar.xlsx", "Dasar", dasar_rows(DEDI=8))
    assert run_count(register) == 3
    return register


def edit(register: Path, *statements: str) -> None:
    """What someone with the sqlite3 shell could do to the file."""
    connection = sqlite3.connect(register)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def verify(run: Run, register: Path, *args: str) -> tuple[int, str]:
    result = run("arsip", "verifikasi", "--arsip", register, *args)
    return result.exit_code, result.stdout + result.stderr


def test_a_whole_chain_verifies(run: Run, three_runs: Path) -> None:
    code, text = verify(run, three_runs)
    [(last,)] = query(three_runs, "SELECT hash FROM runs WHERE run = 3")
    assert code == 0 and "utuh: 3 laporan" in text and last in text
    [(first,)] = query(three_runs, "SELECT hash FROM runs WHERE run = 1")
    code, text = verify(run, three_runs, "--hash", first)
    assert code == 0 and "(laporan #1)" in text


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([f"UPDATE records SET skor = 10 WHERE run = 2 AND nip = '{BUDI}'"], "laporan #2: isinya"),
        (
            [f"UPDATE records SET keputusan = 'lanjut' WHERE run = 1 AND nip = '{BUDI}'"],
            "laporan #1: isinya",
        ),
        ([f"DELETE FROM records WHERE run = 2 AND nip = '{ANI}'"], "laporan #2: isinya"),
        (
            ["UPDATE runs SET command = 'skorasn tier lain.xlsx' WHERE run = 3"],
            "laporan #3: isinya",
        ),
        (["UPDATE inputs SET sha256 = 'x' WHERE run = 1"], "laporan #1: isinya"),
        (["UPDATE runs SET exit_code = 1, galat = 5 WHERE run = 2"], "laporan #2: isinya"),
        # A value skorasn could never have written, which JSON cannot hold: still a change.
        (["UPDATE records SET skor = 9e999 WHERE run = 2 AND position = 1"], "laporan #2: isinya"),
    ],
)
def test_an_edited_run_is_found(
    run: Run, three_runs: Path, statements: list[str], expected: str
) -> None:
    edit(three_runs, *statements)
    code, text = verify(run, three_runs)
    assert code == 1 and expected in text and "TIDAK utuh" in text


def test_a_deleted_run_is_found(run: Run, three_runs: Path) -> None:
    edit(
        three_runs,
        "DELETE FROM records WHERE run = 2",
        "DELETE FROM inputs WHERE run = 2",
        "DELETE FROM runs WHERE run = 2",
    )
    code, text = verify(run, three_runs)
    assert code == 1 and "laporan #2 tidak ada: dihapus" in text
    assert "laporan #3: rantai terputus" in text


def test_a_deleted_last_run_is_found(run: Run, three_runs: Path) -> None:
    edit(three_runs, "DELETE FROM records WHERE run = 3", "DELETE FROM runs WHERE run = 3")
    code, text = verify(run, three_runs)
    assert code == 1 and "laporan #3 (terakhir) tidak ada: dihapus" in text


def test_reordered_runs_are_found(run: Run, three_runs: Path) -> None:
    edit(
        three_runs,
        "UPDATE runs SET run = 100 WHERE run = 1",
        "UPDATE runs SET run = 1 WHERE run = 2",
        "UPDATE runs SET run = 2 WHERE run = 100",
    )
    code, text = verify(run, three_runs)
    assert code == 1 and "laporan #1" in text and "laporan #2" in text


def test_a_replaced_register_is_found_with_the_kept_hash(
    run: Run, three_runs: Path, tmp_path: Path
) -> None:
    [(kept,)] = query(three_runs, "SELECT hash FROM runs WHERE run = 3")
    three_runs.unlink()
    masuk = tmp_path / "masuk"
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows(BUDI=9))
    tier(run, three_runs, masuk)
    code, text = verify(run, three_runs)
    assert code == 0  # a new, whole chain: only the kept hash shows it is not the old one
    code, text = verify(run, three_runs, "--hash", kept)
    assert code == 1 and kept in text


def test_a_later_run_still_works_on_an_edited_register(
    run: Run, three_runs: Path, tmp_path: Path
) -> None:
    """Verification reports; it does not stop the office from working."""
    edit(three_runs, f"UPDATE records SET skor = 10 WHERE run = 1 AND nip = '{BUDI}'")
    code, _, _ = tier(run, three_runs, tmp_path / "masuk")
    assert code in (0, 1) and run_count(three_runs) == 4


# --- registers that are not ours -----------------------------------------------------------


def _text_file(path: Path) -> None:
    path.write_text("NIP,Skor\n198001012005011001,9\n", encoding="utf-8")


def _foreign_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE pegawai (nip TEXT)")
    connection.execute("INSERT INTO pegawai VALUES ('198001012005011001')")
    connection.commit()
    connection.close()


def _empty_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 0")
    connection.execute("VACUUM")
    connection.close()


def _from_the_future(path: Path, source: Path) -> None:
    shutil.copyfile(source, path)
    edit(path, "PRAGMA user_version = 99")


def _corrupt(path: Path, source: Path) -> None:
    data = bytearray(source.read_bytes())
    page = 4096
    data[page + 10 : page * 3] = b"\xff" * (page * 2 - 10)
    path.write_bytes(bytes(data))


def _truncated(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes()[:5000])


def _stale_index(path: Path, source: Path) -> None:
    """Records the index does not know of: the pages are sound, the answers would not be."""
    shutil.copyfile(source, path)
    [entry] = query(path, "SELECT * FROM sqlite_master WHERE name = 'records_key'")
    edit(
        path, "PRAGMA writable_schema = ON", "DELETE FROM sqlite_master WHERE name = 'records_key'"
    )
    edit(
        path,
        "CREATE TEMP TABLE copied AS SELECT * FROM records",
        "UPDATE copied SET run = run + 100",
        "INSERT INTO records SELECT * FROM copied",
    )
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
    connection.commit()
    connection.close()


def _no_marker(path: Path, source: Path) -> None:
    shutil.copyfile(source, path)
    edit(path, "DELETE FROM meta")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_text_file, "bukan arsip skorasn"),
        (_foreign_database, "milik program lain"),
        (_empty_database, "milik program lain"),
        (_from_the_future, "lebih baru"),
        (_corrupt, "rusak"),
        (_truncated, "rusak"),
        (_stale_index, "rusak"),
        (_no_marker, "rusak"),
    ],
)
def test_a_bad_register_is_refused_and_left_untouched(
    run: Run,
    three_runs: Path,
    tmp_path: Path,
    make: Callable[..., None],
    words: str,
) -> None:
    bad = tmp_path / "bad" / "arsip.db"
    bad.parent.mkdir()
    if make in (_text_file, _foreign_database, _empty_database):
        make(bad)
    else:
        make(bad, three_runs)
    before = bad.read_bytes()
    masuk = tmp_path / "masuk"
    for args in (
        ["tier", masuk, "--arsip", bad],
        ["riwayat", ANI, "--arsip", bad],
        ["arsip", "laporan", "--arsip", bad],
        ["arsip", "verifikasi", "--arsip", bad],
        ["arsip", "ekspor", "--arsip", bad, "-o", tmp_path / "x.json"],
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert bad.read_bytes() == before
    if make in (_text_file, _foreign_database, _empty_database):  # not even a journal beside it
        assert [p.name for p in bad.parent.iterdir()] == ["arsip.db"]


def test_a_missing_register_is_not_created_by_the_read_commands(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "belum" / "arsip.db"
    for args in (["riwayat", ANI], ["arsip", "laporan"], ["arsip", "verifikasi"]):
        result = run(*args, "--arsip", missing)
        assert result.exit_code == 2 and "tidak ditemukan" in result.stderr
    assert not missing.parent.exists()


def test_a_folder_is_not_a_register(run: Run, tmp_path: Path) -> None:
    result = run("arsip", "laporan", "--arsip", tmp_path)
    assert result.exit_code == 2 and "itu sebuah folder" in result.stderr


def test_an_empty_file_becomes_a_register(run: Run, tmp_path: Path) -> None:
    register = tmp_path / "arsip.db"
    register.touch()
    masuk = tmp_path / "masuk"
    write_day(masuk, "dasar.xlsx", "Dasar", dasar_rows())
    tier(run, register, masuk)
    assert run_count(register) == 1


def test_an_older_schema_is_migrated_forward(
    three_runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skorasn.arsip import schema

    extra = "CREATE TABLE notes (run INTEGER, text TEXT); CREATE INDEX notes_run ON notes (run)"
    migrations = (*schema.MIGRATIONS, extra)
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(migrations))
    connection = schema.open_register(three_runs, create=False, wait=1)
    connection.close()
    assert query(three_runs, "PRAGMA user_version") == [(2,)]
    assert query(three_runs, "SELECT COUNT(*) FROM notes") == [(0,)]
    assert run_count(three_runs) == 3


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(min_value=100), st.integers(0, 255)), min_size=1, max_size=40)
)
def test_a_damaged_register_never_ends_in_a_traceback(
    run: Run, three_runs_once: Path, tmp_path: Path, flips: list[tuple[int, int]]
) -> None:
    """Bytes flipped anywhere in a register: every command ends with a documented code."""
    data = bytearray(three_runs_once.read_bytes())
    for where, value in flips:
        data[where % len(data)] = value
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example: hypothesis replays
    damaged = folder / "arsip.db"
    damaged.write_bytes(bytes(data))
    masuk = write_day(folder / "masuk", "dasar.xlsx", "Dasar", dasar_rows())
    for args in (
        ["arsip", "verifikasi", "--arsip", damaged],
        ["arsip", "laporan", "--arsip", damaged],
        ["riwayat", BUDI, "--arsip", damaged],
        ["arsip", "ekspor", "--arsip", damaged, "-o", folder / "x.json"],
        ["tier", masuk, "--arsip", damaged, "-q"],
    ):
        result = run(*args)
        assert result.exit_code in (0, 1, 2), (args, result.stderr)
        assert "galat internal" not in result.stderr


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(exclude_categories=())),  # surrogates too: damaged text
    st.binary(max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_SCALARS, max_size=6), max_size=5))
def test_hashed_lines_are_the_canonical_json_of_each_row(rows: list[list[object]]) -> None:
    """The encoder built once writes exactly what JSONEncoder.encode writes, so registers
    made before still verify."""
    from skorasn.arsip import chain

    reference = json.JSONEncoder(
        ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=chain._blob
    ).encode
    expected = "".join(reference(["records", *row]) + "\n" for row in rows)
    assert chain._lines("records", rows) == expected.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_a_value_json_cannot_hold_is_refused_and_the_next_line_is_unaffected(
    value: object,
) -> None:
    from skorasn.arsip import chain

    with pytest.raises((ValueError, TypeError)):
        chain._lines("records", [[1, [value]]])
    assert chain._lines("records", [[1, [2]]]) == b'["records",1,[2]]\n'
