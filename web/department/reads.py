"""部门页面的读取 — the SQL of the department's screens, over the read models only; each query names the
signed-in department, so nothing of another department is read."""

from projections.opinion_answers import ANSWERED_OPINIONS

DEPARTMENT = "SELECT * FROM departments_view WHERE round_key = $1 AND department = $2"
SCORING_BEGAN = "SELECT openings > 0 FROM windows_view WHERE round_key = $1 AND department = $2"
"""Whether its scoring window has ever opened (its report page says what a revision means then)."""

BALLOTS = "SELECT choice, comment FROM ballots_view WHERE round_key = $1 AND department = $2 AND counted"
SUGGESTIONS = f"""
SELECT s.name, s.text, s.answer, o.answer->>'text' AS handled, o.answered_on AS handled_on
FROM suggestions_view s
LEFT JOIN ({ANSWERED_OPINIONS}) o
  ON o.opinion_id = s.opinion_id AND o.lead = s.department AND o.answered AND o.not_opinion IS NULL
WHERE s.round_key = $1 AND s.department = $2 ORDER BY s.suggestion_id
"""
"""Its signed suggestions with their answer: the one given on 「留名建议答复」, or else, when it leads the opinion the
suggestion became and answered it on 「意见办理」, that answer and its day (``projections.opinion_answers``)."""
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
       o.answer->>'state' AS opinion_state, o.answer->>'text' AS opinion_answer, o.answered_on AS opinion_answered_on
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
SELECT o.opinion_id, o.source, o.shown, o.theme, o.group_id, o.lead, o.cooperating, o.assigned_on, o.deadline,
       o.reassignment, o.answer, o.review, o.returned_reason, o.published,
       s.answer AS direct_answer, s.answered_on AS direct_answered_on
FROM opinions_view o
LEFT JOIN suggestions_view s
  ON o.source = 'suggestion' AND o.lead = $2 AND s.opinion_id = o.opinion_id AND s.department = $2
     AND s.answer IS NOT NULL
WHERE o.round_key = $1 AND (o.lead = $2 OR o.cooperating ? $2) AND o.not_opinion IS NULL
ORDER BY o.lead <> $2, o.review = 'accepted', o.deadline, coalesce(o.group_id, o.opinion_id), o.opinion_id
LIMIT 2000
"""
"""意见办理: the opinions it leads or co-operates on (承办 first, unanswered and earliest deadline first); only the
redacted text (``shown``), never the source or its signer. An opinion it leads that came from a signed suggestion
it answered on 「留名建议答复」 has that answer (``direct_answer``, first given on ``direct_answered_on``): it counts
as the opinion's answer (``projections.opinion_answers``, the same join). Only the department that wrote it reads
it back: a co-operating department never sees it (a direct answer may greet the signer by name)."""
MOVED_AWAY = """
SELECT o.opinion_id, o.shown, m->>'on' AS moved_on, coalesce(d.name, o.lead) AS now_with
FROM opinions_view o
CROSS JOIN LATERAL (SELECT m FROM jsonb_array_elements(o.moved_from) m WHERE m->>'department' = $2
                    ORDER BY m->>'on' DESC LIMIT 1) last
LEFT JOIN departments_view d ON d.round_key = o.round_key AND d.department = o.lead
WHERE o.round_key = $1 AND o.lead <> $2 AND NOT o.cooperating ? $2 AND o.not_opinion IS NULL
ORDER BY moved_on DESC, o.opinion_id LIMIT 500
"""
"""意见办理's 「已改派给其他部门」: the opinions the organiser moved away from it (改派), to whom and on which day,
only the redacted text; not one it leads or co-operates on again (it is then in the list above)."""
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
