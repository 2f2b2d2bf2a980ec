"""用工作簿更新活动 — what the update page and ``sanmin round import --update`` do: read the workbook, say what
would change in the round, and apply it once confirmed (evaluation/round_update.py holds the rules)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol

from evaluation.errors import InvalidInput
from evaluation.round_plan import RoundPlan
from evaluation.round_update import PlanChange
from workbook.reader import read_workbook
from workbook.tables import UpdateWorkbookRejected, WorkbookRejected


class UpdateTarget(Protocol):
    parse: Callable[..., Any]
    """Runs the reader (in the web process: in a memory-limited child, ``storage/confined.py``)."""

    def round_update_changes(self, round_key: str, plan: RoundPlan) -> list[PlanChange]: ...

    def update_round_from_plan(self, round_key: str, plan: RoundPlan, by: str, source: str = "") -> int: ...


def plan_for_update(app: UpdateTarget, data: bytes, filename: str) -> RoundPlan:
    """The plan in the workbook, read to update a round; raises ``UpdateWorkbookRejected`` (every problem by
    sheet, row and column), whose message says that nothing was changed (not that nothing was created)."""
    try:
        plan: RoundPlan = app.parse(read_workbook, data, filename)
    except WorkbookRejected as refusal:
        raise UpdateWorkbookRejected(refusal.problems) from None
    return plan


def workbook_changes(app: UpdateTarget, round_key: str, data: bytes, filename: str) -> list[PlanChange]:
    """What updating ``round_key`` with this workbook would change; raises ``UpdateWorkbookRejected`` or the
    domain's refusal (another round's workbook, scoring started)."""
    return app.round_update_changes(round_key, plan_for_update(app, data, filename))


def changes_digest(changes: list[PlanChange]) -> str:
    """Names the list of changes a person saw and confirmed: the round must not have moved meanwhile."""
    return hashlib.sha256(repr(changes).encode()).hexdigest()


def update_from_workbook(
    app: UpdateTarget, round_key: str, data: bytes, filename: str, by: str, confirmed: str | None = None
) -> int:
    """Applies the workbook to the round, all or nothing; returns how many changes were applied. With
    ``confirmed`` (a ``changes_digest``), refused if what would change is no longer what was shown."""
    plan = plan_for_update(app, data, filename)
    if confirmed is not None and changes_digest(app.round_update_changes(round_key, plan)) != confirmed:
        raise InvalidInput("活动设置在预览之后已有变动：请重新上传工作簿，核对变动后再确认")
    return app.update_round_from_plan(round_key, plan, by, source=filename)
