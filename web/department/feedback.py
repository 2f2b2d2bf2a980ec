"""部门可见的内容 — the signed-in department's own row, and (after publication) its results and its
comment summary, computed by ``projections.feedback`` (which withholds everything below 5 returns).

Every department route goes through ``signed_in_department``: a sign-in code replaced since the session
began (the organiser issued a new one) ends the session there, as ``web.tablet.seat.load_seat`` does for cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from evaluation.instrument import Instrument
from projections.comment_groups import Triaged
from projections.feedback import Feedback, NotEnough, department_feedback
from projections.public_numbers import public_line, public_tally
from web.department.reads import BALLOTS, COMMENT_TRIAGE, DEPARTMENT, RANKING, SUGGESTIONS, TALLY
from web.platform.builds import slot
from web.platform.errors import NotPublished
from web.platform.forms import department, found, round_row
from web.platform.security import Principal, end_if_replaced
from web.platform.sittings import sitting_label


@dataclass(frozen=True)
class Own:
    """What the signed-in department is: its key, its departments_view row, the round and its sitting."""

    key: str
    row: Any
    round: Any
    sitting: str


async def signed_in_department(request: Request) -> tuple[Principal, Any]:
    """The signed-in department and its departments_view row, unless a newer code has been issued since
    it signed in: then the session ends here (``web.platform.security.end_if_replaced``)."""
    who = department(request)
    row = await request.app.state.public_reads.fetchrow(DEPARTMENT, who.round_key, who.subject)
    found(row, "部门")
    if not who.account:  # department staff's personal accounts are checked by their server-side session
        end_if_replaced(request, row["credential_serial"])
    return who, row


async def own(request: Request) -> Own:
    who, row = await signed_in_department(request)
    round_ = await round_row(request, who.round_key)
    sittings = round_["sittings"].values()
    sitting = next((sitting_label(s) for s in sittings if who.subject in s["agenda"]), "")
    return Own(who.subject, row, round_, sitting)


async def published(request: Request) -> Own:
    """The department, only once the round's results are published."""
    mine = await own(request)
    if not mine.round["published"]:
        raise NotPublished()
    return mine


def answer_of(suggestion: Any) -> str | None:
    """A signed suggestion's answer as the summary and its downloads say it: the one given on 「留名建议答复」, or
    the one its opinion got on 「意见办理」, with its day."""
    if suggestion["answer"]:
        return str(suggestion["answer"])
    if suggestion["handled"]:
        return f"已在意见办理中答复（{suggestion['handled_on']}）：{suggestion['handled']}"
    return None


async def feedback(request: Request, mine: Own) -> Feedback | NotEnough:
    """The department's comment summary, read and built in one of the process's build slots (web.builds)."""
    reads = request.app.state.public_reads
    async with slot(request):
        ballots = await reads.fetch(BALLOTS, mine.round["round_key"], mine.key)
        suggestions = await reads.fetch(SUGGESTIONS, mine.round["round_key"], mine.key)
        triage = [
            Triaged(t["text"], t["shown"], t["theme"], t["group_id"] and str(t["group_id"]),
                    t["not_opinion"] is not None, t["redacted"])
            for t in await reads.fetch(COMMENT_TRIAGE, mine.round["round_key"], mine.key)
        ]  # fmt: skip
        instrument = Instrument.from_dict(mine.round["instrument"])
        return await run_in_threadpool(
            department_feedback,
            mine.key,
            instrument,
            [(b["choice"], b["comment"]) for b in ballots],
            [(s["name"], s["text"], answer_of(s)) for s in suggestions],
            mine.sitting,
            triage,
        )


async def results(request: Request, mine: Own) -> tuple[Any, Any]:
    """(its tally with ``eligible``, its own line of its group's ranking with ``of`` = the group's size).

    Nothing of another department leaves this function."""
    reads = request.app.state.public_reads
    round_key = mine.round["round_key"]
    row = await reads.fetchrow(TALLY, round_key, mine.key)
    ranking = await reads.fetchval(RANKING, round_key, mine.row["group_key"]) or []
    line = next((entry for entry in ranking if entry["department"] == mine.key), None)
    tally = {**public_tally(row["tally"]), "eligible": row["eligible"]} if row else None
    return tally, ({**public_line(line), "of": len(ranking)} if line else None)
