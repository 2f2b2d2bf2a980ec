"""监督员的控制台 — the auditor reads every page of the organiser's console and is offered nothing it cannot
do: no page it opens holds a form that posts (every such post is refused, tests/web/test_access_matrix.py),
and its menu links every console page it may read. Each staff role's menu is checked against the app's own
answers: a link for exactly the pages that open for it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from uuid import UUID, uuid4

from tests.conftest import ORGANISER
from tests.web.conftest import FORM_CSRF, Web
from web.organiser.menu import PAGES, Page

MENU = re.compile(r'<nav aria-label="组织方菜单">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


class Forms(HTMLParser):
    """Every <form>'s method and action, and every button's own formmethod / formaction."""

    def __init__(self) -> None:
        super().__init__()
        self.posting: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {name: (value or "") for name, value in attrs}
        if tag == "form" and given.get("method", "get").lower() == "post":
            self.posting.append(given.get("action", ""))
        if given.get("formmethod", "").lower() == "post":
            self.posting.append(given.get("formaction", ""))


def posting_forms(html: str) -> list[str]:
    """Where the page's forms post, but signing out (every staff page's 退出)."""
    forms = Forms()
    forms.feed(html)
    return [action for action in forms.posting if action != "/logout"]


def menu_links(html: str) -> set[str]:
    found = MENU.search(html)
    assert found is not None, "the console's menu"
    return {href for href in LINK.findall(found.group(1)) if href != "/staff/sessions"}


def a_round_under_way(web: Web) -> str:
    """fgw scored (its window closed: 「重新开始评分」), opinions collected, one answered and waiting for
    review, an online period set; the organiser's shared code did it. Returns a ballot's receipt."""
    commands, key = web.commands, web.round.key
    commands.open_window(key, "fgw", by=ORGANISER)
    receipt = commands.cast_ballot(web.round.alice, "fgw", uuid4().hex, "satisfied", comment="审批太慢").code
    commands.close_window(key, "fgw", by=ORGANISER)
    now = datetime.now(UTC)
    commands.set_online_period(key, now, now + timedelta(days=3), None, by=ORGANISER, reason="")
    web.sync()
    assert web.type_code(commands.keys.organiser_code(key)).status_code == 303
    post(web, "/organiser/opinions/collect", sitting="s1")
    opinion = web.client.get("/organiser/opinions").text.split('name="ids" value="', 1)[1].split('"', 1)[0]
    post(web, "/organiser/opinions/assign", ids=opinion, lead="fgw")
    commands.answer_opinion(key, UUID(opinion), "fgw", "已开通网上提交", "", "已办结", "department:fgw")
    web.sync()
    return receipt


def post(web: Web, path: str, **form: str) -> None:
    token = FORM_CSRF.search(web.get("/login").text)
    assert token is not None
    answer = web.client.post(path, data={"csrf": token.group(1), **form}, follow_redirects=False)
    assert answer.status_code == 303, (path, answer.text[:300])
    web.sync()


def signed_in_as(web: Web, role: str, **scope: str) -> None:
    _, code = web.commands.add_staff("钱伟", role, "operator:test", round_key=web.round.key, **scope)
    assert web.type_code(code).status_code == 303


def console_pages(web: Web, receipt: str) -> list[str]:
    """The pages an auditor reads: its menu's, and those they lead to."""
    menu = sorted(href for href in menu_links(web.get("/organiser").text) if not href.endswith(".xlsx"))
    more = ["/organiser/opinions/review", "/organiser/opinions/tracking", "/organiser/opinions/digest"]
    more += ["/organiser/opinions/assessment", "/organiser/years", "/organiser/reports/fgw"]
    return [*menu, *more, f"/organiser/ballots?receipt={receipt}"]


def path(page: Page) -> str:
    return page.path.replace("{round}", "r2026")


def test_no_page_the_auditor_reads_offers_a_change(web: Web) -> None:
    receipt = a_round_under_way(web)
    organiser_pages = {path: web.get(path).text for path in console_pages(web, receipt)}
    signed_in_as(web, "auditor")
    pages = console_pages(web, receipt)
    assert len(pages) >= 20
    for path in pages:
        page = web.get(path)
        assert page.status_code == 200, path
        assert posting_forms(page.text) == [], path
    for path in ("/organiser", "/organiser/representatives", "/organiser/cards", "/organiser/departments"):
        assert posting_forms(organiser_pages[path]), f"{path}: the organiser still has its forms"
    agenda = web.get("/organiser").text
    assert "重新开始评分" not in agenda and "已结束" in agenda and "1 / 2" in agenda  # read, not run
    assert "发卡并下载" not in web.get("/organiser/cards").text


def test_the_auditor_s_every_change_is_still_refused(web: Web) -> None:
    signed_in_as(web, "auditor")
    token = FORM_CSRF.search(web.get("/login").text)
    assert token is not None
    for path in (
        "/organiser/windows/fgw/open",
        f"/organiser/representatives/{web.round.bob}/check-in",
        "/organiser/cards.pdf?sitting=s1",
        "/organiser/departments/fgw/credential",
    ):
        refused = web.client.post(path, data={"csrf": token.group(1)}, follow_redirects=False)
        assert refused.status_code == 403 and "监督员只能查看，不能修改" in refused.text, path
    assert web.commands.window(web.round.key, "fgw") is None


def test_the_auditor_s_menu_links_every_console_page_it_may_read(web: Web) -> None:
    signed_in_as(web, "auditor")
    links = menu_links(web.get("/organiser").text)
    readable = {path(p) for p in PAGES if web.get(path(p)).status_code == 200}
    named = {"代表名单", "评议卡", "作废评议票", "部门登录码", "意见分拣", "其他得分", "网络评议", "历史记录"}
    shown = {p.label for p in PAGES if path(p) in links}
    assert named <= shown
    assert links == readable - {path(p) for p in PAGES if p.method == "POST"}
    assert "/organiser/trail.xlsx" in links and "/organiser/workbook" not in links  # nothing to change there


def test_each_staff_role_s_menu_links_exactly_the_pages_that_open_for_it(web: Web) -> None:
    for role, scope in (("organiser", {}), ("checkin", {"venue": "kdl"}), ("results_officer", {})):
        signed_in_as(web, role, **scope)
        home = "/organiser/representatives" if role == "checkin" else "/organiser/results"
        links = menu_links(web.get(home).text)
        for page in PAGES:
            opens = web.get(path(page)).status_code == 200
            assert (path(page) in links) == opens, (role, page.path)
