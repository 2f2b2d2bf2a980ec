"""The demo round as plain values: what ``demo.round`` builds and ``demo.ballots`` streams."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoGroup:
    key: str
    name: str


@dataclass(frozen=True)
class DemoCategory:
    key: str
    name: str
    share: str


@dataclass(frozen=True)
class DemoVenue:
    key: str
    name: str


@dataclass(frozen=True)
class DemoSitting:
    key: str
    name: str
    date: str
    half_day: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class DemoDepartment:
    key: str
    name: str
    short_name: str
    group: str
    head: str
    report_title: str
    report_summary: str
    report_text: str


@dataclass(frozen=True)
class DemoRepresentative:
    name: str
    category: str
    venue: str
    sitting: str
    phone: str | None


@dataclass(frozen=True)
class DemoRound:
    title: str
    groups: tuple[DemoGroup, ...]
    categories: tuple[DemoCategory, ...]
    venues: tuple[DemoVenue, ...]
    sittings: tuple[DemoSitting, ...]
    departments: tuple[DemoDepartment, ...]
    representatives: tuple[DemoRepresentative, ...]
    codes: tuple[str, ...] = field(default=(), repr=False, compare=False)
    """The representatives' login codes as issued when loaded, in roster order (empty until loaded): only
    their keyed hashes are stored, so this is the one moment they can be known."""


@dataclass(frozen=True)
class DemoBallot:
    representative_index: int
    """Index into DemoRound.representatives (the roster's number is this + 1 when imported in order)."""
    department: str
    choice: str
    comment: str | None
    signed_suggestion: str | None
