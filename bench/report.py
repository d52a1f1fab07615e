"""The ratio table (plain text) and bench/RESULTS.md (Indonesian) from the measurements."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from measure import Result

LIBRARIES = (
    "pandas",
    "numpy",
    "python-calamine",
    "xlsxwriter",
    "openpyxl",
    "fastexcel",
    "pyarrow",
    "typer",
    "rich",
    "pyinstrument",
    "skorasn",
)
READS = ("baca_fastexcel", "baca_calamine")
LOAD_AT_START = os.getloadavg()
RSS_LIMIT_MB = 1229  # 1.2 GiB, as ru_maxrss counts KiB


@dataclass
class Target:
    label: str
    limit: str
    measured: str
    met: bool | None  # None: not measured in this run
    close: bool = False  # within 5 % of the limit: another run may land on the other side


# --- lookups ----------------------------------------------------------------------------------


def find(results: list[Result], name: str, rows: int | None) -> Result | None:
    return next((r for r in results if r.name == name and r.rows == rows and r.ok), None)


def fastest_read(results: list[Result], rows: int) -> Result | None:
    found = [r for r in (find(results, n, rows) for n in READS) if r is not None]
    return min(found, key=lambda r: r.median or float("inf"), default=None)


def ratio(numerator: Result | None, denominator: Result | None) -> float | None:
    if numerator is None or denominator is None or not denominator.median:
        return None
    return numerator.median / denominator.median  # type: ignore[operator]


# --- targets --------------------------------------------------------------------------------


def _ratio_target(
    label: str, limit: float, top: Result | None, bottom: Result | None, unit: str = "×"
) -> Target:
    value = ratio(top, bottom)
    if value is None:
        return Target(label, f"≤ {limit:g}{unit}", "tidak diukur", None)
    digits = 3 if value < 1 else 2  # 0.346 and 0.354 must not both read 0.35
    shown = f"{value:.{digits}f}{unit} ({top.median:.2f} s / {bottom.median:.2f} s)"  # type: ignore
    return Target(
        label, f"≤ {limit:g}{unit}", shown, value <= limit, abs(value - limit) <= 0.05 * limit
    )


def _added_target(label: str, limit: float, top: Result | None, bottom: Result | None) -> Target:
    """What one command adds to another, in seconds of median wall time."""
    if top is None or bottom is None or top.median is None or bottom.median is None:
        return Target(label, f"≤ {limit:g} s", "tidak diukur", None)
    added = top.median - bottom.median
    shown = f"{added:.2f} s ({top.median:.2f} s − {bottom.median:.2f} s)"
    return Target(
        label, f"≤ {limit:g} s", shown, added <= limit, abs(added - limit) <= 0.05 * limit
    )


def _seconds_target(label: str, limit: float, result: Result | None) -> Target:
    if result is None or result.median is None:
        return Target(label, f"≤ {limit:g} s", "tidak diukur", None)
    shown = f"{result.median:.2f} s, RSS puncak {result.peak_mb:.0f} MB"
    close = abs(result.median - limit) <= 0.05 * limit
    return Target(label, f"≤ {limit:g} s", shown, result.median <= limit, close)


def _memory_ratio_target(
    label: str, limit: float, top: Result | None, bottom: Result | None
) -> Target:
    if top is None or bottom is None or not top.peak_mb or not bottom.peak_mb:
        return Target(label, f"≤ {limit:g}×", "tidak diukur", None)
    value = top.peak_mb / bottom.peak_mb
    shown = f"{value:.2f}× ({top.peak_mb:.0f} MB / {bottom.peak_mb:.0f} MB)"
    return Target(label, f"≤ {limit:g}×", shown, value <= limit, abs(value - limit) <= 0.05 * limit)


def _memory_target(results: list[Result]) -> Target:
    label = "1M baris, xlsx → xlsx: selesai, RSS puncak"
    big = next((r for r in results if r.name == "skorasn_xlsx" and r.rows == 1_000_000), None)
    if big is None or not big.runs:
        return Target(label, f"≤ {RSS_LIMIT_MB} MB", big.note if big else "tidak diukur", None)
    if not big.ok:
        return Target(label, f"≤ {RSS_LIMIT_MB} MB", "dihentikan (memori mesin menipis)", False)
    peak = big.peak_mb or 0
    return Target(
        label,
        f"≤ {RSS_LIMIT_MB} MB",
        f"{peak:.0f} MB dalam {big.median:.1f} s",
        peak <= RSS_LIMIT_MB,
        abs(peak - RSS_LIMIT_MB) <= 0.05 * RSS_LIMIT_MB,
    )


def targets(results: list[Result]) -> list[Target]:
    """The targets of the issue "Performance", each a ratio within one run."""
    k10, k100, m1 = 10_000, 100_000, 1_000_000
    read = fastest_read(results, k100)
    read_name = read.name.removeprefix("baca_") if read else "?"
    return [
        _ratio_target(
            "Banyak masalah: 100k baris tiga tahap → JSON, terhadap 100k baris bersih → JSON",
            1.5,
            find(results, "skorasn_tiga_json", k100),
            find(results, "skorasn_json", k100),
        ),
        _ratio_target(
            f"xlsx → JSON, 100k baris, terhadap baca mentah tercepat ({read_name})",
            3,
            find(results, "skorasn_json", k100),
            read,
        ),
        _ratio_target(
            "xlsx → xlsx, 100k baris, terhadap pipeline naif",
            0.30,
            find(results, "skorasn_xlsx", k100),
            find(results, "naif", k100),
        ),
        _ratio_target(
            'Data contoh (`skorasn tier contoh_data/…xlsx`), terhadap `python -c "import pandas"`',
            1.6,
            find(results, "contoh_skorasn", None),
            find(results, "impor_pandas", None),
        ),
        _seconds_target(
            "10.000 berkas CSV satu baris dalam satu folder → JSON",
            20,
            find(results, "skorasn_banyak_csv", k10),
        ),
        _memory_ratio_target(
            "10.000 berkas CSV satu baris: RSS puncak terhadap satu CSV 10k baris",
            1.25,
            find(results, "skorasn_banyak_csv", k10),
            find(results, "skorasn_csv_json", k10),
        ),
        _memory_target(results),
        _ratio_target(
            "waktu(1M) / waktu(100k), xlsx → xlsx",
            10.5,
            find(results, "skorasn_xlsx", m1),
            find(results, "skorasn_xlsx", k100),
        ),
        _added_target(
            "`--arsip` (memeriksa dan mencatat) ditambahkan pada xlsx → JSON, 100k baris",
            2,
            find(results, "skorasn_json_arsip", k100),
            find(results, "skorasn_json", k100),
        ),
        _ratio_target(
            "`skorasn --help` terhadap aplikasi Typer minimal",
            1.3,
            find(results, "help_skorasn", None),
            find(results, "help_typer_minimal", None),
        ),
        _ratio_target(
            "`--ringkas` terhadap JSON, 100k baris",
            1.2,
            find(results, "skorasn_ringkas", k100),
            find(results, "skorasn_json", k100),
        ),
    ]


def status(target: Target, indonesian: bool = True) -> str:
    if target.met is None:
        return "tidak diukur" if indonesian else "NOT MEASURED"
    if indonesian:
        return "tercapai" if target.met else "belum tercapai"
    return "MET" if target.met else "NOT MET"


# --- rows of numbers --------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}×"


def result_rows(results: list[Result], rows: int | None) -> list[list[str]]:
    """name, runs, min, median, peak RSS, ÷ naive, ÷ fastest raw read."""
    naive = find(results, "naif", rows)
    read = fastest_read(results, rows) if rows else None
    table = []
    for result in (r for r in results if r.rows == rows):
        if not result.runs:
            table.append([result.name, "0", "-", "-", "-", "-", result.note])
            continue
        killed = " (dihentikan)" if len(result.ok) < len(result.runs) else ""
        codes = ",".join(str(c) for c in sorted(result.codes))
        table.append(
            [
                result.name,
                f"{len(result.ok)}{killed}",
                _seconds(result.best),
                _seconds(result.median),
                f"{result.peak_mb:.0f}" if result.ok else "-",
                _times(ratio(result, naive)),
                _times(ratio(result, read)),
                codes,
            ]
        )
    return table


HEADERS = ["pengukuran", "n", "min s", "median s", "RSS MB", "÷ naif", "÷ baca", "kode"]


def _plain(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))]
    lines += [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        )
        for row in rows
    ]
    return "\n".join(lines)


def _sizes(results: list[Result]) -> list[int | None]:
    return list(dict.fromkeys(r.rows for r in results))


def _size_title(rows: int | None) -> str:
    if rows is None:
        return "start-up (--help) dan data contoh"
    return f"{rows:,} baris".replace(",", ".")


def text(results: list[Result]) -> str:
    """The table printed at the end: plain text, readable when piped."""
    parts = []
    for rows in _sizes(results):
        parts.append(f"\n== {_size_title(rows)} ==")
        parts.append(_plain(HEADERS, result_rows(results, rows)))
    parts.append("\n== target ==")
    parts.append(
        _plain(
            ["target", "batas", "terukur", "status"],
            [[t.label, t.limit, t.measured, status(t, False)] for t in targets(results)],
        )
    )
    return "\n".join(parts)


# --- RESULTS.md ----------------------------------------------------------------------------


def _md_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cpu() -> str:
    with open("/proc/cpuinfo") as handle:
        models = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
    return f"{models[0] if models else platform.processor()}, {os.cpu_count()} inti logis"


def _memory() -> str:
    with open("/proc/meminfo") as handle:
        total = next(int(line.split()[1]) for line in handle if line.startswith("MemTotal"))
    return f"{total / 1024 / 1024:.1f} GiB".replace(".", ",")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "tidak terpasang"


def _git() -> str:
    root = Path(__file__).resolve().parents[1]
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "skorasn"],
            cwd=root,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "tidak diketahui"
    return f"`{rev}`" + (" + perubahan skorasn/ yang belum di-commit" if dirty else "")


def machine() -> list[list[str]]:
    rows = [
        ["CPU", _cpu()],
        ["Memori", _memory()],
        ["Sistem", f"{platform.system()} {platform.release()}"],
        ["Python", sys.version.split()[0]],
        ["Revisi skorasn", _git()],
        [
            "Beban (load average 1/5/15 menit) di awal",
            " / ".join(f"{v:.2f}" for v in LOAD_AT_START),
        ],
        ["Beban di akhir", " / ".join(f"{v:.2f}" for v in os.getloadavg())],
    ]
    rows += [[name, _version(name)] for name in LIBRARIES]
    return rows
