"""组织方的读取 — the SQL of the organiser's screens, and the lookups several of them share, from the read
models only."""

from __future__ import annotations

import unicodedata
from typing import Any

from projections.handling_score import HANDLING_COUNTS
from projections.opinion_answers import ANSWERED_OPINIONS
from projections.opinion_digest import DIGEST_ROWS
from web.platform.database import ReadModels

RECEIPT_BALLOTS = """
SELECT r.receipt, r.department, d.name, b.ballot_id, b.receipt = r.receipt AS latest, b.voided, b.counted
FROM receipts_view r
JOIN ballots_view b ON b.ballot_id = r.ballot_id
LEFT JOIN departments_view d ON d.round_key = r.round_key AND d.department = r.department
WHERE r.round_key = $1 AND r.receipt = $2
ORDER BY r.department, b.ballot_id
"""
"""作废评议票: the ballots a receipt code was given to (never their choice)."""
BALLOT_IN_ROUND = "SELECT 1 FROM ballots_view WHERE ballot_id = $1 AND round_key = $2"

CARD_COUNTS = """
SELECT sitting, venue, count(*) AS cards FROM representatives_view
WHERE round_key = $1 AND NOT revoked GROUP BY sitting, venue ORDER BY sitting, venue
"""
REPRESENTATIVE = "SELECT * FROM representatives_view WHERE representative_id = $1 AND round_key = $2"
VENUE_SITTINGS = "SELECT DISTINCT sitting FROM representatives_view WHERE round_key = $1 AND venue = $2"

DEPARTMENTS = """
SELECT department, name, group_key, head, report IS NOT NULL AS has_report
FROM departments_view WHERE round_key = $1 ORDER BY group_key, department
"""
DEPARTMENT = "SELECT department, name FROM departments_view WHERE round_key = $1 AND department = $2"

TALLIES = "SELECT department, tally FROM results_view WHERE round_key = $1"
RANKINGS = "SELECT group_key, ranking FROM rankings_view WHERE round_key = $1 ORDER BY group_key"

TURNOUT = "SELECT department, eligible, returned FROM results_view WHERE round_key = $1"
VENUES = "SELECT venue, issued, checked_in FROM venues_view WHERE round_key = $1 ORDER BY venue"


async def department_names(reads: ReadModels, round_key: str) -> dict[str, str]:
    rows = await reads.fetch(
        "SELECT department, name FROM departments_view WHERE round_key = $1 ORDER BY department", round_key
    )
    return {r["department"]: r["name"] for r in rows}


async def department_name(reads: ReadModels, round_key: str, department: str) -> str:
    name = await reads.fetchval(
        "SELECT name FROM departments_view WHERE round_key = $1 AND department = $2", round_key, department
    )
    return str(name) if name else department


async def by_department(reads: ReadModels, table: str, round_key: str) -> dict[str, Any]:
    """windows_view or results_view rows of the round, by department key."""
    assert table in ("windows_view", "results_view")
    rows = await reads.fetch(f"SELECT * FROM {table} WHERE round_key = $1", round_key)
    return {r["department"]: r for r in rows}


def searched(typed: str) -> str:
    """What a desk typed, as the roster holds it: a phone's full-width digits (２０８) as 208, and no spaces
    (「吕 辉」, as some input methods space a name, is 吕辉; names are kept without them)."""
    return "".join(unicodedata.normalize("NFKC", typed).split())


def roster_filter(round_key: str, params: dict[str, str]) -> tuple[str, list[Any]]:
    """WHERE clause and arguments for representatives_view, from the venue / sitting / q filters."""
    clauses, args = ["round_key = $1"], [round_key]
    for column in ("venue", "sitting"):
        if params.get(column):
            args.append(params[column])
            clauses.append(f"{column} = ${len(args)}")
    if q := searched(params.get("q", "")):
        args.append(q)
        number = f" OR number::text = ${len(args)}" if q.isdigit() else ""
        clauses.append(f"(strpos(name, ${len(args)}) > 0{number})")
    return " AND ".join(clauses), args


async def count_representatives(reads: ReadModels, where: str, args: list[Any], valid: bool = False) -> Any:
    """How many representatives match a ``roster_filter`` (``valid``: only those whose card is not revoked)."""
    revoked = " AND NOT revoked" if valid else ""
    return await reads.fetchval(f"SELECT count(*) FROM representatives_view WHERE {where}{revoked}", *args)


async def representatives(
    reads: ReadModels, where: str, args: list[Any], limit: int, offset: int, valid: bool = False
) -> list[Any]:
    """One page of the representatives matching a ``roster_filter``, by number."""
    revoked = " AND NOT revoked" if valid else ""
    return await reads.fetch(
        f"SELECT * FROM representatives_view WHERE {where}{revoked} "
        f"ORDER BY number LIMIT {limit} OFFSET {offset}",
        *args,
    )


OPEN_WINDOWS = "SELECT department FROM windows_view WHERE round_key = $1 AND is_open"
"""The departments being scored now: their tallies are sealed on the results page."""

ALL_ROUNDS = "SELECT round_key, title, published FROM rounds_view ORDER BY round_key"
"""The administrator's list of every round (活动工作簿)."""

SMALL_CELLS = """
SELECT 'venue' AS kind, venue AS place, category, count(*) AS members FROM representatives_view
WHERE round_key = $1 AND NOT revoked GROUP BY venue, category HAVING count(*) < $2
UNION ALL
SELECT 'sitting', sitting, category, count(*) FROM representatives_view
WHERE round_key = $1 AND NOT revoked GROUP BY sitting, category HAVING count(*) < $2
ORDER BY 1 DESC, 2, 3
"""
"""会场 × 类别 and 场次 × 类别 cells with fewer than k members (``evaluation.small_groups``): warned of on the
roster page. A ballot carries its category (the tally weighs categories), so a category of fewer than k in a
sitting is the cell a ballot can be joined on; venue × category is what the hall sees."""
REPORT_STATES = """
SELECT d.department, d.name, d.group_key, d.report, d.report_revision, r.actor, r.on_behalf, r.at
FROM departments_view d
LEFT JOIN report_revisions_view r
  ON r.round_key = d.round_key AND r.department = d.department AND r.revision = d.report_revision
WHERE d.round_key = $1 ORDER BY d.group_key, d.department
"""
REPORT_DEPARTMENT = "SELECT department, name, report, report_revision FROM departments_view WHERE round_key = $1 AND department = $2"
PRE_READING_SEEN = "SELECT 1 FROM rounds_view WHERE round_key = $1 AND pre_reading = $2"
"""述职报告 (web/organiser/reports.py): every department's state and one department (its revisions and files:
web/platform/reads.py)."""
ROSTER_EXPORT = """
SELECT number, name, category, venue, sitting, checked_in, revoked, credential_serial
FROM representatives_view WHERE round_key = $1 ORDER BY number
"""
"""代表名单导出: every representative of the round, by number (no phone: it stays on the screen)."""

UNREPORTED_DEPARTMENTS = """
SELECT department, name FROM departments_view WHERE round_key = $1 AND report IS NULL ORDER BY department
"""
"""准备情况: the departments that have not submitted their report (述职报告) yet."""

VENUE_CATEGORY_COUNTS = """
SELECT venue, category, count(*) AS people FROM representatives_view
WHERE round_key = $1 AND NOT revoked GROUP BY venue, category ORDER BY venue, category
"""
"""准备情况: how many representatives (cards not revoked) each category has in each venue."""

UNPRINTED_CARDS = """
SELECT sitting, venue, count(*) AS cards FROM representatives_view
WHERE round_key = $1 AND NOT revoked AND credential_serial <= 1 GROUP BY sitting, venue ORDER BY sitting, venue
"""
"""准备情况: representatives whose card was never printed (only the credential given at registration)."""

ANY_WINDOW_OPENED = "SELECT EXISTS (SELECT 1 FROM windows_view WHERE round_key = $1 AND openings > 0)"
"""用工作簿更新活动: whether scoring has started (the domain decides; the page only says so beforehand)."""
STAFF_ROUNDS = "SELECT round_key, title, venues FROM rounds_view ORDER BY round_key"
"""The rounds a staff account may be of, with their venues (签到员's venue)."""
STAFF_DEPARTMENTS = "SELECT round_key, department, name FROM departments_view ORDER BY round_key, department"
"""The departments a department staff account may be of."""
STAFF_TRAIL = """
SELECT position, department, kind, actor, reason, at, summary FROM history_view
WHERE round_key = $1 AND actor <> ALL($2::text[]) ORDER BY position
"""
"""Every command staff gave in a round (the staff trail): with a personal account or a shared code; $2 the
recorded actors that are nobody's staff (the representatives', anonymous or signed, and the system's)."""

# 意见办理 (web/organiser/opinions*.py) -------------------------------------------------------------------
COMMENT_SOURCES = """
SELECT ballot_id::text AS source_id, department, comment AS text FROM ballots_view
WHERE round_key = $1 AND (cardinality($2::text[]) = 0 OR department = ANY($2::text[])) AND NOT voided
  AND comment <> ''
"""
"""收集意见: the comments given with ballots, of every department or of one sitting's agenda (a ballot keeps no
sitting); which ballot is never kept: it is hashed by the domain."""
SUGGESTION_SOURCES = """
SELECT suggestion_id::text AS source_id, department, text FROM suggestions_view
WHERE round_key = $1 AND (cardinality($2::text[]) = 0 OR department = ANY($2::text[]))
"""
OPINIONS_STATE = (
    "SELECT count(*) AS n, coalesce(max(position), 0) AS position FROM opinions_view WHERE round_key = $1"
)
UNTRIAGED_TEXTS = """
SELECT opinion_id::text AS opinion_id, department, shown AS text FROM opinions_view
WHERE round_key = $1 AND lead IS NULL AND not_opinion IS NULL AND group_id IS NULL
"""
"""The opinions merge suggestions are computed from: not yet assigned, merged or set aside."""
TRIAGE_COUNTS = """
SELECT count(*) FILTER (WHERE lead IS NULL AND not_opinion IS NULL) AS open,
       count(*) FILTER (WHERE lead IS NOT NULL) AS assigned,
       count(*) FILTER (WHERE not_opinion IS NOT NULL) AS set_aside,
       count(DISTINCT group_id) AS groups, count(*) AS total,
       count(DISTINCT coalesce(group_id, opinion_id)) FILTER (WHERE not_opinion IS NULL) AS items
FROM opinions_view WHERE round_key = $1
"""
TRIAGE_PAGE = """
SELECT opinion_id, source, department, text, shown, redacted, theme, group_id, not_opinion, lead
FROM opinions_view
WHERE round_key = $1 AND lead IS NULL AND not_opinion IS NULL AND ($2 = '' OR department = $2)
ORDER BY department, coalesce(group_id, opinion_id), opinion_id
LIMIT $3 OFFSET $4
"""
TRIAGE_PAGE_COUNT = """
SELECT count(*) FROM opinions_view
WHERE round_key = $1 AND lead IS NULL AND not_opinion IS NULL AND ($2 = '' OR department = $2)
"""
OPINIONS_BY_ID = """
SELECT opinion_id, text, lead, group_id FROM opinions_view WHERE round_key = $1 AND opinion_id = ANY($2::uuid[])
"""
OPINION_GROUP = """
SELECT o.opinion_id FROM opinions_view c
JOIN opinions_view o ON o.round_key = c.round_key AND o.group_id = c.group_id
WHERE c.round_key = $1 AND c.opinion_id = ANY($2::uuid[]) AND o.not_opinion IS NULL
"""
"""Every member of the groups of the chosen opinions (but those set aside as 非意见), whichever member was chosen
(the group's id is its first opinion's, not every member's): a group is assigned, and reassigned, as one."""
REVIEW_QUEUE = """
SELECT opinion_id, department, shown, theme, group_id, lead, cooperating, deadline, answer, review,
       returned_reason, reassignment, published
FROM opinions_view
WHERE round_key = $1 AND (review IN ('pending', 'accepted') AND NOT published OR reassignment IS NOT NULL)
ORDER BY lead, coalesce(group_id, opinion_id), opinion_id
LIMIT 500
"""
OPINION_DIGEST = DIGEST_ROWS
"""每日办理提醒: the opinions in hand (declared with the digest, which ``sanmin opinion-digest`` reads too)."""
OPINION_HANDLING = HANDLING_COUNTS
"""意见办理得分: per lead department the opinions due, answered on time and rated (``$2`` today)."""
OPINION_ANSWER = "SELECT answer FROM opinions_view WHERE opinion_id = $1 AND round_key = $2"
"""An answer, for its 证明材料."""
ACCEPTED_UNPUBLISHED = """
SELECT opinion_id FROM opinions_view WHERE round_key = $1 AND review = 'accepted' AND NOT published
"""
TRACKING = f"""
WITH handled AS (
  SELECT lead AS department, answered, (answer->>'state' = '已办结') AS completed,
         (NOT answered AND deadline < $2) OR (first_answered_on > deadline) AS overdue,
         first_answered_on::date - assigned_on::date AS days, rating
  FROM ({ANSWERED_OPINIONS}) o WHERE round_key = $1 AND lead IS NOT NULL
)
SELECT department, count(*) AS received, count(*) FILTER (WHERE answered) AS answered,
       count(*) FILTER (WHERE completed) AS completed, count(*) FILTER (WHERE overdue) AS overdue,
       round(avg(days), 1) AS average_days,
       count(*) FILTER (WHERE rating = '满意') AS satisfied,
       count(*) FILTER (WHERE rating = '基本满意') AS fairly,
       count(*) FILTER (WHERE rating = '不满意') AS dissatisfied
FROM handled GROUP BY department ORDER BY department
"""
"""跟踪: per lead department, ``$2`` today's ISO date; overdue = unanswered past the deadline or answered late; a
signed suggestion answered on either page by its lead department is answered (``projections.opinion_answers``)."""
OVERDUE = f"""
SELECT opinion_id, lead, shown, deadline, assigned_on FROM ({ANSWERED_OPINIONS}) o
WHERE round_key = $1 AND lead IS NOT NULL AND NOT answered AND deadline < $2
ORDER BY deadline, lead, opinion_id LIMIT 500
"""
OPINION_THEMES = """
SELECT coalesce(theme, '未分类') AS theme, count(*) AS n FROM opinions_view
WHERE round_key = $1 AND not_opinion IS NULL GROUP BY 1 ORDER BY n DESC, theme
"""

ONLINE_CHANNEL = "SELECT * FROM online_channels_view WHERE round_key = $1"
ONLINE_RESULTS = "SELECT department, returned, tally FROM online_results_view WHERE round_key = $1"
"""网络评议 (web/organiser/online.py): the period, invitations' counts, each department's online result."""
ONLINE_COMMENT_SOURCES = """
SELECT ballot_id::text AS source_id, department, comment AS text FROM online_ballots_view
WHERE round_key = $1 AND (cardinality($2::text[]) = 0 OR department = ANY($2::text[])) AND NOT voided
  AND comment <> ''
"""
"""收集意见: the comments of online ballots (网络意见), chosen as the hall's are."""
OTHER_ROUNDS = "SELECT round_key, title FROM rounds_view WHERE round_key <> $1 ORDER BY round_key DESC"
"""历年对比 (web/organiser/years.py): the rounds this one may follow (their titles are on the public home page)."""
