"""工作人员操作记录 — the auditor's (监督员) export of the staff trail of their round, as one XLSX workbook:
every command staff gave (from the history) — a person with a personal account, or a shared code (the
round's organiser code, a department's code, the administrator's, the operator's command line), each named
as such — and every account's own record (created, codes issued, sign-ins, refused sign-ins, sign-outs
everywhere, disabling). Representatives and the system never appear: ballots stay anonymous. People are named by
``web.platform.people.person``, as the history page names them."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.staff import ROLE_NAMES
from projections.history import ANONYMOUS, SIGNED, SYSTEM
from web.organiser.reads import STAFF_TRAIL
from web.platform.people import person
from web.platform.security import AUDITOR, require
from web.platform.templating import SECOND, local_time

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_STAFF = [SYSTEM, ANONYMOUS, SIGNED]
"""The history's actors that are no staff: left out of the trail."""


def put_rows(sheet: Worksheet, rows: list[list[Any]]) -> None:
    """Strings stay strings (never formulas), with the characters Excel refuses removed."""
    for r, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(r, column, ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            cell.data_type = "s"


async def trail(request: Request) -> Response:
    who = require(request, AUDITOR)
    commands = request.app.state.commands
    staff = await run_in_threadpool(commands.staff_by_actor)
    done = await request.app.state.reads.fetch(STAFF_TRAIL, who.round_key, NOT_STAFF)
    accounts = await run_in_threadpool(commands.account_trail, who.round_key)
    actions = [["时间", "姓名", "角色", "操作", "部门", "原因", "序号"]]
    for r in done:
        name, role = person(r["actor"], staff)
        at = local_time(r["at"], SECOND)
        actions.append([at, name, role, r["summary"], r["department"] or "", r["reason"], r["position"]])
    records = [["时间", "姓名", "单位", "角色", "记录", "操作人", "说明"]]
    for moment, account, what, by, why in accounts:
        at = local_time(moment, SECOND)
        records.append(
            [at, account.name, account.unit, ROLE_NAMES[account.role], what, person(by, staff)[0], why]
        )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "操作记录"
    put_rows(sheet, actions)
    put_rows(workbook.create_sheet("账号与登录"), records)
    out = io.BytesIO()
    workbook.save(out)
    name = quote(f"{who.round_key}-工作人员操作记录.xlsx")
    disposition = f"attachment; filename=staff-trail.xlsx; filename*=UTF-8''{name}"
    return Response(out.getvalue(), media_type=XLSX, headers={"Content-Disposition": disposition})


routes = [Route("/organiser/trail.xlsx", trail)]
