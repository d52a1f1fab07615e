"""One raw sheet → one normalised frame of participant rows, with a masalah for every bad cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from skorasn.formatting import column_letter, shown
from skorasn.models import Masalah
from skorasn.names import (
    DECISION_WORDS,
    NO_ESELON,
    HeaderVocabulary,
    find_stage,
    fold,
    normalise_eselon,
)
from skorasn.reading import normalise as norm
from skorasn.reading.header import Header, body_frame, has_digit, people_rows
from skorasn.reading.messages import NIP_WARNINGS, nip_message, plain_note, score_message
from skorasn.reading.workbook import RawSheet
from skorasn.vocabulary import GALAT, PERINGATAN, Level

TEXT_COLUMNS = ("nama", "eselon", "unit_kerja", "jabatan")
COMPACT_COLUMNS = (*TEXT_COLUMNS, "sumber")
# Unicode \d on purpose: a score in other digits (٩) marks a participant row like 9 does; the
# score itself is read, with a peringatan, by normalise_score.
_NUMERIC_TEXT = re.compile(r"[-+]?\d+([.,]\d+)?")


@dataclass(frozen=True)
class ReadContext:
    """What reading needs to know beyond the file itself."""

    vocabulary: HeaderVocabulary
    stages: dict[str, str]
    default_stage: str | None = None


class SheetReader:
    """Turns one RawSheet into participant rows; collects its masalah as it goes."""

    def __init__(self, sheet: RawSheet, berkas: str, header: Header, context: ReadContext):
        self.sheet = sheet
        self.berkas = berkas
        self.header = header
        self.context = context
        self.problems: list[Masalah] = []

    def read(self) -> pd.DataFrame:
        raw = body_frame(self.sheet.rows, self.header.row)
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
        has_nip = pd.Series(False, index=index) if nip is None else nip.map(has_digit).astype(bool)
        score_cells = [
            raw[p]
            for p in (self.header.columns.get("skor"), *self.header.trainers)
            if p is not None and p in raw.columns
        ]
        has_score = pd.Series(False, index=index)
        filled = pd.Series(False, index=index)
        for cells in score_cells:
            has_score |= cells.map(_looks_like_score).astype(bool)
            filled |= norm.cell_kinds(cells) != "blank"
        for row, column in self.sheet.error_cells:
            if row in index and any(c.name == column for c in score_cells):
                has_score[row] = True
        name = self._column(raw, "nama")
        has_name = (
            pd.Series(False, index=index) if name is None else norm.cell_kinds(name) != "blank"
        )
        keep = has_nip | has_score | (has_name & filled)
        return people_rows(raw, self.header, keep, has_nip)

    def _row_column(self) -> int:
        """The cell that stands for a whole row in a message: its NIP, else its name."""
        columns = self.header.columns
        return columns.get("nip", columns.get("nama", 0))

    def _place(self, row: int, column: int | None = None) -> str:
        cell = f"{column_letter(column) if column is not None else ''}{row}"
        if self.sheet.name is None:
            return f"{self.berkas}:{cell}"
        return f"{self.berkas}:{self.sheet.name}!{cell}"

    def _problem(self, level: Level, row: Any, column: Any, message: str, nip: Any = None) -> None:
        """A masalah at (0-based) `column` of the 1-based `row`; a pandas label is fine."""
        self.problems.append(
            Masalah(
                berkas=self.berkas,
                lembar=self.sheet.name,
                baris=int(row),
                kolom=column_letter(int(column)) if column is not None else None,
                tingkat=level,
                pesan=message,
                nip=nip if isinstance(nip, str) else None,
            )
        )

    # --- columns -----------------------------------------------------------------------

    def _read_nip(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        column = self._column(raw, "nip")
        position = self.header.columns.get("nip")
        frame["kolom_nip"] = column_letter(position) if position is not None else None
        if column is None:
            frame["nip"] = None
            frame["cacat"] = True
            for row in frame["baris"]:
                self._problem(
                    GALAT,
                    row,
                    self._row_column(),
                    "lembar ini tidak punya kolom NIP; tambahkan kolom NIP (18 digit, format Teks)",
                )
            return
        nip, code, note = norm.normalise_nip(column)
        frame["nip"] = nip
        frame["cacat"] = code.notna()
        for index in code.dropna().index:
            self._problem(GALAT, int(index) + 1, position, nip_message(code[index], column[index]))
        for index in note.dropna().index:
            message = plain_note("NIP", note[index], column[index], nip[index])
            self._problem(PERINGATAN, int(index) + 1, position, message, nip[index])
        warnings = norm.nip_warnings(nip).dropna()
        for index, warning, number in zip(
            warnings.index, warnings, nip[warnings.index], strict=True
        ):
            self._problem(
                PERINGATAN,
                int(index) + 1,
                position,
                NIP_WARNINGS[warning].format(nip=number),
                number,
            )

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
                self._problem(
                    PERINGATAN,
                    index + 1,
                    position,
                    "karakter kendali atau tak terlihat (misalnya spasi lebar-nol) dihapus "
                    "dari isi sel ini",
                    nip=frame.at[index, "nip"],
                )
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
            self._problem(
                PERINGATAN,
                index + 1,
                position,
                f"eselon '{shown(present[index])}' tidak dikenali (contoh yang benar: III.a, "
                "IV.b); teks aslinya dipakai apa adanya",
                nip=frame.at[index, "nip"],
            )
        frame.loc[readable.dropna().index, "eselon"] = readable.dropna()

    def _check_row_width(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        """A CSV row longer than its header has most often lost a decimal comma to the
        delimiter ("8,5" split into 8 and 5): refuse it rather than read a wrong score."""
        titles = self.header.titles
        width = max((i + 1 for i, t in enumerate(titles) if t not in ("", None)), default=0)
        extra = [int(c) for c in raw.columns if int(c) >= width]
        if not extra:
            return
        filled = pd.concat([norm.cell_kinds(raw[c]) != "blank" for c in extra], axis=1)
        for index in filled.index[filled.any(axis=1)]:
            column = extra[int(filled.loc[index].to_numpy().argmax())]
            self._problem(
                GALAT,
                index + 1,
                column,
                "baris ini punya lebih banyak kolom daripada judulnya; kemungkinan "
                "koma desimal (8,5) terbaca sebagai pemisah. Simpan CSV dengan pemisah "
                "titik koma (;) atau beri tanda kutip pada angka desimal",
                nip=frame.at[index, "nip"],
            )
            frame.at[index, "cacat"] = True
            frame.at[index, "skor_cacat"] = True

    def _read_scores(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        frame["skor_cacat"] = False
        final = self.header.columns.get("skor")
        frame["skor_akhir"] = self._score_column(raw, frame, final) if final is not None else np.nan
        frame["kolom_skor"] = column_letter(final) if final is not None else None
        # A trainer column left wholly empty (a template's second trainer who never scored)
        # is not a trainer of this sheet, and must not warn on every row.
        trainers = [
            p
            for p in self.header.trainers
            if p in raw.columns and (norm.cell_kinds(raw[p]) != "blank").any()
        ]
        frame["n_pelatih"] = len(trainers)
        frame["kolom_pelatih"] = ",".join(column_letter(p) for p in trainers) or None
        for number, position in enumerate(trainers, start=1):
            frame[f"pelatih_{number}"] = self._score_column(raw, frame, position)

    def _score_column(self, raw: pd.DataFrame, frame: pd.DataFrame, position: int) -> pd.Series:
        if position not in raw.columns:
            return pd.Series(np.nan, index=frame.index)
        error_rows = {
            row: error
            for (row, column), error in self.sheet.error_cells.items()
            if column == position
        }
        value, code, note = norm.normalise_score(raw[position], error_rows)
        for index in code.dropna().index:
            self._problem(
                GALAT,
                index + 1,
                position,
                score_message(code[index], raw.at[index, position]),
                nip=frame.at[index, "nip"],
            )
        for index in note.dropna().index:
            message = plain_note("skor", note[index], raw.at[index, position], value[index])
            self._problem(PERINGATAN, index + 1, position, message, nip=frame.at[index, "nip"])
        frame["cacat"] |= code.notna()
        frame["skor_cacat"] |= code.notna()
        return value

    def _read_stage(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        fallback = (
            find_stage(self.sheet.stage_hint, self.context.stages) or self.context.default_stage
        )
        frame["tahap"] = fallback
        column = self._column(raw, "tahap")
        if column is not None:
            kinds = norm.cell_kinds(column)
            written = column[kinds != "blank"]
            stages = written.map(lambda v: find_stage(v, self.context.stages))
            frame.loc[stages.dropna().index, "tahap"] = stages.dropna()
            position = self.header.columns["tahap"]
            for index in stages[stages.isna()].index:
                self._problem(
                    GALAT,
                    index + 1,
                    position,
                    f"tahap '{shown(written[index])}' tidak dikenali; tulis Dasar, "
                    "Lanjutan 1 atau Lanjutan 2",
                    nip=frame.at[index, "nip"],
                )
            frame.loc[stages[stages.isna()].index, "cacat"] = True
        missing = frame["tahap"].isna()
        if missing.any():
            self._stage_missing(frame, missing)

    def _stage_missing(self, frame: pd.DataFrame, missing: pd.Series) -> None:
        rows = frame.loc[missing, "baris"]
        where, named = (
            ("lembar ini", "beri nama lembar")
            if self.sheet.name is not None
            else ("berkas ini", "beri nama berkas")
        )
        span = (
            f"baris {rows.iloc[0]}"
            if len(rows) == 1
            else f"{len(rows)} baris ({rows.iloc[0]}–{rows.iloc[-1]})"
        )
        self._problem(
            GALAT,
            int(rows.iloc[0]),
            self._row_column(),
            f"tahap {where} tidak diketahui untuk {span}: tambahkan kolom Tahap, "
            f"{named} yang memuat 'Dasar', 'Lanjutan 1' atau 'Lanjutan 2', atau "
            "jalankan dengan --tahap bila semua berkas tanpa tahap memang satu tahap",
        )
        frame.loc[missing, "cacat"] = True

    def _read_date(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        column = self._column(raw, "tanggal")
        if column is None:
            frame["tanggal"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
            return
        value, code, _ = norm.normalise_date(column)
        frame["tanggal"] = value
        position = self.header.columns["tanggal"]
        for index in code.dropna().index:
            written = shown(column[index])
            if code[index] == "di_luar_rentang":
                # The audit orders attempts and stages by date: a wrong year must not decide.
                self._problem(
                    GALAT,
                    index + 1,
                    position,
                    f"tanggal '{written}' di luar rentang yang dapat diolah (1677–2262); "
                    "periksa tahunnya, misalnya 3025 yang seharusnya 2025",
                    nip=frame.at[index, "nip"],
                )
                frame.at[index, "cacat"] = True
                continue
            self._problem(
                PERINGATAN,
                index + 1,
                position,
                f"tanggal '{written}' tidak dikenali; tulis sebagai tanggal Excel atau 07/11/2025",
                nip=frame.at[index, "nip"],
            )

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


def _looks_like_score(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == value
    if isinstance(value, str):
        return _NUMERIC_TEXT.fullmatch(value.strip()) is not None
    return False
