"""活动设置表单的边界 — each name field's maxlength is the domain's own bound, and a name, a level's points or a
minimum of valid votes posted beyond it is refused beside its form in plain Chinese, with nothing saved and (for
the 评议表) what was typed kept."""

from __future__ import annotations

import html
import re

from evaluation.instrument import MAX_CRITERION_LABEL, MAX_LEVEL_LABEL, Instrument
from evaluation.round import round_id
from evaluation.setup_rules import MAX_KEY, MAX_NAME, MAX_TITLE
from tests.web.conftest import Web
from tests.web.test_round_setup_pages import SETUP, TWO_LEVELS, as_administrator, new_round, post, problem
from tests.web.test_round_setup_refusals import fields, part


def maxlengths(page: str) -> dict[str, set[int]]:
    """Each field's name → the maxlengths its inputs on the page have."""
    found: dict[str, set[int]] = {}
    for name, most in re.findall(r'<input name="([a-z_]+?)(?:_\d+)?"[^>]*? maxlength="(\d+)"', page):
        found.setdefault(name, set()).add(int(most))
    return found


def test_each_name_field_allows_what_the_domain_allows(web: Web) -> None:
    as_administrator(web)
    assert maxlengths(web.get("/organiser/rounds").text) == {
        "key": {MAX_KEY},
        "title": {MAX_TITLE},
        "year": {4},
    }
    new_round(web)
    post(web, f"{SETUP}/lists", f"{SETUP}/groups", key="econ", name="经济发展组", new="yes")
    post(
        web,
        f"{SETUP}/departments",
        f"{SETUP}/departments",
        key="fgw",
        name="市发改委",
        group="econ",
        new="yes",
    )
    post(web, f"{SETUP}/sittings", f"{SETUP}/sittings", key="s1", name="第一场", new="yes")
    setup = maxlengths(web.get(SETUP).text)
    assert (setup["title"], setup["level_label"], setup["criterion_label"]) == (
        {MAX_TITLE},
        {MAX_LEVEL_LABEL},
        {MAX_CRITERION_LABEL},
    )
    assert setup["unknown_label"] == {MAX_LEVEL_LABEL} and setup["level_key"] == {MAX_KEY}
    lists = maxlengths(web.get(f"{SETUP}/lists").text)
    assert lists == {"key": {MAX_KEY}, "name": {MAX_NAME}}  # a share is a number: no name
    departments = maxlengths(web.get(f"{SETUP}/departments").text)
    for name in ("name", "short_name", "head"):
        assert departments[name] == {MAX_NAME}, name
    assert maxlengths(web.get(f"{SETUP}/sittings").text)["name"] == {MAX_NAME}


def test_a_name_beyond_the_form_s_bound_is_refused_and_nothing_is_saved(web: Web) -> None:
    new_round(web)
    before = web.commands.repository.get(round_id("r2027")).version
    long = "名" * (MAX_NAME + 1)
    for page, url, data in [
        ("lists", "groups", {"key": "econ", "name": long}),
        ("lists", "venues", {"key": "main", "name": long}),
        ("lists", "categories", {"key": "npc", "name": long, "share": "1"}),
        ("sittings", "sittings", {"key": "s1", "name": long}),
    ]:
        answer = post(web, f"{SETUP}/{page}", f"{SETUP}/{url}", new="yes", **data)
        assert f"名称不能为空，且最多 {MAX_NAME} 个字" in problem(answer), url
    post(web, f"{SETUP}/lists", f"{SETUP}/groups", key="econ", name="经济发展组", new="yes")
    saved = web.commands.repository.get(round_id("r2027")).version
    assert saved == before + 1
    department = {"key": "fgw", "name": "市发改委", "group": "econ", "new": "yes"}
    for field in ("name", "short_name", "head"):
        answer = post(web, f"{SETUP}/departments", f"{SETUP}/departments", **(department | {field: long}))
        assert f"最多 {MAX_NAME} 个字" in problem(answer), field
    assert web.commands.repository.get(round_id("r2027")).version == saved
    assert web.commands.round("r2027").departments == {}
    title = post(web, SETUP, f"{SETUP}/basics", title="题" * (MAX_TITLE + 1), year="2027")
    assert f"活动名称不能为空，且最多 {MAX_TITLE} 个字" in problem(title)
    assert web.commands.round("r2027").title == "2027年度三民活动"


def test_points_and_a_minimum_of_valid_votes_beyond_their_bounds_come_back_as_typed(web: Web) -> None:
    new_round(web)
    before = web.commands.repository.get(round_id("r2027")).version
    for change, words in [
        ({"level_points_0": "1001"}, "等次「满意」的分值「1001」须是 -1000 到 1000 之间的整数"),
        ({"level_points_1": "-999999999"}, "等次「不满意」的分值「-999999999」须是 -1000 到 1000 之间的整数"),
        ({"min_valid_votes": "100001"}, "最少有效票数「100001」须是 1 到 100000 之间的整数"),
    ]:
        typed = TWO_LEVELS | change
        answer = post(web, SETUP, f"{SETUP}/instrument", **typed)
        assert words in html.unescape(problem(answer)), change
        back = fields(part(answer, "instrument"))
        assert {name: back.get(name) for name in typed} == typed
    assert web.commands.repository.get(round_id("r2027")).version == before
    assert web.commands.round("r2027").instrument == Instrument()
    widest = TWO_LEVELS | {"level_points_0": "1000", "level_points_1": "-1000", "min_valid_votes": "100000"}
    assert problem(post(web, SETUP, f"{SETUP}/instrument", **widest)) == ""
    assert web.commands.round("r2027").instrument.min_valid_votes == 100000
