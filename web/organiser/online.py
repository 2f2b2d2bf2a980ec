"""网络评议 on the organiser's console: ``/organiser/online`` — the period (from, to, departments, ways, with a
reason when changed), invitations (N links, one identity each, as the bulk-SMS CSV, shown once), the sample size and
response rate, each department's online result (once the period has ended, and only from 5 ballots: the k
rule), the report of unusual patterns with the power to void a batch, and entering the online result into the
composite with its weight (the 其他得分 entry ``网络评议``; a weight the round's workbook declared for it, on its
其他得分 sheet as 项目 网络评议 with no department, is the one offered).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.online import ONLINE_COMPONENT
from evaluation.online_channel import period_state
from projections.public_numbers import public_tally
from web.organiser.components import weights_of
from web.organiser.reads import ONLINE_CHANNEL, ONLINE_RESULTS, department_names
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
from web.platform.online_activity import online_activity
from web.platform.online_invitations import invitation_rows, invitations_csv

CHINA = timezone(timedelta(hours=8))
STATES = {"before": "尚未开始", "open": "进行中", "after": "已结束"}


def _local(moment: str) -> str:
    """A stored moment as the datetime-local field shows it (Beijing time)."""
    return datetime.fromisoformat(moment).astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")


def _moment(value: str, what: str) -> datetime:
    """A datetime-local field (Beijing time) as a moment."""
    for form in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, form).replace(tzinfo=CHINA)
        except ValueError:
            continue
    raise InvalidInput(f"请填写{what}（年-月-日 时:分）")


async def online_page(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    reads = request.app.state.reads
    names = await department_names(reads, who.round_key)
    channel = await reads.fetchrow(ONLINE_CHANNEL, who.round_key)
    declared = weights_of(round_["instrument"]).get(ONLINE_COMPONENT)
    weight = f"{(declared * 100).normalize():f}" if declared else "20"
    context: dict[str, Any] = {"round": round_, "names": names, "channel": channel, "weight": weight}
    if channel is not None:
        state = period_state(channel["opens"], channel["closes"], datetime.now(UTC))
        results = {r["department"]: r for r in await reads.fetch(ONLINE_RESULTS, who.round_key)}
        covered = channel["departments"] or list(names)
        context |= {
            "state": state,
            "state_label": STATES[state],
            "opens": _local(channel["opens"]),
            "closes": _local(channel["closes"]),
            "rate": f"{channel['redeemed'] * 100 / channel['issued']:.1f}%" if channel["issued"] else "—",
            "rows": [_result_row(d, names[d], results.get(d), state) for d in covered if d in names],
            "unusual": await (await online_activity(request.app.state)).unusual(who.round_key),
        }
    return render(request, "organiser/online.html", context)


def _result_row(department: str, name: str, row: Any, state: str) -> dict[str, Any]:
    """A department's online result: returned always; numbers only after the period and from 5 ballots."""
    tally = public_tally(row["tally"]) if row is not None else None
    sealed = state != "after"
    return {
        "department": department,
        "name": name,
        "returned": row["returned"] if row is not None else 0,
        "score": None if sealed or tally is None else tally.get("score"),
        "rate": None if sealed or tally is None else tally.get("satisfaction_rate"),
        "note": "评议期结束后显示"
        if sealed
        else ("不足 5 票，不公布" if tally is None or tally["suppressed"] else ""),
    }


async def set_period(request: Request) -> Response:
    who = organiser(request)
    form = await posted(request)
    names = await department_names(request.app.state.reads, who.round_key)
    chosen = [d for d in form.getlist("departments") if isinstance(d, str) and d in names]
    try:
        opens, closes = _moment(text(form, "opens"), "开始时间"), _moment(text(form, "closes"), "结束时间")
    except InvalidInput as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/online")
    await attempt(
        request,
        "已保存网络评议期",
        request.app.state.commands.set_online_period,
        who.round_key,
        opens,
        closes,
        chosen if chosen and len(chosen) < len(names) else None,
        actor(who),
        text(form, "reason"),
        invitations=form.get("invitations") == "on",
        volunteers=form.get("volunteers") == "on",
    )
    return back("/organiser/online")


async def invite(request: Request) -> Response:
    """生成邀请 — the CSV is the answer itself: its codes are shown this once."""
    who = organiser(request)
    form = await posted(request)
    count = whole_number(text(form, "count"))
    commands = request.app.state.commands
    try:
        if count is None:
            raise InvalidInput("请填写邀请数量（正整数）")
        codes = await run_in_threadpool(commands.invite_online, who.round_key, count, actor(who))
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/online")
    round_ = await round_row(request, who.round_key)
    base = str(request.base_url)
    rows = invitation_rows(round_["title"], who.round_key, codes, [], base)
    filename = f"invitations-{who.round_key}-{datetime.now(CHINA):%Y%m%d-%H%M%S}.csv"
    return Response(
        "\ufeff" + invitations_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


async def void_batch(request: Request) -> Response:
    """作废一批 — every identity of an unusual batch, and their ballots, with one reason."""
    who = organiser(request)
    form = await posted(request)
    identities = [i for i in form.getlist("identity") if isinstance(i, str) and i][:5_000]
    if not identities:
        flash(request, "这一批没有可作废的评议者", "error")
        return back("/organiser/online")
    try:
        voided = await run_in_threadpool(
            request.app.state.commands.void_online_voters,
            who.round_key,
            identities,
            actor(who),
            text(form, "reason"),
        )
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/online")
    flash(request, f"已取消 {len(identities)} 名网络评议者的资格，作废其 {voided} 张评议票")
    return back("/organiser/online")


async def enter_component(request: Request) -> Response:
    """计入综合结果 — the online result of each department with 5 or more ballots, as the component 网络评议
    with its weight; departments below 5 have none (缺少组成部分), so no small group's choice is exposed."""
    who = organiser(request)
    form = await posted(request)
    rows = await request.app.state.reads.fetch(ONLINE_RESULTS, who.round_key)
    scores = {
        r["department"]: tally["score"]
        for r in rows
        if not (tally := public_tally(r["tally"]))["suppressed"] and tally.get("score") is not None
    }
    if not scores:
        flash(request, "还没有可计入的网络评议结果（每个部门至少 5 张有效票）", "error")
        return back("/organiser/online")
    await attempt(
        request,
        f"已将 {len(scores)} 个部门的网络评议结果计入综合结果，权重 {text(form, 'weight')}%",
        request.app.state.commands.enter_online_result,
        who.round_key,
        text(form, "weight"),
        scores,
        actor(who),
        text(form, "reason"),
        datetime.now(UTC),
    )
    return back("/organiser/online")


routes = [
    Route("/organiser/online", online_page),
    Route("/organiser/online/period", set_period, methods=["POST"]),
    Route("/organiser/online/invitations", invite, methods=["POST"]),
    Route("/organiser/online/void", void_batch, methods=["POST"]),
    Route("/organiser/online/component", enter_component, methods=["POST"]),
]
