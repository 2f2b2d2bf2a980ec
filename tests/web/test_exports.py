"""意见汇总下载：Excel 读回、CSV（BOM、公式中和）、PDF（中文字体、部门名称、等次图）；只含本部门，无姓名（留名建议除外）、无会场。"""

from __future__ import annotations

import csv
import io
import subprocess
from uuid import uuid4

import openpyxl

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_organiser_helpers import (
    ARTIFACTS,
    COMMENTS,
    SCRIPT,
    cast_s1,
    publish,
    running_site,
    save_artifact,
)
from web.department.exports_tables import neutral

LEAKS = ("测试代表", "昆都仑区分会场", "主会场", "水务专属意见", "王建国", "停水补偿")
"""Representatives' names, venues, another department's comments and suggestion: never in fgw's exports."""


def prepare(app: EvaluationApp, small_round: SmallRound) -> None:
    cast_s1(app)
    cast_s1(app, "swj", ["水务专属意见"] * 6)
    app.sign_suggestion(small_round.alice, "fgw", uuid4().hex, f"建议增设夜间窗口 {SCRIPT}")
    app.sign_suggestion(small_round.bob, "swj", uuid4().hex, "水务局请答复停水补偿")
    publish(app)


async def test_the_excel_export_holds_the_department_s_rows_as_text(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        response = await site.get("/department/feedback.xlsx")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["意见汇总", "市民意见", "留名建议"]
    summary = [tuple(r) for r in book["意见汇总"].iter_rows(values_only=True)]
    assert ("部门", "市发改委") in summary and ("评议人数", "6") in summary
    assert ("满意", 2) in summary and ("不了解", 1) in summary
    comments = [tuple(r) for r in book["市民意见"].iter_rows(values_only=True)]
    assert comments[0] == ("主题", "条数", "意见（相同或相近的合并）", "等次分布（5 条及以上才列出）")
    assert len(comments) == 7
    assert sorted(row[2] for row in comments[1:]) == sorted(c.strip() for c in COMMENTS)
    assert all(row[1] == 1 and not row[3] for row in comments[1:])  # six groups of one: no levels
    formula = next(
        cell for row in book["市民意见"].iter_rows() for cell in row if str(cell.value).startswith("=")
    )
    assert formula.data_type == "s"  # stays text: Excel will not evaluate it
    signed = [tuple(r) for r in book["留名建议"].iter_rows(values_only=True)]
    assert signed == [("姓名", "建议", "答复"), ("李秀英", f"建议增设夜间窗口 {SCRIPT}", None)]
    everything = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    for leak in LEAKS:
        assert leak not in everything, leak


async def test_the_csv_export_has_a_bom_and_neutralised_formulas(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        response = await site.get("/department/feedback.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["部分", "项目", "内容", "数量", "等次分布", "权重", "答复"]
    assert ["概况", "部门", "市发改委", "", "", "", ""] in rows
    said = [r[2] for r in rows if r[0] == "市民意见"]
    assert '\'=HYPERLINK("http://evil.example","点我")' in said
    assert "'+1 供水管网改造要加快" in said and "'-2 停水通知要提前" in said and "'@SUM(A1:A9)" in said
    assert SCRIPT in said and "办事效率高，态度很好" in said
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert ["留名建议", "李秀英", f"建议增设夜间窗口 {SCRIPT}", "", "", "", ""] in rows
    for leak in LEAKS:
        assert leak not in text, leak


def test_every_formula_start_is_neutralised() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutral(f"{start}1+1") == f"'{start}1+1"
    assert neutral("普通意见 =1") == "普通意见 =1" and neutral(3) == 3


async def test_the_pdf_export_embeds_the_font_and_names_the_department(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")
        response = await site.get("/department/feedback.pdf")
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    path = save_artifact("feedback-fgw.pdf", response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "市发改委 市民意见汇总" in text and "2026年度三民活动" in text and "场次：第一场" in text
    assert "各等次票数" in text and "满意" in text and "2票" in text.replace(" ", "")
    assert SCRIPT in text and '=HYPERLINK("http://evil.example","点我")' in text
    assert "李秀英：建议增设夜间窗口" in text and "（尚未答复）" in text
    for leak in LEAKS:
        assert leak not in text, leak
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert " yes yes " in fonts
    stem = str(ARTIFACTS / "feedback-fgw-page1")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), stem], check=True
    )


async def test_a_department_downloads_only_its_own_summary_and_an_unknown_format_is_not_found(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    prepare(app, small_round)
    async with running_site(settings, app) as site:
        await site.sign_in_department("swj")
        text = (await site.get("/department/feedback.csv")).content.decode("utf-8-sig")
        assert (
            "市水务局" in text
            and "水务专属意见" in text
            and "市发改委" not in text
            and "HYPERLINK" not in text
        )
        assert (await site.get("/department/feedback.exe")).status_code == 404
        await site.sign_in_organiser()
        assert (await site.get("/department/feedback.csv")).status_code == 403
