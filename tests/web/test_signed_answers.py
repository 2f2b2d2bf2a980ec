"""一条留名建议，一个答复: what a department answers on 「留名建议答复」 reaches the representative who signed the
suggestion (/opinions/mine) at once, and counts as the answer of the opinion the suggestion became when that
department leads it — in the tracking's 答复率, its overdue list and the handling figure; the published answer
of 意见办理 reaches the signer too. A department the opinion was assigned away from still reaches the signer,
but does not answer for the lead."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from evaluation.application import EvaluationApp
from evaluation.round_day import round_today
from projections.opinion_answers import ANSWERED_OPINIONS
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import Site, running_site
from tests.web.test_read_your_writes import lagging
from web.organiser.reads import OPINION_HANDLING

SIGNED = "建议发改委政务大厅增设夜间办事窗口"
DIRECT = "已于下月起每周三开设夜间窗口，欢迎您来办理"


@asynccontextmanager
async def signed_and_delivered(
    settings: Settings, app: EvaluationApp, round_: SmallRound
) -> AsyncIterator[tuple[Site, str]]:
    """Alice has signed a suggestion for fgw, delivered at the window's close; the site and its id."""
    app.open_window(round_.key, "fgw", by=ORGANISER)
    app.cast_ballot(round_.alice, "fgw", uuid4().hex, "satisfied")
    app.sign_suggestion(round_.alice, "fgw", uuid4().hex, SIGNED)
    app.close_window(round_.key, "fgw", by=ORGANISER)
    async with running_site(settings, app) as site:
        suggestion = await site.reads.fetchval("SELECT suggestion_id::text FROM suggestions_view")
        yield site, suggestion


async def collect_and_assign(site: Site, lead: str) -> str:
    """The organiser collects the sitting's opinions and assigns the signed one to ``lead``; its id."""
    await site.sign_in_organiser()
    await site.post("/organiser/opinions/collect", {"sitting": "s1"})
    opinion = await site.reads.fetchval(
        "SELECT opinion_id::text FROM opinions_view WHERE source = 'suggestion'"
    )
    await site.post("/organiser/opinions/assign", {"ids": opinion, "lead": lead})
    return str(opinion)


async def answer_directly(site: Site, suggestion: str, text: str) -> None:
    await site.sign_in_department("fgw")
    answered = await site.post(f"/department/suggestions/{suggestion}/answer", {"answer": text})
    assert answered.status_code == 303


def tracking_line(page: str, name: str) -> list[str]:
    """The cells of one department's line of the tracking table."""
    line = re.search(rf"<tr><td>{name}</td>(.*?)</tr>", page, re.S)
    assert line is not None, f"{name} has a line"
    return re.findall(r"<td[^>]*>([^<]*)</td>", line.group(1))


async def handling(site: Site, department: str) -> dict[str, Any]:
    rows = await site.reads.fetch(OPINION_HANDLING, "r2026", round_today().isoformat())
    return next(dict(r) for r in rows if r["department"] == department)


async def test_the_answer_on_the_signed_suggestion_page_reaches_the_signer_at_once_and_counts_for_its_opinion(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        await answer_directly(site, suggestion, DIRECT)
        await site.sign_in(small_round.alice_code)
        mine = (await site.get("/opinions/mine")).text
        assert SIGNED in mine and f"市发改委答复：</strong>{DIRECT}" in mine, "before anyone collected it"

        await collect_and_assign(site, "fgw")
        tracking = (await site.get("/organiser/opinions/tracking")).text
        # 交办 1, 已答复 1, 已办结 0, 逾期 0, 答复率 100%, 办结率 0% (a direct answer has no state), 0 days
        assert tracking_line(tracking, "市发改委")[:7] == ["1", "1", "0", "0", "100.0%", "0.0%", "0.0"]
        assert "没有逾期的意见" in tracking
        assert await handling(site, "fgw") == {
            "department": "fgw",
            "due": 1,
            "on_time": 1,
            "satisfied": 0,
            "fairly": 0,
            "dissatisfied": 0,
        }
        digest = (await site.get("/organiser/opinions/digest")).text
        assert SIGNED not in digest, "an answered suggestion waits for nobody"

        await site.sign_in_department("fgw")
        page = (await site.get("/department/suggestions")).text
        assert "组织方已将这条建议作为意见交办本部门" in page and "在这里答复即计入答复率" in page


async def test_the_signer_sees_both_answers_and_rates_the_published_one(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        opinion = await collect_and_assign(site, "fgw")
        await answer_directly(site, suggestion, DIRECT)
        handled = {"text": "夜间窗口已开设", "measures": "增加两名工作人员", "state": "已办结"}
        await site.post(f"/department/opinions/{opinion}/answer", handled)
        await site.sign_in(small_round.alice_code)
        mine = (await site.get("/opinions/mine")).text
        assert DIRECT in mine and "夜间窗口已开设" not in mine, "the 意见办理 answer only once published"

        await site.sign_in_organiser()
        await site.post("/organiser/opinions/review", {"ids": opinion, "decision": "accept"})
        await site.post("/organiser/opinions/publish", {})
        tracking = (await site.get("/organiser/opinions/tracking")).text
        assert tracking_line(tracking, "市发改委")[:6] == ["1", "1", "1", "0", "100.0%", "100.0%"]
        await site.sign_in(small_round.alice_code)
        mine = (await site.get("/opinions/mine")).text
        assert DIRECT in mine and "市发改委答复（已办结）：</strong>夜间窗口已开设" in mine
        assert "增加两名工作人员" in mine
        rated = await site.post(f"/opinions/mine/{opinion}/rate", {"rating": "满意"})
        assert rated.status_code == 303 and "感谢您的评价" in (await site.get("/opinions/mine")).text


async def test_the_signer_coming_back_from_rating_sees_the_rating_given_though_the_projection_lags(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        opinion = await collect_and_assign(site, "fgw")
        await site.sign_in_department("fgw")
        handled = {"text": "夜间窗口已开设", "measures": "增加两名工作人员", "state": "已办结"}
        await site.post(f"/department/opinions/{opinion}/answer", handled)
        await site.sign_in_organiser()
        await site.post("/organiser/opinions/review", {"ids": opinion, "decision": "accept"})
        await site.post("/organiser/opinions/publish", {})
        assert await site.reads.fetchval(
            "SELECT published FROM opinions_view WHERE opinion_id = $1", UUID(opinion)
        )
    async with running_site(settings, app, projection_class=lagging(0.6)) as site:
        await site.sign_in(small_round.alice_code)
        form = {"rating": "基本满意", "csrf": await site.csrf()}
        rated = await site.client.post(f"/opinions/mine/{opinion}/rate", data=form)  # no sync: as a browser
        assert rated.status_code == 303
        page = (await site.get(rated.headers["location"])).text
    assert "感谢您的评价：基本满意" in page
    assert '<p class="my-rating">您的评价：<strong>基本满意</strong>' in page and "可以修改" in page
    assert 'value="基本满意" required checked' in page
    assert "修改评价</button>" in page  # before: 提交评价 on an empty form, as if nothing had been given


async def test_a_direct_answer_does_not_answer_for_another_lead_but_still_reaches_the_signer(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        await collect_and_assign(site, "swj")
        await answer_directly(site, suggestion, DIRECT)
        page = (await site.get("/department/suggestions")).text
        assert "组织方已将这条建议交办市水务局办理" in page and "不计入承办部门的答复率" in page
        await site.sign_in_organiser()
        tracking = (await site.get("/organiser/opinions/tracking")).text
        assert tracking_line(tracking, "市水务局")[:5] == ["1", "0", "0", "0", "0.0%"]
        await site.sign_in(small_round.alice_code)
        assert DIRECT in (await site.get("/opinions/mine")).text


async def test_a_direct_answer_given_after_the_deadline_is_late(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        await collect_and_assign(site, "fgw")
        opinion = UUID(await site.reads.fetchval("SELECT opinion_id::text FROM opinions_view"))
        app.assign_opinions("r2026", [opinion], "fgw", [], ORGANISER, today=date(2025, 1, 6), working_days=5)
        site.sync()
        tracking = (await site.get("/organiser/opinions/tracking")).text
        assert tracking_line(tracking, "市发改委")[:4] == ["1", "0", "0", "1"] and SIGNED in tracking
        await answer_directly(site, suggestion, DIRECT)
        await site.sign_in_organiser()
        tracking = (await site.get("/organiser/opinions/tracking")).text
        assert tracking_line(tracking, "市发改委")[:5] == ["1", "1", "0", "1", "100.0%"], "answered, but late"
        assert "没有逾期的意见" in tracking, "the overdue list holds what is still unanswered"
        assert (await handling(site, "fgw"))["on_time"] == 0
        first = await site.reads.fetchrow(f"SELECT first_answered_on FROM ({ANSWERED_OPINIONS}) o")
        assert first["first_answered_on"] == round_today().isoformat()


async def test_an_answer_longer_than_the_form_allows_is_refused_and_the_form_says_the_limit(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        await answer_directly(site, suggestion, "答" * 5_001)
        page = (await site.get("/department/suggestions")).text
        assert "答复不能超过 5000 字" in page and 'maxlength="5000"' in page
        assert await site.reads.fetchval("SELECT count(answer) FROM suggestions_view") == 0
        lines = ("答" * 499 + "\r\n") * 10  # 4,999 characters as the form counts them, 5,008 as sent
        await answer_directly(site, suggestion, lines)
        assert await site.reads.fetchval("SELECT length(answer) FROM suggestions_view") == 5_008


def opinion_card(page: str, opinion: str) -> str:
    """The 意见办理 card of one opinion, as the department reads it."""
    card = re.search(
        rf'<article class="suggestion opinion-card" id="o-{opinion}">(.*?)</article>', page, re.S
    )
    assert card is not None, f"the page has the card of {opinion}"
    return card.group(1)


async def test_the_leads_opinion_card_shows_its_direct_answer_dated_and_asks_only_for_the_handling(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        opinion = await collect_and_assign(site, "fgw")
        await site.sign_in_department("fgw")
        before = opinion_card((await site.get("/department/opinions")).text, opinion)
        assert "已直接答复" not in before and "留名建议答复" not in before

        await answer_directly(site, suggestion, DIRECT)
        card = opinion_card((await site.get("/department/opinions")).text, opinion)
        assert "承办 · 期限" in card and "<strong>已直接答复</strong>" in card
        today = round_today().isoformat()
        assert (
            f'已在<a href="/department/suggestions">留名建议答复</a>中答复署名人（{today} 首次答复）' in card
        )
        assert f"<blockquote>{DIRECT}</blockquote>" in card
        assert "这条答复已送达署名人，已计入本部门的答复率" in card
        assert "下面的办理答复（答复、办理状态、措施和证明材料）经组织方审核后公开" in card
        assert f'action="/department/opinions/{opinion}/answer#problem-{opinion}"' in card, (
            "the state is still the opinion's own"
        )

        handled = {"text": "夜间窗口已开设", "measures": "增加两名工作人员", "state": "已办结"}
        await site.post(f"/department/opinions/{opinion}/answer", handled)
        card = opinion_card((await site.get("/department/opinions")).text, opinion)
        assert "本部门答复（已办结）：</strong>夜间窗口已开设" in card and DIRECT in card
        assert "<strong>已直接答复</strong>" not in card, "its own answer now says the state"
        assert "等待组织方审核" in card


async def test_a_direct_answer_is_not_shown_to_a_cooperating_department_nor_to_another_lead(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with signed_and_delivered(settings, app, small_round) as (site, suggestion):
        opinion = await collect_and_assign(site, "fgw")
        await site.post("/organiser/opinions/assign", {"ids": opinion, "lead": "fgw", "cooperating": "swj"})
        await answer_directly(site, suggestion, DIRECT)
        await site.sign_in_department("swj")
        card = opinion_card((await site.get("/department/opinions")).text, opinion)
        assert "协办 · 期限" in card and DIRECT not in card and "已直接答复" not in card

        await site.sign_in_organiser()
        await site.post("/organiser/opinions/assign", {"ids": opinion, "lead": "swj"})
        await site.sign_in_department("swj")
        card = opinion_card((await site.get("/department/opinions")).text, opinion)
        assert "承办 · 期限" in card, "swj leads it now"
        assert DIRECT not in card and "已直接答复" not in card, "fgw's direct answer does not answer for swj"
