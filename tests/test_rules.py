"""The rule and the audits, on in-memory frames shaped like the reader's output."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skorasn.models import READ_COLUMNS, Rules
from skorasn.rules import apply_rules, decide

from .conftest import nip

# The reader's schema, with the defaults models.py gives each column.
DEFAULTS: dict[str, Any] = {
    name: column.default for name, column in READ_COLUMNS.items() if name not in ("baris", "nip")
}


def rows(*records: dict[str, Any]) -> pd.DataFrame:
    """A reader-shaped frame; each record overrides the defaults, `skor` fills skor_akhir."""
    built = []
    for number, record in enumerate(records, start=2):
        row = {**DEFAULTS, "baris": number, "nip": nip(number), **record}
        if "skor" in row:
            row["skor_akhir"] = row.pop("skor")
        row["sumber"] = f"{row['berkas']}:{row['lembar']}!{row['baris']}"
        built.append(row)
    frame = pd.DataFrame(built)
    frame["tanggal"] = pd.to_datetime(frame["tanggal"])
    return frame


def decided(frame: pd.DataFrame, **rules: Any) -> tuple[pd.DataFrame, list]:
    result = apply_rules(frame, Rules(**rules))
    return result.peserta, result.problems


# --- the rule's boundaries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (10, "lanjut"),
        (9.5, "lanjut"),
        (9, "lanjut"),
        (8.99, "tahan"),
        (7, "tahan"),
        (5.01, "tahan"),
        (5, "berhenti"),
        (4.99, "berhenti"),
        (0, "berhenti"),
        (math.nan, "belum_dinilai"),
    ],
)
def test_default_thresholds(score: float, expected: str) -> None:
    result = decide(pd.Series([score]), pd.Series([False]), Rules())
    assert result.tolist() == [expected]


@pytest.mark.parametrize(
    ("lanjut", "berhenti", "score", "expected"),
    [
        (8.5, 6, 8.5, "lanjut"),
        (8.5, 6, 8.49, "tahan"),
        (8.5, 6, 6, "berhenti"),
        (8.5, 6, 6.01, "tahan"),
        (10, 0, 9.99, "tahan"),
        (10, 0, 0, "berhenti"),
    ],
)
def test_custom_thresholds(lanjut: float, berhenti: float, score: float, expected: str) -> None:
    result = decide(
        pd.Series([score]), pd.Series([False]), Rules(lanjut_min=lanjut, berhenti_maks=berhenti)
    )
    assert result.tolist() == [expected]


def test_invalid_row_is_periksa_whatever_the_score() -> None:
    result = decide(pd.Series([10.0, math.nan]), pd.Series([True, True]), Rules())
    assert result.tolist() == ["periksa", "periksa"]


TIERS = {"berhenti": 0, "tahan": 1, "lanjut": 2}


@given(st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), min_size=1, max_size=50))
def test_one_decision_each_and_never_lower_for_higher_score(scores: list[float]) -> None:
    result = decide(pd.Series(scores), pd.Series([False] * len(scores)), Rules())
    assert len(result) == len(scores)
    assert set(result) <= set(TIERS)
    ranked = sorted(zip(scores, result, strict=True))
    tiers = [TIERS[decision] for _, decision in ranked]
    assert tiers == sorted(tiers)


def test_apply_rules_does_not_mutate_its_input() -> None:
    frame = rows({"skor": 9}, {"skor": 4, "tahap": "lanjutan_1"})
    before = frame.copy(deep=True)
    apply_rules(frame, Rules())
    pd.testing.assert_frame_equal(frame, before)


# --- duplicates and retakes ----------------------------------------------------------------


def test_same_nip_twice_without_dates_is_duplikat_on_both_rows() -> None:
    peserta, problems = decided(rows({"nip": nip(1), "skor": 9}, {"nip": nip(1), "skor": 7}))
    assert peserta["keputusan"].tolist() == ["periksa", "periksa"]
    duplicates = [p for p in problems if "duplikat" in p.pesan]
    assert [(p.tingkat, p.baris, p.nip) for p in duplicates] == [
        ("galat", 2, nip(1)),
        ("galat", 3, nip(1)),
    ]


def test_retake_latest_date_decides_and_keeps_history() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 9, "tanggal": dt.date(2025, 11, 7)},
            {"nip": nip(1), "skor": 7, "tanggal": dt.date(2025, 10, 6)},
        )
    )
    assert len(peserta) == 1
    record = peserta.iloc[0]
    assert (record["skor"], record["keputusan"]) == (9, "lanjut")
    assert record["riwayat"] == [
        {"tanggal": "2025-10-06", "skor": 7, "keputusan": "tahan", "sumber": "skor.xlsx:Dasar!3"}
    ]
    assert problems == []


@pytest.mark.parametrize(
    "dates",
    [
        (dt.date(2025, 11, 7), dt.date(2025, 11, 7)),
        (dt.date(2025, 11, 7), None),
    ],
)
def test_retake_needs_distinct_dates(dates: tuple) -> None:
    peserta, problems = decided(rows(*({"nip": nip(1), "skor": 9, "tanggal": d} for d in dates)))
    assert peserta["keputusan"].tolist() == ["periksa", "periksa"]
    assert sum("duplikat" in p.pesan for p in problems) == 2


def test_retake_after_being_stopped_is_refused() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 4, "tanggal": dt.date(2025, 10, 6)},
            {"nip": nip(1), "skor": 10, "tanggal": dt.date(2025, 11, 7)},
        )
    )
    assert peserta["keputusan"].tolist() == ["periksa"]
    assert [p.tingkat for p in problems] == ["galat"]
    assert "disetop" in problems[0].pesan and problems[0].nip == nip(1)


# --- several trainers ----------------------------------------------------------------------


def trainer_rows(*scores: tuple, final: float = math.nan) -> pd.DataFrame:
    width = max(len(s) for s in scores)
    records = []
    for number, values in enumerate(scores, start=1):
        record: dict[str, Any] = {
            "nip": nip(number),
            "n_pelatih": width,
            "skor": final,
            "kolom_pelatih": ",".join("FGH"[:width]),
            "kolom_skor": None if math.isnan(final) else "E",
        }
        record.update({f"pelatih_{i}": v for i, v in enumerate(values, start=1)})
        records.append(record)
    return rows(*records)


@pytest.mark.parametrize(
    ("method", "scores", "expected"),
    [
        ("rata-rata", (9, 8), 8.5),
        ("rata-rata", (9, 8, 8), 8.33),
        ("rata-rata", (9.5, 8.5), 9),
        ("median", (9, 7, 10), 9),
        ("minimum", (9, 8.75), 8.75),
    ],
)
def test_trainers_are_combined(method: str, scores: tuple, expected: float) -> None:
    peserta, _ = decided(trainer_rows(scores), gabung=method)
    assert peserta["skor"].tolist() == [expected]
    assert peserta["skor_pelatih"].tolist() == [list(map(float, scores))]


def test_rule_applies_to_the_mean_of_two_trainers() -> None:
    peserta, _ = decided(trainer_rows((9, 8.5), (10, 8)))
    assert peserta.set_index("skor")["keputusan"].to_dict() == {8.75: "tahan", 9.0: "lanjut"}


@pytest.mark.parametrize("scores", [(9, math.nan), (math.nan, 4), (10, math.nan, 9)])
def test_an_assessment_waits_for_every_trainer(scores: tuple) -> None:
    peserta, problems = decided(trainer_rows(scores))
    assert peserta["keputusan"].tolist() == ["belum_dinilai"]
    assert peserta["skor"].isna().all()
    blank = scores.index(next(s for s in scores if s != s)) + 1
    assert [p.tingkat for p in problems] == ["peringatan"]
    assert f"menunggu skor Pelatih {blank}" in problems[0].pesan


def test_blank_trainer_is_left_out_when_the_rules_allow_it() -> None:
    peserta, problems = decided(trainer_rows((9, math.nan)), pelatih_lengkap=False)
    assert peserta["skor"].tolist() == [9] and peserta["keputusan"].tolist() == ["lanjut"]
    assert [(p.tingkat, p.kolom) for p in problems] == [("peringatan", "G")]
    assert "Pelatih 2 kosong" in problems[0].pesan


def test_all_trainers_blank_is_belum_dinilai_without_warnings() -> None:
    peserta, problems = decided(trainer_rows((math.nan, math.nan)))
    assert peserta["keputusan"].tolist() == ["belum_dinilai"]
    assert problems == []


@pytest.mark.parametrize(
    ("scores", "warned"), [((9, 6), True), ((9, 6.01), False), ((10, 5), True)]
)
def test_trainers_far_apart_are_flagged(scores: tuple, warned: bool) -> None:
    _, problems = decided(trainer_rows(scores))
    assert any("selisih penilaian antar pelatih" in p.pesan for p in problems) is warned


@pytest.mark.parametrize(
    ("final", "warned"), [(8.5, False), (8.55, False), (8.56, True), (9, True)]
)
def test_final_column_decides_and_is_compared(final: float, warned: bool) -> None:
    peserta, problems = decided(trainer_rows((9, 8), final=final))
    assert peserta["skor"].tolist() == [final]
    assert any("berbeda dari" in p.pesan for p in problems) is warned


@pytest.mark.parametrize(
    ("final", "expected"),
    [
        (8.999999999999998, "lanjut"),  # =AVERAGE(7,6;9,7;9,7) as Excel stores it; shows 9
        (5.000000000000001, "berhenti"),
        (8.9999, "tahan"),  # typed: compared as written
        (5.0001, "tahan"),
    ],
)
def test_a_formulas_binary_residue_does_not_decide(final: float, expected: str) -> None:
    peserta, _ = decided(trainer_rows((9.7, 9.7, 7.6), final=final))
    assert peserta["keputusan"].tolist() == [expected]


def test_blank_final_column_falls_back_to_the_trainers_with_a_warning() -> None:
    frame = trainer_rows((9, 10))
    frame["kolom_skor"] = "E"
    peserta, problems = decided(frame)
    assert peserta["skor"].tolist() == [9.5]
    assert [(p.tingkat, p.kolom) for p in problems] == [("peringatan", "E")]
    assert problems[0].pesan.startswith("nilai akhir kosong")


def test_unreadable_score_cell_leaves_no_score() -> None:
    frame = trainer_rows((math.nan, 10))
    frame["cacat"] = True
    frame["skor_cacat"] = True
    peserta, _ = decided(frame)
    assert math.isnan(peserta["skor"].iloc[0]) and peserta["keputusan"].tolist() == ["periksa"]


# --- hand-written decisions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "score", "galat"),
    [
        ("lanjut", 7, True),
        ("lanjut", 9, False),
        ("tahan", 9, True),
        ("berhenti", 5, False),
        ("berhenti", 6, True),
        ("lanjut", math.nan, True),
        (None, 7, False),
    ],
)
def test_written_decision_is_checked_against_the_rule(
    written: str | None, score: float, galat: bool
) -> None:
    peserta, problems = decided(
        rows(
            {
                "skor": score,
                "tertulis": written,
                "tertulis_teks": (written or "").upper(),
                "kolom_keterangan": "K",
            }
        )
    )
    flagged = [p for p in problems if "keputusan tertulis" in p.pesan]
    assert bool(flagged) is galat
    if galat:
        assert flagged[0].tingkat == "galat" and flagged[0].kolom == "K"
    assert (
        peserta["keputusan"].iloc[0]
        == decide(pd.Series([score]), pd.Series([False]), Rules()).iloc[0]
    )


def test_lulus_beside_seven_names_the_rule() -> None:
    _, problems = decided(rows({"skor": 7, "tertulis": "lanjut", "tertulis_teks": "LULUS"}))
    assert problems[0].pesan.startswith(
        "keputusan tertulis 'LULUS' tidak sesuai aturan (skor 7 → tahan)"
    )


# --- eligibility across stages -------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later_decision", "level", "words"),
    [
        (4, "periksa", "galat", "disetop di tahap dasar (skor 4) — tidak boleh diikutkan lagi"),
        (7, "periksa", "galat", "belum lulus tahap dasar (skor 7"),
        (math.nan, "periksa", "galat", "belum lulus tahap dasar (skor kosong"),
        (9, "lanjut", None, None),
    ],
)
def test_later_stage_needs_lanjut_before(
    earlier: float, later_decision: str, level: str | None, words: str | None
) -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": earlier, "tahap": "dasar"},
            {"nip": nip(1), "skor": 10, "tahap": "lanjutan_1", "lembar": "Lanjutan 1"},
        )
    )
    later = peserta[peserta["tahap"] == "lanjutan_1"].iloc[0]
    assert later["keputusan"] == later_decision
    if level is None:
        assert problems == []
    else:
        assert [(p.tingkat, p.nip, p.lembar) for p in problems] == [(level, nip(1), "Lanjutan 1")]
        assert problems[0].pesan.startswith(words)


def test_missing_earlier_stage_gives_one_warning() -> None:
    peserta, problems = decided(
        rows({"skor": 10, "tahap": "lanjutan_1"}, {"skor": 4, "tahap": "lanjutan_1"})
    )
    assert peserta["keputusan"].tolist() == ["lanjut", "berhenti"]
    assert len(problems) == 1 and problems[0].tingkat == "peringatan"
    assert "tahap dasar" in problems[0].pesan


def test_participant_without_earlier_record_is_warned() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 9, "tahap": "dasar"},
            {"nip": nip(2), "skor": 9, "tahap": "lanjutan_1"},
        )
    )
    assert peserta["keputusan"].tolist() == ["lanjut", "lanjut"]
    assert [(p.tingkat, p.nip, p.pesan) for p in problems] == [
        ("peringatan", nip(2), "tidak ada catatan tahap dasar untuk peserta ini")
    ]


def test_stopped_at_dasar_cannot_skip_to_lanjutan_2() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 3, "tahap": "dasar"},
            {"nip": nip(2), "skor": 9, "tahap": "dasar"},
            {"nip": nip(2), "skor": 9, "tahap": "lanjutan_1"},
            {"nip": nip(1), "skor": 10, "tahap": "lanjutan_2"},
        )
    )
    assert peserta.set_index(["nip", "tahap"]).loc[(nip(1), "lanjutan_2"), "keputusan"] == "periksa"
    assert any(p.nip == nip(1) and "disetop di tahap dasar" in p.pesan for p in problems)


def test_stopped_in_a_dasar_retake_history_cannot_reach_lanjutan_2() -> None:
    """Stopped, then seated again at dasar (refused), then lanjutan 2 without lanjutan 1."""
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 1, "tahap": "dasar", "tanggal": dt.date(2025, 10, 1)},
            {"nip": nip(1), "skor": 9, "tahap": "dasar", "tanggal": dt.date(2025, 10, 8)},
            {"nip": nip(1), "skor": 9, "tahap": "lanjutan_2", "tanggal": dt.date(2025, 11, 1)},
        )
    )
    later = peserta.set_index(["nip", "tahap"]).loc[(nip(1), "lanjutan_2")]
    assert later["keputusan"] == "periksa"
    assert [p.pesan for p in problems if p.baris == 4] == [
        "disetop di tahap dasar (skor 1) — tidak boleh diikutkan lagi"
    ]


@pytest.mark.parametrize(("dasar", "reason"), [(7, "tahan"), (3, None), (9, "")])
def test_lanjutan_2_without_lanjutan_1_is_judged_by_dasar(dasar: float, reason: str | None) -> None:
    """No lanjutan 1 record lets nobody past a dasar they did not pass: the nearest earlier
    stage with a record of the NIP decides."""
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": dasar, "tahap": "dasar"},
            {"nip": nip(2), "skor": 9, "tahap": "dasar"},
            {"nip": nip(2), "skor": 9, "tahap": "lanjutan_1"},
            {"nip": nip(1), "skor": 10, "tahap": "lanjutan_2"},
        )
    )
    later = peserta.set_index(["nip", "tahap"]).loc[(nip(1), "lanjutan_2")]
    said = sorted(p.pesan for p in problems if p.baris == 5)
    warning = "tidak ada catatan tahap lanjutan 1 untuk peserta ini"
    if reason == "":
        assert later["keputusan"] == "lanjut"
        assert said == [warning]
    elif reason is None:
        assert later["keputusan"] == "periksa"
        assert said == ["disetop di tahap dasar (skor 3) — tidak boleh diikutkan lagi"]
    else:
        assert later["keputusan"] == "periksa"
        assert said == [f"belum lulus tahap dasar (skor 7, {reason})", warning]


def test_a_later_record_like_an_unreadable_earlier_nip_is_not_let_through() -> None:
    """Stopped at dasar under a NIP stored as a number (15 digits kept) or typed with
    letters: the same person in lanjutan 1 under a clean NIP cannot be checked, so periksa,
    naming the row; the closest match wins, and someone else is untouched."""
    peserta, problems = decided(
        rows(
            {"nip": None, "nip_jejak": "198001012005011", "nama": "Ani", "skor": 4, "cacat": True},
            {"nip": None, "nip_jejak": "198001012005011002", "nama": "Budi", "skor": 4,
             "cacat": True},
            {"nip": None, "nama": "Cici Rahayu", "skor": 3, "cacat": True},
            {"nip": "198001012005011001", "nama": "A.", "skor": 10, "tahap": "lanjutan_1"},
            {"nip": "198001012005011002", "nama": "B.", "skor": 10, "tahap": "lanjutan_1"},
            {"nip": nip(40, birth="19910303"), "nama": "CICI  rahayu", "skor": 10, "tahap": "lanjutan_1"},
            {"nip": nip(41, birth="19900202"), "nama": "Dedi", "skor": 10, "tahap": "lanjutan_1"},
        )
    )  # fmt: skip
    later = peserta[peserta["tahap"] == "lanjutan_1"]
    assert later["keputusan"].tolist() == ["periksa", "periksa", "periksa", "lanjut"]
    said = {p.baris: p.pesan for p in problems if p.tingkat == "galat"}
    assert "skor.xlsx:Dasar!2 (tahap dasar)" in said[5] and "digit yang sama" in said[5]
    assert "skor.xlsx:Dasar!3 (tahap dasar)" in said[6]
    assert "skor.xlsx:Dasar!4 (tahap dasar)" in said[7] and "nama yang sama" in said[7]
    assert 8 not in said


def test_periksa_in_lanjutan_1_blocks_lanjutan_2() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 7, "tahap": "dasar"},
            {"nip": nip(1), "skor": 10, "tahap": "lanjutan_1"},
            {"nip": nip(1), "skor": 10, "tahap": "lanjutan_2"},
        )
    )
    assert peserta["keputusan"].tolist() == ["tahan", "periksa", "periksa"]
    assert [p.pesan.split(" (")[0] for p in problems] == [
        "belum lulus tahap dasar",
        "belum lulus tahap lanjutan 1",
    ]


@settings(max_examples=60, deadline=None)
@given(
    stopped_score=st.floats(min_value=0, max_value=5, allow_nan=False),
    later_score=st.one_of(st.floats(min_value=0, max_value=10, allow_nan=False), st.just(math.nan)),
    later_stage=st.sampled_from(["lanjutan_1", "lanjutan_2"]),
    others=st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), max_size=5),
)
def test_stopped_participant_in_a_later_stage_is_always_caught(
    stopped_score: float,
    later_score: float,
    later_stage: str,
    others: list[float],
) -> None:
    stopped = nip(999, gender=2)
    records = [{"nip": nip(i), "skor": s, "tahap": "dasar"} for i, s in enumerate(others)]
    records += [
        {"nip": stopped, "skor": stopped_score, "tahap": "dasar"},
        {"nip": stopped, "skor": later_score, "tahap": later_stage},
    ]
    peserta, problems = decided(rows(*records))
    later = peserta[(peserta["nip"] == stopped) & (peserta["tahap"] == later_stage)]
    assert later["keputusan"].tolist() == ["periksa"]
    assert any(p.tingkat == "galat" and p.nip == stopped for p in problems)


def test_later_stage_taken_before_passing_the_earlier_one() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 9, "tahap": "dasar", "tanggal": dt.date(2025, 5, 1)},
            {"nip": nip(1), "skor": 9, "tahap": "lanjutan_1", "tanggal": dt.date(2025, 4, 1)},
        )
    )
    assert peserta["keputusan"].tolist() == ["lanjut", "periksa"]
    assert [p.tingkat for p in problems] == ["galat"]
    assert "sebelum lulus tahap dasar (01/05/2025)" in problems[0].pesan


def test_no_return_to_an_earlier_stage_after_being_stopped() -> None:
    peserta, problems = decided(
        rows(
            {"nip": nip(1), "skor": 9, "tahap": "dasar", "tanggal": dt.date(2025, 3, 1)},
            {"nip": nip(1), "skor": 3, "tahap": "lanjutan_1", "tanggal": dt.date(2025, 5, 1)},
            {"nip": nip(1), "skor": 10, "tahap": "dasar", "tanggal": dt.date(2025, 8, 1)},
        )
    )
    by_stage = peserta.set_index("tahap")["keputusan"].to_dict()
    assert by_stage == {"dasar": "periksa", "lanjutan_1": "berhenti"}
    assert any("disetop di tahap lanjutan 1 pada 01/05/2025" in p.pesan for p in problems)
