"""共用登录码的退役 — a round's shared organiser code stops working once the round has a 会务组 account.

A new sign-in with the code is refused (web/public/signin.py); a session opened with it before is a signed
cookie only (no server-side row to end), so ``StaffSessionGuard`` asks here on each of its requests and
clears it once the round has that account. The answer "retired" is kept for good (accounts are disabled,
never removed); "not yet" is asked again after ``CACHE_SECONDS``, so a session opened with the shared code
serves at most that much longer in each web process.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool

from evaluation.application import EvaluationApp
from web.platform.security import ORGANISER

CACHE_SECONDS = 2.0


class SharedOrganiserCodes:
    def __init__(self, commands: EvaluationApp) -> None:
        self.commands = commands
        self.retired_rounds: set[str] = set()
        self.asked: dict[str, float] = {}

    async def retired(self, round_key: str) -> bool:
        if round_key in self.retired_rounds:
            return True
        now = time.monotonic()
        if now - self.asked.get(round_key, -CACHE_SECONDS) < CACHE_SECONDS:
            return False
        self.asked[round_key] = now
        if await run_in_threadpool(self.commands.round_has_staff, round_key, ORGANISER):
            self.retired_rounds.add(round_key)
            return True
        return False
