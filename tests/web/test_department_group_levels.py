"""部门意见汇总：一条独有的意见不带等次（少于 5 条的合并意见不列等次分布），页面、Excel、PDF、CSV 都一样；
下载文件带上本部门的评议结果（与页面同样的名次、得分、满意率、有效票）和加权说明；CSV 的关键词权重有自己的列。

The leak: a representative writes a sentence nobody else wrote in the anonymous comment box, and much the
same words in a signed suggestion, which the department reads by name. Shown with 「（不满意 1）」 beside it,
their anonymous comment gives away their grade."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from uuid import uuid4

import openpyxl

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_organiser_helpers import cast_s1, publish, running_site, save_artifact

SAID_BY_FIVE = "窗口排队太久了，希望多开几个窗口"
UNIQUE = "有些数字老百姓感受不到！"
COMMENTS = [SAID_BY_FIVE] * 4 + [UNIQUE, SAID_BY_FIVE]
"""With cast_s1's choices: the five say 满意 2、比较满意 1、基本满意 1、不了解 1; the unique one is 不满意."""
ITS_GRADE = "不满意"


def prepare(app: EvaluationApp, small_round: SmallRound) -> None:
    cast_s1(app, "fgw", COMMENTS)
    app.sign_suggestion(small_round.alice, "fgw", uuid4().hex, "有些数字老百姓感受不到，请讲讲实事")
    publish(app)


async def test_a_comment_nobody_else_wrote_is_shown_without_its_grade_on_the_page_and_in_every_file(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department")).text
        files = {
            kind: (await site.get(f"/department/feedback.{kind}")).content for kind in ("xlsx", "csv", "pdf")
        }

    items = re.findall(r"<li>.*?</li>", page, re.S)
    alone = next(li for li in items if UNIQUE in li)
    five = next(li for li in items if SAID_BY_FIVE in li)
    assert ITS_GRADE not in alone and 'class="levels"' not in alone
    assert "满意 2、" in five  # a group of 5 keeps its levels

    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    rows = {row[2]: row for row in book["市民意见"].iter_rows(values_only=True)}
    assert rows[UNIQUE][1] == 1 and not rows[UNIQUE][3]
    assert rows[SAID_BY_FIVE][1] == 5 and "满意 2" in rows[SAID_BY_FIVE][3]

    text = subprocess.run(
        ["pdftotext", str(save_artifact("feedback-alone.pdf", files["pdf"])), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    compact = re.sub(r"\s+", "", text)
    assert (
        f"【1条】{UNIQUE}" in compact and f"{UNIQUE}（" not in compact and f"（{ITS_GRADE}1）" not in compact
    )
    assert f"【5条】{SAID_BY_FIVE}（满意2、" in compact

    table = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    by_text = {row[2]: row for row in table if row[0] == "市民意见"}
    assert by_text[UNIQUE][4] == "" and by_text[SAID_BY_FIVE][4].startswith("满意 2、")


async def test_the_downloads_carry_the_result_the_page_shows_and_why_the_rate_is_weighted(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        page = (await site.get("/department")).text
        files = {
            kind: (await site.get(f"/department/feedback.{kind}")).content for kind in ("xlsx", "csv", "pdf")
        }

    shown = dict(re.findall(r"<tr><th>([^<]+)</th><td>([^<]*)</td></tr>", page))
    assert shown["组内名次"].startswith("第 ") and "个部门）" in shown["组内名次"]
    assert shown["满意率"].endswith("%") and "有效票 / 弃权（不了解）" in shown
    assert "得分和满意率按代表类别加权计算" in page and "不是各档票数的简单比例" in page

    table = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert table[0] == ["部分", "项目", "内容", "数量", "等次分布", "权重", "答复"]
    result = {row[1]: row[2] for row in table if row[0] == "评议结果"}
    for item in ("组内名次", "得分", "满意率", "有效票 / 弃权（不了解）"):
        assert result[item] == shown[item], item
    assert "不是各档票数的简单比例" in result["说明"]
    keywords = [row for row in table if row[0] == "关键词"]
    assert keywords and all(row[3] == "" and float(row[5]) > 0 for row in keywords)

    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    first = {row[0]: row[1] for row in book["意见汇总"].iter_rows(values_only=True) if row and row[0]}
    assert all(first[item] == shown[item] for item in ("组内名次", "得分", "满意率")) and "说明" in first

    path = save_artifact("feedback-result.pdf", files["pdf"])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = re.sub(r"\s+", "", text)
    for item in ("组内名次", "得分", "满意率"):
        assert re.sub(r"\s+", "", f"{item}：{shown[item]}") in compact, item
    assert "不是各档票数的简单比例" in compact
