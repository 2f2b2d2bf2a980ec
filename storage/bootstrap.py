"""Builds the application from the settings: the one place that joins domain and persistence."""

from __future__ import annotations

from typing import TypeVar, overload

from evaluation.application import EvaluationApp
from evaluation.keys import Keyring
from storage.chain import chain_key
from storage.checkpoints import Checkpoints
from storage.files import FileStore
from storage.held_suggestions import HeldSuggestions
from storage.many_reads import many_reader
from storage.recorder import GuardedApplicationRecorder
from storage.settings import Settings

App = TypeVar("App", bound=EvaluationApp)


@overload
def build_app(settings: Settings, create_tables: bool = True, pool_size: int = 5) -> EvaluationApp: ...


@overload
def build_app(
    settings: Settings, create_tables: bool = True, pool_size: int = 5, *, application: type[App]
) -> App: ...


def build_app(
    settings: Settings,
    create_tables: bool = True,
    pool_size: int = 5,
    *,
    application: type[EvaluationApp] = EvaluationApp,
) -> EvaluationApp:
    """``EvaluationApp``, or a subclass of it (``application``: the ballot writer's ``IntakeApp``)."""
    settings.ensure_schema()
    env = settings.eventsourcing_env(create_tables=create_tables, pool_size=pool_size)
    app = application(
        Keyring(settings.secret, settings.pseudonym_secret),
        FileStore(settings.database_url, settings.schema),
        env=env,
    )
    app.held_suggestions = HeldSuggestions(settings.database_url, settings.schema)
    app.read_many = many_reader(app)
    recorder = app.recorder
    assert isinstance(recorder, GuardedApplicationRecorder)
    recorder.chain_key = chain_key(settings.secret)
    recorder.checkpoints = checkpoints_of(recorder, settings)
    return app


def checkpoints_of(recorder: GuardedApplicationRecorder, settings: Settings) -> Checkpoints:
    schema = recorder.datastore.schema
    folder = settings.data_dir / "checkpoints"
    return Checkpoints(schema, recorder.events_table_name, recorder.chain_table, settings.secret, folder)
