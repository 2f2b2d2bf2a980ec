"""Property: over random rounds and ballot histories, the projection publishes what recount_rule recounts.

Each example is a fresh round in the same schema, driven through the application's commands
(amendments, voids, closed and reopened windows, abstentions, several categories, trimming,
per-ballot weighting, criteria, imported components, revoked credentials, departments' new sign-in codes,
a changed instrument), plus ballot events recorded while a window was closed (the guard prevents these;
the projection must still ignore them). The views are compared with the auditor's recount of the same
events, and the bulk rebuild (``sanmin rebuild``) must write exactly the rows the incremental projection
wrote.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot, BallotVersion, ballot_id
from evaluation.errors import EvaluationError
from evaluation.instrument import DEFAULT_LEVELS, Criterion, Instrument
from projections.maintenance import compare, rebuild_views
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.integration.test_projection_helpers import dump_views, query

CRITERIA = (
    Criterion("work", "工作实绩", 10, Decimal("0.6")),
    Criterion("manner", "服务态度", 5, Decimal("0.4")),
)

instruments = st.builds(
    lambda criteria, weighting, trim, minimum, composite: Instrument(
        kind="criteria" if criteria else "levels",
        criteria=CRITERIA if criteria else (),
        weighting=weighting,
        trim=trim,
        min_valid_votes=minimum,
        components={"live": Decimal("0.8"), "daily": Decimal("0.2")} if composite else {"live": Decimal(1)},
    ),
    st.booleans(),
    st.sampled_from(["per_category", "per_ballot"]),
    st.integers(0, 1),
    st.integers(1, 2),
    st.booleans(),
)
LEVEL_CHOICES = [level.key for level in DEFAULT_LEVELS] + ["unknown"]
casts = st.tuples(
    st.just("cast"), st.integers(0, 9), st.integers(0, 3), st.integers(0, 4), st.integers(0, 10)
)
others = st.one_of(
    st.tuples(st.sampled_from(["close", "reopen"]), st.integers(0, 3)),
    st.tuples(st.just("stray"), st.integers(0, 9), st.integers(0, 3), st.integers(0, 4)),
    st.tuples(st.sampled_from(["void", "void", "revoke"]), st.integers(0, 40)),
    st.tuples(st.sampled_from(["import", "drop_level"])),
    st.tuples(st.just("issue"), st.integers(0, 3)),
)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Mostly ballots (new ones and amendments), interleaved with the organiser's other actions."""
    merged = draw(st.lists(casts, min_size=8, max_size=40)) + draw(st.lists(others, max_size=10))
    return [merged[i] for i in draw(st.permutations(range(len(merged))))]


rounds = st.fixed_dictionaries(
    {
        "instrument": instruments,
        "shares": st.lists(st.sampled_from(["1", "2", "0.5"]), min_size=1, max_size=3),
        "groups": st.lists(st.sampled_from(["g1", "g2"]), min_size=2, max_size=4),
        "reps": st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 1)), min_size=3, max_size=10
        ),
        "actions": histories(),
    }
)


class Driver:
    """Plays one random plan through the application."""

    def __init__(self, app: EvaluationApp, plan: dict[str, Any]) -> None:
        self.app, self.plan, self.key = app, plan, f"h{uuid4().hex[:10]}"
        self.departments = [f"d{i}" for i in range(len(plan["groups"]))]
        self.reps: list[tuple[UUID, str]] = []
        self.ballots: list[UUID] = []

    def prepare(self) -> None:
        app, key, plan = self.app, self.key, self.plan
        app.create_round(
            key, "随机活动", by=ORGANISER, instrument=plan["instrument"], check_in_required=False
        )
        for i, share in enumerate(plan["shares"]):
            app.define_category(key, f"c{i}", f"类别{i}", by=ORGANISER, share=share)
        for group in ("g1", "g2"):
            app.define_group(key, group, group, by=ORGANISER)
        for venue in ("v0", "v1"):
            app.define_venue(key, venue, venue, by=ORGANISER)
        for department, group in zip(self.departments, plan["groups"], strict=True):
            app.register_department(key, department, f"部门{department}", group, by=ORGANISER)
        half = (len(self.departments) + 1) // 2
        app.define_sitting(key, "s0", "上午", self.departments[:half], by=ORGANISER)
        app.define_sitting(key, "s1", "下午", self.departments[half:], by=ORGANISER)
        for n, (category, venue, sitting) in enumerate(plan["reps"]):
            category = f"c{category % len(plan['shares'])}"
            rep, _ = app.register_representative(
                key, f"代表{n}", category, f"v{venue}", f"s{sitting}", by=ORGANISER
            )
            self.reps.append((rep, f"s{sitting}"))
        for department in self.departments:
            app.open_window(key, department, by=ORGANISER)

    def play(self, action: tuple[Any, ...]) -> None:
        with contextlib.suppress(EvaluationError):  # a refusal records nothing: part of a realistic history
            getattr(self, f"_{action[0]}")(*action[1:])

    def _department(self, index: int) -> str:
        return self.departments[index % len(self.departments)]

    def _close(self, d: int) -> None:
        self.app.close_window(self.key, self._department(d), by=ORGANISER)

    def _reopen(self, d: int) -> None:
        self.app.reopen_window(self.key, self._department(d), by=ORGANISER, reason="补评")

    def _choice(self, c: int, s: int) -> tuple[str, dict[str, int] | None]:
        if self.plan["instrument"].kind == "criteria":
            return ("unknown", None) if c == 4 else ("scored", {"work": s, "manner": s % 6})
        return LEVEL_CHOICES[c], None

    def _voter(self, r: int, d: int) -> tuple[UUID, str]:
        """A representative of the department's sitting (any, if it has none)."""
        department = self._department(d)
        sitting = self.app.round(self.key).sitting_of(department)
        same = [rep for rep, s in self.reps if s == sitting] or [rep for rep, _ in self.reps]
        return same[r % len(same)], department

    def _cast(self, r: int, d: int, c: int, s: int) -> None:
        rep, department = self._voter(r, d)
        choice, scores = self._choice(c, s)
        self.ballots.append(self.app.cast_ballot(rep, department, uuid4().hex, choice, scores).ballot_id)

    def _stray(self, r: int, d: int, c: int) -> None:
        """A ballot version recorded outside an open window, bypassing the command's guard."""
        rep_id, department = self._voter(r, d)
        window = self.app.window(self.key, department)
        if window is not None and window.is_open:
            return
        rep = self.app.representative(rep_id)
        pseudonym, client = self.app.keys.pseudonym(rep_id, department), uuid4().hex
        choice, scores = self._choice(c, 7)
        receipt = self.app.keys.receipt(ballot_id(pseudonym), client)
        ballot = self.app.find(Ballot, ballot_id(pseudonym))
        if ballot is None:
            ballot = Ballot(
                pseudonym,
                self.key,
                department,
                rep.category,
                client,
                receipt,
                choice,
                scores,
                "窗口外",
                0,
            )
        elif not ballot.voided:
            ballot.amend(BallotVersion(client, receipt, choice, scores, "窗口外", 0))
        self.app.save(ballot)

    def _void(self, b: int) -> None:
        if self.ballots:
            self.app.void_ballot(self.ballots[b % len(self.ballots)], by=ORGANISER, reason="举报属实")

    def _revoke(self, r: int) -> None:
        self.app.revoke_credential(self.reps[r % len(self.reps)][0], by=ORGANISER, reason="遗失")

    def _issue(self, d: int) -> None:
        self.app.issue_department_credential(self.key, self._department(d), by=ORGANISER)

    def _import(self) -> None:
        if "daily" in self.plan["instrument"].components:
            scores = {d: str(90 - i) for i, d in enumerate(self.departments[:-1])}
            self.app.import_component(self.key, "daily", scores, by=ORGANISER, reason="日常评议")

    def _drop_level(self) -> None:
        instrument = self.plan["instrument"]
        if instrument.kind == "levels":
            levels = tuple(lv for lv in instrument.levels if lv.key != "fairly_satisfied")
            changed = replace(instrument, levels=levels)
            self.app.change_instrument(self.key, changed, by=ORGANISER, reason="去掉比较满意")


def test_the_projection_publishes_what_the_recount_rule_recounts(
    app: EvaluationApp, settings: Settings
) -> None:
    with Projector(settings) as projector:

        @hypothesis_settings(
            max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
        )
        @given(plan=rounds)
        def check(plan: dict[str, Any]) -> None:
            driver = Driver(app, plan)
            driver.prepare()
            for action in plan["actions"]:
                driver.play(action)
            projector.wait(app.recorder.max_notification_id() or 0)
            comparison = compare(settings)
            assert comparison.matches, "\n".join(comparison.differences())
            assert any(line.startswith(f"{driver.key}|") for line in comparison.from_views)

        check()


def test_a_bulk_rebuild_writes_every_row_the_incremental_projection_wrote_and_the_projection_resumes_after_it(
    app: EvaluationApp, settings: Settings
) -> None:
    @hypothesis_settings(
        max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(plan=rounds)
    def check(plan: dict[str, Any]) -> None:
        driver = Driver(app, plan)
        half = len(plan["actions"]) // 2
        with Projector(settings) as projector:
            driver.prepare()
            for action in plan["actions"][:half]:
                driver.play(action)
            projector.wait(app.recorder.max_notification_id() or 0)
        incremental, structure = dump_views(settings), keys_and_indexes(settings)
        rebuilt = rebuild_views(settings, say=lambda _: None)
        assert rebuilt.position == (app.recorder.max_notification_id() or 0)
        assert dump_views(settings) == incremental
        assert keys_and_indexes(settings) == structure

        with Projector(settings) as resumed:
            assert resumed.projection.position == rebuilt.position
            for action in plan["actions"][half:]:
                driver.play(action)
            resumed.wait(app.recorder.max_notification_id() or 0)
        after_resuming = dump_views(settings)
        rebuild_views(settings, say=lambda _: None)
        assert dump_views(settings) == after_resuming
        comparison = compare(settings)
        assert comparison.matches, "\n".join(comparison.differences())

    check()


def keys_and_indexes(settings: Settings) -> list[dict[str, Any]]:
    """Every index of the schema (primary keys included) with its definition, and every NOT NULL column."""
    indexes = query(
        settings,
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY indexname",
        settings.schema,
    )
    columns = query(
        settings,
        "SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns"
        " WHERE table_schema = %s ORDER BY table_name, ordinal_position",
        settings.schema,
    )
    return indexes + columns
