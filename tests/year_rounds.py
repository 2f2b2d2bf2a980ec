"""Rounds of several years (and of another city) for the year-over-year and 公示 specifications.

Each round is ``prepare_round``'s: fgw and swj in sitting s1, kjj and zjj in s2. ``scored_round`` registers as
many representatives per sitting as its longest list of choices, casts each department's choices, closes, locks
and (unless told not to) publishes.
"""

from __future__ import annotations

from uuid import uuid4

from evaluation.application import EvaluationApp
from evaluation.instrument import Instrument
from tests.conftest import ORGANISER, prepare_round

SITTING = {"fgw": "s1", "swj": "s1", "kjj": "s2", "zjj": "s2"}


def scored_round(
    app: EvaluationApp,
    key: str,
    year: int,
    choices: dict[str, list[str]],
    publish: bool = True,
    instrument: Instrument | None = None,
) -> None:
    prepare_round(app, key)
    app.save_basics(key, f"{year}年度三民活动", year, by=ORGANISER)
    if instrument is not None:
        app.change_instrument(key, instrument, by=ORGANISER, reason="本年度评议办法")
    most = max((len(c) for c in choices.values()), default=0)
    people = {
        sitting: [
            app.register_representative(
                key, f"{sitting}代表{n}", ("npc", "resident")[n % 2], "main", sitting, by=ORGANISER
            )[0]
            for n in range(most)
        ]
        for sitting in ("s1", "s2")
    }
    for department, chosen in choices.items():
        app.open_window(key, department, by=ORGANISER)
        for person, choice in zip(people[SITTING[department]], chosen, strict=False):
            app.cast_ballot(person, department, uuid4().hex, choice)
        app.close_window(key, department, by=ORGANISER)
    app.lock_results(key, by=ORGANISER)
    if publish:
        app.publish_results(key, by=ORGANISER)


SIX = ["satisfied"] * 6
BAOTOU_2025 = {
    "fgw": ["satisfied"] * 3 + ["basically_satisfied"] * 3,  # 80.000, 100%
    "swj": SIX,  # 100, 100%
    "kjj": ["satisfied"] * 3,  # three ballots: below k = 5, not published
}
BAOTOU_2026 = {
    "fgw": SIX,  # 100: +20
    "swj": ["satisfied"] * 4 + ["dissatisfied"] * 2,  # 66.667, 66.67%
    "kjj": SIX,
    "zjj": ["fairly_satisfied"] * 6,
}


def two_years(app: EvaluationApp) -> None:
    """bt2025 and bt2026 (its organiser says it follows bt2025), both published; qd2026, another city's round
    with the same codes, published and linked to nothing."""
    scored_round(app, "bt2025", 2025, BAOTOU_2025)
    scored_round(app, "bt2026", 2026, BAOTOU_2026)
    scored_round(app, "qd2026", 2026, {"fgw": ["dissatisfied"] * 6})
    app.follow_round("bt2026", "bt2025", by=ORGANISER, reason="同一城市的上一年度")
