"""部门意见汇总（门户与下载）按合并主题显示：重复的句子合为一条并计数，组织方的合并、主题、非意见与脱敏优先；
不足 5 人仍不显示。"""

from __future__ import annotations

import csv
import io

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_opinion_pages import opinions
from tests.web.test_organiser_helpers import cast_s1, publish, running_site

SAID = [
    "路灯坏了没人修",
    "路灯坏了没人修",
    "路灯坏了没人修！",
    "晚上路灯不亮",
    "全是脏话",
    "我叫张伟，窗口排队太久",
]


async def test_the_department_sees_themes_of_merged_comments_with_counts_not_repeated_lines(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    cast_s1(app, "fgw", SAID)
    publish(app)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        before = (await site.get("/department")).text
        assert (
            before.count("路灯坏了没人修") == 1 and '3 条</span> <span class="said">路灯坏了没人修' in before
        )
        assert "张伟" not in before and "我叫［姓名］，窗口排队太久" in before, "masked before any triage"

        await site.sign_in_organiser()
        await site.post("/organiser/opinions/collect", {"sitting": "s1"})
        found = opinions(site)
        ids = {text: str(row["opinion_id"]) for text, row in found.items()}
        lights = ",".join(ids[t] for t in ("路灯坏了没人修！", "晚上路灯不亮"))
        await site.post("/organiser/opinions/merge", {"ids": lights, "theme": "夜间照明"})
        await site.post("/organiser/opinions/set-aside", {"ids": ids["全是脏话"], "reason": "辱骂"})

        await site.sign_in_department("fgw")
        after = (await site.get("/department")).text
        assert "夜间照明 <span" in after and '2 条</span> <span class="said">晚上路灯不亮' in after
        assert "全是脏话" not in after and "另有 1 条经组织方认定为非意见" in after
        assert "市民意见（匿名，共 5 条，按主题合并）" in after
        response = await site.get("/department/feedback.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    said = {(r[1], r[2], r[3]) for r in rows if r[0] == "市民意见"}
    assert ("夜间照明", "晚上路灯不亮", "2") in said
    assert not any("全是脏话" in cell or "张伟" in cell for row in rows for cell in row)
