"""网络评议 — the public page of a round's online channel, phone-first: ``/online/{round_key}``.

Everyone sees the departments and their reports and the period; a citizen signs in by an invitation link
(``/online/{round}#code=…``: the fragment never reaches the server, ``online.js`` POSTs it, as the card's QR
sign-in does) or as a volunteer by a code sent to their phone (web/platform/sms.py), and then, during the
period, scores the departments with the tablet's form (web/platform/templates/ballot_choices.html). Ballots go
to ``POST /api/online/{round}/ballots``, the tablet's contract: a client id, resent until answered, counted
once; and the tablet's path: the process's ballot box, group-committed by its ballot writer (intake/). The limits per address, phone and identity are web/public/online_pace.py's, shared by every web
process.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.ballot import COMMENT_LIMIT
from evaluation.errors import EvaluationError, NotFound
from evaluation.online import OnlineCast
from evaluation.online_channel import period_state
from evaluation.online_voters import normalise_phone
from intake.submit import submit
from intake.wire import OnlineRequest
from web.platform import body
from web.platform.ballot_form import public_instrument
from web.platform.forms import back, flash, found, posted, render, text
from web.platform.online_activity import online_activity
from web.platform.security import ONLINE, Forbidden, check_csrf, principal, require, sign_in
from web.platform.sms import SmsGateway, SmsMessage, SmsNotSent, gateway_from_environment
from web.public.online_pace import address, online_pace
from web.public.reads import ONLINE_CHANNEL, ONLINE_DEPARTMENTS, ONLINE_ROUND

PHONE = "online_phone"
"""The session's phone awaiting its code (the volunteer's own browser; never stored on the server)."""
STATES = {"before": "尚未开始", "open": "进行中", "after": "已结束"}


def now() -> datetime:
    return datetime.now(UTC)


def sms_gateway(request: Request) -> SmsGateway:
    state = request.app.state
    gateway = getattr(state, "sms", None)
    if gateway is None:
        gateway = state.sms = gateway_from_environment(state.settings.data_dir)
    return gateway


def citizen(request: Request, round_key: str) -> str | None:
    """The online identity signed in for this round, if any."""
    who = principal(request)
    return who.subject if who and who.role == ONLINE and who.round_key == round_key else None


async def online_page(request: Request) -> Response:
    key = request.path_params["round_key"]
    reads = request.app.state.public_reads  # the hot standby's when there is one (docs/operations.md)
    round_ = found(await reads.fetchrow(ONLINE_ROUND, key), f"评议活动「{key}」")
    channel = found(await reads.fetchrow(ONLINE_CHANNEL, key), "本活动的网络评议")
    covered = channel["departments"]
    rows = await reads.fetch(ONLINE_DEPARTMENTS, key)
    departments = [
        {"key": r["department"], "name": r["name"], "short_name": r["short_name"], "report": r["report"]}
        for r in rows
        if covered is None or r["department"] in covered
    ]
    identity = citizen(request, key)
    context: dict[str, Any] = {
        "round": round_,
        "channel": channel,
        "state": period_state(channel["opens"], channel["closes"], now()),
        "states": STATES,
        "departments": departments,
        "instrument": public_instrument(round_["instrument"]),
        "signed_in": identity is not None,
        "tag": outbox_tag(request, identity or ""),
        "pending_phone": request.session.get(PHONE) if identity is None else None,
        "opens": _shown(channel["opens"]),
        "closes": _shown(channel["closes"]),
    }
    return render(request, "online/page.html", context)


def _shown(moment: str) -> str:
    """A period's end as a person reads it, in China Standard Time."""
    return (
        datetime.fromisoformat(moment).astimezone(timezone(timedelta(hours=8))).strftime("%Y年%m月%d日 %H:%M")
    )


def outbox_tag(request: Request, identity: str) -> str:
    """Names this citizen's queue in the phone's storage; says nothing about who it is."""
    secret = request.app.state.settings.secret
    return hmac.new(secret, f"online-outbox:{identity}".encode(), hashlib.sha256).hexdigest()[:16]


def refused(request: Request, key: str, refusal: EvaluationError) -> Response:
    """A refusal, said on the round's page; an unknown round stays a 404."""
    if isinstance(refusal, NotFound):
        raise refusal
    flash(request, refusal.message, "error")
    return back(f"/online/{key}")


async def signed_in(
    request: Request, key: str, identity: str, way: str, note: str, phone: str = ""
) -> Response:
    """登录 — the browser now votes as ``identity``; the sign-in is noted (way, address, phone prefix)."""
    sign_in(request, ONLINE, identity, key)
    await (await online_activity(request.app.state)).signed_in(key, way, address(request), identity, phone)
    flash(request, note)
    return back(f"/online/{key}")


async def redeem(request: Request) -> Response:
    """邀请链接登录 — the code from the link's fragment (or typed), once."""
    key = request.path_params["round_key"]
    form = await posted(request)
    await online_pace(request).sign_ins.take("address", address(request))
    try:
        identity = await run_in_threadpool(
            request.app.state.commands.redeem_invitation, key, text(form, "code"), now()
        )
    except EvaluationError as refusal:
        return refused(request, key, refusal)
    return await signed_in(request, key, identity, "invitation", "已登录，可以开始评议。")


async def send_code(request: Request) -> Response:
    """志愿者：发送验证码 — to the phone typed, through the SMS gateway."""
    key = request.path_params["round_key"]
    form = await posted(request)
    pace = online_pace(request)
    await pace.codes_per_address.take("address", address(request))
    try:
        phone = normalise_phone(text(form, "phone"))
        await pace.codes_per_phone.take(phone)
        code = await run_in_threadpool(request.app.state.commands.send_phone_code, key, phone, now())
        await run_in_threadpool(sms_gateway(request).send, SmsMessage(phone, code))
    except SmsNotSent as failed:
        flash(request, f"{failed.message}（一分钟后可以重新获取）", "error")
        return back(f"/online/{key}")
    except EvaluationError as refusal:
        return refused(request, key, refusal)
    request.session[PHONE] = phone
    flash(request, f"验证码已发送到 {phone[:3]}****{phone[-4:]}，10 分钟内有效。")
    return back(f"/online/{key}")


async def verify(request: Request) -> Response:
    """志愿者：验证手机 — the code received; a right one signs the volunteer in."""
    key = request.path_params["round_key"]
    form = await posted(request)
    await online_pace(request).sign_ins.take("address", address(request))
    phone = text(form, "phone") or str(request.session.get(PHONE) or "")
    try:
        identity = await run_in_threadpool(
            request.app.state.commands.verify_phone, key, phone, text(form, "code"), now()
        )
    except EvaluationError as refusal:
        return refused(request, key, refusal)
    return await signed_in(
        request, key, identity, "phone", "手机号已验证，可以开始评议。", normalise_phone(phone)
    )


async def cast(request: Request) -> Response:
    """``POST /api/online/{round}/ballots`` — the tablet's contract, for an online citizen."""
    key = request.path_params["round_key"]
    who = require(request, ONLINE)
    if who.round_key != key:
        raise Forbidden("您登录的是另一个评议活动")
    check_csrf(request, None)
    data = await body.json_object(request)
    department = body.text(data, "department")
    await online_pace(request).ballots.take(who.subject, department)
    ballot = OnlineCast(
        round_key=key,
        identity=who.subject,
        department=department,
        client_id=body.text(data, "client_id"),
        choice=body.text(data, "choice"),
        scores=body.scores(data),
        comment=body.text(data, "comment", limit=COMMENT_LIMIT * 4, required=False),
    )
    receipt = await submit(request.app.state, OnlineRequest(ballot, now()))  # group commit: intake/
    if not receipt.resent:
        await (await online_activity(request.app.state)).ballot(key, address(request))
    answer = {"receipt": receipt.code, "department": receipt.department, "resent": receipt.resent}
    return body.Answer({**answer, "position": receipt.position})


routes = [
    Route("/online/{round_key}", online_page, methods=["GET"]),
    Route("/online/{round_key}/invitation", redeem, methods=["POST"]),
    Route("/online/{round_key}/phone", send_code, methods=["POST"]),
    Route("/online/{round_key}/phone/verify", verify, methods=["POST"]),
    Route("/api/online/{round_key}/ballots", cast, methods=["POST"]),
]
