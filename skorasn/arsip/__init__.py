"""The arsip: a tamper-evident register of every `tier` run's decisions, in SQLite.

Layer 2, beside reading, rules and reporting: it sees only models and the vocabulary. The pure
checks live in checks.py and compare.py, the SQL in store.py and schema.py, the hash chain in
chain.py; session.py ties them into one run, history.py answers `riwayat` and `arsip …`.
"""

from skorasn.arsip.session import ArsipSession

__all__ = ["ArsipSession"]
