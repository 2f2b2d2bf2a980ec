"""导出代表名单 — the round's whole roster as an .xlsx: number, name, category, venue, sitting, check-in and
card state (no phone numbers). Every cell is written as text or a number, never as a formula."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.organiser.reads import ROSTER_EXPORT
from web.platform.forms import organiser, round_row
from web.platform.sittings import sitting_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["编号", "姓名", "类别", "会场", "场次", "签到", "评议卡"]
WIDTHS = [8, 14, 14, 20, 26, 10, 18]


def card_state(rep: Any) -> str:
    """已作废 / 未打印 (only the credential given at registration) / 已打印（第 n 张）."""
    if rep["revoked"]:
        return "已作废"
    if rep["credential_serial"] <= 1:
        return "未打印"
    return f"已打印（第 {rep['credential_serial']} 张）"


def roster_rows(round_: Any, reps: list[Any]) -> list[list[Any]]:
    categories, venues, sittings = round_["categories"], round_["venues"], round_["sittings"]
    return [
        [
            r["number"],
            r["name"],
            categories.get(r["category"], {}).get("name", r["category"]),
            venues.get(r["venue"], r["venue"]),
            sitting_label(sittings[r["sitting"]]) if r["sitting"] in sittings else r["sitting"],
            "已签到" if r["checked_in"] else "未签到",
            card_state(r),
        ]
        for r in reps
    ]


def roster_xlsx(title: str, rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "代表名单"
    for values in [HEADER, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=1+1" in a name stays text
    for letter, width in zip("ABCDEFG", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def export_roster(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    reps = await request.app.state.reads.fetch(ROSTER_EXPORT, who.round_key)
    data = await run_in_threadpool(roster_xlsx, round_["title"], roster_rows(round_, list(reps)))
    name = quote(f"{who.round_key}-代表名单.xlsx")
    headers = {
        "Content-Disposition": f"attachment; filename=roster.xlsx; filename*=UTF-8''{name}",
        "Cache-Control": "no-store",
    }
    return Response(data, media_type=XLSX, headers=headers)


routes = [Route("/organiser/representatives.xlsx", export_roster)]
