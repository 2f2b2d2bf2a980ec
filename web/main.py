"""The ASGI entry point for uvicorn workers: ``uvicorn web.main:app`` (DATABASE_URL must be set)."""

from __future__ import annotations

from storage.settings import Settings
from web.app import create_app

app = create_app(Settings.from_environment(start_embedded=False))
