"""The tally rule (docs/scoring.md), as the platform publishes it: projections.ballot_points, projections.scoring and
projections.ranking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import pytest

from evaluation.instrument import SCORED, UNKNOWN, Criterion, Instrument, Level
from projections.ballot_points import CountingBallot, ballot_multiset, is_satisfied, points_of
from projections.ranking import (
    MISSING_COMPONENT,
    NO_VALID_VOTES,
    RANKED,
    TOO_FEW_VOTES,
    Ranked,
    rank_group,
    rank_round,
)
from projections.scoring import DepartmentTally, round_half_up, tally_department, tally_multiset

NPC, RESIDENT = "人大代表", "社区居民"
DEFAULT = Instrument()


def votes(category: str, *choices: str) -> list[CountingBallot]:
    return [CountingBallot(category, choice) for choice in choices]


def tally(
    ballots: Iterable[CountingBallot],
    instrument: Instrument = DEFAULT,
    shares: Mapping[str, Decimal] | None = None,
    department: str = "swj",
    group: str = "city",
    components: Mapping[str, Decimal] | None = None,
) -> DepartmentTally:
    return tally_department(instrument, shares or {}, department, group, ballots, components)


def worked_example() -> list[CountingBallot]:
    """docs/scoring.md §7, 市水务局."""
    return votes(NPC, "satisfied", "dissatisfied") + votes(
        RESIDENT,
        "fairly_satisfied",
        "fairly_satisfied",
        "basically_satisfied",
        "basically_satisfied",
        UNKNOWN,
    )


def lines(ranking: list[Ranked]) -> list[tuple[str, int | None, str]]:
    return [(line.tally.department, line.rank, line.status) for line in ranking]


# §7 — the worked example


def test_worked_example_per_category() -> None:
    result = tally(worked_example())
    assert result.score == Decimal("60.000") and str(result.score) == "60.000"
    assert str(result.satisfaction_rate) == "75.00"
    assert (result.returned, result.valid_votes, result.abstentions) == (7, 6, 1)
    assert result.score_exact == 60 and result.satisfaction_exact == Fraction(3, 4)
    npc, resident = result.categories
    assert (npc.category, npc.valid_votes, npc.abstentions) == (NPC, 2, 0)
    assert npc.mean == Fraction(50) and npc.satisfied_fraction == Fraction(1, 2)
    assert (resident.category, resident.valid_votes, resident.abstentions) == (RESIDENT, 4, 1)
    assert resident.mean == Fraction(70) and resident.satisfied_fraction == Fraction(1)


def test_worked_example_per_ballot() -> None:
    result = tally(worked_example(), Instrument(weighting="per_ballot"))
    assert str(result.score) == "63.333"
    assert str(result.satisfaction_rate) == "83.33"
    assert (result.returned, result.valid_votes, result.abstentions) == (7, 6, 1)


def test_level_counts_list_every_level_and_unknown_with_zeros() -> None:
    assert tally(worked_example()).level_counts == {
        "satisfied": 1,
        "fairly_satisfied": 2,
        "basically_satisfied": 2,
        "dissatisfied": 1,
        UNKNOWN: 1,
    }
    assert tally([]).level_counts == dict.fromkeys(
        ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", UNKNOWN], 0
    )


# §1 — the instrument


def test_default_levels_points_and_satisfied() -> None:
    assert points_of(DEFAULT, CountingBallot(NPC, "fairly_satisfied")) == 80
    assert is_satisfied(DEFAULT, CountingBallot(NPC, "basically_satisfied"))
    assert not is_satisfied(DEFAULT, CountingBallot(NPC, "dissatisfied"))
    assert points_of(DEFAULT, CountingBallot(NPC, UNKNOWN)) is None
    assert not is_satisfied(DEFAULT, CountingBallot(NPC, UNKNOWN))


def test_a_choice_the_instrument_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError):
        points_of(DEFAULT, CountingBallot(NPC, "excellent"))
    with pytest.raises(ValueError):
        tally([CountingBallot(NPC, SCORED, {"a": 1})])


CUSTOM = Instrument(
    levels=(
        Level("good", "好", 90, True),
        Level("fair", "一般", 70, False),
        Level("bad", "差", 10, False),
    )
)


def test_custom_levels_renamed_with_other_points_and_satisfied_set() -> None:
    result = tally(votes(NPC, "good", "fair", "bad", "fair", UNKNOWN), CUSTOM)
    assert str(result.score) == "60.000"  # (90 + 70 + 10 + 70) / 4
    assert str(result.satisfaction_rate) == "25.00"  # only 好 counts as satisfied
    assert result.level_counts == {"good": 1, "fair": 2, "bad": 1, UNKNOWN: 1}


def test_dropping_fairly_satisfied() -> None:
    three = Instrument(levels=tuple(lv for lv in DEFAULT.levels if lv.key != "fairly_satisfied"))
    result = tally(votes(NPC, "satisfied", "basically_satisfied", "dissatisfied"), three)
    assert str(result.score) == "53.333"
    assert str(result.satisfaction_rate) == "66.67"
    assert "fairly_satisfied" not in result.level_counts
    with pytest.raises(ValueError):
        tally(votes(NPC, "fairly_satisfied"), three)


CRITERIA = Instrument(
    kind="criteria",
    levels=(),
    criteria=(
        Criterion("performance", "工作实绩", 10, Decimal("0.6")),
        Criterion("attitude", "服务态度", 5, Decimal("0.4")),
    ),
    satisfied_threshold=Decimal(72),
)


def scored(category: str, performance: int, attitude: int) -> CountingBallot:
    return CountingBallot(category, SCORED, {"performance": performance, "attitude": attitude})


def test_criteria_points_are_the_weighted_percentage() -> None:
    assert points_of(CRITERIA, scored(NPC, 8, 3)) == 72  # 0.6·8/10·100 + 0.4·3/5·100
    assert points_of(CRITERIA, scored(NPC, 10, 5)) == 100
    assert points_of(CRITERIA, scored(NPC, 0, 0)) == 0


def test_criteria_satisfied_at_or_above_the_threshold() -> None:
    assert is_satisfied(CRITERIA, scored(NPC, 8, 3))  # exactly 72
    assert is_satisfied(CRITERIA, scored(NPC, 7, 4))  # 42 + 32 = 74
    assert points_of(CRITERIA, scored(NPC, 9, 1)) == 62
    assert not is_satisfied(CRITERIA, scored(NPC, 9, 1))


def test_criteria_tally_with_whole_ballot_abstention() -> None:
    ballots = [scored(NPC, 8, 3), scored(NPC, 9, 1), CountingBallot(NPC, UNKNOWN)]
    result = tally(ballots, CRITERIA)
    assert (result.returned, result.valid_votes, result.abstentions) == (3, 2, 1)
    assert str(result.score) == "67.000"
    assert str(result.satisfaction_rate) == "50.00"
    assert result.level_counts == {SCORED: 2, UNKNOWN: 1}


def test_criteria_ballot_must_score_every_criterion_within_range() -> None:
    with pytest.raises(ValueError):
        points_of(CRITERIA, CountingBallot(NPC, SCORED, {"performance": 8}))
    with pytest.raises(ValueError):
        points_of(CRITERIA, scored(NPC, 11, 3))
    with pytest.raises(ValueError):
        points_of(CRITERIA, CountingBallot(NPC, "satisfied"))


# §3 — categories and shares


def test_category_shares_weigh_the_category_means() -> None:
    result = tally(worked_example(), shares={NPC: Decimal(2), RESIDENT: Decimal(1)})
    assert str(result.score) == "56.667"  # (2·50 + 70) / 3
    assert str(result.satisfaction_rate) == "66.67"  # (2·1/2 + 1) / 3


def test_a_category_missing_from_the_shares_has_share_1() -> None:
    assert tally(worked_example(), shares={NPC: Decimal(1)}).score_exact == 60


def test_categories_without_valid_votes_drop_out_and_shares_are_renormalised() -> None:
    only_abstaining = votes("媒体", UNKNOWN, UNKNOWN)
    result = tally(worked_example() + only_abstaining, shares={"媒体": Decimal(5)})
    assert str(result.score) == "60.000" and str(result.satisfaction_rate) == "75.00"
    assert (result.returned, result.valid_votes, result.abstentions) == (9, 6, 3)


def test_per_category_is_not_the_plain_mean() -> None:
    ballots = votes(NPC, "satisfied") + votes(RESIDENT, "dissatisfied", "dissatisfied", "dissatisfied")
    assert str(tally(ballots).score) == "50.000"
    assert str(tally(ballots, Instrument(weighting="per_ballot")).score) == "25.000"


# §3 — trimming


def test_trimming_drops_k_highest_and_lowest_within_each_category() -> None:
    ballots = votes(NPC, "satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")
    assert tally(ballots).score_exact == 60
    trimmed = tally(ballots, Instrument(trim=1))
    assert trimmed.score_exact == 70  # (80 + 60) / 2
    assert trimmed.categories[0].trimmed == 2
    assert str(trimmed.satisfaction_rate) == "75.00"  # sat is never trimmed


def test_trimming_only_where_the_category_has_more_than_2k_valid_votes() -> None:
    two = votes(NPC, "satisfied", "dissatisfied", UNKNOWN, UNKNOWN)  # 2 valid votes = 2k: nothing dropped
    three = votes(RESIDENT, "satisfied", "fairly_satisfied", "dissatisfied")  # 3 > 2k: 100 and 0 dropped
    result = tally(two + three, Instrument(trim=1))
    npc, resident = result.categories
    assert npc.trimmed == 0 and npc.mean == Fraction(50)
    assert resident.trimmed == 2 and resident.mean == Fraction(80)
    assert result.score_exact == 65
    assert tally(three, Instrument(trim=2)).score_exact == 60  # 3 ≤ 4: nothing dropped


def test_trimming_with_per_ballot_weighting_pools_what_is_left() -> None:
    ballots = votes(NPC, "satisfied", "dissatisfied") + votes(
        RESIDENT, "satisfied", "fairly_satisfied", "dissatisfied"
    )
    result = tally(ballots, Instrument(trim=1, weighting="per_ballot"))
    assert result.score_exact == Fraction(100 + 0 + 80, 3)
    assert str(result.satisfaction_rate) == "60.00"  # 3 of 5, untrimmed


# §4 — rounding


def test_round_half_up_at_the_boundary() -> None:
    assert str(round_half_up(Fraction("60.0005"), 3)) == "60.001"
    assert str(round_half_up(Fraction("60.00049999"), 3)) == "60.000"
    assert str(round_half_up(Fraction(1, 16), 3)) == "0.063"  # half-even would give 0.062
    assert str(round_half_up(Fraction(-1, 16), 3)) == "-0.063"
    assert str(round_half_up(Fraction(200, 3), 3)) == "66.667"
    assert str(round_half_up(Fraction(0), 2)) == "0.00"


def test_score_exactly_half_way_rounds_up() -> None:
    tiny = Instrument(levels=(Level("one", "一", 1, True), Level("zero", "零", 0, False)))
    result = tally(votes(NPC, "one", *["zero"] * 15), tiny)
    assert result.score_exact == Fraction(1, 16)
    assert str(result.score) == "0.063"


def test_score_from_shares_exactly_half_way_rounds_up_and_just_below_rounds_down() -> None:
    ballots = votes(NPC, "satisfied") + votes(RESIDENT, "basically_satisfied")
    at_half = tally(ballots, shares={NPC: Decimal(1), RESIDENT: Decimal(79999)})
    assert at_half.score_exact == Fraction("60.0005") and str(at_half.score) == "60.001"
    below = tally(ballots, shares={NPC: Decimal(1), RESIDENT: Decimal(80000)})
    assert str(below.score) == "60.000"


def test_satisfaction_rate_exactly_half_way_rounds_up() -> None:
    result = tally(votes(NPC, "satisfied", *["dissatisfied"] * 31))
    assert result.satisfaction_exact == Fraction(1, 32)  # 3.125 %
    assert str(result.satisfaction_rate) == "3.13"


# §4 — ranking


def test_equal_rounded_scores_share_a_rank_and_the_next_is_skipped() -> None:
    tallies = [
        tally(votes(NPC, "satisfied"), department="a"),
        tally(votes(NPC, "satisfied"), department="b"),
        tally(votes(NPC, "basically_satisfied"), department="c"),
    ]
    assert lines(rank_group(DEFAULT, tallies)) == [("a", 1, RANKED), ("b", 1, RANKED), ("c", 3, RANKED)]


def test_tied_departments_are_shown_by_satisfaction_rate_then_key() -> None:
    tallies = [
        tally(votes(NPC, "satisfied", "fairly_satisfied", "dissatisfied"), department="a"),  # 60, 66.67 %
        tally(votes(NPC, "basically_satisfied"), department="z"),  # 60, 100 %
        tally(votes(NPC, "basically_satisfied"), department="m"),  # 60, 100 %
        tally(votes(NPC, "satisfied"), department="top"),
        tally(votes(NPC, "dissatisfied"), department="bottom"),
    ]
    assert lines(rank_group(DEFAULT, reversed(tallies))) == [
        ("top", 1, RANKED),
        ("m", 2, RANKED),
        ("z", 2, RANKED),
        ("a", 2, RANKED),
        ("bottom", 5, RANKED),
    ]


def test_departments_without_valid_votes_or_with_too_few_are_not_ranked() -> None:
    strict = Instrument(min_valid_votes=2)
    tallies = [
        tally(votes(NPC, UNKNOWN, UNKNOWN), strict, department="abstained"),
        tally([], strict, department="empty"),
        tally(votes(NPC, "satisfied"), strict, department="few"),
        tally(votes(NPC, "dissatisfied", "basically_satisfied"), strict, department="low"),
    ]
    ranking = rank_group(strict, tallies)
    assert lines(ranking) == [
        ("low", 1, RANKED),
        ("few", None, TOO_FEW_VOTES),
        ("abstained", None, NO_VALID_VOTES),
        ("empty", None, NO_VALID_VOTES),
    ]
    assert str(ranking[1].tally.score) == "100.000"  # shown, with its score, but not ranked
    assert ranking[2].tally.score is None and ranking[2].tally.satisfaction_rate is None
    assert ranking[2].tally.returned == 2 and ranking[3].tally.returned == 0


def test_rank_round_ranks_each_group_separately() -> None:
    tallies = [
        tally(votes(NPC, "satisfied"), department="fgw", group="econ"),
        tally(votes(NPC, "dissatisfied"), department="swj", group="city"),
        tally(votes(NPC, "basically_satisfied"), department="kjj", group="econ"),
    ]
    ranking = rank_round(DEFAULT, tallies)
    assert list(ranking) == ["city", "econ"]
    assert lines(ranking["city"]) == [("swj", 1, RANKED)]
    assert lines(ranking["econ"]) == [("fgw", 1, RANKED), ("kjj", 2, RANKED)]


# §6 — composite


WITH_DAILY = Instrument(components={"live": Decimal("0.8"), "daily": Decimal("0.2")})


def test_without_other_components_final_is_the_score() -> None:
    result = tally(worked_example())
    assert result.final == result.score and result.final_exact == result.score_exact
    assert result.missing_components == ()


def test_composite_with_daily_weighs_the_live_score() -> None:
    result = tally(worked_example(), WITH_DAILY, components={"daily": Decimal("91.5")})
    assert str(result.score) == "60.000"
    assert str(result.final) == "66.300"  # 0.8·60 + 0.2·91.5
    assert result.components == {"daily": Decimal("91.5")}


def test_ranking_uses_final_when_the_round_declares_components() -> None:
    tallies = [
        tally(votes(NPC, "fairly_satisfied"), WITH_DAILY, department="a", components={"daily": Decimal(50)}),
        tally(
            votes(NPC, "basically_satisfied"), WITH_DAILY, department="b", components={"daily": Decimal(100)}
        ),
    ]
    assert [t.final for t in tallies] == [Decimal("74.000"), Decimal("68.000")]
    tallies[0] = tally(
        votes(NPC, "basically_satisfied"), WITH_DAILY, department="a", components={"daily": Decimal(90)}
    )
    assert lines(rank_group(WITH_DAILY, tallies)) == [("b", 1, RANKED), ("a", 2, RANKED)]  # 68 > 66


def test_equal_rounded_finals_share_a_rank() -> None:
    tallies = [
        tally(
            votes(NPC, "basically_satisfied"),
            WITH_DAILY,
            department="a",
            components={"daily": Decimal("70.0001")},
        ),
        tally(
            votes(NPC, "basically_satisfied"), WITH_DAILY, department="b", components={"daily": Decimal("70")}
        ),
    ]
    assert tallies[0].final_exact != tallies[1].final_exact
    assert tallies[0].final == tallies[1].final == Decimal("62.000")
    assert [line.rank for line in rank_group(WITH_DAILY, tallies)] == [1, 1]


def test_a_missing_component_means_no_final_and_no_rank() -> None:
    tallies = [
        tally(votes(NPC, "satisfied"), WITH_DAILY, department="a"),
        tally(votes(NPC, "dissatisfied"), WITH_DAILY, department="b", components={"daily": Decimal(0)}),
        tally([], WITH_DAILY, department="c", components={"daily": Decimal(100)}),
    ]
    assert tallies[0].final is None and str(tallies[0].score) == "100.000"
    assert tallies[0].missing_components == ("daily",)
    assert tallies[2].final is None  # no live score, so no composite either
    assert lines(rank_group(WITH_DAILY, tallies)) == [
        ("b", 1, RANKED),
        ("a", None, MISSING_COMPONENT),
        ("c", None, NO_VALID_VOTES),
    ]


def test_components_the_round_does_not_declare_are_ignored() -> None:
    result = tally(worked_example(), components={"daily": Decimal(100)})
    assert result.final == result.score and result.components == {}


def test_a_multiset_of_ballots_counts_as_the_ballots_themselves_and_its_empty_kinds_not_at_all() -> None:
    ballots = worked_example() + [CountingBallot("政协委员", UNKNOWN)]
    kinds = ballot_multiset(ballots)
    kinds[("政协委员", UNKNOWN, None)] -= 1  # the only such ballot changed: its kind is left at 0
    kinds[(NPC, "fairly_satisfied", None)] += 0
    shares = {NPC: Decimal("0.4"), RESIDENT: Decimal("0.6")}
    from_multiset = tally_multiset(DEFAULT, shares, "swj", "city", kinds)
    assert from_multiset == tally(worked_example(), shares=shares)
    assert [c.category for c in from_multiset.categories] == sorted([NPC, RESIDENT])
