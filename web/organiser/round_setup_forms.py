"""活动设置表单 — every form of the setup pages: new round, instrument, categories, groups, venues, sittings,
agenda, departments. Each is CSRF-checked, turned into one domain command, and answered by a redirect: to
the page it came from, with the domain's refusal beside the form when it says no (nothing is half-written:
one command, one save)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.keys import format_code
from web.organiser.instrument_form import instrument_from, whole
from web.organiser.round_setup import keep_problem, setup_url, setup_visitor
from web.platform.forms import actor, administrator, back, flash, posted, render, text


async def create_round(request: Request) -> Response:
    """新建评议活动 (administrator): an empty round, then its setup pages."""
    who = await administrator(request)
    form = await posted(request)
    given = {name: text(form, name) for name in ("key", "title", "year")}
    try:
        year = whole(given["year"], "年度") if given["year"] else None
        key, code = await run_in_threadpool(
            request.app.state.commands.create_empty_round, given["key"], given["title"], year, actor(who)
        )
    except EvaluationError as refusal:
        keep_problem(request, "new", refusal.message, given)
        return back("/organiser/rounds#new-round")
    context = {"key": key, "code": format_code(code), "file": "", "setup": setup_url(key)}
    return render(request, "organiser/round_created.html", context)


async def _command(
    request: Request,
    page: str,
    section: str | Callable[[FormData], str],
    run: Callable[[FormData, str, str], Any],
) -> Response:
    """Runs ``run(form, by, reason)`` for the round in the path; back to ``page``, to the form's ``section``
    (the problem beside it when refused)."""
    key = request.path_params["round_key"]
    who = await setup_visitor(request, key)
    form = await posted(request)
    section = section if isinstance(section, str) else section(form)
    try:
        await run_in_threadpool(run, form, actor(who), text(form, "reason"))
    except EvaluationError as refusal:
        given = {name: text(form, name) for name in form if name != "csrf"}
        keep_problem(request, section, refusal.message, given)
        return back(setup_url(key, page) + f"#{section}")
    flash(request, "已保存", "ok")
    return back(setup_url(key, page) + f"#{section}")


def _commands(request: Request) -> Any:
    return request.app.state.commands


async def save_check_in(request: Request) -> Response:
    def run(form: FormData, by: str, _: str) -> None:
        key = request.path_params["round_key"]
        request.app.state.commands.set_check_in(key, text(form, "check_in") == "required", by)

    return await _command(request, "", "check-in", run)


async def save_basics(request: Request) -> Response:
    key, app = request.path_params["round_key"], _commands(request)

    def run(form: FormData, by: str, reason: str) -> None:
        year = text(form, "year")
        app.save_basics(key, text(form, "title"), whole(year, "年度") if year else None, by, reason)

    return await _command(request, "", "basics", run)


async def save_instrument(request: Request) -> Response:
    key, app = request.path_params["round_key"], _commands(request)

    def run(form: FormData, by: str, reason: str) -> None:
        current = app.round(key).instrument
        app.set_instrument(key, instrument_from(form, current), by, reason)

    return await _command(request, "", "instrument", run)


def _saver(page: str, item: str, command: str, *fields: str) -> Callable[[Request], Any]:
    """The forms that save one ``item`` (category, group, venue, sitting, department) of ``page``:
    ``command(round, *fields, by=, reason=, new=)``. The 新增 form sends ``new=yes`` (the domain then refuses
    a code in use) and its refusal comes back beside it, in section ``new-{item}``; an item's own form (the
    same URL, no ``new``) gets its refusal back in that item's section, ``{item}-{key}``."""

    async def save(request: Request) -> Response:
        key, app = request.path_params["round_key"], _commands(request)

        def run(form: FormData, by: str, reason: str) -> None:
            values = (text(form, f) for f in fields)
            getattr(app, command)(key, *values, by=by, reason=reason, new=_adding(form))

        def section(form: FormData) -> str:
            return f"new-{item}" if _adding(form) else f"{item}-{_raw(form, 'key')}"

        return await _command(request, page, section, run)

    return save


def _adding(form: FormData) -> bool:
    """Posted by a 新增 form (an item's own form, or a page from before the field existed, does not say so)."""
    return _raw(form, "new") == "yes"


def _raw(form: FormData, name: str) -> str:
    """A field as sent, never refused: only to name the form a refusal goes back to."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _remover(page: str, section: str, command: str) -> Callable[[Request], Any]:
    """A form that removes one item: ``command(round, key, by=, reason=)``; a refusal shows above ``section``."""

    async def remove(request: Request) -> Response:
        key, app = request.path_params["round_key"], _commands(request)

        def run(form: FormData, by: str, reason: str) -> None:
            getattr(app, command)(key, text(form, "key"), by=by, reason=reason)

        return await _command(request, page, section, run)

    return remove


async def move_in_agenda(request: Request) -> Response:
    """议程: add a department at the end, take one out, or move one up or down (上移 / 下移)."""
    key, app = request.path_params["round_key"], _commands(request)

    def run(form: FormData, by: str, reason: str) -> None:
        sitting, department, move = text(form, "sitting"), text(form, "department"), text(form, "move")
        if step := text(form, "step"):  # a button of the agenda: "up fgw", "down fgw", "out fgw"
            move, _, department = step.partition(" ")
        agenda = list(app.round(key).sittings.get(sitting, {}).get("agenda", []))
        if move == "add" and department and department not in agenda:
            agenda.append(department)
        elif department not in agenda:
            raise InvalidInput("请选择议程中的部门")
        elif move == "out":
            agenda.remove(department)
        elif move in ("up", "down"):
            at = agenda.index(department)
            to = at - 1 if move == "up" else at + 1
            if not 0 <= to < len(agenda):
                raise InvalidInput("已经在议程的最前面或最后面")
            agenda[at], agenda[to] = agenda[to], agenda[at]
        else:
            raise InvalidInput("请选择要做的调整")
        app.change_agenda(key, sitting, agenda, by=by, reason=reason)

    return await _command(request, "sittings", lambda form: f"sitting-{text(form, 'sitting')}", run)


BASE = "/organiser/rounds/{round_key}/setup"
routes = [
    Route("/organiser/rounds/new", create_round, methods=["POST"]),
    Route(f"{BASE}/basics", save_basics, methods=["POST"]),
    Route(f"{BASE}/check-in", save_check_in, methods=["POST"]),
    Route(f"{BASE}/instrument", save_instrument, methods=["POST"]),
    Route(
        f"{BASE}/categories",
        _saver("lists", "category", "save_category", "key", "name", "share"),
        methods=["POST"],
    ),
    Route(f"{BASE}/categories/remove", _remover("lists", "categories", "remove_category"), methods=["POST"]),
    Route(f"{BASE}/groups", _saver("lists", "group", "save_group", "key", "name"), methods=["POST"]),
    Route(f"{BASE}/groups/remove", _remover("lists", "groups", "remove_group"), methods=["POST"]),
    Route(f"{BASE}/venues", _saver("lists", "venue", "save_venue", "key", "name"), methods=["POST"]),
    Route(f"{BASE}/venues/remove", _remover("lists", "venues", "remove_venue"), methods=["POST"]),
    Route(
        f"{BASE}/sittings",
        _saver("sittings", "sitting", "save_sitting", "key", "name", "date", "half_day"),
        methods=["POST"],
    ),
    Route(f"{BASE}/sittings/remove", _remover("sittings", "sittings", "remove_sitting"), methods=["POST"]),
    Route(f"{BASE}/agenda", move_in_agenda, methods=["POST"]),
    Route(
        f"{BASE}/departments",
        _saver("departments", "department", "save_department", "key", "name", "short_name", "group", "head"),
        methods=["POST"],
    ),
    Route(
        f"{BASE}/departments/remove",
        _remover("departments", "departments", "remove_department"),
        methods=["POST"],
    ),
]
