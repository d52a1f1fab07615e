"""The measurements of the last run as JSON, so RESULTS.md can be rewritten without measuring.

python bench/run.py --tulis-ulang      # RESULTS.md again from bench/out/hasil_terakhir.json
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

from measure import Result, Run
from profil import Profile

PATH = Path(__file__).resolve().parent / "out" / "hasil_terakhir.json"


def save(
    results: list[Result],
    profiles: list[Profile],
    sizes: dict[int, int],
    fast: bool,
    now: dt.datetime,
    machine_rows: list[list[str]],
) -> None:
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_text(
        json.dumps(
            {
                "results": [asdict(r) for r in results],
                "profiles": [asdict(p) for p in profiles],
                "sizes": list(sizes.items()),
                "fast": fast,
                "now": now.isoformat(),
                "machine": machine_rows,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


def load() -> dict:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    results = [
        Result(r["name"], r["rows"], [Run(**run) for run in r["runs"]], r["note"])
        for r in data["results"]
    ]
    profiles = [
        Profile(p["name"], p["total"], p["phases"], [tuple(f) for f in p["functions"]])
        for p in data["profiles"]
    ]
    return {
        "results": results,
        "profiles": profiles,
        "sizes": dict(data["sizes"]),
        "fast": data["fast"],
        "now": dt.datetime.fromisoformat(data["now"]),
        "machine_rows": data["machine"],
    }
