"""演示数据 — loads the seeded Baotou-scale demo round the way a city loads its own: its set-up written as the
round's workbook and imported (``workbook``), then each department's report submitted."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable

from demo.ballots import simulate_choices
from demo.model import DemoRound
from demo.round import DEMO_KEY, build_demo_round
from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.representative import representative_id
from evaluation.voting import CastRequest
from intake.fast_app import IntakeApp
from workbook import import_workbook, write_workbook

__all__ = ["DEMO_KEY", "ORGANISER", "load_demo", "simulate_scoring"]

ORGANISER = "organiser:demo"

Progress = Callable[[str], None]


def load_demo(
    app: EvaluationApp,
    key: str = DEMO_KEY,
    representatives: int = 6000,
    departments: int = 36,
    seed: int = 2026,
    progress: Progress = print,
) -> DemoRound:
    """Creates the round from its workbook (configuration, departments, sittings, every representative with a
    first credential), then submits every department's report."""
    started = time.perf_counter()
    demo = build_demo_round(seed=seed, departments=departments, representatives=representatives, key=key)
    plan = demo.plan
    import_workbook(app, write_workbook(plan), f"{key}.xlsx", by=ORGANISER)
    progress(
        f"活动工作簿已导入：{len(plan.categories)} 类代表，{len(plan.venues)} 个会场，"
        f"{len(plan.sittings)} 个场次，市民代表 {len(plan.representatives)} 人已登记并发卡"
    )
    for report in demo.reports:
        by = f"department:{report.department}"
        app.submit_report(key, report.department, report.title, report.summary, report.text, by=by)
    progress(f"{len(plan.departments)} 个部门及其述职报告已登记")
    people = [representative_id(key, n) for n in range(1, len(plan.representatives) + 1)]
    printed = app.print_cards(key, people, by=ORGANISER, reason="演示活动打印评议卡")
    codes = [printed[p] for p in people]
    progress(f"演示活动已就绪，用时 {time.perf_counter() - started:.1f} 秒")
    return dataclasses.replace(demo, codes=tuple(codes))


def simulate_scoring(app: IntakeApp, demo: DemoRound, key: str = DEMO_KEY, progress: Progress = print) -> int:
    """A whole round scored: every window opened, every representative's ballots cast, every window closed.

    Ballots go through ``IntakeApp.cast_ballots`` in batches of 500 (group commit), with the same rules as
    one by one.
    """
    started = time.perf_counter()
    departments = [dept for s in demo.plan.sittings for dept in s.agenda]
    for dept in departments:
        app.open_window(key, dept, by=ORGANISER)
    cast = 0
    batch: list[CastRequest] = []
    for b in simulate_choices(demo):
        rep = representative_id(key, b.representative_index + 1)
        batch.append(CastRequest(rep, b.department, uuid.uuid4().hex, b.choice, None, b.comment or ""))
        if b.signed_suggestion:
            app.sign_suggestion(rep, b.department, uuid.uuid4().hex, b.signed_suggestion)
        if len(batch) == 500:
            cast += _cast(app, batch, progress)
            batch = []
            if cast % 20_000 == 0:
                progress(f"已模拟 {cast} 张评议票（{cast / (time.perf_counter() - started):.0f} 张/秒）")
    cast += _cast(app, batch, progress)
    for dept in departments:
        app.close_window(key, dept, by=ORGANISER)
    progress(f"模拟评分完成：{cast} 张，用时 {time.perf_counter() - started:.1f} 秒")
    return cast


def _cast(app: IntakeApp, batch: list[CastRequest], progress: Progress) -> int:
    answers = app.cast_ballots(batch) if batch else []
    for answer in answers:
        if isinstance(answer, EvaluationError):
            progress(f"评分被拒绝：{answer.message}")
    return len(answers)
