"""留名建议答复 — the signed suggestions assigned to the signed-in department (with the signer's name,
which only this department sees), and its answers. Another department's suggestion is not found.

The answer goes to the signer at once (/opinions/mine) and, once the organiser has assigned the opinion the
suggestion became to this department, counts as that opinion's answer in the tracking (答复率) and the handling
figure (``projections.opinion_answers``); the page says which."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.suggestion import ANSWER_LIMIT
from web.department.feedback import own, signed_in_department
from web.department.reads import ANSWERABLE, SUGGESTION
from web.platform.forms import actor, attempt, back, found, posted, render, text
from web.platform.paths import path_id


async def suggestions(request: Request) -> Response:
    mine = await own(request)
    rows = await request.app.state.reads.fetch(ANSWERABLE, mine.round["round_key"], mine.key)
    context = {"round": mine.round, "dept": mine.row, "rows": rows, "limit": ANSWER_LIMIT}
    return render(request, "department/suggestions.html", context)


async def answer(request: Request) -> Response:
    who, _ = await signed_in_department(request)
    suggestion = path_id(request, "suggestion")
    found(await request.app.state.reads.fetchrow(SUGGESTION, suggestion, who.round_key, who.subject), "建议")
    form = await posted(request)
    command = request.app.state.commands.answer_suggestion
    await attempt(request, "答复已保存", command, suggestion, who.subject, text(form, "answer"), actor(who))
    return back(f"/department/suggestions#s-{suggestion}")


routes = [
    Route("/department/suggestions", suggestions),
    Route("/department/suggestions/{suggestion}/answer", answer, methods=["POST"]),
]
