"""The demo round as plain values: its set-up as a ``RoundPlan`` (what its workbook holds), each department's
report, and the ballots ``demo.ballots`` streams."""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluation.round_plan import RoundPlan


@dataclass(frozen=True)
class DemoReport:
    """A department's 述职报告, submitted once the round is created (a workbook holds no report)."""

    department: str
    title: str
    summary: str
    text: str


@dataclass(frozen=True)
class DemoRound:
    plan: RoundPlan
    reports: tuple[DemoReport, ...]
    """One per department, in the order of ``plan.departments``."""
    codes: tuple[str, ...] = field(default=(), repr=False, compare=False)
    """The representatives' login codes as printed when loaded, in roster order (empty until loaded): only
    their keyed hashes are stored, so this is the one moment they can be known."""


@dataclass(frozen=True)
class DemoBallot:
    representative_index: int
    """Index into the plan's representatives (the roster's number is this + 1: the workbook keeps their order)."""
    department: str
    choice: str
    comment: str | None
    signed_suggestion: str | None
