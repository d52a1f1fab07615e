"""What a bad NIP or score cell is told: what is wrong, and what to do."""

from __future__ import annotations

from decimal import Decimal

from skorasn.formatting import decimal_comma, shown

UNCACHED_FORMULA = "RUMUS"


NIP_WARNINGS = {
    "lahir": "8 digit pertama NIP {nip} bukan tanggal lahir yang sah; periksa kembali NIP-nya",
    "kelamin": "digit ke-15 NIP {nip} (kode jenis kelamin) harus 1 atau 2; periksa kembali",
}


def as_shown(value: object) -> str:
    """A number as Excel shows it (15 significant digits), not the binary float's tail."""
    return shown(int(Decimal(repr(float(value)))))  # type: ignore[arg-type]


# Peringatan for a cell that was read after its characters were made plain (see `plain`).
_NOTES = {
    "angka": "ditulis dengan angka bentuk lain ('{text}'); dibaca sebagai {value}",
    "tak_terlihat": "berisi karakter tak terlihat ('{text}') yang dihapus; dibaca sebagai {value}",
    "angka+tak_terlihat": (
        "ditulis dengan angka bentuk lain dan karakter tak terlihat ('{text}'); dibaca sebagai "
        "{value}"
    ),
}


def plain_note(what: str, note: str, written: object, value: object) -> str:
    """The peringatan for a NIP or score read from other digits or with invisible characters."""
    shown_value = decimal_comma(value) if isinstance(value, float) else shown(value)
    detail = _NOTES[note].format(text=shown(written), value=shown_value)
    return f"{what} {detail}; ketik ulang dengan angka biasa agar sama di semua berkas"


def nip_message(code: str, value: object) -> str:
    if code == "kosong":
        return "NIP kosong padahal ada skor; isi NIP 18 digit peserta ini"
    if code == "galat_sel:" + UNCACHED_FORMULA:
        return (
            "sel NIP berisi rumus yang hasilnya belum pernah dihitung; ketik NIP 18 digit "
            "peserta ini langsung (format Teks)"
        )
    if code.startswith("galat_sel:"):
        return (
            f"sel NIP berisi galat Excel {code.split(':', 1)[1]}; ketik NIP 18 digit peserta ini "
            "langsung (format Teks)"
        )
    if code == "angka16":
        return (
            f"NIP tersimpan sebagai angka ({as_shown(value)}); Excel hanya menyimpan 15 "
            "digit sehingga digit terakhir sudah hilang. Format kolom NIP sebagai Teks lalu "
            "ketik ulang NIP-nya"
        )
    if code == "angka":
        return (
            f"NIP tersimpan sebagai angka ({as_shown(value)}), bukan 18 digit teks; "
            "format kolom NIP sebagai Teks lalu ketik ulang NIP-nya"
        )
    if code == "angka_rusak":
        return f"NIP berisi angka yang tidak sah ({shown(value)}); ketik NIP sebagai teks 18 digit"
    if code == "ilmiah":
        return (
            f"NIP tertulis dalam notasi ilmiah ('{shown(value)}'); digit terakhirnya sudah "
            "hilang. Ketik ulang NIP sebagai teks 18 digit"
        )
    if code == "desimal":
        return (
            f"NIP '{shown(value)}' tertulis sebagai angka desimal: NIP ini pernah tersimpan "
            "sebagai angka, sehingga digit terakhirnya mungkin sudah hilang. Ketik ulang NIP "
            "sebagai teks 18 digit"
        )
    text = str(value)
    # isdigit() on purpose: digits of other scripts are digits to the reader; they are
    # counted here as the NIP check reads them after turning them into ASCII.
    odd = sorted(
        {ch for ch in text.lstrip("'") if not (ch.isdigit() or ch.isspace() or ch in ".-")}
    )
    if odd:
        listed = ", ".join(f"'{shown(ch)}'" for ch in odd[:5])
        return (
            f"NIP '{shown(text)}' berisi karakter bukan angka ({listed}); NIP harus 18 digit "
            "angka saja, misalnya huruf O diganti angka 0"
        )
    digits = sum(ch.isdigit() for ch in text)
    return (
        f"NIP '{shown(text)}' tidak sah: harus 18 digit angka (tertulis {digits} digit); "
        "periksa dan ketik ulang"
    )


def error_cell_message(error: str) -> str:
    """An Excel error cell outside the scores, which the readers return as empty."""
    if error == UNCACHED_FORMULA:
        return (
            "sel berisi rumus yang hasilnya belum pernah dihitung, jadi terbaca kosong; buka "
            "dan simpan ulang berkasnya di Excel atau LibreOffice, atau ketik isinya langsung"
        )
    return (
        f"sel berisi galat Excel {error}, jadi terbaca kosong; perbaiki rumusnya atau ketik "
        "isinya langsung"
    )


def score_message(code: str, value: object) -> str:
    if code == "galat_sel:" + UNCACHED_FORMULA:
        return (
            "sel berisi rumus yang hasilnya belum pernah dihitung (berkas dibuat oleh "
            "program, belum dibuka di Excel); buka dan simpan ulang berkasnya di Excel atau "
            "LibreOffice, atau ketik skornya langsung"
        )
    if code.startswith("galat_sel:"):
        return (
            f"sel berisi galat Excel {code.split(':', 1)[1]}; perbaiki rumusnya atau "
            "ketik skornya langsung"
        )
    if code == "rentang":
        written = decimal_comma(value) if isinstance(value, int | float) else value
        return f"skor {shown(written)} di luar rentang 0–10; periksa kembali nilainya"
    if code == "angka_rusak":
        return f"skor berisi angka yang tidak sah ({shown(value)}); isi dengan angka 0–10"
    if code == "jenis":
        return f"skor berisi {shown(value)} yang bukan angka; isi dengan angka 0–10"
    return (
        f"skor '{shown(value)}' bukan angka; isi dengan angka 0–10 (desimal boleh memakai "
        "koma, misalnya 8,5)"
    )
