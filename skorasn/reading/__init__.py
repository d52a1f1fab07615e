"""Reading: spreadsheets and CSV in, one normalised table of participant rows out.

Every problem becomes a `Masalah` naming file, sheet and cell; nothing here prints or exits.
"""

from skorasn.reading.inputs import Discovery, discover, is_skipped_name, read_inputs
from skorasn.reading.roster import read_participants

__all__ = [
    "Discovery",
    "discover",
    "is_skipped_name",
    "read_inputs",
    "read_participants",
]
