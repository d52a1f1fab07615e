"""The pre-check of a zip workbook: which scans the zip guard's streaming pass feeds, and the
facts they leave for the reader.

.xlsx/.xlsm and .ods are measured here; .xlsb (and .xls, outside any zip) are binary formats
read in a child process instead (isolation.py), where a failure costs the child, not the run.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from skorasn.errors import RejectedFile
from skorasn.models import ZipLimits
from skorasn.reading.odsscan import OdsScan
from skorasn.reading.refusals import RESAVE
from skorasn.reading.xlsxplan import Consumer, WorkbookFacts, XlsxPlan

__all__ = ["Consumer", "OdsPlan", "WorkbookFacts", "make_plan"]

_CONTENT = "content.xml"


class OdsPlan:
    def __init__(self, archive: zipfile.ZipFile, limits: ZipLimits):
        if _CONTENT not in archive.namelist():
            raise RejectedFile(f"berkas .ods ini tidak berisi {_CONTENT}; {RESAVE}")
        self.scan = OdsScan(_CONTENT, limits)
        self.consumers: dict[str, Consumer] = {_CONTENT: self.scan}

    def finish(self, path: Path) -> WorkbookFacts:
        return WorkbookFacts("ods", self.scan.sheets, self.scan.text_between_cells)


def make_plan(
    archive: zipfile.ZipFile, suffix: str, limits: ZipLimits
) -> XlsxPlan | OdsPlan | None:
    if suffix in (".xlsx", ".xlsm"):
        return XlsxPlan(archive, limits)
    if suffix == ".ods":
        return OdsPlan(archive, limits)
    return None
