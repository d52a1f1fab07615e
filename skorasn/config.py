"""The rules in force: defaults, an optional `skorasn.toml` and CLI flags, merged and validated.

Precedence is flag > file > default, and every value remembers where it came from so that
`skorasn aturan` and the reports can say so.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from skorasn.errors import ConfigError, describe_os_error
from skorasn.formatting import decimal_comma
from skorasn.models import Letterhead, Rules, RulesFile, ZipLimits
from skorasn.names import HeaderVocabulary, fold, parse_stage, stage_table
from skorasn.vocabulary import COMBINE_METHODS, CONFIG_FILE_NAME, STAGES

COLUMN_KEYS = (
    "nip",
    "nama",
    "skor",
    "tahap",
    "eselon",
    "unit_kerja",
    "jabatan",
    "tanggal",
    "keterangan",
)
TOP_LEVEL_KEYS = (
    "lanjut_min",
    "berhenti_maks",
    "gabung",
    "selisih_pelatih",
    "pelatih_lengkap",
    "alias_kolom",
    "ejaan_tahap",
    "batas_berkas",
    "laporan",
    "arsip",
)


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path | None:
    """The rules file to use: the one named on the command line, else ./skorasn.toml if any."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError([f"berkas aturan '{explicit}' tidak ditemukan"])
        return explicit
    # Named as the user would name it: skorasn.toml, in the folder the run started in.
    candidate = cwd / CONFIG_FILE_NAME if cwd is not None else Path(CONFIG_FILE_NAME)
    return candidate if candidate.is_file() else None


FLAGS = {"lanjut_min": "--lanjut-min", "berhenti_maks": "--berhenti-maks", "gabung": "--gabung"}


def load_rules(config_path: Path | None, flags: dict[str, Any]) -> Rules:
    """Merge defaults, the rules file and CLI flags (None means 'not given'), then validate.

    Every invalid field is reported at once, each naming where its value came from.
    """
    rules = Rules()
    sources: dict[str, str] = {}
    errors: list[str] = []
    invalid: set[str] = set()
    if config_path is not None:
        rules = _apply_file(rules, config_path, sources, errors, invalid)
    given = {key: value for key, value in flags.items() if value is not None}
    if given:
        rules = replace(rules, **given)
        sources.update(dict.fromkeys(given, "flag"))
        invalid -= given.keys()
    errors += _threshold_errors(rules, sources, config_path, invalid)
    if errors:
        raise ConfigError(errors)
    return replace(rules, sources=sources)


def _origin(key: str, sources: dict[str, str], config_path: Path | None) -> str:
    """Where a value came from, as the user wrote it: the flag, the file, or 'bawaan'."""
    source = sources.get(key, "bawaan")
    if source == "flag":
        return FLAGS.get(key, key)
    return str(config_path) if source == "berkas" else "bawaan"


_BOMS = (
    (b"\xef\xbb\xbf", "UTF-8 with BOM"),  # what older Windows Notepad saves as "UTF-8"
    (b"\xff\xfe", "Unicode (UTF-16)"),  # Notepad's "Unicode"
    (b"\xfe\xff", "Unicode big endian (UTF-16)"),
)


def _decode(path: Path, raw: bytes) -> str:
    """The file's text: UTF-8 and nothing else. A byte-order mark is refused, naming the
    encoding it marks, and any other byte that is not UTF-8 is refused, naming its line; the
    rules in force are never read from a file decoded by guess."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise ConfigError(
                [
                    f"{path}: disimpan sebagai {encoding}, bukan UTF-8 tanpa BOM. Simpan ulang "
                    "sebagai UTF-8 (di Notepad: Simpan Sebagai, Pengodean UTF-8, bukan 'UTF-8 "
                    "with BOM' atau 'Unicode'), lalu jalankan lagi."
                ]
            )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            [
                f"{path}: bukan teks UTF-8 (baris {line}, kolom {column}: bita "
                f"0x{raw[exc.start]:02X}). Simpan ulang berkas ini sebagai UTF-8 (di Notepad: "
                "Simpan Sebagai, Pengodean UTF-8), atau ketik ulang huruf di tempat itu."
            ]
        ) from None


def _read_toml(path: Path) -> tuple[dict[str, Any], RulesFile]:
    """The file's tables, and its path with the sha256 of exactly the bytes read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([f"{path}: tidak dapat dibaca ({describe_os_error(exc)})"]) from None
    text = _decode(path, raw)
    try:
        return tomllib.loads(text), RulesFile(str(path), hashlib.sha256(raw).hexdigest())
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        place = f"baris {where.group(1)}, kolom {where.group(2)}" if where else str(exc)
        hint = _decimal_comma_hint(text, int(where.group(1)) if where else 0)
        raise ConfigError([f"{path}: bukan TOML yang sah ({place}); {hint}"]) from None
    except RecursionError:
        raise ConfigError(
            [
                f"{path}: larik atau tabel bersarang terlalu dalam. Berkas aturan hanya perlu "
                "nilai sederhana dan tabel satu tingkat; lihat contohnya di README."
            ]
        ) from None


def _decimal_comma_hint(text: str, line: int) -> str:
    """What to fix: a decimal comma (`lanjut_min = 8,5`) is the usual mistake here."""
    lines = text.splitlines()
    written = lines[line - 1] if 0 < line <= len(lines) else ""
    if re.search(r"=\s*[+-]?\d+,\d", written):
        return "pakai titik desimal, misalnya 8.5 (bukan 8,5)"
    return "periksa tanda kutip dan tanda sama dengan"


def _apply_file(
    rules: Rules, path: Path, sources: dict[str, str], errors: list[str], invalid: set[str]
) -> Rules:
    """The rules with the file's valid values; an error per invalid field, its key in `invalid`."""
    data, file = _read_toml(path)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in TOP_LEVEL_KEYS:
            _unknown(path, f"kunci '{key}'", TOP_LEVEL_KEYS, errors)
            continue
        before = len(errors)
        parsed = _PARSERS[key](path, key, value, errors)
        if len(errors) > before:
            invalid.add(key)
        elif parsed is not None:
            values[key] = parsed
    renamed = {
        "alias_kolom": "column_aliases",
        "ejaan_tahap": "stage_spellings",
        "batas_berkas": "zip_limits",
    }
    updated = replace(
        rules, file=file, **{renamed.get(key, key): value for key, value in values.items()}
    )
    sources.update(dict.fromkeys(values, "berkas"))
    for table in ("batas_berkas", "laporan", "alias_kolom", "ejaan_tahap"):
        if table in values:
            sources.update({f"{table}.{name}": "berkas" for name in data[table]})
    return updated


def _parse_score(path: Path, key: str, value: Any, errors: list[str]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append(f"{path}: '{key}' harus berupa angka 0–10, bukan {value!r}")
        return None
    if not 0 <= value <= 10:
        errors.append(f"{path}: '{key}' = {value} di luar rentang; harus antara 0 dan 10")
        return None
    return float(value)


def _parse_flag(path: Path, key: str, value: Any, errors: list[str]) -> bool | None:
    if not isinstance(value, bool):
        errors.append(f"{path}: '{key}' harus berupa true atau false, bukan {value!r}")
        return None
    return value


def _is_table(path: Path, key: str, value: Any, errors: list[str]) -> bool:
    if not isinstance(value, dict):
        errors.append(f"{path}: '{key}' harus berupa tabel [{key}]")
    return isinstance(value, dict)


def _parse_letterhead(path: Path, key: str, value: Any, errors: list[str]) -> Letterhead | None:
    if not _is_table(path, key, value, errors):
        return None
    fields: dict[str, str] = {}
    for name, text in value.items():
        if name not in Letterhead.KEYS:
            _unknown(path, f"'{key}.{name}'", Letterhead.KEYS, errors)
        elif not isinstance(text, str):
            errors.append(f"{path}: '{key}.{name}' harus berupa teks dalam tanda kutip")
        else:
            fields[name] = " ".join(text.split())
    return Letterhead(**fields)


def _unknown(
    path: Path, what: str, allowed: tuple[str, ...] | dict[str, str], errors: list[str]
) -> None:
    errors.append(f"{path}: {what} tidak dikenal; yang boleh: " + ", ".join(allowed))


def _parse_combine(path: Path, key: str, value: Any, errors: list[str]) -> str | None:
    if value not in COMBINE_METHODS:
        errors.append(
            f"{path}: '{key}' = {value!r} tidak dikenal; pilih salah satu: "
            + ", ".join(COMBINE_METHODS)
        )
        return None
    return str(value)


def _parse_name_lists(allowed: tuple[str, ...], meaning: Any, what: str) -> Any:
    """A parser for [alias_kolom] or [ejaan_tahap]: lists of extra names per column or stage.

    `meaning(name)` says what a name already means (a column or stage) without the file; a
    name that means something else, or another entry's name, would silently take it over.
    """

    def parse(
        path: Path, key: str, value: Any, errors: list[str]
    ) -> dict[str, tuple[str, ...]] | None:
        if not isinstance(value, dict):
            errors.append(f"{path}: '{key}' harus berupa tabel [{key}] berisi daftar nama")
            return None
        result: dict[str, tuple[str, ...]] = {}
        claimed: dict[str, str] = {}
        for name, names in value.items():
            if name not in allowed:
                _unknown(path, f"'{key}.{name}'", allowed, errors)
                continue
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                errors.append(
                    f"{path}: '{key}.{name}' harus berupa daftar teks, misalnya [\"nama lain\"]"
                )
                continue
            for text in names:
                folded = fold(text)
                taken = meaning(text) or claimed.get(folded)
                if not folded:
                    errors.append(f"{path}: '{key}.{name}': {text!r} tidak berisi huruf atau angka")
                elif taken not in (None, name):
                    errors.append(
                        f"{path}: '{key}.{name}': {text!r} sudah berarti {what} "
                        f"{taken}; hapus dari daftar"
                    )
                claimed.setdefault(folded, name)
            result[name] = tuple(names)
        return result

    return parse


def _column_meaning(text: str) -> str | None:
    return HeaderVocabulary.build().classify(text)


def _stage_meaning(text: str) -> str | None:
    return parse_stage(text, stage_table())


def _parse_register(path: Path, key: str, value: Any, errors: list[str]) -> Path | None:
    """`arsip = "…"`: a path, relative to the rules file's folder (as cron runs elsewhere)."""
    if not isinstance(value, str) or not value.strip():
        errors.append(
            f"{path}: '{key}' harus berupa jalur berkas arsip, misalnya \"arsip/skorasn.db\""
        )
        return None
    register = Path(value)
    return register if register.is_absolute() else path.parent / register


_WHOLE_LIMITS = ("max_members", "max_cells")


def _parse_limits(path: Path, key: str, value: Any, errors: list[str]) -> ZipLimits | None:
    if not _is_table(path, key, value, errors):
        return None
    updates: dict[str, Any] = {}
    for name, limit in value.items():
        attribute = ZipLimits.KEYS.get(name)
        if attribute is None:
            _unknown(path, f"'{key}.{name}'", ZipLimits.KEYS, errors)
        elif isinstance(limit, bool) or not isinstance(limit, int | float) or not limit > 0:
            errors.append(f"{path}: '{key}.{name}' harus berupa angka lebih dari 0")
        elif attribute in _WHOLE_LIMITS and not float(limit).is_integer():
            errors.append(f"{path}: '{key}.{name}' harus berupa bilangan bulat, bukan {limit}")
        else:
            updates[attribute] = int(limit) if attribute in _WHOLE_LIMITS else float(limit)
    return replace(ZipLimits(), **updates)


_PARSERS = {
    "lanjut_min": _parse_score,
    "berhenti_maks": _parse_score,
    "selisih_pelatih": _parse_score,
    "gabung": _parse_combine,
    "pelatih_lengkap": _parse_flag,
    "laporan": _parse_letterhead,
    "alias_kolom": _parse_name_lists(COLUMN_KEYS, _column_meaning, "kolom"),
    "ejaan_tahap": _parse_name_lists(STAGES, _stage_meaning, "tahap"),
    "batas_berkas": _parse_limits,
    "arsip": _parse_register,
}


def _threshold_errors(
    rules: Rules, sources: dict[str, str], config_path: Path | None, invalid: set[str]
) -> list[str]:
    """Errors in the merged values; the file's own values were checked as they were parsed."""
    errors = []
    for name in ("lanjut_min", "berhenti_maks", "selisih_pelatih"):
        value = getattr(rules, name)
        if not 0 <= value <= 10:
            errors.append(
                f"{_origin(name, sources, config_path)}: '{name}' = {decimal_comma(value)} di luar "
                "rentang; harus antara 0 dan 10"
            )
            invalid.add(name)
    if rules.gabung not in COMBINE_METHODS:
        errors.append(
            f"{_origin('gabung', sources, config_path)}: 'gabung' = "
            f"{rules.gabung!r} tidak dikenal; pilih salah satu: " + ", ".join(COMBINE_METHODS)
        )
    if not {"lanjut_min", "berhenti_maks"} & invalid and rules.berhenti_maks >= rules.lanjut_min:
        origins = {
            name: _origin(name, sources, config_path) for name in ("berhenti_maks", "lanjut_min")
        }
        if origins["berhenti_maks"] == origins["lanjut_min"]:
            errors.append(
                f"{origins['lanjut_min']}: 'berhenti_maks' ({rules.berhenti_maks:g}) "
                f"harus lebih kecil dari 'lanjut_min' ({rules.lanjut_min:g})"
            )
        else:
            errors.append(
                f"'berhenti_maks' ({rules.berhenti_maks:g}, "
                f"{_from(origins['berhenti_maks'])}) harus lebih kecil dari "
                f"'lanjut_min' ({rules.lanjut_min:g}, {_from(origins['lanjut_min'])})"
            )
    return errors


def _from(origin: str) -> str:
    return origin if origin == "bawaan" else f"dari {origin}"
