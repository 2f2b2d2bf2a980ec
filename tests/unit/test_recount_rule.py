"""The auditor's recount (projections.recount_rule), and its agreement with the published tally."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.instrument import SCORED, UNKNOWN, Criterion, Instrument, Level
from projections.ballot_points import CountingBallot
from projections.ranking import rank_round
from projections.recount_rule import half_up, recount
from projections.scoring import tally_department

NPC, RESIDENT = "人大代表", "社区居民"


def votes(category: str, *choices: str) -> list[CountingBallot]:
    return [CountingBallot(category, choice) for choice in choices]


WORKED_EXAMPLE = votes(NPC, "satisfied", "dissatisfied") + votes(
    RESIDENT, "fairly_satisfied", "fairly_satisfied", "basically_satisfied", "basically_satisfied", UNKNOWN
)


def test_worked_example() -> None:
    result = recount(Instrument(), {}, {"swj": "city"}, {"swj": WORKED_EXAMPLE})["swj"]
    assert result["score"] == "60.000" and result["satisfaction_rate"] == "75.00"
    assert (result["returned"], result["valid_votes"], result["abstentions"]) == (7, 6, 1)
    assert (result["rank"], result["status"], result["position"], result["final"]) == (
        1,
        "ranked",
        1,
        "60.000",
    )


def test_worked_example_per_ballot() -> None:
    result = recount(Instrument(weighting="per_ballot"), {}, {"swj": "city"}, {"swj": WORKED_EXAMPLE})["swj"]
    assert result["score"] == "63.333" and result["satisfaction_rate"] == "83.33"


def test_half_up() -> None:
    assert half_up(Fraction("60.0005"), 3) == "60.001"
    assert half_up(Fraction(1, 32) * 100, 2) == "3.13"
    assert half_up(Fraction(-1, 16), 3) == "-0.063"
    assert half_up(Fraction(0), 3) == "0.000"


def test_ranking_ties_and_unranked_departments() -> None:
    groups = dict.fromkeys(["a", "b", "c", "few", "none"], "city")
    ballots = {
        "a": votes(NPC, "satisfied"),
        "b": votes(NPC, "satisfied", "satisfied"),
        "c": votes(NPC, "basically_satisfied", "basically_satisfied"),
        "few": votes(NPC, "satisfied"),
        "none": votes(NPC, UNKNOWN),
    }
    ballots["a"] += votes(RESIDENT, "satisfied")
    results = recount(Instrument(min_valid_votes=2), {}, groups, ballots)
    assert [(d, results[d]["rank"], results[d]["status"], results[d]["position"]) for d in groups] == [
        ("a", 1, "ranked", 1),
        ("b", 1, "ranked", 2),
        ("c", 3, "ranked", 3),
        ("few", None, "有效票不足", 4),
        ("none", None, "无有效票", 5),
    ]
    assert results["none"]["score"] is None and results["none"]["returned"] == 1


def test_composite_and_missing_component() -> None:
    instrument = Instrument(components={"live": Decimal("0.8"), "daily": Decimal("0.2")})
    groups = {"swj": "city", "zjj": "city"}
    ballots = {"swj": WORKED_EXAMPLE, "zjj": votes(NPC, "satisfied")}
    results = recount(instrument, {}, groups, ballots, {"daily": {"swj": Decimal("91.5")}})
    assert (results["swj"]["final"], results["swj"]["rank"]) == ("66.300", 1)
    assert (results["zjj"]["score"], results["zjj"]["final"]) == ("100.000", None)
    assert (results["zjj"]["rank"], results["zjj"]["status"]) == (None, "缺少组成部分")


# The property: on random rounds, the published tally and the recount agree on every published number.

LEVEL_KEYS = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "good", "poor"]
CATEGORIES = [NPC, RESIDENT, "企业代表", "媒体"]
SHARES = [Decimal(1), Decimal(2), Decimal("0.5"), Decimal("1.25"), Decimal(3), Decimal("0.1")]
COMPONENT_WEIGHTS = [
    {"live": Decimal(1)},
    {"live": Decimal("0.8"), "daily": Decimal("0.2")},
    {"live": Decimal("0.5"), "daily": Decimal("0.3"), "survey": Decimal("0.2")},
]
Round = tuple[Instrument, dict[str, Decimal], dict[str, str], dict[str, list[CountingBallot]], dict[str, Any]]
"""instrument, shares, department → group, department → ballots, component → department → score."""
DEPARTMENTS = ["fgw", "swj", "kjj", "zjj", "jyj", "wsj", "gaj", "mzj"]


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    common: dict[str, Any] = {
        "weighting": draw(st.sampled_from(["per_category", "per_ballot"])),
        "trim": draw(st.integers(0, 3)),
        "min_valid_votes": draw(st.sampled_from([1, 1, 2, 4])),
        "components": draw(st.sampled_from(COMPONENT_WEIGHTS)),
    }
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(LEVEL_KEYS), min_size=2, max_size=5, unique=True))
        points = st.one_of(st.sampled_from([0, 50, 100]), st.integers(-20, 100))  # round points make ties
        satisfied = draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys)).filter(any))
        levels = tuple(Level(k, k, draw(points), s) for k, s in zip(keys, satisfied, strict=True))
        return Instrument(levels=levels, **common)
    count = draw(st.integers(1, 4))
    cuts = sorted(
        draw(st.lists(st.integers(1, 999), min_size=count - 1, max_size=count - 1, unique=True))
    )  # each weight > 0
    weights = [Decimal(b - a) / 1000 for a, b in zip([0, *cuts], [*cuts, 1000], strict=True)]
    criteria = tuple(
        Criterion(f"c{i}", f"指标{i}", draw(st.integers(1, 10)), w) for i, w in enumerate(weights)
    )
    threshold = Decimal(draw(st.integers(0, 1000))) / 10
    return Instrument(kind="criteria", levels=(), criteria=criteria, satisfied_threshold=threshold, **common)


@st.composite
def ballot_lists(draw: st.DrawFn, instrument: Instrument, categories: list[str]) -> list[CountingBallot]:
    ballots = []
    for _ in range(draw(st.integers(0, 10))):
        category = draw(st.sampled_from(categories))
        choice = draw(st.sampled_from(instrument.choices()))
        scores = None
        if choice == SCORED:
            scores = {c.key: draw(st.integers(0, c.max_score)) for c in instrument.criteria}
        ballots.append(CountingBallot(category, choice, scores))
    return ballots


@st.composite
def rounds(draw: st.DrawFn) -> Round:
    instrument = draw(instruments())
    assert instrument.problems() == []
    shares = draw(st.dictionaries(st.sampled_from(CATEGORIES), st.sampled_from(SHARES)))
    departments = draw(st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=8, unique=True))
    groups = {d: draw(st.sampled_from(["经济建设组", "政务服务组"])) for d in departments}
    categories = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4, unique=True))
    ballots = {d: draw(ballot_lists(instrument, categories)) for d in departments}
    exact_score = st.integers(0, 1_000_000).map(lambda n: Decimal(n) / 10_000)
    component_score = st.one_of(st.sampled_from([Decimal(0), Decimal(50), Decimal(100)]), exact_score)
    imported = {
        k: draw(st.dictionaries(st.sampled_from(departments), component_score, min_size=len(departments) - 1))
        for k in instrument.components
        if k != "live"
    }
    return instrument, shares, groups, ballots, imported


@st.composite
def rounds_full_of_ties(draw: st.DrawFn) -> Round:
    """Few ballots, one group, equal points with different satisfied flags: equal scores, different rates."""
    levels = (Level("a", "甲", 50, True), Level("b", "乙", 50, False), Level("c", "丙", 100, True))
    components = draw(st.sampled_from(COMPONENT_WEIGHTS[:2]))
    instrument = Instrument(levels=levels, min_valid_votes=draw(st.integers(1, 2)), components=components)
    departments = draw(st.lists(st.sampled_from(DEPARTMENTS), min_size=2, max_size=8, unique=True))
    choices = st.lists(st.sampled_from(["a", "b", "c", UNKNOWN]), max_size=3)
    ballots = {d: votes(NPC, *draw(choices)) for d in departments}
    imported = {"daily": {d: draw(st.sampled_from([Decimal(50), Decimal(100)])) for d in departments}}
    return instrument, {}, dict.fromkeys(departments, "经济建设组"), ballots, imported


def text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def assert_tally_agrees_with_recount(case: Round) -> None:
    instrument, shares, groups, ballots, imported = case
    tallies = [
        tally_department(
            instrument, shares, d, group, ballots[d], {k: v[d] for k, v in imported.items() if d in v}
        )
        for d, group in groups.items()
    ]
    expected = recount(instrument, shares, groups, ballots, imported)
    published = {}
    for lines in rank_round(instrument, tallies).values():
        for position, line in enumerate(lines, start=1):
            t = line.tally
            published[t.department] = {
                "group": t.group,
                "returned": t.returned,
                "valid_votes": t.valid_votes,
                "abstentions": t.abstentions,
                "level_counts": t.level_counts,
                "score": text(t.score),
                "satisfaction_rate": text(t.satisfaction_rate),
                "final": text(t.final),
                "rank": line.rank,
                "status": line.status,
                "position": position,
            }
    assert published == expected


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_published_tally_agrees_with_the_recount(case: Round) -> None:
    assert_tally_agrees_with_recount(case)


@settings(max_examples=100, deadline=None)
@given(rounds_full_of_ties())
def test_published_ranking_agrees_with_the_recount_on_ties(case: Round) -> None:
    assert_tally_agrees_with_recount(case)
