"""网络评议 — the online channel's commands: the period, invitations, volunteers' phones, online ballots.

Online ballots keep the tablet's contract (a client id makes a resend count once; a race is redone) and its
rules (the instrument, the comment's length) through ``evaluation.voting``'s own checks; they differ in who
may cast (an online identity, ``evaluation.online_voters``) and when (the period, ``OnlineChannel``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from evaluation.ballot import BallotVersion
from evaluation.errors import (
    EvaluationError,
    InvalidCredential,
    InvalidInput,
    NotFound,
    RoundNotEditable,
    stated,
)
from evaluation.online_ballot import ONLINE_CATEGORY, OnlineBallot, online_ballot_id
from evaluation.online_channel import NotOnline, OnlineChannel, checked_period, online_channel_id
from evaluation.online_voters import (
    Invitation,
    OnlinePhone,
    SmsCodeWrong,
    entitled,
    invitation_id,
    normalise_phone,
    phone_id,
    voter_id,
)
from evaluation.round import Round, round_id
from evaluation.service import ServiceBase, last_position
from evaluation.voting import ATTEMPTS, CLIENT_ID, Receipt, cast_or_amend, checked_content

ONLINE_COMPONENT = "网络评议"
"""The composite's component the online result enters as (docs/scoring.md §6)."""
MAX_INVITATIONS = 50_000
"""Per command: a bigger wave is issued in several (each its own batch, counted apart)."""


class OnlineStillOpen(EvaluationError):
    code, template = "online_open", "网络评议期结束后才能计入综合结果"


@dataclass(frozen=True)
class OnlineCast:
    """One online ballot as the phone sends it; ``identity`` comes from the session, never from the body."""

    round_key: str
    identity: str
    department: str
    client_id: str
    choice: str
    scores: dict[str, int] | None = None
    comment: str = ""


class OnlineEvaluation(ServiceBase):
    import_component_scores: Callable[[str, str, str, dict[str, str], str, str], None]
    """其他得分's command (``evaluation.other_components``), of the same application."""

    def online_channel(self, round_key: str) -> OnlineChannel | None:
        return self.find(OnlineChannel, online_channel_id(round_key))

    def set_online_period(
        self,
        round_key: str,
        opens: datetime,
        closes: datetime,
        departments: list[str] | None,
        by: str,
        reason: str,
        invitations: bool = True,
        volunteers: bool = True,
    ) -> None:
        """设置网络评议期 — from, to, some or all departments, the ways open; a change needs a reason."""
        round_ = self.round(round_key)
        if round_.locked:
            raise RoundNotEditable()
        start, end = checked_period(opens, closes)
        if departments is not None:
            unknown = [d for d in departments if d not in round_.departments]
            if unknown or not departments:
                raise InvalidInput("请选择本活动的部门" + (f"（没有「{unknown[0]}」）" if unknown else ""))
            departments = [d for d in round_.departments if d in departments]
        if not (invitations or volunteers):
            raise InvalidInput("邀请链接和志愿者手机验证至少开放一种")
        channel = self.online_channel(round_key)
        if channel is None:
            channel = OnlineChannel(
                round_key,
                start,
                end,
                departments,
                invitations,
                volunteers,
                by,
                reason.strip() or "设置网络评议期",
            )
        else:
            channel.change(start, end, departments, invitations, volunteers, by, reason)
        self.save(channel)

    def invite_online(self, round_key: str, count: int, by: str) -> list[str]:
        """生成邀请 — ``count`` codes (one identity each), returned once; only their keyed hashes are stored."""
        self._channel(round_key)
        if not 1 <= count <= MAX_INVITATIONS:
            raise InvalidInput(f"邀请数量须在 1 到 {MAX_INVITATIONS} 之间")
        batch = uuid4().hex[:12]
        codes = [self.keys.new_invitation_code() for _ in range(count)]
        self.save(*(Invitation(self.keys.invitation_hash(c), round_key, batch, by) for c in codes))
        return codes

    def redeem_invitation(self, round_key: str, code: str, now: datetime) -> str:
        """邀请链接登录 — until the period ends, each time its holder opens the link, always as the link's one
        identity (``Invitation``); returns the online identity the session carries."""
        channel = self._channel(round_key)
        channel.require_way("invitation")
        channel.require_not_over(now)
        invitation = self._invitation(round_key, code)
        invitation.redeem()
        try:
            if invitation.pending_events:  # its first use; a later one records nothing
                self.save(invitation)
        except IntegrityError:  # its first use (or a void) recorded at the same moment: read it again
            invitation = self._invitation(round_key, code)
            invitation.redeem()
            if invitation.pending_events:
                self.save(invitation)
        return invitation.identity

    def _invitation(self, round_key: str, code: str) -> Invitation:
        invitation = self.find(Invitation, invitation_id(self.keys.invitation_hash(code)))
        if invitation is None or invitation.round_key != round_key:
            raise InvalidCredential()
        return invitation

    def send_phone_code(self, round_key: str, phone: str, now: datetime) -> str:
        """发送验证码 — returns the 6-digit code for the SMS gateway; only its keyed hash is recorded."""
        channel = self._channel(round_key)
        channel.require_way("phone")
        channel.require_not_over(now)
        phone_hash = self.keys.phone_hash(normalise_phone(phone))
        holder = self.find(OnlinePhone, phone_id(round_key, phone_hash)) or OnlinePhone(phone_hash, round_key)
        code = f"{secrets.randbelow(1_000_000):06d}"
        holder.send_code(self.keys.sms_code_hash(phone_hash, code), now)
        self.save(holder)
        return code

    def verify_phone(self, round_key: str, phone: str, code: str, now: datetime) -> str:
        """验证手机 — the code sent last, within 10 minutes; returns the online identity."""
        channel = self._channel(round_key)
        channel.require_way("phone")
        channel.require_not_over(now)
        phone_hash = self.keys.phone_hash(normalise_phone(phone))
        holder = self.find(OnlinePhone, phone_id(round_key, phone_hash))
        if holder is None:
            raise SmsCodeWrong()
        right = holder.verify(self.keys.sms_code_hash(phone_hash, code.strip()), now)
        self.save(holder)
        if not right:
            raise SmsCodeWrong()
        return holder.identity

    def cast_online_ballot(self, cast: OnlineCast, now: datetime) -> Receipt:
        """网上投票 / 改票 — one ballot per identity and department; the same client id twice is one ballot."""
        for _ in range(ATTEMPTS - 1):
            try:
                return self._cast_online(cast, now)
            except IntegrityError:
                continue
        return self._cast_online(cast, now)

    def _cast_online(self, r: OnlineCast, now: datetime) -> Receipt:
        prepared = self._prepare_online(r, now, self._read_online([r]), {})
        if isinstance(prepared, Receipt):
            return prepared
        ballot, guards, receipt = prepared
        saved = self.save(ballot, guards=guards)
        return Receipt(receipt, ballot.id, r.department, False, last_position(saved))

    def _read_online(self, casts: list[OnlineCast]) -> dict[object, object]:
        """What the casts need, by aggregate id: each voter, ballot (None if not yet cast), round and channel
        (absent if missing); and each seat's pseudonym and ballot id, keyed by (round, identity, department)."""
        reads: dict[object, object] = {}
        for r in casts:
            pseudonym = self.keys.online_pseudonym(r.round_key, r.identity, r.department)
            bid = online_ballot_id(pseudonym)
            reads[(r.round_key, r.identity, r.department)] = (pseudonym, bid)
            reads[bid] = self.find(OnlineBallot, bid)
            if (vid := voter_id(r.round_key, r.identity)) is not None:
                reads[vid] = self.find(Aggregate, vid)
            reads[round_id(r.round_key)] = self.find(Round, round_id(r.round_key))
            reads[online_channel_id(r.round_key)] = self.online_channel(r.round_key)
        return reads

    def _prepare_online(
        self, r: OnlineCast, now: datetime, reads: dict[object, object], pending: dict[UUID, OnlineBallot]
    ) -> Receipt | tuple[OnlineBallot, dict[UUID, int], str]:
        """Checks every rule and builds the new ballot version, without saving it.

        ``reads`` is what ``_read_online`` found; ``pending`` holds the ballots built before this one for the
        same save. The save is guarded by the versions of the voter and the channel read: a void, or a change
        of the period, that comes in between makes the cast redo its checks on fresh reads."""
        if not CLIENT_ID.match(r.client_id):
            raise InvalidInput("客户端编号格式不正确")
        vid = voter_id(r.round_key, r.identity)
        found = reads.get(vid) if vid is not None else None
        voter = entitled(found, r.round_key)
        seat = reads.get((r.round_key, r.identity, r.department))
        if isinstance(seat, tuple):
            pseudonym, bid = seat
        else:
            pseudonym = self.keys.online_pseudonym(r.round_key, r.identity, r.department)
            bid = online_ballot_id(pseudonym)
        ballot = pending.get(bid) or reads.get(bid)
        if isinstance(ballot, OnlineBallot) and (known := ballot.receipt_for(r.client_id)):
            return Receipt(known, bid, r.department, True, 0)
        round_ = reads.get(round_id(r.round_key))
        if not isinstance(round_, Round):
            raise NotFound(what=f"评议活动「{r.round_key}」")
        if round_.locked:
            raise RoundNotEditable()
        channel = reads.get(online_channel_id(r.round_key))
        if not isinstance(channel, OnlineChannel):
            raise NotFound(what="本活动的网络评议")
        channel.require_open(r.department, now)
        if r.department not in round_.departments:  # a channel for every department covers only the round's
            raise NotOnline(department=r.department)
        scores, comment = checked_content(round_.instrument, r.choice, r.scores, r.comment)
        receipt = self.keys.receipt(bid, r.client_id)
        version = BallotVersion(r.client_id, receipt, r.choice, scores, comment, 1)
        ballot = cast_or_amend(
            OnlineBallot, ballot, pseudonym, r.round_key, r.department, ONLINE_CATEGORY, version
        )
        return ballot, {channel.id: channel.version, voter.id: voter.version}, receipt

    def void_online_voters(self, round_key: str, identities: list[str], by: str, reason: str) -> int:
        """作废一批 — the organiser voids these identities and every ballot they cast, with one reason;
        returns how many ballots were voided. The ballots are found by deriving their ids again (pseudonym
        key), never by a stored link."""
        reason = stated(reason)
        round_ = self.round(round_key)
        if round_.locked:
            raise RoundNotEditable()
        changed: list[Aggregate] = []
        voided = 0
        for identity in dict.fromkeys(identities):
            voter = self._voter(round_key, identity)
            voter.void(by, reason)
            changed.append(voter)
            for department in round_.departments:
                pseudonym = self.keys.online_pseudonym(round_key, identity, department)
                ballot = self.find(OnlineBallot, online_ballot_id(pseudonym))
                if ballot is not None and not ballot.voided:
                    ballot.void(by, reason)
                    changed.append(ballot)
                    voided += 1
        self.save(*changed)
        return voided

    def enter_online_result(
        self, round_key: str, weight: str, scores: dict[str, str], by: str, reason: str, now: datetime
    ) -> None:
        """计入综合结果 — the online results as the composite's component 网络评议 with its weight (其他得分),
        only once the period is over: before, the composite would show a score that still moves by one ballot."""
        if self._channel(round_key).state_at(now) != "after":
            raise OnlineStillOpen()
        self.import_component_scores(round_key, ONLINE_COMPONENT, weight, scores, by, reason)

    def _channel(self, round_key: str) -> OnlineChannel:
        channel = self.online_channel(round_key)
        if channel is None:
            self.round(round_key)
            raise NotFound(what="本活动的网络评议")
        return channel

    def _voter(self, round_key: str, identity: str) -> Invitation | OnlinePhone:
        vid = voter_id(round_key, identity)
        voter = self.find(Aggregate, vid) if vid is not None else None
        if not isinstance(voter, Invitation | OnlinePhone) or voter.round_key != round_key:
            raise NotFound(what="网络评议者")
        return voter
