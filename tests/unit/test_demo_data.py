"""The seeded demo round: deterministic, Baotou-shaped, internally consistent, and importable without duplicates."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

import pytest

from demo.ballots import simulate_choices
from demo.model import DemoBallot, DemoRound
from demo.round import build_demo_round
from evaluation.round_plan import RoundPlan

POINTS = {"satisfied": 100, "fairly_satisfied": 80, "basically_satisfied": 60, "dissatisfied": 0}
CHOICES = {*POINTS, "unknown"}
HAN = re.compile(r"[\u4e00-\u9fff]")


@cache
def default_round() -> DemoRound:
    return build_demo_round()


def default_plan() -> RoundPlan:
    return default_round().plan


@cache
def default_ballots() -> tuple[DemoBallot, ...]:
    return tuple(simulate_choices(default_round()))


def test_same_seed_same_round_other_seed_other_round() -> None:
    assert build_demo_round(seed=2026) == default_round()
    other = build_demo_round(seed=7)
    assert other != default_round()
    assert [r.name for r in other.plan.representatives] != [r.name for r in default_plan().representatives]
    # The departments and their reports do not depend on the seed; only the agenda order and roster do.
    assert {d.key: d for d in other.plan.departments} == {d.key: d for d in default_plan().departments}
    assert {r.department: r for r in other.reports} == {r.department: r for r in default_round().reports}


def test_thirty_six_departments_in_three_sittings_of_twelve() -> None:
    demo = default_plan()
    assert len(demo.departments) == 36
    assert [len(s.agenda) for s in demo.sittings] == [12, 12, 12]
    agenda = [key for s in demo.sittings for key in s.agenda]
    assert sorted(agenda) == sorted(d.key for d in demo.departments)  # each reports exactly once
    group_of = {d.key: d.group for d in demo.departments}
    for s in demo.sittings:
        assert len({group_of[key] for key in s.agenda}) == 1  # one group per sitting, Qingdao style
        assert re.fullmatch(r"2026-12-\d\d", s.date)
        assert s.half_day in {"上午", "下午"}
    assert len({(s.date, s.half_day) for s in demo.sittings}) == 3


def test_keys_are_unique_and_every_reference_exists() -> None:
    demo = default_plan()
    for items in (demo.groups, demo.categories, demo.venues, demo.sittings, demo.departments):
        keys = [item.key for item in items]
        assert len(keys) == len(set(keys))
        assert all(re.fullmatch(r"[a-z0-9_]+", key) for key in keys)
    groups = {g.key for g in demo.groups}
    assert {d.group for d in demo.departments} == groups
    assert 3 <= len(groups) <= 4
    categories = {c.key for c in demo.categories}
    venues = {v.key for v in demo.venues}
    sittings = {s.key for s in demo.sittings}
    for r in demo.representatives:
        assert r.category in categories
        assert r.venue in venues
        assert r.sitting in sittings
    assert all(c.share == "1" for c in demo.categories)
    assert 7 <= len(demo.venues) <= 10
    assert sum(v.name.endswith("主会场") for v in demo.venues) == 1
    assert sum(v.name.endswith("分会场") for v in demo.venues) == len(demo.venues) - 1


def test_departments_look_like_baotou_and_their_reports_differ() -> None:
    demo = default_round()
    short_names = {d.short_name for d in demo.plan.departments}
    assert {"市发改委", "市教育局", "市公安局", "市水务局", "市消防救援支队"} <= short_names
    assert len({d.head for d in demo.plan.departments}) == 36
    assert [r.department for r in demo.reports] == [d.key for d in demo.plan.departments]
    for d, report in zip(demo.plan.departments, demo.reports, strict=True):
        assert re.fullmatch(r"[a-z]+", d.key)
        assert d.short_name.startswith("市") and d.short_name in report.title
        assert 150 <= len(report.summary) <= 300, d.key
        assert 800 <= len(report.text) <= 1500, d.key
        assert HAN.search(d.head) and d.head.split()[1] in {"局长", "主任", "支队长"}
        for heading in ("一、主要工作", "二、存在问题", "三、下一步打算"):
            assert heading in report.text
        assert re.search(r"\d", report.summary)
    # Not one template with the name swapped: summaries share little beyond the boilerplate.
    summaries = [report.summary for report in demo.reports]
    assert len(set(summaries)) == 36
    first_sentences = {s.split("。")[0] for s in summaries}
    assert len(first_sentences) == 36


def test_six_thousand_representatives_evenly_over_the_sittings() -> None:
    demo = default_plan()
    assert len(demo.representatives) == 6000
    per_sitting = Counter(r.sitting for r in demo.representatives)
    assert sorted(per_sitting.values()) == [2000, 2000, 2000]
    for s in demo.sittings:
        venues = Counter(r.venue for r in demo.representatives if r.sitting == s.key)
        assert 100 <= venues["main"] <= 400
        assert len(venues) == len(demo.venues)  # every sub-venue is used in every sitting
        assert venues["kdl"] > venues["sg"]  # by population
    categories = Counter(r.category for r in demo.representatives)
    assert set(categories) == {c.key for c in demo.categories}
    assert categories["resident"] > categories["npc"] > categories["media"]


def test_names_and_phones() -> None:
    people = default_plan().representatives
    names = [r.name for r in people]
    assert all(2 <= len(n) <= 6 and all(HAN.match(ch) for ch in n) for n in names)
    surnames = Counter(n[0] for n in names)
    assert {s for s, _ in surnames.most_common(4)} <= {"王", "李", "张", "刘", "陈"}
    assert any(n in {"巴特尔", "乌兰", "其其格", "额尔敦", "苏和", "斯琴", "萨仁", "图雅"} for n in names)
    assert len(set(names)) < len(names)  # namesakes exist, as in real rosters
    phones = [r.phone for r in people if r.phone is not None]
    assert 0.65 <= len(phones) / len(people) <= 0.75
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"1[3-9]\d0000\d{4}", p) for p in phones)
    with_phone = [(r.name, r.phone) for r in people if r.phone is not None]
    assert len(set(with_phone)) == len(with_phone)
    phoneless = [(r.name, r.category, r.venue, r.sitting) for r in people if r.phone is None]
    assert len(set(phoneless)) == len(phoneless)


def test_the_roster_parser_finds_no_problem_in_the_demo_roster() -> None:
    """The same identity rule as the importer (evaluation.roster): nothing is taken for a duplicated row."""
    from evaluation.roster import parse_roster

    people = default_plan().representatives
    lines = ["姓名,类别,会场,场次,手机"]
    lines += [f"{r.name},{r.category},{r.venue},{r.sitting},{r.phone or ''}" for r in people]
    rows, problems = parse_roster(("\n".join(lines) + "\n").encode(), "demo.csv")
    assert problems == []
    assert [(row.name, row.phone) for row in rows] == [(r.name, r.phone) for r in people]


@pytest.mark.parametrize(
    ("departments", "representatives", "sizes"),
    [(6, 60, [2, 2, 2]), (7, 61, [3, 2, 2]), (2, 5, [1, 1]), (1, 1, [1]), (36, 0, [12, 12, 12])],
)
def test_small_parameters(departments: int, representatives: int, sizes: list[int]) -> None:
    built = build_demo_round(seed=1, departments=departments, representatives=representatives)
    demo = built.plan
    assert [len(s.agenda) for s in demo.sittings] == sizes
    assert len(demo.departments) == departments
    assert len(demo.representatives) == representatives
    counts = Counter(r.sitting for r in demo.representatives)
    assert max(counts.values(), default=0) - min(counts.values(), default=0) <= 1
    assert {d.group for d in demo.departments} == {g.key for g in demo.groups}
    group_of = {d.key: d.group for d in demo.departments}
    for s in demo.sittings:
        assert len({group_of[key] for key in s.agenda}) == 1
    ballots = list(simulate_choices(built, seed=1))
    expected = sum(len(s.agenda) * counts[s.key] for s in demo.sittings)
    assert len(ballots) == expected


def test_six_departments_take_two_of_each_group() -> None:
    demo = build_demo_round(departments=6, representatives=60).plan
    assert Counter(d.group for d in demo.departments) == {g.key: 2 for g in demo.groups}
    assert len(demo.groups) == 3


def test_parameters_out_of_range_are_refused() -> None:
    for departments, representatives in ((0, 10), (37, 10), (6, -1), (6, 100_001)):
        with pytest.raises(ValueError):
            build_demo_round(departments=departments, representatives=representatives)


def test_one_ballot_per_representative_per_department_of_their_sitting() -> None:
    demo = default_plan()
    ballots = default_ballots()
    assert len(ballots) == 6000 * 12
    sitting_agendas = {s.key: set(s.agenda) for s in demo.sittings}
    seen: set[tuple[int, str]] = set()
    for b in ballots:
        rep = demo.representatives[b.representative_index]
        assert b.department in sitting_agendas[rep.sitting]
        assert (b.representative_index, b.department) not in seen
        seen.add((b.representative_index, b.department))
        assert b.choice in CHOICES
    assert len(seen) == sum(len(sitting_agendas[r.sitting]) for r in demo.representatives)


def test_simulate_choices_streams_and_is_deterministic() -> None:
    demo = build_demo_round(departments=6, representatives=60)
    stream = simulate_choices(demo, seed=3)
    assert iter(stream) is stream  # a generator, not a list
    assert list(stream) == list(simulate_choices(demo, seed=3))
    assert list(simulate_choices(demo, seed=3)) != list(simulate_choices(demo, seed=4))
    # Streaming order: sitting by sitting, department by department in report order.
    order = list(dict.fromkeys(b.department for b in simulate_choices(demo, seed=3)))
    assert order == [key for s in demo.plan.sittings for key in s.agenda]


def test_choice_distribution_is_plausible() -> None:
    ballots = default_ballots()
    choices = Counter(b.choice for b in ballots)
    assert 0.02 <= choices["unknown"] / len(ballots) <= 0.04
    points: dict[str, list[int]] = defaultdict(list)
    for b in ballots:
        if b.choice in POINTS:
            points[b.department].append(POINTS[b.choice])
    scores = [sum(v) / len(v) for v in points.values()]
    assert min(scores) >= 78
    assert max(scores) <= 97
    assert max(scores) - min(scores) >= 8  # an interesting ranking
    assert len({round(s, 3) for s in scores}) == len(scores)
    comments = [b.comment for b in ballots if b.comment is not None]
    assert 0.06 <= len(comments) / len(ballots) <= 0.10
    assert all(0 < len(c) <= 2000 and "{" not in c for c in comments)
    assert len(set(comments)) >= 300  # enough variety for keyword extraction
    signed = [b.signed_suggestion for b in ballots if b.signed_suggestion is not None]
    assert 0.007 <= len(signed) / len(ballots) <= 0.013
    assert all("{" not in s for s in signed)


def test_comments_fit_the_department_and_the_choice() -> None:
    demo = default_plan()
    by_department: dict[str, list[str]] = defaultdict(list)
    for b in default_ballots():
        if b.comment:
            by_department[b.department].append(b.comment)
    assert any("公交" in c for c in by_department["jtysj"])
    assert any("暖气" in c or "供暖" in c or "供热" in c for c in by_department["zjj"])
    assert not any("公交线路" in c for c in by_department["ybj"])
    assert set(by_department) == {d.key for d in demo.departments}
    dissatisfied = [b.comment for b in default_ballots() if b.choice == "dissatisfied" and b.comment]
    satisfied = [b.comment for b in default_ballots() if b.choice == "satisfied" and b.comment]
    assert not any("点赞" in c for c in dissatisfied)
    assert not any("请重视" in c for c in satisfied)
