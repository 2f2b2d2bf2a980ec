"""公布结果 — results and rankings of the departments a batch touched, and per-venue reconciliation.

The numbers come from ``projections.scoring.tally_multiset`` and ``projections.ranking.rank_group``
only; this module chooses which ballots count (already decided by the fold) and what to recompute.
"""

from __future__ import annotations

import json
from collections import Counter

from evaluation.instrument import Instrument
from projections.ballot_points import BallotKind, ballot_of_kind, points_of
from projections.changes import Changes
from projections.ranking import rank_group
from projections.scoring import DepartmentTally, tally_multiset
from projections.state import RoundFacts, ViewState
from projections.tables import RankingRow, ResultRow, VenueRow
from projections.tally_json import ranking_json, tally_json


def counting_ballots(round_: RoundFacts, department: str) -> Counter[BallotKind]:
    """§2: the counting version of each ballot, not voided, valid under the round's current instrument;
    as a multiset of ballot kinds."""
    offered = set(round_.instrument.choices())
    by_level = round_.instrument.kind == "levels"
    kinds: Counter[BallotKind] = Counter()
    for kind, n in round_.counted_ballots(department).items():
        if n > 0 and kind[1] in offered and (by_level or fits(round_.instrument, kind)):
            kinds[kind] += n
    return kinds


def fits(instrument: Instrument, kind: BallotKind) -> bool:
    """A ballot whose choice the (changed) instrument no longer offers does not count."""
    if kind[1] not in instrument.choices():
        return False
    try:
        points_of(instrument, ballot_of_kind(kind))
    except ValueError:
        return False
    return True


def recount_department(round_: RoundFacts, department: str) -> DepartmentTally:
    """Count one department again and remember its tally."""
    kinds = counting_ballots(round_, department)
    tally = tally_multiset(
        round_.instrument,
        round_.shares(),
        department,
        round_.enrolled[department],
        kinds,
        round_.components_of(department),
    )
    round_.tallies[department] = tally
    return tally


def expand_whole_rounds(state: ViewState, changes: Changes) -> None:
    """A round whose rule or agenda changed: every department, group and venue is recomputed."""
    for key in changes.whole_rounds:
        round_ = state.rounds[key]
        changes.tallies.update((key, d) for d in round_.enrolled)
        changes.venues.update((key, v) for v in round_.venues)


def results_rows(
    state: ViewState, changes: Changes, position: int
) -> tuple[list[ResultRow], list[RankingRow]]:
    """results_view rows (tally and turnout) and rankings_view rows for what the batch touched."""
    groups: set[tuple[str, str]] = set()
    for key, department in sorted(changes.tallies):
        recount_department(state.rounds[key], department)
        groups.add((key, state.rounds[key].enrolled[department]))
    results: list[ResultRow] = []
    for key, department in sorted(changes.tallies | _turnout(state, changes)):
        round_ = state.rounds[key]
        if department not in round_.enrolled:
            continue
        tally = round_.tallies.get(department) or recount_department(round_, department)
        eligible = round_.head_counts().eligible_by_sitting[round_.sitting_of(department) or ""]
        results.append(
            ResultRow(
                key,
                department,
                tally.group,
                eligible,
                tally.returned,
                json.dumps(tally_json(tally)),
                position,
            )
        )
    rankings: list[RankingRow] = []
    for key, group in sorted(groups):
        round_ = state.rounds[key]
        tallies = [
            round_.tallies[d] for d, g in round_.enrolled.items() if g == group and d in round_.tallies
        ]
        rankings.append(
            RankingRow(key, group, json.dumps(ranking_json(rank_group(round_.instrument, tallies))))
        )
    return results, rankings


def _turnout(state: ViewState, changes: Changes) -> set[tuple[str, str]]:
    """The departments of the sittings whose eligible count may have changed."""
    sittings = ((key, state.rounds[key].sittings.get(sitting, {})) for key, sitting in changes.sittings)
    return {(key, department) for key, sitting in sittings for department in sitting.get("agenda", [])}


def venue_rows(state: ViewState, changes: Changes) -> list[VenueRow]:
    """对账 per venue: credentials issued (not revoked), checked in. Not ballots returned: a ballot names
    no venue; returned ballots are counted per department (results_view)."""
    rows: list[VenueRow] = []
    by_round: dict[str, list[str]] = {}
    for key, venue in changes.venues:
        by_round.setdefault(key, []).append(venue)
    for key, venues in sorted(by_round.items()):
        round_ = state.rounds[key]
        counts = round_.head_counts()
        issued, checked_in = counts.issued_by_venue, counts.checked_in_by_venue
        rows += [VenueRow(key, v, issued[v], checked_in[v]) for v in sorted(venues)]
    return rows
