"""网络评议的频率限制 — per address, per phone and per online identity, in the web process's memory
(web/platform/buckets.py): an invitation wave sends thousands of people within minutes, from carriers' NAT
addresses, so an address gets a generous bucket and a phone or an identity a tight one.

- sign-ins (invitation links and phone codes) per address: 60 at once, then 60 a minute;
- SMS codes per phone: 3 at once, then 1 a minute (the domain also refuses more than one a minute and
  more than 5 a day, evaluation/online_voters.py), and per address 60 at once, then 30 a minute (an SMS
  costs money; a carrier's NAT address carries many people);
- ballots per identity and department: 10 at once, then 10 a minute (the tablet's).
"""

from __future__ import annotations

from starlette.requests import Request

from web.platform.buckets import Buckets, Pace


class OnlinePace:
    def __init__(self) -> None:
        self.sign_ins = Buckets(Pace(burst=60, per_minute=60))
        self.codes_per_phone = Buckets(Pace(burst=3, per_minute=1))
        self.codes_per_address = Buckets(Pace(burst=60, per_minute=30))
        self.ballots = Buckets(Pace(burst=10, per_minute=10))


def online_pace(request: Request) -> OnlinePace:
    """The process's buckets, made at the first online request."""
    state = request.app.state
    pace = getattr(state, "online_pace", None)
    if pace is None:
        pace = state.online_pace = OnlinePace()
    return pace


def address(request: Request) -> str:
    return request.client.host if request.client else ""
