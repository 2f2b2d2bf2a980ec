"""意见分拣 — the organiser's inbox of a round's opinions: 收集意见 from a sitting's comments and signed suggestions,
merge suggestions (near-duplicates with counts, accepted whole or with members unticked = split off), themes,
非意见 with a reason, personal data found for confirmation (脱敏), and assignment to departments.

Keyboard (web/organiser/static/opinions.js): j/k move, x tick, m merge the ticked, a assign, n 非意见, t theme.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.opinion import DEFAULT_WORKING_DAYS
from evaluation.opinion_handling import OpinionSource
from evaluation.personal_data import find_personal_data, proposed_redaction
from projections.keywords import THEMES
from projections.opinion_similarity import MergeSuggestion, OpinionText, merge_suggestions
from web.organiser.reads import (
    COMMENT_SOURCES,
    ONLINE_COMMENT_SOURCES,
    OPINION_GROUP,
    OPINIONS_STATE,
    SUGGESTION_SOURCES,
    TRIAGE_COUNTS,
    TRIAGE_PAGE,
    TRIAGE_PAGE_COUNT,
    UNTRIAGED_TEXTS,
    department_names,
)
from web.platform.builds import slot
from web.platform.forms import (
    actor,
    attempt,
    back,
    flash,
    organiser,
    posted,
    render,
    round_row,
    text,
    whole_number,
)
from web.platform.paths import path_id

PAGE = 100
SUGGESTIONS_SHOWN = 30
_cache: dict[str, tuple[int, list[MergeSuggestion]]] = {}
"""Merge suggestions per round, kept while the round's opinions are unchanged (by their latest position)."""


async def suggestions_for(request: Request, round_key: str) -> list[MergeSuggestion]:
    """合并建议 of the round's untriaged opinions, computed once per change (about 2 s at 18,000)."""
    reads = request.app.state.reads
    state = await reads.fetchrow(OPINIONS_STATE, round_key)
    cached = _cache.get(round_key)
    if cached is not None and cached[0] == state["position"]:
        return cached[1]
    async with slot(request):
        rows = await reads.fetch(UNTRIAGED_TEXTS, round_key)
        texts = [OpinionText(r["opinion_id"], r["department"], r["text"]) for r in rows]
        found = await run_in_threadpool(merge_suggestions, texts)
    _cache[round_key] = (state["position"], found)
    return found


def with_findings(row: Any) -> dict[str, Any]:
    item = dict(row)
    findings = [] if row["redacted"] else find_personal_data(row["text"])
    item["findings"] = findings
    item["proposal"] = proposed_redaction(row["text"], findings) if findings else ""
    return item


async def triage(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    reads = request.app.state.reads
    department = request.query_params.get("department", "")[:40]
    page = whole_number(request.query_params.get("page")) or 1
    rows = await reads.fetch(TRIAGE_PAGE, who.round_key, department, PAGE, (page - 1) * PAGE)
    total = await reads.fetchval(TRIAGE_PAGE_COUNT, who.round_key, department)
    merges = await suggestions_for(request, who.round_key)
    if department:
        merges = [m for m in merges if m.department == department]
    context = {
        "round": round_,
        "counts": await reads.fetchrow(TRIAGE_COUNTS, who.round_key),
        "rows": [with_findings(r) for r in rows],
        "merges": merges[:SUGGESTIONS_SHOWN],
        "merge_total": len(merges),
        "names": await department_names(reads, who.round_key),
        "department": department,
        "page": page,
        "pages": max(1, -(-total // PAGE)),
        "themes": list(THEMES),
        "working_days": DEFAULT_WORKING_DAYS,
        "sittings": round_["sittings"],
    }
    return render(request, "organiser/opinions.html", context)


def chosen(form: FormData) -> list[UUID]:
    """The ticked opinions (``ids``); bad ids are bad input, not a server error."""
    ids: list[UUID] = []
    for value in form.getlist("ids"):  # a merge suggestion's variant ticks all its opinions: "id,id,…"
        for part in str(value).split(","):
            try:
                ids.append(UUID(part))
            except ValueError:
                raise InvalidInput("所选意见无效") from None
    if not ids:
        raise InvalidInput("请先勾选意见")
    return ids[:5_000]


async def collect(request: Request) -> Response:
    """收集意见 — from one sitting (or every sitting): each comment and signed suggestion becomes one opinion once."""
    who = organiser(request)
    form = await posted(request)
    round_ = await round_row(request, who.round_key)
    sitting = text(form, "sitting")
    if sitting and sitting not in round_["sittings"]:
        raise HTTPException(404)
    agenda = round_["sittings"][sitting]["agenda"] if sitting else []
    reads = request.app.state.reads
    comments = await reads.fetch(COMMENT_SOURCES, who.round_key, agenda)
    signed = await reads.fetch(SUGGESTION_SOURCES, who.round_key, agenda)
    sources = [OpinionSource("comment", r["source_id"], r["department"], r["text"]) for r in comments]
    sources += [OpinionSource("suggestion", r["source_id"], r["department"], r["text"]) for r in signed]
    online = await reads.fetch(ONLINE_COMMENT_SOURCES, who.round_key, agenda)
    sources += [OpinionSource("online", r["source_id"], r["department"], r["text"]) for r in online]
    command = request.app.state.commands.collect_opinions
    try:
        new = await run_in_threadpool(command, who.round_key, sources, actor(who))
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
    else:
        flash(request, f"已收集 {new} 条新意见（共读取 {len(sources)} 条评议留言、留名建议和网络意见）")
    return back("/organiser/opinions")


def _return_to(form: FormData) -> str:
    department = text(form, "department_filter")
    return f"/organiser/opinions?department={quote(department)}" if department else "/organiser/opinions"


async def merge(request: Request) -> Response:
    """合并 — the ticked opinions become one group; a suggested theme is set on the group with it."""
    who = organiser(request)
    form = await posted(request)
    commands, theme = request.app.state.commands, text(form, "theme")

    def merge_and_classify(ids: list[UUID]) -> None:
        commands.merge_opinions(who.round_key, ids, actor(who))
        if theme:
            commands.classify_opinions(who.round_key, ids, theme, actor(who))

    await attempt(request, "已合并", lambda: merge_and_classify(chosen(form)))
    return back(_return_to(form))


async def _on_chosen(request: Request, done: str, command_name: str, *fields: str) -> Response:
    """The ticked opinions, with the form's ``fields``, to one of the round's opinion commands."""
    who = organiser(request)
    form = await posted(request)
    command, values = getattr(request.app.state.commands, command_name), [text(form, f) for f in fields]
    await attempt(request, done, lambda: command(who.round_key, chosen(form), *values, actor(who)))
    return back(_return_to(form))


async def split(request: Request) -> Response:
    return await _on_chosen(request, "已拆分", "split_opinions")


async def classify(request: Request) -> Response:
    return await _on_chosen(request, "已分类", "classify_opinions", "theme")


async def set_aside(request: Request) -> Response:
    """非意见, with its reason."""
    return await _on_chosen(request, "已标为非意见", "mark_not_opinion", "reason")


async def redact(request: Request) -> Response:
    """脱敏 — the text a person confirmed."""
    who = organiser(request)
    opinion = path_id(request, "opinion")
    form = await posted(request)
    command = request.app.state.commands.redact_opinion
    await attempt(request, "已确认脱敏", command, who.round_key, opinion, text(form, "text"), actor(who))
    return back(_return_to(form))


def working_days(form: FormData) -> int:
    """办理期限 as typed: the usual 15 when left empty; a whole number otherwise, which the domain checks
    (0 is refused there, not taken as the default)."""
    given = text(form, "working_days")
    if not given:
        return DEFAULT_WORKING_DAYS
    if not (given.isascii() and given.isdigit() and len(given) <= 6):
        raise InvalidInput("办理期限须是 1 到 120 的整数（工作日）")
    return int(given)


async def assign(request: Request) -> Response:
    """交办 — the ticked opinions and the rest of their groups, to a lead and co-operating departments."""
    who = organiser(request)
    form = await posted(request)
    reads, commands = request.app.state.reads, request.app.state.commands
    lead = text(form, "lead")
    cooperating = [str(d) for d in form.getlist("cooperating") if str(d) and str(d) != lead]

    async def members() -> list[UUID]:
        ids = chosen(form)
        group = await reads.fetch(OPINION_GROUP, who.round_key, ids)
        return list(dict.fromkeys([*ids, *(r["opinion_id"] for r in group)]))

    try:
        days = working_days(form)
        ids = await members()
    except InvalidInput as refusal:
        flash(request, refusal.message, "error")
        return back(_return_to(form))
    command = commands.assign_opinions
    await attempt(
        request, f"已交办 {len(ids)} 条意见", command, who.round_key, ids, lead, cooperating, actor(who),
        working_days=days,
    )  # fmt: skip
    return back(_return_to(form))


routes = [
    Route("/organiser/opinions", triage),
    Route("/organiser/opinions/collect", collect, methods=["POST"]),
    Route("/organiser/opinions/merge", merge, methods=["POST"]),
    Route("/organiser/opinions/split", split, methods=["POST"]),
    Route("/organiser/opinions/classify", classify, methods=["POST"]),
    Route("/organiser/opinions/set-aside", set_aside, methods=["POST"]),
    Route("/organiser/opinions/{opinion}/redact", redact, methods=["POST"]),
    Route("/organiser/opinions/assign", assign, methods=["POST"]),
]
