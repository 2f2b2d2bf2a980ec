"""The standalone verifier's own reading of docs/scoring.md (sanmin_audit/recount.py): the page's worked
examples (§7), and agreement with the platform's rule on generated rounds."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.instrument import Instrument
from projections.ballot_points import CountingBallot
from projections.recount_rule import recount
from sanmin_audit.recount import Ballot, count, rounded

LEVELS = [
    {"key": "satisfied", "label": "满意", "points": 100, "satisfied": True},
    {"key": "fairly_satisfied", "label": "比较满意", "points": 80, "satisfied": True},
    {"key": "basically_satisfied", "label": "基本满意", "points": 60, "satisfied": True},
    {"key": "dissatisfied", "label": "不满意", "points": 0, "satisfied": False},
]


def rule(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "levels",
        "levels": LEVELS,
        "abstention": {"key": "unknown", "label": "不了解"},
        "criteria": [],
        "satisfied_threshold": "60",
        "category_shares": {"npc": "1", "resident": "1"},
        "weighting": "per_category",
        "trim": 0,
        "min_valid_votes": 1,
        "components": {"live": "1"},
        "departments": {"swj": "city"},
        "suppression_k": 5,
    } | changes


WATER = [Ballot("swj", "npc", c, None) for c in ("satisfied", "dissatisfied")] + [
    Ballot("swj", "resident", c, None)
    for c in ("fairly_satisfied", "fairly_satisfied", "basically_satisfied", "basically_satisfied", "unknown")
]


def test_the_worked_example_of_section_7() -> None:
    swj = count(rule(), WATER, {})["swj"]
    assert (swj["score"], swj["satisfaction_rate"], swj["returned"], swj["valid_votes"]) == (
        "60.000",
        "75.00",
        7,
        6,
    )
    assert swj["level_counts"] == {
        "satisfied": 1,
        "fairly_satisfied": 2,
        "basically_satisfied": 2,
        "dissatisfied": 1,
        "unknown": 1,
    }
    per_ballot = count(rule(weighting="per_ballot"), WATER, {})["swj"]
    assert (per_ballot["score"], per_ballot["satisfaction_rate"]) == ("63.333", "83.33")
    shares = count(rule(category_shares={"npc": "2", "resident": "1"}), WATER, {})["swj"]
    assert (shares["score"], shares["satisfaction_rate"]) == ("56.667", "66.67")
    composite = rule(components={"live": "0.6", "daily": "0.4"})
    assert count(composite, WATER, {"daily": {"swj": Fraction("91.5")}})["swj"]["final"] == "72.600"
    missing = count(composite, WATER, {})["swj"]
    assert missing["final"] is None and missing["status"] == "缺少组成部分" and missing["score"] == "60.000"


def test_trimming_and_criteria_of_section_7() -> None:
    ballots = [
        Ballot("swj", "npc", c, None)
        for c in ("satisfied", "satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")
    ]
    ballots += [Ballot("swj", "resident", c, None) for c in ("satisfied", "dissatisfied")]
    trimmed = count(rule(trim=1), ballots, {})["swj"]
    assert (trimmed["score"], trimmed["satisfaction_rate"]) == ("65.000", "65.00")
    per_ballot = count(rule(trim=1, weighting="per_ballot"), ballots, {})["swj"]
    assert (per_ballot["score"], per_ballot["satisfaction_rate"]) == ("68.000", "71.43")
    criteria = rule(
        kind="criteria",
        levels=[],
        criteria=[
            {"key": "work", "label": "工作实绩", "max": 10, "weight": "0.5"},
            {"key": "service", "label": "服务态度", "max": 5, "weight": "0.3"},
            {"key": "law", "label": "依法行政", "max": 10, "weight": "0.2"},
        ],
    )
    scored = count(criteria, [Ballot("swj", "npc", "scored", {"work": 8, "service": 4, "law": 7})], {})["swj"]
    assert (scored["score"], scored["satisfaction_rate"]) == ("78.000", "100.00")
    assert rounded(Fraction(566665, 10000), 3) == "56.667" and rounded(Fraction(0), 2) == "0.00"


CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]


@settings(max_examples=150, deadline=None)
@given(
    ballots=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from(["npc", "resident", "other"]),
            st.sampled_from(CHOICES),
        ),
        max_size=40,
    ),
    weighting=st.sampled_from(["per_category", "per_ballot"]),
    trim=st.integers(0, 3),
    min_valid=st.integers(1, 4),
    npc_share=st.sampled_from(["1", "2", "1.5", "0.3"]),
    daily=st.dictionaries(st.sampled_from(["a", "b", "c"]), st.decimals(0, 100, places=1), max_size=3),
)
def test_the_verifier_agrees_with_the_platform_s_rule(
    ballots: list[tuple[str, str, str]],
    weighting: str,
    trim: int,
    min_valid: int,
    npc_share: str,
    daily: dict[str, Decimal],
) -> None:
    groups = {"a": "g1", "b": "g1", "c": "g2"}
    components = {"live": Decimal("0.7"), "daily": Decimal("0.3")}
    instrument = Instrument(weighting=weighting, trim=trim, min_valid_votes=min_valid, components=components)  # type: ignore[arg-type]
    shares = {"npc": Decimal(npc_share), "resident": Decimal(1)}
    platform = recount(
        instrument,
        shares,
        groups,
        {d: [CountingBallot(c, ch) for dd, c, ch in ballots if dd == d] for d in groups},
        {"daily": daily},
    )
    mine = count(
        rule(
            weighting=weighting,
            trim=trim,
            min_valid_votes=min_valid,
            category_shares={k: str(v) for k, v in shares.items()},
            components={k: str(v) for k, v in components.items()},
            departments=groups,
        ),
        [Ballot(d, c, ch, None) for d, c, ch in ballots],
        {"daily": {d: Fraction(v) for d, v in daily.items()}},
    )
    for department in groups:
        for key in mine[department]:  # every number the verifier publishes is the platform's
            assert mine[department][key] == platform[department][key], (department, key)
