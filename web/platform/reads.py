"""共用的读取 — the SQL that screens of more than one audience share, over the read models only."""

ROUND = "SELECT * FROM rounds_view WHERE round_key = $1"
"""The round of an organiser's or a department's page."""

RECEIPTS = """
SELECT r.receipt, r.department, d.name AS department_name, o.title AS round_title,
       b.receipt AS latest, b.voided, b.counted
FROM receipts_view r
JOIN ballots_view b ON b.ballot_id = r.ballot_id
LEFT JOIN departments_view d ON d.round_key = r.round_key AND d.department = r.department
LEFT JOIN rounds_view o ON o.round_key = r.round_key
WHERE r.receipt = ANY($1::text[])
"""
"""Receipt statuses (web/platform/receipts.py): the public check and the tablet's own receipts."""

REPORT_FILE = "SELECT content FROM report_files WHERE sha256 = $1"
"""A report's attachment by its sha256 (web/platform/report_files.py). ``report_files`` is not a read model: it
holds the files' only copy, and the events their hashes (storage/files.py)."""

REPORT_REVISIONS = """
SELECT revision, title, summary, text, file, actor, on_behalf, at FROM report_revisions_view
WHERE round_key = $1 AND department = $2 ORDER BY revision DESC
"""
REPORT_REVISION_SEEN = (
    "SELECT 1 FROM report_revisions_view WHERE round_key = $1 AND department = $2 AND revision = $3"
)
REPORT_REVISION_FILE = (
    "SELECT file FROM report_revisions_view WHERE round_key = $1 AND department = $2 AND revision = $3"
)
"""A department's 述职报告 as its own page and the organiser's 代为提交 page show it: every revision, newest
first, and a revision's attachment."""
YEAR_ROUNDS = """
SELECT round_key, title, instrument, categories, groups, published FROM rounds_view WHERE round_key = ANY($1::text[])
"""
YEAR_DEPARTMENTS = """
SELECT round_key, department, name, short_name, group_key FROM departments_view WHERE round_key = ANY($1::text[])
"""
YEAR_RANKINGS = """
SELECT r.round_key, r.group_key, r.ranking FROM rankings_view r JOIN rounds_view o USING (round_key)
WHERE r.round_key = ANY($1::text[]) AND o.published
"""
"""历年对比 (web/platform/years.py): the rounds of a comparison chain, their departments, and the rankings of
those published (a round not yet published gives no number)."""
