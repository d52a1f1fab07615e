"""The Indonesian text of bench/RESULTS.md around the measured tables."""

from __future__ import annotations

import datetime as dt
import json
import re

import generate
from measure import Result
from report import (
    HEADERS,
    _md_table,
    _size_title,
    _sizes,
    machine,
    result_rows,
    status,
    targets,
)

READING_GUIDE = """\
- Setiap pengukuran adalah **satu proses utuh** (Python dinyalakan, impor, baca, olah, tulis),
  diukur dari luar oleh `bench/measure.py`: waktu dinding, dan **RSS puncak** proses itu sendiri
  menurut `/usr/bin/time -f %M`. (Linux membawa RSS puncak proses induk ke `ru_maxrss` anak
  yang di-*fork* langsung dari Python, jadi `os.wait4` saja akan memberi paling sedikit ukuran
  `run.py` sendiri; `/usr/bin/time` mem-*fork* dari proses C yang kecil.)
- **min** dan **median** dari *n* ulangan; target dinilai dengan **median**. Ulangan satu ukuran
  dijalankan berselang-seling (A, B, C, A, B, C, …) sehingga gangguan dari proses lain mengenai
  semua kandidat secara merata. `--help` (dan 10k, kecuali dengan `--cepat`) didahului satu
  jalankan pemanasan yang tidak dihitung.
- **÷ naif**: median dibagi median pipeline naif pada ukuran yang sama; **÷ baca**: dibagi median
  baca mentah tercepat. **kode**: kode keluar (0 = tanpa galat).
- Mesin ini dipakai bersama (tes lain berjalan bersamaan; lihat *load average* di bagian Mesin),
  jadi selisih di bawah ±10 % sebaiknya tidak ditafsirkan.
- Watchdog menghentikan proses anak bila memori tersedia di mesin turun di bawah 1,5 GB."""

COMMANDS = (
    (
        "`naif`",
        '`bench/tasks.py naive`: `pandas.read_excel(engine="openpyxl", dtype=str)` → '
        '`np.select` pada skor → `DataFrame.to_excel(engine="openpyxl")`',
    ),
    (
        "`baca_fastexcel`",
        "`bench/tasks.py read-fastexcel`: `fastexcel.read_excel(…)"
        '.load_sheet("Dasar", header_row=4).to_arrow()` saja',
    ),
    (
        "`baca_calamine`",
        "`bench/tasks.py read-calamine`: `CalamineWorkbook…"
        'get_sheet_by_name("Dasar").to_python()` saja',
    ),
    (
        "`tulis_xlsxwriter`",
        "`bench/tasks.py write-xlsxwriter`: baris yang sama (dibangun ulang "
        "di memori dari benih yang sama) ditulis dengan `write_row`, xlsxwriter `constant_memory`",
    ),
    ("`skorasn_xlsx`", "`skorasn tier skor.xlsx -o out.xlsx`"),
    ("`skorasn_json`", "`skorasn tier skor.xlsx --format json > /dev/null`"),
    (
        "`skorasn_ringkas`",
        "`skorasn tier skor.xlsx --ringkas > /dev/null` (tanpa warna karena bukan terminal)",
    ),
    ("`skorasn_csv_json`", "`skorasn tier dasar.csv --format json > /dev/null`"),
    (
        "`skorasn_tiga_json`",
        "`skorasn tier tiga_tahap.xlsx --format json > /dev/null`: jumlah baris yang sama dalam "
        "tiga lembar tahap, hampir setiap peserta lanjutan tanpa catatan dasar (satu peringatan "
        "per baris)",
    ),
    (
        "`skorasn_banyak_csv`",
        "`skorasn tier banyak_csv_10000/ --format json > /dev/null`: 10.000 berkas CSV berisi "
        "satu peserta (dicatat pada ukuran 10k, di samping `skorasn_csv_json` dengan baris yang "
        "sama dalam satu berkas)",
    ),
    (
        "`skorasn_json_arsip`",
        "`skorasn tier skor.xlsx --format json --arsip arsip.db > /dev/null`; arsip dikosongkan "
        "di awal setiap ukuran, jadi jalankan pertama adalah hari pertama dan berikutnya "
        "dibandingkan dengan jalankan sebelumnya",
    ),
    (
        "`arsip_fase`",
        "`bench/tasks.py arsip`: hanya yang ditambahkan arsip, per fase, pada arsip baru: "
        "`periksa_1`/`catat_1` (hari pertama), `periksa_2`/`catat_2` (hari kedua, peserta yang "
        "sama); lihat bagian Arsip",
    ),
    (
        "`help_skorasn` / `help_typer_minimal`",
        "`skorasn --help` / `python bench/minimal_typer.py --help`",
    ),
    (
        "`contoh_skorasn` / `impor_pandas`",
        "`skorasn tier contoh_data/nilai_pelatihan_ai_2025.xlsx > /dev/null` (perintah utama "
        'README, tampilan teks) / `python -c "import pandas"`',
    ),
)
NO_NAIVE_1M = """\
Pipeline naif tidak diukur pada 1M baris: openpyxl memerlukan beberapa menit dan beberapa GB
memori, dan tidak ada target yang memakainya pada ukuran itu."""

DATA = """\
`bench/generate.py` membuat satu lembar **Dasar**: tiga baris judul, satu baris kosong, judul
kolom di baris 5 (`No | NIP | Nama | Eselon | Unit Kerja | Jabatan | Tanggal | Skor`), lalu satu
peserta per baris. NIP berupa teks 18 digit yang sah (tanggal lahir nyata di digit 1–8, TMT CPNS
di digit 9–14, 1/2 di digit ke-15) dan **unik**; skor desimal 0–10 (sekitar 0,5 % kosong →
`belum_dinilai`); Tanggal berupa tanggal Excel. Ditulis dengan xlsxwriter `constant_memory`.
Data yang sama juga disimpan sebagai CSV gaya Excel berbahasa Indonesia (BOM, `;`, koma desimal,
`dd/mm/yyyy`) bernama `dasar.csv` agar tahapnya terbaca dari nama berkas. Berkas disimpan di
`bench/data/<ukuran>/` (diabaikan git) dan dipakai ulang; hapus foldernya untuk membuat ulang.

Dua bentuk lain mengukur biaya yang tidak boleh tumbuh bersama masalah atau jumlah berkas:
`tiga_tahap.xlsx` (jumlah baris yang sama dibagi ke lembar Dasar, Lanjutan 1, Lanjutan 2; NIP
lanjutan kebanyakan tidak ada di Dasar, jadi hampir setiap baris lanjutan membawa peringatan)
dan `banyak_csv_10000/` (10.000 berkas CSV berisi satu peserta). Keluaran JSON berkas kecil
dengan bentuk yang sama dijaga byte demi byte oleh `tests/golden/bench_*.json`."""

PROFILE_GUIDE = """\
Diprofil dengan pyinstrument (sampling 1 ms) di dalam satu proses, mulai sebelum `skorasn.cli`
diimpor; start-up interpreter Python sendiri (~20 ms) tidak termasuk. Setiap sampel dihitung ke
fase **terdalam** pada tumpukannya: impor yang terjadi di tengah pembacaan masuk ke *impor &
start-up*, `participant_records` yang dipanggil oleh penulis XLSX masuk ke barisnya sendiri.
pyinstrument menambah beban pada kode yang banyak memanggil fungsi kecil, sehingga total di
sini lebih besar daripada waktu tanpa profil; bacalah **proporsinya**. Pohon panggilan lengkap:
`bench/out/profil_json.txt`, `bench/out/profil_xlsx.txt`, `bench/out/profil_tiga_json.txt` dan
`bench/out/profil_contoh.txt` (data contoh, 203 peserta: target start-up)."""


def _comma(cells: list[str]) -> list[str]:
    """Indonesian decimal comma in measured numbers (0.55× → 0,55×)."""
    return [re.sub(r"(?<=\d)\.(?=\d)", ",", cell) for cell in cells]


def _target_section(results: list[Result]) -> list[str]:
    found = targets(results)
    met = sum(1 for t in found if t.met)
    measured = sum(1 for t in found if t.met is not None)
    rows = [_comma([t.label, t.limit, t.measured, f"**{status(t)}**"]) for t in found]
    close = [t.label for t in found if t.close]
    lines = [
        "## Target",
        "",
        f"{met} dari {measured} target yang diukur tercapai (semua rasio dari jalankan yang sama).",
        "",
        _md_table(["Target", "Batas", "Terukur (median)", "Status"], rows),
    ]
    if close:
        lines += [
            "",
            "Dekat batasnya (selisih ≤ 5 %), sehingga jalankan lain di mesin bersama "
            "ini bisa jatuh di sisi lain: " + "; ".join(close) + ".",
        ]
    return lines


def _result_sections(results: list[Result]) -> list[str]:
    lines = ["## Hasil", ""]
    for rows in _sizes(results):
        table = [_comma(row) for row in result_rows(results, rows)]
        lines += [f"### {_size_title(rows)}", "", _md_table(HEADERS, table), ""]
        if rows:
            xlsx, csv = generate.paths(rows)
            lines += [
                f"Berkas: `skor.xlsx` {xlsx.stat().st_size / 1e6:.1f} MB, "
                f"`dasar.csv` {csv.stat().st_size / 1e6:.1f} MB.",
                "",
            ]
    return lines


def _profile_sections(profiles: list) -> list[str]:
    if not profiles:
        return [
            "## Ke mana waktunya pergi",
            "",
            "Profil dilewati pada jalankan ini (`--cepat` atau `--tanpa-profil`); jalankan "
            "`python bench/run.py` atau `python bench/profil.py bench/data/100k/skor.xlsx`.",
            "",
        ]
    lines = ["## Ke mana waktunya pergi (100k baris, dan data contoh)", "", PROFILE_GUIDE, ""]
    for profile in profiles:
        total = f"{profile.total:.1f}".replace(".", ",")
        lines += [
            f"### `skorasn tier {_profile_args(profile.name)}` — {total} s dengan profil",
            "",
            _md_table(
                ["Fase", "detik", "%"],
                [
                    _comma([phase, f"{seconds:.2f}", f"{100 * seconds / profile.total:.0f}"])
                    for phase, seconds in profile.phases.items()
                ],
            ),
            "",
            _profile_reading(profile),
            "",
            "Fungsi dengan waktu sendiri (*self time*) terbesar:",
            "",
            _md_table(
                ["Fungsi (berkas:baris)", "detik"],
                [
                    [f"`{name}`", f"{seconds:.2f}".replace(".", ",")]
                    for name, seconds in profile.functions
                ],
            ),
            "",
        ]
    return lines


def _share(profile: object, *words: str) -> float:
    """Percentage of the profile spent in the phases whose name starts with any of `words`."""
    seconds = sum(v for k, v in profile.phases.items() if k.startswith(words))  # type: ignore
    return 100 * seconds / profile.total  # type: ignore[attr-defined]


def _profile_reading(profile: object) -> str:
    """One sentence on the profile, grouped as the issue asks."""
    groups = (
        ("membaca (calamine, pemeriksaan berkas)", ("baca",)),
        ("normalisasi", ("normalisasi",)),
        ("aturan, urutan dan ringkasan", ("aturan", "ringkasan")),
        ("menulis (record, JSON/XLSX/CSV, terminal)", ("tulis", "tampilan")),
        ("impor & start-up", ("impor", "lain")),
    )
    parts = [f"{label} {_share(profile, *words):.0f} %" for label, words in groups]
    return "Dikelompokkan: " + ", ".join(parts) + "."


def _profile_args(name: str) -> str:
    return {
        "json": "skor.xlsx --format json",
        "xlsx": "skor.xlsx -o out.xlsx",
        "tiga_json": "tiga_tahap.xlsx --format json",
        "contoh": "contoh_data/nilai_pelatihan_ai_2025.xlsx",
    }[name]


def document(
    results: list[Result],
    profiles: list,
    sizes: dict[int, int],
    fast: bool,
    now: dt.datetime,
    machine_rows: list[list[str]] | None = None,
) -> str:
    command = "python bench/run.py" + (" --cepat" if fast else "")
    runs = ", ".join(f"{generate.label(r)}: {n}×" for r, n in sizes.items())
    lines = [
        "# Hasil benchmark skorasn",
        "",
        f"Dibuat {now:%Y-%m-%d %H:%M %Z} dengan `{command}` (ulangan {runs}; `--help`: 7×). "
        "Berkas ini ditulis ulang oleh setiap jalankan.",
        "",
    ]
    lines += _target_section(results) + [""]
    lines += ["## Cara membaca angka", "", READING_GUIDE, ""]
    lines += [
        "## Mesin",
        "",
        _md_table(
            ["", ""],
            [
                _comma(row) if row[0].startswith("Beban") else row
                for row in machine_rows or machine()
            ],
        ),
        "",
    ]
    lines += ["## Data", "", DATA, ""]
    lines += [
        "## Yang diukur",
        "",
        _md_table(["Pengukuran", "Apa yang dijalankan"], [list(pair) for pair in COMMANDS]),
        "",
        NO_NAIVE_1M,
        "",
    ]
    lines += _result_sections(results)
    lines += _arsip_section(results)
    lines += _profile_sections(profiles)
    lines += _analysis_section(results)
    return "\n".join(lines)


def _arsip_section(results: list[Result]) -> list[str]:
    """The phases `bench/tasks.py arsip` printed, per size (its last run)."""
    rows = []
    for result in results:
        if result.name != "arsip_fase" or not result.ok or not result.ok[-1].stdout.strip():
            continue
        phases = json.loads(result.ok[-1].stdout.strip().splitlines()[-1])
        numbers = [f"{phases.get(key, 0):.2f}" for key in ARSIP_PHASES]
        numbers.append(f"{phases.get('arsip_mb', 0):.0f}")
        rows.append([_size_title(result.rows), *_comma(numbers)])
    if not rows:
        return []
    headers = ["ukuran", *(f"{key} s" for key in ARSIP_PHASES), "arsip MB"]
    return [
        "## Arsip",
        "",
        "Yang ditambahkan `--arsip` pada satu jalankan, per fase (detik, waktu dinding di dalam "
        "proses): memeriksa terhadap arsip (di bawah kunci tulisnya) dan mencatat (rantai hash, "
        "`executemany`, satu transaksi), pada hari pertama (arsip kosong) dan hari kedua "
        "(setiap catatan dibandingkan).",
        "",
        _md_table(headers, rows),
        "",
    ]


ARSIP_PHASES = ("periksa_1", "catat_1", "periksa_2", "catat_2", "tambahan_2")


ANALYSIS = generate.DATA.parent / "analisis.md"


def _analysis_section(results: list[Result]) -> list[str]:
    """The targets this run missed, then what bounds them (bench/analisis.md, written by
    hand from the profiles, since no measurement can say what the next step is)."""
    missed = [t.label for t in targets(results) if t.met is False]
    summary = (
        "Target yang belum tercapai pada jalankan ini: " + "; ".join(missed) + "."
        if missed
        else "Semua target yang diukur tercapai pada jalankan ini."
    )
    lines = ["## Yang membatasi, dan langkah berikutnya", "", summary, ""]
    if ANALYSIS.exists():
        lines += [ANALYSIS.read_text(encoding="utf-8").strip(), ""]
    return lines
