"""Every screen's routes, gathered from the module that owns the screen."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    from web import home

    return [*home.routes]
