"""一条留名建议，一个答复 — when an opinion counts as answered, for every figure of the opinion loop.

A signed suggestion (留名建议) can be answered on two pages: the department it was addressed to answers it on
「留名建议答复」 (``Suggestion.Answered``, read by its signer at once on /opinions/mine), and, once the organiser
has collected it as an opinion and assigned it, its lead department answers that opinion on 「意见办理」
(``Opinion.Answered``, reviewed and published). Both are answers to the one person who asked. So an assigned
opinion that came from a signed suggestion counts as answered when either was given **by the department
that leads it**: a direct answer from a department the organiser later assigned it away from is still read
by the signer, but does not answer for the lead.

The day it was answered is the earlier of the two; a direct answer given before the assignment counts as
given on the day of the assignment (the days to answer are counted from the assignment, never below 0).
Only the opinion's own answer carries a state, so only it can make an opinion 已办结.

``ANSWERED_OPINIONS`` is opinions_view with two more columns, ``answered`` and ``first_answered_on``; the
tracking page (答复率, 逾期, 平均答复天数, its overdue list), the handling figure (``handling_score``) and the
daily digest (``opinion_digest``) all read it, so they agree.
"""

ANSWERED_OPINIONS = """
SELECT o.*, (o.answer IS NOT NULL OR s.suggestion_id IS NOT NULL) AS answered,
       least(o.answered_on, CASE WHEN s.suggestion_id IS NOT NULL THEN greatest(s.answered_on, o.assigned_on) END)
         AS first_answered_on
FROM opinions_view o
LEFT JOIN suggestions_view s
  ON o.source = 'suggestion' AND s.opinion_id = o.opinion_id AND s.department = o.lead AND s.answer IS NOT NULL
"""
"""opinions_view's rows with ``answered`` (its own answer, or its signed suggestion's by its lead) and
``first_answered_on`` (ISO date); use as ``FROM ({ANSWERED_OPINIONS}) o``."""
