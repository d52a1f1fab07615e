"""The rules in force: defaults, an optional `skorasn.toml` and CLI flags, merged and validated.

Precedence is flag > file > default, and every value remembers where it came from so that
`skorasn aturan` and the reports can say so.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from skorasn.errors import ConfigError, describe_os_error
from skorasn.models import Rules, ZipLimits, plain_number
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
    "alias_kolom",
    "ejaan_tahap",
    "batas_berkas",
)


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path | None:
    """The rules file to use: the one named on the command line, else ./skorasn.toml if any."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError([f"berkas aturan '{explicit}' tidak ditemukan"])
        return explicit
    candidate = (cwd or Path.cwd()) / CONFIG_FILE_NAME
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


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        place = f"baris {where.group(1)}, kolom {where.group(2)}" if where else str(exc)
        raise ConfigError(
            [f"{path}: bukan TOML yang sah ({place}); periksa tanda kutip dan tanda sama dengan"]
        ) from None
    except OSError as exc:
        raise ConfigError([f"{path}: tidak dapat dibaca ({describe_os_error(exc)})"]) from None


def _apply_file(
    rules: Rules, path: Path, sources: dict[str, str], errors: list[str], invalid: set[str]
) -> Rules:
    """The rules with the file's valid values; an error per invalid field, its key in `invalid`."""
    data = _read_toml(path)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in TOP_LEVEL_KEYS:
            errors.append(
                f"{path}: kunci '{key}' tidak dikenal; yang boleh: " + ", ".join(TOP_LEVEL_KEYS)
            )
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
    updated = replace(rules, **{renamed.get(key, key): value for key, value in values.items()})
    sources.update(dict.fromkeys(values, "berkas"))
    if "batas_berkas" in values:
        sources.update({f"batas_berkas.{name}": "berkas" for name in data["batas_berkas"]})
    return updated


def _parse_score(path: Path, key: str, value: Any, errors: list[str]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append(f"{path}: '{key}' harus berupa angka 0–10, bukan {value!r}")
        return None
    if not 0 <= value <= 10:
        errors.append(f"{path}: '{key}' = {value} di luar rentang; harus antara 0 dan 10")
        return None
    return float(value)


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
                errors.append(
                    f"{path}: '{key}.{name}' tidak dikenal; yang boleh: " + ", ".join(allowed)
                )
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


_WHOLE_LIMITS = ("max_members", "max_cells")


def _parse_limits(path: Path, key: str, value: Any, errors: list[str]) -> ZipLimits | None:
    if not isinstance(value, dict):
        errors.append(f"{path}: '{key}' harus berupa tabel [{key}]")
        return None
    updates: dict[str, Any] = {}
    for name, limit in value.items():
        attribute = ZipLimits.KEYS.get(name)
        if attribute is None:
            errors.append(
                f"{path}: '{key}.{name}' tidak dikenal; yang boleh: " + ", ".join(ZipLimits.KEYS)
            )
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
    "alias_kolom": _parse_name_lists(COLUMN_KEYS, _column_meaning, "kolom"),
    "ejaan_tahap": _parse_name_lists(STAGES, _stage_meaning, "tahap"),
    "batas_berkas": _parse_limits,
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
                f"{_origin(name, sources, config_path)}: '{name}' = {value:g} di luar "
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


def effective_rules_table(rules: Rules) -> list[tuple[str, str, str]]:
    """(key, value, source) rows for `skorasn aturan`."""
    rows = [
        (
            name,
            f"{getattr(rules, name):g}" if name != "gabung" else rules.gabung,
            rules.source_of(name),
        )
        for name in ("lanjut_min", "berhenti_maks", "gabung", "selisih_pelatih")
    ]
    for column, names in sorted(rules.column_aliases.items()):
        rows.append((f"alias_kolom.{column}", ", ".join(names), rules.source_of("alias_kolom")))
    for stage, names in sorted(rules.stage_spellings.items()):
        rows.append((f"ejaan_tahap.{stage}", ", ".join(names), rules.source_of("ejaan_tahap")))
    for key, attribute in ZipLimits.KEYS.items():
        rows.append(
            (
                f"batas_berkas.{key}",
                str(plain_number(getattr(rules.zip_limits, attribute))),
                rules.source_of(f"batas_berkas.{key}"),
            )
        )
    return rows
