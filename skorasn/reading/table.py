"""The second half of reading: the cells of every sheet's people, normalised at once into the
frame the rules take, with a masalah for every bad cell.

The work is done per column over all rows of all sheets together (extract.py lifted them out
sheet by sheet), so its cost follows the rows, not the number of sheets or files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from skorasn.formatting import decimal_comma, shown, thousands
from skorasn.models import TRAINER_PREFIX, Masalah, masalah_at
from skorasn.names import (
    DECISION_WORDS,
    NO_ESELON,
    HeaderVocabulary,
    find_stage,
    fold,
    normalise_eselon,
)
from skorasn.reading import normalise as norm
from skorasn.reading.cellframe import cell_errors, cell_frame, conflicts
from skorasn.reading.extract import ERROR_CHECKED, SheetPart
from skorasn.reading.messages import (
    NIP_WARNINGS,
    error_cell_message,
    nip_message,
    plain_note,
    score_message,
)
from skorasn.vocabulary import EXCEL_CELL_TEXT, FIELD_WORDS, GALAT, PERINGATAN, Level

TEXT_COLUMNS = ("nama", "eselon", "unit_kerja", "jabatan")
COMPACT_COLUMNS = (*TEXT_COLUMNS, "sumber")
ARROW_TEXT: Final = "string[pyarrow]"
_ROW_WIDER = (
    "baris ini punya lebih banyak kolom daripada judulnya; kemungkinan koma desimal (8,5) "
    "terbaca sebagai pemisah. Simpan CSV dengan pemisah titik koma (;) atau beri tanda kutip "
    "pada angka desimal"
)


@dataclass(frozen=True)
class ReadContext:
    """What reading needs to know beyond the file itself."""

    vocabulary: HeaderVocabulary
    stages: dict[str, str]
    default_stage: str | None = None


class RowReader:
    """Turns the SheetParts of every input into participant rows; collects their masalah."""

    def __init__(self, parts: Sequence[SheetPart], context: ReadContext):
        self.parts = [part for part in parts if len(part)]
        self.context = context
        self.problems: list[Masalah] = []

    def read(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame()
        context = self.context
        fallbacks = [
            find_stage(part.stage_hint, context.stages) or context.default_stage
            for part in self.parts
        ]
        raw = cell_frame(self.parts, fallbacks)
        errors = cell_errors(self.parts)
        disagreements = conflicts(self.parts)
        # A cell as a Python object weighs several times its place in the table: at a million
        # rows, keeping the lists would cost hundreds of MB until the run ends.
        self.parts = []
        frame = raw[["berkas", "lembar", "baris", "sumber"]].copy()
        self._read_nip(raw, frame, {row: e for row, field, e in errors if field == "nip"})
        self._read_text(raw, frame)
        self._read_scores(raw, frame)
        self._read_stage(raw, frame)
        self._read_date(raw, frame)
        self._read_written_decision(raw, frame)
        self._check_row_width(raw, frame)
        self._flag_error_cells(raw, frame, errors)
        self._flag_conflicts(frame, disagreements)
        for name in COMPACT_COLUMNS:
            # Arrow-backed text: a million names cost a third of the memory of Python strings.
            frame[name] = frame[name].astype(ARROW_TEXT)
        return frame

    # --- masalah ----------------------------------------------------------------------

    def _flag(
        self,
        frame: pd.DataFrame,
        index: pd.Index,
        level: Level,
        letters: pd.Series | str | None,
        messages: Sequence[str] | str,
    ) -> None:
        """One masalah per row in `index`: its message and the letter of its cell."""
        if not len(index):
            return
        rows = frame.loc[index]
        texts = [messages] * len(index) if isinstance(messages, str) else messages
        cells = (
            letters.loc[index].tolist()
            if isinstance(letters, pd.Series)
            else [letters] * len(index)
        )
        nips = rows["nip"].tolist() if "nip" in rows else [None] * len(index)
        self.problems += masalah_at(
            level, rows["berkas"].tolist(), rows["lembar"].tolist(), rows["baris"].tolist(),
            cells, texts, nips,
        )  # fmt: skip

    def _flag_read(
        self,
        frame: pd.DataFrame,
        letters: pd.Series,
        written: pd.Series,
        read: norm.Normalised,
        what: str,
        galat: Callable[[str, object], str],
    ) -> None:
        """A galat for each cell `read` refused, a peringatan for each it read with a note."""
        bad = read.code.dropna()
        self._flag(
            frame,
            bad.index,
            GALAT,
            letters,
            [galat(c, w) for c, w in zip(bad, written[bad.index], strict=True)],
        )
        noted = read.note.dropna()
        self._flag(frame, noted.index, PERINGATAN, letters, [
            plain_note(what, n, w, v) for n, w, v in
            zip(noted, written[noted.index], read.value[noted.index], strict=True)
        ])  # fmt: skip

    # --- columns -----------------------------------------------------------------------

    def _read_nip(
        self, raw: pd.DataFrame, frame: pd.DataFrame, cell_errors: dict[int, str]
    ) -> None:
        """`cell_errors`: the Excel error of each NIP cell that holds one, by row."""
        frame["kolom_nip"] = raw["kolom_nip"]
        absent = raw["kolom_nip"].isna()
        frame["nip"] = None
        frame["nip_jejak"] = None
        frame["cacat"] = absent
        self._flag(
            frame,
            frame.index[absent],
            GALAT,
            raw["kolom_baris"],
            "lembar ini tidak punya kolom NIP; tambahkan kolom NIP (18 digit, format Teks)",
        )
        column = raw.loc[~absent, "nip"]
        if column.empty:
            return
        nip, code, note = norm.normalise_nip(column)
        # An error cell reads as empty: say what the cell holds, not that it is empty.
        errors = pd.Series(cell_errors, dtype=object).reindex(code.index)
        in_error = errors.notna() & (code == "kosong")
        code[in_error] = "galat_sel:" + errors[in_error]
        frame.loc[column.index, "nip"] = nip
        frame.loc[column.index, "cacat"] = code.notna()
        refused = code.dropna().index
        frame.loc[refused, "nip_jejak"] = norm.legible_digits(column[refused])
        letters = raw["kolom_nip"]
        self._flag_read(frame, letters, column, norm.Normalised(nip, code, note), "NIP",
                        nip_message)  # fmt: skip
        warnings = norm.nip_warnings(nip).dropna()
        self._flag(
            frame,
            warnings.index,
            PERINGATAN,
            letters,
            [
                NIP_WARNINGS[w].format(nip=v)
                for w, v in zip(warnings, nip[warnings.index], strict=True)
            ],
        )

    def _read_text(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        for name in TEXT_COLUMNS:
            column = raw[name]
            text = norm.as_text(column, norm.cell_kinds(column))
            text, removed = norm.strip_control(text)
            self._flag(frame, removed.index[removed], PERINGATAN, raw[f"kolom_{name}"],
                       "karakter kendali atau tak terlihat (misalnya spasi lebar-nol) dihapus "
                       "dari isi sel ini")  # fmt: skip
            self._flag_too_long(frame, text, raw[f"kolom_{name}"])
            # Into Arrow at once, so that one column's Python strings are gone (and their
            # memory reused) before the next column makes its own.
            frame[name] = text.astype(ARROW_TEXT)
        self._normalise_eselon(raw, frame)

    def _flag_error_cells(
        self, raw: pd.DataFrame, frame: pd.DataFrame, errors: list[tuple[int, str, str]]
    ) -> None:
        """An Excel error cell outside the scores reads as empty: a galat in the Tahap column
        (the row's stage is then unknown, and --tahap must not fill it in), a peringatan in
        the others."""
        for name in ERROR_CHECKED:
            found = [(row, error) for row, field, error in errors if field == name]
            if not found:
                continue
            index = pd.Index([row for row, _ in found])
            level = GALAT if name == "tahap" else PERINGATAN
            self._flag(frame, index, level, raw[f"kolom_{name}"],
                       [error_cell_message(error) for _, error in found])  # fmt: skip
            if level == GALAT:
                frame.loc[index, "cacat"] = True

    def _flag_conflicts(
        self, frame: pd.DataFrame, conflicts: list[tuple[int, str, str, str, object, object]]
    ) -> None:
        """A row whose two columns for one deciding field disagree cannot be decided."""
        if not conflicts:
            return
        index = pd.Index([row for row, *_ in conflicts])
        self._flag(frame, index, GALAT, pd.Series([c[3] for c in conflicts], index=index), [
            f"kolom {read} dan {other} sama-sama berarti {FIELD_WORDS[name]}, tetapi isinya "
            f"berbeda di baris ini ({_shown_cell(first)} dan {_shown_cell(second)}); hapus "
            "kolom yang salah atau samakan isinya"
            for _, name, read, other, first, second in conflicts
        ])  # fmt: skip
        frame.loc[index, "cacat"] = True

    def _flag_too_long(self, frame: pd.DataFrame, text: pd.Series, letters: pd.Series) -> None:
        lengths = norm.utf16_lengths(text)
        long = lengths[lengths > EXCEL_CELL_TEXT]
        self._flag(frame, long.index, PERINGATAN, letters, [
            f"isi sel ini {thousands(n)} karakter, lebih dari yang muat di satu sel Excel "
            f"({thousands(EXCEL_CELL_TEXT)}); di laporan XLSX teksnya terpotong. Periksa isi "
            "sel itu" for n in long
        ])  # fmt: skip

    def _normalise_eselon(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        # A dash is how these sheets say "no eselon" (staff, functional posts): not a typo.
        frame.loc[frame["eselon"].isin(NO_ESELON), "eselon"] = None
        present = frame["eselon"].dropna()
        # A few distinct spellings among thousands of rows: normalise each spelling once.
        spellings = {text: normalise_eselon(text) for text in present.unique()}
        readable = present.map(spellings)
        unknown = readable[readable.isna()].index
        self._flag(frame, unknown, PERINGATAN, raw["kolom_eselon"], [
            f"eselon '{shown(present[i])}' tidak dikenali (contoh yang benar: III.a, IV.b); "
            "teks aslinya dipakai apa adanya" for i in unknown
        ])  # fmt: skip
        frame.loc[readable.dropna().index, "eselon"] = readable.dropna()

    def _read_scores(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        frame["skor_cacat"] = False
        has_final = raw["kolom_skor"].notna()
        frame["skor_akhir"] = self._score_column(raw, frame, "skor", has_final)
        frame["kolom_skor"] = raw["kolom_skor"]
        frame["n_pelatih"] = raw["n_pelatih"]
        frame["kolom_pelatih"] = raw["kolom_pelatih"]
        for number in range(1, _trainers(raw) + 1):
            name = f"{TRAINER_PREFIX}{number}"
            frame[name] = self._score_column(raw, frame, name, raw["n_pelatih"] >= number)

    def _score_column(
        self, raw: pd.DataFrame, frame: pd.DataFrame, name: str, present: pd.Series
    ) -> pd.Series:
        result = pd.Series(np.nan, index=frame.index)
        column = raw.loc[present, name]
        if column.empty:
            return result
        errors = raw.loc[present, f"galat_{name}"].dropna().to_dict()
        value, code, note = norm.normalise_score(column, errors)
        read = norm.Normalised(value, code, note)
        self._flag_read(frame, raw[f"kolom_{name}"], column, read, "skor", score_message)
        bad = code.dropna()
        frame.loc[bad.index, "cacat"] = True
        frame.loc[bad.index, "skor_cacat"] = True
        result[column.index] = value
        return result

    def _read_stage(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        stages = self.context.stages
        frame["tahap"] = raw["tahap_bawaan"]
        written = raw.loc[norm.cell_kinds(raw["tahap"]) != "blank", "tahap"]
        # A handful of spellings among all rows: each is looked up once.
        found = written.map({v: find_stage(v, stages) for v in written.unique()})
        frame.loc[found.dropna().index, "tahap"] = found.dropna()
        unknown = found[found.isna()].index
        self._flag(frame, unknown, GALAT, raw["kolom_tahap"], [
            f"tahap '{shown(written[i])}' tidak dikenali; tulis Dasar, Lanjutan 1 atau "
            "Lanjutan 2" for i in unknown
        ])  # fmt: skip
        frame.loc[unknown, "cacat"] = True
        missing = frame["tahap"].isna()
        for _, rows in frame[missing].groupby(raw.loc[missing, "lembar_ke"], sort=False):
            self._stage_missing(raw, frame, rows)
        frame.loc[missing, "cacat"] = True

    def _stage_missing(self, raw: pd.DataFrame, frame: pd.DataFrame, rows: pd.DataFrame) -> None:
        """A galat on each row of a sheet whose stage nobody can tell, naming them all, so
        that every such periksa row carries its reason."""
        where, named = (
            ("lembar ini", "beri nama lembar")
            if isinstance(rows["lembar"].iloc[0], str)
            else ("berkas ini", "beri nama berkas")
        )
        numbers = rows["baris"]
        span = (
            f"baris {numbers.iloc[0]}"
            if len(numbers) == 1
            else f"{len(numbers)} baris ({numbers.iloc[0]}–{numbers.iloc[-1]})"
        )
        self._flag(
            frame,
            rows.index,
            GALAT,
            raw["kolom_baris"],
            f"tahap {where} tidak diketahui untuk {span}: tambahkan kolom Tahap, "
            f"{named} yang memuat 'Dasar', 'Lanjutan 1' atau 'Lanjutan 2', atau "
            "jalankan dengan --tahap bila semua berkas tanpa tahap memang satu tahap",
        )

    def _read_date(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        frame["tanggal"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        column = raw["tanggal"]
        value, code, _ = norm.normalise_date(column)
        frame["tanggal"] = value
        letters = raw["kolom_tanggal"]
        far = code[code == "di_luar_rentang"].index
        # The audit orders attempts and stages by date: a wrong year must not decide.
        self._flag(frame, far, GALAT, letters, [
            f"tanggal '{shown(column[i])}' di luar rentang yang dapat diolah (1677–2262); "
            "periksa tahunnya, misalnya 3025 yang seharusnya 2025" for i in far
        ])  # fmt: skip
        frame.loc[far, "cacat"] = True
        unread = code[code.notna() & (code != "di_luar_rentang")].index
        self._flag(frame, unread, PERINGATAN, letters, [
            f"tanggal '{shown(column[i])}' tidak dikenali; tulis sebagai tanggal Excel atau "
            "07/11/2025" for i in unread
        ])  # fmt: skip

    def _read_written_decision(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        frame["kolom_keterangan"] = raw["kolom_keterangan"]
        column = raw["keterangan"]
        text = norm.as_text(column, norm.cell_kinds(column))
        frame["tertulis_teks"] = text
        frame["tertulis"] = text.map(lambda v: DECISION_WORDS.get(fold(v)), na_action="ignore")

    def _check_row_width(self, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
        """A CSV row longer than its header has most often lost a decimal comma to the
        delimiter ("8,5" split into 8 and 5): refuse it rather than read a wrong score."""
        wider = raw.index[raw["lebih"].notna()]
        self._flag(frame, wider, GALAT, raw["lebih"], _ROW_WIDER)
        frame.loc[wider, "cacat"] = True
        frame.loc[wider, "skor_cacat"] = True


def _trainers(raw: pd.DataFrame) -> int:
    return int(raw["n_pelatih"].max()) if len(raw) else 0


def _shown_cell(value: object) -> str:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "kosong"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return decimal_comma(value)
    return f"'{shown(str(value))}'"
