"""密钥 — everything derived from the server secret, which is kept outside the database.

A copy of the database holds only these derivations, never the inputs that would link a ballot
to a person: pseudonyms of ballots, keyed hashes of login codes, receipt codes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from uuid import UUID

RECEIPT_LENGTH = 10
"""31^10 ≈ 8 × 10^14 codes: among a Baotou round's ~250,000 ballot versions two share a code with a chance of
about 4 in 100,000 (with 8 characters it was about 4 in 100, and a million versions made a pair likely). The
receipt views and lookups still allow a shared code (web/platform/receipts.py); older 8-character receipts stay valid."""
SEATS_REMEMBERED = 32_768
"""Pseudonyms kept per keyring: a sitting's representatives × its departments (2,000 × 12 in the ingestion
benchmark), whose ballots the writer derives again at every cast, amendment and resend. Full, this cache and
``ballot_id``'s hold 18 MB (measured with tracemalloc)."""
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Login codes avoid 0/O, 1/I/L: they are read off a printed card by older eyes."""


def new_credential_code() -> str:
    """登录码 — 10 random characters (31^10 ≈ 8 × 10^14), drawn at issue and never derivable again: only its
    keyed hash is stored, so a lost code is replaced by issuing a new card, never printed again."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Keyring:
    """Derives pseudonyms (from their own secret when one is given: it can then be destroyed once a round is
    locked, leaving the rest usable), receipts, the organiser's code and login codes' hashes from the server
    secret."""

    def __init__(self, secret: bytes, pseudonym_secret: bytes | None = None) -> None:
        if len(secret) < 16 or len(pseudonym_secret or secret) < 16:
            raise ValueError("the server secret must be at least 16 bytes")
        self._secret = secret
        self._pseudonym_secret = pseudonym_secret or secret
        self._pseudonyms = lru_cache(maxsize=SEATS_REMEMBERED)(self._pseudonym)

    def _mac(self, purpose: str, *parts: object) -> bytes:
        message = "\x1f".join([purpose, *map(str, parts)]).encode()
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def _code(self, length: int, purpose: str, *parts: object) -> str:
        digest = int.from_bytes(self._mac(purpose, *parts), "big")
        chars = []
        for _ in range(length):
            digest, index = divmod(digest, len(CODE_ALPHABET))
            chars.append(CODE_ALPHABET[index])
        return "".join(chars)

    def pseudonym(self, representative: UUID, department: str) -> str:
        """无记名 — the same person and department always give the same pseudonym; nobody can invert it."""
        return self._pseudonyms(representative, department)

    def _pseudonym(self, representative: UUID, department: str) -> str:
        message = "\x1f".join(["pseudonym", str(representative), department]).encode()
        return hmac.new(self._pseudonym_secret, message, hashlib.sha256).hexdigest()

    def credential_hash(self, code: str) -> str:
        """The only form in which a login code is stored."""
        return self._mac("credential-hash", normalise_code(code)).hex()

    def invitation_hash(self, code: str) -> str:
        """The only form in which an online invitation's code is stored (网络评议邀请)."""
        return self._mac("invitation-hash", normalise_code(code)).hex()

    def new_invitation_code(self) -> str:
        """邀请码 — 12 random characters (31^12 ≈ 8 × 10^17): a link in an SMS, never typed."""
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))

    def phone_hash(self, phone: str) -> str:
        """A volunteer's phone number as stored: its keyed hash (the number itself only reaches the SMS gateway)."""
        return self._mac("phone-hash", phone).hex()

    def sms_code_hash(self, phone_hash: str, code: str) -> str:
        return self._mac("sms-code", phone_hash, code).hex()

    def online_pseudonym(self, round_key: str, identity: str, department: str) -> str:
        """无记名 — an online identity's ballot for a department, like a representative's ``pseudonym``."""
        message = "\x1f".join(["online-pseudonym", round_key, identity, department]).encode()
        return hmac.new(self._pseudonym_secret, message, hashlib.sha256).hexdigest()

    def receipt(self, ballot: UUID, client_id: str) -> str:
        """回执码 — short, shown after casting; proves nothing about the choice."""
        return self._code(RECEIPT_LENGTH, "receipt", ballot, client_id)

    def suggestion_key(self, representative: UUID, department: str, client_id: str) -> str:
        """Unlinkable to the ballot's pseudonym: a different purpose gives an unrelated value."""
        return self._mac("suggestion", representative, department, client_id).hex()

    def organiser_code(self, round_key: str) -> str:
        """组织方登录码 of a round."""
        return self._code(10, "credential", UUID(int=0), hash_round(round_key))


def hash_round(round_key: str) -> int:
    return int.from_bytes(hashlib.sha256(round_key.encode()).digest()[:4], "big")


def normalise_code(code: str) -> str:
    """What a person types: spaces, dashes and lower case are forgiven."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """How a code is printed on a card: two groups of five."""
    return f"{code[:5]}-{code[5:]}"
