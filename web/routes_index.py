"""Every screen's routes, gathered from the module that owns the screen (one line per module)."""

from __future__ import annotations

from importlib import import_module

from starlette.routing import BaseRoute

SCREENS = (
    "home",
    "tablet",
    "api",
    "openapi",
    "projector",
    "receipts",
    "organiser_agenda",
    "organiser_turnout",
    "organiser_results",
    "organiser_ballots",
    "organiser_roster",
    "organiser_credentials",
    "organiser_departments",
    "organiser_cards",
    "history",
    "department_portal",
    "department_suggestions",
    "exports",
    "signed_results",
    "checkpoints",
)


def routes() -> list[BaseRoute]:
    return [route for name in SCREENS for route in import_module(f"web.{name}").routes]
