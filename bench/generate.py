"""Synthetic, realistic score workbooks for the benchmark (deterministic for a given size).

One sheet "Dasar": three title rows, a blank row, the header on row 5
(No | NIP | Nama | Eselon | Unit Kerja | Jabatan | Tanggal | Skor), then one participant per
row. NIPs are 18-digit text, valid (a real birth date in digits 1-8, TMT CPNS in 9-14, 1/2 in
the 15th digit) and unique; scores are decimals 0-10 (about 0.5 % blank); Tanggal is an Excel
date. The same rows are also written as a CSV the way Excel with an Indonesian locale saves it
(BOM, ';', decimal comma, dd/mm/yyyy), named ``dasar.csv`` so its stage comes from its name.

    python bench/generate.py 100000            # writes bench/data/100k/{skor.xlsx,dasar.csv}

Two more shapes, for the costs that must not grow with the problems or the files:

* ``tiga_tahap.xlsx``: the same number of rows over three sheets (Dasar, Lanjutan 1,
  Lanjutan 2), where most lanjutan participants have no dasar record, so nearly every lanjutan
  row carries a peringatan;
* ``banyak_csv/``: 10,000 one-row CSV files in one folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
HEADER = ("No", "NIP", "Nama", "Eselon", "Unit Kerja", "Jabatan", "Tanggal", "Skor")
TITLES = (
    "DAFTAR NILAI PELATIHAN PEMANFAATAN AI BAGI ASN",
    "PEMERINTAH KOTA SUKABUMI — TAHAP DASAR",
    "Tahun Anggaran 2025",
)
HEADER_ROW = 4  # 0-based: row 5 in Excel

FIRST = (
    "Agus",
    "Asep",
    "Budi",
    "Cecep",
    "Dadang",
    "Dedi",
    "Deden",
    "Dewi",
    "Dian",
    "Eka",
    "Endang",
    "Euis",
    "Fitri",
    "Hendra",
    "Ida",
    "Iwan",
    "Lilis",
    "Nining",
    "Nurul",
    "Rina",
    "Rudi",
    "Siti",
    "Sri",
    "Tati",
    "Ujang",
    "Wawan",
    "Yayan",
    "Yuli",
    "Yusuf",
    "Neng",
)
LAST = (
    "Hidayat",
    "Kurniawan",
    "Permana",
    "Rahmawati",
    "Saputra",
    "Setiawan",
    "Sulastri",
    "Supriatna",
    "Suryana",
    "Wijaya",
    "Nurhayati",
    "Gunawan",
    "Hermawan",
    "Mulyani",
    "Rohman",
    "Sumarni",
    "Firmansyah",
    "Maulana",
    "Kusnadi",
    "Lestari",
)
DEGREES = ("", "", "", ", S.Kom.", ", S.E.", ", S.T.", ", S.Sos.", ", M.Si.", ", S.H.", ", A.Md.")
ESELON = ("II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "", "", "", "")
UNITS = (
    "Sekretariat Daerah",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Perhubungan",
    "Dinas Komunikasi dan Informatika",
    "Dinas Sosial",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Badan Kepegawaian dan Pengembangan SDM",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Inspektorat",
    "Kecamatan Cikole",
    "Kecamatan Citamiang",
    "Kecamatan Gunungpuyuh",
    "Kecamatan Warudoyong",
    "Kecamatan Baros",
    "Kecamatan Lembursitu",
    "Kecamatan Cibeureum",
    "Satuan Polisi Pamong Praja",
    "RSUD R. Syamsudin, S.H.",
    "Dinas Lingkungan Hidup",
    "Dinas Perdagangan",
    "Dinas Tenaga Kerja",
    "Dinas Pemuda dan Olahraga",
)
JOBS = (
    "Kepala Dinas",
    "Sekretaris",
    "Kepala Bidang",
    "Kepala Seksi",
    "Kepala Subbagian",
    "Analis Kebijakan",
    "Pranata Komputer",
    "Arsiparis",
    "Perencana",
    "Pengelola Keuangan",
    "Penata Layanan Operasional",
    "Pengadministrasi Perkantoran",
    "Guru",
    "Perawat",
    "Dokter",
    "Camat",
    "Lurah",
    "Auditor",
)
BIRTH_START = dt.date(1965, 1, 1)
BIRTH_DAYS = 13_000  # up to 2000-08
TRAINING_DAYS = [
    dt.date(2025, 5, 5) + dt.timedelta(days=7 * w + d) for w in range(26) for d in range(5)
]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def label(rows: int) -> str:
    """10000 → '10k', 1000000 → '1m'."""
    return f"{rows // 1_000_000}m" if rows >= 1_000_000 else f"{rows // 1000}k"


def paths(rows: int) -> tuple[Path, Path]:
    folder = DATA / label(rows)
    return folder / "skor.xlsx", folder / "dasar.csv"


def _nips(rng: np.random.Generator, rows: int) -> list[str]:
    """Unique by construction: (birth day, gender, serial) differ for every row."""
    index = np.arange(rows)
    serial = index % 999 + 1
    gender = (index // 999) % 2 + 1
    births = rng.permutation(BIRTH_DAYS)[index // 1998]
    tmt_year_offset = rng.integers(21, 33, rows)
    tmt_month = rng.integers(1, 13, rows)
    result = []
    for day, offset, month, sex, number in zip(
        births.tolist(),
        tmt_year_offset.tolist(),
        tmt_month.tolist(),
        gender.tolist(),
        serial.tolist(),
        strict=True,
    ):
        born = BIRTH_START + dt.timedelta(days=day)
        result.append(f"{born:%Y%m%d}{born.year + offset}{month:02d}{sex}{number:03d}")
    return result


def _pick(rng: np.random.Generator, choices: tuple[str, ...], rows: int) -> list[str]:
    return np.asarray(choices, dtype=object)[rng.integers(0, len(choices), rows)].tolist()


def build_rows(rows: int, seed: int = 2025) -> list[tuple]:
    """The participant rows: (No, NIP, Nama, Eselon, Unit, Jabatan, Tanggal serial, Skor)."""
    rng = np.random.default_rng(seed + rows)
    names = [
        f"{a} {b}{c}"
        for a, b, c in zip(
            _pick(rng, FIRST, rows), _pick(rng, LAST, rows), _pick(rng, DEGREES, rows), strict=True
        )
    ]
    scores = np.clip(rng.normal(7.4, 1.6, rows), 0, 10).round(2)
    scores[rng.random(rows) < 0.005] = np.nan
    days = np.asarray([(d - EXCEL_EPOCH).days for d in TRAINING_DAYS])
    serials = days[rng.integers(0, len(days), rows)]
    return list(
        zip(
            range(1, rows + 1),
            _nips(rng, rows),
            names,
            _pick(rng, ESELON, rows),
            _pick(rng, UNITS, rows),
            _pick(rng, JOBS, rows),
            serials.tolist(),
            scores.tolist(),
            strict=True,
        )
    )


def write_xlsx(path: Path, rows: list[tuple]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Dasar")
    bold, text = book.add_format({"bold": True}), book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    score = book.add_format({"num_format": "0.00"})
    for number, title in enumerate(TITLES):
        sheet.write_string(number, 0, title, bold)
    sheet.write_row(HEADER_ROW, 0, HEADER, bold)
    for offset, (no, nip, name, eselon, unit, job, serial, value) in enumerate(rows, 1):
        row = HEADER_ROW + offset
        sheet.write_number(row, 0, no)
        sheet.write_string(row, 1, nip, text)
        sheet.write_row(row, 2, (name, eselon, unit, job))
        sheet.write_number(row, 6, serial, date)
        if value == value:
            sheet.write_number(row, 7, value, score)
    book.close()


def write_csv(path: Path, rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(";".join(HEADER) + "\r\n")
        for no, nip, name, eselon, unit, job, serial, value in rows:
            when = EXCEL_EPOCH + dt.timedelta(days=serial)
            shown = "" if value != value else f"{value:.2f}".replace(".", ",")
            handle.write(f"{no};{nip};{name};{eselon};{unit};{job};{when:%d/%m/%Y};{shown}\r\n")


STAGE_SHEETS = ("Dasar", "Lanjutan 1", "Lanjutan 2")


def problem_heavy_path(rows: int) -> Path:
    return DATA / label(rows) / "tiga_tahap.xlsx"


def write_three_stages(path: Path, rows: list[tuple]) -> None:
    """A third of the rows per stage; the lanjutan rows are mostly people not in Dasar (their
    NIPs are those of later rows), so each of them is a 'no dasar record' peringatan."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold, text = book.add_format({"bold": True}), book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    third = len(rows) // 3
    for stage, name in enumerate(STAGE_SHEETS):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, HEADER, bold)
        part = rows[stage * third : (stage + 1) * third if stage < 2 else len(rows)]
        for offset, (no, nip, person, eselon, unit, job, serial, value) in enumerate(part, 1):
            sheet.write_number(offset, 0, no)
            sheet.write_string(offset, 1, nip, text)
            sheet.write_row(offset, 2, (person, eselon, unit, job))
            sheet.write_number(offset, 6, serial + 60 * stage, date)
            if value == value:
                sheet.write_number(offset, 7, value)
    book.close()


def ensure_problem_heavy(rows: int) -> Path:
    path = problem_heavy_path(rows)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        write_three_stages(partial, build_rows(rows, seed=7))
        partial.replace(path)
    return path


def ensure_many_files(count: int = 10_000) -> Path:
    """`count` CSV files of one participant each, in one folder."""
    folder = DATA / f"banyak_csv_{count}"
    if not (folder.is_dir() and len(list(folder.iterdir())) == count):
        write_many_files(folder, count)
    return folder


def write_many_files(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = "NIP;Nama;Eselon;Unit Kerja;Skor;Tahap\r\n"
    for number, (_, nip, name, eselon, unit, _, _, value) in enumerate(
        build_rows(count, seed=11), start=1
    ):
        shown = "" if value != value else f"{value:.2f}".replace(".", ",")
        text = f"{header}{nip};{name};{eselon};{unit};{shown};Dasar\r\n"
        (folder / f"peserta_{number:05d}.csv").write_bytes(text.encode("utf-8-sig"))


def ensure(rows: int) -> tuple[Path, Path]:
    """Generate the workbook and CSV for `rows` unless both already exist (a cache)."""
    xlsx, csv = paths(rows)
    if xlsx.exists() and csv.exists():
        return xlsx, csv
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    data = build_rows(rows)
    for target, writer in ((xlsx, write_xlsx), (csv, write_csv)):
        partial = target.with_name(target.name + ".part")
        writer(partial, data)
        partial.replace(target)
    return xlsx, csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="+")
    for rows in parser.parse_args().rows:
        print(*ensure(rows))


if __name__ == "__main__":
    main()
