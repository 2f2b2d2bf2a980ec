"""The Starlette application: translates HTTP into commands and read-model queries, holds no business rule.

Each process is stateless: sessions live in signed cookies naming server-side rows, reads come from the read models in
PostgreSQL, login throttling in the web's own table there, changes go through the domain's commands,
and live updates arrive through LISTEN/NOTIFY. Several processes can serve one round side by side.

``app.state``: ``settings``; ``commands`` (EvaluationApp, sync: call it with run_in_threadpool);
``reads`` (ReadModels, asyncpg); ``public_reads`` (the read path of the live feeds, the public pages and the
department portal: the hot standby's when ``DATABASE_REPLICA_URL`` is set, web/platform/standby.py, else
``reads``); ``live`` (LiveHub); ``feeds`` (Feeds: shared live snapshots);
``throttle`` (LoginThrottle); ``rate_buckets`` (web/platform/shared_buckets.py: the online channel's limits,
shared by every process); ``staff_sessions`` and ``representative_sessions`` (kept server-side,
web/platform/staff_sessions.py, representative_sessions.py); ``submissions`` (web/tablet/pace.py: ballots and suggestions paced per
representative); ``ballot_writers`` (the child processes that save ballots) and ``ballot_box`` (group commit
into them); ``builds`` (web/platform/builds.py: at most two summaries or files built at once).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import import_module

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from intake.ballot_box import BallotBox
from intake.ballot_writer import BallotWriter
from storage.bootstrap import build_app
from storage.confined import run_confined
from storage.settings import Settings
from web.platform import access_log, errors, security
from web.platform.bad_input import RefuseBadInput
from web.platform.builds import limiter
from web.platform.database import ReadModels
from web.platform.feeds import Builder, Feeds
from web.platform.live import RESYNC, LiveHub
from web.platform.read_your_writes import ReadYourWrites
from web.platform.representative_sessions import CHANNEL as SESSIONS_CHANNEL
from web.platform.representative_sessions import RepresentativeSessionGuard, RepresentativeSessions
from web.platform.sessions import CookieSessions
from web.platform.shared_buckets import RateBuckets
from web.platform.shared_codes import SharedCodes
from web.platform.shutdown import on_exit_signal
from web.platform.staff_sessions import StaffSessionGuard, StaffSessions
from web.platform.standby import public_reads
from web.platform.stream_caps import StreamCaps, StreamLimits
from web.platform.templating import folders
from web.platform.throttle import LoginThrottle, ThrottlePolicy
from web.public import projector
from web.public.online_lane import OnlineBallotLane
from web.tablet import windows
from web.tablet.ballot_lane import BallotLane
from web.tablet.pace import SubmissionPace, Submissions

SCREENS = (
    # every screen's module under web/, in the order its routes are tried
    "public.home",
    "tablet.page",
    "tablet.offline_shell",
    "tablet.api",
    "tablet.reports",
    "platform.openapi",
    "public.projector",
    "public.receipts",
    "organiser.agenda",
    "organiser.turnout",
    "organiser.results",
    "organiser.ballots",
    "organiser.roster_export",
    "organiser.roster",
    "organiser.roster_edit",
    "organiser.credentials",
    "organiser.departments",
    "organiser.cards",
    "organiser.history",
    "organiser.rounds",
    "organiser.round_setup",
    "organiser.round_setup_forms",
    "organiser.reports",
    "organiser.readiness",
    "organiser.components",
    "organiser.online",
    "organiser.round_update",
    "organiser.staff",
    "organiser.trail",
    "organiser.opinion_review",
    "organiser.opinion_digest",
    "organiser.opinion_assessment",
    "organiser.opinions",
    "organiser.years",
    "department.portal",
    "department.report",
    "department.suggestions",
    "department.exports",
    "department.opinions",
    "public.signed_results",
    "public.checkpoints",
    "public.audit_bundle",
    "public.audit_tool",
    "public.notice",
    "public.reports",
    "public.opinions",
    "public.online",
)

BALLOT_WRITERS = 1
"""Ballot-writer processes per web process (intake/ballot_box.py says why one)."""


def create_app(
    settings: Settings,
    routes: list[BaseRoute] | None = None,
    throttle: ThrottlePolicy | None = None,
    after_start: Callable[[], None] | None = None,
    streams: StreamLimits | None = None,
    pace: SubmissionPace | None = None,
) -> Starlette:
    """``after_start``: called once start-up is done (the server's ``web.main`` settles the garbage collector there)."""
    access_log.install()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.commands = build_app(settings, create_tables=False, pool_size=8)
        app.state.commands.parse = run_confined  # uploads parsed outside the process that takes ballots
        app.state.ballot_writers = [BallotWriter(settings) for _ in range(BALLOT_WRITERS)]
        app.state.ballot_box = BallotBox(app.state.ballot_writers)
        app.state.builds = limiter()
        app.state.reads = await ReadModels.connect(settings)
        app.state.throttle = LoginThrottle(app.state.reads, throttle)
        await app.state.throttle.create_table()
        app.state.rate_buckets = RateBuckets(app.state.reads, settings.secret)
        await app.state.rate_buckets.create_table()
        app.state.staff_sessions = StaffSessions(app.state.reads)
        app.state.shared_codes = SharedCodes(app.state.commands)
        await app.state.staff_sessions.create_table()
        app.state.public_reads = await public_reads(settings, app.state.reads)
        app.state.feeds = Feeds(feed_builders(app.state.public_reads))
        app.state.stream_caps = StreamCaps(streams or StreamLimits.from_environment())
        app.state.submissions = Submissions(pace)
        app.state.representative_sessions = sessions = RepresentativeSessions(
            app.state.reads, channel=settings.channel(SESSIONS_CHANNEL)
        )
        await sessions.create_table()
        app.state.live = await LiveHub.start(settings, {SESSIONS_CHANNEL: sessions.on_notice})
        if (
            app.state.public_reads is not app.state.reads
        ):  # before the feeds: their rebuilds need the position
            app.state.live.watch(app.state.public_reads.on_change)
        app.state.live.watch(app.state.feeds.on_change)
        app.state.live.watch(lambda payload: sessions.distrust() if payload == RESYNC else None)
        sessions.attach(app.state.live.listening)
        undo = on_exit_signal(app.state.feeds.close_streams)
        if after_start is not None:
            after_start()
        try:
            yield
        finally:
            await app.state.ballot_box.close()
            for writer in app.state.ballot_writers:
                await writer.close()
            undo()
            await sessions.stop()
            await app.state.live.stop()
            await app.state.feeds.stop()
            if app.state.public_reads is not app.state.reads:
                await app.state.public_reads.close()
            await app.state.reads.close()
            app.state.commands.close()

    return Starlette(
        routes=[*(routes if routes is not None else all_routes()), static_mount()],
        middleware=[
            Middleware(security.SecurityHeaders, hsts=settings.https),
            Middleware(ReadYourWrites),
            Middleware(
                CookieSessions,
                secret_key=security.session_key(settings.secret),
                session_cookie="sanmin",
                same_site="strict",
                https_only=settings.https,
                max_age=12 * 3600,
            ),
            Middleware(StaffSessionGuard),
            Middleware(RepresentativeSessionGuard),
            Middleware(RefuseBadInput),
            *([Middleware(BallotLane), Middleware(OnlineBallotLane)] if routes is None else []),
        ],
        exception_handlers=errors.handlers(),
        lifespan=lifespan,
    )


def static_mount() -> Mount:
    """``/static/<name>``: one address space for every package's ``static/`` folder (names do not repeat)."""
    packages: list[str | tuple[str, str]] = [(f"web.{f.parent.name}", "static") for f in folders("static")]
    return Mount("/static", StaticFiles(packages=packages), name="static")


def all_routes() -> list[BaseRoute]:
    """Every screen's routes, gathered from the module that owns the screen (one line per module)."""
    return [route for name in SCREENS for route in import_module(f"web.{name}").routes]


def feed_builders(reads: ReadModels) -> dict[str, Builder]:
    """The live feeds (web/platform/feeds.py): the projector's board and the tablets' window states."""
    return {**projector.builders(reads), **windows.builders(reads)}
