"""补卡之后 — whoever found Alice's lost card signed in with it; she reports the loss and gets a new card
(or the card is revoked). The finder keeps the session cookie and replays it: every representative
request is refused, the ballot and the signed suggestion included, and the domain's cast itself refuses
a credential serial that is not the current one.
"""

from __future__ import annotations

import base64
from uuid import uuid4

import httpx
import pytest
from eventsourcing.persistence import Notification

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot, ballot_id
from evaluation.errors import CredentialRevoked
from evaluation.suggestion import Suggestion
from tests.conftest import ORGANISER
from tests.web.conftest import Web

REFUSED = "credential_revoked"


def finders_session(web: Web) -> tuple[str, str]:
    """The finder scans Alice's card: the cookie and CSRF token they keep."""
    token = web.as_alice()
    cookie = web.client.cookies.get("sanmin")
    assert cookie is not None
    return cookie, token


def replay(web: Web, cookie: str) -> None:
    web.client.cookies.clear()
    web.client.cookies.set("sanmin", cookie)


def every_representative_request(web: Web, cookie: str, token: str) -> dict[str, httpx.Response]:
    """The finder's replayed cookie on each representative route (the cookie set again before each)."""
    asked: dict[str, httpx.Response] = {}
    replay(web, cookie)
    asked["POST /api/ballots"] = web.cast("fgw", "dissatisfied", token=token)
    replay(web, cookie)
    asked["POST /api/suggestions"] = web.client.post(
        "/api/suggestions",
        json={"department": "fgw", "client_id": uuid4().hex, "text": "冒名的建议"},
        headers={"X-CSRF-Token": token},
    )
    replay(web, cookie)
    asked["GET /api/state"] = web.get("/api/state")
    replay(web, cookie)
    asked["GET /r"] = web.get("/r")
    replay(web, cookie)
    with web.client.stream("GET", "/r/events", follow_redirects=False) as stream:
        asked["GET /r/events"] = stream
    return asked


def notifications(app: EvaluationApp) -> list[Notification]:
    return list(app.recorder.select_notifications(start=1, limit=10_000))


def assert_all_refused(asked: dict[str, httpx.Response]) -> None:
    for what, answer in asked.items():
        assert answer.status_code == 403, f"{what}: {answer.status_code}"
        if what.split(" ")[1].startswith("/api"):
            assert answer.json()["error"]["code"] == REFUSED, what
        # the refusal ends the session in the browser too: a cookie signed in as nobody replaces it
        ended = answer.headers.get("set-cookie", "")
        assert ended.startswith("sanmin=") and "representative" not in signed_payload(ended), what


def signed_payload(set_cookie: str) -> str:
    value = set_cookie.split(";")[0].removeprefix("sanmin=")
    return "" if value == "null" else base64.b64decode(value.split(".")[0]).decode()


def test_the_finder_s_session_works_until_the_card_is_replaced(web: Web) -> None:
    web.open("fgw")
    cookie, token = finders_session(web)
    replay(web, cookie)
    assert web.cast("fgw", "satisfied", token=token).status_code == 200


@pytest.mark.parametrize("loss", ["reissued", "revoked"])
def test_a_replaced_or_revoked_card_s_session_is_refused_on_every_representative_request(
    web: Web, loss: str
) -> None:
    web.open("fgw")
    cookie, token = finders_session(web)
    if loss == "reissued":
        new_code = web.commands.reissue_credential(web.round.alice, by=ORGANISER)
    else:
        web.commands.revoke_credential(web.round.alice, by=ORGANISER, reason="评议卡遗失")
    # the ballot and the suggestion are refused at once, before the views have caught up
    replay(web, cookie)
    assert web.cast("fgw", "dissatisfied", token=token).json()["error"]["code"] == REFUSED
    web.sync()
    assert_all_refused(every_representative_request(web, cookie, token))
    # the replayed cookie cast nothing and signed nothing
    app = web.commands
    assert app.find(Ballot, ballot_id(app.keys.pseudonym(web.round.alice, "fgw"))) is None
    assert not any(isinstance(app.repository.get(n.originator_id), Suggestion) for n in notifications(app))
    if loss == "reissued":
        assert web.scan(new_code).status_code == 303
        assert web.cast("fgw", "satisfied", token=web.page_token()).status_code == 200


def test_the_domain_refuses_a_cast_with_a_serial_that_is_not_the_current_one(web: Web) -> None:
    app, alice = web.commands, web.round.alice
    web.open("fgw")
    assert app.representative(alice).credential_serial == 1
    app.cast_ballot(alice, "fgw", uuid4().hex, "satisfied", serial=1)
    app.reissue_credential(alice, by=ORGANISER)
    with pytest.raises(CredentialRevoked):
        app.cast_ballot(alice, "fgw", uuid4().hex, "dissatisfied", serial=1)
    with pytest.raises(CredentialRevoked):
        app.sign_suggestion(alice, "fgw", uuid4().hex, "冒名的建议", serial=1)
    app.cast_ballot(alice, "fgw", uuid4().hex, "basically_satisfied", serial=2)
