"""线路格式 — what the web process and its ballot writer send each other over their socket pair.

Each message is a 4-byte length, then a pickle: a batch of requests (a tablet's ``CastRequest``, an online
citizen's ``OnlineRequest``) one way, that batch's answers (its receipts and refusals, or the one failure
the whole transaction met) the other, in the order the batches went.
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass
from datetime import datetime

from evaluation.errors import EvaluationError
from evaluation.online import OnlineCast
from evaluation.voting import CastRequest, Receipt

BATCH_LIMIT = 400
"""Ballots in one batch, and in one transaction, at most: what arrives beyond it waits for the next."""
HEADER = struct.Struct("!I")
Answers = list[Receipt | EvaluationError]


@dataclass(frozen=True)
class OnlineRequest:
    """An online citizen's ballot, with the moment the web process received it (the period is checked
    against it: the domain reads no clock of its own)."""

    cast: OnlineCast
    now: datetime


Request = CastRequest | OnlineRequest
"""A ballot in a batch: a tablet's or an online citizen's, saved in the same transactions."""
WriterSettings = tuple[str, str, bytes, str, bytes | None]
"""What the child needs of the settings: database URL, data folder, secret, schema, pseudonym secret."""


def message(value: object) -> bytes:
    """One message on the socket: the pickle's length, then the pickle."""
    payload = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload
