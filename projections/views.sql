-- 读模型 — the read models, rebuilt from the events at any time with identical results.
-- Written only by the projection process (one transaction per batch, with its tracking row);
-- read by the web through asyncpg. Every table is in the schema of the event store.

CREATE TABLE IF NOT EXISTS rounds_view (
    round_key   text PRIMARY KEY,
    title       text NOT NULL,
    instrument  jsonb NOT NULL,          -- Instrument.to_dict()
    categories  jsonb NOT NULL,          -- {key: {"name":, "share":}}
    groups      jsonb NOT NULL,          -- {key: name}
    venues      jsonb NOT NULL,          -- {key: name}
    sittings    jsonb NOT NULL,          -- {key: {"name":, "date":, "half_day":, "agenda": [dept, ...]}}
    components  jsonb NOT NULL,          -- {component: {dept: "score"}}
    revealed    boolean NOT NULL,
    locked      boolean NOT NULL,
    published   boolean NOT NULL,
    position    bigint NOT NULL          -- notification id of the last event applied to this row
);

CREATE TABLE IF NOT EXISTS departments_view (
    round_key       text NOT NULL,
    department      text NOT NULL,
    name            text NOT NULL,
    short_name      text NOT NULL,
    group_key       text NOT NULL,
    head            text NOT NULL,
    report          jsonb,               -- {"title","summary","text","file_sha256","file_name"} or null
    report_revision integer NOT NULL,
    credential_serial integer NOT NULL,  -- serial of its current 部门登录码 (0: none issued yet)
    PRIMARY KEY (round_key, department)
);

CREATE TABLE IF NOT EXISTS windows_view (
    round_key   text NOT NULL,
    department  text NOT NULL,
    is_open     boolean NOT NULL,
    openings    integer NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (round_key, department)
);

CREATE TABLE IF NOT EXISTS representatives_view (
    representative_id uuid PRIMARY KEY,
    round_key         text NOT NULL,
    number            integer NOT NULL,
    name              text NOT NULL,
    category          text NOT NULL,
    venue             text NOT NULL,
    sitting           text NOT NULL,
    phone             text,
    credential_serial integer NOT NULL,
    revoked           boolean NOT NULL,
    checked_in        boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS representatives_view_round ON representatives_view (round_key, sitting, venue);

-- One row per ballot aggregate (per pseudonym and department): its last accepted version.
-- The tables of ballots are partitioned by ballot id, in halves: a bulk rebuild loads and indexes each
-- half in a process of its own (projections.bulk_ballots), and attaches them. A ballot's rows, and all
-- the versions of one ballot, are in the same half.
CREATE TABLE IF NOT EXISTS ballots_view (
    ballot_id   uuid PRIMARY KEY,
    round_key   text NOT NULL,
    department  text NOT NULL,
    category    text NOT NULL,
    venue       text NOT NULL,
    sitting     text NOT NULL,
    choice      text NOT NULL,
    scores      jsonb,
    comment     text NOT NULL,
    receipt     text NOT NULL,
    version     integer NOT NULL,
    voided      boolean NOT NULL,
    counted     boolean NOT NULL,        -- accepted while the window was open and not voided
    position    bigint NOT NULL
) PARTITION BY RANGE (ballot_id);
CREATE TABLE IF NOT EXISTS ballots_view_0 PARTITION OF ballots_view
    FOR VALUES FROM (MINVALUE) TO ('80000000-0000-0000-0000-000000000000');
CREATE TABLE IF NOT EXISTS ballots_view_1 PARTITION OF ballots_view
    FOR VALUES FROM ('80000000-0000-0000-0000-000000000000') TO (MAXVALUE);
CREATE INDEX IF NOT EXISTS ballots_view_department ON ballots_view (round_key, department);

-- 回执: every receipt ever given, one per ballot version; its status is derived by joining ballots_view.
-- Not unique: a receipt is a short keyed hash, and two ballot versions may (rarely) be given the same code.
-- Each row is also its version's line in the history (Ballot.Cast for version 1, Ballot.Amended after):
-- position and at are its event's (at cut to the minute, as the event carries it).
CREATE TABLE IF NOT EXISTS receipts_view (
    receipt     text NOT NULL,
    round_key   text NOT NULL,
    ballot_id   uuid NOT NULL,
    department  text NOT NULL,
    version     integer NOT NULL,
    position    bigint NOT NULL,
    at          timestamptz NOT NULL
) PARTITION BY RANGE (ballot_id);
CREATE TABLE IF NOT EXISTS receipts_view_0 PARTITION OF receipts_view
    FOR VALUES FROM (MINVALUE) TO ('80000000-0000-0000-0000-000000000000');
CREATE TABLE IF NOT EXISTS receipts_view_1 PARTITION OF receipts_view
    FOR VALUES FROM ('80000000-0000-0000-0000-000000000000') TO (MAXVALUE);
CREATE INDEX IF NOT EXISTS receipts_view_receipt ON receipts_view (receipt);
CREATE INDEX IF NOT EXISTS receipts_view_history ON receipts_view (round_key, position);

-- The scoring rule's output per department (projections.scoring.DepartmentTally as JSON) and turnout.
CREATE TABLE IF NOT EXISTS results_view (
    round_key   text NOT NULL,
    department  text NOT NULL,
    group_key   text NOT NULL,
    eligible    integer NOT NULL,
    returned    integer NOT NULL,
    tally       jsonb NOT NULL,
    position    bigint NOT NULL,
    PRIMARY KEY (round_key, department)
);

-- Ranking of each group (projections.ranking.Ranked list as JSON).
CREATE TABLE IF NOT EXISTS rankings_view (
    round_key   text NOT NULL,
    group_key   text NOT NULL,
    ranking     jsonb NOT NULL,
    PRIMARY KEY (round_key, group_key)
);

-- 对账 per venue.
CREATE TABLE IF NOT EXISTS venues_view (
    round_key   text NOT NULL,
    venue       text NOT NULL,
    issued      integer NOT NULL,
    checked_in  integer NOT NULL,
    returned    integer NOT NULL,
    PRIMARY KEY (round_key, venue)
);

CREATE TABLE IF NOT EXISTS suggestions_view (
    suggestion_id uuid PRIMARY KEY,
    round_key     text NOT NULL,
    department    text NOT NULL,
    name          text NOT NULL,
    phone         text,
    text          text NOT NULL,
    answer        text,
    sitting_date  text NOT NULL,
    position      bigint NOT NULL
);

-- 历史: one row per event, for the organiser's filterable history (who, when, why); a ballot's versions
-- (Ballot.Cast, Ballot.Amended) are their receipts_view rows instead (projections.history.history_query).
CREATE TABLE IF NOT EXISTS history_view (
    position    bigint PRIMARY KEY,
    round_key   text NOT NULL,
    department  text,
    kind        text NOT NULL,           -- e.g. "Ballot.Cast", "ScoringWindow.Closed"
    actor       text NOT NULL,           -- "organiser:…", "department:…", or "代表（匿名）" for ballots
    reason      text NOT NULL,
    at          timestamptz NOT NULL,
    summary     text NOT NULL
);
CREATE INDEX IF NOT EXISTS history_view_round ON history_view (round_key, department, kind);

-- Indexes for the organiser's history filters and the
-- department's suggestions. The projection's own position is the row of ``views_tracking`` whose
-- application_name is 'evaluation' (the library's tracking table, written in the same transaction).
CREATE INDEX IF NOT EXISTS history_view_kind ON history_view (round_key, kind, position);
CREATE INDEX IF NOT EXISTS suggestions_view_department ON suggestions_view (round_key, department);

-- 统计 — what autoanalyze samples on the tables that grow with every ballot. Once a minute, autovacuum
-- analysed them one after another for about 1 s (110-290 ms each) on the cores the ballots need: with
-- statistics target 10 (3,000 rows sampled) and none on free text, each analyze took 10-50 ms. The web
-- reads these tables through their indexes.
ALTER TABLE ballots_view ALTER COLUMN ballot_id SET STATISTICS 10, ALTER COLUMN round_key SET STATISTICS 10,
    ALTER COLUMN department SET STATISTICS 10, ALTER COLUMN category SET STATISTICS 10,
    ALTER COLUMN venue SET STATISTICS 10, ALTER COLUMN sitting SET STATISTICS 10,
    ALTER COLUMN choice SET STATISTICS 10, ALTER COLUMN scores SET STATISTICS 0,
    ALTER COLUMN comment SET STATISTICS 0, ALTER COLUMN receipt SET STATISTICS 0,
    ALTER COLUMN version SET STATISTICS 10, ALTER COLUMN voided SET STATISTICS 10,
    ALTER COLUMN counted SET STATISTICS 10, ALTER COLUMN position SET STATISTICS 10;
ALTER TABLE receipts_view ALTER COLUMN receipt SET STATISTICS 10, ALTER COLUMN round_key SET STATISTICS 10,
    ALTER COLUMN ballot_id SET STATISTICS 10, ALTER COLUMN department SET STATISTICS 10,
    ALTER COLUMN version SET STATISTICS 10, ALTER COLUMN position SET STATISTICS 10,
    ALTER COLUMN at SET STATISTICS 10;
ALTER TABLE history_view ALTER COLUMN position SET STATISTICS 10, ALTER COLUMN round_key SET STATISTICS 10,
    ALTER COLUMN department SET STATISTICS 10, ALTER COLUMN kind SET STATISTICS 10,
    ALTER COLUMN actor SET STATISTICS 0, ALTER COLUMN reason SET STATISTICS 0,
    ALTER COLUMN at SET STATISTICS 10, ALTER COLUMN summary SET STATISTICS 0;
