"""`skorasn templat` without the terminal: read the participant list, write the workbook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from skorasn.models import Masalah, Participant, Rules
from skorasn.reading import read_participants
from skorasn.reporting.template import write_template
from skorasn.safeio import atomic_output, check_outputs_distinct_from_inputs


def make_template(
    output: Path, stages: Sequence[str], peserta: Path | None, rules: Rules
) -> list[Masalah]:
    """Write the template atomically; return the masalah met while reading `peserta`."""
    roster: dict[str, list[Participant]] = {}
    problems: list[Masalah] = []
    if peserta is not None:
        check_outputs_distinct_from_inputs([output], [peserta])
        roster, problems = read_participants(peserta, stages, rules)
    with atomic_output(output) as temporary:
        write_template(temporary, stages, roster, rules)
    return problems
