"""签到后才能评分 — the attack: an organiser who knows someone's code casts in their name while they are not in
the hall. A round that requires check-in (every new round, unless its organiser turns it off) refuses the
ballot of a representative nobody checked in, with a stable code."""

from __future__ import annotations

from evaluation.application import EvaluationApp
from tests.conftest import ORGANISER
from tests.web.conftest import Web
from tests.web.test_api import ballot_events, refusal


def test_a_new_round_requires_check_in_unless_its_organiser_turns_it_off(app: EvaluationApp) -> None:
    app.create_round("r2030", "新活动", by=ORGANISER)
    assert app.round("r2030").check_in_required
    app.require_check_in("r2030", False, by=ORGANISER)
    assert not app.round("r2030").check_in_required


def test_a_ballot_in_the_name_of_someone_not_checked_in_is_refused(web: Web) -> None:
    web.commands.require_check_in(web.round.key, True, by=ORGANISER)
    web.open("fgw")
    token = web.as_alice()

    refusal(web.cast("fgw", token=token), 403, "not_checked_in")
    assert ballot_events(web.commands) == []

    web.commands.check_in(web.round.alice, by=ORGANISER)
    web.sync()
    assert web.cast("fgw", token=token).status_code == 200
    assert len(ballot_events(web.commands)) == 1


NOT_REQUIRED = "本活动评分前无须签到，签到人数仅供参考"


def test_the_reconciliation_says_check_in_was_not_required_where_it_shows_the_check_ins(web: Web) -> None:
    """已签到 0 beside full ballots reads as a fault unless the page says that nobody had to check in."""
    web.open("fgw")
    assert web.cast("fgw", token=web.as_alice()).status_code == 200
    web.sync()
    assert web.type_code(web.commands.keys.organiser_code(web.round.key)).status_code == 303
    page = web.get("/organiser/turnout").text
    venues = page.split('id="by-venue"', 1)[1]
    assert NOT_REQUIRED in venues and "<td>0</td>" in venues  # nobody checked in, and that is said

    web.commands.require_check_in(web.round.key, True, by=ORGANISER)
    assert NOT_REQUIRED not in web.get("/organiser/turnout").text
