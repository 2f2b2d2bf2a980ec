"""网络评议's public page and API through the real app: an invitation link signs its holder in, and in again
during the period as the same identity, a volunteer verifies a phone by the code the SMS outbox received,
ballots follow the tablet's contract (a resend counts once, an amendment replaces), and the attacks fail: a
reopened link adds no ballot, a second ballot from the same phone, a replayed client id, a ballot outside the
period, a link after it, a session of another round, floods."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import query
from tests.web.conftest import FORM_CSRF, META_CSRF, Web, running
from web.platform.sms import FileOutbox

NOW = datetime.now(UTC)


@pytest.fixture
def online(app: EvaluationApp, small_round: SmallRound) -> None:
    app.set_online_period(
        small_round.key, NOW - timedelta(days=1), NOW + timedelta(days=7), None, ORGANISER, ""
    )
    app.submit_report(small_round.key, "fgw", "发改委述职报告", "全年完成投资 120 亿元", "全文", by=ORGANISER)


@pytest.fixture
def site(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, online: object, tmp_path: Path
) -> Iterator[Web]:
    for web in running(settings, app, small_round):
        web.client.app.state.sms = FileOutbox(tmp_path / "sms.jsonl")  # type: ignore[attr-defined]
        yield web


def page(web: Web) -> httpx.Response:
    return web.get("/online/r2026")


def form_token(web: Web) -> str:
    found = FORM_CSRF.search(page(web).text)
    assert found is not None
    return found.group(1)


def follow_link(web: Web, code: str) -> httpx.Response:
    """What the invitation link's page does: POST the code from the fragment with the page's token."""
    return web.client.post(
        "/online/r2026/invitation", data={"code": code, "csrf": form_token(web)}, follow_redirects=False
    )


def volunteer(web: Web, phone: str) -> httpx.Response:
    web.client.post(
        "/online/r2026/phone", data={"phone": phone, "csrf": form_token(web)}, follow_redirects=False
    )
    outbox = web.client.app.state.sms  # type: ignore[attr-defined]
    code = outbox.last_code(phone)
    assert code is not None
    return web.client.post(
        "/online/r2026/phone/verify", data={"code": code, "csrf": form_token(web)}, follow_redirects=False
    )


def score(web: Web, department: str, choice: str, client_id: str | None = None) -> httpx.Response:
    token = META_CSRF.search(page(web).text)
    assert token is not None, "the page hands its script the session's CSRF token"
    body = {"department": department, "client_id": client_id or uuid4().hex, "choice": choice}
    return web.client.post("/api/online/r2026/ballots", json=body, headers={"X-CSRF-Token": token.group(1)})


def test_everyone_sees_the_departments_reports_and_period_but_no_form(site: Web) -> None:
    answer = page(site)
    assert answer.status_code == 200
    assert (
        "发改委述职报告" in answer.text
        and "全年完成投资 120 亿元" in answer.text
        and "网络评议 · 进行中" in answer.text
    )
    assert 'class="ballot"' not in answer.text and "获取验证码" in answer.text


def test_an_invitation_link_signs_its_holder_in_and_they_score_and_amend(
    site: Web, settings: Settings
) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    assert follow_link(site, code).headers["location"] == "/online/r2026"
    assert 'class="ballot"' in page(site).text
    first = score(site, "fgw", "satisfied", client_id="phone-client-1")
    again = score(site, "fgw", "satisfied", client_id="phone-client-1")
    assert (
        first.status_code == 200
        and again.json()["resent"]
        and again.json()["receipt"] == first.json()["receipt"]
    )
    amended = score(site, "fgw", "dissatisfied")
    assert amended.status_code == 200 and not amended.json()["resent"]
    replayed = score(
        site, "fgw", "basically_satisfied", client_id="phone-client-1"
    )  # an old request replayed
    assert replayed.json()["resent"] and replayed.json()["receipt"] == first.json()["receipt"]
    site.sync()
    rows = query(settings, "SELECT choice FROM online_ballots_view")
    assert rows == [{"choice": "dissatisfied"}]  # the replay changed nothing: the amendment still counts


def test_reopening_the_link_after_the_session_is_gone_signs_the_same_citizen_in_and_replaces_their_ballot(
    site: Web, settings: Settings
) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(site, code)
    assert score(site, "fgw", "satisfied").status_code == 200
    site.client.post("/logout", data={"csrf": form_token(site)}, follow_redirects=False)  # 退出
    assert 'class="ballot"' not in page(site).text and score_without_session(site).status_code == 401
    site.client.cookies.clear()  # and then another browser: the session is gone either way
    again = follow_link(site, code)
    assert again.headers["location"] == "/online/r2026" and "已登录" in page(site).text
    assert 'class="ballot"' in page(site).text
    assert score(site, "fgw", "dissatisfied").status_code == 200
    site.sync()
    assert query(settings, "SELECT choice FROM online_ballots_view") == [{"choice": "dissatisfied"}], (
        "one citizen, one ballot: the later one replaces the earlier"
    )
    assert query(settings, "SELECT redeemed FROM online_channels_view") == [{"redeemed": 1}]
    result = query(settings, "SELECT returned FROM online_results_view WHERE department = 'fgw'")
    assert result == [{"returned": 1}], "the tally counts the citizen once"


def test_after_the_period_the_link_signs_nobody_in(site: Web) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(site, code)
    site.commands.set_online_period(
        "r2026", NOW - timedelta(days=3), NOW - timedelta(days=1), None, by=ORGANISER, reason="提前结束"
    )
    site.sync()
    site.client.cookies.clear()
    late = follow_link_after_the_period(site, code)
    assert late.status_code == 303 and "网络评议已经结束" in page(site).text
    assert 'data-signed-in="no"' in page(site).text


def follow_link_after_the_period(web: Web, code: str) -> httpx.Response:
    """The page has no sign-in form once the period is over; a script POSTing the code anyway."""
    token = META_CSRF.search(page(web).text) or FORM_CSRF.search(web.get("/login").text)
    assert token is not None
    return web.client.post(
        "/online/r2026/invitation", data={"code": code, "csrf": token.group(1)}, follow_redirects=False
    )


def test_a_volunteer_verifies_a_phone_and_another_browser_cannot_get_a_second_ballot_with_it(
    site: Web,
) -> None:
    assert volunteer(site, "13900000031").headers["location"] == "/online/r2026"
    assert score(site, "swj", "satisfied").status_code == 200
    site.client.cookies.clear()  # another browser, the same phone, at once
    site.client.post(
        "/online/r2026/phone",
        data={"phone": "139 0000 0031", "csrf": form_token(site)},
        follow_redirects=False,
    )
    assert "秒后再试" in page(site).text and 'class="ballot"' not in page(site).text
    # later, the same phone verified again reaches the same ballot (evaluation: one per phone and department,
    # tests/integration/test_online_ballots.py::test_a_second_verification_of_the_same_phone_reaches_the_same_ballot)


def test_a_wrong_sms_code_signs_nobody_in(site: Web) -> None:
    site.client.post(
        "/online/r2026/phone", data={"phone": "13900000032", "csrf": form_token(site)}, follow_redirects=False
    )
    wrong = site.client.post(
        "/online/r2026/phone/verify",
        data={"code": "000000x", "csrf": form_token(site)},
        follow_redirects=False,
    )
    assert wrong.status_code == 303 and "验证码不正确" in page(site).text
    assert score_without_session(site).status_code == 401


def score_without_session(web: Web) -> httpx.Response:
    body = {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}
    return web.client.post("/api/online/r2026/ballots", json=body, headers={"X-CSRF-Token": form_token(web)})


def test_a_ballot_outside_the_period_is_refused(site: Web) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(site, code)
    site.commands.set_online_period(
        "r2026", NOW - timedelta(days=3), NOW - timedelta(days=1), None, by=ORGANISER, reason="提前结束"
    )
    site.sync()
    assert "网络评议 · 已结束" in page(site).text and 'class="ballot"' not in page(site).text
    answer = score(site, "fgw", "satisfied")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "online_closed"


def test_a_session_of_another_round_or_a_representative_cannot_cast_online(site: Web) -> None:
    assert site.scan(site.round.alice_code).status_code == 303
    assert score_from_tablet_token(site).status_code == 403


def score_from_tablet_token(web: Web) -> httpx.Response:
    body = {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}
    return web.client.post("/api/online/r2026/ballots", json=body, headers={"X-CSRF-Token": web.page_token()})


def test_a_flood_of_ballots_from_one_identity_is_paced(site: Web) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(site, code)
    answers = [score(site, "fgw", "satisfied").status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def test_bad_input_is_a_clear_refusal(site: Web) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(site, code)
    bad = score(site, "fgw", "excellent")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_choice"
    assert score(site, "fgw", "satisfied", client_id="x").json()["error"]["code"] == "invalid_input"
    assert site.get("/online/nope").status_code == 404
    site.client.post(
        "/online/r2026/phone", data={"phone": "12345", "csrf": form_token(site)}, follow_redirects=False
    )
    assert "11 位手机号码" in page(site).text
