"""活动设置只读 — a 监督员 who types a setup page's address, and anyone once the round's results are locked
(every change would be refused), reads the page (200) with a plain note and no form that posts: the four
活动设置 pages, the 议程 (its windows), the workbook's update and the 代为提交 page. The round's organiser
before the lock still has every form."""

from __future__ import annotations

import pytest

from tests.conftest import ORGANISER
from tests.web.conftest import Web
from tests.web.test_read_only_console import posting_forms, signed_in_as

SETUP = "/organiser/rounds/r2026/setup"
PAGES = {
    SETUP: "活动设置只能查看",
    f"{SETUP}/lists": "活动设置只能查看",
    f"{SETUP}/departments": "活动设置只能查看",
    f"{SETUP}/sittings": "活动设置只能查看",
    "/organiser": "",
    "/organiser/workbook": "不能用工作簿更新活动设置",
    "/organiser/reports/fgw": "",
}
"""Each page and what its read-only note says, for the two ways of reading it (the rest: ``SAYS``)."""
SAYS = {
    ("auditor", "/organiser"): "监督员在此查看",
    ("locked", "/organiser"): "评议结果已锁定",
    ("auditor", "/organiser/reports/fgw"): "您是监督员：述职报告只能查看",
    ("locked", "/organiser/reports/fgw"): "评议结果已锁定",
}


def read_as(web: Web, how: str) -> None:
    if how == "auditor":
        signed_in_as(web, "auditor")
    else:
        web.commands.lock_results(web.round.key, by=ORGANISER)
        web.sync()
        assert web.type_code(web.commands.keys.organiser_code(web.round.key)).status_code == 303


def test_the_organiser_before_the_lock_has_every_setup_form(web: Web) -> None:
    assert web.type_code(web.commands.keys.organiser_code(web.round.key)).status_code == 303
    for path in PAGES:
        page = web.get(path)
        assert page.status_code == 200 and posting_forms(page.text), path


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("how", ["auditor", "locked"])
def test_a_setup_page_read_by_an_auditor_or_after_the_lock_offers_no_form(
    web: Web, how: str, path: str
) -> None:
    read_as(web, how)
    page = web.get(path)
    assert page.status_code == 200
    assert posting_forms(page.text) == [], f"{how}: {path} offers a change"
    assert SAYS.get((how, path), PAGES[path]) in page.text
    if path.startswith(SETUP):
        assert "2026年度三民活动" in page.text  # the set-up is still read
