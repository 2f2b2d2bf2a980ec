"""意见办理 — collecting a round's opinions from its comments and signed suggestions, triage, assignment,
answers, review, publication and the signer's rating.

Collecting is an organiser's action (收集意见), not a hook on the ballot path: the caller reads the comments
and signed suggestions of a round from the read models and hands them here as ``OpinionSource``s. Each source
becomes one ``Opinion`` once (its id derives from a one-way hash of the source), and the new opinions are saved
in the order of their ids, so neither the events' order nor their content says when or in which order the
sources came.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from evaluation.errors import InvalidInput, NotFound
from evaluation.evidence import Evidence, claimed_type, file_name
from evaluation.opinion import DEFAULT_WORKING_DAYS, Opinion, OpinionRefused, opinion_id
from evaluation.personal_data import find_personal_data
from evaluation.round_day import Clock, round_today, utc_now
from evaluation.service import ServiceBase

COLLECT_BATCH = 500
COLLECT_TRIES = 3
"""A batch refused because some of its opinions exist is tried again with only the others, a few times."""


@dataclass(frozen=True)
class OpinionSource:
    """A comment (``source="comment"``, ``source_id`` its ballot's id) or a signed suggestion
    (``"suggestion"``, its suggestion id) as read from the read models; nothing else of the source is kept."""

    source: str
    source_id: str
    department: str
    text: str


def source_key(round_key: str, source: str, source_id: str) -> str:
    """A one-way hash of the source: the opinion cannot be traced back to a ballot by its key."""
    digest = hashlib.sha256(f"{round_key}\x1f{source}\x1f{source_id}".encode()).hexdigest()
    return digest[:32]


class OpinionHandling(ServiceBase):
    clock: Clock = staticmethod(utc_now)
    """The moment deadlines are counted from (``today``); a test pins it."""

    def today(self) -> date:
        """Today as the round counts its days: Beijing's date (``evaluation.round_day``)."""
        return round_today(self.clock)

    def opinion(self, opinion: UUID) -> Opinion:
        return self.load(Opinion, opinion, "意见")

    def _opinions(self, ids: Iterable[UUID], round_key: str) -> list[Opinion]:
        found = [self.opinion(i) for i in dict.fromkeys(ids)]
        if not found:
            raise InvalidInput("请先选择意见")
        if any(o.round_key != round_key for o in found):
            raise NotFound(what="意见")
        return found

    def _on_each(self, round_key: str, ids: Iterable[UUID], change: Callable[[Opinion], None]) -> None:
        """The same change to each chosen opinion of the round, saved together (a refusal saves none)."""
        found = self._opinions(ids, round_key)
        for o in found:
            change(o)
        self.save(*found)

    def collect_opinions(self, round_key: str, sources: Sequence[OpinionSource], by: str) -> int:
        """收集意见 — every source not collected before becomes an opinion; returns how many are new.

        Saved in batches in the order of the opinions' ids; a batch holding an opinion collected before is
        refused whole by the store (its first event exists), and then only its new opinions are saved."""
        self.round(round_key)
        found: dict[UUID, OpinionSource] = {}
        for s in sources:
            if s.text.strip():
                found.setdefault(opinion_id(source_key(round_key, s.source, s.source_id)), s)

        def collected(oid: UUID) -> Opinion:
            s = found[oid]
            key = source_key(round_key, s.source, s.source_id)
            return Opinion(key, round_key, s.source, [s.department], s.text, by)

        ordered = sorted(found)
        return sum(
            self._save_new(ordered[start : start + COLLECT_BATCH], collected)
            for start in range(0, len(ordered), COLLECT_BATCH)
        )

    def _save_new(self, ids: list[UUID], collected: Callable[[UUID], Opinion]) -> int:
        """Saves the opinions of ``ids`` that do not exist yet; returns how many. Each try makes them afresh:
        a refused save has already taken the pending events of the aggregates it was given."""
        for _ in range(COLLECT_TRIES):
            try:
                self.save(*(collected(i) for i in ids))
                return len(ids)
            except IntegrityError:  # collected before, or just now by another organiser's click
                ids = [i for i in ids if self.find(Opinion, i) is None]
        raise OpinionRefused(why="另一次「收集意见」正在进行，请稍后再试")

    def classify_opinions(self, round_key: str, ids: Iterable[UUID], theme: str, by: str) -> None:
        """分类."""
        self._on_each(round_key, ids, lambda o: o.classify(theme, by))

    def merge_opinions(self, round_key: str, ids: Sequence[UUID], by: str) -> UUID:
        """合并 — the opinions become one group, led by the first; returns the group's id (its lead's)."""
        found = self._opinions(ids, round_key)
        if len(found) < 2:
            raise InvalidInput("至少选择两条意见才能合并")
        lead = found[0].group or found[0].id
        for o in found:
            o.merge_into(lead, by)
        self.save(*found)
        return lead

    def split_opinions(self, round_key: str, ids: Iterable[UUID], by: str) -> None:
        """拆分 — each opinion leaves its group."""
        self._on_each(round_key, ids, lambda o: o.split(by))

    def mark_not_opinion(self, round_key: str, ids: Iterable[UUID], reason: str, by: str) -> None:
        """非意见."""
        self._on_each(round_key, ids, lambda o: o.mark_not_opinion(reason, by))

    def redact_opinion(self, round_key: str, opinion: UUID, text: str, by: str) -> None:
        """脱敏 — confirm the text a department and the public will see."""
        (found,) = self._opinions([opinion], round_key)
        found.redact(text, by)
        self.save(found)

    def assign_opinions(
        self,
        round_key: str,
        ids: Iterable[UUID],
        lead: str,
        cooperating: Sequence[str],
        by: str,
        today: date | None = None,
        working_days: int = DEFAULT_WORKING_DAYS,
    ) -> None:
        """交办 (and 改派) — to departments of the round, due ``working_days`` after ``today`` (default: the
        round's today); refused while personal data in a text is not confirmed.

        A merged group moves as one: ``ids`` holds its members (the caller reads them from the read model), and
        the group's first opinion, whose id is the group's, goes with any member named without it."""
        departments = self.round(round_key).departments
        for d in (lead, *cooperating):
            if d and d not in departments:
                raise NotFound(what=f"部门「{d}」")
        found = self._with_group_heads(self._opinions(ids, round_key))
        on = today or self.today()
        for o in found:
            o.assign(lead, list(cooperating), on, by, working_days, bool(find_personal_data(o.text)))
        self.save(*found)

    def _with_group_heads(self, found: list[Opinion]) -> list[Opinion]:
        """``found`` and the first opinion of each merged group among them, when it is still in its group (and
        not set aside as 非意见)."""
        chosen = {o.id: o for o in found}
        for o in found:
            if o.group is not None and o.group not in chosen:
                head = self.find(Opinion, o.group)
                if (
                    head is not None
                    and (head.group, head.round_key) == (o.group, o.round_key)
                    and head.not_opinion is None
                ):
                    chosen[head.id] = head
        return list(chosen.values())

    def request_reassignment(
        self,
        round_key: str,
        opinion: UUID,
        department: str,
        reason: str,
        by: str,
        group: Sequence[UUID] = (),
    ) -> None:
        """申请改派 — by the lead department, for the opinion and the rest of its group (``group``: its other
        members, from the read model; the group's first opinion is found without it)."""
        found = self._group_of(round_key, opinion, department, group)
        for o in found:
            o.request_reassignment(department, reason, by)
        self.save(*found)

    def answer_opinion(
        self,
        round_key: str,
        opinion: UUID,
        department: str,
        text: str,
        measures: str,
        state: str,
        by: str,
        group: Sequence[UUID] = (),
        file: tuple[str, bytes] | None = None,
        drop_file: bool = False,
    ) -> None:
        """答复 — one answer for the opinion and the members of its group (``group``, from the read model).

        ``file``: a new 证明材料 (name, bytes), checked to be the PDF or image it claims and stored by its sha256
        before the event is saved; without one the previous answer's evidence is kept, unless ``drop_file``."""
        found = self._group_of(round_key, opinion, department, group)
        previous = (found[0].answer or {}).get("evidence")
        evidence = None if drop_file else previous
        if file is not None:
            evidence = self._stored_evidence(file_name(file[0]), file[1]).to_dict()
        for o in found:
            o.give_answer(department, text, measures, state, by, evidence)
        self.save(*found)

    def _stored_evidence(self, name: str, content: bytes) -> Evidence:
        media_type = claimed_type(name, content)
        readable = (
            self.files.readable_pdf(content)
            if media_type == "application/pdf"
            else self.files.readable_image(content, media_type)
        )
        if not readable:
            raise InvalidInput(f"证明材料「{name}」已损坏或不完整，请重新导出后上传")
        return Evidence(self.files.put(content), len(content), name, media_type)

    def _group_of(
        self, round_key: str, opinion: UUID, department: str, group: Sequence[UUID] = ()
    ) -> list[Opinion]:
        """The opinion and, among ``group`` and the group's first opinion, those in the same merged group with
        the same lead department; another department's opinion is not found."""
        first = self.opinion(opinion)
        if first.round_key != round_key or not first.handled_by(department):
            raise NotFound(what="意见")
        members = {first.id: first}
        if first.group is None:
            return [first]
        for other in dict.fromkeys([*group, first.group]):
            o = self.find(Opinion, other) if other not in members else None
            if o is not None and o.group == first.group and (o.round_key, o.lead) == (round_key, first.lead):
                members[o.id] = o
        return list(members.values())

    def return_answers(self, round_key: str, ids: Iterable[UUID], reason: str, by: str) -> None:
        """退回重办."""
        self._on_each(round_key, ids, lambda o: o.return_answer(reason, by))

    def accept_answers(self, round_key: str, ids: Iterable[UUID], by: str) -> None:
        """审核通过."""
        self._on_each(round_key, ids, lambda o: o.accept_answer(by))

    def publish_opinions(self, round_key: str, ids: Iterable[UUID], by: str) -> int:
        """公开 — the accepted ones among ``ids``; returns how many were published now."""
        found = [o for o in self._opinions(ids, round_key) if o.review == "accepted" and not o.published]
        for o in found:
            o.publish(by)
        self.save(*found)
        return len(found)

    def rate_opinion(self, opinion: UUID, suggestion: UUID, rating: str, by: str) -> None:
        """满意度评价 — by the signer, who proves it by their suggestion's id (found from their receipt or
        card code by the caller); the opinion must be that suggestion's."""
        found = self.opinion(opinion)
        key = source_key(found.round_key, "suggestion", str(suggestion))
        if found.id != opinion_id(key):
            raise NotFound(what="意见")
        found.rate(rating, by)
        self.save(found)
