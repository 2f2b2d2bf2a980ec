"""准备与报到 — folding the events of rounds, departments, windows, rosters and representatives.

Each handler changes the in-memory state, marks what the batch must rewrite, and returns where the
event belongs for its history row: (round key, department or None, subject).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from evaluation.department import department_id
from evaluation.representative import roster_id
from evaluation.window import window_id
from projections.changes import Changes
from projections.event_log import kind_of, timestamp_of, value
from projections.state import DepartmentFacts, RepFacts, RoundFacts, ViewState, WindowFacts

Event = DomainEventProtocol[UUID]
Where = tuple[str, str | None, str]

WHOLE_ROUND = {
    "InstrumentChanged",
    "CategoryDefined",
    "SittingDefined",
    "ComponentImported",
    "DepartmentRegrouped",
}
FLAGS = {
    "ResultsRevealed": ("revealed", True),
    "ResultsHidden": ("revealed", False),
    "ResultsLocked": ("locked", True),
    "ResultsPublished": ("published", True),
}


def round_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    name = kind_of(e).split(".", 1)[1]
    if name == "Created":
        key = value(e, "key")
        state.rounds[key] = RoundFacts(key, value(e, "title"), value(e, "instrument"))
        state.round_ids[e.originator_id] = state.round_ids[roster_id(key)] = key
    round_ = state.rounds[state.round_ids[e.originator_id]]
    department = _apply_round(round_, changes, name, vars(e))
    if name in FLAGS:
        setattr(round_, *FLAGS[name])
    if name in WHOLE_ROUND:
        changes.whole_rounds.add(round_.key)
    round_.position = position
    changes.rounds.add(round_.key)
    return round_.key, department, ""


def _apply_round(round_: RoundFacts, changes: Changes, name: str, f: dict[str, Any]) -> str | None:
    """The configuration change itself; returns the department concerned, if any."""
    if name == "InstrumentChanged":
        round_.set_instrument(f["instrument"])
    elif name == "CategoryDefined":
        round_.categories[f["key"]] = {"name": f["name"], "share": f["share"]}
    elif name == "GroupDefined":
        round_.groups[f["key"]] = f["name"]
    elif name == "VenueDefined":
        round_.venues[f["key"]] = f["name"]
        changes.venues.add((round_.key, f["key"]))
    elif name == "DepartmentEnrolled":
        round_.enrolled[f["key"]] = f["group"]
        round_.ballots.setdefault(f["key"], {})
        changes.tallies.add((round_.key, f["key"]))
        return str(f["key"])
    elif name == "SittingDefined":
        keep = ("name", "date", "half_day")
        round_.sittings[f["key"]] = {k: f[k] for k in keep} | {"agenda": list(f["agenda"])}
    elif name == "ComponentImported":
        round_.components[f["component"]] = dict(f["scores"])
    elif name == "Retitled":
        round_.title = f["title"]
    elif name == "DepartmentRegrouped":
        round_.enrolled[f["key"]] = f["group"]
        return str(f["key"])
    return None


def department_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    if kind_of(e) == "Department.Registered":
        round_key, key = value(e, "round_key"), value(e, "key")
        state.department_ids[department_id(round_key, key)] = (round_key, key)
        facts = DepartmentFacts(value(e, "name"), value(e, "short_name"), value(e, "group"), value(e, "head"))
        state.rounds[round_key].departments[key] = facts
    round_key, key = state.department_ids[e.originator_id]
    if kind_of(e) == "Department.ReportSubmitted":
        facts = state.rounds[round_key].departments[key]
        fields = ("title", "summary", "text", "file_sha256", "file_name")
        facts.report = {f: value(e, f) for f in fields}
        facts.report_revision += 1
    if kind_of(e) == "Department.Edited":
        facts = state.rounds[round_key].departments[key]
        facts.name, facts.short_name = value(e, "name"), value(e, "short_name")
        facts.group, facts.head = value(e, "group"), value(e, "head")
    if kind_of(e) == "Department.CredentialIssued":
        state.rounds[round_key].departments[key].credential_serial = value(e, "serial")
    changes.departments.add((round_key, key))
    return round_key, key, ""


def window_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    name = kind_of(e).split(".", 1)[1]
    if name == "Created":
        round_key, department = value(e, "round_key"), value(e, "department")
        state.window_ids[window_id(round_key, department)] = (round_key, department)
        state.rounds[round_key].windows[department] = WindowFacts(False, 0, timestamp_of(e))
    round_key, department = state.window_ids[e.originator_id]
    window = state.rounds[round_key].windows[department]
    window.changed_at = timestamp_of(e)
    if name in ("Opened", "Reopened"):
        window.is_open, window.openings = True, window.openings + 1
    elif name == "Closed":
        window.is_open = False
    changes.windows.add((round_key, department))
    return round_key, department, ""


def roster_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    return state.round_ids[e.originator_id], None, ""


def representative_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    name, f = type(e).__name__, vars(e)  # "Registered" of Representative.Registered
    if name == "Registered":
        rep = RepFacts(
            f["round_key"], f["number"], f["name"], f["category"], f["venue"], f["sitting"], f["phone"]
        )
        state.representatives[e.originator_id] = rep
        state.rounds[rep.round_key].representatives[e.originator_id] = rep
    else:
        rep = state.representatives[e.originator_id]
    if name == "CredentialIssued":
        rep.credential_serial, rep.revoked = f["serial"], False
    elif name == "CredentialRevoked":
        rep.revoked = True
    elif name == "CheckedIn":
        rep.checked_in = True
    elif name == "Edited":  # 修改代表信息: its old venue and sitting change too
        changes.venues.add((rep.round_key, rep.venue))
        changes.sittings.add((rep.round_key, rep.sitting))
        changes.whole_rounds.add(rep.round_key)
        rep.name, rep.category, rep.venue, rep.sitting = f["name"], f["category"], f["venue"], f["sitting"]
        rep.phone = f["phone"]
    state.rounds[rep.round_key].representative_changed()
    changes.representatives.add(e.originator_id)
    changes.venues.add((rep.round_key, rep.venue))
    changes.sittings.add((rep.round_key, rep.sitting))
    return rep.round_key, None, f" 第 {rep.number} 号 {rep.name} "
