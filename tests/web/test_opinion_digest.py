"""每日办理提醒：组织方页面与 ``sanmin opinion-digest`` 列出同样的逾期与即将到期的意见（按承办部门，合并组算一件）；
坏日期得到 400 和中文说明；--outbox 把提醒写入文件夹（平台不发邮件）。"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from evaluation.application import EvaluationApp
from projections.runner import Projector
from sanmin.cli import main as sanmin
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, sanmin_environment
from tests.web.test_opinion_pages import opinions, scored_sitting
from tests.web.test_organiser_helpers import running_site

ASSIGNED = date(2026, 11, 2)  # a Monday: due 15 working days later, 2026-11-23
LATE = "2026-11-25"  # two working days late
SOON = "2026-11-19"  # due within three working days


async def in_hand(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> None:
    scored_sitting(app, small_round)
    async with running_site(settings, app) as site:
        site.sync()
        await site.sign_in_organiser()
        await site.post("/organiser/opinions/collect", {"sitting": "s1"})
        found = opinions(site)
    slow, slower = found["审批太慢"]["opinion_id"], found["审批太慢了！"]["opinion_id"]
    named = next(row["opinion_id"] for text, row in found.items() if "网上提交" in text)
    app.merge_opinions(small_round.key, [slow, slower], ORGANISER)
    app.assign_opinions(small_round.key, [slow, slower], "fgw", [], ORGANISER, today=ASSIGNED)
    app.redact_opinion(small_round.key, named, "建议审批材料能网上提交", ORGANISER)
    app.assign_opinions(small_round.key, [named], "swj", [], ORGANISER, today=ASSIGNED)
    app.request_reassignment(small_round.key, named, "swj", "不属本部门职责", "department:swj")


async def test_the_organiser_reads_the_day_s_digest_and_a_bad_day_is_refused(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    await in_hand(settings, app, small_round)
    async with running_site(settings, app) as site:
        site.sync()
        await site.sign_in_organiser()
        late = (await site.get(f"/organiser/opinions/digest?day={LATE}")).text
        assert '<strong class="overdue">1</strong> 件逾期' in late
        assert "逾期 2 个工作日</span> 审批太慢（合并 2 条） — 期限 2026-11-23" in late
        assert "申请改派</span> 建议审批材料能网上提交 — 原因：不属本部门职责" in late
        soon = (await site.get(f"/organiser/opinions/digest?day={SOON}")).text
        assert "即将到期</span> 审批太慢（合并 2 条）" in soon and "<strong>1</strong> 件即将到期" in soon
        early = (await site.get("/organiser/opinions/digest?day=2026-11-03")).text
        assert "<strong>0</strong> 件即将到期" in early
        assert "每日提醒" in (await site.get("/organiser/opinions/tracking")).text
        for bad in ("2026-13-01", "昨天", "2026-11-25T00:00", "x" * 500):
            refused = await site.get("/organiser/opinions/digest", params={"day": bad})
            assert refused.status_code == 400 and "日期格式不对" in refused.text, bad


async def test_sanmin_prints_the_same_digest_and_writes_it_to_the_outbox(
    settings: Settings,
    app: EvaluationApp,
    small_round: SmallRound,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await in_hand(settings, app, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
    sanmin_environment(monkeypatch, settings, tmp_path)
    outbox = tmp_path / "outbox"
    assert sanmin(["opinion-digest", small_round.key, "--day", LATE, "--outbox", str(outbox)]) == 0
    printed = capsys.readouterr().out
    written = (outbox / f"opinion-digest-{small_round.key}-{LATE}.txt").read_text(encoding="utf-8")
    assert written in printed and "【市发改委】" in written
    assert "逾期：审批太慢（合并 2 条） — 期限 2026-11-23，已逾期 2 个工作日" in written
    assert "申请改派：建议审批材料能网上提交 — 原因：不属本部门职责" in written
    assert sanmin(["opinion-digest", small_round.key, "--day", "昨天"]) == 2
    assert sanmin(["opinion-digest", "nope"]) == 1
