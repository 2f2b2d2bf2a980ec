"""意见的去向，部门看得见：组织方把意见改派给别的部门后，原承办部门的「意见办理」里列出「已改派给××」（哪天、给谁）；
一条留名建议作为意见交办本部门、在「意见办理」中答复后，「留名建议答复」和意见汇总的下载都写明已在意见办理中答复（哪天）。"""

from __future__ import annotations

import csv
import io
from uuid import UUID, uuid4

from evaluation.application import EvaluationApp
from evaluation.opinion_handling import OpinionSource
from evaluation.round_day import round_today
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import query
from tests.web.test_opinion_evidence import assigned
from tests.web.test_opinion_pages import opinions
from tests.web.test_organiser_helpers import CHOICES, Site, publish, running_site

SIGNED = "建议发改委政务大厅增设夜间办事窗口"
ANSWER = {"text": "自下月起每周三开设夜间窗口", "measures": "调整排班", "state": "已办结"}


async def test_an_opinion_moved_to_another_department_is_listed_as_moved_with_where_it_went(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        slow = await assigned(site, app, small_round, cooperating="")
        await site.sign_in_department("fgw")
        page = (await site.get("/department/opinions")).text
        assert "已改派给其他部门" not in page and f'id="o-{slow}"' in page
        app.assign_opinions("r2026", [UUID(slow)], "swj", [], ORGANISER)
        site.sync()
        page = (await site.get("/department/opinions")).text
        assert f'id="o-{slow}"' not in page, "no longer an opinion to answer"
        moved = page[page.index("已改派给其他部门") :]
        assert f"{round_today().isoformat()} 已改派给市水务局：" in moved and "审批太慢" in moved
        await site.sign_in_department("swj")
        swj = (await site.get("/department/opinions")).text
        assert f'id="o-{slow}"' in swj and "已改派给其他部门" not in swj


def signed_suggestion_opinion(site: Site, app: EvaluationApp, small_round: SmallRound) -> str:
    """Six representatives of s1 score fgw, Alice signs a suggestion; the organiser collects it and assigns it
    to fgw. The opinion's id."""
    reps = [small_round.alice] + [
        app.register_representative("r2026", f"代表{i}", "resident", "kdl", "s1", by=ORGANISER)[0]
        for i in range(len(CHOICES) - 1)
    ]
    app.open_window("r2026", "fgw", by=ORGANISER)
    for rep, choice in zip(reps, CHOICES, strict=True):
        app.cast_ballot(rep, "fgw", uuid4().hex, choice)
    app.sign_suggestion(small_round.alice, "fgw", uuid4().hex, SIGNED)
    app.close_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    suggestion = str(app_suggestion(site))
    app.collect_opinions("r2026", [OpinionSource("suggestion", suggestion, "fgw", SIGNED)], ORGANISER)
    site.sync()
    opinion = opinions(site)[SIGNED]["opinion_id"]
    app.assign_opinions("r2026", [opinion], "fgw", [], ORGANISER)
    site.sync()
    return str(opinion)


def app_suggestion(site: Site) -> UUID:
    (row,) = query(site.settings, f"SELECT suggestion_id FROM {site.settings.schema}.suggestions_view")
    return UUID(str(row["suggestion_id"]))


async def test_a_signed_suggestion_answered_under_opinion_handling_says_so_on_its_page_and_in_the_download(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with running_site(settings, app) as site:
        opinion = signed_suggestion_opinion(site, app, small_round)
        await site.sign_in_department("fgw")
        data = {**ANSWER, "csrf": await site.csrf()}
        answered = await site.client.post(f"/department/opinions/{opinion}/answer", data=data, files={})
        assert answered.status_code == 303
        site.sync()
        today = round_today().isoformat()
        page = (await site.get("/department/suggestions")).text
        assert f"中答复（{today}，已办结）：</strong>{ANSWER['text']}" in page
        publish(app)
        site.sync()
        rows = list(
            csv.reader(io.StringIO((await site.get("/department/feedback.csv")).text.lstrip("\ufeff")))
        )
        signed = [r for r in rows if r[0] == "留名建议"]
        assert signed == [
            ["留名建议", "李秀英", SIGNED, "", "", "", f"已在意见办理中答复（{today}）：{ANSWER['text']}"]
        ]
