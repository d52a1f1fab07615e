"""Safe outputs for unattended (cron) runs: atomic replacement, stale-temp cleanup, output locks."""

from skorasn.safeio.atomic import (
    TEMP_PREFIX,
    atomic_output,
    remove_stale_temporaries,
    scratch_folder,
)
from skorasn.safeio.lock import OutputLock, lock_all
from skorasn.safeio.paths import (
    check_output_path,
    check_outputs_distinct_from_inputs,
    expand_placeholders,
    real_target,
)

__all__ = [
    "TEMP_PREFIX",
    "OutputLock",
    "atomic_output",
    "check_output_path",
    "check_outputs_distinct_from_inputs",
    "expand_placeholders",
    "lock_all",
    "real_target",
    "remove_stale_temporaries",
    "scratch_folder",
]
