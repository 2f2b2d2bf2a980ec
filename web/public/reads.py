"""公众页面的读取 — the SQL of the public screens (home, sign-in, projector, signed results), over the
read models only."""

from projections.audit import TRACKING_TABLE

ROUNDS = "SELECT round_key, title, published, pre_reading FROM rounds_view ORDER BY round_key"
"""The home page's list of rounds."""

ROUND_KEYS = "SELECT round_key FROM rounds_view ORDER BY round_key"
"""Sign-in: the rounds whose organiser's code a typed code may be."""

PROJECTOR_ROUND = (
    "SELECT title, groups, sittings, revealed, locked, published FROM rounds_view WHERE round_key = $1"
)
PROJECTOR_DEPARTMENTS = (
    "SELECT department, name, short_name, group_key FROM departments_view WHERE round_key = $1"
)
PROJECTOR_WINDOWS = "SELECT department, is_open, openings, changed_at FROM windows_view WHERE round_key = $1"
PROJECTOR_TURNOUT = "SELECT department, eligible, returned, position FROM results_view WHERE round_key = $1"
PROJECTOR_RANKINGS = "SELECT group_key, ranking FROM rankings_view WHERE round_key = $1"
"""The projector's status (web/public/status.py); the rankings only once the organiser reveals them."""

SIGNED_ROUND = "SELECT title, groups, published FROM rounds_view WHERE round_key = $1"
SIGNED_POSITION = f"SELECT max(notification_id) FROM {TRACKING_TABLE} WHERE application_name = $1"
SIGNED_NAMES = "SELECT department, name, short_name FROM departments_view WHERE round_key = $1"
SIGNED_RESULTS = "SELECT department, eligible, returned, tally FROM results_view WHERE round_key = $1"
SIGNED_RANKINGS = "SELECT ranking FROM rankings_view WHERE round_key = $1"
PUBLISHED_AT = "SELECT at FROM history_view WHERE round_key = $1 AND kind = $2 ORDER BY position DESC LIMIT 1"
"""The signed results (web/public/signed_results.py), all read in one snapshot; the notice (web/public/notice.py)
reads the names too, the short name its chart's label."""


def chain_link(chain_table: str) -> str:
    """The hash chain's value at an event position (the event store's own table)."""
    return f'SELECT link FROM "{chain_table}" WHERE notification_id = $1'


LATEST_CHECKPOINT = "SELECT document FROM {table} ORDER BY position DESC LIMIT 1"
"""The latest signed checkpoint of the event chain (its table is named after the events table)."""

PRE_READING_ROUND = "SELECT round_key, title, sittings, pre_reading FROM rounds_view WHERE round_key = $1"
PRE_READING_REPORTS = """
SELECT department, name, report FROM departments_view
WHERE round_key = $1 AND report IS NOT NULL ORDER BY group_key, department
"""
PRE_READING_REPORT = (
    "SELECT department, name, report FROM departments_view WHERE round_key = $1 AND department = $2"
)
"""公开预读 (web/public/reports.py): the round, and its departments' current reports once it is opened."""
OPINION_ROUND = "SELECT round_key, title FROM rounds_view WHERE round_key = $1"
PUBLISHED_OPINIONS = """
SELECT lead, d.name AS department_name, coalesce(theme, '其他') AS theme, count(*) AS merged,
       (array_agg(shown ORDER BY o.opinion_id = coalesce(group_id, o.opinion_id) DESC, o.opinion_id))[1] AS shown,
       (array_agg(answer ORDER BY o.opinion_id = coalesce(group_id, o.opinion_id) DESC, o.opinion_id))[1] AS answer
FROM opinions_view o LEFT JOIN departments_view d ON d.round_key = o.round_key AND d.department = o.lead
WHERE o.round_key = $1 AND published
GROUP BY lead, d.name, coalesce(theme, '其他'), coalesce(group_id, o.opinion_id)
ORDER BY lead, theme, merged DESC, shown
"""
"""公开的意见答复: one line per merged group (its lead opinion's redacted text) with how many it merged."""
OPINION_RATINGS = """
SELECT lead, d.name AS department_name, count(*) FILTER (WHERE rating = '满意') AS satisfied,
       count(*) FILTER (WHERE rating = '基本满意') AS fairly, count(*) FILTER (WHERE rating = '不满意') AS dissatisfied
FROM opinions_view o LEFT JOIN departments_view d ON d.round_key = o.round_key AND d.department = o.lead
WHERE o.round_key = $1 AND published AND source = 'suggestion'
GROUP BY lead, d.name ORDER BY lead
"""
MY_SUGGESTIONS = """
SELECT s.suggestion_id, s.opinion_id, s.department, s.text, s.answer, d.name AS department_name
FROM suggestions_view s
JOIN representatives_view r ON r.round_key = s.round_key AND r.name = s.name AND r.phone IS NOT DISTINCT FROM s.phone
LEFT JOIN departments_view d ON d.round_key = s.round_key AND d.department = s.department
WHERE r.representative_id = $1 AND r.round_key = $2
ORDER BY s.department, s.suggestion_id
"""
"""The signed suggestions of the signed-in representative, with the answer its department gave on 「留名建议答复」:
matched by the name and phone it was signed with (a suggestion carries no link to the representative:
``evaluation.suggestion``)."""
MY_OPINIONS = """
SELECT o.opinion_id, o.shown, o.answer, o.published, o.rating, d.name AS department_name FROM opinions_view o
LEFT JOIN departments_view d ON d.round_key = o.round_key AND d.department = o.lead
WHERE o.opinion_id = ANY($1::uuid[])
"""

ONLINE_ROUND = "SELECT round_key, title, instrument, pre_reading FROM rounds_view WHERE round_key = $1"
ONLINE_CHANNEL = "SELECT * FROM online_channels_view WHERE round_key = $1"
ONLINE_DEPARTMENTS = """
SELECT department, name, short_name, group_key, report FROM departments_view
WHERE round_key = $1 ORDER BY group_key, department
"""
"""网络评议 (web/public/online.py): the round, its online period, its departments with their reports."""
NOTICE_ROUND = "SELECT round_key, title, groups, instrument, published FROM rounds_view WHERE round_key = $1"
NOTICE_TALLIES = "SELECT department, tally FROM results_view WHERE round_key = $1"
"""评议结果公示 (web/public/notice.py): the round, then (once published only) its tallies for the composite's
parts; its names, rankings and day of publication as the signed results read them."""
