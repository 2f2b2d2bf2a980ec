"""活动设置页面的拒绝 — a 新增 form never overwrites: a code already in use is refused beside that form, with
what was typed kept there and nothing changed; a refused change of an existing item comes back in that item's
own row (never in the 新增 form); a refused 评议表 comes back exactly as it was typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx

from evaluation.department import department_id
from evaluation.instrument import Instrument
from evaluation.round import round_id
from tests.web.conftest import Web
from tests.web.test_round_setup_pages import as_organiser, post

BASE = "/organiser/rounds/r2026/setup"


class _Fields(HTMLParser):
    """What a browser would submit from a piece of a page: each field's value (a checkbox or radio only when
    checked, a select's selected option or else its first)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        name = given.get("name") or ""
        if tag == "input" and name and name != "csrf":
            if given.get("type") not in ("checkbox", "radio") or "checked" in given:
                self.values[name] = given.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and ("selected" in given or self._select not in self.values):
            self.values[self._select] = given.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = ""


def part(page: httpx.Response, element_id: str) -> str:
    """The element with this id (a form, a list's row or a section), as the page has it."""
    found = re.search(rf'<(form|li|section) id="{element_id}"[^>]*>.*?</\1>', page.text, re.S)
    assert found is not None, f"no #{element_id} on the page"
    return found.group(0)


def fields(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    return parser.values


def problem_in(html: str) -> str:
    found = re.search(r'<p class="field-error" role="alert">([^<]*)</p>', html)
    return found.group(1) if found else ""


ADDITIONS = [  # page, form's URL, the 新增 form's id, what is typed, the refusal
    (
        "lists",
        "categories",
        "new-category",
        {"key": "npc", "name": "重复代码的新类别", "share": "0.5"},
        "代表类别",
    ),
    ("lists", "groups", "new-group", {"key": "econ", "name": "重复的组"}, "部门组"),
    ("lists", "venues", "new-venue", {"key": "main", "name": "重复的会场"}, "会场"),
    (
        "sittings",
        "sittings",
        "new-sitting",
        {"key": "s1", "name": "重复的场次", "date": "2026-04-01", "half_day": "下午"},
        "场次",
    ),
    (
        "departments",
        "departments",
        "new-department",
        {"key": "fgw", "name": "重复的部门", "short_name": "重复", "group": "city", "head": "某人"},
        "部门",
    ),
]


def test_adding_an_item_whose_code_exists_is_refused_beside_the_add_form_and_changes_nothing(
    web: Web,
) -> None:
    as_organiser(web)
    before = web.commands.round("r2026")
    state = (before.version, before.categories["npc"], before.sittings["s1"], before.departments["fgw"])
    fgw = web.commands.repository.get(department_id("r2026", "fgw")).version
    for page, url, form, typed, what in ADDITIONS:
        answer = post(web, f"{BASE}/{page}", f"{BASE}/{url}", new="yes", **typed)
        added = part(answer, form)
        assert problem_in(added).startswith(f"{what}代码「{typed['key']}」已存在"), (form, problem_in(added))
        assert {name: fields(added).get(name) for name in typed} == typed, form
    after = web.commands.round("r2026")
    assert (after.version, after.categories["npc"], after.sittings["s1"], after.departments["fgw"]) == state
    assert web.commands.repository.get(department_id("r2026", "fgw")).version == fgw
    assert fields(part(answer, "department-fgw"))["name"] == "市发改委"  # the row shows what is saved


def test_the_add_form_adds_a_new_code_and_an_item_s_own_form_still_changes_it(web: Web) -> None:
    as_organiser(web)
    added = post(
        web, f"{BASE}/lists", f"{BASE}/categories", new="yes", key="cppcc", name="政协委员", share="0.5"
    )
    changed = post(web, f"{BASE}/lists", f"{BASE}/categories", key="npc", name="人大代表（改）", share="0.3")
    assert problem_in(added.text) == problem_in(changed.text) == ""
    assert fields(part(changed, "category-npc")) == {"key": "npc", "name": "人大代表（改）", "share": "0.3"}
    assert web.commands.round("r2026").categories == {
        "npc": {"name": "人大代表（改）", "share": "0.3"},
        "resident": {"name": "社区居民", "share": "1"},
        "cppcc": {"name": "政协委员", "share": "0.5"},
    }


EDITS = [  # page, form's URL, what is typed, the item's own form (row or section), the 新增 form, the refusal
    (
        "lists",
        "categories",
        {"key": "resident", "name": "社区居民代表", "share": "abc"},
        "category-resident",
        "new-category",
        "类别权重「abc」必须是正数",
    ),
    (
        "departments",
        "departments",
        {"key": "swj", "name": "", "short_name": "水务", "group": "econ", "head": "新局长"},
        "department-swj",
        "new-department",
        "部门名称不能为空",
    ),
    (
        "sittings",
        "sittings",
        {"key": "s1", "name": "", "date": "2026-04-02", "half_day": "下午"},
        "sitting-s1",
        "new-sitting",
        "场次名称不能为空",
    ),
]


def test_a_refused_change_comes_back_in_the_item_s_own_form_and_not_in_the_add_form(web: Web) -> None:
    as_organiser(web)
    version = web.commands.round("r2026").version
    for page, url, typed, own, add, words in EDITS:
        answer = post(web, f"{BASE}/{page}", f"{BASE}/{url}", **typed)
        row = part(answer, own)
        assert words in problem_in(row), (own, problem_in(answer.text))
        assert {name: fields(row).get(name) for name in typed} == typed, own
        blank = part(answer, add)
        assert (
            problem_in(blank) == "" and fields(blank).get("key") == "" and fields(blank).get("name") == ""
        ), add
    assert web.commands.round("r2026").version == version


def test_a_refused_instrument_comes_back_exactly_as_typed(web: Web) -> None:
    as_organiser(web)
    shown = fields(part(web.get(BASE), "instrument"))
    typed = {
        **shown,
        "kind": "criteria",
        "weighting": "per_ballot",
        "trim": "1",
        "min_valid_votes": "3",
        "unknown_label": "说不清",
        "level_label_0": "非常满意",
        "criterion_label_0": "工作实绩",
        "criterion_max_0": "10",
        "criterion_weight_0": "0.5",
        "criterion_label_1": "服务态度",
        "criterion_max_1": "10",
        "criterion_weight_1": "0.4",
        "criterion_key_1": "service",
    }
    del typed["level_satisfied_1"]  # 计入满意 unticked on the second level
    assert shown["kind"] == "levels" and "criterion_label_1" in shown  # the fields a person fills in

    answer = post(web, BASE, f"{BASE}/instrument", **typed)
    form = part(answer, "instrument")
    assert "各评价指标的权重之和必须等于 1" in problem_in(form)
    back = fields(form)
    assert {name: back.get(name) for name in typed} == typed
    assert not any(value for name, value in back.items() if name not in typed)  # only empty rows added:
    assert "criterion_label_3" in back  # two after the last criterion typed, as after a save
    assert web.commands.round("r2026").instrument == Instrument()
    again = web.get(BASE)  # the refusal is shown once: the next visit shows what is saved
    assert fields(part(again, "instrument")) == shown and problem_in(again.text) == ""


def test_a_refused_title_and_year_come_back_as_typed(web: Web) -> None:
    as_organiser(web)
    answer = post(web, BASE, f"{BASE}/basics", title="2026年度三民活动（更正）", year="二〇二六")
    basics = part(answer, "basics")
    assert "年度" in problem_in(basics)
    assert fields(basics) == {"title": "2026年度三民活动（更正）", "year": "二〇二六"}
    assert web.commands.repository.get(round_id("r2026")).title == "2026年度三民活动"


def test_a_locked_round_s_setup_pages_say_they_can_only_be_read(web: Web) -> None:
    """After the lock the setup pages said 「评分已经开始：…须填写原因」, as if a change with a reason would do."""
    web.commands.lock_results("r2026", by="organiser:test")
    as_organiser(web)
    page = web.get("/organiser/rounds/r2026/setup/departments").text
    assert "评议结果已锁定：活动设置只能查看，不能再修改" in page and "须填写原因" not in page


def test_the_organiser_sets_whether_check_in_is_needed_until_the_results_are_locked(web: Web) -> None:
    as_organiser(web)
    page = "/organiser/rounds/r2026/setup"
    assert 'name="check_in" value="not_required" checked' in web.get(page).text  # the test round's
    post(web, page, f"{page}/check-in", check_in="required")
    assert web.commands.round("r2026").check_in_required is True
    assert 'name="check_in" value="required" checked' in web.get(page).text
    web.commands.lock_results("r2026", by="organiser:test")
    refused = post(web, page, f"{page}/check-in", check_in="not_required")
    assert "评议结果已锁定，不能再修改" in refused.text
    assert web.commands.round("r2026").check_in_required is True
