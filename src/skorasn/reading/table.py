"""One raw sheet → one normalised frame of participant rows, with a masalah for every bad cell."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from skorasn.numbers import decimal_comma
from skorasn.problems import GALAT, PERINGATAN, Masalah
from skorasn.reading import normalise as norm
from skorasn.reading.names import (
    DECISION_WORDS,
    NO_ESELON,
    TRAINER,
    HeaderVocabulary,
    column_letter,
    find_stage,
    fold,
    normalise_eselon,
)
from skorasn.reading.sources import UNCACHED_FORMULA, RawSheet

HEADER_SEARCH_ROWS = 20
TEXT_COLUMNS = ("nama", "eselon", "unit_kerja", "jabatan")
COMPACT_COLUMNS = (*TEXT_COLUMNS, "sumber")
_FOOTER_WORDS = ("jumlah", "total", "ratarata", "rerata", "rekapitulasi")
_NUMERIC_TEXT = re.compile(r"[-+]?\d+([.,]\d+)?")
_SIGNATURE = re.compile(r"\s*NIP\s*[.:]\s*\d", re.IGNORECASE)


@dataclass(frozen=True)
class ReadContext:
    """What reading needs to know beyond the file itself."""

    vocabulary: HeaderVocabulary
    stages: dict[str, str]
    default_stage: str | None = None


@dataclass
class Header:
    row: int
    columns: dict[str, int]
    trainers: list[int] = field(default_factory=list)

    @property
    def recognised(self) -> int:
        return len(self.columns) + len(self.trainers)

    @property
    def has_score(self) -> bool:
        return "skor" in self.columns or bool(self.trainers)


def locate_header(rows: list[list[object]], vocabulary: HeaderVocabulary) -> Header | None:
    """The row in the first twenty that names the most known columns, if it names a score.

    A header may take two rows, with a merged "Nilai" above "Pelatih 1 | Pelatih 2"; such a
    pair is read as one row ("Nilai Pelatih 1") and the data starts below the second.
    """
    best: Header | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidates = [_classify_row(index, row, vocabulary)]
        if index + 1 < len(rows) and _is_sub_header(rows[index + 1]):
            joined = _join_header_rows(row, rows[index + 1])
            candidates.append(_classify_row(index + 1, joined, vocabulary))
        for header in candidates:
            if not header.has_score or not ({"nip", "nama"} & header.columns.keys()):
                continue
            if best is None or header.recognised > best.recognised:
                best = header
    return best


def _is_sub_header(row: list[object]) -> bool:
    """Only text, no numbers or dates: it may be the lower half of a two-row header."""
    filled = [cell for cell in row if cell not in ("", None)]
    return bool(filled) and all(isinstance(cell, str) for cell in filled)


def _join_header_rows(top: list[object], bottom: list[object]) -> list[object]:
    """Each column's upper and lower titles; a merged upper title spans the columns to its
    right that are blank above and titled below."""
    joined: list[object] = []
    carried = ""
    for position in range(max(len(top), len(bottom))):
        upper = top[position] if position < len(top) else ""
        lower = bottom[position] if position < len(bottom) else ""
        upper = upper.strip() if isinstance(upper, str) else ""
        lower = lower.strip() if isinstance(lower, str) else ""
        if upper:
            carried = upper
        elif not lower:
            carried = ""
        above = upper or carried
        joined.append(f"{above} {lower}".strip() if lower else upper)
    return joined


def _classify_row(index: int, row: list[object], vocabulary: HeaderVocabulary) -> Header:
    header = Header(index, {})
    for position, cell in enumerate(row):
        column = vocabulary.classify(cell)
        if column == TRAINER:
            header.trainers.append(position)
        elif column is not None and column not in header.columns:
            header.columns[column] = position
    return header


def headers_seen(rows: list[list[object]], limit: int = 8, width: int = 40) -> list[str]:
    """Short samples of the text in the first rows, for the warning on a sheet without a
    header: enough to recognise the sheet, not a copy of it."""
    seen: list[str] = []
    for row in rows[:HEADER_SEARCH_ROWS]:
        for cell in row:
            text = " ".join(cell.split()) if isinstance(cell, str) else ""
            text = text if len(text) <= width else text[:width - 1] + "…"
            if text and text not in seen:
                seen.append(text)
    return seen[:limit]


class SheetReader:
    """Turns one RawSheet into participant rows; collects its masalah as it goes."""

    def __init__(self, sheet: RawSheet, berkas: str, header: Header, context: ReadContext):
        self.sheet = sheet
        self.berkas = berkas
        self.header = header
        self.context = context
        self.problems: list[Masalah] = []
        self.titles = list(sheet.rows[header.row]) if sheet.rows else []

    def read(self) -> pd.DataFrame:
        raw = self._raw_frame()
        self.sheet.rows = []  # the frame holds the cells now; the grid's lists can go
        raw = raw[self._participant_rows(raw)]
        frame = pd.DataFrame(index=raw.index)
        frame["berkas"] = self.berkas
        frame["lembar"] = self.sheet.name
        frame["baris"] = raw.index + 1
        frame["sumber"] = [self._place(row) for row in frame["baris"]]
        self._read_nip(raw, frame)
        self._read_text(raw, frame)
        self._read_scores(raw, frame)
        self._read_stage(raw, frame)
        self._read_date(raw, frame)
        self._read_written_decision(raw, frame)
        if self.sheet.name is None:
            self._check_row_width(raw, frame)
        for name in COMPACT_COLUMNS:
            # Arrow-backed text: a million names cost a third of the memory of Python strings.
            frame[name] = frame[name].astype("string[pyarrow]")
        return frame.reset_index(drop=True)

    # --- the grid ----------------------------------------------------------------------

    def _raw_frame(self) -> pd.DataFrame:
        body = self.sheet.rows[self.header.row + 1:]
        width = max((len(row) for row in body), default=0)
        if any(len(row) != width for row in body):  # CSV rows differ in length
            body = [list(row) + [""] * (width - len(row)) for row in body]
        frame = pd.DataFrame(body, columns=range(width), dtype=object) if body else \
            pd.DataFrame(columns=range(width), dtype=object)
        frame.index = pd.RangeIndex(self.header.row + 1, self.header.row + 1 + len(frame))
        return frame

    def _column(self, raw: pd.DataFrame, name: str) -> pd.Series | None:
        position = self.header.columns.get(name)
        if position is None or position not in raw.columns:
            return None
        return raw[position]

    def _participant_rows(self, raw: pd.DataFrame) -> pd.Series:
        """Rows that hold a participant: a NIP, a score, or a name beside something in a score
        column. Below a total line ("JUMLAH …") only rows with a NIP count, and signature
        lines ("NIP. 1970…" under "Kepala BKPSDM") never do."""
        index = raw.index
        nip = self._column(raw, "nip")
        has_nip = pd.Series(False, index=index) if nip is None else \
            nip.map(_has_digit).astype(bool)
        score_cells = [raw[p] for p in (self.header.columns.get("skor"), *self.header.trainers)
                       if p is not None and p in raw.columns]
        has_score = pd.Series(False, index=index)
        filled = pd.Series(False, index=index)
        for cells in score_cells:
            has_score |= cells.map(_looks_like_score).astype(bool)
            filled |= norm.cell_kinds(cells) != "blank"
        for row, column in self.sheet.error_cells:
            if row in index and any(c.name == column for c in score_cells):
                has_score[row] = True
        name = self._column(raw, "nama")
        has_name = pd.Series(False, index=index) if name is None else \
            norm.cell_kinds(name) != "blank"
        keep = has_nip | has_score | (has_name & filled)
        # Totals, signatures and repeated headers never carry a NIP, so only those rows are
        # inspected: the usual sheet has a handful of them among thousands of participants.
        suspects = raw[keep & ~has_nip]
        footer = self._footer(suspects).reindex(index, fill_value=False)
        below_footer = footer.cumsum() > 0
        signature = _signature_rows(suspects).reindex(index, fill_value=False)
        return keep & ~footer & ~(below_footer & ~has_nip) & ~signature

    def _footer(self, rows: pd.DataFrame) -> pd.Series:
        """Total lines ("JUMLAH …") and headers repeated on a new printed page."""
        candidates = (self.header.columns.get("nama"), self.header.columns.get("nip"), 0)
        label_positions = [p for p in dict.fromkeys(candidates)
                           if p is not None and p in rows.columns]
        footer = pd.Series(False, index=rows.index)
        for position in label_positions:
            folded = rows[position].map(fold)
            footer |= folded.str.startswith(_FOOTER_WORDS)
            title = self.titles[position] if position < len(self.titles) else ""
            footer |= folded == fold(title)
        return footer

    def _place(self, row: int, column: int | None = None) -> str:
        cell = f"{column_letter(column) if column is not None else ''}{row}"
        if self.sheet.name is None:
            return f"{self.berkas}:{cell}"
        return f"{self.berkas}:{self.sheet.name}!{cell}"

    def _problem(self, level: str, row: int, column: int | None, message: str,
                 nip: str | None = None) -> None:
        self.problems.append(Masalah(
            berkas=self.berkas, lembar=self.sheet.name, baris=int(row),
            kolom=column_letter(column) if column is not None else None,
            tingkat=level, pesan=message, nip=nip,  # type: ignore[arg-type]
        ))

    # --- columns -----------------------------------------------------------------------

    def _read_nip(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        column = self._column(raw, "nip")
        position = self.header.columns.get("nip")
        frame["kolom_nip"] = column_letter(position) if position is not None else None
        if column is None:
            frame["nip"] = None
            frame["cacat"] = True
            for row in frame["baris"]:
                self._problem(GALAT, row, None, "lembar ini tidak punya kolom NIP; tambahkan "
                              "kolom NIP (18 digit, format Teks)")
            return
        nip, code = norm.normalise_nip(column)
        frame["nip"] = nip
        frame["cacat"] = code.notna()
        for index in code.dropna().index:
            self._problem(GALAT, index + 1, position, _nip_message(code[index], column[index]))
        for index, warning in norm.nip_warnings(nip).dropna().items():
            self._problem(PERINGATAN, index + 1, position, _NIP_WARNINGS[warning].format(
                nip=nip[index]), nip=nip[index])

    def _read_text(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        for name in TEXT_COLUMNS:
            column = self._column(raw, name)
            if column is None:
                frame[name] = None
                continue
            text = norm.as_text(column, norm.cell_kinds(column))
            text, removed = norm.strip_control(text)
            position = self.header.columns[name]
            for index in removed[removed].index:
                self._problem(PERINGATAN, index + 1, position,
                              "karakter kendali (tak terlihat) dihapus dari isi sel ini",
                              nip=frame.at[index, "nip"])
            frame[name] = text
        self._normalise_eselon(frame)

    def _normalise_eselon(self, frame: pd.DataFrame) -> None:
        position = self.header.columns.get("eselon")
        # A dash is how these sheets say "no eselon" (staff, functional posts): not a typo.
        dashes = frame["eselon"].isin(NO_ESELON)
        frame.loc[dashes, "eselon"] = None
        present = frame["eselon"].dropna()
        # A few distinct spellings among thousands of rows: normalise each spelling once.
        spellings = {text: normalise_eselon(text) for text in present.unique()}
        readable = present.map(spellings)
        for index in readable[readable.isna()].index:
            self._problem(PERINGATAN, index + 1, position,
                          f"eselon '{present[index]}' tidak dikenali (contoh yang benar: III.a, "
                          "IV.b); teks aslinya dipakai apa adanya", nip=frame.at[index, "nip"])
        frame.loc[readable.dropna().index, "eselon"] = readable.dropna()

    def _check_row_width(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        """A CSV row longer than its header has most often lost a decimal comma to the
        delimiter ("8,5" split into 8 and 5): refuse it rather than read a wrong score."""
        width = max((i + 1 for i, t in enumerate(self.titles) if t not in ("", None)), default=0)
        extra = [c for c in raw.columns if c >= width]
        if not extra:
            return
        filled = pd.concat([norm.cell_kinds(raw[c]) != "blank" for c in extra], axis=1)
        for index in filled.index[filled.any(axis=1)]:
            column = extra[int(filled.loc[index].to_numpy().argmax())]
            self._problem(GALAT, index + 1, column,
                          "baris ini punya lebih banyak kolom daripada judulnya; kemungkinan "
                          "koma desimal (8,5) terbaca sebagai pemisah. Simpan CSV dengan pemisah "
                          "titik koma (;) atau beri tanda kutip pada angka desimal",
                          nip=frame.at[index, "nip"])
            frame.at[index, "cacat"] = True
            frame.at[index, "skor_cacat"] = True

    def _read_scores(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        frame["skor_cacat"] = False
        final = self.header.columns.get("skor")
        frame["skor_akhir"] = self._score_column(raw, frame, final) if final is not None \
            else np.nan
        frame["kolom_skor"] = column_letter(final) if final is not None else None
        # A trainer column left wholly empty (a template's second trainer who never scored)
        # is not a trainer of this sheet, and must not warn on every row.
        trainers = [p for p in self.header.trainers
                    if p in raw.columns and (norm.cell_kinds(raw[p]) != "blank").any()]
        frame["n_pelatih"] = len(trainers)
        frame["kolom_pelatih"] = ",".join(column_letter(p) for p in trainers) or None
        for number, position in enumerate(trainers, start=1):
            frame[f"pelatih_{number}"] = self._score_column(raw, frame, position)

    def _score_column(self, raw: pd.DataFrame, frame: pd.DataFrame, position: int) -> pd.Series:
        if position not in raw.columns:
            return pd.Series(np.nan, index=frame.index)
        error_rows = {row: error for (row, column), error in self.sheet.error_cells.items()
                      if column == position}
        value, code = norm.normalise_score(raw[position], error_rows)
        for index in code.dropna().index:
            self._problem(GALAT, index + 1, position,
                          _score_message(code[index], raw.at[index, position]),
                          nip=frame.at[index, "nip"])
        frame["cacat"] |= code.notna()
        frame["skor_cacat"] |= code.notna()
        return value

    def _read_stage(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        fallback = find_stage(self.sheet.stage_hint, self.context.stages) \
            or self.context.default_stage
        frame["tahap"] = fallback
        column = self._column(raw, "tahap")
        if column is not None:
            kinds = norm.cell_kinds(column)
            written = column[kinds != "blank"]
            stages = written.map(lambda v: find_stage(v, self.context.stages))
            frame.loc[stages.dropna().index, "tahap"] = stages.dropna()
            position = self.header.columns["tahap"]
            for index in stages[stages.isna()].index:
                self._problem(GALAT, index + 1, position,
                              f"tahap '{written[index]}' tidak dikenali; tulis Dasar, "
                              "Lanjutan 1 atau Lanjutan 2", nip=frame.at[index, "nip"])
            frame.loc[stages[stages.isna()].index, "cacat"] = True
        missing = frame["tahap"].isna()
        if missing.any():
            self._stage_missing(frame, missing)

    def _stage_missing(self, frame: pd.DataFrame, missing: pd.Series) -> None:
        rows = frame.loc[missing, "baris"]
        where, named = ("lembar ini", "beri nama lembar") if self.sheet.name is not None else \
            ("berkas ini", "beri nama berkas")
        span = f"baris {rows.iloc[0]}" if len(rows) == 1 else \
            f"{len(rows)} baris ({rows.iloc[0]}–{rows.iloc[-1]})"
        self._problem(GALAT, int(rows.iloc[0]), None,
                      f"tahap {where} tidak diketahui untuk {span}: tambahkan kolom Tahap, "
                      f"{named} yang memuat 'Dasar', 'Lanjutan 1' atau 'Lanjutan 2', atau "
                      "jalankan dengan --tahap bila semua berkas tanpa tahap memang satu tahap")
        frame.loc[missing, "cacat"] = True

    def _read_date(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        column = self._column(raw, "tanggal")
        if column is None:
            frame["tanggal"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
            return
        value, invalid = norm.normalise_date(column)
        frame["tanggal"] = value
        position = self.header.columns["tanggal"]
        for index in invalid[invalid].index:
            self._problem(PERINGATAN, index + 1, position,
                          f"tanggal '{column[index]}' tidak dikenali; tulis sebagai tanggal Excel "
                          "atau 07/11/2025", nip=frame.at[index, "nip"])

    def _read_written_decision(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        column = self._column(raw, "keterangan")
        position = self.header.columns.get("keterangan")
        frame["kolom_keterangan"] = column_letter(position) if position is not None else None
        if column is None:
            frame["tertulis"] = None
            frame["tertulis_teks"] = None
            return
        text = norm.as_text(column, norm.cell_kinds(column))
        frame["tertulis_teks"] = text
        frame["tertulis"] = text.map(lambda v: DECISION_WORDS.get(fold(v)), na_action="ignore")


_NIP_WARNINGS = {
    "lahir": "8 digit pertama NIP {nip} bukan tanggal lahir yang sah; periksa kembali NIP-nya",
    "kelamin": "digit ke-15 NIP {nip} (kode jenis kelamin) harus 1 atau 2; periksa kembali",
}


def _has_digit(value: object) -> bool:
    if isinstance(value, str):
        return any(ch.isdigit() for ch in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _looks_like_score(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == value
    if isinstance(value, str):
        return _NUMERIC_TEXT.fullmatch(value.strip()) is not None
    return False


def _signature_rows(rows: pd.DataFrame) -> pd.Series:
    """Rows with a "NIP. 1970…" line from the signature block in any column."""
    found = pd.Series(False, index=rows.index)
    for position in rows.columns:
        found |= rows[position].map(
            lambda v: isinstance(v, str) and _SIGNATURE.match(v) is not None).astype(bool)
    return found


def _as_shown(value: object) -> str:
    """A number as Excel shows it (15 significant digits), not the binary float's tail."""
    return str(int(Decimal(repr(float(value)))))  # type: ignore[arg-type]


def _nip_message(code: str, value: object) -> str:
    if code == "kosong":
        return "NIP kosong padahal ada skor; isi NIP 18 digit peserta ini"
    if code == "angka16":
        return (f"NIP tersimpan sebagai angka ({_as_shown(value)}); Excel hanya menyimpan 15 "
                "digit sehingga digit terakhir sudah hilang. Format kolom NIP sebagai Teks lalu "
                "ketik ulang NIP-nya")
    if code == "angka":
        return (f"NIP tersimpan sebagai angka ({_as_shown(value)}), bukan 18 digit teks; "
                "format kolom NIP sebagai Teks lalu ketik ulang NIP-nya")
    if code == "ilmiah":
        return (f"NIP tertulis dalam notasi ilmiah ('{value}'); digit terakhirnya sudah hilang. "
                "Ketik ulang NIP sebagai teks 18 digit")
    text = str(value)
    odd = sorted({ch for ch in text.lstrip("'") if not (ch.isdigit() or ch in " .-\u00a0")})
    if odd:
        shown = ", ".join(f"'{ch}'" for ch in odd[:5])
        return (f"NIP '{text}' berisi karakter bukan angka ({shown}); NIP harus 18 digit angka "
                "saja, misalnya huruf O diganti angka 0")
    digits = sum(ch.isdigit() for ch in text)
    return (f"NIP '{text}' tidak sah: harus 18 digit angka (tertulis {digits} digit); "
            "periksa dan ketik ulang")


def _score_message(code: str, value: object) -> str:
    if code == "galat_sel:" + UNCACHED_FORMULA:
        return ("sel berisi rumus yang hasilnya belum pernah dihitung (berkas dibuat oleh "
                "program, belum dibuka di Excel); buka dan simpan ulang berkasnya di Excel atau "
                "LibreOffice, atau ketik skornya langsung")
    if code.startswith("galat_sel:"):
        return (f"sel berisi galat Excel {code.split(':', 1)[1]}; perbaiki rumusnya atau "
                "ketik skornya langsung")
    if code == "rentang":
        shown = decimal_comma(value) if isinstance(value, int | float) else value
        return f"skor {shown} di luar rentang 0–10; periksa kembali nilainya"
    if code == "jenis":
        return f"skor berisi {value!s} yang bukan angka; isi dengan angka 0–10"
    return (f"skor '{value}' bukan angka; isi dengan angka 0–10 (desimal boleh memakai koma, "
            "misalnya 8,5)")
