"""工作人员账号（平台管理员）— the administrator creates personal accounts (name, unit, role, and the round,
venue or department the role needs), shows each new code once, replaces a code (the old one void at once),
disables an account and signs a person out everywhere. Every staff person sees their own sessions at
/staff/sessions and may end them all ("退出全部登录").

The code's page offers its printable card (工作人员登录卡, a PDF with a QR code of ``/login#code=…`` like a
representative's): the page posts the code it shows back, and the card is made only while that code is the
account's current one. The code is never stored in clear, so the card can be printed only from that page.

Replacing a code or disabling an account ends the account's server-side sessions at once
(web/platform/staff_sessions.py), so a session opened with the old code goes no further.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.keys import format_code
from evaluation.staff import ROLE_NAMES
from evaluation.staff_accounts import account_id_of
from web.organiser.cards import pdf_response, public_url
from web.organiser.cards_pdf import StaffCard, staff_card_pdf
from web.organiser.reads import STAFF_DEPARTMENTS, STAFF_ROUNDS
from web.platform.builds import build
from web.platform.errors import status_of
from web.platform.forms import actor, administrator, back, flash, posted, render, text
from web.platform.security import NotSignedIn, sign_out


def described(account: Any, rounds: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(account.id),
        "name": account.name,
        "unit": account.unit,
        "role": ROLE_NAMES[account.role],
        "round": account.round_key,
        "venue": rounds.get(account.round_key, {}).get(account.venue, account.venue),
        "department": account.department,
        "serial": account.serial,
        "disabled": account.disabled,
    }


async def staff_page(request: Request, status: int = 200, **context: Any) -> Response:
    await administrator(request)
    reads = request.app.state.reads
    rows = await reads.fetch(STAFF_ROUNDS)
    accounts = await run_in_threadpool(request.app.state.commands.staff_accounts)
    venues = {r["round_key"]: dict(r["venues"]) for r in rows}
    full = {
        "accounts": [described(a, venues) for a in accounts],
        "rounds": rows,
        "departments": await reads.fetch(STAFF_DEPARTMENTS),
        "form": {},
        "roles": ROLE_NAMES,
        **context,
    }
    return render(request, "organiser/staff.html", full, status)


async def staff(request: Request) -> Response:
    return await staff_page(request)


async def add_staff(request: Request) -> Response:
    who = await administrator(request)
    form = await posted(request)
    fields = {f: text(form, f)[:100] for f in ("name", "unit", "role", "round", "venue", "department")}
    try:
        account, code = await run_in_threadpool(
            request.app.state.commands.add_staff,
            fields["name"],
            fields["role"],
            actor(who),
            unit=fields["unit"],
            round_key=fields["round"],
            venue=of_round(fields["venue"], fields["round"], "会场"),
            department=of_round(fields["department"], fields["round"], "部门"),
        )
    except EvaluationError as refusal:
        return await staff_page(request, status_of(refusal.code), refusal=refusal.message, form=fields)
    heading = f"已为「{fields['name']}」（{ROLE_NAMES[fields['role']]}）新建账号"
    return show_staff_code(request, heading, account, code)


def of_round(chosen: str, round_key: str, what: str) -> str:
    """The key of a venue or department chosen as ``round:key`` (the lists hold every round's), once its
    round is the one chosen for the account; a bare key (an older form) is the chosen round's."""
    owner, _, key = chosen.rpartition(":")
    if owner and owner != round_key:
        raise InvalidInput(
            f"所选{what}属于评议活动「{owner}」，与所选评议活动「{round_key or '（未选）'}」不符"
        )
    return key


def show_staff_code(request: Request, heading: str, account: Any, code: str) -> Response:
    """The code, on this page only: it is stored as a keyed hash and never shown again."""
    context = {"heading": heading, "code": format_code(code), "raw_code": code, "account": str(account)}
    return render(request, "organiser/staff_code.html", context)


async def staff_card(request: Request) -> Response:
    """工作人员登录卡 — the PDF card of the code the code page shows; a replaced or foreign code gets none."""
    await administrator(request)
    account_id = account_id_of(request.path_params["account"])
    form = await posted(request)
    code = text(form, "code").replace("-", "").upper()[:20]
    commands = request.app.state.commands
    if not await run_in_threadpool(commands.staff_code_is_current, account_id, code):
        flash(
            request, "无法打印这张登录卡：登录码已更换或账号已停用。如需新卡，请更换登录码后当场打印", "error"
        )
        return back("/organiser/staff")
    account = await run_in_threadpool(commands.staff_account, account_id)
    venues = {r["round_key"]: dict(r["venues"]) for r in await request.app.state.reads.fetch(STAFF_ROUNDS)}
    about = described(account, venues)
    scope = "　".join(
        f"{label}：{about[key]}"
        for key, label in (("round", "活动"), ("venue", "会场"), ("department", "部门"))
        if about[key]
    )
    card = StaffCard(account.name, about["role"], account.unit, scope, code)
    content = await build(request, staff_card_pdf, card, public_url(request))
    return pdf_response(content, f"工作人员登录卡-{account.name}.pdf")


async def replace_code(request: Request) -> Response:
    who = await administrator(request)
    account_id = account_id_of(request.path_params["account"])
    await posted(request)
    commands = request.app.state.commands
    try:
        code = await run_in_threadpool(commands.replace_staff_code, account_id, actor(who))
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/staff")
    await request.app.state.staff_sessions.end_all(str(account_id), actor(who))
    account = await run_in_threadpool(commands.staff_account, account_id)
    return show_staff_code(request, f"已为「{account.name}」更换登录码，旧登录码已作废", account_id, code)


async def disable(request: Request) -> Response:
    who = await administrator(request)
    account_id = account_id_of(request.path_params["account"])
    form = await posted(request)
    commands = request.app.state.commands
    try:
        await run_in_threadpool(commands.disable_staff, account_id, actor(who), text(form, "reason"))
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/staff")
    await request.app.state.staff_sessions.end_all(str(account_id), actor(who))
    flash(request, "账号已停用，其全部登录已结束")
    return back("/organiser/staff")


async def sign_out_account(request: Request) -> Response:
    """The administrator ends every session of an account."""
    who = await administrator(request)
    account_id = account_id_of(request.path_params["account"])
    await posted(request)
    commands = request.app.state.commands
    await run_in_threadpool(commands.record_signed_out_everywhere, account_id, actor(who))
    await request.app.state.staff_sessions.end_all(str(account_id), actor(who))
    flash(request, "该账号的全部登录已结束")
    return back("/organiser/staff")


def own_account(request: Request) -> str:
    """Any staff person signed in with a personal account."""
    account = request.session.get("account")
    if not account:
        raise NotSignedIn()
    return str(account)


async def my_sessions(request: Request) -> Response:
    account = own_account(request)
    rows = await request.app.state.staff_sessions.of_account(account)
    context = {"sessions": rows, "current": request.session.get("sid"), "name": request.session.get("name")}
    return render(request, "organiser/my_sessions.html", context)


async def end_my_sessions(request: Request) -> Response:
    """退出全部登录 — the person ends every session of theirs, this one too."""
    account = own_account(request)
    await posted(request)
    by = f"staff:{account}"
    await run_in_threadpool(
        request.app.state.commands.record_signed_out_everywhere, account_id_of(account), by
    )
    await request.app.state.staff_sessions.end_all(account, by)
    sign_out(request)
    return back("/")


routes = [
    Route("/organiser/staff", staff),
    Route("/organiser/staff", add_staff, methods=["POST"]),
    Route("/organiser/staff/{account}/code", replace_code, methods=["POST"]),
    Route("/organiser/staff/{account}/card.pdf", staff_card, methods=["POST"]),
    Route("/organiser/staff/{account}/disable", disable, methods=["POST"]),
    Route("/organiser/staff/{account}/sign-out", sign_out_account, methods=["POST"]),
    Route("/staff/sessions", my_sessions),
    Route("/staff/sessions/end", end_my_sessions, methods=["POST"]),
]
