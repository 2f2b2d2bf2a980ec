"""评议与建议 — folding ballots (counting rule §2) and signed suggestions.

A ballot version counts only if it was accepted while its department's window was open *at that
event's position* in the projection's own state; the last such version counts unless the ballot is
voided. The command side already refuses ballots outside an open window (guarded save); the
projection applies the rule again so the published numbers follow from the events alone.

A ballot's keys (department, category, choice) are interned: a decoded event carries
its own copy of each, and a round's hundreds of thousands of ballots would keep them all.
"""

from __future__ import annotations

import json
from sys import intern
from typing import Any
from uuid import UUID

from evaluation.opinion import opinion_id
from evaluation.opinion_handling import source_key
from evaluation.round_day import day_of
from projections.changes import Changes
from projections.event_log import kind_of, timestamp_of, value
from projections.fold_setup import Event, Where
from projections.state import BallotFacts, RoundFacts, ViewState
from projections.tables import BallotRow, ReceiptRow, SuggestionRow


def ballot_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    name, f, ballot = type(e).__name__, vars(e), e.originator_id  # "Cast" of Ballot.Cast
    if name == "Cast":
        round_ = state.rounds[f["round_key"]]
        department = intern(f["department"])
        facts = BallotFacts(
            round_.key,
            department,
            intern(f["category"]),
            "",
            None,
            False,
        )  # its choice and scores: the version's, below
        state.ballots[ballot] = facts
        if (ballots := round_.ballots.get(department)) is None:
            ballots = round_.ballots[department] = {}
        ballots[ballot] = facts
    else:
        facts = state.ballots[ballot]
        round_ = state.rounds[facts.round_key]
    round_.ballot_changing(facts)
    if name == "Voided":
        _void(facts, changes, ballot, position)
    else:
        _record_version(facts, round_, changes, f, ballot, position)
    round_.ballot_changed(facts)
    key = facts.round_key
    changes.tallies.add((key, facts.department))
    return key, facts.department, ""


def _record_version(
    facts: BallotFacts, round_: RoundFacts, changes: Changes, f: dict[str, Any], ballot: UUID, position: int
) -> None:
    """投票 / 改票: an accepted version (``f``, the event's fields) becomes the counting one; a refused one is
    shown only if none was."""
    window = round_.windows.get(facts.department)
    accepted = window is not None and window.is_open
    version, receipt = f["originator_version"], f["receipt"]
    changes.receipts.append(
        ReceiptRow(receipt, facts.round_key, ballot, facts.department, version, position, f["timestamp"])
    )
    if not accepted and facts.accepted:
        return
    facts.choice, facts.scores, facts.accepted = intern(f["choice"]), f["scores"], facts.accepted or accepted
    scores = None if facts.scores is None else json.dumps(facts.scores)
    changes.ballots[ballot] = BallotRow(
        ballot,
        facts.round_key,
        facts.department,
        facts.category,
        facts.choice,
        scores,
        f["comment"],
        receipt,
        version,
        facts.voided,
        facts.counted,
        position,
    )


def _void(facts: BallotFacts, changes: Changes, ballot: UUID, position: int) -> None:
    """作废 — the ballot no longer counts, whatever version it had."""
    facts.voided = True
    row = changes.ballots.get(ballot)
    if row is None:
        changes.voids[ballot] = position
    else:
        changes.ballots[ballot] = row._replace(voided=True, counted=False, position=position)


def suggestion_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    if kind_of(e) == "Suggestion.Submitted":
        round_key, department = value(e, "round_key"), value(e, "department")
        state.suggestions[e.originator_id] = (round_key, department)
        round_ = state.rounds[round_key]
        sitting = round_.sittings.get(round_.sitting_of(department) or "", {})
        changes.suggestions[e.originator_id] = SuggestionRow(
            e.originator_id,
            round_key,
            department,
            value(e, "name"),
            value(e, "phone"),
            value(e, "text"),
            None,
            None,
            sitting.get("date", ""),
            opinion_id(source_key(round_key, "suggestion", str(e.originator_id))),
        )
    round_key, department = state.suggestions[e.originator_id]
    if kind_of(e) == "Suggestion.Answered":
        # a suggestion's events keep only their day (evaluation/day_stamp.py), Beijing's since it is stamped so;
        # one stamped before, at 00:00 UTC, reads as that UTC day (at most eight hours early against a deadline)
        text, day = value(e, "text"), day_of(timestamp_of(e)).isoformat()
        row = changes.suggestions.get(e.originator_id)
        if row is None:  # written by an earlier batch: its first answer's day is kept by the update
            earlier = changes.answers.get(e.originator_id)
            changes.answers[e.originator_id] = (text, earlier[1] if earlier else day)
        else:
            changes.suggestions[e.originator_id] = row._replace(
                answer=text, answered_on=row.answered_on or day
            )
    return round_key, department, ""
