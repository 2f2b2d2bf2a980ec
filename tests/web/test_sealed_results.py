"""评分中不显示票型 — the attack: an organiser who can cast in a representative's name amends their ballot and
watches the live results move, reading off the choice they had made. While the department's window is open
the results show nothing that moves with a choice; the figures appear once it closes, and the level counts
(各档票数) only to results officers and auditors, never to the 会务组."""

from __future__ import annotations

import re
from uuid import uuid4

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import running_site


async def test_an_amendment_made_in_someone_s_name_does_not_show_on_the_live_results(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "dissatisfied")  # her own choice, made in secret
    app.cast_ballot(small_round.bob, "fgw", uuid4().hex, "satisfied")
    _, officer = app.add_staff("孙敏", "results_officer", ORGANISER, round_key="r2026")
    async with running_site(settings, app) as site:
        await site.sign_in(officer)
        site.sync()
        before = (await site.get("/organiser/results")).text
        assert "评分结束后显示" in before and "评分中" in before

        app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "satisfied")  # cast in her name
        site.sync()
        after = (await site.get("/organiser/results")).text
        assert after == before  # nothing on the page moved: her earlier choice cannot be read off it

        app.close_window("r2026", "fgw", by=ORGANISER)
        site.sync()
        closed = (await site.get("/organiser/results")).text
        assert "评分结束后显示" not in closed and closed != before


LEVEL_HEADINGS = ("<th>不了解（弃权）</th>", "<th>满意</th>", "<th>不满意</th>")


async def test_only_results_officers_and_auditors_see_level_counts_and_only_once_the_window_closed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "dissatisfied")
    app.close_window("r2026", "fgw", by=ORGANISER)
    app.open_window("r2026", "swj", by=ORGANISER)  # another department still being scored
    people = {
        role: app.add_staff(name, role, ORGANISER, round_key="r2026")[1]
        for name, role in (("孙敏", "results_officer"), ("钱伟", "auditor"), ("吴刚", "organiser"))
    }
    async with running_site(settings, app) as site:
        site.sync()
        pages = {}
        for role, code in people.items():
            await site.sign_in(code)
            pages[role] = (await site.get("/organiser/results")).text

    for role in ("results_officer", "auditor"):
        assert all(heading in pages[role] for heading in LEVEL_HEADINGS), role
        heads = re.findall(r"<th>([^<]*)</th>", pages[role])
        assert "弃权" not in heads and "不了解（弃权）" in heads, "one number: one column, not two"
        assert "评分结束后显示" in pages[role]  # swj: none while its window is open
    assert not any(heading in pages["organiser"] for heading in LEVEL_HEADINGS)
    assert "各档票数和弃权数只有计票员、监督员可见" in pages["organiser"]


async def test_an_abstention_is_not_read_off_the_live_count_of_valid_votes(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """Her secret 不了解 is an abstention, not a valid vote: a live 有效票 beside the agenda's 已评 showed it
    (6 voted, 5 valid), and an amendment in her name moved it from 5 to 6."""
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "unknown")  # her own choice, made in secret
    for n in range(5):
        rep, _ = app.register_representative("r2026", f"代表{n}", "resident", "kdl", "s1", by=ORGANISER)
        app.cast_ballot(rep, "fgw", uuid4().hex, "satisfied")
    _, organiser = app.add_staff("吴刚", "organiser", ORGANISER, round_key="r2026")
    async with running_site(settings, app) as site:
        await site.sign_in(organiser)
        site.sync()
        before = (await site.get("/organiser/results")).text
        assert "已评 6" in before  # how many have voted, as the agenda and the projector say

        app.cast_ballot(small_round.alice, "fgw", uuid4().hex, "satisfied")  # cast in her name
        site.sync()
        assert (await site.get("/organiser/results")).text == before
