"""读模型的表: what people said — signed suggestions and the opinions the organiser handles
(``projections.tables`` lists them all)."""

from __future__ import annotations

from typing import NamedTuple

from projections.table_model import BigInt, Bool, Index, Json, Table, Text, Uuid


class SuggestionRow(NamedTuple):
    """留名建议, for the department that answers it. No position and no time: the day of its sitting only
    (its events are recorded at its window's close in a random order, see evaluation/signed_suggestions.py),
    and the day the department first answered it (its act, not the signer's). ``opinion_id`` is the opinion
    it becomes once the organiser collects it (derived from its id as ``evaluation.opinion_handling`` derives
    it; the row exists before the opinion does): its answer here counts for that opinion when the department
    that answered leads it (``projections.opinion_answers``)."""

    suggestion_id: Uuid
    round_key: Text
    department: Text
    name: Text
    phone: Text | None
    text: Text
    answer: Text | None
    answered_on: Text | None  # ISO date of the first answer
    sitting_date: Text
    opinion_id: Uuid


class OpinionRow(NamedTuple):
    """意见: one per Opinion aggregate, its whole state (``projections.fold_opinions``). ``text`` is the original,
    for the organiser only; ``shown`` is what a department and the public see (the redacted text once confirmed).
    Nothing of the source's position or time: ``collected_on`` is the day the organiser collected it."""

    opinion_id: Uuid
    round_key: Text
    source: Text  # comment | suggestion | online
    department: Text  # the department the source concerned
    text: Text
    shown: Text
    redacted: Bool
    theme: Text | None
    group_id: Uuid | None  # the lead opinion of its merged group
    not_opinion: Text | None  # the reason, when marked 非意见
    lead: Text | None
    cooperating: Json  # [department, ...]
    assigned_on: Text | None  # ISO dates
    deadline: Text | None
    reassignment: Text | None  # the reason of a pending 申请改派
    answer: Json | None  # {"department","text","measures","state"[,"evidence": {"sha256","size","name",…}]}
    answered_on: Text | None
    review: Text | None  # pending | returned | accepted
    returned_reason: Text | None
    published: Bool
    rating: Text | None
    collected_on: Text
    moved_from: (
        Json  # [{"department","to","on"}, ...]: earlier leads it was moved away from (改派), oldest first
    )
    position: BigInt


SUGGESTIONS = Table(
    "suggestions_view",
    SuggestionRow,
    ("suggestion_id",),
    (
        Index("suggestions_view_department", ("round_key", "department")),
        Index("suggestions_view_opinion", ("opinion_id",)),
    ),
)
OPINIONS = Table(
    "opinions_view",
    OpinionRow,
    ("opinion_id",),
    (
        Index("opinions_view_round", ("round_key", "department")),
        Index("opinions_view_lead", ("round_key", "lead")),
    ),
)
