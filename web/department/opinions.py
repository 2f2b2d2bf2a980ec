"""意见办理（部门）— the opinions assigned to the signed-in department: it answers those it leads (承办), one answer
for a merged group (reply text, measures, state 已答复 / 办理中 / 已办结, an optional 证明材料 file), or asks for reassignment with a reason;
it reads those it co-operates on (协办). Another department's opinion is not found. A refused answer or request
for reassignment comes back (422 or as the refusal says) on the page with everything typed and chosen kept and
the refusal inside that opinion's card (role=alert); the forms post to the card's alert (``#problem-…``), so
the browser shows it in view on the page it gets back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.evidence import EVIDENCE_LIMIT
from evaluation.opinion import ANSWER_STATES
from web.department.feedback import own, signed_in_department
from web.department.reads import (
    ASSIGNED_OPINIONS,
    MOVED_AWAY,
    OPINION_EVIDENCE,
    OPINION_GROUP_MEMBERS,
    OWN_OPINION,
)
from web.platform.errors import status_of
from web.platform.evidence_files import evidence_response
from web.platform.forms import (
    TooLarge,
    actor,
    back,
    flash,
    found,
    posted,
    render,
    text,
    typed_anyway,
    uploaded_file,
)
from web.platform.opinion_rows import opinion_row
from web.platform.paths import path_id


@dataclass(frozen=True)
class Kept:
    """A refused answer as the department typed it: its opinion's form shows it again with the refusal beside
    it (a file cannot be given back: the refusal says to choose it again)."""

    opinion_id: UUID
    text: str
    measures: str
    state: str
    drop_evidence: bool
    problem: str
    reason: str = ""
    reassigning: bool = False
    """True when the refused form was 申请改派 (its reason kept; the refusal shown beside that form)."""


TOO_LARGE = f"证明材料不能超过 {EVIDENCE_LIMIT // (1024 * 1024)} MB，请压缩后重新选择文件"


async def opinions(request: Request) -> Response:
    return await _page(request)


async def _page(request: Request, kept: Kept | None = None, status: int = 200) -> Response:
    mine = await own(request)
    rows = [
        opinion_row(r)
        for r in await request.app.state.reads.fetch(ASSIGNED_OPINIONS, mine.round["round_key"], mine.key)
    ]
    groups: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["group_id"] or r["opinion_id"], []).append(r)
    context = {
        "round": mine.round,
        "dept": mine.row,
        "groups": list(groups.values()),
        "states": ANSWER_STATES,
        "evidence_mb": EVIDENCE_LIMIT // (1024 * 1024),
        "kept": kept,
        "moved": await request.app.state.reads.fetch(MOVED_AWAY, mine.round["round_key"], mine.key),
    }
    return render(request, "department/opinions.html", context, status=status)


async def _own_opinion(request: Request) -> tuple[Any, Any]:
    who, _ = await signed_in_department(request)
    opinion = path_id(request, "opinion")
    row = found(
        await request.app.state.reads.fetchrow(OWN_OPINION, opinion, who.round_key, who.subject), "意见"
    )
    return who, row


async def _other_members(request: Request, who: Any, row: Any) -> list[UUID]:
    """The rest of the opinion's merged group that this department leads, from the read model."""
    if row["group_id"] is None:
        return []
    members = await request.app.state.reads.fetch(
        OPINION_GROUP_MEMBERS, who.round_key, who.subject, row["group_id"], row["opinion_id"]
    )
    return [m["opinion_id"] for m in members]


async def answer(request: Request) -> Response:
    """答复 — for the opinion and the rest of its group, with an optional 证明材料 (PDF or image, ≤ 10 MB).
    A refused answer comes back on the page (422 or as the refusal says) with what was typed kept."""
    who, row = await _own_opinion(request)
    try:
        upload = await uploaded_file(request, "evidence", EVIDENCE_LIMIT)
    except TooLarge:
        return await _page(request, await _typed_anyway(request, row["opinion_id"]), 413)
    typed = _typed(await request.form(), row["opinion_id"])  # parsed and CSRF-checked by uploaded_file
    group = await _other_members(request, who, row)
    command = request.app.state.commands.answer_opinion
    try:
        await run_in_threadpool(
            command, who.round_key, row["opinion_id"], who.subject, typed.text, typed.measures, typed.state,
            actor(who), group, file=upload, drop_file=typed.drop_evidence,
        )  # fmt: skip
    except EvaluationError as refusal:
        again = "。请重新选择证明材料文件后再提交" if upload is not None else ""
        kept = replace(typed, problem=f"答复未提交：{refusal.message}{again}")
        return await _page(request, kept, status_of(refusal.code))
    flash(request, "答复已提交，等待组织方审核", "ok")
    return back(f"/department/opinions#o-{row['opinion_id']}")


def _typed(form: Any, opinion: UUID, problem: str = "") -> Kept:
    return Kept(
        opinion, text(form, "text"), text(form, "measures"), text(form, "state"),
        form.get("drop_evidence") == "1", problem,
    )  # fmt: skip


async def _typed_anyway(request: Request, opinion: UUID) -> Kept:
    """An answer refused for its file's size, with what was typed when the body is within ``READ_ANYWAY``."""
    form = await typed_anyway(request)
    if form is None:
        return Kept(opinion, "", "", "", False, f"答复未提交：{TOO_LARGE}（请重新填写答复）")
    return _typed(form, opinion, f"答复未提交：{TOO_LARGE}")


async def evidence(request: Request) -> Response:
    """证明材料 of an opinion it leads or co-operates on."""
    who, _ = await signed_in_department(request)
    opinion = path_id(request, "opinion")
    answer = await request.app.state.reads.fetchval(OPINION_EVIDENCE, opinion, who.round_key, who.subject)
    return await evidence_response(request, answer)


async def reassign(request: Request) -> Response:
    """申请改派 — with a reason, for the opinion and the rest of its group; refused, the reason comes back in
    the card with the refusal beside its form."""
    who, row = await _own_opinion(request)
    form = await posted(request)
    reason = text(form, "reason")
    group = await _other_members(request, who, row)
    command = request.app.state.commands.request_reassignment
    try:
        await run_in_threadpool(
            command, who.round_key, row["opinion_id"], who.subject, reason, actor(who), group
        )
    except EvaluationError as refusal:
        kept = Kept(row["opinion_id"], "", "", "", False, f"未申请改派：{refusal.message}", reason, True)
        return await _page(request, kept, status_of(refusal.code))
    flash(request, "已申请改派", "ok")
    return back(f"/department/opinions#o-{row['opinion_id']}")


routes = [
    Route("/department/opinions", opinions),
    Route("/department/opinions/{opinion}/answer", answer, methods=["POST"]),
    Route("/department/opinions/{opinion}/reassign", reassign, methods=["POST"]),
    Route("/department/opinions/{opinion}/evidence", evidence),
]
