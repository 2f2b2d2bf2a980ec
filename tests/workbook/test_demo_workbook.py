"""The demo round as a workbook: loading it through the workbook gives the round the demo loader makes."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

from demo import texts as demo_texts
from demo.loader import load_demo
from demo.round import build_demo_round
from evaluation.application import EvaluationApp
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import ORGANISER
from workbook import import_workbook, write_workbook


def test_the_demo_round_loaded_from_its_workbook_is_the_round_the_demo_loader_makes(
    app: EvaluationApp, settings: Settings
) -> None:
    demo = build_demo_round(departments=6, representatives=120, key="demo")
    workbook = write_workbook(demo.plan)
    assert import_workbook(app, workbook, "demo.xlsx", by=ORGANISER)[0] == "demo"

    loaded = build_app(replace(settings, schema=f"t_{uuid4().hex[:12]}"))
    try:
        load_demo(loaded, "demo", representatives=120, departments=6, progress=lambda _: None)
        by_loader = loaded.round_plan("demo")
        reports = {
            d: report.current.title if (report := loaded.report("demo", d)) and report.current else None
            for d in loaded.round("demo").departments
        }
    finally:
        loaded.close()
    assert app.round_plan("demo") == by_loader == demo.plan
    assert by_loader.year == demo_texts.YEAR
    assert len(by_loader.representatives) == 120
    assert reports == {r.department: r.title for r in demo.reports}
