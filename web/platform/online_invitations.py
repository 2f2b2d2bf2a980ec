"""邀请短信的 CSV — the file a carrier's bulk-SMS tool (群发短信) takes: one row per invitation link, the phone
column filled when the numbers are known, else empty. The same for ``sanmin online invite`` and the
organiser's console. The codes exist only in this file: the platform keeps their keyed hashes."""

from __future__ import annotations

import csv
import io

HEADER = ["手机号码", "短信内容", "邀请链接"]


def invitation_link(base_url: str, round_key: str, code: str) -> str:
    """The code after ``#``: a fragment never reaches a server's log (docs/security.md, signing in)."""
    return f"{base_url.rstrip('/')}/online/{round_key}#code={code}"


def invitation_rows(
    title: str, round_key: str, codes: list[str], phones: list[str], base_url: str
) -> list[list[str]]:
    """Phone (or ""), the SMS text, the link — one row per code."""
    numbers = phones or [""] * len(codes)
    rows = []
    for phone, code in zip(numbers, codes, strict=True):
        link = invitation_link(base_url, round_key, code)
        sms = f"【{title}】诚邀您参加网络评议，为政府部门打分（链接仅限本人使用，评议期间可再次打开）：{link}"
        rows.append([phone, sms, link])
    return rows


def invitations_csv(rows: list[list[str]]) -> str:
    """The CSV's text; written as UTF-8 with a byte-order mark (the carriers' tools and Excel read Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()
