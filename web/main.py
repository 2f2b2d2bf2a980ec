"""The ASGI entry point for uvicorn workers: ``uvicorn web.main:app`` (DATABASE_URL must be set).

Once a worker has started, its garbage collector is settled (storage/garbage_collection.py): what
start-up made is kept out of the collector's walks, and young objects are looked at for cycles only every
100,000 new ones. Only here, not in ``create_app``: a test process makes many apps and must be able to free them."""

from __future__ import annotations

from storage import garbage_collection
from storage.settings import Settings
from web.app import create_app

app = create_app(
    Settings.from_environment(start_embedded=False), after_start=garbage_collection.settle_server
)
