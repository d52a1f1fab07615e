"""CSV files as raw grids: the encoding and delimiter are detected, never assumed, and a line
that cannot be read is named at its row, never allowed to swallow the rows after it.

A quote that opens a field and is never closed makes the csv module read the rest of the file
as one cell: the participants after it vanish without a word, or, past 131,072 characters
(`csv.field_size_limit`), the module raises. Each record is therefore checked as it is read:

* the file is followed by an end mark; a record that swallowed the mark ran to the end of the
  file inside a quote;
* a record that raises (a field over the limit) is named;
* a record that spans several lines is re-read strictly, and is refused when its quotes are
  malformed or when a line inside a quoted field holds the delimiter, which is what a data row
  swallowed by a stray quote looks like (a genuine multi-line cell, Alt+Enter in Excel, has
  no delimiter after its line break).

Each refused record costs one galat at the line where it started, and reading resumes on the
next line, so a stray quote loses one row, not the rest of the file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from skorasn.errors import UnreadableFile, describe_os_error
from skorasn.formatting import column_letter, file_label
from skorasn.models import Masalah
from skorasn.reading.csvtext import REPLACEMENT, Decoded, decode
from skorasn.reading.files import open_regular
from skorasn.reading.workbook import RawSheet
from skorasn.vocabulary import GALAT, PERINGATAN, Level

_DELIMITERS = (";", ",", "\t")
# After the last line: a private-use mark no spreadsheet writes, without delimiter or quote.
_END = "\ue000skorasn-akhir-berkas\ue000"
_LINE_BREAK = re.compile("\r\n|\r|\n")
_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1252": "cp1252"}


def read_csv(path: Path) -> tuple[RawSheet, list[Masalah]]:
    """A CSV as text cells, and the masalah of the lines that could not be read as they are."""
    try:
        with open_regular(path) as handle:
            data = handle.read()
    except OSError as exc:
        raise UnreadableFile(f"tidak dapat dibaca ({describe_os_error(exc)})") from None
    decoded = decode(data)
    del data
    delimiter = _detect_delimiter(decoded.text)
    reader = _Reader(decoded.text, delimiter)
    rows = reader.rows()
    problems = [_problem(path, row, None, GALAT, message) for row, message in reader.broken]
    problems += _encoding_problems(path, decoded, rows)
    return RawSheet(None, rows, path.stem), problems


def _problem(path: Path, row: int | None, column: int | None, level: Level, text: str) -> Masalah:
    return Masalah(
        berkas=file_label(path),
        lembar=None,
        baris=row,
        kolom=column_letter(column) if column is not None else None,
        tingkat=level,
        pesan=text,
    )


class _Reader:
    """The records of one CSV text; `broken` holds (row, message) for each refused record."""

    def __init__(self, text: str, delimiter: str):
        if text and not text.endswith(("\n", "\r")):
            text += "\n"
        self.source = io.StringIO(text + _END + "\n", newline="")
        self.delimiter = delimiter
        self.reader = csv.reader(self.source, delimiter=delimiter)
        self.broken: list[tuple[int, str]] = []

    def rows(self) -> list[list[object]]:
        """Nearly every file has one line per record and no error: that is read in one pass
        in C, and only a file with a multi-line record or an error is read record by record."""
        try:
            records: list[list[object]] | None = list(self.reader)  # type: ignore[arg-type]
        except csv.Error:
            records = None
        if records and records[-1] == [_END] and self.reader.line_num == len(records):
            records.pop()
            return records
        del records
        self.source.seek(0)
        self.reader = csv.reader(self.source, delimiter=self.delimiter)
        return self._record_by_record()

    def _record_by_record(self) -> list[list[object]]:
        rows: list[list[object]] = []
        line = 1  # the physical line the next record starts on
        source, reader = self.source, self.reader
        while True:
            start, before = source.tell(), reader.line_num
            try:
                record = next(reader)
            except StopIteration:
                return rows
            except csv.Error as exc:
                self._refuse(rows, line, start, _too_long(line, reader.line_num - before, exc))
                line += 1
                continue
            spanned = reader.line_num - before
            if spanned == 1 and record == [_END]:
                return rows
            if spanned > 1:
                problem = self._span_problem(record, line, spanned, start)
                if problem is not None:
                    self._refuse(rows, line, start, problem)
                    line += 1
                    continue
            rows.append(record)  # type: ignore[arg-type]
            line += spanned

    def _refuse(self, rows: list[list[object]], line: int, start: int, message: str) -> None:
        """Name the record, keep its row number taken, and go on from the line after its
        first: a stray quote costs one row."""
        rows.append([])
        self.broken.append((len(rows), message))
        self.source.seek(start)
        self.source.readline()

    def _span_problem(self, record: list[str], line: int, spanned: int, start: int) -> str | None:
        """Why a record over several lines is not a genuine multi-line cell, or None."""
        if any(_END in field for field in record):
            return (
                f'tanda kutip (") yang dibuka di baris {line} tidak pernah ditutup, sehingga '
                "seluruh sisa berkas terbaca sebagai satu sel; baris ini tidak dibaca. Hapus "
                "tanda kutip itu atau tutup pasangannya, lalu simpan ulang"
            )
        end = self.source.tell()
        self.source.seek(start)
        raw = self.source.read(end - start)
        self.source.seek(end)
        try:
            for _ in csv.reader(
                io.StringIO(raw, newline=""), delimiter=self.delimiter, strict=True
            ):
                pass
            strict = True
        except csv.Error:
            strict = False
        swallowed = any(
            self.delimiter in rest for field in record for rest in _LINE_BREAK.split(field)[1:]
        )
        if strict and not swallowed:
            return None
        return (
            f'tanda kutip (") di baris {line} tidak berpasangan dengan benar, sehingga baris '
            f"{line}–{line + spanned - 1} terbaca sebagai satu baris; baris ini tidak dibaca "
            "dan pembacaan dilanjutkan dari baris berikutnya. Perbaiki tanda kutipnya, lalu "
            "simpan ulang"
        )


def _too_long(line: int, spanned: int, exc: csv.Error) -> str:
    limit = f"{csv.field_size_limit():,}".replace(",", ".")
    if spanned > 1:
        return (
            f'tanda kutip (") yang dibuka di baris {line} tidak ditutup dalam {limit} '
            "karakter; baris ini tidak dibaca dan pembacaan dilanjutkan dari baris "
            "berikutnya. Hapus tanda kutip itu atau tutup pasangannya, lalu simpan ulang"
        )
    if "field larger than field limit" in str(exc):
        return (
            f"satu sel di baris ini lebih panjang dari {limit} karakter; baris ini tidak "
            "dibaca. Periksa isi baris itu"
        )
    return "baris ini tidak dapat dibaca sebagai CSV; baris ini tidak dibaca. Periksa isinya"


def _encoding_problems(path: Path, decoded: Decoded, rows: list[list[object]]) -> list[Masalah]:
    problems = []
    if decoded.encoding == "cp1252":
        problems.append(
            _problem(
                path,
                None,
                None,
                PERINGATAN,
                "berkas ini bukan UTF-8 dan dibaca sebagai teks Windows (cp1252); bila ada "
                "huruf beraksen yang tampil salah, simpan ulang dari Excel sebagai "
                "'CSV UTF-8 (Comma delimited)'",
            )
        )
    if decoded.damaged:
        for number, row in enumerate(rows, start=1):
            column = next(
                (i for i, cell in enumerate(row) if REPLACEMENT in str(cell)),
                None,
            )
            if column is not None:
                problems.append(
                    _problem(
                        path,
                        number,
                        column,
                        PERINGATAN,
                        f"sel ini berisi bita yang rusak (bukan teks {_NAMES[decoded.encoding]}); "
                        "hurufnya tidak dapat dibaca. Periksa isi sel ini lalu simpan ulang "
                        "berkas sebagai 'CSV UTF-8'",
                    )
                )
    return problems


def _detect_delimiter(text: str) -> str:
    sample = text[:65536].splitlines()[:50]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter) if any(row)]
        wide = [count for count in counts if count > 1]
        if not wide:
            return (0, 0)
        mode = max(set(wide), key=wide.count)
        return (wide.count(mode), mode)

    return max(_DELIMITERS, key=score)
