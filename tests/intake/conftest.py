"""The fast path's tests run on the ballot writer's application: ``app`` is an ``IntakeApp`` here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from intake.fast_app import IntakeApp
from storage.bootstrap import build_app
from storage.settings import Settings


@pytest.fixture
def app(settings: Settings) -> Iterator[IntakeApp]:
    application = build_app(settings, application=IntakeApp)
    yield application
    application.close()
