"""The Starlette application: translates HTTP into commands and read-model queries, holds no business rule.

Each process is stateless: sessions live in signed cookies, reads come from the read models in
PostgreSQL, changes go through the domain's commands, and live updates arrive through LISTEN/NOTIFY.
Several processes can serve one round side by side.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from storage.bootstrap import build_app
from storage.settings import Settings
from web import errors, security
from web.database import ReadModels
from web.live import LiveHub


def create_app(settings: Settings, routes: list[BaseRoute] | None = None) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.commands = build_app(settings, create_tables=False, pool_size=8)
        app.state.reads = await ReadModels.connect(settings)
        app.state.live = await LiveHub.start(settings)
        try:
            yield
        finally:
            await app.state.live.stop()
            await app.state.reads.close()
            app.state.commands.close()

    return Starlette(
        routes=[*(routes if routes is not None else all_routes()), static_mount()],
        middleware=[
            Middleware(security.SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=security.session_key(settings.secret),
                session_cookie="sanmin",
                same_site="strict",
                https_only=False,
                max_age=12 * 3600,
            ),
        ],
        exception_handlers=errors.handlers(),
        lifespan=lifespan,
    )


def static_mount() -> Mount:
    from pathlib import Path

    return Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")


def all_routes() -> list[BaseRoute]:
    """Every screen's routes, each from its own module."""
    from web import routes_index

    return routes_index.routes()
