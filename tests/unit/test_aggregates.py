"""The aggregates alone, without a database: their rules and the events they record."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.ballot import Ballot, BallotVersion
from evaluation.errors import BallotAlreadyVoided, ReasonRequired, WindowAlreadyOpen, WindowNotOpen
from evaluation.keys import Keyring, format_code, new_credential_code, normalise_code
from evaluation.representative import Representative
from evaluation.round_day import ROUND_ZONE
from evaluation.window import ScoringWindow


def new_ballot() -> Ballot:
    return Ballot(
        pseudonym="p",
        round_key="r",
        department="fgw",
        category="npc",
        client_id="client-1",
        receipt="RCPT0001",
        choice="satisfied",
        scores=None,
        comment="",
        window_opening=1,
    )


def test_a_window_opens_closes_and_reopens_only_with_a_reason() -> None:
    window = ScoringWindow("r", "fgw")
    with pytest.raises(WindowNotOpen):
        window.close("organiser")
    window.open("organiser")
    with pytest.raises(WindowAlreadyOpen):
        window.open("organiser")
    window.close("organiser")
    with pytest.raises(ReasonRequired):
        window.open("organiser")
    window.reopen("organiser", "分会场断网")
    assert window.is_open and window.openings == 2
    kinds = [type(e).__name__ for e in window.collect_events()]
    assert kinds == ["Created", "Opened", "Closed", "Reopened"]


def test_a_ballot_remembers_every_client_id_it_has_answered() -> None:
    ballot = new_ballot()
    ballot.amend(BallotVersion("client-2", "RCPT0002", "dissatisfied", None, "太慢", 1))
    assert ballot.receipt_for("client-1") == "RCPT0001"
    assert ballot.receipt_for("client-2") == "RCPT0002"
    assert ballot.receipt_for("client-3") is None
    assert (ballot.choice, ballot.comment, ballot.receipt) == ("dissatisfied", "太慢", "RCPT0002")


def test_a_voided_ballot_cannot_be_amended_or_voided_again() -> None:
    ballot = new_ballot()
    with pytest.raises(ReasonRequired):
        ballot.void("organiser", "  ")
    ballot.void("organiser", "代投")
    with pytest.raises(BallotAlreadyVoided):
        ballot.amend(BallotVersion("client-2", "R", "satisfied", None, "", 1))
    with pytest.raises(BallotAlreadyVoided):
        ballot.void("organiser", "again")


def test_ballot_events_carry_the_day_only_and_no_representative_venue_or_sitting() -> None:
    ballot = new_ballot()
    (event,) = ballot.collect_events()
    in_beijing = event.timestamp.astimezone(ROUND_ZONE)  # the day the sitting is held on there
    assert (in_beijing.hour, in_beijing.minute, in_beijing.second, in_beijing.microsecond) == (0, 0, 0, 0)
    assert not any(word in name for name in vars(event) for word in ("representative", "venue", "sitting"))


def test_keyring_derivations_are_stable_distinct_and_keyed() -> None:
    from uuid import uuid4

    rep = uuid4()
    keys, other = Keyring(b"k" * 32), Keyring(b"j" * 32)
    assert keys.pseudonym(rep, "fgw") == keys.pseudonym(rep, "fgw")
    assert keys.pseudonym(rep, "fgw") != keys.pseudonym(rep, "swj")
    assert keys.pseudonym(rep, "fgw") != other.pseudonym(rep, "fgw")
    code = new_credential_code()
    assert len(code) == 10 and code != new_credential_code()
    assert not set(code) & set("01OIL")
    assert keys.credential_hash(format_code(code).lower()) == keys.credential_hash(code)
    assert normalise_code(" ab-cd ") == "ABCD"
    with pytest.raises(ValueError):
        Keyring(b"short")


def test_credentials_issued_before_reasons_were_recorded_still_replay() -> None:
    rep = Representative("r2026", 1, "李秀英", "npc", "main", "s1", None, "organiser:test")
    rep.issue_credential("a keyed hash", 1, "organiser:test")
    events = rep.collect_events()
    del events[1].__dict__["reason"]  # as stored before ``reason`` was added
    replayed: Any = None
    for stored in events:
        replayed = stored.mutate(replayed)
    assert (replayed.credential_hash, replayed.credential_serial, replayed.revoked) == (
        "a keyed hash",
        1,
        False,
    )
