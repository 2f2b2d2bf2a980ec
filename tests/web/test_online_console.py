"""网络评议 on the organiser's console: the period set with a reason for a change, invitations downloaded as the
bulk-SMS CSV, the sample size and response rate, online results sealed until the period ends and hidden
below 5 ballots, the unusual-patterns report with a batch voided, and the result entered into the composite."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from evaluation.online import OnlineCast
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import query
from tests.web.conftest import FORM_CSRF, META_CSRF, Web, running

NOW = datetime.now(UTC)


@pytest.fixture
def console(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    for web in running(settings, app, small_round):
        assert web.type_code(app.keys.organiser_code(small_round.key)).status_code == 303
        yield web


def token(web: Web) -> str:
    found = FORM_CSRF.search(web.get("/organiser/online").text)
    assert found is not None
    return found.group(1)


def china(moment: datetime) -> str:
    """As the datetime-local field takes it: Beijing time."""
    return moment.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")


def set_period(web: Web, opens: datetime, closes: datetime, reason: str = "") -> None:
    form = {"csrf": token(web), "opens": china(opens), "closes": china(closes), "reason": reason}
    form |= {"invitations": "on", "volunteers": "on"}
    assert web.client.post("/organiser/online/period", data=form, follow_redirects=False).status_code == 303
    web.sync()


def test_the_organiser_sets_the_period_and_downloads_invitations_whose_response_is_counted(
    console: Web,
) -> None:
    assert "尚未设置网络评议期" in console.get("/organiser/online").text
    set_period(console, NOW - timedelta(hours=1), NOW + timedelta(days=3))
    answer = console.client.post("/organiser/online/invitations", data={"csrf": token(console), "count": "4"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and all("/online/r2026#code=" in r["邀请链接"] for r in rows)
    code = rows[0]["邀请链接"].split("#code=")[1]
    console.commands.redeem_invitation("r2026", code, NOW)
    console.sync()
    page = console.get("/organiser/online").text
    assert "进行中" in page and ">4<" in page and "1（25.0%）" in page


def test_changing_the_period_needs_a_reason(console: Web) -> None:
    set_period(console, NOW - timedelta(hours=1), NOW + timedelta(days=3))
    set_period(console, NOW - timedelta(hours=1), NOW + timedelta(days=5))
    assert "请填写原因" in console.get("/organiser/online").text


def cast_online(app: EvaluationApp, n: int, department: str = "fgw", when: datetime = NOW) -> None:
    for code in app.invite_online("r2026", n, by=ORGANISER):
        who = app.redeem_invitation("r2026", code, when)
        app.cast_online_ballot(OnlineCast("r2026", who, department, uuid4().hex, "fairly_satisfied"), when)


def test_results_are_sealed_until_the_end_and_enter_the_composite_with_their_weight(console: Web) -> None:
    app = console.commands
    set_period(console, NOW - timedelta(hours=2), NOW + timedelta(days=3))
    cast_online(app, 5)
    cast_online(app, 2, "swj")
    console.sync()
    assert "评议期结束后显示" in console.get("/organiser/online").text
    form = {"csrf": token(console), "weight": "20", "reason": ""}
    console.client.post("/organiser/online/component", data=form, follow_redirects=False)
    assert "结束后才能计入" in console.get("/organiser/online").text
    app.set_online_period(
        "r2026", NOW - timedelta(hours=2), NOW - timedelta(minutes=1), None, ORGANISER, "截止"
    )
    console.sync()
    page = console.get("/organiser/online").text
    assert "80.000" in page and "不足 5 票，不公布" in page
    console.client.post("/organiser/online/component", data={**form, "csrf": token(console), "weight": "25"})
    console.sync()
    assert (
        'name="weight" required inputmode="decimal" maxlength="8" value="25"'
        in console.get("/organiser/online").text
    )
    composite = console.get("/organiser/components").text
    assert "网络评议" in composite and "25%" in composite and "75%" in composite
    app.lock_results("r2026", by=ORGANISER)
    app.publish_results("r2026", by=ORGANISER)
    department_code = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    console.sync()
    assert console.type_code(department_code).status_code == 303
    portal = console.get("/department").text
    assert "<th>网络评议</th><td>80.000</td>" in portal  # the published page shows the online part


def test_an_unusual_batch_of_sign_ins_from_one_address_is_reported_and_voided(
    console: Web, settings: Settings
) -> None:
    app = console.commands
    set_period(console, NOW - timedelta(hours=2), NOW + timedelta(days=3))
    citizen = console.client
    codes = app.invite_online("r2026", 27, by=ORGANISER)
    organiser_cookie = citizen.cookies.get("sanmin")
    for code in codes:
        citizen.cookies.clear()
        page = citizen.get("/online/r2026").text
        found = FORM_CSRF.search(page)
        assert found is not None
        citizen.post(
            "/online/r2026/invitation", data={"code": code, "csrf": found.group(1)}, follow_redirects=False
        )
        ballot = {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}
        meta = META_CSRF.search(citizen.get("/online/r2026").text)
        assert meta is not None
        citizen.post("/api/online/r2026/ballots", json=ballot, headers={"X-CSRF-Token": meta.group(1)})
    # the 27 ballots left one count for the address, in steps of ten, no row each (and none with an identity)
    assert query(settings, "SELECT address, ballots FROM web_online_ballot_counts") == [
        {"address": "testclient", "ballots": 20}
    ]
    assert query(settings, "SELECT count(*) AS n FROM web_online_activity WHERE kind = 'ballot'") == [
        {"n": 0}
    ]
    citizen.cookies.clear()
    assert organiser_cookie is not None
    citizen.cookies.set("sanmin", organiser_cookie)
    page = console.get("/organiser/online").text
    assert "地址 testclient（登录）" in page and "作废这一批" in page and "地址 testclient（评分）" in page
    form_html = page.split('action="/organiser/online/void"')[1].split("</form>")[0]
    batch = [part.split('"')[0] for part in form_html.split('name="identity" value="')[1:]]
    assert len(batch) == 27
    answer = citizen.post(
        "/organiser/online/void",
        data={"csrf": token(console), "identity": batch, "reason": "同一地址 10 分钟内 27 次登录"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "已取消 27 名网络评议者的资格" in console.get("/organiser/online").text


def test_online_comments_enter_the_opinion_inbox_as_online_opinions(console: Web, settings: Settings) -> None:
    app = console.commands
    set_period(console, NOW - timedelta(hours=2), NOW + timedelta(days=3))
    [code] = app.invite_online("r2026", 1, by=ORGANISER)
    who = app.redeem_invitation("r2026", code, NOW)
    app.cast_online_ballot(
        OnlineCast("r2026", who, "fgw", uuid4().hex, "satisfied", comment="网上办事很方便"), NOW
    )
    console.sync()
    found = FORM_CSRF.search(console.get("/organiser/opinions").text)
    assert found is not None
    console.client.post("/organiser/opinions/collect", data={"csrf": found.group(1), "sitting": ""})
    console.sync()
    rows = query(settings, "SELECT source, text FROM opinions_view")
    assert rows == [{"source": "online", "text": "网上办事很方便"}]


def collect_all(web: Web) -> str:
    """收集意见 from every sitting; the triage page afterwards."""
    found = FORM_CSRF.search(web.get("/organiser/opinions").text)
    assert found is not None
    form = {"csrf": found.group(1), "sitting": ""}
    collected = web.client.post("/organiser/opinions/collect", data=form, follow_redirects=False)
    assert collected.status_code == 303
    web.sync()
    return web.get("/organiser/opinions").text


def test_online_comments_collected_after_the_halls_appear_once(console: Web, settings: Settings) -> None:
    app = console.commands
    console.open("fgw")
    assert console.cast("fgw", token=console.as_alice(), comment="审批太慢").status_code == 200
    app.close_window("r2026", "fgw", by=ORGANISER)
    assert console.type_code(app.keys.organiser_code("r2026")).status_code == 303
    assert "已收集 1 条新意见" in collect_all(console)

    set_period(console, NOW - timedelta(hours=2), NOW + timedelta(days=3))
    comments = ["网上办事很方便", "希望夜间也能办"]
    for code, comment in zip(app.invite_online("r2026", 2, by=ORGANISER), comments, strict=True):
        who = app.redeem_invitation("r2026", code, NOW)
        ballot = OnlineCast("r2026", who, "fgw", uuid4().hex, "satisfied", comment=comment)
        app.cast_online_ballot(ballot, NOW)
    console.sync()
    page = collect_all(console)
    assert "已收集 2 条新意见（共读取 3 条" in page and "共 3 条意见" in page
    assert "网上办事很方便" in page and "希望夜间也能办" in page
    rows = query(settings, "SELECT source, text FROM opinions_view ORDER BY source, text")
    assert [(r["source"], r["text"]) for r in rows] == [
        ("comment", "审批太慢"),
        ("online", "希望夜间也能办"),
        ("online", "网上办事很方便"),
    ]
    assert len(query(settings, "SELECT 1 FROM history_view WHERE kind = 'Opinion.Collected'")) == 3
    assert "已收集 0 条新意见（共读取 3 条" in collect_all(console)


def test_activity_older_than_sixty_days_is_forgotten_when_the_next_sign_in_is_recorded(
    console: Web, settings: Settings
) -> None:
    set_period(console, NOW - timedelta(hours=2), NOW + timedelta(days=3))
    (code,) = console.commands.invite_online("r2026", 1, by=ORGANISER)
    assert console.get("/organiser/online").status_code == 200  # the report makes the tables
    query(
        settings,
        "INSERT INTO web_online_activity (at, round_key, kind, address, phone_prefix, identity) "
        "VALUES (now() - interval '61 days', 'r2026', 'invitation', 'old', '', 'inv:old') RETURNING 1",
    )
    query(
        settings,
        "INSERT INTO web_online_ballot_counts (round_key, address, window_start, ballots) "
        "VALUES ('r2026', 'old', now() - interval '61 days', 12) RETURNING 1",
    )
    citizen = console.client
    citizen.cookies.clear()
    found = FORM_CSRF.search(citizen.get("/online/r2026").text)
    assert found is not None
    citizen.post(
        "/online/r2026/invitation", data={"code": code, "csrf": found.group(1)}, follow_redirects=False
    )
    assert query(settings, "SELECT address FROM web_online_activity") == [{"address": "testclient"}]
    assert query(settings, "SELECT count(*) AS n FROM web_online_ballot_counts") == [{"n": 0}]
