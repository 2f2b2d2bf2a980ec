"""Builds the application from the settings: the one place that joins domain and persistence."""

from __future__ import annotations

from evaluation.application import EvaluationApp
from evaluation.keys import Keyring
from storage.chain import chain_key
from storage.checkpoints import Checkpoints
from storage.files import FileStore
from storage.recorder import GuardedApplicationRecorder
from storage.settings import Settings


def build_app(settings: Settings, create_tables: bool = True, pool_size: int = 5) -> EvaluationApp:
    settings.ensure_schema()
    env = settings.eventsourcing_env(create_tables=create_tables, pool_size=pool_size)
    app = EvaluationApp(
        Keyring(settings.secret, settings.pseudonym_secret),
        FileStore(settings.database_url, settings.schema),
        env=env,
    )
    recorder = app.recorder
    assert isinstance(recorder, GuardedApplicationRecorder)
    recorder.chain_key = chain_key(settings.secret)
    recorder.checkpoints = checkpoints_of(recorder, settings)
    return app


def checkpoints_of(recorder: GuardedApplicationRecorder, settings: Settings) -> Checkpoints:
    schema = recorder.datastore.schema
    folder = settings.data_dir / "checkpoints"
    return Checkpoints(schema, recorder.events_table_name, recorder.chain_table, settings.secret, folder)
