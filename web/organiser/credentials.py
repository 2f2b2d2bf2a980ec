"""评议卡 — revoking (with a reason), reissuing and checking in one representative's credential, and the
page that shows a new code once, with a link to print its card. A card replaced or revoked ends the
representative's sessions on the server; 结束会话 ends them alone, for a tablet that was lost
(web/platform/representative_sessions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.keys import format_code
from web.organiser.reads import REPRESENTATIVE
from web.platform.forms import actor, attempt, back, flash, found, organiser, posted, render, round_row, text
from web.platform.paths import path_id
from web.platform.security import CHECKIN, ORGANISER, Forbidden, Principal, require


async def representative_of(request: Request, round_key: str) -> Any:
    """The representative in the path, only if it belongs to the organiser's round."""
    rep = path_id(request, "representative")
    return found(await request.app.state.reads.fetchrow(REPRESENTATIVE, rep, round_key), "代表")


async def at_the_desk(request: Request) -> tuple[Principal, Any]:
    """签到台 — the organiser, or check-in staff (签到员) for a representative of their own venue only."""
    who = require(request, ORGANISER, CHECKIN)
    rep = await representative_of(request, who.round_key)
    if who.role == CHECKIN and rep["venue"] != who.venue:
        raise Forbidden("签到员只能为本会场的代表签到或补卡")
    return who, rep


async def show_code(request: Request, rep: UUID, code: str, heading: str) -> Response:
    """The new credential code, shown on this page only: it is stored as a keyed hash and never shown again."""
    who = require(request, ORGANISER, CHECKIN)
    context = {"round": await round_row(request, who.round_key), "heading": heading, "rep": rep}
    return render(request, "organiser/credential.html", context | {"code": format_code(code)})


async def issue_and_show(
    request: Request, heading: str, issue: Callable[[], tuple[UUID, str]], replaced_by: str | None = None
) -> Response:
    """Runs a command that issues a representative's credential code and shows the code (once); a refusal goes
    back to the roster with the domain's message. A code that replaces a card (``replaced_by`` the actor) ends
    the representative's sessions at once."""
    try:
        rep, code = await run_in_threadpool(issue)
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/representatives")
    if replaced_by is not None:
        await request.app.state.representative_sessions.end_of([rep], replaced_by, "replaced")
    return await show_code(request, rep, code, heading)


async def reissue(request: Request) -> Response:
    who, rep = await at_the_desk(request)
    await posted(request)
    rep_id, commands = rep["representative_id"], request.app.state.commands
    heading = f"已为「{rep['name']}」（编号 {rep['number']}）补发评议卡，旧卡作废"
    return await issue_and_show(
        request, heading, lambda: (rep_id, commands.reissue_credential(rep_id, actor(who))), actor(who)
    )


async def revoke(request: Request) -> Response:
    who = organiser(request)
    rep = await representative_of(request, who.round_key)
    form = await posted(request)
    done = f"已作废「{rep['name']}」（编号 {rep['number']}）的评议卡"
    commands = request.app.state.commands
    rep_id = rep["representative_id"]
    if await attempt(request, done, commands.revoke_credential, rep_id, actor(who), text(form, "reason")):
        await request.app.state.representative_sessions.end_of([rep_id], actor(who), "revoked")
    return back(f"/organiser/representatives?q={rep['number']}")


async def check_in(request: Request) -> Response:
    who, rep = await at_the_desk(request)
    await posted(request)
    done = f"「{rep['name']}」（编号 {rep['number']}）已签到"
    await attempt(request, done, request.app.state.commands.check_in, rep["representative_id"], actor(who))
    return back(f"/organiser/representatives?q={rep['number']}")


async def end_sessions(request: Request) -> Response:
    """结束会话 — a representative's tablet was lost or left signed in: every session of theirs ends now; the
    card stays valid, so they sign in again on another tablet."""
    who, rep = await at_the_desk(request)
    await posted(request)
    rep_id = rep["representative_id"]
    ended = await request.app.state.representative_sessions.end_of([rep_id], actor(who), "desk")
    await run_in_threadpool(request.app.state.commands.end_sessions, rep_id, actor(who))  # in the history
    if ended:
        flash(request, f"已结束「{rep['name']}」的 {ended} 个会话，原平板须重新登录", "ok")
    else:
        flash(request, f"「{rep['name']}」没有进行中的会话", "ok")
    return back(f"/organiser/representatives?q={rep['number']}")


routes = [
    Route("/organiser/representatives/{representative}/reissue", reissue, methods=["POST"]),
    Route("/organiser/representatives/{representative}/revoke", revoke, methods=["POST"]),
    Route("/organiser/representatives/{representative}/check-in", check_in, methods=["POST"]),
    Route("/organiser/representatives/{representative}/end-sessions", end_sessions, methods=["POST"]),
]
