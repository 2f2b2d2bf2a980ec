"""The application: every command of a round's life, named after what the person means to do.

Commands are grouped by stage in sibling modules (preparation, registration, sittings, voting, results);
this class only puts them together.
"""

from __future__ import annotations

from evaluation.administration import Administration
from evaluation.opinion_handling import OpinionHandling
from evaluation.preparation import Preparation
from evaluation.registration import Holder, Registration
from evaluation.results import Results
from evaluation.round_setup import RoundSetup
from evaluation.sittings import Sittings
from evaluation.voting import Receipt, Voting


class EvaluationApp(
    Preparation, Registration, Sittings, Voting, Results, RoundSetup, Administration, OpinionHandling
):
    """三民评议 — one instance per process; thread-safe, state only in PostgreSQL."""

    name = "evaluation"
    """Names the event table: ``evaluation_events``."""


__all__ = ["EvaluationApp", "Holder", "Receipt"]
