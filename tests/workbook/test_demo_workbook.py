"""The demo round as a workbook: loading it through the workbook gives the round the demo loader makes."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

from demo import texts as demo_texts
from demo.loader import load_demo
from demo.model import DemoRound
from demo.round import build_demo_round
from evaluation.application import EvaluationApp
from evaluation.instrument import Instrument
from evaluation.round_plan import (
    PlannedCategory,
    PlannedDepartment,
    PlannedGroup,
    PlannedRepresentative,
    PlannedSitting,
    PlannedVenue,
    RoundPlan,
)
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import ORGANISER
from workbook import import_workbook, write_workbook


def demo_plan(demo: DemoRound, key: str) -> RoundPlan:
    """The demo round's set-up (all but the reports) as a plan, to be written as its workbook."""
    return RoundPlan(
        key=key,
        title=demo.title,
        year=demo_texts.YEAR,
        instrument=Instrument(),
        categories=tuple(PlannedCategory(c.key, c.name, c.share) for c in demo.categories),
        groups=tuple(PlannedGroup(g.key, g.name) for g in demo.groups),
        venues=tuple(PlannedVenue(v.key, v.name) for v in demo.venues),
        sittings=tuple(
            PlannedSitting(s.key, s.name, s.date, s.half_day, s.departments) for s in demo.sittings
        ),
        departments=tuple(
            PlannedDepartment(d.key, d.name, d.short_name, d.group, d.head) for d in demo.departments
        ),
        representatives=tuple(
            PlannedRepresentative(r.name, r.category, r.venue, r.sitting, r.phone)
            for r in demo.representatives
        ),
    )


def test_the_demo_round_loaded_from_its_workbook_is_the_round_the_demo_loader_makes(
    app: EvaluationApp, settings: Settings
) -> None:
    demo = build_demo_round(departments=6, representatives=120)
    workbook = write_workbook(demo_plan(demo, "demo"))
    assert import_workbook(app, workbook, "demo.xlsx", by=ORGANISER)[0] == "demo"

    loaded = build_app(replace(settings, schema=f"t_{uuid4().hex[:12]}"))
    try:
        load_demo(loaded, "demo", representatives=120, departments=6, progress=lambda _: None)
        by_loader = loaded.round_plan("demo")
    finally:
        loaded.close()
    assert app.round_plan("demo") == replace(by_loader, year=demo_texts.YEAR)
    assert len(by_loader.representatives) == 120
