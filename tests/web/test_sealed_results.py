"""评分中不显示票型 — the attack: an organiser who can cast in a representative's name amends their ballot and
watches the live results move, reading off the choice they had made. While the department's window is open
the organiser's results show nothing that moves with a choice; the figures appear once it closes."""

from __future__ import annotations

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
    async with running_site(settings, app) as site:
        await site.sign_in_organiser()
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
