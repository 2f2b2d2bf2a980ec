"""部门首页的评议结果，手机（390×844）和投影（1920×1080）：各等次名称（「满意」两个字也一样）整行显示，不一字一行；
页面不横向滚动；结果旁边有一句加权说明（不被当作提示消息显示）。Screenshots: test-artifacts/screenshots/layout-{size}-department.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_layouts import Visits, axe, baotou_round

pytest.importorskip("playwright.sync_api")

__all__ = ["axe"]

LABELS_ON_MORE_THAN_ONE_LINE = """() => [...document.querySelectorAll('table.levels th')].filter(th => {
  const range = document.createRange();
  range.selectNodeContents(th);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1;
}).map(th => th.textContent.trim())"""


@pytest.mark.parametrize("size", ["phone", "projector"])
def test_the_department_s_grade_labels_stay_whole_and_the_weighting_is_said(
    site: Site, browser: Any, axe: str, size: str
) -> None:
    baotou_round(site.commands, "bt2026", publish=True)
    code = site.commands.issue_department_credential("bt2026", "fgw", by=ORGANISER)
    site.sync()
    visits = Visits(browser, site, size, axe)
    visits.sign_in(code)
    page = visits.visit("/department", "department")
    labels = page.locator("table.levels th").all_inner_texts()
    assert "满意" in labels and "比较满意" in labels
    assert page.evaluate(LABELS_ON_MORE_THAN_ONE_LINE) == []
    note = page.locator("p.weighting")
    assert note.is_visible() and "不是各档票数的简单比例" in note.inner_text()
    assert page.locator(".flash").count() == 0  # nothing else on the page reads the sentence as a message
    visits.close()
    assert visits.problems == [], "\n".join(visits.problems)
