"""作废评议票（按回执码查找、须填原因）与历史记录（按部门、类型筛选，分页，谁、何时、为什么）。"""

from __future__ import annotations

import re
from uuid import uuid4

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound, two_ballots_sharing_a_code
from tests.web.test_organiser_helpers import running_site


def table_body(page: str) -> str:
    """The history table's rows only (the filter's choices name every kind of event)."""
    return page[page.index("<tbody>") : page.index("</tbody>")]


async def test_a_ballot_found_by_its_receipt_is_voided_with_a_reason_and_stops_counting(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    receipt = app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "satisfied", comment="很好")
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        typed = f"{receipt.code[:4].lower()} {receipt.code[4:]}"
        page = (await site.get("/organiser/ballots", params={"receipt": typed})).text
        assert "市发改委" in page and "有效（计入结果）" in page
        assert "满意" not in page and "很好" not in page  # the organiser never sees the choice
        assert "1 / 2" in (await site.get("/organiser")).text

        url = f"/organiser/ballots/{receipt.ballot_id}/void"
        await site.post(url, {"reason": "", "receipt": receipt.code})
        assert "请填写原因" in (await site.get("/organiser/ballots", params={"receipt": receipt.code})).text
        done = await site.post(url, {"reason": "经查实系代填", "receipt": receipt.code})
        assert done.status_code == 303 and done.headers["location"].endswith(receipt.code)
        page = (await site.get(done.headers["location"])).text
        assert "该评议票已作废" in page and "已作废" in page
        assert "0 / 2" in (await site.get("/organiser")).text
        history = (await site.get("/organiser/history", params={"kind": "Ballot.Voided"})).text
        history = table_body(history)
        assert "经查实系代填" in history and "共用会务组登录码" in history and "市发改委" in history


async def test_a_receipt_code_given_to_two_ballots_lists_both_each_with_its_own_void(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    receipt, other = two_ballots_sharing_a_code(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/ballots", params={"receipt": receipt.code})).text
        assert "对应 2 张评议票" in page and "市发改委" in page and "市水务局" in page
        assert f"/organiser/ballots/{receipt.ballot_id}/void" in page
        assert f"/organiser/ballots/{other}/void" in page


async def test_an_unknown_receipt_or_ballot_is_not_found(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        page = (await site.get("/organiser/ballots", params={"receipt": "<b>ZZZZ</b>"})).text
        assert "找不到回执码为「BZZZZB」的评议票" in page
        assert (await site.post("/organiser/ballots/not-a-uuid/void", {"reason": "x"})).status_code == 404
        unknown = await site.post(f"/organiser/ballots/{uuid4()}/void", {"reason": "x"})
        assert unknown.status_code == 404 and "找不到评议票" in unknown.text


async def test_history_is_filtered_by_department_and_kind_and_paged_newest_first(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    for i in range(120):
        app.register_representative("r2026", f"批量{i}", "resident", "main", "s2", by=ORGANISER)
    app.open_window("r2026", "swj", by=ORGANISER)
    app.cast_ballot(small_round.bob, "swj", uuid4().hex, "satisfied", comment="秘密意见")
    app.close_window("r2026", "swj", by=ORGANISER)
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
        first = (await site.get("/organiser/history")).text
        positions = [int(p) for p in re.findall(r"<tr><td>(\d+)</td>", first)]
        assert len(positions) == 100 and positions == sorted(positions, reverse=True)
        older = re.search(r'href="/organiser/history\?([^"]+)">更早的记录', first)
        assert older
        second = (await site.get("/organiser/history?" + older.group(1).replace("&amp;", "&"))).text
        more = [int(p) for p in re.findall(r"<tr><td>(\d+)</td>", second)]
        assert more and max(more) < min(positions) and "最新记录" in second

        swj = table_body((await site.get("/organiser/history", params={"department": "swj"})).text)
        assert (
            "开始评分" in swj and "结束评分" in swj and "提交评议票" not in swj and "代表（匿名）" not in swj
        )
        assert "秘密意见" not in swj and "满意" not in swj and "批量" not in swj
        counts = (await site.get("/organiser/history", params={"department": "swj"})).text
        assert "评议票（按部门和日期计数）" in counts  # counted per department and day, never listed
        params = {"kind": "ScoringWindow.", "department": "swj"}
        windows = table_body((await site.get("/organiser/history", params=params)).text)
        assert "开始评分" in windows and "提交评议票" not in windows and "按部门和日期计数" not in windows
        ignored = (
            await site.get("/organiser/history", params={"kind": "'; DROP TABLE", "department": "x"})
        ).text
        assert len(re.findall(r"<tr><td>(\d+)</td>", ignored)) == 100
