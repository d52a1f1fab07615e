"""Tests for skorasn.config: the rules file, its precedence (flag > file > default), its
validation field by field, and its effect on `tier` and on the reader."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from skorasn.cli import app
from skorasn.config import find_config, load_rules
from skorasn.errors import ConfigError
from skorasn.models import Rules, ZipLimits
from skorasn.vocabulary import CONFIG_FILE_NAME

ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SKORASN_DEBUG": None}
NIPS = [f"1990010120150110{n:02d}" for n in range(10)]


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env=ENV)


def rules_file(folder: Path, text: str, name: str = CONFIG_FILE_NAME) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def aturan_rows(output: str) -> dict[str, tuple[str, str]]:
    """`skorasn aturan`'s table as {kunci: (nilai, asal)}."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split() == ["kunci", "nilai", "asal"])
    rows = {}
    for line in lines[start + 1 :]:
        key, *value, source = line.split()
        rows[key] = (" ".join(value), source)
    return rows


# --- precedence --------------------------------------------------------------------------

DEFAULTS = {"lanjut_min": 9, "berhenti_maks": 5, "gabung": "rata-rata"}
PRECEDENCE = [
    # (file, flags, values that differ from the defaults, their sources)
    (None, {}, {}, {}),
    ("", {}, {}, {}),
    ("lanjut_min = 8.5\n", {}, {"lanjut_min": 8.5}, {"lanjut_min": "berkas"}),
    ("lanjut_min = 8.5\n", {"lanjut_min": 9.5}, {"lanjut_min": 9.5}, {"lanjut_min": "flag"}),
    (
        'gabung = "median"\nberhenti_maks = 4\n',
        {"gabung": "minimum"},
        {"gabung": "minimum", "berhenti_maks": 4},
        {"gabung": "flag", "berhenti_maks": "berkas"},
    ),
    (
        None,
        {"berhenti_maks": 6, "lanjut_min": 7},
        {"berhenti_maks": 6, "lanjut_min": 7},
        {"berhenti_maks": "flag", "lanjut_min": "flag"},
    ),
    ("lanjut_min = 9\n", {}, {}, {"lanjut_min": "berkas"}),  # same as the default, still file
]
FLAG_OPTIONS = {
    "lanjut_min": "--lanjut-min",
    "berhenti_maks": "--berhenti-maks",
    "gabung": "--gabung",
}


@pytest.mark.parametrize(("text", "flags", "values", "sources"), PRECEDENCE)
def test_precedence_in_load_rules(tmp_path, text, flags, values, sources):
    path = None if text is None else rules_file(tmp_path, text)
    given = {key: flags.get(key) for key in DEFAULTS}
    rules = load_rules(path, given)
    assert {key: getattr(rules, key) for key in DEFAULTS} == {**DEFAULTS, **values}
    # In reports a value read from the file names the file itself.
    assert {key: rules.source_of(key) for key in DEFAULTS} == {
        **dict.fromkeys(DEFAULTS, "bawaan"),
        **{key: str(path) if source == "berkas" else source for key, source in sources.items()},
    }


@pytest.mark.parametrize(("text", "flags", "values", "sources"), PRECEDENCE)
def test_precedence_in_aturan(tmp_path, monkeypatch, text, flags, values, sources):
    monkeypatch.chdir(tmp_path)
    args: list[object] = []
    if text is not None:
        rules_file(tmp_path, text)
        args += ["--config", CONFIG_FILE_NAME]
    for key, value in flags.items():
        args += [FLAG_OPTIONS[key], value]
    result = run("aturan", *args)
    assert result.exit_code == 0, result.output
    title = result.stdout.splitlines()[0].strip()
    where = CONFIG_FILE_NAME if text is not None else "tidak ada"
    assert title == f"Aturan yang berlaku (berkas: {where})"
    rows = aturan_rows(result.stdout)
    expected = {**DEFAULTS, **values}
    for key in DEFAULTS:
        assert rows[key] == (
            f"{expected[key]:g}".replace(".", ",") if key != "gabung" else expected[key],
            sources.get(key, "bawaan"),
        ), key


def test_aturan_names_the_source_of_each_table_entry(tmp_path):
    path = rules_file(
        tmp_path,
        "[batas_berkas]\nanggota_maks = 25\n"
        '[alias_kolom]\nskor = ["Nilai Ujian", "Angka"]\n'
        '[ejaan_tahap]\ndasar = ["Pemula"]\n',
    )
    result = run("aturan", "--config", path)
    assert result.exit_code == 0, result.output
    rows = aturan_rows(result.stdout)
    assert rows["batas_berkas.anggota_maks"] == ("25", "berkas")
    assert rows["batas_berkas.rasio_maks"] == ("200", "bawaan")
    assert rows["alias_kolom.skor"] == ("Nilai Ujian, Angka", "berkas")
    assert rows["ejaan_tahap.dasar"] == ("Pemula", "berkas")
    assert rows["selisih_pelatih"] == ("3", "bawaan")


# --- finding the file --------------------------------------------------------------------


def test_rules_file_in_the_current_folder_is_found(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_config(None) is None
    rules_file(tmp_path, "lanjut_min = 8\n")
    assert find_config(None) == Path(CONFIG_FILE_NAME)  # named as the user would name it
    result = run("aturan")
    assert result.exit_code == 0, result.output
    assert aturan_rows(result.stdout)["lanjut_min"] == ("8", "berkas")


def test_config_option_wins_over_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules_file(tmp_path, "lanjut_min = 8\n")
    other = rules_file(tmp_path, "lanjut_min = 7\n", name="lain.toml")
    result = run("aturan", "--config", other)
    assert result.exit_code == 0, result.output
    assert aturan_rows(result.stdout)["lanjut_min"] == ("7", "berkas")


def test_aturan_names_a_long_rules_path_on_one_line(tmp_path):
    folder = tmp_path / ("folder_dengan_nama_yang_sangat_panjang_" * 3)
    folder.mkdir()
    path = rules_file(folder, "lanjut_min = 8\n")
    result = run("aturan", "--config", path)
    assert result.exit_code == 0, result.output
    assert f"(berkas: {path})" in result.stdout.splitlines()[0]


def test_missing_config_option_is_a_usage_error(tmp_path):
    result = run("aturan", "--config", tmp_path / "hilang.toml")
    assert result.exit_code == 2
    assert result.stderr == f"skorasn: berkas aturan '{tmp_path / 'hilang.toml'}' tidak ditemukan\n"
    with pytest.raises(ConfigError):
        find_config(tmp_path / "hilang.toml")


# --- an invalid file ---------------------------------------------------------------------

ALLOWED_KEYS = (
    "lanjut_min, berhenti_maks, gabung, selisih_pelatih, pelatih_lengkap, alias_kolom, "
    "ejaan_tahap, batas_berkas, laporan, arsip"
)
INVALID = [
    ("lanjut = 9\n", [f"{{path}}: kunci 'lanjut' tidak dikenal; yang boleh: {ALLOWED_KEYS}"]),
    (
        "lanjut_min = 6\nberhenti_maks = 6\n",
        ["{path}: 'berhenti_maks' (6) harus lebih kecil dari 'lanjut_min' (6)"],
    ),
    (
        "lanjut_min = 6\nberhenti_maks = 7.5\n",
        ["{path}: 'berhenti_maks' (7.5) harus lebih kecil dari 'lanjut_min' (6)"],
    ),
    ("lanjut_min = 11\n", ["{path}: 'lanjut_min' = 11 di luar rentang; harus antara 0 dan 10"]),
    (
        "berhenti_maks = -1\n",
        ["{path}: 'berhenti_maks' = -1 di luar rentang; harus antara 0 dan 10"],
    ),
    (
        "selisih_pelatih = 10.5\n",
        ["{path}: 'selisih_pelatih' = 10.5 di luar rentang; harus antara 0 dan 10"],
    ),
    ('lanjut_min = "9"\n', ["{path}: 'lanjut_min' harus berupa angka 0–10, bukan '9'"]),
    ("berhenti_maks = true\n", ["{path}: 'berhenti_maks' harus berupa angka 0–10, bukan True"]),
    (
        'gabung = "rata2"\n',
        ["{path}: 'gabung' = 'rata2' tidak dikenal; pilih salah satu: rata-rata, median, minimum"],
    ),
    (
        "gabung = 2\n",
        ["{path}: 'gabung' = 2 tidak dikenal; pilih salah satu: rata-rata, median, minimum"],
    ),
    (
        'alias_kolom = ["Nilai"]\n',
        ["{path}: 'alias_kolom' harus berupa tabel [alias_kolom] berisi daftar nama"],
    ),
    (
        '[alias_kolom]\nnilai_ujian = ["Nilai Ujian"]\n',
        [
            "{path}: 'alias_kolom.nilai_ujian' tidak dikenal; yang boleh: nip, nama, skor, tahap, "
            "eselon, unit_kerja, jabatan, tanggal, keterangan"
        ],
    ),
    (
        '[alias_kolom]\nskor = "Nilai Ujian"\n',
        ["{path}: 'alias_kolom.skor' harus berupa daftar teks, misalnya [\"nama lain\"]"],
    ),
    (
        "[alias_kolom]\nskor = [1, 2]\n",
        ["{path}: 'alias_kolom.skor' harus berupa daftar teks, misalnya [\"nama lain\"]"],
    ),
    (
        '[alias_kolom]\nnama = ["NIP"]\n',
        ["{path}: 'alias_kolom.nama': 'NIP' sudah berarti kolom nip; hapus dari daftar"],
    ),
    (
        '[alias_kolom]\nnama = ["Skor Pelatih 1"]\n',
        [
            "{path}: 'alias_kolom.nama': 'Skor Pelatih 1' sudah berarti kolom pelatih; hapus dari "
            "daftar"
        ],
    ),
    (
        '[alias_kolom]\nnama = ["Peserta"]\nnip = ["peserta"]\n',
        ["{path}: 'alias_kolom.nip': 'peserta' sudah berarti kolom nama; hapus dari daftar"],
    ),
    (
        '[alias_kolom]\nnama = ["--"]\n',
        ["{path}: 'alias_kolom.nama': '--' tidak berisi huruf atau angka"],
    ),
    (
        '[ejaan_tahap]\nlanjutan_3 = ["Mahir"]\n',
        [
            "{path}: 'ejaan_tahap.lanjutan_3' tidak dikenal; yang boleh: dasar, lanjutan_1, "
            "lanjutan_2"
        ],
    ),
    (
        '[ejaan_tahap]\ndasar = ["Lanjutan I"]\n',
        [
            "{path}: 'ejaan_tahap.dasar': 'Lanjutan I' sudah berarti tahap lanjutan_1; hapus dari "
            "daftar"
        ],
    ),
    (
        'ejaan_tahap = "Pemula"\n',
        ["{path}: 'ejaan_tahap' harus berupa tabel [ejaan_tahap] berisi daftar nama"],
    ),
    (
        "[batas_berkas]\nukuran = 5\n",
        [
            "{path}: 'batas_berkas.ukuran' tidak dikenal; yang boleh: ukuran_berkas_maks_mb, "
            "anggota_maks, ukuran_anggota_maks_mb, total_maks_mb, rasio_maks, sel_maks"
        ],
    ),
    (
        "[batas_berkas]\nanggota_maks = 0\n",
        ["{path}: 'batas_berkas.anggota_maks' harus berupa angka lebih dari 0"],
    ),
    (
        '[batas_berkas]\nrasio_maks = "200"\n',
        ["{path}: 'batas_berkas.rasio_maks' harus berupa angka lebih dari 0"],
    ),
    (
        "[batas_berkas]\nanggota_maks = 2.5\n",
        ["{path}: 'batas_berkas.anggota_maks' harus berupa bilangan bulat, bukan 2.5"],
    ),
    (
        "[batas_berkas]\nsel_maks = 1500.5\n",
        ["{path}: 'batas_berkas.sel_maks' harus berupa bilangan bulat, bukan 1500.5"],
    ),
    ("batas_berkas = 5\n", ["{path}: 'batas_berkas' harus berupa tabel [batas_berkas]"]),
    # Every field at once, one line each, in the file's order.
    (
        'lanjut_min = "9"\ngabung = "rata2"\nfoo = 1\n[alias_kolom]\nnama = ["NIP"]\n',
        [
            "{path}: 'lanjut_min' harus berupa angka 0–10, bukan '9'",
            "{path}: 'gabung' = 'rata2' tidak dikenal; pilih salah satu: rata-rata, median, minimum",
            f"{{path}}: kunci 'foo' tidak dikenal; yang boleh: {ALLOWED_KEYS}",
            "{path}: 'alias_kolom.nama': 'NIP' sudah berarti kolom nip; hapus dari daftar",
        ],
    ),
    (
        "foo = 1\nlanjut_min = 6\nberhenti_maks = 6\n",
        [
            f"{{path}}: kunci 'foo' tidak dikenal; yang boleh: {ALLOWED_KEYS}",
            "{path}: 'berhenti_maks' (6) harus lebih kecil dari 'lanjut_min' (6)",
        ],
    ),
]


@pytest.mark.parametrize(("text", "messages"), INVALID)
def test_invalid_file_exits_2_with_one_message_per_field(tmp_path, text, messages):
    path = rules_file(tmp_path, text)
    expected = [m.format(path=path) for m in messages]
    with pytest.raises(ConfigError) as raised:
        load_rules(path, {})
    assert raised.value.messages == expected
    result = run("aturan", "--config", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"skorasn: {m}" for m in expected]


def test_toml_syntax_error(tmp_path):
    path = rules_file(tmp_path, "lanjut_min = = 9\n")
    result = run("tier", tmp_path, "--config", path)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"skorasn: {path}: bukan TOML yang sah (")
    assert line.endswith("); periksa tanda kutip dan tanda sama dengan")


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (
            None,
            ["--lanjut-min", "11"],
            "--lanjut-min: 'lanjut_min' = 11 di luar rentang; harus antara 0 dan 10",
        ),
        (
            None,
            ["--lanjut-min", "4"],
            "'berhenti_maks' (5, bawaan) harus lebih kecil dari 'lanjut_min' (4, dari --lanjut-min)",
        ),
        (
            "berhenti_maks = 7\n",
            ["--lanjut-min", "7"],
            "'berhenti_maks' (7, dari {path}) harus lebih kecil dari 'lanjut_min' "
            "(7, dari --lanjut-min)",
        ),
        # The file's own mistake keeps the file's name, whatever flag comes with it.
        (
            "lanjut_min = 6\nberhenti_maks = 6\n",
            ["--gabung", "median"],
            "{path}: 'berhenti_maks' (6) harus lebih kecil dari 'lanjut_min' (6)",
        ),
    ],
)
def test_invalid_flags_name_where_each_value_came_from(tmp_path, text, args, message):
    config = [] if text is None else ["--config", rules_file(tmp_path, text)]
    result = run("aturan", *config, *args)
    assert result.exit_code == 2
    expected = message.format(path=tmp_path / CONFIG_FILE_NAME)
    assert result.stderr.splitlines() == [f"skorasn: {expected}"]


def test_flag_can_mend_a_rule_but_not_a_broken_file(tmp_path):
    path = rules_file(tmp_path, "lanjut_min = 11\n")
    with pytest.raises(ConfigError) as raised:
        load_rules(path, {"lanjut_min": 8})
    assert raised.value.messages == [
        f"{path}: 'lanjut_min' = 11 di luar rentang; harus antara 0 dan 10"
    ]


def test_file_tables_become_rules(tmp_path):
    path = rules_file(
        tmp_path,
        '[alias_kolom]\nskor = ["Nilai Ujian"]\n'
        '[ejaan_tahap]\ndasar = ["Pemula"]\n'
        "[batas_berkas]\nanggota_maks = 25\nrasio_maks = 50.5\n",
    )
    rules = load_rules(path, {})
    assert rules.column_aliases == {"skor": ("Nilai Ujian",)}
    assert rules.stage_spellings == {"dasar": ("Pemula",)}
    assert rules.zip_limits == ZipLimits(max_members=25, max_ratio=50.5)
    assert isinstance(rules.zip_limits.max_members, int)
    assert rules == Rules(
        column_aliases={"skor": ("Nilai Ujian",)},
        stage_spellings={"dasar": ("Pemula",)},
        zip_limits=ZipLimits(max_members=25, max_ratio=50.5),
    )


# --- the rules at work -------------------------------------------------------------------


def score_sheet(
    path: Path,
    scores: list[float],
    sheet: str = "Dasar",
    headers: tuple[str, str, str] = ("NIP", "Nama", "Skor"),
) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(headers))
    for nip, score in zip(NIPS, scores, strict=False):
        ws.append([nip, f"Peserta {nip[-2:]}", score])
    book.save(path)
    return path


SCORES = [9, 8.5, 8.49, 5.5, 5, 4.5]


@pytest.mark.parametrize(
    ("text", "flags", "decisions", "aturan"),
    [
        (
            None,
            [],
            ["lanjut", "tahan", "tahan", "tahan", "berhenti", "berhenti"],
            {"lanjut_min": 9, "berhenti_maks": 5},
        ),
        (
            "lanjut_min = 8.5\n",
            [],
            ["lanjut", "lanjut", "tahan", "tahan", "berhenti", "berhenti"],
            {"lanjut_min": 8.5, "berhenti_maks": 5},
        ),
        (
            "lanjut_min = 8.5\nberhenti_maks = 5.5\n",
            [],
            ["lanjut", "lanjut", "tahan", "berhenti", "berhenti", "berhenti"],
            {"lanjut_min": 8.5, "berhenti_maks": 5.5},
        ),
        (
            "lanjut_min = 8.5\n",
            ["--lanjut-min", "9"],
            ["lanjut", "tahan", "tahan", "tahan", "berhenti", "berhenti"],
            {"lanjut_min": 9, "berhenti_maks": 5},
        ),
        (
            "berhenti_maks = 4.5\n",
            ["--lanjut-min", "8.49"],
            ["lanjut", "lanjut", "lanjut", "tahan", "tahan", "berhenti"],
            {"lanjut_min": 8.49, "berhenti_maks": 4.5},
        ),
    ],
)
def test_rules_file_changes_the_decisions(tmp_path, monkeypatch, text, flags, decisions, aturan):
    monkeypatch.chdir(tmp_path)
    if text is not None:
        rules_file(tmp_path, text)
    sheet = score_sheet(tmp_path / "nilai.xlsx", SCORES)
    result = run("tier", sheet, "--format", "json", *flags)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    by_nip = {p["nip"]: p["keputusan"] for p in document["peserta"]}
    assert [by_nip[nip] for nip in NIPS[: len(SCORES)]] == decisions
    assert {key: document["aturan"][key] for key in aturan} == aturan
    assert document["masalah"] == []


def test_extra_column_names_are_honoured_by_the_reader(tmp_path):
    sheet = score_sheet(
        tmp_path / "nilai.xlsx", [9.5, 3], headers=("No. Pegawai", "Nama", "Nilai Ujian")
    )
    result = run("tier", sheet, "--format", "json")
    assert result.exit_code == 3  # nothing recognised: no NIP and no score column
    assert "Nilai Ujian" in result.stderr

    config = rules_file(tmp_path, '[alias_kolom]\nskor = ["Nilai Ujian"]\nnip = ["No. Pegawai"]\n')
    result = run("tier", sheet, "--format", "json", "--config", config)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(p["nip"], p["skor"], p["keputusan"]) for p in document["peserta"]] == [
        (NIPS[0], 9.5, "lanjut"),
        (NIPS[1], 3, "berhenti"),
    ]
    assert document["masalah"] == []


def test_extra_stage_spellings_are_honoured_by_the_reader(tmp_path):
    sheet = score_sheet(tmp_path / "nilai.xlsx", [9.5], sheet="Pemula")
    result = run("tier", sheet, "--format", "json")
    assert result.exit_code == 1
    assert [p["tahap"] for p in json.loads(result.stdout)["peserta"]] == [None]

    config = rules_file(tmp_path, '[ejaan_tahap]\ndasar = ["Pemula"]\n')
    result = run("tier", sheet, "--format", "json", "--config", config)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(p["tahap"], p["keputusan"]) for p in document["peserta"]] == [("dasar", "lanjut")]
    assert document["masalah"] == []
    result = run("tier", sheet, "--format", "json", "--config", config, "--tahap", "Pemula")
    assert result.exit_code == 0, result.output


# --- how the file is encoded -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "encoding", "named"),
    [
        (b"\xef\xbb\xbf", "utf-8", "UTF-8 with BOM"),
        (b"\xff\xfe", "utf-16-le", "Unicode (UTF-16)"),
        (b"\xfe\xff", "utf-16-be", "Unicode big endian (UTF-16)"),
    ],
)
def test_byte_order_mark_is_refused_with_what_to_do(tmp_path, bom, encoding, named):
    """Windows Notepad writes a BOM before UTF-8, and "Unicode" is UTF-16 with one: exit 2,
    naming the encoding and how to save the file again."""
    path = tmp_path / CONFIG_FILE_NAME
    path.write_bytes(
        bom + 'lanjut_min = 8.5\ngabung = "median"\n# Bambang Suryadi, S.Kom.\n'.encode(encoding)
    )
    result = run("aturan", "--config", path)
    assert result.exit_code == 2
    said = result.output + result.stderr
    assert f"disimpan sebagai {named}" in said and "Simpan ulang sebagai UTF-8" in said
    assert "Traceback" not in said


def test_a_byte_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / CONFIG_FILE_NAME
    comment = "# Unit: Dinas Pariwisata — Sukabumi"  # saved by a cp1252 editor: — is 0x97
    path.write_bytes(f"lanjut_min = 8\n\n{comment}\n".encode("cp1252"))
    result = run("aturan", "--config", path)
    assert result.exit_code == 2
    column = comment.index("—") + 1
    assert f"{path}: bukan teks UTF-8 (baris 3, kolom {column}: bita 0x97)" in result.stderr
    assert "Simpan ulang berkas ini sebagai UTF-8" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("opening", ["[", "{a = "])
def test_nesting_too_deep_is_a_usage_error(tmp_path, opening):
    closing = {"[": "]", "{a = ": "}"}[opening]
    path = rules_file(tmp_path, "lanjut_min = " + opening * 20_000 + "1" + closing * 20_000 + "\n")
    result = run("tier", tmp_path / "tidak_dibaca.xlsx", "--config", path)
    assert result.exit_code == 2
    assert f"{path}: larik atau tabel bersarang terlalu dalam" in result.stderr
    assert "galat internal" not in result.stderr
