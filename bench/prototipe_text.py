"""The Indonesian text of bench/PROTOTIPE.md around the measured numbers."""

from __future__ import annotations

import datetime as dt

import proposal
from report import _git, _md_table

RSS_LIMIT_MB = 1536

EXPLANATIONS = {
    "aturan_ringan": (
        "Dua salinan tabel yang tidak perlu di `rules.py`: `resolve_attempts` memanggil "
        "`frame.drop(index=[])` yang tetap menyalin seluruh tabel walau tidak ada yang dibuang, "
        "dan `_no_return_after_stop` (audit \"disetop lalu diikutkan lagi\") memasangkan "
        "(`merge`) seluruh tabel menurut NIP. Usulan: `drop` hanya bila ada yang dibuang; "
        "pasangkan hanya baris yang NIP-nya pernah disetop, dengan kolom yang diperlukan saja. "
        "Keputusan dan masalah identik (dokumen JSON identik)."),
    "lepas_awal": (
        "`build_report` menyimpan `read` (tabel hasil baca) dan `decided` (tabel hasil aturan) "
        "sampai selesai, padahal `apply_rules`, `select` dan `order_participants` masing-masing "
        "sudah membuat salinannya sendiri; pada 1M baris beberapa tabel besar hidup bersamaan. "
        "Usulan: lepaskan setiap tabel begitu tabel berikutnya ada (`del`). Tidak mengubah "
        "hasil (dokumen JSON identik); yang turun hanya memori puncak."),
    "summary": (
        "`counts()` per kelompok (tahap, setiap eselon, setiap unit kerja): setiap kelompok "
        "disaring/di-`groupby` menjadi frame sendiri (kini lima kolom) lalu dihitung dengan "
        "dua `value_counts`, jadi kerja dan salinan sebanding dengan kelompok × baris. "
        "Usulan: `pd.factorize` kunci sekali, lalu `np.bincount` untuk keputusan dan sebaran "
        "skor semua kelompok sekaligus. JSON ringkasan identik (termasuk urutan kunci)."),
    "urutan": (
        "`order_participants` membangun frame kunci 6 kolom, `sort_values` di atasnya, lalu "
        "menyalin *semua* kolom tabel (termasuk kolom kerja pembacaan dan audit: `cacat`, "
        "`kolom_*`, `skor_akhir`, `tertulis*`, …) dalam urutan baru. Usulan: `np.lexsort` pada "
        "kode bilangan bulat, dan hanya kolom yang dipakai laporan (`REPORT_COLUMNS`) yang "
        "disalin. Urutan dan isi kolom laporan identik; `Report.peserta` tidak lagi membawa "
        "kolom kerja (tidak ada pemakai di `src/` maupun di tes, diperiksa dengan grep)."),
}


def _seconds(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _ratio(top: float, bottom: float) -> str:
    return f"{top / bottom:.2f}×".replace(".", ",")


def _comparison_table(comparisons: list[dict]) -> str:
    rows = []
    for item in comparisons:
        saved = item["sebelum"] - item["sesudah"]
        rows.append([f"[`{item['nama']}`](#{item['nama']})",
                     f"`{proposal.load(proposal.FOLDER / (item['nama'] + '.py')).path}`",
                     item["diukur"], _seconds(item["sebelum"]), _seconds(item["sesudah"]),
                     f"{_seconds(saved)} ({100 * saved / item['sebelum']:.0f} %)",
                     "ya" if item["sama"] else "**tidak**"])
    return _md_table(["Usulan", "Berkas", "Diukur (dalam proses)", "sebelum s", "sesudah s",
                      "hemat s", "hasil sama"], rows)


def _process_table(processes: dict) -> str:
    rows = [[f"`{name}`", _seconds(value["median"]), f"{value['rss']:.0f}"]
            for name, value in processes.items()]
    return _md_table(["Proses", "median s", "RSS puncak MB"], rows)


def _targets(processes: dict, million: dict | None) -> list[list[str]]:
    p = {name: value["median"] for name, value in processes.items()}
    rows = [["xlsx → xlsx ÷ naif (≤ 0,35×)", _ratio(p["skorasn_xlsx"], p["naif"]),
             _ratio(p["usulan_xlsx"], p["naif"])],
            ["xlsx → JSON ÷ baca fastexcel (≤ 3×)",
             _ratio(p["skorasn_json"], p["baca_fastexcel"]),
             _ratio(p["usulan_json"], p["baca_fastexcel"])]]
    if million:
        rows.append(["1M xlsx → xlsx, RSS puncak (≤ 1536 MB)",
                     *(f"{million[n]['rss']:.0f} MB" for n in ("skorasn_xlsx", "usulan_xlsx"))])
        rows.append(["waktu(1M) ÷ waktu(100k), xlsx (≤ 11)",
                     *(_ratio(million[n]["median"], p[n]).rstrip("×")
                       for n in ("skorasn_xlsx", "usulan_xlsx"))])
    return rows


def _floor(processes: dict) -> str:
    """Why xlsx → JSON ≤ 3× the fastest raw read is out of reach of the present design."""
    p = {name: value["median"] for name, value in processes.items()}
    floor = processes["skorasn_baca_saja"]
    fastest = p["baca_fastexcel"]
    return (
        "**xlsx → JSON ≤ 3× baca mentah.** Batasnya "
        f"{_seconds(3 * fastest)} s untuk seluruh proses. Proses yang hanya mengimpor skorasn "
        "(seperti `tier`) lalu menjalankan `read_inputs` — belum ada aturan, urutan, "
        f"ringkasan, maupun JSON — sudah {_seconds(p['skorasn_baca_saja'])} s "
        f"({_ratio(p['skorasn_baca_saja'], fastest)}): impor skorasn + pandas "
        f"{_seconds(floor.get('impor', float('nan')))} s, `read_inputs` "
        f"{_seconds(floor.get('baca', float('nan')))} s. Baca mentah dengan python-calamine "
        f"`to_python` saja, cara skorasn membaca, sudah {_seconds(p['baca_calamine'])} s "
        f"({_ratio(p['baca_calamine'], fastest)}). Satu objek Python per sel lalu kolom "
        "pandas `object` tidak dapat turun ke 3×, seberapa pun rapinya normalisasi: itu "
        "memerlukan jalur baca berbasis kolom Arrow (fastexcel/`calamine` ke Arrow, "
        "normalisasi dengan pyarrow.compute, JSON langsung dari kolom), yaitu desain ulang "
        "pembacaan dan keluaran, bukan optimasi setempat. Lantainya terukur: "
        "`bench/tasks.py arrow-json` (fastexcel → kolom Arrow, cek NIP dan skor serta aturan "
        "dengan `pyarrow.compute`, urutan stabil, JSON per baris dari penulis C pandas, "
        f"termasuk impor pandas dan pyarrow) selesai dalam {_seconds(p['lantai_arrow_json'])} s "
        f"({_ratio(p['lantai_arrow_json'], fastest)}); itu lantai, bukan pengganti: tanpa "
        "jenis sel, sel galat, tahap, audit antartahap, dan pesan per sel. Usulan: jadwalkan "
        "desain ulang berbasis Arrow sebagai pekerjaan tersendiri, atau ubah target menjadi "
        "rasio terhadap `baca_calamine`, pembaca yang memang dipakai skorasn (sekarang "
        f"{_ratio(p['skorasn_json'], p['baca_calamine'])}), dengan batas yang ditetapkan dari "
        "beberapa jalankan.")


def _sections(comparisons: list[dict]) -> list[str]:
    lines = []
    for item in comparisons:
        fragment = proposal.load(proposal.FOLDER / f"{item['nama']}.py")
        lines += [f"### {item['nama']}", "",
                  f"`{fragment.path}` — fragmen `bench/usulan/{item['nama']}.py`. "
                  f"{EXPLANATIONS.get(item['nama'], '')}", "",
                  f"Terukur: {item['diukur']} {_seconds(item['sebelum'])} s → "
                  f"{_seconds(item['sesudah'])} s.", "",
                  "```diff", proposal.diff(fragment).rstrip("\n"), "```", ""]
    return lines


def _status_table(status: dict[str, str]) -> str:
    rows = [[f"`bench/usulan/{name}.py`", state] for name, state in status.items()]
    return _md_table(["Fragmen", "Status terhadap src/ saat ini"], rows)


def document(comparisons: list[dict], processes: dict, million: dict | None, rows: int,
             now: dt.datetime, status: dict[str, str]) -> str:
    same_json = processes.get("usulan_json", {}).get("sama")
    lines = [
        "# Prototipe optimasi skorasn", "",
        f"Dibuat {now:%Y-%m-%d %H:%M %Z} dengan `python bench/prototipe.py"
        f"{' --satu-juta' if million else ''}` pada {rows:,} baris".replace(",", ".")
        + f", revisi {_git()}. Setiap usulan adalah fragmen kode di `bench/usulan/`, ditulis "
        "persis seperti di `src/`; prototipe menjalankannya *di dalam* modulnya (monkeypatch, "
        "dikembalikan sesudahnya), jadi `src/` tidak diubah. Diff di bawah dibuat dari fragmen "
        "yang sama terhadap `src/` saat ini dan dapat diterapkan dengan `git apply`.", "",
        "`src/` terus diubah sesi lain. Setiap fragmen mencatat *hash* definisi yang ia ganti "
        "(`# basis:`); hanya fragmen yang masih **berlaku** yang diukur. Fragmen **usang** "
        "harus disesuaikan dulu (`python bench/proposal.py` menampilkan status, "
        "`--catat NAMA` mencatat basis baru), yang **diterapkan** sudah ada di `src/`.", "",
        _status_table(status), "",
        "## Dalam satu proses", "",
        "Pekerjaan yang sama dengan fungsi asli dan dengan usulan, terbaik dari tiga, setelah "
        "memeriksa hasilnya sama.", "", _comparison_table(comparisons), "",
        "## Proses utuh", "",
        "Seperti `bench/run.py` mengukurnya (3 ulangan berselang-seling; naif sekali). "
        "`usulan_*` = `skorasn tier` dengan semua usulan yang berlaku; `skorasn_baca_saja` = "
        "impor skorasn lalu `read_inputs` saja (`bench/tasks.py skorasn-read`); "
        "`lantai_arrow_json` = lantai desain berbasis kolom Arrow (`bench/tasks.py "
        "arrow-json`, lihat bagian Target). "
        f"Keluaran JSON `usulan_json` {'identik' if same_json else '**berbeda**'} dengan "
        "`skorasn_json`.", "", _process_table(processes), ""]
    if million:
        lines += ["1M baris, xlsx → xlsx (sekali):", "", _process_table(million), ""]
    lines += ["## Target", "",
              _md_table(["Target", "skorasn sekarang", "dengan usulan"],
                        _targets(processes, million)), "",
              _floor(processes), "", "## Usulan", ""]
    return "\n".join(lines + _sections(comparisons))
