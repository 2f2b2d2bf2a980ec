"""识别登录码 — whose code is this: a round's organiser, the platform's administrator, a staff member's
personal account, a representative, or a department.

A round's shared organiser code is retired once the administrator has given the round a personal organiser
account (会务组账号), a department's shared code once the department has a personal 部门工作人员 account: from
then on it is refused (``SharedCodeRetired``: use your own code). Rounds and departments without one keep it.

The organiser's code of each round (Keyring.organiser_code) is compared by keyed hash, in constant
time, against every round in rounds_view: the organiser types only the code, the code names the round.
Any other code goes to the domain: the administrator's current code (EvaluationApp.administrator_sign_in),
then the credentials (EvaluationApp.authenticate), which refuses unknown, replaced or revoked ones.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from evaluation.application import EvaluationApp
from evaluation.department import Department
from evaluation.errors import InvalidCredential
from evaluation.keys import Keyring, normalise_code
from evaluation.staff import SharedCodeRetired
from web.public.reads import ROUND_KEYS

LANDING = {
    "representative": "/r",
    "department": "/department",
    "organiser": "/organiser",
    "administrator": "/organiser/rounds",
    "checkin": "/organiser/representatives",
    "results_officer": "/organiser/results",
    "auditor": "/organiser/history",
}


@dataclass(frozen=True)
class Identity:
    role: str
    subject: str
    round_key: str
    extra: dict[str, str | int] = field(default_factory=dict)

    @property
    def landing(self) -> str:
        return LANDING[self.role]


def code_digest(keys: Keyring, code: str) -> str:
    """The keyed hash of a typed code: how the throttle names it (never the code itself)."""
    return keys.credential_hash(code)[:32]


async def identify(request: Request, code: str) -> Identity:
    code = normalise_code(code)
    if not 8 <= len(code) <= 32:
        raise InvalidCredential()
    commands: EvaluationApp = request.app.state.commands
    if round_key := await organiser_round(request, commands.keys, code):
        if await run_in_threadpool(commands.round_has_staff, round_key, "organiser"):
            raise SharedCodeRetired(holder="会务组")  # the round's organisers have personal accounts
        return Identity("organiser", "organiser", round_key)
    return await run_in_threadpool(_holder, commands, code)


async def organiser_round(request: Request, keys: Keyring, code: str) -> str | None:
    digest = keys.credential_hash(code)
    matched = None
    for row in await request.app.state.reads.fetch(ROUND_KEYS):
        expected = keys.credential_hash(keys.organiser_code(row["round_key"]))
        if hmac.compare_digest(digest, expected):
            matched = row["round_key"]
    return matched


def _holder(commands: EvaluationApp, code: str) -> Identity:
    if (serial := commands.administrator_sign_in(code)) is not None:
        return Identity("administrator", "administrator", "", {"serial": serial})
    if (account := commands.staff_sign_in(code)) is not None:
        subject = account.department if account.role == "department" else str(account.id)
        extra: dict[str, str | int] = {
            "account": str(account.id),
            "name": account.name,
            "serial": account.serial,
        }
        if account.venue:
            extra["venue"] = account.venue
        return Identity(account.role, subject, account.round_key, extra)
    holder = commands.authenticate(code)
    if holder.kind == "representative":
        rep = commands.representative(holder.id)
        return Identity("representative", str(rep.id), rep.round_key, {"serial": rep.credential_serial})
    department = commands.load(Department, holder.id, "部门")
    if commands.department_has_staff(department.round_key, department.key):
        raise SharedCodeRetired(holder="本部门")  # its staff sign in with their own codes
    serial = department.credential_serial
    return Identity("department", department.key, department.round_key, {"serial": serial})
