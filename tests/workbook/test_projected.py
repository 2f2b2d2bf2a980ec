"""A round created from a workbook in one save is projected like one set up command by command."""

from __future__ import annotations

from evaluation.application import EvaluationApp
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.integration.test_projection_helpers import query, result
from tests.workbook.books import good_sheets, xlsx
from workbook import import_workbook


def test_the_views_show_the_imported_round(app: EvaluationApp, settings: Settings) -> None:
    with Projector(settings) as projector:
        import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
        app.open_window("r2027", "swj", by=ORGANISER)
        projector.wait(app.recorder.max_notification_id() or 0)
    swj = result(settings, "swj", key="r2027")
    assert swj["eligible"] == 2  # 李秀英 and 王建国 sit in s1
    (city,) = query(
        settings, "SELECT ranking FROM rankings_view WHERE round_key = 'r2027' AND group_key = 'city'"
    )
    assert sorted(line["department"] for line in city["ranking"]) == ["swj", "zjj"]
