"""网络评议者 — who may score online: the holder of an invitation (邀请链接) or a volunteer whose phone was
verified by a one-time SMS code (志愿者).

Neither is stored by what a person typed or received: an invitation by its code's keyed hash, a phone by its
number's keyed hash, an SMS code by its keyed hash. Their events are stamped with the day only, like a
ballot's. An online voter's *identity* (``inv:<hash>`` or ``tel:<hash>``) is what a session carries and what
the ballot's pseudonym is derived from (with the pseudonym key); it never appears in a ballot.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.day_stamp import DayStamped
from evaluation.errors import EvaluationError, InvalidCredential, InvalidInput, NotFound, stated
from evaluation.keys import SEATS_REMEMBERED
from evaluation.round import NAMESPACE
from evaluation.round_day import day_of

CODE_VALID = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
CODES_PER_DAY = 5
TRIES_PER_CODE = 5
PHONE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(phone: str) -> str:
    """A mainland mobile number: spaces, dashes and a leading +86 are forgiven."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not PHONE.match(digits):
        raise InvalidInput("请填写 11 位手机号码")
    return digits


class OnlineVoterVoided(EvaluationError):
    code, template = "online_voter_voided", "此网络评议资格已被取消"


class SmsCodeWrong(EvaluationError):
    code, template = "sms_code_wrong", "验证码不正确或已过期，请重新获取"


class SmsTooSoon(EvaluationError):
    code, template = "sms_too_soon", "验证码已发送，请 {seconds} 秒后再试"


class SmsDailyLimit(EvaluationError):
    code, template = "sms_daily_limit", "此手机号今天获取验证码的次数已用完，请明天再试"


def invitation_id(code_hash: str) -> UUID:
    return uuid5(NAMESPACE, f"online-invitation:{code_hash}")


def phone_id(round_key: str, phone_hash: str) -> UUID:
    return uuid5(NAMESPACE, f"online-phone:{round_key}:{phone_hash}")


@lru_cache(maxsize=SEATS_REMEMBERED)  # a batch of online ballots derives each voter's when it reads and casts
def voter_id(round_key: str, identity: str) -> UUID | None:
    """The aggregate a session's online identity names: its invitation or its phone (None for neither kind)."""
    kind, _, digest = identity.partition(":")
    if kind == "inv":
        return invitation_id(digest)
    if kind == "tel":
        return phone_id(round_key, digest)
    return None


def entitled(voter: object, round_key: str) -> Invitation | OnlinePhone:
    """The voter found for a session's identity, if it still entitles it to cast: issued for this round,
    redeemed (or verified), not voided."""
    if not isinstance(voter, Invitation | OnlinePhone) or voter.round_key != round_key:
        raise NotFound(what="网络评议者")
    if voter.voided:
        raise OnlineVoterVoided()
    if not (voter.redeemed if isinstance(voter, Invitation) else voter.verified):
        raise InvalidCredential()
    return voter


class Voidable:
    """取消资格 for either kind of online voter: the organiser's, with a reason (e.g. a batch of abuse); its
    ballots are voided with it. Each aggregate records its own ``Voided`` event (``_voided``)."""

    voided = False

    def void(self, by: str, reason: str) -> None:
        if not self.voided:
            self._voided(by, stated(reason))

    def _voided(self, by: str, reason: str) -> None:
        raise NotImplementedError


class Invitation(Voidable, Aggregate):
    """邀请 — one link, one online identity: issued in a batch; it signs its holder in whenever they open it
    until the period ends (a lost session, 退出, another browser or phone), always as the same identity, so a
    ballot cast again replaces the earlier one and never adds to it.

    Why the link and not only the first browser: the session lasts hours and the period days, and a
    citizen who lost it had no way back. The link is the invitee's credential: whoever holds it signs in as
    them, which was already true of its first use (a forwarded SMS); a second holder can change that
    citizen's ballots, never add one. Only the first use is recorded (``Redeemed``, the response rate); a
    later one records nothing, so no event sits in the log just before an amended ballot."""

    class Event(DayStamped):
        pass

    class Created(Event, Aggregate.Created):
        pass

    class Issued(Created):
        code_hash: str
        round_key: str
        batch: str
        by: str

    redeemed = False

    @event(Issued)
    def __init__(self, code_hash: str, round_key: str, batch: str, by: str) -> None:
        self.code_hash = code_hash
        self.round_key = round_key
        self.batch = batch

    @staticmethod
    def create_id(code_hash: str, **_: object) -> UUID:
        return invitation_id(code_hash)

    @property
    def identity(self) -> str:
        return f"inv:{self.code_hash}"

    def redeem(self) -> None:
        """使用 — a sign-in with the link: the first is recorded, a later one changes nothing; refused once
        the organiser voided it (the period's end is the channel's to refuse)."""
        if self.voided:
            raise OnlineVoterVoided()
        if not self.redeemed:
            self._redeemed(self.round_key)

    @event("Redeemed")
    def _redeemed(self, round_key: str) -> None:
        self.redeemed = True

    @event("Voided")
    def _voided(self, by: str, reason: str) -> None:
        self.voided = True


class OnlinePhone(Voidable, Aggregate):
    """志愿者手机 — a volunteer's phone in one round: codes sent (their keyed hashes), wrong tries, verified."""

    class Event(DayStamped):
        pass

    class Created(Event, Aggregate.Created):
        pass

    class Opened(Created):
        phone_hash: str
        round_key: str

    verified = False

    @event(Opened)
    def __init__(self, phone_hash: str, round_key: str) -> None:
        self.phone_hash = phone_hash
        self.round_key = round_key
        self.code_hash = ""
        self.sent_at = ""
        self.sent_today: tuple[str, int] = ("", 0)
        self.tries = 0

    @staticmethod
    def create_id(phone_hash: str, round_key: str) -> UUID:
        return phone_id(round_key, phone_hash)

    @property
    def identity(self) -> str:
        return f"tel:{self.phone_hash}"

    def send_code(self, code_hash: str, now: datetime) -> None:
        """发送验证码 — at most one a minute and ``CODES_PER_DAY`` a day per phone."""
        if self.voided:
            raise OnlineVoterVoided()
        if self.sent_at:
            waited = now - datetime.fromisoformat(self.sent_at)
            if waited < RESEND_AFTER:
                raise SmsTooSoon(seconds=int((RESEND_AFTER - waited).total_seconds()) + 1)
        day, count = self.sent_today
        if day == day_of(now).isoformat() and count >= CODES_PER_DAY:
            raise SmsDailyLimit()
        self._code_sent(code_hash, now.isoformat())

    @event("CodeSent")
    def _code_sent(self, code_hash: str, sent_at: str) -> None:
        day = day_of(datetime.fromisoformat(sent_at)).isoformat()  # Beijing's day, as 「请明天再试」 means
        count = self.sent_today[1] if self.sent_today[0] == day else 0
        self.code_hash, self.sent_at, self.sent_today, self.tries = code_hash, sent_at, (day, count + 1), 0

    def verify(self, code_hash: str, now: datetime) -> bool:
        """验证 — the last code sent, within ``CODE_VALID``, at most ``TRIES_PER_CODE`` tries; False when wrong
        (the wrong try is recorded: the caller saves and then refuses)."""
        if self.voided:
            raise OnlineVoterVoided()
        fresh = bool(self.sent_at) and now - datetime.fromisoformat(self.sent_at) <= CODE_VALID
        if not fresh or self.tries >= TRIES_PER_CODE or not self.code_hash:
            raise SmsCodeWrong()
        if code_hash != self.code_hash:
            self._wrong_try()
            return False
        self._verified(self.round_key, was_verified=self.verified)
        return True

    @event("WrongTry")
    def _wrong_try(self) -> None:
        self.tries += 1

    @event("Verified")
    def _verified(self, round_key: str, was_verified: bool) -> None:
        self.verified = True
        self.code_hash = ""

    @event("Voided")
    def _voided(self, by: str, reason: str) -> None:
        self.voided = True
