"""The application: every command of a round's life, named after what the person means to do.

Commands are grouped by stage in sibling modules (preparation, registration, sittings, voting, results, reports);
this class only puts them together (signed suggestions, ``signed_suggestions``, come with Sittings and
Results, whose close and lock record the held ones).
"""

from __future__ import annotations

from evaluation.administration import Administration
from evaluation.online import OnlineEvaluation
from evaluation.opinion_handling import OpinionHandling
from evaluation.other_components import OtherComponents
from evaluation.preparation import Preparation
from evaluation.pseudonym_renewal import PseudonymRenewal
from evaluation.registration import Holder, Registration
from evaluation.reports import Reports
from evaluation.results import Results
from evaluation.roster_upkeep import RosterUpkeep
from evaluation.round_editing import RoundEditing
from evaluation.round_update import RoundUpdate
from evaluation.sittings import Sittings
from evaluation.staff_accounts import StaffTrail
from evaluation.voting import Receipt, Voting
from evaluation.year_over_year import YearOverYear


class EvaluationApp(
    Preparation,
    Registration,
    Sittings,
    Voting,
    Results,
    RoundEditing,
    RoundUpdate,
    Administration,
    RosterUpkeep,
    OtherComponents,
    Reports,
    StaffTrail,
    OpinionHandling,
    OnlineEvaluation,
    YearOverYear,
    PseudonymRenewal,
):
    """三民评议 — one instance per process; thread-safe, state only in PostgreSQL."""

    name = "evaluation"
    """Names the event table: ``evaluation_events``."""


__all__ = ["EvaluationApp", "Holder", "Receipt"]
