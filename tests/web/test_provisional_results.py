"""临时结果 — the provisional signed results before publication: not while a department is being scored, and
only for those the results page shows level counts (计票员, 监督员; a round's shared organiser code while the
round has no 计票员)."""

from __future__ import annotations

from tests.conftest import ORGANISER
from tests.web.conftest import Web
from tests.web.test_signed_results import URL, department, score_and_publish


def test_no_provisional_file_while_a_department_is_being_scored(web: Web) -> None:
    """The organiser's 下载签名结果 in the middle of 市发改委's window gave its level counts, abstentions, score
    and rank as they stood: the numbers the results page seals while a window is open (an amendment cast in
    someone's name would show their earlier choice). Refused until the window closes, then given."""
    app, r = web.commands, web.round
    others = [
        app.register_representative("r2026", f"代表{i}", "resident", "kdl", "s1", by=ORGANISER)[0]
        for i in range(4)
    ]
    app.open_window("r2026", "fgw", by=ORGANISER)
    for n, rep in enumerate([r.alice, r.bob, *others]):
        app.cast_ballot(rep, "fgw", f"fgw-ballot-{n}", "unknown" if rep == r.alice else "satisfied")
    web.sync()
    web.scan(web.commands.keys.organiser_code("r2026"))
    answer = web.get(URL)
    assert answer.status_code == 409 and "level_counts" not in answer.text
    assert "「市发改委」正在评分：评分结束后才能下载临时结果" in answer.text
    page = web.get("/organiser/results").text
    assert URL not in page and "评分结束后才能下载临时结果" in page  # no button that downloads a refusal

    app.close_window("r2026", "fgw", by=ORGANISER)
    web.sync()
    answer = web.get(URL)
    assert answer.status_code == 200 and department(answer.json(), "fgw")["abstentions"] == 1
    assert URL in web.get("/organiser/results").text


def test_before_publication_the_organising_office_gets_no_file_of_level_counts(web: Web) -> None:
    """The results page tells the 会务组 that 各档票数和弃权数只有计票员、监督员可见, and shows them none; its
    下载签名结果 gave the provisional file with every department's level_counts and abstentions all the same."""
    score_and_publish(web, publish=False)
    add = web.commands.add_staff
    _, organiser = add("吴刚", "organiser", ORGANISER, round_key="r2026")
    _, officer = add("孙敏", "results_officer", ORGANISER, round_key="r2026")
    _, auditor = add("钱伟", "auditor", ORGANISER, round_key="r2026")
    web.client.cookies.clear()
    web.type_code(organiser)
    assert web.get(URL).status_code == 403
    page = web.get("/organiser/results").text
    assert URL not in page and "各档票数和弃权数只有计票员、监督员可见" in page
    for code in (officer, auditor):
        web.client.cookies.clear()
        web.type_code(code)
        answer = web.get(URL)
        assert answer.status_code == 200 and department(answer.json(), "fgw")["level_counts"]
        assert URL in web.get("/organiser/results").text
