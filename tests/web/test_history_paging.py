"""历史记录分页 — at hundreds of one person's actions and hundreds of their sign-ins, the history shows 100
lines a page, newest first, and its 「更早的记录」 link keeps the filters (person, role) and goes on from the
last line shown, so no line is shown twice or skipped; people are named from their accounts as created, so
a person's sign-ins do not slow the page."""

from __future__ import annotations

import html
import re

from tests.web.conftest import Web
from tests.web.test_staff_accounts import ADMIN, signed_in

LINE = re.compile(r"<tr><td>(\d+)</td><td>[^<]*</td><td>([^<]*)<span")
OLDER = re.compile(r'<a href="/organiser/history\?([^"]+)">更早的记录</a>')


def lines_of(page: str) -> list[tuple[int, str]]:
    return [(int(position), name) for position, name in LINE.findall(page)]


def test_one_person_s_history_pages_backwards_keeping_the_filter(web: Web) -> None:
    account, code = web.commands.add_staff("吴刚", "organiser", ADMIN, round_key="r2026")
    desk, _ = web.commands.add_staff("刘洋", "checkin", ADMIN, round_key="r2026", venue="kdl")
    wu, liu = (web.commands.staff_account(a).actor for a in (account, desk))
    for n in range(45):  # three events each: the roster, the representative, their card
        web.commands.register_representative("r2026", f"代表{n}", "npc", "main", "s1", by=wu)
    web.commands.check_in(web.round.bob, by=liu)
    for _ in range(150):
        web.commands.staff_sign_in(code)
    signed_in(web, code)
    web.sync()

    seen: list[tuple[int, str]] = []
    query = f"person={account}&role=organiser"
    pages = 0
    while query is not None:
        page = web.get(f"/organiser/history?{query}")
        assert page.status_code == 200
        shown = lines_of(page.text)
        assert len(shown) <= 100
        seen += shown
        pages += 1
        older = OLDER.search(page.text)
        query = html.unescape(older.group(1)) if older else None
        if query is not None:
            assert f"person={account}" in query and "role=organiser" in query and "before=" in query
    assert pages == 2
    positions = [position for position, _ in seen]
    assert positions == sorted(positions, reverse=True) and len(set(positions)) == len(positions) == 135
    assert {name for _, name in seen} == {"吴刚"}
