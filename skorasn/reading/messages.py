"""What a bad NIP or score cell is told: what is wrong, and what to do."""

from __future__ import annotations

from decimal import Decimal

from skorasn.formatting import decimal_comma

UNCACHED_FORMULA = "RUMUS"


NIP_WARNINGS = {
    "lahir": "8 digit pertama NIP {nip} bukan tanggal lahir yang sah; periksa kembali NIP-nya",
    "kelamin": "digit ke-15 NIP {nip} (kode jenis kelamin) harus 1 atau 2; periksa kembali",
}


def as_shown(value: object) -> str:
    """A number as Excel shows it (15 significant digits), not the binary float's tail."""
    return str(int(Decimal(repr(float(value)))))  # type: ignore[arg-type]


def nip_message(code: str, value: object) -> str:
    if code == "kosong":
        return "NIP kosong padahal ada skor; isi NIP 18 digit peserta ini"
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
    if code == "ilmiah":
        return (
            f"NIP tertulis dalam notasi ilmiah ('{value}'); digit terakhirnya sudah hilang. "
            "Ketik ulang NIP sebagai teks 18 digit"
        )
    text = str(value)
    odd = sorted({ch for ch in text.lstrip("'") if not (ch.isdigit() or ch in " .-\u00a0")})
    if odd:
        shown = ", ".join(f"'{ch}'" for ch in odd[:5])
        return (
            f"NIP '{text}' berisi karakter bukan angka ({shown}); NIP harus 18 digit angka "
            "saja, misalnya huruf O diganti angka 0"
        )
    digits = sum(ch.isdigit() for ch in text)
    return (
        f"NIP '{text}' tidak sah: harus 18 digit angka (tertulis {digits} digit); "
        "periksa dan ketik ulang"
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
        shown = decimal_comma(value) if isinstance(value, int | float) else value
        return f"skor {shown} di luar rentang 0–10; periksa kembali nilainya"
    if code == "jenis":
        return f"skor berisi {value!s} yang bukan angka; isi dengan angka 0–10"
    return (
        f"skor '{value}' bukan angka; isi dengan angka 0–10 (desimal boleh memakai koma, "
        "misalnya 8,5)"
    )
