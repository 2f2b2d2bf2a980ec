"""网络评议 — folding the online channel: its period, its invitations' and phones' counts, online ballots and
each department's online result (``projections.scoring`` over one category, ``ONLINE_CATEGORY``).

An online ballot counts in its last version unless voided; the domain took it only inside the period, so
the fold need not decide that again (the online result is a component of the composite, docs/scoring.md §6a).
"""

from __future__ import annotations

import json
from collections import Counter

from evaluation.online_ballot import ONLINE_CATEGORY
from projections.ballot_points import BallotKind, CountingBallot, kind_of_ballot
from projections.changes import Changes
from projections.fold_setup import Event, Where
from projections.publish import fits
from projections.scoring import tally_multiset
from projections.state import ViewState
from projections.tables import OnlineBallotRow, OnlineChannelRow, OnlineResultRow
from projections.tally_json import tally_json

UNLISTED = frozenset(
    {
        "OnlineBallot.Cast",
        "OnlineBallot.Amended",
        "Invitation.Issued",
        "Invitation.Redeemed",
        "OnlinePhone.Opened",
        "OnlinePhone.CodeSent",
        "OnlinePhone.WrongTry",
        "OnlinePhone.Verified",
    }
)
"""Citizens' acts: no line of their own in the history (a ballot's version is never listed; invitations and
phones are counted on the online channel's row). Voids and the period are the organiser's: they are listed."""


def channel_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    f = vars(e)
    key = f["round_key"]
    old = state.online_channels.get(key)
    counts = (old.issued, old.redeemed, old.verified) if old else (0, 0, 0)
    departments = None if f["departments"] is None else json.dumps(f["departments"], ensure_ascii=False)
    state.online_channels[key] = OnlineChannelRow(
        key, f["opens"], f["closes"], departments, f["invitations"], f["volunteers"], *counts
    )
    changes.online_channels.add(key)
    return key, None, "网络评议期"


def voter_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    """Invitations issued and used, phones verified: counts only (the response rate), nobody's identity."""
    name, f = type(e).__name__, vars(e)
    key = f.get("round_key")
    row = state.online_channels.get(key or "")
    if key is None or row is None:
        return key or "", None, ""
    if name == "Issued":
        row = row._replace(issued=row.issued + 1)
    elif name == "Redeemed":
        row = row._replace(redeemed=row.redeemed + 1)
    elif name == "Verified" and not f["was_verified"]:
        row = row._replace(verified=row.verified + 1)
    state.online_channels[key] = row
    changes.online_channels.add(key)
    return key, None, ""


def online_ballot_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    name, f, ballot = type(e).__name__, vars(e), e.originator_id
    old = row = state.online_ballots.get(ballot)
    if name == "Cast":
        row = OnlineBallotRow(ballot, f["round_key"], f["department"], f["choice"], None, f["comment"], False)
    assert row is not None
    if name == "Voided":
        row = row._replace(voided=True)
    else:
        scores = None if f["scores"] is None else json.dumps(f["scores"])
        row = row._replace(choice=f["choice"], scores=scores, comment=f["comment"])
    note_online(state, old, row)
    changes.online_ballots.add(ballot)
    changes.online_tallies.add((row.round_key, row.department))
    return row.round_key, row.department, ""


def note_online(state: ViewState, old: OnlineBallotRow | None, row: OnlineBallotRow) -> None:
    """``row`` is now its ballot's last version (``old`` the one before, if any): in ``online_ballots``, and
    in its department's multiset of kinds that count (``online_kinds``)."""
    state.online_ballots[row.ballot_id] = row
    if old is not None and not old.voided:
        before, kind = state.online_kinds[(old.round_key, old.department)], _kind(old)
        before[kind] -= 1
        if before[kind] <= 0:
            del before[kind]
    kinds = state.online_kinds.setdefault((row.round_key, row.department), Counter())
    if not row.voided:
        kinds[_kind(row)] += 1


def _kind(row: OnlineBallotRow) -> BallotKind:
    """The rule's kind of the online ballot (its one category; its scores stored as JSON in the view)."""
    scores = None if row.scores is None else json.loads(row.scores)
    return kind_of_ballot(CountingBallot(ONLINE_CATEGORY, row.choice, scores))


def online_result_rows(state: ViewState, changes: Changes) -> list[OnlineResultRow]:
    """Each touched department counted again from its multiset of online ballots' kinds (kept as ballots
    come: counting every ballot again at each batch took the projection most of its time at thousands of
    online ballots a second, and grew with the ballots)."""
    wanted = changes.online_tallies | {d for d in state.online_kinds if d[0] in changes.whole_rounds}
    if not wanted:
        return []
    kinds = {d: state.online_kinds.get(d, Counter()) for d in wanted}
    rows = []
    for (key, department), counted in sorted(kinds.items()):
        round_ = state.rounds.get(key)
        if round_ is None:
            continue
        offered = {kind: n for kind, n in counted.items() if fits(round_.instrument, kind)}
        group = round_.enrolled.get(department, "")
        tally = tally_multiset(round_.instrument, {}, department, group, offered)
        rows.append(OnlineResultRow(key, department, tally.returned, json.dumps(tally_json(tally))))
    return rows
