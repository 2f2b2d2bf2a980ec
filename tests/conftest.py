"""Test set-up: one real PostgreSQL for the whole run (embedded, one per pytest-xdist worker; or
TEST_DATABASE_URL, shared), a fresh schema per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from evaluation.application import EvaluationApp, Receipt
from evaluation.ballot import Ballot, ballot_id
from storage.bootstrap import build_app
from storage.embedded import EmbeddedPostgres
from storage.settings import Settings

SECRET = b"a test secret that is long enough"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    place, worker = os.environ.get("SANMIN_TEST_PGDATA"), os.environ.get("PYTEST_XDIST_WORKER")
    if not place:
        folder = tmp_path_factory.mktemp("pg")  # per worker already: pytest-xdist gives each its own base
    else:
        folder = Path(place) / worker / "pg" if worker else Path(place)  # a worker's server and keys below it
    server = EmbeddedPostgres(folder).start()
    yield server.url
    server.stop()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url, tmp_path, SECRET, schema=f"t_{uuid4().hex[:12]}")


def sanmin_environment(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, data_dir: Path, schema: str | None = None
) -> None:
    """The environment the ``sanmin`` command builds its settings from: this test's database and secret,
    ``schema`` (default: the test's own) and ``data_dir``."""
    for name, value in {
        "DATABASE_URL": settings.database_url,
        "SANMIN_SCHEMA": schema or settings.schema,
        "SANMIN_SECRET": SECRET.decode(),
        "SANMIN_DATA_DIR": str(data_dir),
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def app(settings: Settings) -> Iterator[EvaluationApp]:
    application = build_app(settings)
    yield application
    application.close()


@dataclass
class SmallRound:
    """Two groups, two venues, two sittings of two departments, two categories."""

    key: str
    alice: UUID
    alice_code: str
    bob: UUID
    carol: UUID


ORGANISER = "organiser:test"


def prepare_round(app: EvaluationApp, key: str = "r2026") -> None:
    """The shared round casts without check-in; the check-in rule's own tests turn it on."""
    app.create_round(key, "2026年度三民活动", by=ORGANISER, check_in_required=False)
    app.define_category(key, "npc", "人大代表", by=ORGANISER)
    app.define_category(key, "resident", "社区居民", by=ORGANISER)
    app.define_group(key, "econ", "经济发展组", by=ORGANISER)
    app.define_group(key, "city", "城市管理组", by=ORGANISER)
    app.define_venue(key, "main", "主会场", by=ORGANISER)
    app.define_venue(key, "kdl", "昆都仑区分会场", by=ORGANISER)
    for dept, name, group in [
        ("fgw", "市发改委", "econ"),
        ("swj", "市水务局", "city"),
        ("kjj", "市科技局", "econ"),
        ("zjj", "市住建局", "city"),
    ]:
        app.register_department(key, dept, name, group, by=ORGANISER)
    app.define_sitting(key, "s1", "第一场", ["fgw", "swj"], by=ORGANISER)
    app.define_sitting(key, "s2", "第二场", ["kjj", "zjj"], by=ORGANISER)


@pytest.fixture
def small_round(app: EvaluationApp) -> SmallRound:
    return make_small_round(app)


def make_small_round(app: EvaluationApp) -> SmallRound:
    """The shared round with Alice (npc, main, s1), Bob (resident, kdl, s1) and Carol (resident, main, s2)."""
    prepare_round(app)
    alice, alice_code = app.register_representative("r2026", "李秀英", "npc", "main", "s1", by=ORGANISER)
    bob, _ = app.register_representative(
        "r2026", "王建国", "resident", "kdl", "s1", by=ORGANISER, phone="13900000001"
    )
    carol, _ = app.register_representative("r2026", "张丽", "resident", "main", "s2", by=ORGANISER)
    return SmallRound("r2026", alice, alice_code, bob, carol)


def two_ballots_sharing_a_code(app: EvaluationApp, round_: SmallRound) -> tuple[Receipt, UUID]:
    """Alice's ballot for fgw, cast, and Bob's for swj given the same receipt code, as a colliding keyed
    hash would make it (the command would not); both windows open. Returns Alice's receipt and Bob's ballot."""
    for department in ("fgw", "swj"):
        app.open_window(round_.key, department, by=ORGANISER)
    first = app.cast_ballot(round_.alice, "fgw", uuid4().hex, "satisfied")
    bob, window = app.representative(round_.bob), app.window(round_.key, "swj")
    assert window is not None
    pseudonym = app.keys.pseudonym(round_.bob, "swj")
    shared = Ballot(
        pseudonym,
        round_.key,
        "swj",
        bob.category,
        uuid4().hex,
        first.code,
        "satisfied",
        None,
        "",
        window.openings,
    )
    app.save(shared)
    return first, ballot_id(pseudonym)


def deliver_suggestions(app: EvaluationApp, round_key: str, *departments: str) -> None:
    """The held signed suggestions of these departments are recorded as a window's close records them: the
    open window is closed; one never opened, or closed already, is opened (again) and closed."""
    for department in departments:
        window = app.window(round_key, department)
        if window is None or window.openings == 0:
            app.open_window(round_key, department, by=ORGANISER)
        elif not window.is_open:
            app.reopen_window(round_key, department, by=ORGANISER, reason="交付留名建议")
        app.close_window(round_key, department, by=ORGANISER)
