"""新增 — an addition never overwrites: a code already in use among the round's categories, groups, venues,
sittings or departments is refused (``AlreadyExists``) and nothing changes, before scoring or after, with a
reason or without; an unused code (or a withdrawn department's) is added, and an item's own save still
changes it."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import AlreadyExists
from evaluation.round import Round
from tests.conftest import ORGANISER, SmallRound, prepare_round
from tests.integration.test_round_editing import started


def setup_state(round_: Round) -> tuple[Any, ...]:
    """What the setup pages add to and change: categories, groups, venues, sittings, departments."""
    return (round_.categories, round_.groups, round_.venues, round_.sittings, round_.departments)


def test_adding_an_item_whose_code_exists_is_refused_and_changes_nothing(app: EvaluationApp) -> None:
    prepare_round(app)
    before = app.round("r2026")
    version, state = before.version, deepcopy(setup_state(before))
    fgw = app.department("r2026", "fgw")
    additions = {
        "代表类别代码「npc」": lambda: app.save_category(
            "r2026", "npc", "重复代码的新类别", "0.5", by=ORGANISER, new=True
        ),
        "部门组代码「econ」": lambda: app.save_group("r2026", "econ", "重复的组", by=ORGANISER, new=True),
        "会场代码「main」": lambda: app.save_venue("r2026", "main", "重复的会场", by=ORGANISER, new=True),
        "场次代码「s1」": lambda: app.save_sitting(
            "r2026", "s1", "重复的场次", "2026-04-01", "下午", by=ORGANISER, new=True
        ),
        "部门代码「fgw」": lambda: app.save_department(
            "r2026", "fgw", "重复的部门", "", "city", "某人", by=ORGANISER, new=True
        ),
    }
    for what, add in additions.items():
        with pytest.raises(AlreadyExists, match=f"^{what}已存在"):
            add()
    after = app.round("r2026")
    assert (after.version, setup_state(after)) == (version, state)
    kept = app.department("r2026", "fgw")
    assert (kept.version, kept.name, kept.group) == (fgw.version, "市发改委", "econ")


def test_once_scoring_began_a_taken_code_is_still_refused_whatever_the_reason(
    small_round: SmallRound, app: EvaluationApp
) -> None:
    started(app)
    with pytest.raises(AlreadyExists, match="会场代码「kdl」已存在"):
        app.save_venue("r2026", "kdl", "新分会场", by=ORGANISER, reason="增设分会场", new=True)
    assert app.round("r2026").venues["kdl"] == "昆都仑区分会场"


def test_an_addition_with_an_unused_code_adds_and_a_change_of_an_item_still_saves(app: EvaluationApp) -> None:
    prepare_round(app)
    app.save_category("r2026", "cppcc", "政协委员", "0.5", by=ORGANISER, new=True)
    app.save_group("r2026", "social", "社会事业组", by=ORGANISER, new=True)
    app.save_venue("r2026", "jy", "九原区分会场", by=ORGANISER, new=True)
    app.save_sitting("r2026", "s3", "第三场", "2026-04-01", "", by=ORGANISER, new=True)
    app.save_department("r2026", "jyj", "市教育局", "", "social", "", by=ORGANISER, new=True)
    app.change_agenda("r2026", "s2", ["kjj"], by=ORGANISER)
    app.remove_department("r2026", "zjj", by=ORGANISER)
    app.save_department("r2026", "zjj", "市住建局", "", "city", "", by=ORGANISER, new=True)  # withdrawn: free
    app.save_category("r2026", "npc", "人大代表（改）", "0.3", by=ORGANISER)
    app.save_sitting("r2026", "s1", "第一场（改）", "2026-04-02", "上午", by=ORGANISER)
    app.save_department("r2026", "fgw", "市发展和改革委员会", "", "city", "", by=ORGANISER)

    round_ = app.round("r2026")
    assert (round_.categories["cppcc"], round_.categories["npc"]) == (
        {"name": "政协委员", "share": "0.5"},
        {"name": "人大代表（改）", "share": "0.3"},
    )
    assert (round_.groups["social"], round_.venues["jy"], round_.departments["jyj"]) == (
        "社会事业组",
        "九原区分会场",
        "social",
    )
    assert round_.sittings["s3"] == {"name": "第三场", "date": "2026-04-01", "half_day": "", "agenda": []}
    assert round_.sittings["s1"]["agenda"] == ["fgw", "swj"]  # a change keeps the agenda
    assert (round_.departments["fgw"], app.department("r2026", "fgw").name) == ("city", "市发展和改革委员会")
    assert (round_.departments["zjj"], app.department("r2026", "zjj").withdrawn) == ("city", False)
