"""折叠 — apply one event to the projection's state, collecting the view rows it changes and its history row
(a ballot version's history row is its receipt row, see ``projections.history``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from evaluation.representative import CredentialIndex
from projections.changes import Changes
from projections.fold_online import UNLISTED, channel_event, online_ballot_event, voter_event
from projections.fold_opinions import opinion_event
from projections.fold_setup import (
    Event,
    Where,
    department_event,
    lineage_event,
    report_event,
    representative_event,
    roster_event,
    round_event,
    window_event,
)
from projections.fold_votes import ballot_event, suggestion_event
from projections.history import VERSIONS, history_row
from projections.state import ViewState

Handler = Callable[[ViewState, Changes, Event, int], Where]

HANDLERS: dict[str, Handler] = {
    "Round": round_event,
    "Department": department_event,
    "Report": report_event,
    "ScoringWindow": window_event,
    "Roster": roster_event,
    "Representative": representative_event,
    "Ballot": ballot_event,
    "Suggestion": suggestion_event,
    "Opinion": opinion_event,
    "OnlineChannel": channel_event,
    "Invitation": voter_event,
    "OnlinePhone": voter_event,
    "OnlineBallot": online_ballot_event,
    "Lineage": lineage_event,
}
"""By aggregate. CredentialIndex events (a keyed hash → holder) change no view and have no history row."""
NO_VIEW = (CredentialIndex,)
"""The aggregates whose events the fold passes over (a bulk rebuild does not read them)."""


def fold(state: ViewState, changes: Changes, event: Event, position: int) -> None:
    """Apply ``event`` (at ``position``) to ``state`` and record what it changes in ``changes``."""
    handler, in_history = _handler(type(event))
    if handler is None:
        return
    round_key, department, subject = handler(state, changes, event, position)
    if in_history:
        changes.history.append(history_row(event, position, round_key, department, subject))
    changes.touched.add(round_key)


@cache
def _handler(event_class: type[Any]) -> tuple[Handler | None, bool]:
    """The handler of an event class (by its aggregate's name), and whether the event has a history row of
    its own (a ballot version's history is its receipt row): looked up once per class."""
    kind = event_class.__qualname__
    return HANDLERS.get(kind.split(".", 1)[0]), kind not in VERSIONS and kind not in UNLISTED
