"""真实浏览器：从空数据库开始，平台管理员用首次启动时的登录码登录，只通过页面新建一个评议活动并逐项设置——四个
自定分值的评价等次、按票计分、去极值、代表类别及权重、部门组、会场、两个场次（议程用上移/下移按钮调整顺序）、部门；
然后下载该活动的工作簿，工作簿里正是页面上填写的内容。设置页面在手机、平板、投影三种屏幕上各截图一张，不横向溢出。
用已有的代码再新增代表类别被拒绝：提示就在新增表单旁，填写的内容仍在表单里，原有的类别不变（手机、平板上各截图一张）。"""

from __future__ import annotations

import io
from typing import Any

import pytest

from evaluation.application import EvaluationApp
from tests.e2e.conftest import (
    SCREENSHOTS,
    EmptySite,
    add,
    create_round,
    fill_levels,
    saved,
    sign_in_as_administrator,
)

pytest.importorskip("playwright.sync_api")
openpyxl = pytest.importorskip("openpyxl")

SIZES = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}
PAGES = {
    "评议表与计分": "instrument",
    "代表类别、部门组与会场": "lists",
    "被评议部门": "departments",
    "场次与议程": "sittings",
}


def fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def refused_duplicate_code(page: Any, size: str) -> None:
    """新增代表类别 with the code of 人大代表: refused beside the add form, with what was typed still in it, and
    人大代表 unchanged; what the organiser sees then is screenshot on a ``size`` screen."""
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    form = page.locator("#new-category")
    typed = {"代码": "npc", "名称": "重复代码的新类别", "权重": "0.5"}
    for label, value in typed.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="添加").click()
    page.wait_for_load_state()
    refusal = form.locator(".field-error")
    assert refusal.inner_text().startswith("代表类别代码「npc」已存在"), refusal.inner_text()
    assert page.locator(".field-error").count() == 1 and refusal.is_visible()
    assert {label: form.get_by_label(label, exact=True).input_value() for label in typed} == typed
    row = page.locator("#category-npc")
    assert [row.get_by_label(label, exact=True).input_value() for label in ("名称", "权重")] == [
        "人大代表",
        "3",
    ]
    assert fits_the_width(page), f"the refusal runs off a {size} screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"round-setup-duplicate-code-{width}x{height}.png"))


def test_the_administrator_sets_up_a_round_from_scratch_through_the_pages(
    empty_site: EmptySite, app: EvaluationApp, browser: Any
) -> None:
    code = app.first_administrator_code(by="sanmin run")  # what the first start prints
    assert code is not None
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_as_administrator(page, empty_site.url, code)

    create_round(page, "bt2027", "2027年度包头市三民活动", "2027")
    page.get_by_role("link", name="继续设置评议表、类别、部门和场次").click()
    page.wait_for_url(f"{empty_site.url}/organiser/rounds/bt2027/setup")

    # 评议表: four levels with other points and labels, per ballot, trim 1, at least 3 valid votes
    form = page.locator("#instrument form")
    fill_levels(
        form, [("很满意", "100", True), ("满意", "85", True), ("一般", "60", False), ("不满意", "20", False)]
    )
    form.locator("input[name=level_key_0]").fill("very")
    form.get_by_label("“不了解”选项名称").fill("不清楚")
    form.get_by_label("计分方式").select_option(label="按票")
    form.get_by_label("去掉最高最低分个数").fill("1")
    form.get_by_label("最少有效票数").fill("3")
    form.get_by_role("button", name="保存评议表").click()
    saved(page)

    page.get_by_role("link", name="代表类别、部门组与会场").click()
    add(page, "categories", 代码="npc", 名称="人大代表", 权重="3")
    add(page, "categories", 代码="resident", 名称="社区居民", 权重="1.5")
    for size in ("phone", "tablet"):
        refused_duplicate_code(page, size)
    page.set_viewport_size({"width": 1920, "height": 1080})
    add(page, "groups", 代码="econ", 名称="经济发展组")
    add(page, "groups", 代码="city", 名称="城市管理组")
    add(page, "venues", 代码="main", 名称="主会场")

    page.get_by_role("link", name="被评议部门").click()
    for key, name, short, group, head in [
        ("fgw", "市发展和改革委员会", "市发改委", "经济发展组", "张伟"),
        ("kjj", "市科学技术局", "市科技局", "经济发展组", "李娜"),
        ("swj", "市水务局", "", "城市管理组", "王强"),
        ("zjj", "市住房和城乡建设局", "市住建局", "城市管理组", ""),
    ]:
        add(page, "departments", 代码=key, 名称=name, 简称=short, 部门组=group, 负责人=head)

    page.get_by_role("link", name="场次与议程").click()
    for key, name, date, half in [
        ("s1", "第一场", "2027-03-15", "上午"),
        ("s2", "第二场", "2027-03-15", "下午"),
    ]:
        add(page, "new-sitting", 代码=key, 名称=name, 日期=date, 时段=half)
    for sitting, departments in [
        ("s1", ["市发展和改革委员会", "市科学技术局"]),
        ("s2", ["市水务局", "市住房和城乡建设局"]),
    ]:
        for name in departments:
            section = page.locator(f"#sitting-{sitting}")
            section.get_by_label("加入议程的部门").select_option(label=name)
            section.get_by_role("button", name="加入议程").click()
            saved(page)
    # report order: 市科技局 before 市发改委 (上移), 市住建局 before 市水务局 (下移)
    page.get_by_role("button", name="上移：市科学技术局").click()
    saved(page)
    page.get_by_role("button", name="下移：市水务局").click()
    saved(page)
    agenda = page.locator("#sitting-s1 ol.agenda .dept").all_inner_texts()
    assert agenda == ["市科学技术局", "市发展和改革委员会"]

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for link, shot in PAGES.items():
            page.locator("nav.subnav").get_by_role("link", name=link).click()
            page.wait_for_load_state()
            assert fits_the_width(page), f"{link} runs off a {name} screen"
            page.screenshot(
                path=str(SCREENSHOTS / f"round-setup-{shot}-{width}x{height}.png"), full_page=True
            )

    with page.expect_download() as download:
        page.locator("nav.subnav").get_by_role("link", name="下载活动工作簿").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    values = {row[0]: row[1] for row in sheets["活动"][1:]}
    assert values["活动代码"] == "bt2027" and values["活动名称"] == "2027年度包头市三民活动"
    assert str(values["年度"]) == "2027" and values["计分方式"] == "按票"
    assert str(values["去掉最高最低分个数"]) == "1" and str(values["最少有效票数"]) == "3"
    assert values["不了解选项名称"] == "不清楚"
    levels = [[str(c) for c in row[:4]] for row in sheets["评价等级"][1:]]
    assert levels == [
        ["very", "很满意", "100", "是"],
        ["fairly_satisfied", "满意", "85", "是"],  # the codes the default levels had are kept
        ["basically_satisfied", "一般", "60", "否"],
        ["dissatisfied", "不满意", "20", "否"],
    ]
    assert [[str(c) for c in row[:3]] for row in sheets["代表类别"][1:]] == [
        ["npc", "人大代表", "3"],
        ["resident", "社区居民", "1.5"],
    ]
    assert [row[:2] for row in sheets["部门组"][1:]] == [["econ", "经济发展组"], ["city", "城市管理组"]]
    assert [row[:2] for row in sheets["会场"][1:]] == [["main", "主会场"]]
    sittings = [[str(c) for c in row[:5]] for row in sheets["场次"][1:]]
    assert [s[0] for s in sittings] == ["s1", "s2"] and [s[3] for s in sittings] == ["上午", "下午"]
    assert [s[2][:10] for s in sittings] == ["2027-03-15", "2027-03-15"]
    assert [s[4].replace(",", "、") for s in sittings] == ["kjj、fgw", "zjj、swj"]
    departments = [[c or "" for c in row[:5]] for row in sheets["部门"][1:]]
    assert departments == [
        ["fgw", "市发展和改革委员会", "市发改委", "econ", "张伟"],
        ["kjj", "市科学技术局", "市科技局", "econ", "李娜"],
        ["swj", "市水务局", "市水务局", "city", "王强"],
        ["zjj", "市住房和城乡建设局", "市住建局", "city", ""],
    ]
    assert errors == []
    context.close()
