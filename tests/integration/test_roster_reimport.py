"""名单再次导入 — a roster file never registers someone the round already has (by the rule the round's
workbook applies to its own rows: the same name and phone, or with no phone the same name, category, venue
and sitting), and a refused file lists every problem of every row at once, so one correction is enough."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import RosterRejected
from evaluation.representative import Representative, Roster, representative_id, roster_id
from tests.conftest import ORGANISER, SmallRound, prepare_round

HEADER = "姓名,类别,会场,场次,手机\n"
SIXTY_TWO = HEADER + "".join(
    f"代表{n:03d},{'人大代表' if n % 2 else '社区居民'},主会场,第一场,{f'139{n:08d}' if n % 3 else ''}\n"
    for n in range(1, 63)
)


def registered(app: EvaluationApp, key: str = "r2026") -> list[Representative]:
    roster = app.find(Roster, roster_id(key))
    numbers = range(1, roster.next_number) if roster else range(0)
    return [app.representative(representative_id(key, n)) for n in numbers]


def refusal(app: EvaluationApp, content: bytes, filename: str = "名单.csv") -> list[tuple[int, str]]:
    with pytest.raises(RosterRejected) as refused:
        app.import_representatives("r2026", content, filename, by=ORGANISER)
    return refused.value.problems


def test_importing_the_same_people_again_is_refused_and_adds_no_one(app: EvaluationApp) -> None:
    """The tester's case: 62 people saved in GBK, then the same list in UTF-8 with one character changed."""
    prepare_round(app)
    assert len(app.import_representatives("r2026", SIXTY_TWO.encode("gbk"), "名单.csv", by=ORGANISER)) == 62
    again = SIXTY_TWO.replace("代表062", "代表620")
    problems = refusal(app, again.encode("utf-8"), "名单（另存）.csv")
    assert [line for line, _ in problems] == list(range(2, 63))  # rows 2–62; 代表620 (row 63) is new
    assert problems[0] == (2, "第 2 行与已登记的代表（编号 1）重复：姓名「代表001」")
    assert problems[-1] == (62, "第 62 行与已登记的代表（编号 61）重复：姓名「代表061」")
    people = registered(app)
    assert len(people) == 62
    assert [p.name for p in people] == [f"代表{n:03d}" for n in range(1, 63)]


def test_a_second_import_of_only_the_people_missing_from_the_first_adds_them(app: EvaluationApp) -> None:
    prepare_round(app)
    app.import_representatives("r2026", SIXTY_TWO.encode("gbk"), "名单.csv", by=ORGANISER)
    missing = HEADER + "代表063,人大代表,昆都仑区分会场,第二场,\n代表064,npc,kdl,s2,13900000064\n"
    issued = app.import_representatives("r2026", missing.encode(), "补充名单.csv", by=ORGANISER)
    assert [app.representative(rid).number for rid, _ in issued] == [63, 64]
    assert len(registered(app)) == 64


def test_someone_already_in_the_round_is_recognised_by_key_or_by_name_even_with_a_revoked_card(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    """李秀英 (人大代表, 主会场, 第一场, no phone) and 王建国 (phone 13900000001) were registered one by one;
    李秀英's card is revoked, and she is still the round's representative: she gets 补卡, not a second entry."""
    app.revoke_credential(small_round.alice, ORGANISER, "评议卡遗失")
    others = (
        "李秀英,社区居民,主会场,第一场,\n"  # same name, no phone, another category: another person
        "王建国,社区居民,昆都仑区分会场,第一场,13900000002\n"  # same name, another phone: another person
    )
    already = (
        "李秀英,npc,main,s1,\n"  # the same placement, given by key
        "王建国,人大代表,主会场,第二场,139 0000 0001\n"  # the same name and phone, whatever the placement
    )
    assert refusal(app, (HEADER + already + others).encode()) == [
        (2, "第 2 行与已登记的代表（编号 1）重复：姓名「李秀英」"),
        (3, "第 3 行与已登记的代表（编号 2）重复：姓名「王建国」"),
    ]
    assert len(registered(app)) == 3
    issued = app.import_representatives("r2026", (HEADER + others).encode(), "b.csv", by=ORGANISER)
    assert [app.representative(rid).number for rid, _ in issued] == [4, 5]


def test_two_rows_of_one_file_naming_the_same_person_differently_are_refused(app: EvaluationApp) -> None:
    """The parser compares rows as written; the round knows 人大代表 is npc and 第一场 is s1."""
    prepare_round(app)
    content = HEADER + "刘芳,人大代表,主会场,第一场,\n赵强,npc,kdl,s2,\n刘芳,npc,main,s1,\n"
    assert refusal(app, content.encode()) == [(4, "第 4 行与第 2 行重复：姓名「刘芳」")]
    assert registered(app) == []


def test_every_problem_of_every_row_is_listed_at_once(app: EvaluationApp) -> None:
    """A bad phone does not hide an unknown venue, nor one unknown value the others of its row."""
    prepare_round(app)
    content = (
        HEADER
        + "刘芳,社区居民,主会场,第一场,13900000011\n"
        + "赵三,rd,无此会场,s1,abc\n"
        + "钱四,npc,main,s9,\n"
        + ",外星人,火星分会场,第一场,\n"
    )
    assert refusal(app, content.encode()) == [
        (3, "第 3 行：手机「abc」不是 11 位数字"),
        (3, "第 3 行：没有名为「rd」的代表类别"),
        (3, "第 3 行：没有名为「无此会场」的会场"),
        (4, "第 4 行：没有名为「s9」的场次"),
        (5, "第 5 行：缺少「姓名」"),
        (5, "第 5 行：没有名为「外星人」的代表类别"),
        (5, "第 5 行：没有名为「火星分会场」的会场"),
    ]
    assert registered(app) == []
    with pytest.raises(RosterRejected, match="名单有 7 处错误，未导入任何代表"):
        app.import_representatives("r2026", content.encode(), "名单.csv", by=ORGANISER)
