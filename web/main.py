"""The ASGI entry point for uvicorn workers: ``uvicorn web.main:app`` (DATABASE_URL must be set).

Once a worker has started, its garbage collector is settled (storage/garbage_collection.py): what
start-up made is kept out of the collector's walks, and young objects are looked at for cycles only every
100,000 new ones. Only here, not in ``create_app``: a test process makes many apps and must be able to free them."""

from __future__ import annotations

from storage import garbage_collection
from storage.refused import StartRefused
from storage.settings import Settings
from web.app import create_app

try:
    settings = Settings.from_environment(start_embedded=False)
except StartRefused as refusal:
    raise SystemExit(str(refusal)) from None  # keys not the store's, database unreachable: said plainly
app = create_app(settings, after_start=garbage_collection.settle_server)
