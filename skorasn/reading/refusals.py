"""The sentences a refused workbook is explained with, shared by the guard's checks."""

from __future__ import annotations

from skorasn.formatting import decimal_comma
from skorasn.vocabulary import MB

RESAVE = "simpan ulang sebagai .xlsx dari Excel/LibreOffice"
RESEND = "minta pengirim mengirim ulang berkasnya"
PASSWORD = (
    "berkas dilindungi kata sandi; buka di Excel, hapus kata sandinya "
    "(File > Info > Proteksi), lalu simpan ulang"
)
PASSWORD_ODS = (
    "berkas dilindungi kata sandi; buka di LibreOffice, lalu simpan ulang lewat "
    'Berkas > Simpan Sebagai tanpa mencentang "Simpan dengan kata sandi"'
)
CORRUPT_ZIP = f"berkas zip rusak atau terpotong; {RESEND}"
ENTITIES = (
    "berkas berisi deklarasi entitas XML (DOCTYPE/ENTITY) yang tidak dipakai Excel; "
    "berkas ini ditolak demi keamanan"
)
LONG_PROLOG = (
    "berkas berisi bagian XML yang pembukanya (prolog) panjang tidak wajar; "
    "berkas ini ditolak demi keamanan"
)

EXPECTED_KINDS = {
    ".xlsx": {"excel"},
    ".xlsm": {"excel"},
    ".xlsb": {"excel"},
    ".ods": {"ods"},
    # "ole-unknown": a compound file whose directory we could not read to the end; let the parser
    # judge rather than refuse on missing evidence.
    ".xls": {"ole-excel", "ole-unknown", "biff"},
}
LOOKS_LIKE = {
    "zip": "arsip zip, misalnya buku kerja .xlsx atau .ods",
    "excel": "buku kerja Excel .xlsx",
    "ods": "buku kerja OpenDocument .ods",
    "word": "dokumen Word .docx",
    "powerpoint": "presentasi PowerPoint .pptx",
    "biff": "buku kerja Excel lama .xls",
    "ole-excel": "buku kerja Excel lama .xls",
    "ole-word": "dokumen Word lama .doc",
    "ole-powerpoint": "presentasi PowerPoint lama .ppt",
    "ole": "dokumen Office lama berformat OLE",
    "ole-unknown": "dokumen Office lama berformat OLE",
    "html": "tabel HTML — banyak sistem mengekspor tabel HTML dengan nama .xls padahal isinya "
    "bukan buku kerja Excel",
    "xml2003": "XML Spreadsheet 2003",
    "xml": "dokumen XML",
    "pdf": "dokumen PDF",
    "text": "teks biasa atau CSV",
    "binary": "data biner yang tidak dikenali",
}

number = decimal_comma


def size_text(size: int) -> str:
    if size < MB:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    megabytes = size / MB
    return f"{megabytes:.0f} MB" if megabytes >= 10 else f"{megabytes:.1f} MB".replace(".", ",")


def unreadable_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "berkas tidak ditemukan; periksa kembali nama dan letaknya"
    if isinstance(exc, PermissionError):
        return "berkas tidak boleh dibaca (izin akses ditolak); periksa izin berkasnya"
    if isinstance(exc, IsADirectoryError):
        return "ini sebuah folder, bukan berkas; sebutkan berkas di dalamnya"
    return "berkas tidak dapat dibaca karena galat sistem; salin ulang berkasnya lalu coba lagi"
