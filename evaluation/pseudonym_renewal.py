"""换化名密钥 — a new pseudonym key (``sanmin keys new-pseudonym``) only once every round that has ballots is
locked. Until its lock a representative may change their vote: the changed vote finds its ballot again by
the id the pseudonym key derives, and under a new key it would become a second ballot."""

from __future__ import annotations

from eventsourcing.utils import get_topic

from evaluation.ballot import Ballot
from evaluation.errors import EvaluationError
from evaluation.online_ballot import OnlineBallot
from evaluation.service import ServiceBase

PAGE = 5_000


class PseudonymStillNeeded(EvaluationError):
    code, template = (
        "pseudonym_still_needed",
        "未更换化名密钥：评议活动{rounds}已有选票，但评议结果尚未锁定（锁定前代表可以改票，换了密钥改票会成为另一张票）。"
        "请先锁定这些活动的评议结果",
    )


class PseudonymRenewal(ServiceBase):
    def rounds_with_ballots(self) -> set[str]:
        """Every round with at least one ballot, from the tablets or online, read from the ballots' first
        events (only those are read)."""
        topics = [get_topic(Ballot.Cast), get_topic(OnlineBallot.Cast)]
        rounds: set[str] = set()
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, topics=topics)
            rounds.update(self.mapper.to_domain_event(n).round_key for n in page)  # type: ignore[attr-defined]
            if len(page) < PAGE:
                return rounds
            start = page[-1].id + 1

    def check_pseudonym_renewal(self) -> None:
        """Refuses while a round with ballots is not locked: its representatives' changed votes still need
        the key."""
        unlocked = sorted(key for key in self.rounds_with_ballots() if not self.round(key).locked)
        if unlocked:
            raise PseudonymStillNeeded(rounds="、".join(f"「{key}」" for key in unlocked))
