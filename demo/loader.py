"""演示数据 — loads the seeded Baotou-scale demo round through the application's own commands."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable

from demo.ballots import simulate_choices
from demo.model import DemoRound
from demo.round import build_demo_round
from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.representative import representative_id
from evaluation.voting import CastRequest
from intake.fast_app import IntakeApp

ORGANISER = "organiser:demo"
DEMO_KEY = "baotou2026"

Progress = Callable[[str], None]


def load_demo(
    app: EvaluationApp,
    key: str = DEMO_KEY,
    representatives: int = 6000,
    departments: int = 36,
    seed: int = 2026,
    progress: Progress = print,
) -> DemoRound:
    """Creates the round, its departments and reports, and registers every representative."""
    started = time.perf_counter()
    demo = build_demo_round(seed=seed, departments=departments, representatives=representatives)
    # the demo's representatives vote from wherever it is shown: nobody checks them in at a hall
    app.create_round(key, demo.title, by=ORGANISER, check_in_required=False)
    for c in demo.categories:
        app.define_category(key, c.key, c.name, by=ORGANISER, share=c.share)
    for g in demo.groups:
        app.define_group(key, g.key, g.name, by=ORGANISER)
    for v in demo.venues:
        app.define_venue(key, v.key, v.name, by=ORGANISER)
    progress(f"活动与配置已创建（{len(demo.categories)} 类代表，{len(demo.venues)} 个会场）")
    for d in demo.departments:
        app.register_department(
            key, d.key, d.name, d.group, by=ORGANISER, short_name=d.short_name, head=d.head
        )
        app.submit_report(
            key, d.key, d.report_title, d.report_summary, d.report_text, by=f"department:{d.key}"
        )
    progress(f"{len(demo.departments)} 个部门及其述职报告已登记")
    for s in demo.sittings:
        app.define_sitting(
            key, s.key, s.name, list(s.departments), by=ORGANISER, date=s.date, half_day=s.half_day
        )
    batch = 1000
    codes: list[str] = []
    for start in range(0, len(demo.representatives), batch):
        chunk = demo.representatives[start : start + batch]
        issued = app.import_representatives(
            key, _as_csv(chunk), f"demo-{start // batch + 1}.csv", by=ORGANISER
        )
        codes += [code for _, code in issued]
        progress(f"市民代表 {start + len(chunk)} / {len(demo.representatives)} 已登记并发卡")
    progress(f"演示活动已就绪，用时 {time.perf_counter() - started:.1f} 秒")
    return dataclasses.replace(demo, codes=tuple(codes))


def _as_csv(reps: object) -> bytes:
    lines = ["姓名,类别,会场,场次,手机"]
    for r in reps:  # type: ignore[attr-defined]
        lines.append(f"{r.name},{r.category},{r.venue},{r.sitting},{r.phone or ''}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def simulate_scoring(app: IntakeApp, demo: DemoRound, key: str = DEMO_KEY, progress: Progress = print) -> int:
    """A whole round scored: every window opened, every representative's ballots cast, every window closed.

    Ballots go through ``IntakeApp.cast_ballots`` in batches of 500 (group commit), with the same rules as
    one by one.
    """
    started = time.perf_counter()
    departments = [dept for s in demo.sittings for dept in s.departments]
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
