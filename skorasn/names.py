"""Recognising what people type: column headers, stage names, eselon, hand-written decisions.

Everything is compared after `fold`, so "N I P", "Nilai\u00a0Akhir" and "nilai_akhir" match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from skorasn.vocabulary import BERHENTI, DASAR, LANJUT, LANJUTAN_1, LANJUTAN_2, TAHAN

# Characters that Excel users paste in without seeing them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00a0\u200b\u200c\u200d\u2060\ufeff\u202f\u2007"), " ")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: object) -> str:
    """Lower-case letters and digits only, after NFKC and removing invisible characters."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).lower()
    return _NOT_ALNUM.sub("", text)


COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip baru", "nomor induk pegawai"),
    "nama": ("nama", "nama peserta", "nama lengkap", "nama pegawai", "name"),
    "skor": (
        "skor",
        "nilai",
        "nilai akhir",
        "skor akhir",
        "score",
        "rata rata",
        "nilai rata rata",
        "skor rata rata",
        "rerata",
    ),
    "tahap": ("tahap", "tingkat", "jenjang", "tahap pelatihan", "stage"),
    "eselon": ("eselon",),
    "unit_kerja": ("unit kerja", "opd", "perangkat daerah", "skpd", "satker", "instansi"),
    "jabatan": ("jabatan",),
    "tanggal": ("tanggal", "tgl"),
    "keterangan": ("keterangan", "keputusan", "status", "hasil"),
}

# A score word, then a trainer word and/or a number: "Skor Pelatih 1", "Nilai Juri 3", "Skor 2";
# or a trainer word with a number alone ("Pelatih 1"), as under a merged "Nilai" title.
_TRAINER_WORDS = "pelatih|penilai|juri|instruktur|fasilitator|trainer|asesor|rater"
_TRAINER_COLUMN = re.compile(
    rf"^(?:(?:skor|nilai|score)(?:(?:{_TRAINER_WORDS})\d*|\d+)|(?:{_TRAINER_WORDS})\d+)$"
)

TRAINER = "pelatih"


@dataclass(frozen=True)
class HeaderVocabulary:
    """Folded header names → canonical column, including aliases from the rules file."""

    aliases: dict[str, str]

    @classmethod
    def build(cls, extra: dict[str, tuple[str, ...]] | None = None) -> HeaderVocabulary:
        aliases: dict[str, str] = {}
        for column, names in COLUMN_ALIASES.items():
            for name in (*names, *(extra or {}).get(column, ())):
                aliases[fold(name)] = column
        return cls(aliases)

    def classify(self, header: object) -> str | None:
        """The canonical column a header names, `pelatih` for a trainer's score, else None."""
        folded = fold(header)
        if not folded:
            return None
        if folded in self.aliases:
            return self.aliases[folded]
        if _TRAINER_COLUMN.match(folded):
            return TRAINER
        return None


_STAGE_SPELLINGS = {
    DASAR: ("dasar",),
    LANJUTAN_1: ("lanjutan 1", "lanjutan i", "lanjutan pertama", "lanjutan satu"),
    LANJUTAN_2: ("lanjutan 2", "lanjutan ii", "lanjutan kedua", "lanjutan dua"),
}
_STAGE_PREFIXES = ("tahap", "tingkat")


def stage_table(extra: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Folded spelling → canonical stage, with and without the optional prefixes."""
    table: dict[str, str] = {}
    for stage, spellings in _STAGE_SPELLINGS.items():
        for spelling in (*spellings, stage, *(extra or {}).get(stage, ())):
            folded = fold(spelling)
            table[folded] = stage
            for prefix in _STAGE_PREFIXES:
                table[prefix + folded] = stage
    return table


def parse_stage(text: object, table: dict[str, str]) -> str | None:
    return table.get(fold(text))


_LANJUTAN = {"lanjutan", "lanj", "lnj", "ljt", "lanjut"}
_ORDINALS = {
    "1": LANJUTAN_1,
    "i": LANJUTAN_1,
    "pertama": LANJUTAN_1,
    "satu": LANJUTAN_1,
    "2": LANJUTAN_2,
    "ii": LANJUTAN_2,
    "kedua": LANJUTAN_2,
    "dua": LANJUTAN_2,
}


def find_stage(text: object, table: dict[str, str]) -> str | None:
    """The stage a longer name speaks of: 'nilai_dasar_angkatan3', 'DASAR (Angk. 4)',
    'Nilai Lanjutan 1 Angkatan 2', 'Lanj. I'. None unless exactly one stage is named."""
    exact = parse_stage(text, table)
    if exact or not isinstance(text, str):
        return exact
    words = re.findall(r"[a-z]+|\d+", unicodedata.normalize("NFKC", text).lower())
    found = {DASAR} if "dasar" in words else set()
    for position, word in enumerate(words):
        joined = re.fullmatch(r"(lanjutan|lanj|lnj)(\d)", word)
        if joined and joined.group(2) in _ORDINALS:
            found.add(_ORDINALS[joined.group(2)])
        elif word in _LANJUTAN and position + 1 < len(words) and words[position + 1] in _ORDINALS:
            found.add(_ORDINALS[words[position + 1]])
    return found.pop() if len(found) == 1 else None


DECISION_WORDS = {
    "lulus": LANJUT,
    "lanjut": LANJUT,
    "naik": LANJUT,
    "ulang": TAHAN,
    "tahan": TAHAN,
    "tidaklulus": BERHENTI,
    "gugur": BERHENTI,
    "berhenti": BERHENTI,
    "disetop": BERHENTI,
}

_ROMAN = {
    "1": "I",
    "2": "II",
    "3": "III",
    "4": "IV",
    "I": "I",
    "II": "II",
    "III": "III",
    "IV": "IV",
}
_ESELON = re.compile(r"^(IV|III|II|I|[1-4])([AB])$")


NO_ESELON = ("-", "–", "—")


def normalise_eselon(text: str) -> str | None:
    """'III/a', 'IIIA', '3a', 'III-a' → 'III.a'; None when it cannot be read."""
    compact = re.sub(r"[\s./\-_]+", "", unicodedata.normalize("NFKC", text)).upper()
    compact = re.sub(r"^ESELON", "", compact)
    match = _ESELON.match(compact)
    if not match:
        return None
    return f"{_ROMAN[match.group(1)]}.{match.group(2).lower()}"
