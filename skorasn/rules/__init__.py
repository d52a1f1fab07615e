"""The mayor's rule and the audits, as pure functions on DataFrames."""

from skorasn.rules.decide import apply_rules, decide

__all__ = ["apply_rules", "decide"]
