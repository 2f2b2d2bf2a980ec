"""签到台的名单打开在今天（北京时间）本会场的场次，可选「全部场次」；今天没有场次时列出全部。今天有上午、
下午两场时，按现在的时段打开。在今天的场次中搜不到的人，告诉签到员他登记在本会场的哪一场。"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import ORGANISER
from tests.web.conftest import Web
from tests.web.test_staff_accounts import signed_in, staff

MORNING = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, 15 December
AFTERNOON = datetime(2026, 12, 15, 7, 0, tzinfo=UTC)  # 15:00 in Beijing


def sittings(web: Web, first: tuple[str, str], second: tuple[str, str], moment: datetime = MORNING) -> None:
    """第一场 and 第二场 on these (date, half-day); 赵敏 of 昆都仑区 in 第二场 (王建国 is in 第一场); the
    server's clock at ``moment``; the desk of 昆都仑区分会场 signed in."""
    web.commands.define_sitting(
        "r2026", "s1", "第一场", ["fgw", "swj"], by=ORGANISER, date=first[0], half_day=first[1]
    )
    web.commands.define_sitting(
        "r2026", "s2", "第二场", ["kjj", "zjj"], by=ORGANISER, date=second[0], half_day=second[1]
    )
    web.commands.register_representative("r2026", "赵敏", "resident", "kdl", "s2", by=ORGANISER)
    web.client.app.state.commands.clock = lambda: moment  # type: ignore[attr-defined]
    web.sync()
    _, code = staff(web, "刘洋", "checkin", venue="kdl")
    signed_in(web, code)


def listed(page: str) -> set[str]:
    return {name for name in ("王建国", "赵敏") if f'data-label="姓名">{name}<' in page}


def test_the_desk_opens_on_todays_sitting_and_can_show_every_sitting(web: Web) -> None:
    sittings(web, ("2026-12-14", "上午"), ("2026-12-15", "上午"))
    page = web.get("/organiser/representatives").text
    assert listed(page) == {"赵敏"}
    assert "今天（12月15日）本会场的场次是「第二场（2026-12-15 上午）」，只列出这一场的代表。" in page
    assert '<option value="s2" selected>' in page
    assert '<a href="/organiser/representatives?sitting=">全部场次</a>' in page
    every = web.get("/organiser/representatives?sitting=").text
    assert listed(every) == {"王建国", "赵敏"} and "只列出这一场的代表" not in every
    assert listed(web.get("/organiser/representatives?sitting=s1").text) == {"王建国"}


def test_a_search_finds_someone_of_another_sitting(web: Web) -> None:
    """After 签到 the page goes back to the person's number: that shows them whatever their sitting."""
    sittings(web, ("2026-12-14", "上午"), ("2026-12-15", "上午"))
    assert listed(web.get("/organiser/representatives?q=2").text) == {"王建国"}
    page = web.get("/organiser/representatives?sitting=s2&q=王建国").text  # the search form, today's sitting
    assert "所选场次中没有。本会场其他场次的：王建国（编号 2，第一场）。" in page
    assert (
        '<a href="/organiser/representatives?q=%E7%8E%8B%E5%BB%BA%E5%9B%BD&amp;sitting=">在全部场次中查看</a>'
        in page
    )


def test_without_a_sitting_today_the_desk_lists_every_sitting(web: Web) -> None:
    sittings(web, ("2026-12-14", "上午"), ("2026-12-16", "上午"))
    page = web.get("/organiser/representatives").text
    assert listed(page) == {"王建国", "赵敏"} and "只列出这一场的代表" not in page


def test_two_sittings_today_open_on_the_half_day_of_now(web: Web) -> None:
    sittings(web, ("2026-12-15", "上午"), ("2026-12-15", "下午"))
    assert listed(web.get("/organiser/representatives").text) == {"王建国"}
    web.client.app.state.commands.clock = lambda: AFTERNOON  # type: ignore[attr-defined]
    assert listed(web.get("/organiser/representatives").text) == {"赵敏"}


def test_the_organisers_roster_still_lists_every_sitting(web: Web) -> None:
    sittings(web, ("2026-12-14", "上午"), ("2026-12-15", "上午"))
    web.client.cookies.clear()
    _, code = staff(web, "吴刚", "organiser")
    signed_in(web, code)
    assert listed(web.get("/organiser/representatives").text) == {"王建国", "赵敏"}
