"""最小公布人数 — k, the smallest group whose numbers are ever shown.

A number made of fewer than k ballots can be one person's choice: a department's level counts, score or
satisfaction rate with 1-4 ballots, the comments of fewer than 5 (``projections.feedback``), or a roster
cell (venue × category) of fewer than k members that someone could tie to a person. Every screen and
file that shows or signs a department's numbers shows instead ``SUPPRESSED`` when fewer than k ballots
count; the roster page warns of the cells smaller than k.
"""

from __future__ import annotations

SMALLEST_GROUP = 5
"""k: the same as the comments' minimum."""

SUPPRESSED = f"不足 {SMALLEST_GROUP} 票，不公布"
"""What a department's numbers read when fewer than k ballots count."""


def shown(returned: int) -> bool:
    """Whether numbers made of ``returned`` counting ballots may be shown: none (there is nothing to
    hide: 无有效票), or at least k."""
    return returned == 0 or returned >= SMALLEST_GROUP
