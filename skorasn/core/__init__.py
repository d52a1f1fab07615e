"""The jobs behind the commands, without a terminal: they never print or exit."""

from skorasn.core.report import build_report, report_on
from skorasn.core.tier import TierJob, TierOptions

__all__ = ["TierJob", "TierOptions", "build_report", "report_on"]
