"""恢复状态 — on start, the projection reads its state back from the view tables it wrote.

The views and the tracking row are committed together, so what is read here is exactly the state
after the tracked position; the runner then resumes with the next event. Tallies are recomputed.
Rows are streamed (server-side cursors, 2,000 at a time) and the repeated keys interned, so a restart
on a full round holds the state, not the state plus every row of every view.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from sys import intern

from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from evaluation.department import department_id
from evaluation.report import report_id
from evaluation.representative import roster_id
from evaluation.round import round_id
from evaluation.window import window_id
from projections.fold_online import note_online
from projections.fold_opinions import opinion_row
from projections.publish import recount_department
from projections.state import BallotFacts, DepartmentFacts, RepFacts, RoundFacts, ViewState, WindowFacts
from projections.tables import BALLOTS, RESULTS, SUGGESTIONS, OnlineBallotRow, OnlineChannelRow

Rows = Mapping[str, Iterator[DictRow]]
CHUNK = 2_000

READ = {
    "rounds_view": "*",
    "results_view": RESULTS.select("round_key department group_key"),
    "departments_view": "*",
    "windows_view": "*",
    "representatives_view": "*",
    "ballots_view": BALLOTS.select("ballot_id round_key department category choice scores voided counted"),
    "suggestions_view": SUGGESTIONS.select("suggestion_id round_key department"),
    "opinions_view": "*",
    "online_channels_view": "*",
    "online_ballots_view": "*",
}


def stream_views(curs: Cursor[DictRow], schema: str) -> Rows:
    """Every row the state needs, table by table as ``build_state`` asks, in the caller's transaction."""
    return {table: _stream(curs, schema, table, columns) for table, columns in READ.items()}


def _stream(curs: Cursor[DictRow], schema: str, table: str, columns: str) -> Iterator[DictRow]:
    statement = SQL("SELECT {} FROM {}.{}").format(SQL(columns), Identifier(schema), Identifier(table))
    with curs.connection.cursor(name=f"load_{table}", row_factory=curs.row_factory) as named:
        named.itersize = CHUNK
        yield from named.execute(statement)


def build_state(rows: Rows) -> ViewState:
    """The projection's state from the rows, consumed in ``READ``'s order."""
    state = ViewState()
    for r in rows["rounds_view"]:
        key = r["round_key"]
        state.rounds[key] = RoundFacts(
            key,
            r["title"],
            r["instrument"],
            r["categories"],
            r["groups"],
            r["venues"],
            r["sittings"],
            r["components"],
            r["revealed"],
            r["locked"],
            r["published"],
            r["pre_reading"],
            r["position"],
        )
        state.round_ids[round_id(key)] = state.round_ids[roster_id(key)] = key
    for r in rows["results_view"]:
        state.rounds[r["round_key"]].enrolled[r["department"]] = r["group_key"]
        state.rounds[r["round_key"]].ballots.setdefault(r["department"], {})
    for r in rows["departments_view"]:
        key, dept = r["round_key"], r["department"]
        state.department_ids[department_id(key, dept)] = state.department_ids[report_id(key, dept)] = (
            key,
            dept,
        )
        state.rounds[key].departments[dept] = DepartmentFacts(
            r["name"],
            r["short_name"],
            r["group_key"],
            r["head"],
            r["report"],
            r["report_revision"],
            r["credential_serial"],
        )
    for r in rows["windows_view"]:
        key, dept = r["round_key"], r["department"]
        state.window_ids[window_id(key, dept)] = (key, dept)
        state.rounds[key].windows[dept] = WindowFacts(r["is_open"], r["openings"], r["changed_at"])
    _load_people(rows, state)
    for round_ in state.rounds.values():
        for department in round_.enrolled:
            recount_department(round_, department)
    return state


def _load_people(rows: Rows, state: ViewState) -> None:
    """Representatives, ballots and suggestions."""
    for r in rows["representatives_view"]:
        rep = RepFacts(
            intern(r["round_key"]),
            r["number"],
            r["name"],
            intern(r["category"]),
            intern(r["venue"]),
            intern(r["sitting"]),
            r["phone"],
            r["credential_serial"],
            r["revoked"],
            r["checked_in"],
        )
        state.representatives[r["representative_id"]] = rep
        state.rounds[rep.round_key].representatives[r["representative_id"]] = rep
    for r in rows["ballots_view"]:
        facts = BallotFacts(
            intern(r["round_key"]),
            intern(r["department"]),
            intern(r["category"]),
            intern(r["choice"]),
            r["scores"],
            accepted=r["counted"] or r["voided"],
            voided=r["voided"],
        )
        state.ballots[r["ballot_id"]] = facts
        state.rounds[facts.round_key].ballots.setdefault(facts.department, {})[r["ballot_id"]] = facts
    for r in rows["suggestions_view"]:
        state.suggestions[r["suggestion_id"]] = (r["round_key"], r["department"])
    for r in rows["opinions_view"]:
        state.opinions[r["opinion_id"]] = opinion_row(r)
    for r in rows["online_channels_view"]:
        state.online_channels[r["round_key"]] = OnlineChannelRow(
            **{**r, "departments": _text(r["departments"])}
        )
    for r in rows["online_ballots_view"]:
        note_online(state, None, OnlineBallotRow(**{**r, "scores": _text(r["scores"])}))


def _text(value: object) -> str | None:
    """A jsonb value as read, back to the text the projection writes."""
    return None if value is None else json.dumps(value, ensure_ascii=False)
