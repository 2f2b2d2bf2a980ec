"""提交节奏：一位代表不能无限次改票、无限次留名建议。超出的请求答 429 ``too_many_submissions``（附
Retry-After），平板的待发送队列稍后用同一个 client_id 重发，评分不会丢。"""

from __future__ import annotations

import time
from collections.abc import Iterator
from uuid import uuid4

import pytest

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.conftest import Web, running
from web.tablet.pace import Pace, SubmissionPace


def ballot_events(app: EvaluationApp) -> int:
    notes = app.recorder.select_notifications(start=1, limit=100_000)
    return sum(":Ballot." in n.topic for n in notes)


@pytest.fixture
def paced_web(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    """3 ballots per department at once, then one a minute; 2 suggestions at once, then one a minute."""
    pace = SubmissionPace(ballots=Pace(burst=3, per_minute=1), suggestions=Pace(burst=2, per_minute=1))
    yield from running(settings, app, small_round, pace=pace)


@pytest.fixture
def quick_web(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    """3 ballots per department at once, then one every 2 s."""
    pace = SubmissionPace(ballots=Pace(burst=3, per_minute=30))
    yield from running(settings, app, small_round, pace=pace)


def suggest(web: Web, token: str, text: str, client_id: str | None = None) -> object:
    body = {"department": "fgw", "client_id": client_id or uuid4().hex, "text": text}
    return web.client.post("/api/suggestions", json=body, headers={"X-CSRF-Token": token})


def test_a_representative_amending_without_end_is_refused_with_a_stable_code_and_nothing_is_recorded(
    paced_web: Web,
) -> None:
    """The attack: one representative's session amends the same department as fast as it can."""
    web = paced_web
    web.open("fgw")
    web.open("swj")
    token = web.as_alice()
    answers = [web.cast("fgw", ("satisfied", "dissatisfied")[n % 2], token) for n in range(20)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    refused = answers[3:]
    assert all(a.status_code == 429 for a in refused)
    error = refused[0].json()["error"]
    assert error["code"] == "too_many_submissions"
    assert "提交太频繁" in error["message"]
    assert 1 <= int(refused[0].headers["retry-after"]) <= 60
    assert ballot_events(web.commands) == 3
    # another department of hers, and another representative, are not held up
    assert web.cast("swj", "satisfied", token).status_code == 200
    bob_code = web.commands.reissue_credential(web.round.bob, by=ORGANISER)
    web.sync()
    assert web.scan(bob_code).status_code == 303
    assert web.cast("fgw", "satisfied", web.page_token()).status_code == 200


def test_a_ballot_refused_for_its_pace_is_taken_when_sent_again_with_the_same_client_id(
    quick_web: Web,
) -> None:
    """What the tablet's outbox does with a 429: keep the ballot and send it again later."""
    web = quick_web
    web.open("fgw")
    token = web.as_alice()
    accepted = 0
    while (
        waiting := web.cast("fgw", "dissatisfied", token, client_id=f"tablet-{accepted}")
    ).status_code == 200:
        accepted += 1  # (the bucket refills while the first ballots are written)
        assert accepted < 10
    assert waiting.status_code == 429
    time.sleep(int(waiting.headers["retry-after"]))
    taken = web.cast("fgw", "dissatisfied", token, client_id=f"tablet-{accepted}")
    assert taken.status_code == 200 and taken.json()["resent"] is False
    assert ballot_events(web.commands) == accepted + 1


def test_a_representative_flooding_a_department_with_signed_suggestions_is_refused(paced_web: Web) -> None:
    """The attack: a representative's session sends suggestions without end to fill a department's inbox."""
    web = paced_web
    token = web.as_alice()
    answers = [suggest(web, token, f"建议{n}") for n in range(12)]
    assert [a.status_code for a in answers[:2]] == [200, 200]  # type: ignore[attr-defined]
    assert all(a.status_code == 429 for a in answers[2:])  # type: ignore[attr-defined]
    assert answers[2].json()["error"]["code"] == "too_many_submissions"  # type: ignore[attr-defined]
    web.commands.open_window("r2026", "fgw", by=ORGANISER)
    web.commands.close_window("r2026", "fgw", by=ORGANISER)  # held suggestions are recorded at the close
    notes = web.commands.recorder.select_notifications(start=1, limit=100_000)
    assert sum("Suggest" in n.topic for n in notes) == 2


def test_the_default_pace_lets_a_tablet_back_online_send_every_department_and_amend_a_few_times() -> None:
    pace = SubmissionPace()
    assert pace.ballots.burst >= 5 and pace.ballots.per_minute <= 10
    assert pace.suggestions.burst >= 3 and pace.suggestions.per_minute <= 5


def test_the_pace_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANMIN_BALLOTS_PER_MINUTE", "30")
    monkeypatch.setenv("SANMIN_SUGGESTIONS_PER_MINUTE", "zero")
    pace = SubmissionPace.from_environment()
    assert pace.ballots == Pace(30, 30)
    assert pace.suggestions == SubmissionPace().suggestions
