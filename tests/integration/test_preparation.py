"""准备: creating a round, its instrument, categories, groups, venues, departments, agenda and reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import AlreadyExists, InvalidInput, NotFound
from evaluation.instrument import Criterion, Instrument
from tests.conftest import ORGANISER, prepare_round


def test_a_round_starts_with_scoring_mds_default_levels(app: EvaluationApp) -> None:
    app.create_round("r1", "2026年度三民活动", by=ORGANISER)
    instrument = app.round("r1").instrument
    assert [(lv.key, lv.points, lv.satisfied) for lv in instrument.levels] == [
        ("satisfied", 100, True),
        ("fairly_satisfied", 80, True),
        ("basically_satisfied", 60, True),
        ("dissatisfied", 0, False),
    ]
    assert instrument.weighting == "per_category" and instrument.trim == 0 and instrument.min_valid_votes == 1


def test_a_round_key_is_used_once(app: EvaluationApp) -> None:
    app.create_round("r1", "活动", by=ORGANISER)
    with pytest.raises(AlreadyExists):
        app.create_round("r1", "另一个活动", by=ORGANISER)


def test_a_criteria_instrument_must_have_weights_summing_to_one(app: EvaluationApp) -> None:
    bad = Instrument(kind="criteria", criteria=(Criterion("work", "工作实绩", 10, Decimal("0.5")),))
    with pytest.raises(InvalidInput, match="权重之和"):
        app.create_round("r1", "活动", by=ORGANISER, instrument=bad)
    good = Instrument(
        kind="criteria",
        criteria=(
            Criterion("work", "工作实绩", 10, Decimal("0.6")),
            Criterion("law", "依法行政", 5, Decimal("0.4")),
        ),
    )
    app.create_round("r2", "活动", by=ORGANISER, instrument=good)
    assert app.round("r2").instrument == good


def test_the_organiser_changes_the_instrument_with_a_recorded_reason(app: EvaluationApp) -> None:
    app.create_round("r1", "活动", by=ORGANISER)
    app.change_instrument(
        "r1", Instrument(trim=1, weighting="per_ballot"), by=ORGANISER, reason="联席会议决定"
    )
    assert app.round("r1").instrument.trim == 1
    assert app.round("r1").instrument.weighting == "per_ballot"


def test_a_category_share_must_be_a_positive_number(app: EvaluationApp) -> None:
    app.create_round("r1", "活动", by=ORGANISER)
    with pytest.raises(InvalidInput):
        app.define_category("r1", "npc", "人大代表", by=ORGANISER, share="-1")
    app.define_category("r1", "npc", "人大代表", by=ORGANISER, share="2")
    assert app.round("r1").categories["npc"] == {"name": "人大代表", "share": "2"}


def test_a_department_needs_a_known_group_and_registers_once(app: EvaluationApp) -> None:
    app.create_round("r1", "活动", by=ORGANISER)
    with pytest.raises(NotFound):
        app.register_department("r1", "fgw", "市发改委", "nosuchgroup", by=ORGANISER)
    app.define_group("r1", "econ", "经济发展组", by=ORGANISER)
    app.register_department("r1", "fgw", "市发展和改革委员会", "econ", by=ORGANISER, short_name="市发改委")
    with pytest.raises(AlreadyExists):
        app.register_department("r1", "fgw", "市发改委", "econ", by=ORGANISER)
    assert app.department("r1", "fgw").short_name == "市发改委"


def test_a_department_reports_in_one_sitting_only(app: EvaluationApp) -> None:
    prepare_round(app)
    with pytest.raises(InvalidInput, match="已安排"):
        app.define_sitting("r2026", "s3", "第三场", ["fgw"], by=ORGANISER)
    with pytest.raises(NotFound):
        app.define_sitting("r2026", "s3", "第三场", ["nosuch"], by=ORGANISER)
    with pytest.raises(InvalidInput, match="重复"):
        app.define_sitting("r2026", "s1", "第一场", ["fgw", "fgw"], by=ORGANISER)
    app.define_sitting("r2026", "s1", "第一场（调整）", ["swj", "fgw"], by=ORGANISER)
    assert app.round("r2026").sittings["s1"]["agenda"] == ["swj", "fgw"]
