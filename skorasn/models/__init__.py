"""The data that passes between layers: problems, rules, inputs, selections, the report and
the arsip's findings. Every layer imports them from here."""

from skorasn.models.arsip import ArsipOptions, Audit, Audited, Koreksi
from skorasn.models.problems import (
    MASALAH_FIELDS,
    Masalah,
    count_levels,
    masalah_at,
    sort_key,
)
from skorasn.models.rules import Letterhead, Rules, RulesFile, ZipLimits, plain_number
from skorasn.models.tables import (
    PESERTA_COLUMNS,
    READ_COLUMNS,
    REPORT_CSV_COLUMNS,
    TRAINER_PREFIX,
    Decided,
    FileInfo,
    Participant,
    Perubahan,
    Progress,
    ReadColumn,
    ReadResult,
    Report,
    Selection,
    Step,
)

__all__ = [
    "MASALAH_FIELDS",
    "PESERTA_COLUMNS",
    "READ_COLUMNS",
    "REPORT_CSV_COLUMNS",
    "TRAINER_PREFIX",
    "ArsipOptions",
    "Audit",
    "Audited",
    "Decided",
    "FileInfo",
    "Koreksi",
    "Letterhead",
    "Masalah",
    "Participant",
    "Perubahan",
    "Progress",
    "ReadColumn",
    "ReadResult",
    "Report",
    "Rules",
    "RulesFile",
    "Selection",
    "Step",
    "ZipLimits",
    "count_levels",
    "masalah_at",
    "plain_number",
    "sort_key",
]
