"""`skorasn riwayat` and `skorasn arsip laporan|ekspor|verifikasi`, and the arsip options of
`tier`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from skorasn.cli.app import app, handle_errors, make_console, rules_from
from skorasn.cli.spec import Format, command, group
from skorasn.errors import SkorasnError, UsageError
from skorasn.formatting import file_label, thousands
from skorasn.vocabulary import EXIT_GALAT

if TYPE_CHECKING:
    from skorasn.models import ArsipOptions, Rules

# The wait for another run holding the register: longer than a run takes to write its reports,
# so that two cron runs started together both get recorded.
REGISTER_WAIT = 300

arsip_app = group("arsip")
app.add_typer(arsip_app)


def register_path(given: dict[str, Any]) -> Path:
    """The register a reading command names: --arsip, else `arsip` in the rules file."""
    path = given["arsip"] or rules_from(given["config"], None, None, None).arsip
    if path is None:
        raise UsageError(
            'sebutkan arsipnya dengan --arsip BERKAS (atau arsip = "…" di skorasn.toml)'
        )
    return path


def normalise_nip(text: str, option: str) -> str:
    """A NIP as typed (spaces, dots, dashes, a leading quote allowed) to its 18 digits."""
    digits = re.sub(r"[\s.\-']", "", text)
    if not (len(digits) == 18 and digits.isascii() and digits.isdigit()):
        raise UsageError(f"{option} '{text}': NIP harus 18 digit angka")
    return digits


def arsip_options(
    path: Path | None,
    corrections: list[str] | None,
    reasons: list[str] | None,
    banding: int | None,
    rules: Rules,
    wait: float,
) -> ArsipOptions | None:
    """The register a `tier` run uses, or None; UsageError for options that need one."""
    from skorasn.models import ArsipOptions

    path = path or rules.arsip
    corrections, reasons = corrections or [], reasons or []
    if path is None:
        for given, option in ((corrections, "--terima-koreksi"), (banding, "--banding-dengan")):
            if given:
                raise UsageError(f"{option} memerlukan arsip: tambahkan --arsip BERKAS")
        if reasons:
            raise UsageError("--alasan hanya dipakai bersama --terima-koreksi dan --arsip")
        return None
    return ArsipOptions(
        path=path,
        koreksi=_corrections(corrections, reasons, rules),
        banding=banding,
        wait=max(REGISTER_WAIT, wait),
    )


def _corrections(corrections: list[str], reasons: list[str], rules: Rules) -> tuple[Any, ...]:
    from skorasn.models import Koreksi
    from skorasn.names import parse_stage, stage_table

    if reasons and not corrections:
        raise UsageError("--alasan hanya dipakai bersama --terima-koreksi")
    if corrections and len(reasons) not in (1, len(corrections)):
        raise UsageError(
            "--terima-koreksi perlu --alasan: satu alasan untuk semuanya, atau satu untuk "
            f'masing-masing ({len(corrections)}), misalnya --alasan "salah ketik, lihat '
            'berita acara 12/11"'
        )
    table = stage_table(rules.stage_spellings)
    accepted = []
    for position, text in enumerate(corrections):
        nip, colon, stage_text = text.rpartition(":")
        stage = parse_stage(stage_text, table) if colon else None
        if stage is None:
            raise UsageError(
                f"--terima-koreksi '{text}': tulis NIP:tahap, misalnya "
                "198001012005011001:dasar (tahap dasar, lanjutan_1 atau lanjutan_2)"
            )
        reason = (reasons[position] if len(reasons) > 1 else reasons[0]).strip()
        if not reason:
            raise UsageError(f"--alasan untuk {text} kosong; tulis alasan koreksinya")
        accepted.append(Koreksi(normalise_nip(nip, "--terima-koreksi"), stage, reason))
    return tuple(accepted)


# --- riwayat ------------------------------------------------------------------------------


@command(app, "riwayat")
@handle_errors
def riwayat(**given: Any) -> None:
    from skorasn.core.arsip import participant_history

    path = register_path(given)
    found = participant_history(path, normalise_nip(given["nip"], "NIP"))
    if not found["catatan"] and not found["koreksi"]:
        raise SkorasnError(f"NIP {found['nip']} tidak ada di arsip {path}")
    if given["format"] is Format.json:
        from skorasn.reporting.document import dumps

        sys.stdout.write(dumps({"arsip": str(path), **found}))
        return
    _print_history(found, path)


def _print_history(found: dict[str, Any], path: Path) -> None:
    from rich.table import Table

    from skorasn.formatting import decimal_comma
    from skorasn.vocabulary import DECISION_LABELS, STAGE_NAMES

    console = make_console()
    console.print(
        f"Riwayat NIP {found['nip']} — {found['nama'] or '(tanpa nama)'} (arsip {path})",
        markup=False,
        soft_wrap=True,
    )
    table = Table(box=None, pad_edge=False)
    for column in ("Tahap", "Tanggal", "Skor", "Keputusan", "Sumber", "Laporan", "Catatan"):
        table.add_column(column)
    notes = {"berubah": "berubah, belum diterima", "koreksi": "koreksi diterima"}
    for entry in found["catatan"]:
        first, last = entry["laporan_pertama"], entry["laporan_terakhir"]
        table.add_row(
            str(STAGE_NAMES.get(entry["tahap"], entry["tahap"] or "—")),
            _day(entry["tanggal"]),
            "—" if entry["skor"] is None else decimal_comma(entry["skor"]),
            str(DECISION_LABELS.get(entry["keputusan"], entry["keputusan"])),
            str(entry["sumber"]),
            f"#{first}" if first == last else f"#{first}–#{last}",
            notes.get(entry["status"] or "", ""),
        )
    console.print(table)
    if found["koreksi"]:
        console.print("Koreksi yang diterima:", markup=False)
    for correction in found["koreksi"]:
        when = str(correction["waktu"])[:16].replace("T", " ")
        console.print(
            f"  laporan #{correction['laporan']} ({when}), tahap "
            f"{STAGE_NAMES.get(correction['tahap'], correction['tahap'])}: alasan "
            f'"{correction["alasan"]}" — perintah: {correction["perintah"]}',
            markup=False,
            soft_wrap=True,
        )


def _day(iso: object) -> str:
    text = str(iso or "")
    if len(text) != 10:  # not YYYY-MM-DD: a register edited by hand, shown as it is
        return text or "—"
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}"


# --- arsip laporan | ekspor | verifikasi -----------------------------------------------------


@command(arsip_app, "arsip laporan")
@handle_errors
def laporan(**given: Any) -> None:
    from skorasn.core.arsip import register_runs

    path = register_path(given)
    runs = register_runs(path)
    last = runs[-1]["hash"] if runs else None
    if given["format"] is Format.json:
        from skorasn.reporting.document import dumps

        sys.stdout.write(dumps({"arsip": str(path), "laporan": runs, "hash_terakhir": last}))
        return
    _print_runs(runs, path)


def _print_runs(runs: list[dict[str, Any]], path: Path) -> None:
    from rich.table import Table

    console = make_console()
    if not runs:
        console.print(f"Arsip {path} belum berisi laporan.", markup=False)
        return
    table = Table(box=None, pad_edge=False, title=f"Arsip {path}", title_justify="left")
    for column in ("No", "Waktu", "Masukan", "Peserta", "Galat", "Peringatan", "Keluar"):
        table.add_column(column, justify="right" if column != "Masukan" else "left")
    for run in runs:
        names = run["masukan"]
        shown = ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
        table.add_row(
            f"#{run['run']}",
            run["started"].replace("T", " ")[:19],
            shown,
            str(run["participants"]),
            str(run["galat"]),
            str(run["peringatan"]),
            str(run["exit_code"]),
        )
    console.print(table)
    console.print(
        f"Hash terakhir (laporan #{runs[-1]['run']}): {runs[-1]['hash']}",
        markup=False,
        soft_wrap=True,
    )
    console.print(
        "Simpan salinan hash ini di luar arsip; 'skorasn arsip verifikasi --hash …' "
        "membuktikan kelak bahwa arsip belum diganti.",
        markup=False,
        soft_wrap=True,
    )


@command(arsip_app, "arsip ekspor")
@handle_errors
def ekspor(**given: Any) -> None:
    from skorasn.core.arsip import export_register

    export_register(register_path(given), given["output"])
    make_console().print(f"Ekspor ditulis: {file_label(given['output'])}", markup=False)


@command(arsip_app, "arsip verifikasi")
@handle_errors
def verifikasi(**given: Any) -> None:
    from skorasn.core.arsip import verify_register

    path = register_path(given)
    kept = given["hash"]
    result = verify_register(path, kept)
    console = make_console()
    if result.whole:
        console.print(
            f"Rantai arsip {path} utuh: {result.runs} laporan.", markup=False, soft_wrap=True
        )
        if result.last_hash:
            console.print(
                f"Hash terakhir (laporan #{result.last_run}): {result.last_hash}",
                markup=False,
                soft_wrap=True,
            )
        if kept is not None:
            kept = kept.strip().lower()
            console.print(
                f"Hash {kept} ada di rantai (laporan #{result.hashes[kept]}).",
                markup=False,
                soft_wrap=True,
            )
        return
    console.print(
        f"Rantai arsip {path} TIDAK utuh ({thousands(len(result.problems))} masalah):",
        markup=False,
        soft_wrap=True,
    )
    for problem in result.problems:
        console.print(f"  {problem}", markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_GALAT)
