"""部门页面的读取 — the SQL of the department's screens, over the read models only; each query names the
signed-in department, so nothing of another department is read."""

DEPARTMENT = "SELECT * FROM departments_view WHERE round_key = $1 AND department = $2"

BALLOTS = "SELECT choice, comment FROM ballots_view WHERE round_key = $1 AND department = $2 AND counted"
SUGGESTIONS = """
SELECT name, text, answer FROM suggestions_view WHERE round_key = $1 AND department = $2 ORDER BY suggestion_id
"""
"""What its comment summary is built from (after publication)."""

TALLY = "SELECT tally, eligible FROM results_view WHERE round_key = $1 AND department = $2"
RANKING = "SELECT ranking FROM rankings_view WHERE round_key = $1 AND group_key = $2"

ANSWERABLE = """
SELECT suggestion_id, name, phone, text, answer FROM suggestions_view
WHERE round_key = $1 AND department = $2 ORDER BY answer IS NOT NULL, suggestion_id
"""
"""The signed suggestions it answers, unanswered first."""
SUGGESTION = "SELECT suggestion_id FROM suggestions_view WHERE suggestion_id = $1 AND round_key = $2 AND department = $3"

REVISIONS = """
SELECT revision, title, summary, text, file, actor, on_behalf, at FROM report_revisions_view
WHERE round_key = $1 AND department = $2 ORDER BY revision DESC
"""
REVISION_SEEN = (
    "SELECT 1 FROM report_revisions_view WHERE round_key = $1 AND department = $2 AND revision = $3"
)
REVISION_FILE = (
    "SELECT file FROM report_revisions_view WHERE round_key = $1 AND department = $2 AND revision = $3"
)
"""Its 述职报告: every revision, newest first, and a revision's attachment."""
