"""网络评议的频率限制 — per address, per phone and per online identity, in PostgreSQL and shared by every web
process (web/platform/shared_buckets.py): behind a load balancer spreading requests over W processes each
limit holds exactly, not W times over, and a restarted process still knows it. An invitation wave sends
thousands of people within minutes, from carriers' NAT addresses, so an address gets a generous bucket and a
phone or an identity a tight one.

- sign-ins (invitation links and phone codes) per address: 60 at once, then 60 a minute;
- SMS codes per phone: 3 at once, then 1 a minute (the domain also refuses more than one a minute and
  more than 5 a day, evaluation/online_voters.py), and per address 60 at once, then 30 a minute (an SMS
  costs money; a carrier's NAT address carries many people);
- ballots per identity and department: 10 at once, then 10 a minute (the tablet's). Shared too, decided by
  measurement: one take against the database costs p50 0.3 ms, p99 0.8 ms (a quiet machine; 13 ms with
  both cores busy), an online ballot's own recording p50 7–9 ms, p99 44–54 ms (docs/scale.md) — a few
  per cent, for a limit that holds with any number of processes.

The tablet's pace per representative stays in each process's memory (web/tablet/pace.py says why).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from web.platform.buckets import Pace
from web.platform.shared_buckets import RateBuckets


@dataclass(frozen=True)
class OnlineLimits:
    sign_ins: Pace = field(default=Pace(burst=60, per_minute=60))
    codes_per_phone: Pace = field(default=Pace(burst=3, per_minute=1))
    codes_per_address: Pace = field(default=Pace(burst=60, per_minute=30))
    ballots: Pace = field(default=Pace(burst=10, per_minute=10))


class OnlinePace:
    def __init__(self, table: RateBuckets, limits: OnlineLimits | None = None) -> None:
        limits = limits or OnlineLimits()
        self.sign_ins = table.limit("online.sign_ins", limits.sign_ins)
        self.codes_per_phone = table.limit("online.codes_per_phone", limits.codes_per_phone)
        self.codes_per_address = table.limit("online.codes_per_address", limits.codes_per_address)
        self.ballots = table.limit("online.ballots", limits.ballots)


def online_pace(request: Request) -> OnlinePace:
    """The online limits over the app's shared buckets (``app.state.rate_buckets``), made at the first
    online request."""
    state = request.app.state
    pace = getattr(state, "online_pace", None)
    if pace is None:
        pace = state.online_pace = OnlinePace(state.rate_buckets)
    return pace


def address(request: Request) -> str:
    return request.client.host if request.client else ""
