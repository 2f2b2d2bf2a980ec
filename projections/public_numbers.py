"""不足 k 票不公布 — a department's numbers as every page, file and signature shows them.

A department with fewer than k counting ballots (``evaluation.small_groups``: k = 5, as for comments)
has its turnout shown (how many returned a ballot is not how they voted) and nothing else: no level
counts, valid votes, abstentions, score, satisfaction rate, final score, rank or place in its group's
order; its status reads ``SUPPRESSED`` (「不足 5 票，不公布」). Within a department shown, a category part
made of fewer than k ballots shows no numbers either. The rule is applied where numbers leave the read
models — the results pages, the projector, the department's portal and ``signed.json`` — and the auditor's
check of a signed file applies it to its own recount before comparing (``signed_results_check``).

The signers' ratings of the published answers (满意度评价) follow it too (``public_ratings``): the public page
prints each signed suggestion beside its answer, so a department's counts of fewer than k ratings could say
how one named signer rated it.

The read models keep the exact tally: the recount (``sanmin recount``) compares them whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evaluation.small_groups import SMALLEST_GROUP, SUPPRESSED, shown

TALLY_NUMBERS = (
    "valid_votes",
    "abstentions",
    "level_counts",
    "score",
    "satisfaction_rate",
    "final",
    "score_exact",
    "satisfaction_exact",
    "final_exact",
)
"""results_view.tally's numbers that a suppressed department does not show."""
LINE_NUMBERS = ("rank", "position", "score", "satisfaction_rate", "final", "valid_votes")
"""A ranking line's (rankings_view.ranking) numbers that a suppressed department does not show."""
CATEGORY_NUMBERS = ("valid_votes", "abstentions", "satisfied", "trimmed", "mean", "satisfied_fraction")


def public_tally(tally: Mapping[str, Any]) -> dict[str, Any]:
    """A results_view.tally as it may be shown: with ``suppressed`` true and no numbers below k."""
    if not shown(int(tally.get("returned") or 0)):
        return {**tally, **dict.fromkeys(TALLY_NUMBERS), "categories": [], "suppressed": True}
    categories = [
        c if shown(int(c.get("valid_votes") or 0) + int(c.get("abstentions") or 0)) else _hidden_category(c)
        for c in tally.get("categories") or []
    ]
    return {**tally, "categories": categories, "suppressed": False}


def public_line(line: Mapping[str, Any]) -> dict[str, Any]:
    """A ranking line (or a signed entry, whose keys are the same) as it may be shown."""
    if shown(int(line.get("returned") or 0)):
        return {**line, "suppressed": False}
    hidden = {**line, **dict.fromkeys(LINE_NUMBERS), "status": SUPPRESSED, "suppressed": True}
    for key in ("level_counts", "abstentions"):
        if key in line:
            hidden[key] = None
    return hidden


def _hidden_category(c: Mapping[str, Any]) -> dict[str, Any]:
    return {**c, **dict.fromkeys(CATEGORY_NUMBERS), "suppressed": True}


RATING_COUNTS = ("satisfied", "fairly", "dissatisfied")
RATINGS_WITHHELD = f"评价少于 {SMALLEST_GROUP} 条，不公开"


def public_ratings(row: Mapping[str, Any]) -> dict[str, Any]:
    """A department's rating counts (``RATING_COUNTS``) as the public may see them: only once at least k
    ratings were given; otherwise none of them and ``withheld`` says why."""
    given = sum(int(row.get(name) or 0) for name in RATING_COUNTS)
    if given >= SMALLEST_GROUP:
        return {**row, "withheld": None}
    return {**row, **dict.fromkeys(RATING_COUNTS), "withheld": RATINGS_WITHHELD}
