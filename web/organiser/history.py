"""历史记录 — the round's event history for audit questions: who did what, when and why, newest first,
filtered by department, kind, person and role, paged backwards by position. A person with a personal
account is shown by name and role (工作人员). Ballots are not lines: they are counted per department and day
(``ballot_versions_query``), so no ballot has a place or a time among named lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.round_day import day_of
from evaluation.staff import ROLE_NAMES
from projections.history import VERSIONS, ballot_versions_query, history_query
from web.organiser.history_kinds import KINDS
from web.organiser.reads import department_names
from web.platform.forms import organiser, render, round_row, whole_number
from web.platform.people import person
from web.platform.templating import SECOND, local_time

PAGE = 100


DAY_ONLY = ("Ballot.", "Suggestion.", "Invitation.", "OnlinePhone.")
"""Aggregates whose events keep only their day (``evaluation.day_stamp``): a line of theirs shows its date."""


def when(at: datetime, kind: str) -> str:
    """A history line's moment: its date for the aggregates that keep only their day, else to the second."""
    return day_of(at).isoformat() if kind.startswith(DAY_ONLY) else local_time(at, SECOND)


def kind_filter(value: str) -> str | None:
    return value if value in KINDS else None


async def history(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    names = await department_names(request.app.state.reads, who.round_key)
    department = request.query_params.get("department") or None
    department = department if department in names else None
    kind = kind_filter(request.query_params.get("kind", ""))
    before = whole_number(request.query_params.get("before"))
    staff = await run_in_threadpool(request.app.state.commands.staff_by_actor)
    ours = {actor: a for actor, a in staff.items() if a.round_key == who.round_key}
    people = {str(a.id): f"{a.name}（{ROLE_NAMES[a.role]}）" for a in ours.values()}
    chosen = request.query_params.get("person", "")
    chosen = chosen if chosen in people else ""
    role = request.query_params.get("role", "")
    role = role if role in ROLE_NAMES else ""
    actors = None
    if chosen or role:
        actors = [f"staff:{i}" for i in people if (not chosen or i == chosen)]
        actors = [x for x in actors if not role or ours[x].role == role]
    reads = request.app.state.reads
    listed = None if kind in VERSIONS else kind
    sql, args = history_query(who.round_key, department, listed, before, PAGE + 1, actors)
    rows: list[Any] = [] if kind in VERSIONS else await reads.fetch(sql, *args)
    ballots: list[Any] = []
    if actors is None and (kind is None or kind == "Ballot." or kind in VERSIONS):  # nobody's, by day
        ballots = await reads.fetch(*_flat(ballot_versions_query(who.round_key, department)))
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    filters = {"department": department or "", "kind": kind or "", "person": chosen, "role": role}
    older = urlencode({**filters, "before": rows[-1]["position"]}) if more and rows else None
    context = {
        "round": round_,
        "rows": [{**dict(r), "at": when(r["at"], r["kind"]), "who": person(r["actor"], staff)} for r in rows],
        "people": people,
        "roles": ROLE_NAMES,
        "names": names,
        "kinds": KINDS,
        "filters": filters,
        "older": older,
        "ballots": ballots,
        "newest": urlencode(filters) if before else None,
    }
    return render(request, "organiser/history.html", context)


def _flat(query: tuple[str, list[Any]]) -> list[Any]:
    return [query[0], *query[1]]


routes = [Route("/organiser/history", history)]
