"""活动设置的规则 — before the first scoring window opens everything can change or go; after, what cannot alter
a counted ballot's meaning needs a reason (recorded), what could is refused; removing what is still used
is refused; old events still rebuild the round."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from evaluation.application import EvaluationApp
from evaluation.department import Department, department_id
from evaluation.errors import (
    AlreadyExists,
    InvalidInput,
    NotFound,
    ReasonRequired,
    ScoringStarted,
    StillInUse,
)
from evaluation.instrument import Instrument, Level
from evaluation.round import Round, round_id
from projections.maintenance import compare, rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, prepare_round
from tests.integration.test_projection_helpers import dump_views, query

FOUR_LEVELS = Instrument(
    levels=(
        Level("good", "好", 90, True),
        Level("fair", "较好", 70, True),
        Level("so_so", "一般", 50, False),
        Level("bad", "差", 10, False),
    ),
    weighting="per_ballot",
    trim=1,
    min_valid_votes=3,
    unknown_label="说不清",
)


def started(app: EvaluationApp) -> None:
    """The first scoring window of the round opens (fgw, sitting s1)."""
    app.open_window("r2026", "fgw", by=ORGANISER)


def test_an_empty_round_is_created_with_the_default_instrument_check_in_and_its_year(
    app: EvaluationApp,
) -> None:
    key, code = app.create_empty_round("r2027", "2027年度三民活动", 2027, by=ORGANISER)
    round_ = app.round(key)
    assert (round_.title, round_.check_in_required, round_.instrument) == (
        "2027年度三民活动",
        True,
        Instrument(),
    )
    assert code == app.keys.organiser_code("r2027")
    assert app.setup_plan("r2027").year == 2027
    with pytest.raises(AlreadyExists):
        app.create_empty_round("r2027", "again", None, by=ORGANISER)
    for bad_key, title, year in [("空 格", "t", None), ("ok", "  ", None), ("ok", "t", 1999)]:
        with pytest.raises(InvalidInput):
            app.create_empty_round(bad_key, title, year, by=ORGANISER)


def test_before_scoring_everything_changes_and_goes_without_a_reason(app: EvaluationApp) -> None:
    prepare_round(app)
    app.set_instrument("r2026", FOUR_LEVELS, by=ORGANISER)
    app.save_category("r2026", "npc", "人大代表", "2", by=ORGANISER)
    app.save_sitting("r2026", "s1", "第一场（改）", "2027-03-15", "上午", by=ORGANISER)
    app.change_agenda("r2026", "s1", ["swj", "fgw"], by=ORGANISER)
    app.change_agenda("r2026", "s2", ["kjj"], by=ORGANISER)
    app.save_department("r2026", "zjj", "市住房和城乡建设局", "市住建局", "econ", "王局长", by=ORGANISER)
    app.remove_department("r2026", "zjj", by=ORGANISER)
    app.save_group("r2026", "spare", "备用组", by=ORGANISER)
    app.remove_group("r2026", "spare", by=ORGANISER)
    app.remove_venue("r2026", "kdl", by=ORGANISER)
    app.remove_category("r2026", "resident", by=ORGANISER)

    round_ = app.round("r2026")
    assert round_.instrument == FOUR_LEVELS
    assert round_.categories == {"npc": {"name": "人大代表", "share": "2"}}
    assert round_.sittings["s1"] == {
        "name": "第一场（改）",
        "date": "2027-03-15",
        "half_day": "上午",
        "agenda": ["swj", "fgw"],
    }
    assert "zjj" not in round_.departments and "kdl" not in round_.venues
    assert [d.key for d in app.setup_plan("r2026").departments] == ["fgw", "swj", "kjj"]


def test_removing_what_is_still_used_is_refused(small_round: SmallRound, app: EvaluationApp) -> None:
    with pytest.raises(StillInUse, match="部门组「经济发展组」"):
        app.remove_group("r2026", "econ", by=ORGANISER)
    with pytest.raises(StillInUse, match="议程中"):
        app.remove_department("r2026", "fgw", by=ORGANISER)
    with pytest.raises(StillInUse, match="还有代表"):
        app.remove_venue("r2026", "main", by=ORGANISER)
    with pytest.raises(StillInUse, match="还有代表"):
        app.remove_category("r2026", "npc", by=ORGANISER)
    with pytest.raises(StillInUse, match="还有代表"):
        app.remove_sitting("r2026", "s1", by=ORGANISER)
    with pytest.raises(NotFound, match="部门组"):
        app.save_department("r2026", "new", "新部门", "", "nowhere", "", by=ORGANISER)


def test_a_withdrawn_department_can_be_enrolled_again_under_its_code(app: EvaluationApp) -> None:
    prepare_round(app)
    app.change_agenda("r2026", "s2", ["kjj"], by=ORGANISER)
    app.remove_department("r2026", "zjj", by=ORGANISER)
    assert app.find(Department, department_id("r2026", "zjj")).withdrawn  # type: ignore[union-attr]
    app.save_department("r2026", "zjj", "市住建局", "", "city", "李局长", by=ORGANISER)
    dept = app.department("r2026", "zjj")
    assert (dept.withdrawn, dept.head, app.round("r2026").departments["zjj"]) == (False, "李局长", "city")


def test_after_the_first_window_opens_harmless_changes_need_a_reason_and_keep_it(
    small_round: SmallRound, app: EvaluationApp
) -> None:
    started(app)
    with pytest.raises(ReasonRequired):
        app.save_venue("r2026", "new", "新分会场", by=ORGANISER)
    app.save_venue("r2026", "new", "新分会场", by=ORGANISER, reason="增设分会场")
    app.save_category("r2026", "npc", "人大代表（含政协委员）", "1", by=ORGANISER, reason="名称更正")
    app.save_sitting("r2026", "s1", "第一场", "2027-03-16", "下午", by=ORGANISER, reason="改期")
    app.change_agenda("r2026", "s1", ["swj", "fgw"], by=ORGANISER, reason="调整汇报顺序")
    app.save_department(
        "r2026", "fgw", "市发展和改革委员会", "市发改委", "econ", "新主任", by=ORGANISER, reason="换届"
    )

    events = app.repository.event_store.get(round_id("r2026"))
    reasons = [getattr(e, "reason", None) for e in events]
    assert {"增设分会场", "名称更正", "改期", "调整汇报顺序"} <= set(reasons)
    assert app.department("r2026", "fgw").head == "新主任"
    details = list(app.repository.event_store.get(department_id("r2026", "fgw")))[-1]
    assert (type(details).__name__, details.reason) == ("DetailsChanged", "换届")  # type: ignore[attr-defined]


def test_after_the_first_window_opens_what_could_change_a_ballot_is_refused(
    small_round: SmallRound, app: EvaluationApp
) -> None:
    started(app)
    refusals = [
        lambda: app.set_instrument("r2026", FOUR_LEVELS, by=ORGANISER, reason="改"),
        lambda: app.save_category("r2026", "npc", "人大代表", "3", by=ORGANISER, reason="改"),
        lambda: app.save_category("r2026", "cppcc", "政协委员", "1", by=ORGANISER, reason="加"),
        lambda: app.change_agenda("r2026", "s1", ["swj"], by=ORGANISER, reason="改"),
        lambda: app.save_department("r2026", "swj", "市水务局", "", "econ", "", by=ORGANISER, reason="改"),
        lambda: app.remove_sitting("r2026", "s1", by=ORGANISER, reason="删"),
    ]
    for refused in refusals:
        with pytest.raises(ScoringStarted, match="评分已经开始"):
            refused()
    # a sitting not yet scored can still change its agenda, with a reason
    app.change_agenda("r2026", "s2", ["zjj", "kjj"], by=ORGANISER, reason="调整")
    assert app.round("r2026").sittings["s2"]["agenda"] == ["zjj", "kjj"]
    assert app.round("r2026").instrument == Instrument()
    weighed = Instrument(components={"live": Decimal("0.7"), "daily": Decimal("0.3")})
    app.set_instrument(
        "r2026", weighed, by=ORGANISER, reason="综合结果加入日常考核"
    )  # not a ballot's meaning
    assert app.round("r2026").instrument == weighed


def test_categories_shares_must_be_positive_numbers(app: EvaluationApp) -> None:
    prepare_round(app)
    for share in ("0", "-1", "abc", "NaN", "inf"):
        with pytest.raises(InvalidInput, match="必须是正数"):
            app.save_category("r2026", "x", "新类别", share, by=ORGANISER)
    app.save_category("r2026", "x", "新类别", "0.5", by=ORGANISER)
    assert Decimal(app.round("r2026").categories["x"]["share"]) == Decimal("0.5")


def test_a_share_is_a_weight_up_to_100_with_at_most_four_places_as_in_a_workbook(app: EvaluationApp) -> None:
    """Shares weigh categories against each other (docs/scoring.md §3), so 2 or 30 is fine and 1e30 is a slip."""
    prepare_round(app)
    for share in ("1e30", "101", "0.00001", "２"):
        with pytest.raises(InvalidInput, match=f"类别权重「{share}」须是不大于 100 的数"):
            app.save_category("r2026", "x", "新类别", share, by=ORGANISER)
    assert "x" not in app.round("r2026").categories
    for share in ("30", "0.25", "100"):
        app.save_category("r2026", "x", "新类别", share, by=ORGANISER)
        assert app.round("r2026").categories["x"]["share"] == share


def test_an_instrument_that_cannot_work_is_refused_and_the_round_keeps_its_own(app: EvaluationApp) -> None:
    """What a tester saved through the instrument form: a trim count of 999999999, a 60-character level name,
    a single level, no level counting as satisfied, a level code 「不了解 <x>」."""
    prepare_round(app)
    good, fair, so_so, bad = FOUR_LEVELS.levels
    refused = {
        "去掉最高最低分个数「999999999」须是 0 到 10 之间的整数": replace(FOUR_LEVELS, trim=999999999),
        "评价等次名称「" + "好" * 60 + "」须有 1 到 20 个字": replace(
            FOUR_LEVELS, levels=(replace(good, label="好" * 60), fair, so_so, bad)
        ),
        "评价等次至少要有两个": replace(FOUR_LEVELS, levels=(good,)),
        "至少要有一个评价等次计入满意": replace(FOUR_LEVELS, levels=(so_so, bad)),
        "评价等次代码「不了解 <x>」须由": replace(FOUR_LEVELS, levels=(good, replace(bad, key="不了解 <x>"))),
    }
    for words, instrument in refused.items():
        with pytest.raises(InvalidInput, match=words):
            app.set_instrument("r2026", instrument, by=ORGANISER)
    assert app.round("r2026").instrument == Instrument()
    app.set_instrument("r2026", replace(FOUR_LEVELS, trim=10, levels=(good, so_so)), by=ORGANISER)
    assert app.round("r2026").instrument.trim == 10


def test_a_round_rebuilt_from_its_events_is_the_same(app: EvaluationApp) -> None:
    prepare_round(app)
    app.save_venue("r2026", "v3", "第三会场", by=ORGANISER)
    app.remove_venue("r2026", "v3", by=ORGANISER)
    app.change_agenda("r2026", "s2", ["kjj"], by=ORGANISER)
    app.remove_department("r2026", "zjj", by=ORGANISER)
    fresh = app.repository.get(round_id("r2026"))
    assert isinstance(fresh, Round)
    assert (fresh.venues, fresh.departments) == (
        {"main": "主会场", "kdl": "昆都仑区分会场"},
        {"fgw": "econ", "swj": "city", "kjj": "econ"},
    )


def edit_step_by_step(app: EvaluationApp, projector: Projector | None) -> None:
    """Set-up changes of every kind, projected after each (``projector``) or all at once."""
    steps = [
        lambda: app.save_venue("r2026", "v3", "第三会场", by=ORGANISER),
        lambda: app.save_group("r2026", "spare", "备用组", by=ORGANISER),
        lambda: app.save_department("r2026", "zjj", "市住建局", "住建", "econ", "王局长", by=ORGANISER),
        lambda: app.change_agenda("r2026", "s2", ["kjj"], by=ORGANISER),
        lambda: app.remove_department("r2026", "zjj", by=ORGANISER),
        lambda: app.remove_venue("r2026", "v3", by=ORGANISER),
        lambda: app.save_department("r2026", "swj", "市水务局", "", "econ", "", by=ORGANISER),
        lambda: app.remove_group("r2026", "city", by=ORGANISER),
        lambda: app.save_category("r2026", "resident", "社区居民代表", "3", by=ORGANISER),
        lambda: app.save_sitting("r2026", "s3", "第三场", "2026-03-18", "下午", by=ORGANISER),
        lambda: app.remove_sitting("r2026", "s3", by=ORGANISER),
        lambda: app.save_basics("r2026", "2026年度三民活动（修订）", 2026, by=ORGANISER),
        lambda: app.save_department("r2026", "zjj", "市住房和城乡建设局", "", "econ", "", by=ORGANISER),
    ]
    for step in steps:
        step()
        if projector is not None:
            projector.catch_up()


@pytest.mark.parametrize("step_by_step", [True, False])
def test_the_views_follow_every_change_and_a_rebuild_gives_the_same(
    app: EvaluationApp, settings: Settings, step_by_step: bool
) -> None:
    prepare_round(app)
    with Projector(settings) as projector:
        projector.catch_up()
        edit_step_by_step(app, projector if step_by_step else None)
        projector.catch_up()
    incremental = dump_views(settings)
    departments = query(settings, "SELECT department, group_key FROM departments_view ORDER BY department")
    assert [(r["department"], r["group_key"]) for r in departments] == [
        ("fgw", "econ"),
        ("kjj", "econ"),
        ("swj", "econ"),
        ("zjj", "econ"),
    ]
    names = query(settings, "SELECT name FROM departments_view WHERE department = 'zjj'")
    assert [r["name"] for r in names] == ["市住房和城乡建设局"]
    venues = query(settings, "SELECT venue FROM venues_view ORDER BY venue")
    assert "v3" not in [r["venue"] for r in venues]
    titles = query(settings, "SELECT title FROM rounds_view")
    assert [r["title"] for r in titles] == ["2026年度三民活动（修订）"]
    rankings = query(settings, "SELECT group_key FROM rankings_view ORDER BY group_key")
    assert [r["group_key"] for r in rankings] == ["econ"]
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
    assert compare(settings).matches
