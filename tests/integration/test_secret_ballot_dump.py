"""无记名，整库核查 — after a scripted sitting, a dump of every table links no representative to a ballot.

The sitting: ten representatives of sitting s1 (five 人大代表, five 居民代表, over two venues, so that the
venue × category cell (主会场, 人大代表) holds 李秀英 alone), every one checked in, one card re-issued (补卡)
during the voting, ballots cast through the ballot writer's batches, one amended, one voided, three signed
suggestions (留名建议) each sent right after its author's ballot, the windows closed, the projection caught
up. Then every table of the schema is dumped, as whoever holds a backup would, and each attack docs/security.md guards against
is tried on it:

* a direct search of the ballots' rows for anything of a person (hole 2, the base case);
* the smallest position gap between a named row (a check-in, a re-issued card, a signed suggestion) and a
  ballot (holes 2 and 8);
* the ballots' times (hole 8);
* the venue × category cell (hole 8);
* the order of a batch (hole 8).

The truth (which ballot is whose) is computed here with the pseudonym key, which a backup does not hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from psycopg.rows import dict_row

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot, ballot_id
from evaluation.round_day import ROUND_ZONE
from evaluation.small_groups import SMALLEST_GROUP
from evaluation.voting import CastRequest
from intake.fast_app import IntakeApp
from projections.maintenance import rebuild_views, recount_views
from projections.runner import Projector
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import dump_views

BALLOT_TOPIC = "evaluation.ballot:Ballot."
SUGGESTION_TOPIC = "evaluation.suggestion:Suggestion."


def beijing_midnight(moment: datetime) -> bool:
    """A day stamp: 00:00 in Beijing (the day the sitting is held on there), no time of day."""
    return moment.astimezone(ROUND_ZONE).time() == time(0)


@pytest.fixture
def intake(settings: Settings, app: EvaluationApp) -> Iterator[IntakeApp]:
    writer = build_app(settings, create_tables=False, application=IntakeApp)
    yield writer
    writer.close()


class Sitting:
    """What the script did, and the truth an attacker does not have: each representative's ballot ids."""

    def __init__(self, app: EvaluationApp, small_round: SmallRound) -> None:
        self.app = app
        self.reps: list[UUID] = [small_round.alice, small_round.bob]
        self.codes: list[str] = [small_round.alice_code]
        self.arrival: list[UUID] = []
        self.signers: list[UUID] = []

    def ballot_of(self, rep: UUID, department: str) -> UUID:
        return ballot_id(self.app.keys.pseudonym(rep, department))


def run_sitting(app: EvaluationApp, intake: IntakeApp, small_round: SmallRound) -> Sitting:
    s = Sitting(app, small_round)
    for i in range(4):  # 5 人大代表 (李秀英 at 主会场, four at 昆都仑区), 5 居民代表 (all at 昆都仑区)
        rep, code = app.register_representative("r2026", f"人大代表{i}", "npc", "kdl", "s1", by=ORGANISER)
        s.reps.append(rep)
        s.codes.append(code)
        rep, code = app.register_representative(
            "r2026", f"居民代表{i}", "resident", "kdl", "s1", by=ORGANISER
        )
        s.reps.append(rep)
        s.codes.append(code)
    for rep in s.reps:  # 签到, in a known order
        app.check_in(rep, by=ORGANISER)
    for department in ("fgw", "swj"):
        app.open_window("r2026", department, by=ORGANISER)
    # the hall's first wave for fgw: one batch of the ballot writer, in arrival order; three of them sign a
    # suggestion right after their ballot, as the old tablet sent it
    first = [
        CastRequest(rep, "fgw", f"fgw-{i:04d}-x", "satisfied" if i % 3 else "dissatisfied")
        for i, rep in enumerate(s.reps)
    ]
    s.arrival = [r.representative_id for r in first]
    for answer in intake.cast_ballots(first):
        assert not isinstance(answer, Exception), answer
    for i, rep in enumerate(s.reps[:3]):
        app.sign_suggestion(rep, "fgw", f"sugg-{i:04d}-x", f"留名建议第{i}条：延长办事时间")
    # 补卡 during the voting: the re-issued card's holder votes for swj in the next batch, with the others
    s.codes.append(app.reissue_credential(s.reps[4], by=ORGANISER))
    second = [
        CastRequest(rep, "swj", f"swj-{i:04d}-x", "basically_satisfied") for i, rep in enumerate(s.reps)
    ]
    for answer in intake.cast_ballots(second):
        assert not isinstance(answer, Exception), answer
    app.cast_ballot(s.reps[1], "fgw", "fgw-amend-1x", "fairly_satisfied")  # 改票
    app.void_ballot(s.ballot_of(s.reps[2], "swj"), by=ORGANISER, reason="冒用他人评议卡")  # 作废
    for department in ("fgw", "swj"):
        app.close_window("r2026", department, by=ORGANISER)
    s.signers = s.reps[:3]
    return s


def dump_every_table(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Every table of the schema, every row, as a backup holds them."""
    with psycopg.connect(settings.database_url, row_factory=dict_row, options=settings.pg_options) as conn:
        tables = [
            r["tablename"]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (settings.schema,)
            )
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}  # noqa: S608 - catalogue names


def text_of(row: dict[str, Any]) -> str:
    return " ".join(
        bytes(v).decode("utf-8", "replace") if isinstance(v, bytes | memoryview) else str(v)
        for v in row.values()
    )


def events(dump: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rows = sorted(dump["evaluation_events"], key=lambda r: r["notification_id"])
    for r in rows:
        r["state_json"] = json.loads(bytes(r["state"]))
    return rows


@pytest.fixture
def scene(
    app: EvaluationApp, intake: IntakeApp, small_round: SmallRound, settings: Settings
) -> tuple[Sitting, dict[str, list[dict[str, Any]]]]:
    sitting = run_sitting(app, intake, small_round)
    with Projector(settings) as projector:
        projector.catch_up()
    return sitting, dump_every_table(settings)


def identities(app: EvaluationApp, sitting: Sitting) -> list[str]:
    found: list[str] = list(sitting.codes)
    for rep_id in sitting.reps:
        rep = app.representative(rep_id)
        found += [t for t in (str(rep.id), rep.id.hex, rep.name, rep.phone, rep.credential_hash) if t]
    return found


def test_no_row_that_holds_a_ballot_holds_anything_of_a_person(
    app: EvaluationApp, scene: tuple[Sitting, dict[str, list[dict[str, Any]]]]
) -> None:
    sitting, dump = scene
    ballots = {str(sitting.ballot_of(r, d)) for r in sitting.reps for d in ("fgw", "swj")}
    traces = identities(app, sitting)
    assert "held_suggestions" in dump and dump["held_suggestions"] == []  # recorded at the close
    seen = 0
    for table, rows in dump.items():
        for row in rows:
            text = text_of(row)
            if any(b in text for b in ballots):
                seen += 1
                leaked = [t for t in traces if t in text]
                assert not leaked, (table, leaked)
    assert seen >= 40  # the ballots' events, their views, receipts and chain-independent rows were searched


def test_a_signed_suggestion_has_no_position_or_time_beside_its_ballot(
    scene: tuple[Sitting, dict[str, list[dict[str, Any]]]],
) -> None:
    """Hole 2's attack: for each named suggestion, the ballot at the smallest position gap before it. The
    suggestions were recorded in one save with the window's close, after every ballot: the attack names
    the same ballot for all three, so it tells them nothing."""
    _, dump = scene
    rows = events(dump)
    ballots = [r["notification_id"] for r in rows if r["topic"].startswith(BALLOT_TOPIC)]
    submitted = [r for r in rows if r["topic"] == SUGGESTION_TOPIC + "Submitted"]
    assert len(submitted) == 3
    guesses = {max(b for b in ballots if b < s["notification_id"]) for s in submitted}
    assert len(guesses) == 1
    close = [r["notification_id"] for r in rows if r["topic"].endswith("ScoringWindow.Closed")]
    positions = sorted(s["notification_id"] for s in submitted)
    fgw_close = min(close)
    assert positions == list(range(fgw_close + 1, fgw_close + 4))  # right after fgw's close, together
    for s in submitted:
        moment = s["state_json"]["timestamp"]["_data_"]
        assert beijing_midnight(datetime.fromisoformat(moment)), moment  # the day only
    suggestion_columns = set(dump["suggestions_view"][0])
    assert not suggestion_columns & {"position", "at", "timestamp", "created_at"}
    assert {
        "round_key",
        "department",
        "text",
        "name",
        "phone",
    } <= suggestion_columns  # the department's answer page reads these


def test_the_nearest_ballot_after_a_check_in_or_a_re_issued_card_names_nobody(
    scene: tuple[Sitting, dict[str, list[dict[str, Any]]]],
) -> None:
    """Hole 8's position attack on named rows: every check-in came before the windows opened, so the
    nearest following ballot is the same for all ten; the re-issued card's holder voted within a shuffled
    batch of ten."""
    sitting, dump = scene
    rows = events(dump)
    ballots = [r["notification_id"] for r in rows if r["topic"].startswith(BALLOT_TOPIC)]
    check_ins = [r["notification_id"] for r in rows if r["topic"].endswith("Representative.CheckedIn")]
    assert len(check_ins) == len(sitting.reps)
    assert len({min(b for b in ballots if b > c) for c in check_ins}) == 1


def test_ballot_rows_carry_no_time_and_no_venue_so_a_small_cell_links_nobody(
    app: EvaluationApp, scene: tuple[Sitting, dict[str, list[dict[str, Any]]]]
) -> None:
    """Hole 8: (主会场, 人大代表) is 李秀英 alone; no ballot row says a venue or a sitting, and every
    ballot's time is the same day, so the only attribute to join on is the category: at least k people each."""
    sitting, dump = scene
    rows = events(dump)
    ballot_events = [r for r in rows if r["topic"].startswith(BALLOT_TOPIC)]
    moments = {r["state_json"]["timestamp"]["_data_"] for r in ballot_events}
    assert len(moments) == 1 and beijing_midnight(datetime.fromisoformat(next(iter(moments))))
    for r in ballot_events:
        assert not {"venue", "sitting"} & set(r["state_json"]), r["topic"]
    for table in ("ballots_view", "ballots_view_0", "ballots_view_1", "receipts_view"):
        for row in dump.get(table, []):
            assert not {"venue", "sitting"} & set(row), table
    assert all(beijing_midnight(r["at"]) for r in dump["receipts_view"])
    roster = dump["representatives_view"]
    for r in ballot_events:
        if r["topic"].endswith("Cast"):
            category = r["state_json"]["category"]
            candidates = [p for p in roster if p["category"] == category and p["sitting"] == "s1"]
            assert len(candidates) >= SMALLEST_GROUP


def test_the_order_of_a_batch_is_not_the_order_it_arrived_in(
    scene: tuple[Sitting, dict[str, list[dict[str, Any]]]],
) -> None:
    """Hole 8: whoever saw the hall's arrival order cannot map it onto positions (10! orders; the one it
    arrived in comes back with probability 1/3,628,800)."""
    sitting, dump = scene
    rows = events(dump)
    first = {r["originator_id"]: r["notification_id"] for r in rows if r["topic"].endswith("Ballot.Cast")}
    arrived = [sitting.ballot_of(rep, "fgw") for rep in sitting.arrival]
    logged = sorted(arrived, key=lambda b: first[b])
    assert logged != arrived and sorted(first[b] for b in arrived) == [first[b] for b in logged]


def test_a_version_1_ballot_event_with_venue_and_sitting_still_rebuilds_and_recounts_identically(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    """Old events: Ballot.Cast as it was stored before this change (venue and sitting, no class_version)."""
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(small_round.bob, "fgw", "bob-new-0001", "dissatisfied")
    pseudonym = app.keys.pseudonym(small_round.alice, "fgw")
    new = Ballot(
        pseudonym=pseudonym,
        round_key="r2026",
        department="fgw",
        category="npc",
        client_id="alice-old-01",
        receipt="OLDRECEIPT",
        choice="satisfied",
        scores=None,
        comment="旧格式",
        window_opening=1,
    )
    stored = app.mapper.to_stored_event(new.collect_events()[0])
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    state |= {"venue": "main", "sitting": "s1"}
    old = StoredEvent(stored.originator_id, 1, stored.topic, json.dumps(state).encode())
    app.recorder.insert_events([old])
    read = app.repository.get(ballot_id(pseudonym))
    assert isinstance(read, Ballot) and read.choice == "satisfied" and not hasattr(read, "venue")
    app.close_window("r2026", "fgw", by=ORGANISER)
    with Projector(settings) as projector:
        projector.catch_up()
    incremental = dump_views(settings)
    fgw = next(r for r in incremental["results"] if r["department"] == "fgw")
    assert fgw["returned"] == 2 and fgw["tally"]["level_counts"]["satisfied"] == 1
    assert recount_views(settings, say=lambda _: None) == 0
    rebuild_views(settings, say=lambda _: None)
    assert dump_views(settings) == incremental
