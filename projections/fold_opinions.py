"""意见的折叠 — each Opinion event rewrites the opinion's whole opinions_view row from the one the state holds."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from evaluation.round_day import day_of
from projections.changes import Changes
from projections.event_log import kind_of, timestamp_of, value
from projections.fold_setup import Event, Where
from projections.state import ViewState
from projections.tables import OPINIONS, OpinionRow

JSON_COLUMNS = tuple(c.name for c in OPINIONS.columns if c.type == "jsonb")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def opinion_row(r: Mapping[str, Any]) -> OpinionRow:
    """A row read back from opinions_view (its jsonb columns decoded by the driver) as the fold keeps it."""
    fields = {name: r[name] for name in OpinionRow._fields}
    for name in JSON_COLUMNS:
        if fields[name] is not None and not isinstance(fields[name], str):
            fields[name] = _dumps(fields[name])
    return OpinionRow(**fields)


def opinion_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    kind = kind_of(e).split(".", 1)[1]
    oid: UUID = e.originator_id
    day = day_of(timestamp_of(e)).isoformat()  # Beijing's day, as the deadlines are counted
    if kind == "Collected":
        text = value(e, "text").strip()
        departments = value(e, "departments") or [""]
        row = OpinionRow(
            oid, value(e, "round_key"), value(e, "source"), departments[0], text, text, False,
            None, None, None, None, "[]", None, None, None, None, None, None, None, False, None, day, "[]", position,
        )  # fmt: skip
    else:
        row = _changed(state.opinions[oid], kind, e, day)._replace(position=position)
    state.opinions[oid] = changes.opinions[oid] = row
    return row.round_key, row.lead or row.department, ""


def _changed(row: OpinionRow, kind: str, e: Event, day: str) -> OpinionRow:
    match kind:
        case "Classified":
            return row._replace(theme=value(e, "theme"))
        case "Merged":
            return row._replace(group_id=value(e, "group"))
        case "Split":
            return row._replace(group_id=None)
        case "MarkedNotOpinion":
            return row._replace(not_opinion=value(e, "reason"))
        case "Restored":
            return row._replace(not_opinion=None)
        case "Redacted":
            return row._replace(shown=value(e, "text"), redacted=True)
        case "Assigned":
            moved = json.loads(row.moved_from)
            if row.lead is not None and row.lead != value(e, "lead"):
                moved.append({"department": row.lead, "to": value(e, "lead"), "on": day})
            return row._replace(
                moved_from=_dumps(moved),
                lead=value(e, "lead"),
                cooperating=_dumps(value(e, "cooperating")),
                assigned_on=value(e, "on"),
                deadline=value(e, "deadline"),
                reassignment=None,
                answer=None,
                answered_on=None,
                review=None,
                returned_reason=None,
            )
        case "ReassignmentRequested":
            return row._replace(reassignment=value(e, "reason"))
        case "Answered":
            answer = {k: value(e, k) for k in ("department", "text", "measures", "state")}
            if evidence := value(e, "evidence"):
                answer["evidence"] = evidence  # 证明材料: {"sha256","size","name","media_type"}
            first = row.answered_on or day
            return row._replace(answer=_dumps(answer), answered_on=first, review="pending", reassignment=None)
        case "AnswerReturned":
            return row._replace(review="returned", returned_reason=value(e, "reason"))
        case "AnswerAccepted":
            return row._replace(review="accepted")
        case "Published":
            return row._replace(published=True)
        case "Rated":
            return row._replace(rating=value(e, "rating"))
    return row
