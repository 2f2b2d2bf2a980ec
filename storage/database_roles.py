"""数据库账号 — the embedded PostgreSQL's sign-in: passwords (SCRAM) and an application role that is no
superuser, so that a local process cannot get in without a password and the platform's own connections
cannot read files (``pg_read_file``), run programs (``COPY … TO PROGRAM``) or change the server.

``secure`` runs at every start, and is idempotent: it creates the role ``sanmin`` if missing, gives it the
database's ``public`` schema and everything in the platform's schemas that the superuser still owns (a data
folder made by an earlier version, whose tables the superuser created), and, if the server still trusts
local connections (``initdb --auth=trust``, the earlier layout), sets the superuser's password and turns
every ``trust`` line of ``pg_hba.conf`` into ``scram-sha-256``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import psycopg
from psycopg import sql

APP_ROLE = "sanmin"
ADMIN_ROLE = "postgres"
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
KINDS = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
TRUST = re.compile(r"^(\s*(?:local|host)\s.*\s)trust(\s*)$", re.MULTILINE)

OWNED_BY_ADMIN = """
SELECT c.relkind, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = %(admin)s)
  AND n.nspname <> ALL(%(system)s) AND n.nspname NOT LIKE 'pg\\_%%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')
                  AND d.classid = 'pg_class'::regclass AND c.relkind = 'S')
ORDER BY c.relkind = 'S'
"""
SCHEMAS_OF_ADMIN = """
SELECT nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = %(admin)s)
  AND nspname <> ALL(%(system)s) AND nspname NOT LIKE 'pg\\_%%'
"""
FUNCTIONS_OF_ADMIN = """
SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = %(admin)s)
  AND n.nspname <> ALL(%(system)s) AND n.nspname NOT LIKE 'pg\\_%%'
"""


def trusts(hba: Path) -> bool:
    return bool(TRUST.search(hba.read_text()))


def secure(hba: Path, port: int, admin_password: str, app_password: str) -> None:
    trusting = trusts(hba)
    url = f"postgresql://{ADMIN_ROLE}{'' if trusting else ':' + admin_password}@127.0.0.1:{port}/postgres"
    with psycopg.connect(url, autocommit=True) as conn:
        if trusting:
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(ADMIN_ROLE), admin_password)
            )
        _ensure_app_role(conn, app_password)
        _hand_over(conn)
        if trusting:
            hba.write_text(TRUST.sub(r"\1scram-sha-256\2", hba.read_text()))
            conn.execute("SELECT pg_reload_conf()")
    if trusting:
        _wait_until_refused(port)


def _ensure_app_role(conn: psycopg.Connection[tuple[object, ...]], password: str) -> None:
    role = sql.Identifier(APP_ROLE)
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone() is None:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(role))
    conn.execute(sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER PASSWORD {}").format(role, password))
    conn.execute(sql.SQL("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE postgres TO {}").format(role))


def _hand_over(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """What the superuser owns in the platform's schemas becomes the application role's."""
    role = sql.Identifier(APP_ROLE)
    names = {"admin": ADMIN_ROLE, "system": list(SYSTEM_SCHEMAS)}
    for (schema,) in conn.execute(SCHEMAS_OF_ADMIN, names).fetchall():
        conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(str(schema)), role))
    conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(role))
    for kind, schema, name in conn.execute(OWNED_BY_ADMIN, names).fetchall():
        what = KINDS[str(kind)]
        target = sql.Identifier(str(schema), str(name))
        conn.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(what), target, role))
    for (function,) in conn.execute(FUNCTIONS_OF_ADMIN, names).fetchall():
        conn.execute(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(str(function)), role))


def _wait_until_refused(port: int, timeout: float = 10.0) -> None:
    """The reload is asynchronous: until a connection without a password is refused."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            psycopg.connect(f"postgresql://{ADMIN_ROLE}@127.0.0.1:{port}/postgres", connect_timeout=2).close()
        except psycopg.OperationalError:
            return
        time.sleep(0.05)
    raise RuntimeError("PostgreSQL still accepts connections without a password")
