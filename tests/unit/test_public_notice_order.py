"""The public notice (page and PDF) lists the groups in the round's own order, as the ranking, the organiser's
results and the projector do; and its PDF never begins a line with a closing punctuation mark (避头尾)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from projections.public_notice import public_notice
from web.public.notice_pdf import notice_pdf

GROUPS = {"economy": "经济发展组", "livelihood": "社会民生组", "urban": "城市建设与执法监管组"}


def ranked(department: str) -> list[dict[str, object]]:
    return [
        {"department": department, "rank": 1, "position": 1, "status": "ranked", "score": "90.000",
         "final": "90.000", "satisfaction_rate": "95.00", "returned": 30, "valid": 30}
    ]  # fmt: skip


def notice_of(groups: dict[str, str]) -> object:
    round_ = {"round_key": "bt2026", "title": "2026年度三民活动", "groups": groups, "instrument": {}}
    rankings = {"economy": ranked("fgw"), "livelihood": ranked("mzj"), "urban": ranked("zjj")}
    names = {"fgw": "市发改委", "mzj": "市民政局", "zjj": "市住建局"}
    return public_notice(round_, datetime(2026, 5, 1, tzinfo=UTC), names, rankings, {}, {})


def test_the_groups_come_in_the_round_s_order_whatever_order_the_stored_row_gives_them() -> None:
    as_jsonb_gives = json.loads(
        '{"urban": "城市建设与执法监管组", "economy": "经济发展组", "livelihood": "社会民生组"}'
    )
    notice = notice_of(as_jsonb_gives)
    assert [g.name for g in notice.groups] == ["经济发展组", "社会民生组", "城市建设与执法监管组"]  # type: ignore[attr-defined]


def test_no_line_of_the_pdf_begins_with_a_closing_punctuation_mark() -> None:
    body = notice_pdf(notice_of(GROUPS), "ssh-ed25519 AAAAC3Nza", "https://sanmin.example.cn")  # type: ignore[arg-type]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "不公布得分和名次。" in text.replace("\n", "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if re.match(r"[。，、；：）」]", line)], lines
    order = [text.index(name) for name in ("经济发展组", "社会民生组", "城市建设与执法监管组")]
    assert order == sorted(order)
