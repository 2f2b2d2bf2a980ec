"""Projections — numbers and views computed from the recorded events.

The rule (computed nowhere else): ``ballot_points`` (a ballot), ``scoring`` (tally), ``ranking`` (groups,
ties), ``recount_rule`` (the auditor's independent second implementation).

The live read models (each table declared once in ``tables``, in ``table_model``'s terms; its DDL made by
``table_ddl``), kept by ``python -m projections.process`` or in-process with ``runner.Projector``:
``projection`` (buffering, batches) → ``fold`` / ``fold_setup`` / ``fold_votes`` (events into ``state`` and
``changes``) → ``batch`` / ``publish`` / ``tally_json`` / ``history`` (rows) → ``view_store`` / ``view_sql``
(one transaction with the tracking row and NOTIFY ``sanmin_views``); ``loading`` restores the state on start.

From the events alone: ``event_log`` (reading through the library), ``recount_fold`` + ``audit``
(``sanmin recount``), ``as_of`` (results at a past position), ``maintenance`` (``sanmin rebuild`` /
``sanmin recount``). Read-time helpers for the web: ``feedback`` + ``keywords`` (意见汇总).
"""
