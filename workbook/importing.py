"""导入活动工作簿 — what ``sanmin round import`` and the upload page do: read the file, create the round."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol

from evaluation.round_plan import RoundPlan
from workbook.reader import read_workbook


class PlanTarget(Protocol):
    parse: Callable[..., Any]
    """Runs the reader (in the web process: in a memory-limited child, ``storage/confined.py``)."""

    def create_round_from_plan(
        self, plan: RoundPlan, by: str, source: str = "", source_sha256: str = ""
    ) -> tuple[str, str]: ...


def import_workbook(app: PlanTarget, data: bytes, filename: str, by: str) -> tuple[str, str]:
    """Creates the round a workbook describes, all or nothing; returns its key and organiser sign-in code.

    Raises ``WorkbookRejected`` (every problem, placed by sheet, row and column) or a refusal of the domain
    (``AlreadyExists`` when the round's key is taken)."""
    plan: RoundPlan = app.parse(read_workbook, data, filename)
    return app.create_round_from_plan(
        plan, by, source=filename, source_sha256=hashlib.sha256(data).hexdigest()
    )
