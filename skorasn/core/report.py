"""The main job without the terminal: read, apply the rules, select, summarise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from skorasn.errors import NothingReadError
from skorasn.models import Audit, Masalah, Progress, Report, Rules, Selection, sort_key
from skorasn.names import fold, normalise_eselon
from skorasn.reading import discover, read_inputs
from skorasn.reading.inputs import Discovery
from skorasn.reporting.summary import summarise
from skorasn.rules import apply_rules
from skorasn.vocabulary import BELUM, DECISIONS, GALAT, STAGES


def report_on(
    inputs: Sequence[Path],
    rules: Rules,
    selection: Selection | None = None,
    default_stage: str | None = None,
    command: str = "",
) -> Report:
    """The report on these files and folders, with nothing written anywhere."""
    return build_report(
        discover(inputs), rules, selection, default_stage=default_stage, command=command
    )


def build_report(
    found: Discovery,
    rules: Rules,
    selection: Selection | None = None,
    default_stage: str | None = None,
    on_progress: Progress | None = None,
    command: str = "",
    audit: Audit | None = None,
) -> Report:
    """Read the discovered files, decide, check against the register (`audit`, when one is
    used), keep what `selection` shows, and summarise."""
    selection = selection or Selection()
    read = read_inputs(found, rules, default_stage=default_stage, on_progress=on_progress)
    if read.rows.empty:
        raise NothingReadError(_nothing_read(read.problems))
    decided = apply_rules(read.rows, rules)
    problems = read.problems + decided.problems
    peserta, perubahan = decided.peserta, None
    if audit is not None:
        # Before the selection, so that a participant the register turns `periksa` is
        # counted as periksa in every output.
        audited = audit(peserta, read.files)
        peserta, problems, perubahan = (
            audited.peserta,
            problems + audited.problems,
            audited.perubahan,
        )
    peserta, shown = select(peserta, problems, selection)
    if perubahan is not None and selection.active:
        pairs = set(zip(peserta["nip"], peserta["tahap"], strict=True))
        perubahan = perubahan.restricted(pairs, selection.tahap)
    shown_ids = {id(p) for p in shown}
    hidden = [p for p in problems if id(p) not in shown_ids]
    peserta = order_participants(attach_reasons(peserta, problems))
    return Report(
        peserta=peserta,
        problems=sorted(shown, key=sort_key),
        ringkasan=summarise(peserta),
        rules=rules,
        files=read.files,
        selection=selection,
        command=command,
        hidden_problems=sorted(hidden, key=sort_key),
        perubahan=perubahan,
    )


NOT_SCORED = "skor belum diisi"


def attach_reasons(peserta: pd.DataFrame, problems: list[Masalah]) -> pd.DataFrame:
    """`alasan`: the messages of every masalah at a participant's row, galat first; a row not
    yet scored that has none says so."""
    # A dict from place to messages: one step per masalah, where a groupby would cost a
    # Python call per participant with a masalah.
    at_row: dict[tuple[str, str, int], list[str]] = {}
    for galat_pass in (True, False):
        for problem in problems:
            if problem.baris is not None and (problem.tingkat == GALAT) is galat_pass:
                place = (problem.berkas, problem.lembar or "", problem.baris)
                at_row.setdefault(place, []).append(problem.pesan)
    places = zip(
        peserta["berkas"].astype(object).tolist(),
        peserta["lembar"].astype(object).fillna("").tolist(),
        peserta["baris"].astype(int).tolist(),
        strict=True,
    )
    unscored = (peserta["keputusan"] == BELUM).tolist()
    # Shared, immutable cells for the common cases: a million empty lists would cost 56 MB.
    waiting_only, none = (NOT_SCORED,), ()
    reasons = [
        at_row.get(place) or (waiting_only if waiting else none)
        for place, waiting in zip(places, unscored, strict=True)
    ]
    return peserta.assign(alasan=pd.Series(reasons, index=peserta.index, dtype=object))


def _nothing_read(problems: list[Masalah]) -> str:
    lines = ["tidak ada data peserta yang dapat dibaca dari masukan:"]
    lines += [f"  {p.lokasi}: {p.pesan}" for p in problems[:10]]
    return "\n".join(lines)


def order_participants(peserta: pd.DataFrame) -> pd.DataFrame:
    """Stable order (tahap, keputusan, skor descending, nama) so reruns give the same bytes."""
    if peserta.empty:
        return peserta.reset_index(drop=True)
    # One integer or float key per column and one lexsort: sorting the text columns themselves
    # costs several times more on 100,000 rows.
    keys = (
        peserta["tahap"].map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES)),
        peserta["keputusan"].map({d: i for i, d in enumerate(DECISIONS)}),
        -peserta["skor"].fillna(-1),
        _rank(peserta["nama"].fillna("").astype(str).str.casefold()),
        _rank(peserta["nip"].fillna("")),
        _rank(peserta["sumber"]),
    )
    order = np.lexsort([np.asarray(key, dtype=float) for key in reversed(keys)])
    return peserta.iloc[order].reset_index(drop=True)


def _rank(texts: pd.Series) -> np.ndarray:
    """Each text's place among the distinct texts, in the order sorting them gives (Arrow's
    rank: an order of magnitude faster than factorising 100,000 strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(texts.astype("str"), from_pandas=True)
    ranks = pc.rank(values, sort_keys="ascending", tiebreaker="dense")
    return ranks.to_numpy()


def select(
    peserta: pd.DataFrame, problems: list[Masalah], selection: Selection
) -> tuple[pd.DataFrame, list[Masalah]]:
    """Keep the chosen participants, and the masalah that are not about anyone else."""
    if not selection.active:
        return peserta, problems
    keep = pd.Series(True, index=peserta.index)
    if selection.tahap:
        keep &= peserta["tahap"].isin(selection.tahap)
    if selection.eselon:
        keep &= _eselon_matches(peserta["eselon"], selection.eselon)
    if selection.unit:
        # fold per value: mapping an Arrow column with no unit at all would fail in pandas.
        wanted = [fold(w) for w in selection.unit]
        units = [fold(u) for u in peserta["unit_kerja"].tolist()]
        keep &= pd.Series([any(w in u for w in wanted) for u in units], index=peserta.index)
    if selection.sejak or selection.sampai:
        keep &= _date_matches(peserta["tanggal"], selection.sejak, selection.sampai)
    dropped = peserta[~keep]
    hidden = set(zip(dropped["berkas"], dropped["lembar"], dropped["baris"], strict=True))
    for history in dropped["riwayat"]:
        hidden.update(_history_places(history))
    shown = [p for p in problems if (p.berkas, p.lembar, p.baris) not in hidden]
    return peserta[keep], shown


def _history_places(history: list[dict]) -> set[tuple]:
    """Earlier attempts of a hidden participant are hidden with them."""
    places = set()
    for attempt in history:
        berkas, _, rest = attempt["sumber"].rpartition(":")
        sheet, _, row = rest.rpartition("!")
        places.add((berkas, sheet or None, int(row)))
    return places


def _eselon_matches(eselon: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """'III' matches III.a and III.b; 'III.a' (or 'IIIA', '3a') only itself."""
    targets = [normalise_eselon(w) or w.strip().upper() for w in wanted]
    values = eselon.fillna("").astype(str)
    result = pd.Series(False, index=eselon.index)
    for target in targets:
        result |= (values == target) | values.str.startswith(target + ".")
    return result


def _date_matches(dates: pd.Series, since: dt.date | None, until: dt.date | None) -> pd.Series:
    keep = dates.notna()
    if since:
        keep &= dates >= pd.Timestamp(since)
    if until:
        keep &= dates < pd.Timestamp(until) + pd.Timedelta(days=1)
    return keep
