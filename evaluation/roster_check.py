"""名单核对 — the rows of a roster file against their round, before any of them is registered.

Every row's category, venue and sitting (given by key or by name) must be the round's; also those of a row
with another problem, so that one upload lists everything to correct. And no one twice: a person is known by
``roster.identity``, the rule the round's workbook applies to its own rows (the same name and phone, or with
no phone the same name, category, venue and sitting), here over the round's keys. Two rows of the file naming
one person (人大代表 in one, npc in the other) are refused, and so is a row naming someone the round already
has, whether imported, registered by hand or by the workbook, even with a revoked card (they get 补卡): a
second import adds only the people missing from the first, and never a second card for anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from evaluation.errors import EvaluationError
from evaluation.representative import Representative, Roster, representative_id
from evaluation.roster import Listed, RosterRow, RowProblem, duplicate, identity
from evaluation.round import Round
from evaluation.service import ServiceBase

Person = tuple[str, ...]


class AlreadyRegistered(EvaluationError):
    code = "already_registered"
    template = (
        "代表「{name}」已登记（编号 {number}）：同一人只登记一次；若是同名的另一人，请填写其手机号以区分"
    )


Row = TypeVar("Row", bound=Listed)


def placed_rows(
    round_: Round, rows: Sequence[RosterRow], flawed: Sequence[RosterRow]
) -> tuple[list[RosterRow], list[RowProblem]]:
    """``rows`` (the file's good ones) with the round's keys for their placement, and what the round finds
    wrong with them and with ``flawed`` (rows the parser refused already, whose blank cells it reported)."""
    placed: list[RosterRow] = []
    found = [_unknown(row, what) for row in flawed for what in placement(round_, row, blank_too=False)[1]]
    first_seen: dict[Person, int] = {}
    for row in rows:
        keys, unknown = placement(round_, row)
        found += [_unknown(row, what) for what in unknown]
        if unknown:
            continue
        row = resolved(row, keys)
        earlier = first_seen.setdefault(identity(row), row.line)
        if earlier == row.line:
            placed.append(row)
        else:
            found.append(duplicate(row, f"第 {earlier} 行"))
    return placed, found


def already_registered(rows: Sequence[RosterRow], people: dict[Person, int]) -> list[RowProblem]:
    """The rows (placed by the round's keys) naming one of ``people`` (their numbers, by ``identity``)."""
    return [
        duplicate(row, f"已登记的代表（编号 {number}）")
        for row in rows
        if (number := people.get(identity(row))) is not None
    ]


def registered_people(app: ServiceBase, roster: Roster | None, but: int = 0) -> dict[Person, int]:
    """Everyone the round has registered (but number ``but``), by ``identity``: each one's number."""
    people: dict[Person, int] = {}
    for rep in representatives_of(app, roster):
        listed = Listed(rep.name, rep.category, rep.venue, rep.sitting, rep.phone)
        if rep.number != but:
            people.setdefault(identity(listed), rep.number)
    return people


def refuse_if_registered(app: ServiceBase, roster: Roster | None, row: Listed, but: int = 0) -> None:
    """One person registered, or corrected (number ``but``), by hand: refused, as a file's row would be,
    when the round has them already."""
    if (number := registered_people(app, roster, but).get(identity(row))) is not None:
        raise AlreadyRegistered(name=row.name, number=number)


def representatives_of(app: ServiceBase, roster: Roster | None) -> list[Representative]:
    """The round's representatives (``roster``'s), by number, read at once (``ServiceBase.find_many``)."""
    if roster is None:
        return []
    numbers = range(1, roster.next_number)
    return app.find_many(Representative, [representative_id(roster.round_key, n) for n in numbers])


def placement(round_: Round, row: Listed, blank_too: bool = True) -> tuple[dict[str, str], list[str]]:
    """The row's category, venue and sitting as the round's keys, and each of them the round does not know
    (a blank one too, unless not ``blank_too``: a file's blank cells are the parser's to report)."""
    known = {
        "category": ({k: c["name"] for k, c in round_.categories.items()}, "代表类别"),
        "venue": (round_.venues, "会场"),
        "sitting": ({k: s["name"] for k, s in round_.sittings.items()}, "场次"),
    }
    keys: dict[str, str] = {}
    unknown = []
    for field, (names, what) in known.items():
        given: str = getattr(row, field)
        key = key_of(given, names)
        if key is not None:
            keys[field] = key
        elif given or blank_too:
            unknown.append(f"没有名为「{given}」的{what}")
    return keys, unknown


def resolved(row: Row, keys: dict[str, str]) -> Row:
    """The row with its category, venue and sitting as ``placement`` found them (all three known)."""
    return replace(row, category=keys["category"], venue=keys["venue"], sitting=keys["sitting"])


def key_of(value: str, names: dict[str, str]) -> str | None:
    """The key ``value`` is, or the key of the name ``value`` is (名单里常写名称); None if neither."""
    if value in names:
        return value
    return next((key for key, name in names.items() if name == value), None)


def _unknown(row: RosterRow, what: str) -> RowProblem:
    return RowProblem(row.line, f"第 {row.line} 行：{what}")
