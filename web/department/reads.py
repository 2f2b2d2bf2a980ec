"""部门页面的读取 — the SQL of the department's screens, over the read models only; each query names the
signed-in department, so nothing of another department is read."""

DEPARTMENT = "SELECT * FROM departments_view WHERE round_key = $1 AND department = $2"

BALLOTS = "SELECT choice, comment FROM ballots_view WHERE round_key = $1 AND department = $2 AND counted"
SUGGESTIONS = """
SELECT name, text, answer FROM suggestions_view WHERE round_key = $1 AND department = $2 ORDER BY suggestion_id
"""
COMMENT_TRIAGE = """
SELECT text, shown, theme, group_id, not_opinion, redacted FROM opinions_view
WHERE round_key = $1 AND department = $2 AND source = 'comment'
"""
"""What its comment summary is built from (after publication): the counting ballots, the signed suggestions and
the organiser's triage of the comments (theme, merged group, 非意见, redacted text)."""

TALLY = "SELECT tally, eligible FROM results_view WHERE round_key = $1 AND department = $2"
RANKING = "SELECT ranking FROM rankings_view WHERE round_key = $1 AND group_key = $2"

ANSWERABLE = """
SELECT s.suggestion_id, s.name, s.phone, s.text, s.answer, o.lead, d.name AS lead_name, o.deadline,
       o.answer->>'state' AS opinion_state
FROM suggestions_view s
LEFT JOIN opinions_view o ON o.opinion_id = s.opinion_id AND o.not_opinion IS NULL
LEFT JOIN departments_view d ON d.round_key = o.round_key AND d.department = o.lead
WHERE s.round_key = $1 AND s.department = $2 ORDER BY s.answer IS NOT NULL, s.suggestion_id
"""
"""The signed suggestions it answers, unanswered first, each with the opinion it became once the organiser
assigned it (its lead, deadline and 意见办理 answer's state): one answer, counted for the opinion when this
department leads it (``projections.opinion_answers``)."""
SUGGESTION = "SELECT suggestion_id FROM suggestions_view WHERE suggestion_id = $1 AND round_key = $2 AND department = $3"

ASSIGNED_OPINIONS = """
SELECT opinion_id, source, shown, theme, group_id, lead, cooperating, assigned_on, deadline, reassignment, answer,
       review, returned_reason, published
FROM opinions_view
WHERE round_key = $1 AND (lead = $2 OR cooperating ? $2) AND not_opinion IS NULL
ORDER BY lead <> $2, review = 'accepted', deadline, coalesce(group_id, opinion_id), opinion_id
LIMIT 2000
"""
"""意见办理: the opinions it leads or co-operates on (承办 first, unanswered and earliest deadline first); only the
redacted text (``shown``), never the source or its signer."""
OPINION_GROUP_MEMBERS = """
SELECT opinion_id FROM opinions_view WHERE round_key = $1 AND lead = $2 AND group_id = $3 AND opinion_id <> $4
"""
OWN_OPINION = (
    "SELECT opinion_id, group_id FROM opinions_view WHERE opinion_id = $1 AND round_key = $2 AND lead = $3"
)
OPINION_EVIDENCE = """
SELECT answer FROM opinions_view WHERE opinion_id = $1 AND round_key = $2 AND (lead = $3 OR cooperating ? $3)
"""
"""The answer (with its 证明材料) of an opinion it leads or co-operates on."""
