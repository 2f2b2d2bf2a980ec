"""Online ballots on the ballot writer's application: in batches, each answered as if cast alone, with what
casting only reads kept between batches yet every void, period change and concurrent cast seen at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from evaluation.errors import EvaluationError
from evaluation.online import OnlineCast
from evaluation.online_ballot import OnlineBallot
from evaluation.online_channel import OnlineClosed
from evaluation.online_voters import OnlineVoterVoided
from evaluation.voting import Receipt
from intake.fast_app import IntakeApp
from intake.wire import OnlineRequest
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_exactly_once import ballots_in_store, race

OPENS = datetime(2026, 12, 1, tzinfo=UTC)
CLOSES = datetime(2026, 12, 24, tzinfo=UTC)
DURING = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def online(app: IntakeApp, small_round: SmallRound) -> str:
    app.set_online_period(small_round.key, OPENS, CLOSES, ["fgw", "swj"], by=ORGANISER, reason="")
    return small_round.key


def citizens(app: IntakeApp, key: str, count: int) -> list[str]:
    return [app.redeem_invitation(key, code, DURING) for code in app.invite_online(key, count, by=ORGANISER)]


def ballot(key: str, who: str, dept: str, client: str, choice: str = "satisfied") -> OnlineRequest:
    return OnlineRequest(OnlineCast(key, who, dept, client, choice), DURING)


def online_ballots(app: IntakeApp) -> dict[UUID, list[str]]:
    return ballots_in_store(app, "OnlineBallot")


def test_a_batch_of_online_ballots_is_answered_one_by_one_as_if_each_were_cast_alone(
    app: IntakeApp, online: str
) -> None:
    ann, ben = citizens(app, online, 2)
    first = app.cast_online_ballot(OnlineCast(online, ben, "fgw", "earlier-01", "satisfied"), DURING)
    answers = app.cast_ballots(
        [
            ballot(online, ann, "fgw", "batch-0001"),
            ballot(online, ann, "fgw", "batch-0002", "dissatisfied"),  # amends the one just before
            ballot(online, ben, "fgw", "earlier-01"),  # a resend: the same receipt, nothing saved
            ballot(online, ben, "zjj", "batch-0003"),  # not in the period's departments
            ballot(online, ann, "swj", "batch-0004", "bogus"),
        ]
    )
    assert isinstance(answers[0], Receipt) and isinstance(answers[1], Receipt)
    assert answers[0].ballot_id == answers[1].ballot_id and answers[0].position == answers[1].position > 0
    assert isinstance(answers[2], Receipt) and answers[2].resent and answers[2].code == first.code
    assert [getattr(a, "code", None) for a in answers[3:]] == ["not_online", "invalid_choice"]
    stored = app.repository.get(answers[0].ballot_id)
    assert isinstance(stored, OnlineBallot) and (stored.choice, stored.version) == ("dissatisfied", 2)
    assert online_ballots(app) == {first.ballot_id: ["Cast"], answers[0].ballot_id: ["Cast", "Amended"]}


def test_a_voided_voter_and_a_closed_period_are_refused_at_once_though_the_writer_kept_them(
    app: IntakeApp, online: str, settings: Settings
) -> None:
    """The writer keeps voters, rounds and channels between batches; a void or a period change made
    through another process stops its very next batch."""
    ann, ben = citizens(app, online, 2)
    assert all(isinstance(a, Receipt) for a in app.cast_ballots([ballot(online, ann, "fgw", "kept-0001")]))
    other = build_app(settings, create_tables=False, application=IntakeApp)
    try:
        other.void_online_voters(online, [ann], by=ORGANISER, reason="同一地址短时大量投票")
    finally:
        other.close()
    refused, accepted = app.cast_ballots(
        [ballot(online, ann, "swj", "kept-0002"), ballot(online, ben, "swj", "kept-0003")]
    )
    assert isinstance(refused, OnlineVoterVoided) and isinstance(accepted, Receipt)
    other = build_app(settings, create_tables=False, application=IntakeApp)
    try:
        ended = DURING - timedelta(minutes=1)
        other.set_online_period(online, OPENS, ended, None, by=ORGANISER, reason="提前结束")
    finally:
        other.close()
    [closed] = app.cast_ballots([ballot(online, ben, "fgw", "kept-0004")])
    assert isinstance(closed, OnlineClosed)


class Interrupted(IntakeApp):
    """A writer another process overtakes between its reads and its save: ``meanwhile`` runs right after
    the batch's reads, as a concurrent command committing in that gap would."""

    name = IntakeApp.name
    meanwhile: list[object] = []

    def _read_online(self, casts: list[OnlineCast]) -> dict[object, object]:
        reads = super()._read_online(casts)
        while self.meanwhile:
            self.meanwhile.pop(0)()  # type: ignore[operator]
        return reads


def test_a_batch_overtaken_by_a_concurrent_cast_of_its_ballot_is_redone_one_by_one(
    app: IntakeApp, online: str, settings: Settings
) -> None:
    ann, ben = citizens(app, online, 2)
    writer = build_app(settings, create_tables=False, application=Interrupted)
    try:
        overtaking = OnlineCast(online, ann, "fgw", "other-0001", "satisfied")
        writer.meanwhile = [lambda: app.cast_online_ballot(overtaking, DURING)]
        answers = writer.cast_ballots(
            [
                ballot(online, ann, "fgw", "batch-0001", "dissatisfied"),
                ballot(online, ben, "swj", "batch-0002"),
            ]
        )
    finally:
        writer.close()
    assert all(isinstance(a, Receipt) and not a.resent for a in answers)
    assert isinstance(answers[0], Receipt)
    stored = app.repository.get(answers[0].ballot_id)
    assert isinstance(stored, OnlineBallot) and stored.choice == "dissatisfied"
    assert sorted(online_ballots(app).values()) == [["Cast"], ["Cast", "Amended"]]


def test_a_void_committed_between_a_batch_s_reads_and_its_save_still_refuses_the_voter(
    app: IntakeApp, online: str, settings: Settings
) -> None:
    """The save is guarded by the voter's version read: the batch is redone on fresh reads."""
    ann, ben = citizens(app, online, 2)
    writer = build_app(settings, create_tables=False, application=Interrupted)
    try:
        writer.meanwhile = [lambda: app.void_online_voters(online, [ann], by=ORGANISER, reason="批量异常")]
        refused, accepted = writer.cast_ballots(
            [ballot(online, ann, "fgw", "void-0001"), ballot(online, ben, "fgw", "void-0002")]
        )
    finally:
        writer.close()
    assert isinstance(refused, OnlineVoterVoided) and isinstance(accepted, Receipt)
    assert list(online_ballots(app).values()) == [["Cast"]]


def test_two_writers_casting_one_identity_and_department_at_once_keep_exactly_one_current_ballot(
    app: IntakeApp, online: str, settings: Settings
) -> None:
    """Two web processes' writers, each a batch with the same citizen's department (and a resend of one
    of them): one ballot, every accepted cast one of its versions, none twice."""
    [ann] = citizens(app, online, 1)
    writers = [build_app(settings, create_tables=False, application=IntakeApp) for _ in range(2)]
    try:
        for n in range(5):
            batches = [
                [ballot(online, ann, "fgw", f"w{w}-{n}-{i:04d}") for i in range(3)]
                + [ballot(online, ann, "fgw", f"w{w}-{n}-0000")]
                for w in range(2)
            ]
            results = race(*[(lambda w=w, b=batches: writers[w].cast_ballots(b[w])) for w in range(2)])
            assert all(isinstance(r, list) for r in results), results
            answers = [a for r in results for a in r]  # type: ignore[attr-defined]
            assert not [a for a in answers if isinstance(a, EvaluationError)]
            assert sum(1 for a in answers if a.resent) == 2
    finally:
        for writer in writers:
            writer.close()
    [events] = online_ballots(app).values()
    assert events == ["Cast"] + ["Amended"] * (5 * 2 * 3 - 1)
