"""每日办理提醒 — the organiser's daily digest of the opinions in hand (a pure function over opinions_view rows,
no I/O): per lead department what is overdue, what falls due in the next ``DUE_SOON`` working days, what was
returned for rework, and what asks for reassignment; and what waits for the organiser (answers to review,
reassignments to decide). A merged group counts once, with its size.

"Waiting for the department" is an opinion assigned, not yet published, with no answer or its answer returned
(退回重办). Overdue: waiting past its deadline (the tracking page also counts answers given late; the digest lists
what can still be done). Working days are Monday to Friday, as the deadline itself (``evaluation.opinion``).

The screen (/organiser/opinions/digest) and ``sanmin opinion-digest`` read the same rows, ``DIGEST_ROWS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from evaluation.opinion import add_working_days
from projections.opinion_answers import ANSWERED_OPINIONS

DUE_SOON = 3
"""Working days ahead that count as 即将到期."""

DIGEST_ROWS = f"""
SELECT opinion_id, group_id, lead, shown, deadline, review, reassignment, answered
FROM ({ANSWERED_OPINIONS}) o
WHERE round_key = $1 AND lead IS NOT NULL AND NOT published
  AND (NOT answered OR review IN ('pending', 'returned') OR reassignment IS NOT NULL)
ORDER BY deadline, lead, coalesce(group_id, opinion_id), opinion_id
"""
"""The opinions in hand of a round: assigned, not published, waiting for someone. A signed suggestion its lead
department answered directly waits for nobody (``projections.opinion_answers``)."""


@dataclass(frozen=True)
class DigestItem:
    """One opinion, or one merged group (``count`` its size), with its deadline."""

    text: str
    deadline: str
    count: int
    days_late: int = 0
    reason: str = ""


@dataclass
class DepartmentDigest:
    department: str
    overdue: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)
    returned: list[DigestItem] = field(default_factory=list)
    reassignment: list[DigestItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.returned or self.reassignment)


@dataclass(frozen=True)
class Digest:
    day: str
    departments: list[DepartmentDigest]
    """Those with something to report, most overdue first."""
    to_review: int
    """Answers (a merged group once) waiting for the organiser's review."""
    to_reassign: int

    @property
    def overdue(self) -> int:
        return sum(len(d.overdue) for d in self.departments)

    @property
    def due_soon(self) -> int:
        return sum(len(d.due_soon) for d in self.departments)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    span = (end - start).days
    if span <= 0:
        return 0
    weeks, rest = divmod(span, 7)
    tail = sum(1 for n in range(1, rest + 1) if (start.weekday() + n) % 7 < 5)
    return weeks * 5 + tail


def daily_digest(rows: Iterable[Mapping[str, Any]], today: date) -> Digest:
    """From ``DIGEST_ROWS`` (a merged group's members all carry the same lead, deadline and state)."""
    soon = add_working_days(today, DUE_SOON).isoformat()
    units: dict[tuple[str, Any], list[Mapping[str, Any]]] = {}
    for r in rows:
        units.setdefault((r["lead"], r["group_id"] or r["opinion_id"]), []).append(r)
    departments: dict[str, DepartmentDigest] = {}
    to_review = to_reassign = 0
    for (lead, _), members in units.items():
        first = members[0]
        mine = departments.setdefault(lead, DepartmentDigest(lead))
        deadline = first["deadline"] or ""
        item = DigestItem(first["shown"], deadline, len(members))
        waiting = not first["answered"] or first["review"] == "returned"
        if first["reassignment"]:
            to_reassign += 1
            mine.reassignment.append(
                DigestItem(item.text, deadline, item.count, reason=first["reassignment"])
            )
        elif first["review"] == "pending":
            to_review += 1
        if not waiting or first["reassignment"]:
            continue
        if first["review"] == "returned":
            mine.returned.append(item)
        if deadline and deadline < today.isoformat():
            late = working_days_between(date.fromisoformat(deadline), today)
            mine.overdue.append(DigestItem(item.text, deadline, item.count, days_late=late))
        elif deadline and deadline <= soon:
            mine.due_soon.append(item)
    shown = [d for d in departments.values() if not d.empty]
    shown.sort(key=lambda d: (-len(d.overdue), -len(d.due_soon), d.department))
    return Digest(today.isoformat(), shown, to_review, to_reassign)


def digest_text(digest: Digest, title: str, names: Mapping[str, str]) -> str:
    """The digest as plain text (for ``sanmin opinion-digest`` and its outbox file)."""
    lines = [f"{title} 意见办理每日提醒（{digest.day}）", ""]
    lines.append(
        f"逾期 {digest.overdue} 件，{DUE_SOON} 个工作日内到期 {digest.due_soon} 件；"
        f"待审核答复 {digest.to_review} 件，改派申请 {digest.to_reassign} 件。"
    )
    for d in digest.departments:
        lines += ["", f"【{names.get(d.department, d.department)}】"]
        for label, items in (("逾期", d.overdue), ("即将到期", d.due_soon), ("退回重办", d.returned)):
            for i in items:
                extra = f"，已逾期 {i.days_late} 个工作日" if i.days_late else ""
                group = f"（合并 {i.count} 条）" if i.count > 1 else ""
                lines.append(f"  {label}：{i.text}{group} — 期限 {i.deadline}{extra}")
        for i in d.reassignment:
            lines.append(f"  申请改派：{i.text} — 原因：{i.reason}")
    if not digest.departments:
        lines += ["", "今天没有逾期、即将到期或待处理的意见。"]
    return "\n".join(lines) + "\n"
