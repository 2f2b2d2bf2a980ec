"""投影运行 — starts the library's ProjectionRunner for the read models against given Settings.

    with Projector(settings) as projector:        # resumes after the tracked position
        position = app.cast_ballot(...).position
        projector.wait(position)                   # read-your-writes

Only one projector may write a schema's views: it holds a PostgreSQL advisory lock for its lifetime
(a second one raises ``ProjectionBusy``). ``rebuild=True`` drops every view table and the tracking row
first, under the same lock.
"""

from __future__ import annotations

import hashlib
from types import TracebackType
from typing import Any, Self

import psycopg
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.projection import ProjectionRunner

from projections.event_log import EventReader, last_position
from projections.projection import ViewsProjection
from projections.view_store import ViewRecorder
from storage.settings import Settings


class ProjectionBusy(RuntimeError):
    """Another projector is already writing these views."""


def projection_env(settings: Settings) -> dict[str, str]:
    """The library's environment: the app reads only (no DDL); the views create their tables."""
    env = settings.eventsourcing_env(create_tables=False, pool_size=2)
    env[f"{ViewsProjection.name.upper()}_CREATE_TABLE"] = "y"
    return env


def lock_key(schema: str) -> int:
    digest = hashlib.sha256(f"sanmin-views:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Projector:
    """The read-model projection running in this process (threads of the library's runner)."""

    def __init__(
        self,
        settings: Settings,
        rebuild: bool = False,
        projection_class: type[ViewsProjection] = ViewsProjection,
        view_class: type[ViewRecorder] = ViewRecorder,
    ) -> None:
        self.settings = settings
        self.rebuild = rebuild
        self.projection_class = projection_class
        self.view_class = view_class
        self._lock: psycopg.Connection[Any] | None = None
        self.runner: ProjectionRunner[EventReader, ViewRecorder] | None = None

    @property
    def projection(self) -> ViewsProjection:
        assert self.runner is not None, "the projector is not running"
        projection = self.runner.projection
        assert isinstance(projection, ViewsProjection)
        return projection

    def __enter__(self) -> Self:
        self.settings.ensure_schema()
        self._lock = psycopg.connect(self.settings.database_url, autocommit=True)
        acquired = self._lock.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(self.settings.schema),))
        if not (row := acquired.fetchone()) or not row[0]:
            self._lock.close()
            raise ProjectionBusy(f"模式 {self.settings.schema} 的读模型投影已在运行")
        env = projection_env(self.settings)
        if self.rebuild:
            self._drop_views(env)
        self.runner = ProjectionRunner(
            application_class=EventReader,
            projection_class=self.projection_class,
            view_class=self.view_class,
            env=env,
        )
        self.runner.__enter__()
        return self

    def _drop_views(self, env: dict[str, str]) -> None:
        factory = InfrastructureFactory[ViewRecorder].construct(
            env=ProjectionRunner._construct_env(self.projection_class.name, env)
        )
        try:
            factory.tracking_recorder(self.view_class).drop_views()
        finally:
            factory.close()

    def wait(self, position: int, timeout: float = 10.0) -> None:
        """Until the views include the event at ``position`` (e.g. a Receipt's position)."""
        self.projection.wait(position, timeout)

    def catch_up(self, timeout: float = 600.0) -> int:
        """Until the views include every event recorded so far; returns that position."""
        assert self.runner is not None
        position = last_position(self.runner.app)
        self.wait(position, timeout)
        return position

    def run_forever(self, poll: float = 1.0) -> None:
        """Until stopped or a batch fails (re-raised)."""
        assert self.runner is not None
        while not self.runner.is_interrupted.is_set():
            self.runner.run_forever(timeout=poll)
            if self.projection.failure is not None:
                raise self.projection.failure

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self.runner is not None:
                projection = self.projection
                try:
                    self.runner.__exit__(exc_type, exc, tb)
                finally:
                    projection.close(flush=exc_type is None and projection.failure is None)
                    projection.view.datastore.close()
        finally:
            if self._lock is not None:
                self._lock.close()
