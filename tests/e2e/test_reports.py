"""真实浏览器：部门上传带 PDF 附件的述职报告，组织方公开预读，市民代表在平板上阅读全文和附件（评分页面不受影响），
公开预读页面列出报告并可下载附件；手机、平板、大屏三种尺寸各一遍，页面不横向溢出，截图存档。"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.report_pdfs import small_pdf

pytest.importorskip("playwright.sync_api")

SCREENS = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}
TITLE = "市发改委2026年度述职报告"
FULL_TEXT = "一、项目建设\n全年新开工重大项目42个。\n二、营商环境\n审批时限压缩一半。"


def fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


class Person:
    """One browser context (one person's session) at the screen's size."""

    def __init__(self, browser: Any, site: Site, size: tuple[int, int], code: str) -> None:
        self.site, self.size = site, size
        self.context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, locale="zh-CN", accept_downloads=True
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{site.url}/login?code={format_code(code)}")

    def shot(self, page: Any, name: str) -> None:
        self.site.shot(page, f"reports-{name}-{self.size[0]}x{self.size[1]}")  # kept even if it fails below
        assert fits_the_width(page), f"{name} runs off the screen"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_report_goes_from_the_department_to_the_tablet_and_the_public_page(
    site: Site, browser: Any, tmp_path: Path, screen: str
) -> None:
    size, commands = SCREENS[screen], site.commands
    pdf = tmp_path / "发改委述职报告.pdf"
    pdf.write_bytes(small_pdf(TITLE.encode("ascii", "ignore").decode() or "report"))
    not_a_pdf = tmp_path / "改了扩展名.pdf"
    not_a_pdf.write_bytes(b"PK\x03\x04 this is a Word file")
    department_code = commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()

    department = Person(browser, site, size, department_code)
    page = department.page
    page.goto(f"{site.url}/department/report")
    page.get_by_label("报告标题").fill(TITLE)
    page.get_by_label("摘要").fill("项目为王，服务为先。")
    page.get_by_label("报告全文").fill(FULL_TEXT)
    page.get_by_label("附件（PDF").set_input_files(str(not_a_pdf))
    page.get_by_role("button", name="保存报告").click()
    page.get_by_text("不是 PDF 文件").wait_for()
    assert page.get_by_label("报告标题").input_value() == TITLE, "what was typed is kept"
    assert commands.report("r2026", "fgw") is None
    page.get_by_label("附件（PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="保存报告").click()
    page.get_by_text("述职报告已保存（第 1 稿）").wait_for()
    assert "发改委述职报告.pdf" in page.locator(".revisions").inner_text()
    department.shot(page, "department")

    site.sync()
    organiser = Person(browser, site, size, commands.keys.organiser_code("r2026"))
    page = organiser.page
    page.goto(f"{site.url}/organiser/reports")
    assert "已提交 1 / 4 个部门" in page.inner_text("main")
    page.get_by_role("button", name="公开述职报告供预读").click()
    page.get_by_text("已公开述职报告供市民预读").wait_for()
    assert "已公开：市民可在" in page.inner_text("main")
    organiser.shot(page, "organiser")
    site.sync()

    commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    representative = Person(browser, site, size, site.round.alice_code)
    tablet = representative.page
    tablet.wait_for_url(f"{site.url}/r")
    fgw = tablet.locator("#dept-fgw")
    fgw.locator("details.report summary").click()
    representative.shot(tablet, "tablet-agenda")
    with representative.context.expect_page() as opened:
        fgw.get_by_role("link", name="阅读报告全文与附件").click()
    reading = opened.value
    reading.wait_for_load_state()
    assert "全年新开工重大项目42个。" in reading.inner_text("main")
    attachment = reading.get_by_role("link", name="阅读附件（PDF）")
    href = attachment.get_attribute("href")
    answer = reading.request.get(f"{site.url}{href}")
    assert answer.status == 200 and answer.body() == pdf.read_bytes()
    assert answer.headers["content-type"] == "application/pdf"
    representative.shot(reading, "tablet-reading")
    reading.close()
    fgw.get_by_role("button", name="满意", exact=True).click()
    fgw.get_by_role("button", name="提交评分").click()
    tablet.wait_for_selector("#dept-fgw .outcome.sent")  # the ballot flow is untouched by the reading tab

    visitor = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="zh-CN", accept_downloads=True
    )
    public = visitor.new_page()
    public.goto(site.url)
    public.get_by_role("link", name="述职报告预读").click()
    public.wait_for_url(f"{site.url}/rounds/r2026/reports")
    assert TITLE in public.inner_text("main")
    public.get_by_text("阅读全文").click()
    assert "审批时限压缩一半。" in public.inner_text("main")
    with public.expect_download() as downloaded:
        public.get_by_role("link", name="下载附件（PDF）").click()
    download = downloaded.value
    assert download.suggested_filename == "发改委述职报告.pdf"
    assert Path(download.path()).read_bytes() == pdf.read_bytes()
    assert fits_the_width(public)
    site.shot(public, f"reports-public-{size[0]}x{size[1]}")

    for person in (department, organiser, representative):
        assert person.errors == []
        person.context.close()
    visitor.close()
