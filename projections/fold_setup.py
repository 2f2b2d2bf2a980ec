"""准备与报到 — folding the events of rounds, departments, windows, rosters and representatives.

Each handler changes the in-memory state, marks what the batch must rewrite, and returns where the
event belongs for its history row: (round key, department or None, subject).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from evaluation.department import department_id
from evaluation.representative import roster_id
from evaluation.window import window_id
from projections.changes import Changes
from projections.event_log import kind_of, timestamp_of, value
from projections.state import DepartmentFacts, RepFacts, RoundFacts, ViewState, WindowFacts
from projections.tables import ReportRevisionRow

Event = DomainEventProtocol[UUID]
Where = tuple[str, str | None, str]

WHOLE_ROUND = {
    "InstrumentChanged",
    "CategoryDefined",
    "SittingDefined",
    "ComponentImported",
    "CategoryRemoved",
    "SittingRemoved",
    "DepartmentWithdrawn",
}
FLAGS = {
    "ResultsRevealed": ("revealed", True),
    "ResultsHidden": ("revealed", False),
    "ResultsLocked": ("locked", True),
    "ResultsPublished": ("published", True),
    "PreReadingOpened": ("pre_reading", True),
    "PreReadingClosed": ("pre_reading", False),
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
        _leaves_group(round_, changes, f["key"])
        round_.enrolled[f["key"]] = f["group"]
        round_.ballots.setdefault(f["key"], {})
        changes.tallies.add((round_.key, f["key"]))
        return str(f["key"])
    elif name == "SittingDefined":
        keep = ("name", "date", "half_day")
        round_.sittings[f["key"]] = {k: f[k] for k in keep} | {"agenda": list(f["agenda"])}
    elif name == "ComponentImported":
        round_.components[f["component"]] = dict(f["scores"])
    else:
        return _removed(round_, changes, name, f)
    return None


def _removed(round_: RoundFacts, changes: Changes, name: str, f: dict[str, Any]) -> str | None:
    """Something taken out of the round's set-up (only what nothing refers to: ``Round.remove_*``)."""
    key = f.get("key", "")
    if name == "Retitled":
        round_.title = f["title"]
    elif name == "CategoryRemoved":
        round_.categories.pop(key, None)
    elif name == "GroupRemoved":
        round_.groups.pop(key, None)
    elif name == "VenueRemoved":
        round_.venues.pop(key, None)
        changes.venues.discard((round_.key, key))
        changes.removed.add(("venues_view", (round_.key, key)))
    elif name == "SittingRemoved":
        round_.sittings.pop(key, None)
    elif name == "DepartmentWithdrawn":
        _leaves_group(round_, changes, key)
        round_.enrolled.pop(key, None)
        round_.ballots.pop(key, None)
        round_.tallies.pop(key, None)
        changes.tallies.discard((round_.key, key))
        changes.removed.add(("results_view", (round_.key, key)))
        return str(key)
    return None


def _leaves_group(round_: RoundFacts, changes: Changes, department: str) -> None:
    """A department leaving its group: the group's ranking is written again, or deleted once empty."""
    group = round_.enrolled.get(department)
    if group is None:
        return
    others = [d for d, g in round_.enrolled.items() if g == group and d != department]
    if others:
        changes.tallies.add((round_.key, others[0]))
    else:
        changes.removed.add(("rankings_view", (round_.key, group)))


def department_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    if kind_of(e) == "Department.Registered":
        round_key, key = value(e, "round_key"), value(e, "key")
        state.department_ids[department_id(round_key, key)] = (round_key, key)
        facts = DepartmentFacts(value(e, "name"), value(e, "short_name"), value(e, "group"), value(e, "head"))
        state.rounds[round_key].departments[key] = facts
    round_key, key = state.department_ids[e.originator_id]
    if kind_of(e) == "Department.ReportSubmitted":
        fields = ("title", "summary", "text", "file_sha256", "file_name")
        report = {f: value(e, f) for f in fields}
        file = {"sha256": report["file_sha256"], "size": 0, "name": report["file_name"]}
        revised(state, changes, e, position, report, file if file["sha256"] else None)
    if kind_of(e) == "Department.CredentialIssued":
        state.rounds[round_key].departments[key].credential_serial = value(e, "serial")
    if kind_of(e) in ("Department.DetailsChanged", "Department.Rejoined"):
        facts = state.rounds[round_key].departments.setdefault(key, DepartmentFacts("", "", "", ""))
        facts.name, facts.short_name = value(e, "name"), value(e, "short_name")
        facts.group, facts.head = value(e, "group"), value(e, "head")
    if kind_of(e) == "Department.Withdrawn":
        state.rounds[round_key].departments.pop(key, None)
        changes.departments.discard((round_key, key))
        changes.removed.add(("departments_view", (round_key, key)))
        return round_key, key, ""
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


def report_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    """述职报告 — a revision is a report_revisions_view row; the current one is the department's report."""
    if kind_of(e) == "Report.Started":
        state.department_ids[e.originator_id] = (value(e, "round_key"), value(e, "department"))
    round_key, key = state.department_ids[e.originator_id]
    if kind_of(e) == "Report.Submitted":
        file: dict[str, Any] | None = value(e, "file")
        report = {
            "title": value(e, "title"),
            "summary": value(e, "summary"),
            "text": value(e, "text"),
            "file_sha256": file["sha256"] if file else "",
            "file_name": file["name"] if file else "",
            "file_size": file["size"] if file else 0,
        }
        if value(e, "after_scoring"):
            scored(state.rounds[round_key].departments[key].report, report, e)
        revised(state, changes, e, position, report, file, value(e, "on_behalf"))
    return round_key, key, ""


def scored(before: dict[str, Any] | None, report: dict[str, Any], e: Event) -> None:
    """A revision made after the department's scoring began: the report says which revision was current
    when scoring began (``scored_revision``, kept from the first such revision) and when it was last revised
    (``revised_at``, an ISO moment), so every page showing it can say so."""
    kept = (before or {}).get("scored_revision")
    report["scored_revision"] = kept if kept is not None else value(e, "revision") - 1
    report["revised_at"] = timestamp_of(e).isoformat()


def revised(
    state: ViewState,
    changes: Changes,
    e: Event,
    position: int,
    report: dict[str, Any],
    file: dict[str, Any] | None,
    on_behalf: bool | None = None,
) -> None:
    """A new revision of a department's report: its row, and the department's current report."""
    round_key, key = state.department_ids[e.originator_id]
    facts = state.rounds[round_key].departments[key]
    facts.report = report
    facts.report_revision += 1
    by = str(value(e, "by") or "")
    changes.report_revisions.append(
        ReportRevisionRow(
            round_key,
            key,
            facts.report_revision,
            report["title"],
            report["summary"],
            report["text"],
            None if file is None else json.dumps(file, ensure_ascii=False),
            by,
            not by.startswith("department:") if on_behalf is None else bool(on_behalf),
            position,
            timestamp_of(e),
        )
    )
    changes.departments.add((round_key, key))


def lineage_event(state: ViewState, changes: Changes, e: Event, position: int) -> Where:
    """历年对比的对应关系 (evaluation/year_over_year.py): no view of its own, a line of the round's history."""
    if kind_of(e) == "Lineage.Created":
        state.round_ids[e.originator_id] = value(e, "round_key")
    department = value(e, "department") if kind_of(e) == "Lineage.DepartmentMatched" else None
    return state.round_ids[e.originator_id], department, ""
