"""活动设置页面 — the administrator creates an empty round and sets it up through plain forms; the round's
organiser edits its own round; a bad entry comes back with its problem beside the form and changes
nothing; once scoring began, reasons are asked for and what could change a ballot is refused."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from evaluation.instrument import Instrument
from evaluation.keys import format_code
from evaluation.round import Round, round_id
from tests.conftest import ORGANISER
from tests.web.conftest import FORM_CSRF, Web

SETUP = "/organiser/rounds/r2027/setup"


def as_administrator(web: Web) -> None:
    code = web.commands.issue_administrator_code(by=ORGANISER)
    assert web.type_code(format_code(code)).headers["location"] == "/organiser/rounds"


def as_organiser(web: Web, key: str = "r2026") -> None:
    answer = web.type_code(format_code(web.commands.keys.organiser_code(key)))
    assert answer.headers["location"] == "/organiser"


def post(web: Web, page: str, url: str, **data: Any) -> httpx.Response:
    """Submits a form of ``page`` as a person would: with the page's CSRF token; follows one redirect."""
    shown = web.get(page)
    assert shown.status_code == 200, shown.text[:300]
    token = FORM_CSRF.search(shown.text)
    assert token is not None
    answer = web.client.post(url, data={"csrf": token.group(1), **data}, follow_redirects=False)
    if answer.status_code == 303:
        return web.get(answer.headers["location"].split("#")[0])
    return answer


def problem(page: httpx.Response) -> str:
    found = re.search(r'<p class="field-error" role="alert">([^<]*)</p>', page.text)
    return found.group(1) if found else ""


def new_round(web: Web) -> None:
    as_administrator(web)
    created = post(
        web, "/organiser/rounds", "/organiser/rounds/new", key="r2027", title="2027年度三民活动", year="2027"
    )
    assert created.status_code == 200 and "已创建评议活动 r2027" in created.text
    assert format_code(web.commands.keys.organiser_code("r2027")) in created.text
    assert f'href="{SETUP}"' in created.text


def test_the_administrator_creates_an_empty_round_and_sets_it_up_page_by_page(web: Web) -> None:
    new_round(web)
    round_ = web.commands.round("r2027")
    assert (round_.check_in_required, round_.instrument) == (True, Instrument())

    levels = {
        "kind": "levels",
        **{f"level_label_{n}": label for n, label in enumerate(["好", "较好", "一般"])},
        **{f"level_points_{n}": p for n, p in enumerate(["95", "75", "40"])},
        "level_satisfied_0": "yes",
        "level_satisfied_1": "yes",
        "unknown_label": "说不清",
        "weighting": "per_ballot",
        "trim": "1",
        "min_valid_votes": "3",
    }
    post(web, SETUP, f"{SETUP}/instrument", **levels)
    post(web, f"{SETUP}/lists", f"{SETUP}/categories", key="npc", name="人大代表", share="2")
    post(web, f"{SETUP}/lists", f"{SETUP}/groups", key="econ", name="经济组")
    post(web, f"{SETUP}/lists", f"{SETUP}/venues", key="main", name="主会场")
    post(
        web,
        f"{SETUP}/departments",
        f"{SETUP}/departments",
        key="fgw",
        name="市发改委",
        short_name="发改",
        group="econ",
        head="张主任",
    )
    post(web, f"{SETUP}/departments", f"{SETUP}/departments", key="swj", name="市水务局", group="econ")
    post(
        web,
        f"{SETUP}/sittings",
        f"{SETUP}/sittings",
        key="s1",
        name="第一场",
        date="2027-03-15",
        half_day="上午",
    )
    for dept in ("fgw", "swj"):
        post(web, f"{SETUP}/sittings", f"{SETUP}/agenda", sitting="s1", department=dept, move="add")
    page = post(web, f"{SETUP}/sittings", f"{SETUP}/agenda", sitting="s1", step="up swj")

    assert problem(page) == ""
    plan = web.commands.setup_plan("r2027")
    assert [(lv.label, lv.points, lv.satisfied) for lv in plan.instrument.levels] == [
        ("好", 95, True),
        ("较好", 75, True),
        ("一般", 40, False),
    ]
    assert (plan.instrument.weighting, plan.instrument.trim, plan.instrument.min_valid_votes) == (
        "per_ballot",
        1,
        3,
    )
    assert plan.instrument.unknown_label == "说不清"
    assert plan.sittings[0].agenda == ("swj", "fgw")
    assert (plan.departments[0].short_name, plan.departments[0].head) == ("发改", "张主任")
    assert page.text.index("市水务局") < page.text.index("市发改委")


def test_bad_entries_come_back_beside_their_form_and_change_nothing(web: Web) -> None:
    new_round(web)
    before = web.commands.repository.get(round_id("r2027")).version
    bad = [
        (
            f"{SETUP}/lists",
            f"{SETUP}/categories",
            {"key": "npc", "name": "人大代表", "share": "0"},
            "必须是正数",
        ),
        (f"{SETUP}/lists", f"{SETUP}/categories", {"key": "有 空格", "name": "x", "share": "1"}, "代码须由"),
        (f"{SETUP}/lists", f"{SETUP}/groups", {"key": "econ", "name": ""}, "名称不能为空"),
        (
            f"{SETUP}/departments",
            f"{SETUP}/departments",
            {"key": "fgw", "name": "市发改委", "group": "nowhere"},
            "找不到部门组",
        ),
        (
            f"{SETUP}/sittings",
            f"{SETUP}/sittings",
            {"key": "s1", "name": "一", "date": "明天"},
            "日期「明天」",
        ),
        (
            f"{SETUP}/sittings",
            f"{SETUP}/agenda",
            {"sitting": "s9", "department": "x", "move": "add"},
            "没有代码为「s9」的场次",
        ),
        (
            SETUP,
            f"{SETUP}/instrument",
            {"kind": "levels", "weighting": "per_ballot", "level_label_0": "好", "level_points_0": "很多"},
            "必须是整数",
        ),
        (
            SETUP,
            f"{SETUP}/instrument",
            {"kind": "levels", "weighting": "per_ballot", "trim": "-1"},
            "必须是整数",
        ),
        (
            SETUP,
            f"{SETUP}/instrument",
            {
                "kind": "criteria",
                "weighting": "per_ballot",
                "criterion_label_0": "实绩",
                "criterion_max_0": "10",
                "criterion_weight_0": "0.5",
            },
            "权重之和",
        ),
        (f"{SETUP}/lists", f"{SETUP}/venues/remove", {"key": "nowhere"}, "找不到会场"),
    ]
    for page, url, data, words in bad:
        answer = post(web, page, url, **data)
        assert answer.status_code == 200 and words in problem(answer), (url, data, problem(answer))
    assert web.commands.repository.get(round_id("r2027")).version == before
    refused = post(web, "/organiser/rounds", "/organiser/rounds/new", key="r2027", title="again", year="")
    assert "已存在" in problem(refused) and 'value="again"' in refused.text
    assert "不是 2000 到 2100" in problem(
        post(web, "/organiser/rounds", "/organiser/rounds/new", key="x", title="t", year="1900")
    )


def test_a_share_of_1e30_and_a_date_off_the_calendar_are_refused_beside_their_forms(web: Web) -> None:
    """What a tester saved: a share of 1e30, the date 2027-02-30 and a full-width one (``\\d`` took its digits);
    refused in plain Chinese, the round unchanged, and a date written 2027/3/5 kept as 2027-03-05."""
    new_round(web)
    before = web.commands.repository.get(round_id("r2027")).version
    share = post(web, f"{SETUP}/lists", f"{SETUP}/categories", key="npc", name="人大代表", share="1e30")
    assert "类别权重「1e30」须是不大于 100 的数" in problem(share)
    for date in ("2027-02-30", "２０２７-０３-１６"):
        answer = post(web, f"{SETUP}/sittings", f"{SETUP}/sittings", key="s1", name="第一场", date=date)
        assert f"日期「{date}」应是实际存在的日期" in problem(answer)
    assert web.commands.repository.get(round_id("r2027")).version == before
    saved = post(web, f"{SETUP}/sittings", f"{SETUP}/sittings", key="s1", name="第一场", date="2027/3/5")
    assert problem(saved) == ""
    assert web.commands.round("r2027").sittings["s1"]["date"] == "2027-03-05"


TWO_LEVELS = {
    "kind": "levels",
    "weighting": "per_category",
    "level_label_0": "满意",
    "level_points_0": "100",
    "level_satisfied_0": "yes",
    "level_label_1": "不满意",
    "level_points_1": "0",
    "trim": "0",
    "min_valid_votes": "1",
}


def test_an_instrument_that_cannot_work_is_refused_beside_its_form(web: Web) -> None:
    """What a tester saved: a trim count of 999999999, a 60-character level name (only the browser's maxlength
    stopped it), a single level, no level counting as satisfied, the level code 「不了解 <x>」."""
    new_round(web)
    before = web.commands.repository.get(round_id("r2027")).version
    long = "很" * 60
    instrument = [
        ({"trim": "999999999"}, "去掉最高最低分个数「999999999」须是 0 到 10 之间的整数"),
        ({"level_label_0": long}, f"评价等次名称「{long}」须有 1 到 20 个字"),
        ({"level_label_1": ""}, "评价等次至少要有两个（如 满意、不满意）"),
        ({"level_satisfied_0": ""}, "至少要有一个评价等次计入满意"),
        ({"level_key_1": "不了解 <x>"}, "评价等次代码「不了解 <x>」须由 1 到 40 个字母、数字、- 或 _ 组成"),
    ]
    for change, words in instrument:
        answer = post(web, SETUP, f"{SETUP}/instrument", **(TWO_LEVELS | change))
        assert words in html.unescape(problem(answer)), (change, problem(answer))
    assert web.commands.repository.get(round_id("r2027")).version == before
    assert problem(post(web, SETUP, f"{SETUP}/instrument", **TWO_LEVELS)) == ""


def test_a_form_without_its_csrf_token_is_refused(web: Web) -> None:
    new_round(web)
    answer = web.client.post(f"{SETUP}/venues", data={"key": "v", "name": "会场"}, follow_redirects=False)
    assert answer.status_code == 403
    assert web.commands.round("r2027").venues == {}


def test_the_organiser_sets_up_their_own_round_and_not_another(web: Web) -> None:
    as_organiser(web)
    page = post(
        web,
        "/organiser/rounds/r2026/setup/lists",
        "/organiser/rounds/r2026/setup/venues",
        key="v3",
        name="第三会场",
    )
    assert "第三会场" in page.text
    assert web.get("/organiser/rounds/r2025/setup").status_code == 404
    web.commands.create_empty_round("r2027", "其他", None, by=ORGANISER)
    assert web.get(SETUP).status_code == 404


def test_once_scoring_began_reasons_are_asked_and_what_could_change_a_ballot_is_refused(web: Web) -> None:
    web.open("fgw")
    as_organiser(web)
    base = "/organiser/rounds/r2026/setup"
    lists = web.get(f"{base}/lists").text
    assert "评分已经开始" in lists and "修改原因（必填）" in lists
    refused = post(web, f"{base}/lists", f"{base}/venues", key="v3", name="第三会场")
    assert "请填写原因" in problem(refused)
    added = post(web, f"{base}/lists", f"{base}/venues", key="v3", name="第三会场", reason="增设分会场")
    assert problem(added) == "" and "第三会场" in added.text
    share = post(
        web, f"{base}/lists", f"{base}/categories", key="npc", name="人大代表", share="5", reason="调整"
    )
    assert "评分已经开始" in problem(share)
    retitled = post(web, base, f"{base}/basics", title="2026年度三民活动（更正）", year="")
    assert "请填写原因" in problem(retitled) and web.commands.round("r2026").title == "2026年度三民活动"
    post(web, base, f"{base}/basics", title="2026年度三民活动（更正）", year="", reason="名称更正")
    assert web.commands.round("r2026").title == "2026年度三民活动（更正）"
    moved = post(web, f"{base}/sittings", f"{base}/agenda", sitting="s1", step="out fgw", reason="调整")
    assert "评分已经开始" in problem(moved)
    assert web.commands.round("r2026").sittings["s1"]["agenda"] == ["fgw", "swj"]
    events = list(web.commands.repository.event_store.get(round_id("r2026")))
    assert {"增设分会场", "名称更正"} <= {getattr(e, "reason", "") for e in events}
    assert isinstance(web.commands.repository.get(round_id("r2026")), Round)


def test_the_round_s_title_and_year_change_on_its_first_page(web: Web) -> None:
    new_round(web)
    page = post(web, SETUP, f"{SETUP}/basics", title="2027年度包头市三民活动", year="2028")
    assert problem(page) == "" and "2027年度包头市三民活动" in page.text
    plan = web.commands.setup_plan("r2027")
    assert (plan.title, plan.year) == ("2027年度包头市三民活动", 2028)
    assert "年度" in problem(post(web, SETUP, f"{SETUP}/basics", title="t", year="二〇二八"))
    assert "活动名称不能为空" in problem(post(web, SETUP, f"{SETUP}/basics", title=" ", year=""))


def test_what_is_typed_is_shown_as_text_never_as_markup(web: Web) -> None:
    new_round(web)
    page = post(web, f"{SETUP}/lists", f"{SETUP}/venues", key="v1", name='<script>alert("x")</script>')
    assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text
    refused = post(web, f"{SETUP}/lists", f"{SETUP}/groups", key='"><img src=x>', name="<b>组</b>")
    assert "<img src=x>" not in refused.text and "<b>组</b>" not in refused.text
    control = post(web, f"{SETUP}/lists", f"{SETUP}/venues", key="v2", name="分会\x00场\x07")
    assert problem(control) == "" and web.commands.round("r2027").venues["v2"] == "分会场"


def test_an_organiser_cannot_post_to_another_round_s_setup(web: Web) -> None:
    web.commands.create_empty_round("r2027", "其他", None, by=ORGANISER)
    as_organiser(web)
    token = FORM_CSRF.search(web.get("/organiser/rounds/r2026/setup").text)
    assert token is not None
    answer = web.client.post(
        f"{SETUP}/venues", data={"csrf": token.group(1), "key": "v", "name": "会场"}, follow_redirects=False
    )
    assert answer.status_code == 404 and web.commands.round("r2027").venues == {}
    created = web.client.post(
        "/organiser/rounds/new",
        data={"csrf": token.group(1), "key": "r2028", "title": "t"},
        follow_redirects=False,
    )
    assert created.status_code == 403
