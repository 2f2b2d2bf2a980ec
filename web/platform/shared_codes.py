"""共用登录码的退役 — a shared code stops working once personal accounts take its place: a round's shared
organiser code once the round has a 会务组 account, a department's shared code (部门登录码) once that
department (of that round) has a 部门工作人员 account.

A new sign-in with the code is refused (web/public/signin.py, ``SharedCodeRetired``); a session opened with it
before is a signed cookie only (no server-side row to end), so ``StaffSessionGuard`` asks here on each of its
requests and clears it once the code is retired. The answer "retired" is kept for good (accounts are
disabled, never removed); "not yet" is asked again after ``CACHE_SECONDS``, so a session opened with a shared
code serves at most that much longer in each web process.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool

from evaluation.application import EvaluationApp
from web.platform.security import ORGANISER

CACHE_SECONDS = 2.0


class SharedCodes:
    def __init__(self, commands: EvaluationApp) -> None:
        self.commands = commands
        self.retired_codes: set[tuple[str, str]] = set()
        self.asked: dict[tuple[str, str], float] = {}

    async def retired(self, round_key: str, department: str = "") -> bool:
        """Whether the round's shared organiser code (``department`` empty), or the department's shared
        code, is retired."""
        code = (round_key, department)
        if code in self.retired_codes:
            return True
        now = time.monotonic()
        if now - self.asked.get(code, -CACHE_SECONDS) < CACHE_SECONDS:
            return False
        self.asked[code] = now
        if await run_in_threadpool(self._has_accounts, round_key, department):
            self.retired_codes.add(code)
            return True
        return False

    def _has_accounts(self, round_key: str, department: str) -> bool:
        if department:
            return self.commands.department_has_staff(round_key, department)
        return self.commands.round_has_staff(round_key, ORGANISER)
