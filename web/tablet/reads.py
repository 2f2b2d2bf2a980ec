"""代表平板的读取 — the SQL of the tablet's screens, over the read models only."""

REPRESENTATIVE = (
    "SELECT name, venue, sitting, credential_serial, revoked FROM representatives_view "
    "WHERE representative_id = $1"
)
ROUND = "SELECT title, instrument, venues, sittings, locked, published FROM rounds_view WHERE round_key = $1"
AGENDA_DEPARTMENTS = (
    "SELECT department, name, short_name, report FROM departments_view "
    "WHERE round_key = $1 AND department = ANY($2::text[])"
)
AGENDA_WINDOWS = (
    "SELECT department, is_open, openings FROM windows_view "
    "WHERE round_key = $1 AND department = ANY($2::text[])"
)
"""The representative's seat (web/tablet/seat.py): their row, the round, their sitting's departments and windows."""

ROUND_STAGE = "SELECT locked, published FROM rounds_view WHERE round_key = $1"
WINDOWS = "SELECT department, is_open, openings FROM windows_view WHERE round_key = $1 ORDER BY department"
"""The window feed (web/tablet/windows.py): whether the round's results are locked (the evaluation is over) and
published, and every window of the round."""

CARD_STATE = "SELECT credential_serial, revoked FROM representatives_view WHERE representative_id = $1"
"""Whether the representative's card was replaced or revoked since sign-in."""

AGENDA_REPORT = (
    "SELECT department, name, report FROM departments_view WHERE round_key = $1 AND department = $2"
)
"""A department's current report, read on the tablet (web/tablet/reports.py) once it is on the seat's agenda."""
