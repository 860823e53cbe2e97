//! The embedded store: one SQLite file (bundled SQLite), WAL journal, foreign keys on,
//! versioned schema migrations (rusqlite_migration). Every write runs in one
//! `BEGIN IMMEDIATE` transaction, so concurrent `pools` processes serialise; correctness does
//! not rest on it (issue 9, the contract a PostgreSQL store meets too): every versioned write
//! is a compare-and-swap (`WHERE ... AND version = ?`) whose row count decides (R12), the
//! order has a version of its own, R6 is a rule of the schema (triggers beside the unique
//! keys), and every timestamp is made by the program.

mod checkpoint;
mod home;
mod restore;

use crate::checkpoint::Checkpointer;
use pools_core::audit::Action;
use pools_core::config::{Change, Plan};
use pools_core::error::{Error, READ_ONLY_FS, READ_ONLY_HINT, Result, StoreProblem};
use pools_core::import::{AliasNote, BatchOutcome, ImportId, ImportRow, OnConflict, RowOutcome};
use pools_core::pool::{Pool, PoolName, PoolSpec, SourceSettings, StoredPool};
use pools_core::secret::Secret;
use pools_core::store::{AliasClaim, DeleteOutcome, ImportLock, PoolUsers, Store, UserStatus};
use pools_core::user::{Cursor, LoginUpdate, NewUser, Origin, Page, User, UserFilter};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Schema history. Append only: a released migration is never edited.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
        CREATE TABLE pools (
            name       TEXT PRIMARY KEY,
            position   INTEGER NOT NULL,
            version    INTEGER NOT NULL,
            spec       TEXT NOT NULL,  -- PoolSpec as JSON; secrets as references only (R11)
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) STRICT;

        CREATE TABLE users (
            id            TEXT PRIMARY KEY,
            identifier    TEXT NOT NULL,          -- as typed, for display (R6)
            ident_key     TEXT NOT NULL UNIQUE,   -- NFC, trimmed, case-folded (R6)
            origin        TEXT NOT NULL CHECK (origin IN ('native', 'migrated', 'shadow')),
            pool          TEXT,                   -- owning or originating pool; kept after it is deleted (R3)
            external_id   TEXT,
            tenant_id     TEXT,
            tenant_how    TEXT,
            profile       TEXT NOT NULL DEFAULT '{}',
            metadata      TEXT NOT NULL DEFAULT '{}',
            enabled       INTEGER NOT NULL DEFAULT 1,
            password_hash TEXT,
            created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            migrated_at   TEXT,
            last_login_at TEXT,
            version       INTEGER NOT NULL DEFAULT 1
        ) STRICT, WITHOUT ROWID; -- clustered by the time-ordered ID: one B-tree less per insert
        CREATE INDEX users_by_pool ON users (pool, origin);

        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;
        "#,
        ),
        // Tenants made by `auto` (R4), recorded with the user they were made for.
        M::up(
            r#"
        CREATE TABLE tenants (
            id         TEXT PRIMARY KEY,
            pool       TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) STRICT;

        -- Other login names of a user (e.g. a Keycloak username beside the email): one
        -- identifier key, one user (R6).
        CREATE TABLE user_aliases (
            alias_key TEXT PRIMARY KEY,
            user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE
        ) STRICT;
        "#,
        ),
        // Bulk import (R17): where each imported user came from, and how far each import got.
        M::up(
            r#"
        -- Bulk imports write millions of rows; this index cost a B-tree insert per row for
        -- queries (status, delete) that scan in well under a second anyway.
        DROP INDEX users_by_pool;
        ALTER TABLE users ADD COLUMN imported_at TEXT;
        ALTER TABLE users ADD COLUMN import_line INTEGER;
        ALTER TABLE users ADD COLUMN import_source TEXT;  -- the export's identity (path, size, mtime)
        CREATE TABLE imports (
            pool       TEXT NOT NULL,
            source     TEXT NOT NULL,   -- the export file's identity: path and size
            last_line  INTEGER NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (pool, source)
        ) STRICT;
        "#,
        ),
        // The users table rebuilt for bulk imports (measured on 1M rows, bench/import):
        // - `origin IN (...)` built a temporary B-tree on every insert (a third of the
        //   writer's time); equalities don't, and SQLite cannot alter a CHECK in place;
        // - a rowid table: rows of ~600 bytes append at its right edge cheaply, where a
        //   WITHOUT ROWID table rebalanced three pages at each split (a fifth of the rest).
        // - each imported user names its import by number, not by the source's path text.
        // Runs with foreign keys off (see `open`), so dropping the old table keeps the aliases.
        M::up(
            r#"
        CREATE TABLE imports_new (
            id         INTEGER PRIMARY KEY,
            pool       TEXT NOT NULL,
            source     TEXT NOT NULL,   -- the export file's identity: path, size and mtime
            last_line  INTEGER NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            UNIQUE (pool, source)
        ) STRICT;
        INSERT INTO imports_new (pool, source, last_line, updated_at)
            SELECT pool, source, last_line, updated_at FROM imports;
        DROP TABLE imports;
        ALTER TABLE imports_new RENAME TO imports;

        CREATE TABLE users_new (
            id            TEXT PRIMARY KEY,
            identifier    TEXT NOT NULL,          -- as typed, for display (R6)
            ident_key     TEXT NOT NULL UNIQUE,   -- NFC, trimmed, case-folded (R6)
            origin        TEXT NOT NULL
                          CHECK (origin = 'native' OR origin = 'migrated' OR origin = 'shadow'),
            pool          TEXT,                   -- owning or originating pool; kept after it is deleted (R3)
            external_id   TEXT,
            tenant_id     TEXT,
            tenant_how    TEXT,
            profile       TEXT NOT NULL DEFAULT '{}',
            metadata      TEXT NOT NULL DEFAULT '{}',
            enabled       INTEGER NOT NULL DEFAULT 1,
            password_hash TEXT,
            created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            migrated_at   TEXT,
            last_login_at TEXT,
            version       INTEGER NOT NULL DEFAULT 1,
            imported_at   TEXT,
            import_line   INTEGER,
            import_id     INTEGER                 -- imports.id (not a declared key: no lookup per row)
        ) STRICT;
        INSERT INTO users_new
            SELECT id, identifier, ident_key, origin, pool, external_id, tenant_id, tenant_how,
                   profile, metadata, enabled, password_hash, created_at, migrated_at,
                   last_login_at, version, imported_at, import_line,
                   (SELECT i.id FROM imports i WHERE i.pool = u.pool AND i.source = u.import_source)
            FROM users u;
        DROP TABLE users;
        ALTER TABLE users_new RENAME TO users;
        "#,
        )
        .foreign_key_check(),
        // Re-runs of an import: which run last met each user, so the first record of an
        // identifier in a run finds it already imported and a later one is a duplicate
        // (lines cannot tell: a one-line JSON array has every record on line 1).
        M::up(
            r#"
        ALTER TABLE imports ADD COLUMN runs INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN import_run INTEGER;
        "#,
        ),
        // R17: a pool's source user ID names one local user (a rename at the source keeps
        // the user): `source_keys` maps it to that user, its primary key enforcing the rule.
        // A separate table rather than a unique index on users: random source IDs inserted
        // batch by batch dirtied most of that index's leaf pages at every commit (bulk import
        // of 1M users took 4x as long). Import rows are keyed when their run is settled
        // (`import_settle`, one sorted insert; `imports.settled_run` is the last run settled),
        // found until then through `users_by_import`. Stores written before may hold two users
        // of one source user: the newer of each is marked `duplicate_of` the oldest (doctor
        // reports it) and not keyed, so this migration never fails on them. The scan index is
        // for this step only. (Migration 7 replaces `settled_run` and `users_by_import`.)
        M::up(
            r#"
        ALTER TABLE users ADD COLUMN duplicate_of TEXT;
        ALTER TABLE imports ADD COLUMN settled_run INTEGER NOT NULL DEFAULT 0;
        UPDATE imports SET settled_run = runs;
        CREATE INDEX users_source_scan ON users (pool, external_id, created_at, id)
            WHERE external_id IS NOT NULL;
        UPDATE users SET duplicate_of = (
                SELECT o.id FROM users o
                WHERE o.pool = users.pool AND o.external_id = users.external_id
                ORDER BY o.created_at, o.id LIMIT 1)
            WHERE external_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM users o
                WHERE o.pool = users.pool AND o.external_id = users.external_id
                  AND (o.created_at, o.id) < (users.created_at, users.id));
        CREATE TABLE source_keys (
            pool        TEXT NOT NULL,
            external_id TEXT NOT NULL,
            user_id     TEXT NOT NULL,     -- users.id (not a declared key: no index to keep)
            PRIMARY KEY (pool, external_id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO source_keys (pool, external_id, user_id)
            SELECT pool, external_id, id FROM users
            WHERE pool IS NOT NULL AND external_id IS NOT NULL AND duplicate_of IS NULL
            ORDER BY pool, external_id;
        DROP INDEX users_source_scan;
        CREATE INDEX users_by_import ON users (import_id) WHERE import_id IS NOT NULL;
        "#,
        ),
        // R17, bench/import: the users rows an import wrote and did not settle yet are named
        // in `unsettled`, one row per batch: the batch's new users are consecutive rows (one
        // transaction appends them), so a range of rowids names them at no cost per row.
        // Settling reads them by rowid (a sequential scan of what the batches just wrote),
        // sorts their keys and empties the table. Measured on 1M users against a side table
        // of each row's key (80 MB more to write and checkpoint) and the `users_by_import`
        // index (a B-tree insert per row, and settling found the rows through it): see
        // bench/README.md. Pending is now "in a range", not a run counter: an import settling
        // beside a running one no longer marks the other's later rows settled unkeyed. Named
        // here: every imported user with a source user ID and no key of its own (a killed
        // run's, whatever its counters say), in ranges of consecutive rows of one pool.
        M::up(
            r#"
        CREATE TABLE unsettled (
            pool           TEXT NOT NULL,
            first_row      INTEGER NOT NULL,  -- users.rowid of the batch's first new user
            last_row       INTEGER NOT NULL,  -- and of its last
            first_id       TEXT NOT NULL,     -- users.id of those two rows: a VACUUM may
            last_id        TEXT NOT NULL,     --   renumber rowids (see `pending_rows`)
            with_source_id INTEGER NOT NULL   -- users among them with a source user ID
        ) STRICT;
        INSERT INTO unsettled (pool, first_row, last_row, first_id, last_id, with_source_id)
            SELECT g.pool, g.lo, g.hi, (SELECT id FROM users WHERE rowid = g.lo),
                   (SELECT id FROM users WHERE rowid = g.hi), g.n
            FROM (SELECT pool, min(r) AS lo, max(r) AS hi, count(*) AS n
                  FROM (SELECT u.pool, u.rowid AS r,
                               u.rowid - row_number() OVER (PARTITION BY u.pool ORDER BY u.rowid)
                                   AS island
                        FROM users u
                        WHERE u.import_id IS NOT NULL AND u.pool IS NOT NULL
                          AND u.external_id IS NOT NULL AND u.duplicate_of IS NULL
                          AND NOT EXISTS (SELECT 1 FROM source_keys k
                                          WHERE k.pool = u.pool AND k.external_id = u.external_id
                                            AND k.user_id = u.id))
                  GROUP BY pool, island) g
            ORDER BY g.lo;
        DROP INDEX users_by_import;
        ALTER TABLE imports DROP COLUMN settled_run;
        "#,
        ),
        // R6: a name a user's source lists that the user did not get, because another person
        // holds it or lists it too (two records of one file, two files imported into one pool,
        // two pools). Kept so that `doctor` reports the pair whichever files the pools read
        // now, and so that no login hands the name to either of them later.
        M::up(
            r#"
        CREATE TABLE alias_claims (
            alias_key TEXT NOT NULL,
            user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            alias     TEXT NOT NULL,   -- as the user's source spells it
            PRIMARY KEY (alias_key, user_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX alias_claims_by_user ON alias_claims (user_id);
        "#,
        ),
        // R12: an exported document names the order it was read at, and a pool's versions
        // go on counting after it is deleted, so a document read before a `reorder`, a new
        // pool or a delete and re-create is refused instead of undoing them.
        M::up(
            r#"
        CREATE TABLE pool_order (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL  -- counts changes to the order: moves, pools added, removed
        ) STRICT;
        INSERT INTO pool_order (id, version) VALUES (1, 1);
        CREATE TABLE deleted_pools (
            name         TEXT PRIMARY KEY,
            last_version INTEGER NOT NULL  -- a pool created again under the name goes on from it
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        // The audit log (pools_core::audit): each entry written in its change's transaction.
        M::up(
            r#"
        CREATE TABLE audit (
            seq    INTEGER PRIMARY KEY,
            at     TEXT NOT NULL,   -- RFC 3339 UTC, made by the program
            actor  TEXT NOT NULL,
            action TEXT NOT NULL,
            pool   TEXT,
            target TEXT NOT NULL,
            before TEXT,            -- JSON without secrets (R11)
            after  TEXT
        ) STRICT;
        CREATE INDEX audit_by_pool ON audit (pool, seq);
        "#,
        ),
        // The request each audit entry belongs to (pools_core::audit::Op): NULL for entries
        // written before.
        M::up("ALTER TABLE audit ADD COLUMN request_id TEXT;"),
        // Correct on any database (issue 9), in three parts (`IF NOT EXISTS`: a store taken back
        // to an older schema by hand, as tests do, keeps these objects).
        // R6 as the schema's rule, not only the program's: an identifier key and an alias key
        // are one name space, each name one user's. SQLite keeps the identifier keys' unique
        // index and `user_aliases` (a table of both kinds of key would cost bulk imports a
        // second B-tree insert per row, bench/import) and refuses, in the writer's own
        // statement, a key of one kind that another user holds as the other. A store written
        // before that holds such a pair loses the alias (a person's own identifier wins,
        // R6), recorded as claimed so that `doctor` reports it. The triggers RAISE(FAIL), and
        // the writes of users are `INSERT OR FAIL`: a single-row statement that may abort
        // keeps a statement journal beside a trigger, a write of it per row (bench/import
        // took 40% longer); failing before the row is written leaves nothing to undo.
        // Import batches idempotent by (run, seq): a retried batch answers what it did.
        // (Import IDs, `ImportId`: an export file's import is named by host and path now; an
        // import recorded before under its path alone takes the new ID at its next run, see
        // `import_start`.)
        M::up(
            r#"
        INSERT OR IGNORE INTO alias_claims (alias_key, user_id, alias)
            SELECT a.alias_key, a.user_id, a.alias_key FROM user_aliases a
            WHERE EXISTS (SELECT 1 FROM users u WHERE u.ident_key = a.alias_key AND u.id <> a.user_id);
        DELETE FROM user_aliases
            WHERE EXISTS (SELECT 1 FROM users u
                          WHERE u.ident_key = user_aliases.alias_key AND u.id <> user_aliases.user_id);
        CREATE TRIGGER IF NOT EXISTS r6_identifier_insert BEFORE INSERT ON users
            WHEN EXISTS (SELECT 1 FROM user_aliases WHERE alias_key = NEW.ident_key AND user_id <> NEW.id)
            BEGIN SELECT RAISE(FAIL, 'R6: identifier key is another user''s alias'); END;
        CREATE TRIGGER IF NOT EXISTS r6_identifier_update BEFORE UPDATE OF ident_key ON users
            WHEN EXISTS (SELECT 1 FROM user_aliases WHERE alias_key = NEW.ident_key AND user_id <> NEW.id)
            BEGIN SELECT RAISE(FAIL, 'R6: identifier key is another user''s alias'); END;
        CREATE TRIGGER IF NOT EXISTS r6_alias_insert BEFORE INSERT ON user_aliases
            WHEN EXISTS (SELECT 1 FROM users WHERE ident_key = NEW.alias_key AND id <> NEW.user_id)
            BEGIN SELECT RAISE(FAIL, 'R6: alias key is another user''s identifier'); END;
        CREATE TRIGGER IF NOT EXISTS r6_alias_update BEFORE UPDATE ON user_aliases
            WHEN EXISTS (SELECT 1 FROM users WHERE ident_key = NEW.alias_key AND id <> NEW.user_id)
            BEGIN SELECT RAISE(FAIL, 'R6: alias key is another user''s identifier'); END;

        CREATE TABLE IF NOT EXISTS import_batches (
            import_id INTEGER NOT NULL,   -- imports.id
            run       INTEGER NOT NULL,
            seq       INTEGER NOT NULL,   -- the batch's number in its run
            outcome   TEXT NOT NULL,      -- what it answered (JSON, see `record_batch`)
            PRIMARY KEY (import_id, run, seq)
        ) STRICT, WITHOUT ROWID;
        "#,
        ),
        // The environment server's bearer tokens (issue 11): their SHA-256 digests only. A
        // name is one live token's; revoked tokens stay, for the record. (`IF NOT EXISTS`:
        // a store taken back to an older schema by hand keeps them.)
        M::up(
            r#"
        CREATE TABLE IF NOT EXISTS api_tokens (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            role       TEXT NOT NULL,
            digest     TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
        "#,
        ),
    ])
}

/// Page cache, KiB: bulk imports touch the identifier index all over.
const CACHE_KIB: i64 = 16384;

/// Prepared statements a connection keeps (rusqlite keeps 16 by default): an import batch
/// alone runs more than that per row, and one evicted is prepared again at its next use.
const STATEMENT_CACHE: usize = 64;

/// Page cache while settling an import, KiB (see [`Store::import_settle`]): the sorter's
/// in-memory runs are as large. Measured on 1M users (bench/import): with a helper thread,
/// which doubles the runs held, 2 MiB sorted as fast as 4 MiB, whose peak RSS was 8 MiB
/// higher.
const SETTLE_CACHE_KIB: i64 = 2048;

/// Helper threads of SQLite's sorter while settling an import: by then the import's reading
/// thread has finished, and sorting on both cores took a tenth to a quarter less time
/// (bench/README.md).
const SETTLE_SORT_THREADS: i64 = 1;

/// The schema version this binary writes: the number of migrations.
const SCHEMA_VERSION: i64 = 13;

fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Refuses files that are not pools stores, or are from a newer pools.
fn check_schema(conn: &Connection, shown: &str) -> Result<()> {
    let err = |source| store_error(shown.to_owned(), source);
    // One statement, one snapshot: read apart, a first use racing this one could commit its
    // schema between the two reads and make a new store look like another application's.
    let (version, tables): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_master WHERE type = 'table')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| match e.sqlite_error_code() {
            // The operator named the wrong file: an input error, like another application's
            // database below.
            Some(rusqlite::ErrorCode::NotADatabase) => {
                let problem = StoreProblem::NotADatabase;
                let refusal = Error::invalid("store", format!("{shown} is {problem}"));
                match problem.hint() {
                    Some(h) => refusal.with_hint(h),
                    None => refusal,
                }
            }
            _ => err(e),
        })?;
    if version > SCHEMA_VERSION {
        return Err(Error::invalid(
            "store",
            format!("{shown} was written by a newer pools (schema {version}; this binary knows {SCHEMA_VERSION})"),
        )
        .with_hint("upgrade pools, or point --store at another file"));
    }
    if version == 0 && tables > 0 {
        return Err(Error::invalid(
            "store",
            format!("{shown} is a SQLite database of another application (it has tables but no pools schema)"),
        )
        .with_hint("point --store (or POOLS_STORE) at a new file; pools creates it"));
    }
    Ok(())
}

/// The query of [`Store::users_page`]: one range of the identifier key's unique index
/// (`ident_key > ?3`, in its order), so a page deep in a store of millions costs what the
/// first does. Two texts rather than `?3 IS NULL OR ident_key > ?3`, which the planner cannot
/// turn into a range. `?4` is the limit (negative: none).
fn users_page_sql(after: bool) -> String {
    format!(
        "SELECT {USER_COLUMNS} FROM users
         WHERE (?1 IS NULL OR pool = ?1) AND (?2 IS NULL OR origin = ?2) AND {}
         ORDER BY ident_key LIMIT ?4",
        if after {
            "ident_key > ?3"
        } else {
            "?3 IS NULL"
        }
    )
}

/// The parameters of a page's query (`users_page_sql`): pool, origin, the key after which it
/// starts, and how many rows to fetch: one past the limit, which tells whether a next page
/// exists (SQLite reads a negative LIMIT as none).
fn page_params<'a>(
    filter: &'a UserFilter,
    page: &'a Page,
) -> (Option<&'a str>, Option<&'static str>, Option<&'a str>, i64) {
    let fetch = page.limit.map_or(-1, |n| {
        i64::try_from(n).unwrap_or(i64::MAX).saturating_add(1)
    });
    (
        filter.pool.as_deref(),
        filter.origin.map(Origin::as_str),
        page.after.as_deref(),
        fetch,
    )
}

/// Gives `each` the users of `rows` (fetched with [`page_params`]) up to the page's limit;
/// returns the cursor after the last one given when the row past the limit shows that users
/// are left.
fn paged(
    rows: impl Iterator<Item = rusqlite::Result<User>>,
    page: &Page,
    err: &impl Fn(rusqlite::Error) -> Error,
    each: &mut dyn FnMut(User) -> Result<()>,
) -> Result<Option<Cursor>> {
    let mut last: Option<String> = None;
    for (given, row) in (0u64..).zip(rows) {
        let user = row.map_err(err)?;
        if page.limit == Some(given) {
            return Ok(last.map(Cursor));
        }
        last = Some(user.key.clone());
        each(user)?;
    }
    Ok(None)
}

const USER_COLUMNS: &str = "id, identifier, ident_key, origin, pool, external_id, tenant_id, tenant_how, profile, metadata, enabled, password_hash, created_at, migrated_at, last_login_at, version, imported_at, import_line, (SELECT source FROM imports WHERE imports.id = users.import_id), import_run";

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    // A document an older version stored beyond today's limits (e.g. nested past serde_json's
    // 128 levels) reads as empty and is named in `unreadable`: one bad row must not make the
    // store unreadable for every user. The stored text stays as it is.
    let mut unreadable = Vec::new();
    let mut json = |i: usize, name: &str| -> rusqlite::Result<Map<String, Value>> {
        let text: String = r.get(i)?;
        Ok(serde_json::from_str(&text).unwrap_or_else(|e| {
            unreadable.push(format!("{name}: {e}"));
            Map::new()
        }))
    };
    let profile = json(8, "profile")?;
    let metadata = json(9, "metadata")?;
    let origin: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        identifier: r.get(1)?,
        key: r.get(2)?,
        origin: Origin::parse(&origin).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?,
        pool: r.get(4)?,
        external_id: r.get(5)?,
        tenant_id: r.get(6)?,
        tenant_resolution: r.get(7)?,
        profile,
        metadata,
        enabled: r.get(10)?,
        password_hash: r.get::<_, Option<String>>(11)?.map(Secret::new),
        created_at: r.get(12)?,
        migrated_at: r.get(13)?,
        last_login_at: r.get(14)?,
        version: r.get::<_, i64>(15)? as u64,
        imported_at: r.get(16)?,
        import_line: r.get::<_, Option<i64>>(17)?.map(|l| l as u64),
        import_source: r.get(18)?,
        import_run: r.get::<_, Option<i64>>(19)?.map(|n| n as u64),
        unreadable,
    })
}

/// A user by identifier key or alias key.
const BY_KEY: &str =
    "ident_key = ?1 OR id = (SELECT user_id FROM user_aliases WHERE alias_key = ?1)";

/// The ID of the user `source_keys` maps `pool`'s source user ID `external_id` to.
fn keyed_user(
    conn: &Connection,
    pool: &str,
    external_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT user_id FROM source_keys WHERE pool = ?1 AND external_id = ?2")?
        .query_row([pool, external_id], |r| r.get(0))
        .optional()
}

/// Imported users (`u`) pending a source key, as named by `unsettled` (migration 7).
const PENDING_IN_RANGES: &str =
    "unsettled r JOIN users u ON u.rowid BETWEEN r.first_row AND r.last_row
     WHERE u.pool IS NOT NULL AND u.external_id IS NOT NULL AND u.duplicate_of IS NULL";

/// Imported users (`u`) pending a source key, found without `unsettled`: every imported user
/// with a source user ID and no key of its own (a full scan of users).
const PENDING_BY_SCAN: &str = "users u
     WHERE u.import_id IS NOT NULL AND u.pool IS NOT NULL
       AND u.external_id IS NOT NULL AND u.duplicate_of IS NULL
       AND NOT EXISTS (SELECT 1 FROM source_keys k
                       WHERE k.pool = u.pool AND k.external_id = u.external_id
                         AND k.user_id = u.id)";

/// Where the imported users pending a source key are (a `FROM` and `WHERE` clause naming
/// them `u`): the ranges of `unsettled`, or, when their end rows no longer carry the IDs
/// they were written with (SQLite's VACUUM may renumber the rowids of a table without an
/// INTEGER PRIMARY KEY; pools never runs one), the full scan, so none is ever missed.
fn pending_rows(conn: &Connection) -> rusqlite::Result<(&'static str, bool)> {
    let hold: bool = conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM unsettled r
                 WHERE (SELECT id FROM users WHERE rowid = r.first_row) IS NOT r.first_id
                    OR (SELECT id FROM users WHERE rowid = r.last_row) IS NOT r.last_id)",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(if hold {
        (PENDING_IN_RANGES, true)
    } else {
        (PENDING_BY_SCAN, false)
    })
}

/// The user of `pool` with source user ID `external_id`: the keyed one, else (only while
/// imported rows are unsettled) the first such row written, the one settling will key (R17).
/// The pending rows are scanned (see migration 7): a login meets them only during an import
/// or after a killed one.
fn user_by_source(
    conn: &Connection,
    pool: &str,
    external_id: &str,
) -> rusqlite::Result<Option<User>> {
    let id = match keyed_user(conn, pool, external_id)? {
        Some(id) => Some(id),
        None => {
            let (pending, _) = pending_rows(conn)?;
            conn.prepare_cached(&format!(
                "SELECT u.id FROM {pending} AND u.pool = ?1 AND u.external_id = ?2
                 ORDER BY u.rowid LIMIT 1"
            ))?
            .query_row([pool, external_id], |r| r.get(0))
            .optional()?
        }
    };
    match id {
        Some(id) => user_where(conn, "id = ?1", &id),
        // A store written before Auth0 IDs were normalised at reading holds the short form.
        None => match pools_core::source_id::legacy_auth0(external_id) {
            Some(short) => user_by_source(conn, pool, short),
            None => Ok(None),
        },
    }
}

/// The users one import batch inserted: consecutive rows, as one transaction appends them.
#[derive(Default)]
struct NewRows {
    /// rowids of the first and of the last.
    ends: Option<(i64, i64)>,
    /// How many have a source user ID.
    with_source_id: i64,
}

impl NewRows {
    fn add(&mut self, rowid: i64, has_source_id: bool) {
        let first = self.ends.map_or(rowid, |(first, _)| first);
        self.ends = Some((first, rowid));
        self.with_source_id += i64::from(has_source_id);
    }

    /// Names them pending a source key (R17) in `unsettled`, when any needs one.
    fn name_pending(&self, tx: &Connection, pool: &str) -> rusqlite::Result<()> {
        if let Some((first, last)) = self.ends
            && self.with_source_id > 0
        {
            tx.execute(
                "INSERT INTO unsettled (pool, first_row, last_row, first_id, last_id, with_source_id)
                 VALUES (?1, ?2, ?3, (SELECT id FROM users WHERE rowid = ?2),
                         (SELECT id FROM users WHERE rowid = ?3), ?4)",
                params![pool, first, last, self.with_source_id],
            )?;
        }
        Ok(())
    }
}

fn user_where(conn: &Connection, clause: &str, param: &str) -> rusqlite::Result<Option<User>> {
    // Cached: an import (a dry run above all) looks users up row by row, and preparing
    // this statement cost more than running it (issue 8, F21).
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE {clause}"))?
        .query_row([param], user_from_row)
        .optional()
}

/// Gives `user` the identifier and aliases of `identity` (R6, R17): the old names stop finding
/// it; an alias another user holds is left out.
/// Errors: `Conflict` when the new identifier is another user's identifier or alias.
fn rename_user(
    tx: &Connection,
    user: &User,
    identity: &pools_core::user::Identity,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let key = pools_core::identifier::key(&identity.identifier);
    if let Some(other) = user_where(tx, BY_KEY, &key).map_err(err)?
        && other.id != user.id
    {
        return Err(Error::Conflict {
            message: format!(
                "'{}' is already {}: user {} cannot take it; nothing was written (R6)",
                identity.identifier,
                other.describe(),
                user.id
            ),
            hint: Some("run `pools doctor` to see the collision".into()),
        });
    }
    tx.execute("DELETE FROM user_aliases WHERE user_id = ?1", [&user.id])
        .map_err(err)?;
    tx.execute(
        "UPDATE users SET identifier = ?2, ident_key = ?3 WHERE id = ?1",
        params![user.id, identity.identifier.trim(), key],
    )
    .map_err(err)?;
    for a in &identity.aliases {
        let k = pools_core::identifier::key(a);
        if !k.is_empty() && k != key && user_where(tx, BY_KEY, &k).map_err(err)?.is_none() {
            tx.execute(
                "INSERT OR IGNORE INTO user_aliases (alias_key, user_id) VALUES (?1, ?2)",
                params![k, user.id],
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

/// The user whose identifier or alias `key` is.
fn name_holder(tx: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached(
        "SELECT id FROM users WHERE ident_key = ?1
         UNION ALL SELECT user_id FROM user_aliases WHERE alias_key = ?1 LIMIT 1",
    )?
    .query_row([key], |r| r.get(0))
    .optional()
}

/// Records that user `id` lists `alias` (key `key`) and does not hold it: another person
/// holds it or lists it too (R6). `doctor` reports it, and no login gives it to the user.
fn claim_alias(tx: &Connection, key: &str, id: &str, alias: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO alias_claims (alias_key, user_id, alias) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![key, id, alias.trim()])?;
    Ok(())
}

/// Gives the user `id` of `pool`, written from import row `row`, the row's aliases that are
/// no other user's name; each other one is left out, recorded as claimed ([`claim_alias`])
/// and returned as a note (R6): an import never drops a name silently. An alias another
/// source user of the same pool holds as an alias (a file imported before) is taken from
/// it too, as for two records of one file: a name two source users hold is nobody's.
fn add_row_aliases(
    tx: &Connection,
    row: &ImportRow,
    pool: &str,
    id: &str,
) -> rusqlite::Result<Vec<AliasNote>> {
    let mut notes = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for shared in &row.shared_aliases {
        notes.push(AliasNote::shared(shared));
        claim_alias(tx, &shared.key, id, &shared.alias)?;
        done.push(shared.key.clone());
    }
    for a in &row.aliases {
        let k = pools_core::identifier::key(a);
        if k.is_empty() || k == row.key || done.contains(&k) {
            continue;
        }
        let claimed: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM alias_claims WHERE alias_key = ?1 AND user_id <> ?2)",
            )?
            .query_row(params![k, id], |r| r.get(0))?;
        match name_holder(tx, &k)? {
            None if claimed => {
                claim_alias(tx, &k, id, a)?;
                notes.push(AliasNote::disputed(a));
            }
            None => {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO user_aliases (alias_key, user_id) VALUES (?1, ?2)",
                )?
                .execute(params![k, id])?;
            }
            Some(holder) if holder == id => {}
            Some(holder) => {
                if let Some(other) = user_where(tx, "id = ?1", &holder)? {
                    claim_alias(tx, &k, id, a)?;
                    if other.key != k && pools_core::import::shares_pool_alias(&other, row, pool) {
                        tx.prepare_cached("DELETE FROM user_aliases WHERE alias_key = ?1")?
                            .execute([&k])?;
                        claim_alias(tx, &k, &other.id, a)?;
                        notes.push(AliasNote::taken_from(a, &other.describe()));
                    } else {
                        notes.push(AliasNote::taken(a, other.key == k, &other.describe()));
                    }
                }
            }
        }
        done.push(k);
    }
    Ok(notes)
}

/// Takes each alias of `row` that an earlier record of the file lists too
/// ([`ImportRow::shared_aliases`]) from the user of `pool` who holds it as an alias, another
/// source user than the row's (the one written from that earlier record, or migrated by a
/// login before): a name two source users hold is nobody's (R6), whichever row landed first.
/// Runs for every row, whatever its outcome, so a re-run also repairs a store written before.
/// A native user's or another pool's name is left alone (the row does not take it either).
fn release_shared_aliases(
    tx: &Connection,
    row: &ImportRow,
    pool: &str,
) -> rusqlite::Result<Vec<AliasNote>> {
    let mut notes = Vec::new();
    for shared in &row.shared_aliases {
        let holder: Option<String> = tx
            .prepare_cached("SELECT user_id FROM user_aliases WHERE alias_key = ?1")?
            .query_row([&shared.key], |r| r.get(0))
            .optional()?;
        let Some(holder) = holder else { continue };
        let Some(user) = user_where(tx, "id = ?1", &holder)? else {
            continue;
        };
        if pools_core::import::shares_pool_alias(&user, row, pool) {
            tx.prepare_cached("DELETE FROM user_aliases WHERE alias_key = ?1")?
                .execute([&shared.key])?;
            claim_alias(tx, &shared.key, &user.id, &shared.alias)?;
            notes.push(AliasNote::taken_back(shared, &user.describe()));
        }
    }
    Ok(notes)
}

/// A batch an import committed before ([`Store::import_batch`]): what it answered.
struct CommittedBatch {
    /// Rows it held.
    rows: usize,
    outcome: BatchOutcome,
}

impl CommittedBatch {
    /// The answer to a retry of the batch with `rows` rows: the first outcome.
    /// Errors: `Conflict` when the retry holds another number of rows (another batch sent
    /// under the same number: a client's fault).
    fn answer(self, rows: usize, run: u64, seq: u64) -> Result<BatchOutcome> {
        if rows != self.rows {
            return Err(Error::Conflict {
                message: format!(
                    "batch {seq} of import run {run} was committed with {} rows, and is sent again with {rows}; nothing was written (R12)",
                    self.rows
                ),
                hint: Some("send a batch again only as it was first sent".into()),
            });
        }
        Ok(self.outcome)
    }
}

/// The batch `seq` of run `run` of import `import_id`, when it was committed: kept as the
/// number of rows, the outcomes other than `imported` by row index, and the alias notes
/// (a clean batch of thousands of rows is a few bytes).
fn committed_batch(
    tx: &Connection,
    import_id: i64,
    run: u64,
    seq: u64,
) -> rusqlite::Result<Option<CommittedBatch>> {
    let text: Option<String> = tx
        .prepare_cached(
            "SELECT outcome FROM import_batches WHERE import_id = ?1 AND run = ?2 AND seq = ?3",
        )?
        .query_row(params![import_id, run as i64, seq as i64], |r| r.get(0))
        .optional()?;
    let Some(text) = text else { return Ok(None) };
    let unreadable = |e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    };
    let mut doc: Value = serde_json::from_str(&text).map_err(unreadable)?;
    let rows = doc["rows"].as_u64().unwrap_or(0) as usize;
    let others: Vec<(usize, RowOutcome)> =
        serde_json::from_value(doc["others"].take()).map_err(unreadable)?;
    let aliases: Vec<(usize, AliasNote)> =
        serde_json::from_value(doc["aliases"].take()).map_err(unreadable)?;
    let mut outcomes = vec![RowOutcome::Imported; rows];
    for (i, o) in others {
        if let Some(slot) = outcomes.get_mut(i) {
            *slot = o;
        }
    }
    Ok(Some(CommittedBatch {
        rows,
        outcome: BatchOutcome {
            rows: outcomes,
            aliases,
        },
    }))
}

/// Keeps what batch `seq` of run `run` of import `import_id` answered, in its transaction
/// (see [`committed_batch`]).
fn record_batch(
    tx: &Connection,
    import_id: i64,
    run: u64,
    seq: u64,
    outcome: &BatchOutcome,
) -> rusqlite::Result<()> {
    let others: Vec<(usize, &RowOutcome)> = outcome
        .rows
        .iter()
        .enumerate()
        .filter(|(_, o)| **o != RowOutcome::Imported)
        .collect();
    let doc = serde_json::json!({
        "rows": outcome.rows.len(),
        "others": others,
        "aliases": outcome.aliases,
    });
    tx.prepare_cached(
        "INSERT INTO import_batches (import_id, run, seq, outcome) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![import_id, run as i64, seq as i64, doc.to_string()])?;
    Ok(())
}

fn user_not_found(id: &str) -> Error {
    Error::NotFound {
        what: format!("user {id}"),
        hint: Some("run `pools users list`".into()),
    }
}

fn user_stale(u: &User, expected: u64) -> Error {
    Error::Conflict {
        message: format!(
            "user '{}' changed since it was read (version {expected} expected, store has {}); nothing was written (R12)",
            u.identifier, u.version
        ),
        hint: Some("read it again and retry".into()),
    }
}

/// How long a connection waits for another process's lock before the store is busy
/// ([`StoreProblem::Busy`], exit 8).
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// The embedded SQLite store.
pub struct SqliteStore {
    /// Running while an import writes (declared first: stopped before `conn` closes).
    checkpointer: Option<Checkpointer>,
    conn: Connection,
    path: PathBuf,
    /// The canonical path of the store's file ([`home`]): the one name every process that
    /// opened it uses, which keys the import lock.
    home: PathBuf,
    /// Who the audit log names for this connection's changes, and their request.
    actor: pools_core::audit::Op,
    /// The environment ID the store had when this open found it to be a copy (see `home`).
    copied_from: Option<String>,
    /// The pools and the API tokens as last read, while the store is unchanged: a server
    /// reads both at every request (the tokens to authorise it).
    kept: std::cell::RefCell<Kept>,
}

/// Reads kept with the store's state they were made in ([`SqliteStore::stamp`]).
#[derive(Default)]
struct Kept {
    pools: Option<(Stamp, Vec<StoredPool>)>,
    tokens: Option<(Stamp, Vec<pools_core::api_token::ApiToken>)>,
    /// [`Store::one_look`]: `None` when every kept read looks at the store's state; else the
    /// `data_version` looked at once, when it has been.
    one_look: Option<Option<i64>>,
}

/// The store's state as one connection sees it: `PRAGMA data_version` (changed by every
/// commit of another connection) and this connection's total of changed rows (changed by
/// each of its own writes, rolled back or not). Equal stamps: nothing was written between.
type Stamp = (i64, u64);

impl SqliteStore {
    /// Opens the store at `path`, creating the file, its directory and the schema on first use,
    /// and migrating an older schema.
    ///
    /// Errors: [`Error::Io`] when the directory cannot be created, [`Error::Store`] when the
    /// file is not a SQLite database or its schema is newer than this binary.
    pub fn open(path: &Path) -> Result<Self> {
        // Processes that open one new file at once race to set it up (WAL mode, schema);
        // SQLite answers some of those races "busy" at once rather than waiting (two
        // connections upgrading their locks), so the loser tries again. A busy answered
        // after the whole wait (another process held the lock all along) is not retried:
        // the operator is told after one wait, not six.
        let mut attempt = 0;
        loop {
            let started = Instant::now();
            match Self::open_once(path) {
                Err(Error::Store {
                    problem: StoreProblem::Busy,
                    ..
                }) if attempt < 5 && started.elapsed() < BUSY_WAIT / 2 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20 * attempt));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let err = |source| store_error(shown.clone(), source);
        if existing_store(path)?.is_none() {
            create(path)?;
        }
        // One store, one name (see `home`): checked before anything is written.
        home::refuse_hard_links(path)?;
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(BUSY_WAIT).map_err(err)?;
        check_schema(&conn, &shown)?;
        let place = check_name(&conn, path)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        // Off while migrating (the bundled SQLite turns them on by default): see below.
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(err)?;
        // Sorts and temporary tables beyond the cache go to temporary files (the bundled
        // SQLite keeps them in memory by default): settling an import sorts all its keys.
        conn.pragma_update(None, "temp_store", "FILE")
            .map_err(err)?;
        // Several processes may find one older store and migrate it at once: a loser's
        // migration fails on the tables the winner made, or on its lock; it tries again and
        // finds the schema made.
        let mut attempt = 0;
        while let Err(e) = migrations().to_latest(&mut conn) {
            attempt += 1;
            if schema_version(&conn).map_err(err)? == SCHEMA_VERSION {
                break;
            }
            if attempt < 5 {
                std::thread::sleep(Duration::from_millis(50 * attempt));
                continue;
            }
            return Err(match e {
                rusqlite_migration::Error::RusqliteError { err: source, .. } => {
                    store_error(shown.clone(), source)
                }
                other => Error::invalid(
                    "store",
                    format!("{shown}: schema migration failed: {other}"),
                ),
            });
        }
        // Only now: a migration that rebuilds a table must not cascade its drop (SQLite
        // "Making Other Kinds Of Table Schema Changes"); `foreign_key_check` verifies it.
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES ('environment_id', ?1)",
            [uuid::Uuid::new_v4().to_string()],
        )
        .map_err(err)?;
        let mut copied_from = None;
        let home = match place {
            home::Home::Here => home::canonical(path),
            home::Home::Moved(here) => {
                home::record(&conn, &here).map_err(err)?;
                here
            }
            // A copy (`cp`; its original is still there) is another store: with the
            // original's environment ID the stores that share a credential would count the
            // two as one, and remove it while one still refers to it (R11).
            // Once: a process that opened the copy at the same time may have done it.
            home::Home::Copied(here) => {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(err)?;
                let (old, recorded): (String, Option<String>) = tx
                    .query_row(
                        "SELECT (SELECT value FROM settings WHERE key = 'environment_id'),
                                (SELECT value FROM settings WHERE key = ?1)",
                        [home::KEY],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(err)?;
                if recorded.as_deref() != Some(&*here.to_string_lossy()) {
                    tx.execute(
                        "UPDATE settings SET value = ?1 WHERE key = 'environment_id'",
                        [uuid::Uuid::new_v4().to_string()],
                    )
                    .map_err(err)?;
                    home::record(&tx, &here).map_err(err)?;
                    copied_from = Some(old);
                }
                tx.commit().map_err(err)?;
                home::record(&conn, &here).map_err(err)?;
                here
            }
        };
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(SqliteStore {
            checkpointer: None,
            conn,
            actor: pools_core::audit::Op::local(),
            path: path.to_owned(),
            home,
            copied_from,
            kept: Default::default(),
        })
    }

    /// Opens an existing store for reading only (inspect, export, simulate-login without
    /// `--commit`): nothing is created or written, and a read-only file works. `Ok(None)`
    /// when there is no file yet.
    ///
    /// Errors: as [`SqliteStore::open`]; a store of an older schema is opened for writing
    /// once to migrate it.
    pub fn open_read_only(path: &Path) -> Result<Option<Self>> {
        if existing_store(path)?.is_none() {
            return Ok(None);
        }
        home::refuse_hard_links(path)?;
        let shown = path.display().to_string();
        let err = |source| store_error(shown.clone(), source);
        let mut conn = Connection::open_with_flags(path, read_only_flags()).map_err(err)?;
        conn.busy_timeout(BUSY_WAIT).map_err(err)?;
        match check_schema(&conn, &shown) {
            // A WAL store needs its -shm file: a reader who may not create it (a directory it
            // cannot write) reads the file as it is, unless a writer's -wal holds changes.
            Err(e) if read_only_refusal(&e) && wal_is_empty(path) => {
                drop(conn);
                conn = open_immutable(path).map_err(err)?;
                check_schema(&conn, &shown)?;
            }
            other => other?,
        }
        // Checked, not recorded: a moved store takes its new home at its next change.
        check_name(&conn, path)?;
        if schema_version(&conn).map_err(err)? != SCHEMA_VERSION {
            drop(conn);
            return Self::open(path).map(Some);
        }
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Some(SqliteStore {
            checkpointer: None,
            conn,
            actor: pools_core::audit::Op::local(),
            path: path.to_owned(),
            home: home::canonical(path),
            copied_from: None,
            kept: Default::default(),
        }))
    }

    /// An empty store in memory: what reads see before the first change creates the file.
    pub fn empty() -> Result<Self> {
        let shown = ":memory:".to_owned();
        let err = |source| store_error(shown.clone(), source);
        let mut conn = Connection::open_in_memory().map_err(err)?;
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| Error::invalid("store", e))?;
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('environment_id', 'none')",
            [],
        )
        .map_err(err)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(SqliteStore {
            checkpointer: None,
            conn,
            actor: pools_core::audit::Op::local(),
            path: PathBuf::from(":memory:"),
            home: PathBuf::from(":memory:"),
            copied_from: None,
            kept: Default::default(),
        })
    }

    fn write_txn(&mut self) -> Result<Transaction<'_>> {
        let path = self.path.display().to_string();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| store_error(path, source))
    }
}

/// Checks the name `conn` opened the store by ([`home`]). A refused name's connection is
/// closed without checkpointing: a journal left beside that name by an earlier writer
/// through it must not be copied over the store's newer pages.
fn check_name(conn: &Connection, path: &Path) -> Result<home::Home> {
    let checked = home::check(conn, path).and_then(|h| home::refuse_file_mount(path).map(|()| h));
    if checked.is_err() {
        let _ = conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        );
    }
    checked
}

fn read_only_flags() -> rusqlite::OpenFlags {
    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
}

fn sidecar(path: &Path, ext: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(ext);
    PathBuf::from(p)
}

/// True when no writer left changes in the store's `-wal` file (none, or empty).
fn wal_is_empty(path: &Path) -> bool {
    std::fs::metadata(sidecar(path, "-wal")).map_or(true, |m| m.len() == 0)
}

/// Opens the file as immutable (SQLite `immutable=1`): no locks, no -shm. Only for a reader
/// that cannot write and finds no pending WAL changes.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let abs = std::path::absolute(path).map_err(|e| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(e.to_string()),
        )
    })?;
    let mut uri = url::Url::from_file_path(&abs).map_err(|()| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(format!(
                "{} cannot be written as a file: URI",
                abs.display()
            )),
        )
    })?;
    uri.set_query(Some("immutable=1"));
    Connection::open_with_flags(
        uri.as_str(),
        read_only_flags() | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
}

/// What is at `path` before SQLite touches it: `None` when nothing is; the file's size
/// otherwise.
///
/// Errors: [`Error::Invalid`] for a directory or an empty file (pools never leaves one: a new
/// store appears whole, see [`create`]); [`Error::Io`] when it cannot be examined.
fn existing_store(path: &Path) -> Result<Option<u64>> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(shown, e)),
        Ok(m) if m.is_dir() => Err(Error::invalid(
            "store",
            format!("{shown} is a directory, not a store file"),
        )
        .with_hint(format!(
            "give the file's path, e.g. --store {}",
            path.join("pools.db").display()
        ))),
        Ok(m) if !m.is_file() => Err(Error::invalid(
            "store",
            format!(
                "{shown} is not a regular file (a device, a FIFO or a socket), not a store file"
            ),
        )
        .with_hint("point --store (or POOLS_STORE) at a file path; pools creates the store there")),
        // procfs and sysfs files say they are regular and 0 bytes long, yet have content.
        Ok(m) if m.len() == 0 && has_content(path) => Err(Error::invalid(
            "store",
            format!(
                "{shown} is not a regular file (a /proc or /sys file, which reports 0 bytes and yet has content), not a store file"
            ),
        )
        .with_hint("point --store (or POOLS_STORE) at a file path; pools creates the store there")),
        Ok(m) if m.len() == 0 => Err(Error::invalid(
            "store",
            format!("{shown} is an empty file (0 bytes), not a pools store"),
        )
        .with_hint(
            "remove it and pools creates the store there, or point --store at another file",
        )),
        Ok(m) => Ok(Some(m.len())),
    }
}

/// Whether a file that reports 0 bytes yields a byte when read (a /proc or /sys file).
fn has_content(path: &Path) -> bool {
    use std::io::Read;
    let mut byte = [0u8; 1];
    std::fs::File::open(path).is_ok_and(|mut f| f.read(&mut byte).is_ok_and(|n| n == 1))
}

/// Creates a new store at `path`, whole or not at all: the schema is made in a private
/// temporary file (mode 0600) beside it, which is then moved into place unless another
/// process made the store meanwhile. Missing directories are made with mode 0700: the store
/// holds password hashes and signer keys (R11).
fn create(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| creation_error(path, dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".pools-new-")
        .suffix(".db")
        .tempfile_in(dir)
        .map_err(|e| creation_error(path, dir, e))?;
    let shown = tmp.path().display().to_string();
    let err = |source| store_error(shown.clone(), source);
    {
        let mut conn = Connection::open(tmp.path()).map_err(err)?;
        // Larger pages suit rows of a few hundred bytes (profiles); only a new file takes it.
        conn.pragma_update(None, "page_size", 8192).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(err)?;
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err: source, .. } => err(source),
            other => Error::invalid("store", format!("{shown}: schema creation failed: {other}")),
        })?;
        // Its home from the start, in the file itself (see `home`).
        home::record(&conn, &home::canonical(path)).map_err(err)?;
        // Closing the last connection checkpoints the WAL into the file and removes it.
    }
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        // Another first use won the race: its store is as good as ours (ours is removed).
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(creation_error(path, path, e.error)),
    }
}

/// A file system error while creating the store at `path` (at `at`: it, or its directory).
/// A read-only mount is said as [`describe`] says it of an existing store, with the same
/// hint; other errors name the path they hit (tempfile's own text adds its random name).
fn creation_error(path: &Path, at: &Path, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::ReadOnlyFilesystem => Error::Io {
            path: format!("store {}", path.display()),
            source: std::io::Error::new(e.kind(), READ_ONLY_FS),
            hint: Some(READ_ONLY_HINT.into()),
        },
        std::io::ErrorKind::PermissionDenied => Error::Io {
            path: format!("store {}", path.display()),
            source: std::io::Error::new(
                e.kind(),
                format!(
                    "cannot be created: {} is not writable for this user",
                    at.display()
                ),
            ),
            hint: Some(READ_ONLY_HINT.into()),
        },
        _ => Error::io(at.display(), e),
    }
}

/// Whether a SQLite refusal to write or open the store at `path` comes from its file system
/// being mounted read-only (EROFS: a snapshot, a restored backup, a container's read-only
/// volume), which SQLite reports as `READONLY` or `CANTOPEN` without the OS error: asked of
/// the mount itself (`statvfs`), at the store or, while it does not exist, the nearest
/// directory above it.
fn on_read_only_mount(path: &Path, e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode as C;
    matches!(e.sqlite_error_code(), Some(C::ReadOnly | C::CannotOpen))
        && path
            .ancestors()
            .find(|p| !p.as_os_str().is_empty() && p.exists())
            .and_then(|p| rustix::fs::statvfs(p).ok())
            .is_some_and(|s| s.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY))
}

/// The store error a SQLite error on the store at `path` means, said once (rusqlite's own
/// text repeats itself and adds "Error code N").
pub(crate) fn store_error(path: impl Into<String>, e: rusqlite::Error) -> Error {
    if let Some(refusal) = name_taken(&e) {
        return refusal;
    }
    let path = path.into();
    let problem = problem(Path::new(&path), &e);
    if matches!(problem, StoreProblem::ReadOnly | StoreProblem::CannotOpen)
        && let Some(refusal) = unwritable_journal(Path::new(&path))
    {
        return refusal;
    }
    Error::Store { path, problem }
}

/// The R6 conflict a write met in the schema itself: a name (identifier or alias key) that
/// another user holds, refused by the unique keys or the triggers of migration 11 where a
/// check before the write was skipped or raced. `None` for every other error.
fn name_taken(e: &rusqlite::Error) -> Option<Error> {
    let rusqlite::Error::SqliteFailure(f, Some(msg)) = e else {
        return None;
    };
    let ours = msg.starts_with("R6: ")
        || msg.contains("users.ident_key")
        || msg.contains("user_aliases.alias_key");
    (f.code == rusqlite::ErrorCode::ConstraintViolation && ours).then(|| Error::Conflict {
        message: format!(
            "a name is another user's: {}; nothing was written (R6)",
            msg.trim_start_matches("R6: ")
        ),
        hint: Some("read the users again and retry; run `pools doctor` to see collisions".into()),
    })
}

/// A store the user may write whose journal (`-wal`, `-shm`) the user may not: SQLite makes
/// those files for the first connection, with the database file's mode, owned by whoever
/// opened it, and a reading connection leaves them behind. After a read by another user, or
/// one while the store was read-only (`chmod 444`), every write of the store's owner fails
/// as read-only though the store file is writable: said here naming the file, its owner and
/// mode, and the fix. `None` when the store file itself, or its directory, is the one that
/// cannot be written, or the journal files are writable.
fn unwritable_journal(store: &Path) -> Option<Error> {
    use rustix::fs::{Access, access};
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = store
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if access(store, Access::WRITE_OK).is_err() || access(dir, Access::WRITE_OK).is_err() {
        return None;
    }
    let (wal, shm) = (sidecar(store, "-wal"), sidecar(store, "-shm"));
    let (file, meta) = [&wal, &shm].into_iter().find_map(|f| {
        let meta = std::fs::metadata(f).ok()?;
        access(f.as_path(), Access::WRITE_OK)
            .is_err()
            .then(|| (f.clone(), meta))
    })?;
    let owner = std::fs::metadata(store).map_or(0, |m| m.uid());
    let mode = meta.permissions().mode() & 0o7777;
    let names = format!("{} and {}", wal.display(), shm.display());
    // A -wal holding frames holds committed changes not yet copied into the store file.
    let fix = if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        format!(
            "make {names} writable by the store's owner (uid {owner}): `chown {owner} FILE` and `chmod 600 FILE`; do not remove {}: it holds committed changes not yet in the store file",
            wal.display()
        )
    } else {
        format!(
            "when no pools process is running, remove {names} (SQLite makes them again at the next open), or make them writable by the store's owner (uid {owner}): `chown {owner} FILE` and `chmod 600 FILE`"
        )
    };
    Some(Error::Io {
        path: format!("store {}", store.display()),
        source: std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "cannot be written: its journal file {} is not writable for this user (owner uid {}, mode {mode:04o}); SQLite makes it with the store file's mode for whoever opens the store first (a read by another user, or while the store was read-only, leaves it so)",
                file.display(),
                meta.uid()
            ),
        ),
        hint: Some(fix),
    })
}

/// Whether `e` says the store may not be written by this user (the file, its directory, its
/// journal files, or the mount).
fn read_only_refusal(e: &Error) -> bool {
    match e {
        Error::Store { problem, .. } => matches!(
            problem,
            StoreProblem::ReadOnly | StoreProblem::CannotOpen | StoreProblem::ReadOnlyMount
        ),
        Error::Io { source, .. } => source.kind() == std::io::ErrorKind::PermissionDenied,
        _ => false,
    }
}

fn problem(path: &Path, e: &rusqlite::Error) -> StoreProblem {
    use rusqlite::ErrorCode as C;
    if on_read_only_mount(path, e) {
        return StoreProblem::ReadOnlyMount;
    }
    match e.sqlite_error_code() {
        Some(C::NotADatabase) => StoreProblem::NotADatabase,
        Some(C::DatabaseCorrupt) => StoreProblem::Corrupt,
        Some(C::ReadOnly) => StoreProblem::ReadOnly,
        Some(C::CannotOpen) => StoreProblem::CannotOpen,
        Some(C::DatabaseBusy | C::DatabaseLocked) => StoreProblem::Busy,
        Some(C::DiskFull) => StoreProblem::Full,
        Some(C::SystemIoFailure) => StoreProblem::Io,
        _ => StoreProblem::Other(match e {
            rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
            rusqlite::Error::SqliteFailure(f, None) => {
                rusqlite::ffi::code_to_str(f.extended_code).to_owned()
            }
            other => other.to_string(),
        }),
    }
}

type Row = (String, usize, u64, String);

fn load_rows(conn: &Connection) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, position, version, spec FROM pools ORDER BY position, name",
    )?;
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, i64>(1)? as usize,
            r.get::<_, i64>(2)? as u64,
            r.get(3)?,
        ))
    })?
    .collect()
}

fn to_stored((name, position, version, spec): Row) -> Result<StoredPool> {
    let spec: PoolSpec = serde_json::from_str(&spec)
        .map_err(|e| Error::invalid("store", format!("pool '{name}' is unreadable: {e}")))?;
    let pool = Pool::from_spec(&spec).map_err(|e| {
        Error::invalid("store", format!("pool '{name}' no longer validates: {e}"))
            .with_hint("fix it with `pools configure` or re-apply its YAML")
    })?;
    Ok(StoredPool {
        pool,
        position,
        version,
    })
}

/// The JSON a pool is stored as. Every pool write passes here, so what
/// [`Pool::check_for_write`] checks (the tenant IDs it would give users, credentials in its
/// URLs) is checked here (on write only: a pool stored by an older version still loads).
/// Appends an entry to the audit log, in the transaction `tx` of the change it records.
#[allow(clippy::too_many_arguments)]
fn audit(
    tx: &Connection,
    actor: &pools_core::audit::Op,
    action: pools_core::audit::Action,
    pool: Option<&str>,
    target: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (at, actor, action, pool, target, before, after, request_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        pools_core::audit::now(),
        actor.actor,
        action.as_str(),
        pool,
        target,
        before,
        after,
        actor.request_id
    ])?;
    Ok(())
}

/// Now, as every timestamp of the store is written: made by the program, never by the
/// database (SQLite's time functions), so every backend writes the same RFC 3339 UTC text with
/// milliseconds ([`pools_core::audit::now`]).
fn now() -> String {
    pools_core::audit::now()
}

/// Test support ([`race_point`]): a change another connection commits meanwhile.
#[cfg(test)]
type Race = Box<dyn Fn(&Connection)>;

#[cfg(test)]
thread_local! {
    /// Test support ([`race_point`]): run by a write between its reads and its
    /// compare-and-swap, as another connection's committed change would land there on a
    /// database without a single writer (PostgreSQL at READ COMMITTED).
    static RACE: std::cell::RefCell<Option<Race>> = const { std::cell::RefCell::new(None) };
}

/// Where a versioned write has read what it checks and not yet written: a change committed
/// here by another connection must make the write fail (R12), which the compare-and-swap's
/// row count decides, not the read before it. A no-op outside this crate's tests.
fn race_point(_tx: &Connection) {
    #[cfg(test)]
    RACE.with(|r| {
        if let Some(f) = r.borrow().as_ref() {
            f(_tx)
        }
    });
}

/// The pool `name` after a compare-and-swap of its version `expected` matched no row:
/// `NotFound` when it is gone, else the R12 conflict naming the version it has now.
fn pool_cas_failed(
    tx: &Connection,
    name: &str,
    expected: u64,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Error {
    match version_of(tx, name) {
        Ok(None) => Error::pool_not_found(name),
        Ok(Some(actual)) => stale(name, expected, actual),
        Err(e) => err(e),
    }
}

/// The user `id` after a compare-and-swap of its version `expected` matched no row:
/// `NotFound` when it is gone, else the R12 conflict.
fn user_cas_failed(
    tx: &Connection,
    id: &str,
    expected: u64,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Error {
    match user_where(tx, "id = ?1", id) {
        Ok(None) => user_not_found(id),
        Ok(Some(u)) => user_stale(&u, expected),
        Err(e) => err(e),
    }
}

/// The R12 refusal of a change based on a login order that changed since it was read.
fn order_stale() -> Error {
    Error::Conflict {
        message: "the pool order changed since it was read; nothing was written (R12)".into(),
        hint: Some("run `pools list` and retry".into()),
    }
}

/// A pool's stored settings (references only for secrets, R11), for the audit log.
fn stored_spec(tx: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row("SELECT spec FROM pools WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()
}

/// Records a change of the login order, `before` to `after`, when there is one.
fn audit_order(
    tx: &Connection,
    actor: &pools_core::audit::Op,
    before: &[String],
    after: &[String],
) -> rusqlite::Result<()> {
    if before == after {
        return Ok(());
    }
    let json = |order: &[String]| serde_json::to_string(order).expect("names always serialise");
    audit(
        tx,
        actor,
        Action::OrderSet,
        None,
        "order",
        Some(&json(before)),
        Some(&json(after)),
    )
}

/// A user as the audit log records it: never its password hash (R11), nor its source profile.
fn user_json(u: &User) -> String {
    serde_json::json!({
        "id": u.id,
        "identifier": u.identifier,
        "origin": u.origin.as_str(),
        "pool": u.pool,
        "tenant_id": u.tenant_id,
        "enabled": u.enabled,
        "metadata": u.metadata,
        "version": u.version,
    })
    .to_string()
}

fn spec_json(pool: &Pool) -> Result<String> {
    pool.check_for_write()?;
    let mut spec = pool.to_spec();
    // The name is the row's key; keeping it out of the JSON leaves one source of truth.
    spec.name = pool.name.to_string();
    Ok(serde_json::to_string(&spec).expect("a PoolSpec always serialises"))
}

fn current_order(tx: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached("SELECT name FROM pools ORDER BY position, name")?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

fn version_of(tx: &Connection, name: &str) -> rusqlite::Result<Option<u64>> {
    tx.query_row("SELECT version FROM pools WHERE name = ?1", [name], |r| {
        r.get::<_, i64>(0)
    })
    .optional()
    .map(|v| v.map(|v| v as u64))
}

fn stale(name: &str, expected: u64, actual: u64) -> Error {
    Error::Conflict {
        message: format!(
            "pool '{name}' changed since it was read (version {expected} expected, store has {actual}); nothing was written (R12)"
        ),
        hint: Some(format!(
            "run `pools inspect {name}` to see the current settings, then retry"
        )),
    }
}

/// Puts the pools at the places of `order`, counting a change of the order (R12) when a pool
/// moved or `added_or_removed` (the set of pools changed), if the order is still at version
/// `read` (read with the order the change was computed from): a compare-and-swap checked by
/// its row count, also when nothing moved.
/// Errors: `Conflict` when the order changed since `read`.
fn renumber(
    tx: &Connection,
    order: &[String],
    added_or_removed: bool,
    read: u64,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let mut stmt = tx
        .prepare_cached("UPDATE pools SET position = ?2 WHERE name = ?1 AND position <> ?2")
        .map_err(err)?;
    let mut moved = 0;
    for (i, name) in order.iter().enumerate() {
        moved += stmt.execute(params![name, (i + 1) as i64]).map_err(err)?;
    }
    let bump = i64::from(moved > 0 || added_or_removed);
    let swapped = tx
        .prepare_cached("UPDATE pool_order SET version = version + ?1 WHERE version = ?2")
        .and_then(|mut s| s.execute(params![bump, read as i64]))
        .map_err(err)?;
    if swapped == 0 {
        return Err(order_stale());
    }
    Ok(())
}

/// The first version of a pool created under `name`: 1, or past the last version a deleted
/// pool of that name had, so a document read from that pool does not match the new one (R12).
const FIRST_VERSION: &str =
    "COALESCE((SELECT last_version FROM deleted_pools WHERE name = ?1), 0) + 1";

fn order_version(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT version FROM pool_order", [], |r| r.get::<_, i64>(0))
        .map(|v| v as u64)
}

fn owned_counts(tx: &Connection, name: &str) -> rusqlite::Result<PoolUsers> {
    // The same classes as `user_status`'s NEED SOURCE, so status and delete agree (R10).
    tx.query_row(
        "SELECT COALESCE(SUM(origin = 'shadow'), 0),
                COALESCE(SUM(origin = 'migrated' AND password_hash IS NOT NULL), 0),
                COALESCE(SUM(origin = 'migrated' AND password_hash IS NULL), 0)
         FROM users WHERE pool = ?1",
        [name],
        |r| {
            Ok(PoolUsers {
                shadow: r.get::<_, i64>(0)? as u64,
                migrated: r.get::<_, i64>(1)? as u64,
                imported_without_hash: r.get::<_, i64>(2)? as u64,
            })
        },
    )
}

/// Deletes inside `tx`, enforcing R10; leaves positions to the caller.
/// R10: a pool whose source changes kind (an export pool made an idp pool, say) leaves the
/// users who still need the old source unable to log in, as deleting it would; it takes
/// `force` as a delete does. A stored pool that no longer reads is not compared.
/// How `new` changes the source of `old`, or `None` when it reads the same users. For an
/// export pool the file and its format are the source (issue 8): another file holds other
/// records, so the users imported from the old one are no longer answered for.
fn source_change(old: &SourceSettings, new: &SourceSettings) -> Option<String> {
    let (from, to) = (old.kind(), new.kind());
    if from != to {
        return Some(format!("from {from} to {to}"));
    }
    match (old, new) {
        (
            SourceSettings::Export {
                file: f0,
                format: x0,
                ..
            },
            SourceSettings::Export {
                file: f1,
                format: x1,
                ..
            },
        ) => {
            if f0 != f1 {
                Some(format!("from file {f0} to {f1}"))
            } else if x0 != x1 {
                let name = |x: &Option<pools_core::export::ExportFormat>| {
                    x.map_or("detected", |f| f.name()).to_owned()
                };
                Some(format!("from format {} to {}", name(x0), name(x1)))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn check_source_change(
    tx: &Connection,
    pool: &Pool,
    force: bool,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let name = pool.name.as_str();
    let spec: Option<String> = tx
        .query_row("SELECT spec FROM pools WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()
        .map_err(err)?;
    let Some(old) = spec
        .and_then(|s| serde_json::from_str::<PoolSpec>(&s).ok())
        .and_then(|s| Pool::from_spec(&s).ok())
    else {
        return Ok(());
    };
    let Some(change) = source_change(&old.settings, &pool.settings) else {
        return Ok(());
    };
    if force {
        return Ok(());
    }
    let users = owned_counts(tx, name).map_err(err)?;
    if users.need_source() == 0 {
        return Ok(());
    }
    let from = old.settings.kind();
    Err(Error::invalid(
        "R10",
        format!(
            "pool '{name}' would change its source {change}, but {} user(s) still need the {from} source to log in ({} shadow, {} imported without a password hash)",
            users.need_source(),
            users.shadow,
            users.imported_without_hash
        ),
    )
    .with_hint(
        "keep the source and add a new pool for the new one, or add --force to change it anyway (those users cannot log in until they are migrated)",
    ))
}

fn delete_in(
    tx: &Connection,
    name: &str,
    expected: u64,
    force: bool,
    actor: &pools_core::audit::Op,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<DeleteOutcome> {
    let Some(actual) = version_of(tx, name).map_err(err)? else {
        return Err(Error::pool_not_found(name));
    };
    if actual != expected {
        return Err(stale(name, expected, actual));
    }
    let users = owned_counts(tx, name).map_err(err)?;
    users.refuse_delete(name, force)?;
    tx.execute(
        "DELETE FROM source_keys WHERE pool = ?1
             AND user_id IN (SELECT id FROM users WHERE pool = ?1 AND origin = 'shadow')",
        [name],
    )
    .map_err(err)?;
    tx.execute(
        "DELETE FROM users WHERE pool = ?1 AND origin = 'shadow'",
        [name],
    )
    .map_err(err)?;
    let before = stored_spec(tx, name).map_err(err)?;
    audit(
        tx,
        actor,
        Action::PoolDelete,
        Some(name),
        name,
        before.as_deref(),
        None,
    )
    .map_err(err)?;
    // Its versions go on from here if the name is used again (R12).
    tx.execute(
        "INSERT INTO deleted_pools (name, last_version) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET last_version = excluded.last_version",
        params![name, actual as i64],
    )
    .map_err(err)?;
    race_point(tx);
    // The compare-and-swap decides (R12): a pool changed or deleted since the reads above
    // matches no row, and the shadow copies removed above come back with the rollback.
    let deleted = tx
        .execute(
            "DELETE FROM pools WHERE name = ?1 AND version = ?2",
            params![name, expected as i64],
        )
        .map_err(err)?;
    if deleted == 0 {
        return Err(pool_cas_failed(tx, name, expected, err));
    }
    Ok(DeleteOutcome {
        name: name.to_owned(),
        shadow_users_removed: users.shadow,
        migrated_users_kept: users.migrated,
        imported_without_hash_kept: users.imported_without_hash,
    })
}

impl SqliteStore {
    /// [`Store::import_settle`]'s transaction.
    fn settle(
        &mut self,
        pool: &str,
        source: &str,
        run: u64,
        policy: OnConflict,
    ) -> Result<Vec<(User, User)>> {
        let err = self.err_owned();
        let tx = self.write_txn()?;
        let (pending, in_ranges) = pending_rows(&tx).map_err(&err)?;
        let candidates = tx
            .query_row(
                &if in_ranges {
                    "SELECT COALESCE(SUM(with_source_id), 0) FROM unsettled".to_owned()
                } else {
                    format!("SELECT count(*) FROM {pending}")
                },
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(&err)? as usize;
        // The pending keys, sorted (the sorter spills to temporary files beyond the cache):
        // inserted in key order, each page of `source_keys` is written once. The first row
        // written of a source user comes first and gets the key. The source user ID leads
        // the sort: SQLite's sorter compares a first text column fast, and a pool name, the
        // same in every row of a bulk import, made every comparison the slow one (0.3 s
        // more of 1.0 s at 1M rows). Keys of several pools then interleave, each pool's in order.
        let keyed = tx
            .execute(
                &format!(
                    "INSERT INTO source_keys (pool, external_id, user_id)
                     SELECT u.pool, u.external_id, u.id FROM {pending}
                     ORDER BY u.external_id, u.pool, u.rowid
                     ON CONFLICT DO NOTHING"
                ),
                [],
            )
            .map_err(&err)?;
        // Rows whose key went to another user (keyed before, or an earlier row of the same
        // source user): looked up only when some key was already taken, in write order. Rows
        // a re-run meets again are in no range: they were not written again.
        let dups: Vec<(String, String)> = if keyed < candidates {
            let mut stmt = tx
                .prepare(&format!(
                    "SELECT p.id, k.user_id
                     FROM (SELECT u.id, u.pool, u.external_id, u.rowid AS r FROM {pending}) p
                     JOIN source_keys k ON k.pool = p.pool AND k.external_id = p.external_id
                     WHERE k.user_id <> p.id ORDER BY p.r"
                ))
                .map_err(&err)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                .map_err(&err)?
        } else {
            Vec::new()
        };
        tx.execute("DELETE FROM unsettled", []).map_err(&err)?;
        let mut landed_not = Vec::new();
        for (id, keeper) in dups {
            let dup = user_where(&tx, "id = ?1", &id)
                .map_err(&err)?
                .ok_or_else(|| user_not_found(&id))?;
            let ours = dup.pool.as_deref() == Some(pool)
                && dup.import_source.as_deref() == Some(source)
                && dup.import_run == Some(run)
                && run > 0;
            if !ours {
                // Another run's row (killed, or running beside this one): kept, marked as
                // migration 6 marks older duplicates, for doctor to report (R17).
                tx.execute(
                    "UPDATE users SET duplicate_of = ?2 WHERE id = ?1",
                    [&id, &keeper],
                )
                .map_err(&err)?;
                continue;
            }
            // This run's row: it does not land (as a duplicate met while writing would not);
            // the import reports it.
            let mut first = user_where(&tx, "id = ?1", &keeper)
                .map_err(&err)?
                .ok_or_else(|| user_not_found(&keeper))?;
            if policy == OnConflict::Merge {
                for (k, v) in &dup.profile {
                    first.profile.entry(k.clone()).or_insert_with(|| v.clone());
                }
                let swapped = tx
                    .execute(
                        "UPDATE users SET profile = ?2, password_hash = COALESCE(password_hash, ?3),
                             version = version + 1 WHERE id = ?1 AND version = ?4",
                        params![
                            first.id,
                            serde_json::to_string(&first.profile)
                                .expect("a JSON map always serialises"),
                            dup.password_hash.as_ref().map(Secret::expose),
                            first.version as i64
                        ],
                    )
                    .map_err(&err)?;
                if swapped == 0 {
                    return Err(user_cas_failed(&tx, &first.id, first.version, &err));
                }
            }
            tx.execute("DELETE FROM users WHERE id = ?1", [&id])
                .map_err(&err)?;
            landed_not.push((dup, first));
        }
        tx.commit().map_err(&err)?;
        Ok(landed_not)
    }
}

impl SqliteStore {
    /// The store's state as this connection sees it now ([`Stamp`]).
    fn stamp(&self) -> Result<Stamp> {
        let looked = self.kept.borrow().one_look;
        let version = match looked {
            Some(Some(version)) => version,
            _ => {
                // A read transaction of its own (the WAL index's locks): asked before every
                // kept read but under `one_look`, and prepared once.
                let version: i64 = self
                    .conn
                    .prepare_cached("PRAGMA data_version")
                    .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
                    .map_err(self.err_owned())?;
                if looked.is_some() {
                    self.kept.borrow_mut().one_look = Some(Some(version));
                }
                version
            }
        };
        // This connection's own writes are seen at once either way.
        Ok((version, self.conn.total_changes()))
    }

    fn read_api_tokens(&self) -> Result<Vec<pools_core::api_token::ApiToken>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, role, digest, created_at, revoked_at FROM api_tokens ORDER BY id",
            )
            .map_err(self.err_owned())?;
        let rows: Vec<(String, String, String, String, Option<String>)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(self.err_owned())?;
        rows.into_iter()
            .map(|(name, role, digest, created_at, revoked_at)| {
                let role =
                    <pools_core::api_token::Role as pools_core::terms::Choice>::from_name(&role)
                        .ok_or_else(|| Error::Bug {
                            message: format!("token {name:?} has the unknown role {role:?}"),
                        })?;
                Ok(pools_core::api_token::ApiToken {
                    name,
                    role,
                    created_at,
                    revoked_at,
                    digest,
                })
            })
            .collect()
    }
}

impl Store for SqliteStore {
    fn act_as(&mut self, op: pools_core::audit::Op) {
        self.actor = op;
    }

    fn pools(&self) -> Result<Vec<StoredPool>> {
        let stamp = self.stamp()?;
        if let Some((at, pools)) = &self.kept.borrow().pools
            && *at == stamp
        {
            return Ok(pools.clone());
        }
        let pools: Vec<StoredPool> = load_rows(&self.conn)
            .map_err(self.err_owned())?
            .into_iter()
            .map(to_stored)
            .collect::<Result<_>>()?;
        self.kept.borrow_mut().pools = Some((stamp, pools.clone()));
        Ok(pools)
    }

    fn pool(&self, name: &str) -> Result<StoredPool> {
        let row = self
            .conn
            .query_row(
                "SELECT name, position, version, spec FROM pools WHERE name = ?1",
                [name],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, i64>(1)? as usize,
                        r.get::<_, i64>(2)? as u64,
                        r.get(3)?,
                    ))
                },
            )
            .optional()
            .map_err(self.err_owned())?;
        row.map(to_stored)
            .unwrap_or_else(|| Err(Error::pool_not_found(name)))
    }

    fn create_pool(&mut self, pool: &Pool, position: Option<usize>) -> Result<StoredPool> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let exists = || Error::Conflict {
            message: format!("pool '{}' already exists", pool.name),
            hint: Some(format!(
                "use `pools configure {}` to change it, or choose another name",
                pool.name
            )),
        };
        if version_of(&tx, pool.name.as_str()).map_err(&err)?.is_some() {
            return Err(exists());
        }
        let read = order_version(&tx).map_err(&err)?;
        let mut order = current_order(&tx).map_err(&err)?;
        let at = match position {
            None => order.len(),
            Some(p) if p >= 1 && p <= order.len() + 1 => p - 1,
            Some(p) => {
                return Err(Error::invalid(
                    "--position",
                    format!("{p} is outside 1..={}", order.len() + 1),
                ));
            }
        };
        race_point(&tx);
        // The name's key decides, not the read above: a pool created meanwhile by another
        // connection makes this insert a no-op.
        let inserted = tx.execute(
            &format!("INSERT INTO pools (name, position, version, spec, created_at, updated_at) VALUES (?1, ?2, {FIRST_VERSION}, ?3, ?4, ?4) ON CONFLICT (name) DO NOTHING"),
            params![pool.name.as_str(), (at + 1) as i64, spec_json(pool)?, now()],
        )
        .map_err(&err)?;
        if inserted == 0 {
            return Err(exists());
        }
        let before_order = order.clone();
        order.insert(at, pool.name.to_string());
        renumber(&tx, &order, true, read, &err)?;
        let version = version_of(&tx, pool.name.as_str())
            .map_err(&err)?
            .unwrap_or(1);
        let spec = stored_spec(&tx, pool.name.as_str()).map_err(&err)?;
        audit(
            &tx,
            &actor,
            Action::PoolCreate,
            Some(pool.name.as_str()),
            pool.name.as_str(),
            None,
            spec.as_deref(),
        )
        .map_err(&err)?;
        audit_order(&tx, &actor, &before_order, &order).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(StoredPool {
            pool: pool.clone(),
            position: at + 1,
            version,
        })
    }

    fn update_pool(
        &mut self,
        pool: &Pool,
        expected_version: u64,
        force: bool,
    ) -> Result<StoredPool> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let name = pool.name.as_str();
        // Read for the refusals' wording and the R10 check; the compare-and-swap below
        // decides (R12).
        let Some(actual) = version_of(&tx, name).map_err(&err)? else {
            return Err(Error::pool_not_found(name));
        };
        if actual != expected_version {
            return Err(stale(name, expected_version, actual));
        }
        check_source_change(&tx, pool, force, &err)?;
        let before = stored_spec(&tx, name).map_err(&err)?;
        let after = spec_json(pool)?;
        race_point(&tx);
        let swapped = tx
            .execute(
                "UPDATE pools SET spec = ?2, version = version + 1, updated_at = ?4 WHERE name = ?1 AND version = ?3",
                params![name, after, expected_version as i64, now()],
            )
            .map_err(&err)?;
        if swapped == 0 {
            return Err(pool_cas_failed(&tx, name, expected_version, &err));
        }
        audit(
            &tx,
            &actor,
            Action::PoolUpdate,
            Some(name),
            name,
            before.as_deref(),
            Some(&after),
        )
        .map_err(&err)?;
        let position: i64 = tx
            .query_row("SELECT position FROM pools WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(StoredPool {
            pool: pool.clone(),
            position: position as usize,
            version: expected_version + 1,
        })
    }

    fn set_order(&mut self, order: &[PoolName], expected: &[PoolName]) -> Result<Vec<StoredPool>> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let read = order_version(&tx).map_err(&err)?;
        let current = current_order(&tx).map_err(&err)?;
        if current
            .iter()
            .map(String::as_str)
            .ne(expected.iter().map(PoolName::as_str))
        {
            return Err(order_stale());
        }
        let wanted: Vec<String> = order.iter().map(|n| n.to_string()).collect();
        let mut sorted_a = wanted.clone();
        let mut sorted_b = current.clone();
        sorted_a.sort();
        sorted_b.sort();
        if sorted_a != sorted_b {
            return Err(Error::invalid(
                "reorder",
                "the order must name every pool exactly once",
            ));
        }
        race_point(&tx);
        renumber(&tx, &wanted, false, read, &err)?;
        audit_order(&tx, &actor, &current, &wanted).map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.pools()
    }

    fn delete_pool(
        &mut self,
        name: &str,
        expected_version: u64,
        force: bool,
    ) -> Result<DeleteOutcome> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let read = order_version(&tx).map_err(&err)?;
        let before_order = current_order(&tx).map_err(&err)?;
        let outcome = delete_in(&tx, name, expected_version, force, &actor, &err)?;
        let order = current_order(&tx).map_err(&err)?;
        renumber(&tx, &order, true, read, &err)?;
        audit_order(&tx, &actor, &before_order, &order).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(outcome)
    }

    fn order_version(&self) -> Result<u64> {
        order_version(&self.conn).map_err(self.err_owned())
    }

    fn copied_from(&self) -> Option<String> {
        self.copied_from.clone()
    }

    fn environment_id(&self) -> Result<String> {
        self.conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'environment_id'",
                [],
                |r| r.get(0),
            )
            .map_err(self.err_owned())
    }

    fn pool_user_counts(&self, name: &str) -> Result<PoolUsers> {
        owned_counts(&self.conn, name).map_err(self.err_owned())
    }

    fn user_by_key(&self, key: &str) -> Result<Option<User>> {
        user_where(&self.conn, BY_KEY, key).map_err(self.err_owned())
    }

    fn aliases(&self, user_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT alias_key FROM user_aliases WHERE user_id = ?1 ORDER BY alias_key",
            )
            .map_err(self.err_owned())?;
        stmt.query_map([user_id], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(self.err_owned())
    }

    fn user_by_source_id(&self, pool: &str, external_id: &str) -> Result<Option<User>> {
        user_by_source(&self.conn, pool, external_id).map_err(self.err_owned())
    }

    fn source_id_duplicates(&self) -> Result<Vec<(User, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS}, duplicate_of FROM users
                 WHERE duplicate_of IS NOT NULL ORDER BY pool, external_id, created_at, id"
            ))
            .map_err(self.err_owned())?;
        stmt.query_map([], |r| Ok((user_from_row(r)?, r.get(20)?)))
            .and_then(|rows| rows.collect())
            .map_err(self.err_owned())
    }

    fn set_op(&mut self, op: pools_core::audit::Op) {
        self.actor = op;
    }

    fn audit_log(
        &self,
        filter: &pools_core::audit::Filter,
        each: &mut dyn FnMut(pools_core::audit::Entry) -> Result<()>,
    ) -> Result<()> {
        let err = self.err_owned();
        let since = filter.since.map(|t| {
            let fmt = time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            );
            t.to_offset(time::UtcOffset::UTC)
                .format(&fmt)
                .expect("a UTC time always formats")
        });
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, at, actor, action, pool, target, before, after, request_id FROM audit
                 WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR pool = ?2)
                   AND (?3 IS NULL OR seq > ?3)
                 ORDER BY seq LIMIT coalesce(?4, -1)",
            )
            .map_err(&err)?;
        let mut rows = stmt
            .query(params![
                since,
                filter.pool,
                filter.after.map(|s| s as i64),
                filter.limit.map(|l| l as i64)
            ])
            .map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let json = |i: usize| -> rusqlite::Result<Option<Value>> {
                Ok(r.get::<_, Option<String>>(i)?
                    .and_then(|t| serde_json::from_str(&t).ok()))
            };
            let action: String = r.get(3).map_err(&err)?;
            let Ok(action) = serde_json::from_value(Value::String(action)) else {
                continue; // written by a newer pools
            };
            each(pools_core::audit::Entry {
                seq: r.get::<_, i64>(0).map_err(&err)? as u64,
                at: r.get(1).map_err(&err)?,
                actor: r.get(2).map_err(&err)?,
                request_id: r.get(8).map_err(&err)?,
                action,
                pool: r.get(4).map_err(&err)?,
                target: r.get(5).map_err(&err)?,
                before: json(6).map_err(&err)?,
                after: json(7).map_err(&err)?,
            })?;
        }
        Ok(())
    }

    fn alias_claims(&self) -> Result<Vec<AliasClaim>> {
        let err = self.err_owned();
        let claims: Vec<(String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT alias_key, user_id, alias FROM alias_claims ORDER BY alias_key, user_id",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .map_err(&err)?;
        let mut out = Vec::with_capacity(claims.len());
        for (key, user_id, alias) in claims {
            let Some(user) = user_where(&self.conn, "id = ?1", &user_id).map_err(&err)? else {
                continue;
            };
            let holder = user_where(&self.conn, BY_KEY, &key).map_err(&err)?;
            out.push(AliasClaim {
                alias,
                key,
                user,
                holder,
            });
        }
        Ok(out)
    }

    fn alias_claimants(&self, key: &str) -> Result<Vec<User>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users
                 WHERE id IN (SELECT user_id FROM alias_claims WHERE alias_key = ?1) ORDER BY id"
            ))
            .and_then(|mut stmt| stmt.query_map([key], user_from_row)?.collect())
            .map_err(self.err_owned())
    }

    fn users_page(
        &self,
        filter: &UserFilter,
        page: &Page,
        each: &mut dyn FnMut(User) -> Result<()>,
    ) -> Result<Option<Cursor>> {
        let sql = users_page_sql(page.after.is_some());
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err_owned())?;
        let rows = stmt
            .query_map(page_params(filter, page), user_from_row)
            .map_err(self.err_owned())?;
        paged(rows, page, &self.err_owned(), each)
    }

    fn users_page_with_aliases(
        &self,
        filter: &UserFilter,
        page: &Page,
        each: &mut dyn FnMut(User, Vec<String>) -> Result<()>,
    ) -> Result<Option<Cursor>> {
        restore::page_with_aliases(&self.conn, filter, page, each, &self.err_owned())
    }

    fn restore_batch(
        &mut self,
        rows: &[pools_core::backup::BackupUser],
    ) -> Result<Vec<pools_core::backup::restore::Outcome>> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let outcomes = restore::restore_rows(&tx, rows, &err)?;
        let restored = outcomes
            .iter()
            .filter(|o| matches!(o, pools_core::backup::restore::Outcome::Restored))
            .count();
        if restored > 0 {
            let after = serde_json::json!({"rows": rows.len(), "restored": restored}).to_string();
            audit(
                &tx,
                &actor,
                Action::UsersRestore,
                None,
                "users",
                None,
                Some(&after),
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(outcomes)
    }

    fn insert_user(&mut self, user: &NewUser) -> Result<(User, bool)> {
        let err = self.err_owned();
        // Whatever the store accepts must read back (pools_core::limits).
        user.validate()?;
        let key = pools_core::identifier::key(&user.identifier);
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        // The identifier (or the pool's source user ID) meets an existing user: the caller
        // decides whether that is the same person (R6). An alias that is already another
        // user's name is simply not added: it must never merge two accounts.
        if let Some(existing) = user_where(&tx, BY_KEY, &key).map_err(&err)? {
            return Ok((existing, false));
        }
        if let (Some(pool), Some(x)) = (&user.pool, &user.external_id)
            && let Some(existing) = user_by_source(&tx, pool, x).map_err(&err)?
        {
            return Ok((existing, false));
        }
        let mut alias_keys: Vec<String> = Vec::new();
        for a in &user.aliases {
            let k = pools_core::identifier::key(a);
            if !k.is_empty()
                && k != key
                && !alias_keys.contains(&k)
                && user_where(&tx, BY_KEY, &k).map_err(&err)?.is_none()
            {
                alias_keys.push(k);
            }
        }
        let id = pools_core::user::new_user_id();
        let to_json = |m: &Map<String, Value>| {
            serde_json::to_string(m).expect("a JSON map always serialises")
        };
        let at = now();
        tx.execute(
            "INSERT OR FAIL INTO users (id, identifier, ident_key, origin, pool, external_id, tenant_id, tenant_how, profile, metadata, enabled, password_hash, created_at, migrated_at, last_login_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14,
                     CASE WHEN ?4 = 'migrated' THEN ?14 END,
                     CASE WHEN ?13 THEN ?14 END)",
            params![
                id,
                user.identifier.trim(),
                key,
                user.origin.as_str(),
                user.pool,
                user.external_id,
                user.tenant_id,
                user.tenant_resolution,
                to_json(&user.profile),
                to_json(&user.metadata),
                user.enabled,
                user.password_hash.as_ref().map(|h| h.expose()),
                user.logged_in,
                at,
            ],
        )
        .map_err(&err)?;
        if let (Some(pool), Some(x)) = (&user.pool, &user.external_id) {
            // Not keyed (checked above, in this write transaction): the key is this user's.
            tx.execute(
                "INSERT INTO source_keys (pool, external_id, user_id) VALUES (?1, ?2, ?3)",
                params![pool, x, id],
            )
            .map_err(&err)?;
        }
        for a in &alias_keys {
            tx.execute(
                "INSERT OR IGNORE INTO user_aliases (alias_key, user_id) VALUES (?1, ?2)",
                params![a, id],
            )
            .map_err(&err)?;
        }
        if user.new_tenant
            && let Some(t) = &user.tenant_id
        {
            tx.execute(
                "INSERT OR IGNORE INTO tenants (id, pool, created_at) VALUES (?1, ?2, ?3)",
                params![t, user.pool, at],
            )
            .map_err(&err)?;
        }
        let created = user_where(&tx, "id = ?1", &id)
            .map_err(&err)?
            .ok_or_else(|| user_not_found(&id))?;
        // An operator's `users create`; a login's migration is the data plane (see audit).
        if created.origin == Origin::Native {
            audit(
                &tx,
                &actor,
                Action::UserCreate,
                None,
                &format!("{} '{}'", created.id, created.identifier),
                None,
                Some(&user_json(&created)),
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok((created, true))
    }

    fn update_user_login(
        &mut self,
        id: &str,
        expected_version: u64,
        update: &LoginUpdate,
    ) -> Result<User> {
        if let Some(profile) = &update.profile {
            pools_core::user::check_document("profile", profile)?;
        }
        let err = self.err_owned();
        let tx = self.write_txn()?;
        let current = user_where(&tx, "id = ?1", id)
            .map_err(&err)?
            .ok_or_else(|| user_not_found(id))?;
        if current.version != expected_version {
            return Err(user_stale(&current, expected_version));
        }
        race_point(&tx);
        // The compare-and-swap first (R12): the rename below reads and writes names only
        // for a user still at the version the login read.
        let swapped = tx
            .execute(
                "UPDATE users SET
                    password_hash = COALESCE(?2, password_hash),
                    profile = COALESCE(?3, profile),
                    enabled = COALESCE(?4, enabled),
                    last_login_at = CASE WHEN ?5 THEN ?7 ELSE last_login_at END,
                    version = version + 1
                 WHERE id = ?1 AND version = ?6",
                params![
                    id,
                    update.password_hash.as_ref().map(|h| h.expose()),
                    update
                        .profile
                        .as_ref()
                        .map(|p| serde_json::to_string(p).expect("a JSON map always serialises")),
                    update.enabled,
                    update.touch_login,
                    expected_version as i64,
                    now(),
                ],
            )
            .map_err(&err)?;
        if swapped == 0 {
            return Err(user_cas_failed(&tx, id, expected_version, &err));
        }
        if let Some(identity) = &update.identity {
            rename_user(&tx, &current, identity, &err)?;
        }
        let user = user_where(&tx, "id = ?1", id)
            .map_err(&err)?
            .ok_or_else(|| user_not_found(id))?;
        tx.commit().map_err(&err)?;
        Ok(user)
    }

    fn touch_login(&mut self, id: &str) -> Result<()> {
        let err = self.err_owned();
        let tx = self.write_txn()?;
        let touched = tx
            .prepare_cached("UPDATE users SET last_login_at = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, now()]))
            .map_err(&err)?;
        if touched == 0 {
            return Err(user_not_found(id));
        }
        tx.commit().map_err(&err)
    }

    fn set_user_metadata(
        &mut self,
        id: &str,
        expected_version: u64,
        metadata: &Map<String, Value>,
    ) -> Result<User> {
        pools_core::user::check_document("metadata", metadata)?;
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let current = user_where(&tx, "id = ?1", id)
            .map_err(&err)?
            .ok_or_else(|| user_not_found(id))?;
        if current.version != expected_version {
            return Err(user_stale(&current, expected_version));
        }
        race_point(&tx);
        let swapped = tx
            .execute(
                "UPDATE users SET metadata = ?2, version = version + 1 WHERE id = ?1 AND version = ?3",
                params![
                    id,
                    serde_json::to_string(metadata).expect("a JSON map always serialises"),
                    expected_version as i64
                ],
            )
            .map_err(&err)?;
        if swapped == 0 {
            return Err(user_cas_failed(&tx, id, expected_version, &err));
        }
        let user = user_where(&tx, "id = ?1", id)
            .map_err(&err)?
            .ok_or_else(|| user_not_found(id))?;
        audit(
            &tx,
            &actor,
            Action::UserSetMetadata,
            user.pool.as_deref(),
            &format!("{} '{}'", user.id, user.identifier),
            Some(&user_json(&current)),
            Some(&user_json(&user)),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(user)
    }

    fn read_snapshot(&self, reads: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        if !self.conn.is_autocommit() {
            return reads();
        }
        let err = self.err_owned();
        // Deferred: the first read takes the shared lock (a WAL snapshot), the end drops it.
        self.conn.execute_batch("BEGIN").map_err(&err)?;
        let result = reads();
        let end = self.conn.execute_batch("COMMIT").map_err(&err);
        result.and(end)
    }

    fn import_lock(&self, pool: &str) -> Result<ImportLock> {
        if self.path == Path::new(":memory:") {
            return Ok(ImportLock::unshared());
        }
        // Keyed by the store's home, the one name every process that opened it uses.
        ImportLock::acquire(&self.home, pool)
    }

    fn import_start(&mut self, pool: &str, import: &ImportId) -> Result<u64> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let source = import.as_str();
        // An import recorded under the ID it had before (its path alone): it takes this one,
        // with its users, so it goes on resuming (already imported, R17).
        if let Some(old) = import.formerly() {
            tx.execute(
                "UPDATE imports SET source = ?3 WHERE pool = ?1 AND source = ?2
                     AND NOT EXISTS (SELECT 1 FROM imports WHERE pool = ?1 AND source = ?3)",
                params![pool, old, source],
            )
            .map_err(&err)?;
        }
        let (id, run): (i64, i64) = tx
            .query_row(
                "INSERT INTO imports (pool, source, last_line, runs, updated_at) VALUES (?1, ?2, 0, 1, ?3)
                 ON CONFLICT (pool, source) DO UPDATE SET runs = runs + 1, updated_at = excluded.updated_at
                 RETURNING id, runs",
                params![pool, source, now()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(&err)?;
        // Only the latest run takes batches: a retry of an earlier run's batch is refused.
        tx.execute(
            "DELETE FROM import_batches WHERE import_id = ?1 AND run < ?2",
            params![id, run],
        )
        .map_err(&err)?;
        let source = import.shown();
        let after = serde_json::json!({"run": run}).to_string();
        audit(
            &tx,
            &actor,
            Action::UsersImport,
            Some(pool),
            source,
            None,
            Some(&after),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(run as u64)
    }

    fn import_batch(
        &mut self,
        pool: &str,
        source: &str,
        run: u64,
        seq: u64,
        rows: &[ImportRow],
        policy: OnConflict,
    ) -> Result<BatchOutcome> {
        let err = self.err_owned();
        self.start_checkpointer();
        let tx = self.write_txn()?;
        let at = now();
        let (import_id, runs): (i64, i64) = tx
            .query_row(
                "INSERT INTO imports (pool, source, last_line, updated_at) VALUES (?1, ?2, 0, ?3)
                 ON CONFLICT (pool, source) DO UPDATE SET updated_at = excluded.updated_at
                 RETURNING id, runs",
                params![pool, source, at],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(&err)?;
        if (run as i64) < runs {
            return Err(Error::Conflict {
                message: format!(
                    "run {run} of the import of {source} into pool '{pool}' is over: run {runs} started since; nothing was written (R12)"
                ),
                hint: Some("run the import again".into()),
            });
        }
        // A batch committed before (a retry after a lost answer): its first outcome, and
        // nothing written again.
        if let Some(done) = committed_batch(&tx, import_id, run, seq).map_err(&err)? {
            return done.answer(rows.len(), run, seq);
        }
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut alias_notes: Vec<(usize, AliasNote)> = Vec::new();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR FAIL INTO users (id, identifier, ident_key, origin, pool, external_id, tenant_id, tenant_how, profile, password_hash, imported_at, import_line, migrated_at, import_id, created_at, import_run)
                     VALUES (?1, ?2, ?3, 'migrated', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?12, ?10, ?13)
                     ON CONFLICT DO NOTHING",
                )
                .map_err(&err)?;
            let mut alias_owner = tx
                .prepare_cached("SELECT user_id FROM user_aliases WHERE alias_key = ?1")
                .map_err(&err)?;
            // Rename detection against keyed users (reads only): this run's rows are named
            // pending (`unsettled`) and get their keys when the run is settled, and a second
            // row of one source user among them is found then.
            let mut new_rows = NewRows::default();
            let mut keyed = tx
                .prepare_cached(
                    "SELECT user_id FROM source_keys WHERE pool = ?1 AND external_id = ?2",
                )
                .map_err(&err)?;
            let mut give_up_alias = tx
                .prepare_cached("DELETE FROM user_aliases WHERE alias_key = ?1")
                .map_err(&err)?;
            let mut add_tenant = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO tenants (id, pool, created_at) VALUES (?1, ?2, ?3)",
                )
                .map_err(&err)?;
            // The same row only if the same person (`User::is_source_user`): a user with a
            // source user ID is the row's only when the row names that ID (or, in a store
            // written before Auth0 IDs were normalised, its short form, ?6). A file rewritten
            // at the same path with its identifiers swapped between two source users meets
            // each under the other's name: collisions, never "already imported" (R6, R17).
            let mut same_row = tx
                .prepare_cached(
                    "UPDATE users SET import_run = ?4 WHERE ident_key = ?1 AND origin = 'migrated'
                         AND pool = ?2 AND import_id = ?3 AND import_run IS NOT ?4
                         AND (external_id IS NULL OR external_id = ?5 OR external_id = ?6)",
                )
                .map_err(&err)?;
            let mut stamp = tx
                .prepare_cached("UPDATE users SET import_run = ?2 WHERE id = ?1")
                .map_err(&err)?;
            // Compare-and-swaps of the version read with the user (R12): checked by row count.
            let mut merge = tx
                .prepare_cached("UPDATE users SET profile = ?2, password_hash = COALESCE(password_hash, ?3), version = version + 1 WHERE id = ?1 AND version = ?4")
                .map_err(&err)?;
            let mut rename = tx
                .prepare_cached(
                    "UPDATE users SET identifier = ?2, ident_key = ?3, import_id = ?4, import_line = ?5,
                         import_run = ?6, version = version + 1 WHERE id = ?1 AND version = ?7",
                )
                .map_err(&err)?;
            let mut drop_aliases = tx
                .prepare_cached("DELETE FROM user_aliases WHERE user_id = ?1")
                .map_err(&err)?;
            let now = &at;
            // Most stores have no aliases: skip the lookup per row then.
            let mut any_alias: bool = tx
                .query_row("SELECT EXISTS (SELECT 1 FROM user_aliases)", [], |r| {
                    r.get(0)
                })
                .map_err(&err)?;
            for (i, row) in rows.iter().enumerate() {
                let aliased: Option<String> = if any_alias || !row.aliases.is_empty() {
                    alias_owner
                        .query_row([&row.key], |r| r.get(0))
                        .optional()
                        .map_err(&err)?
                } else {
                    None
                };
                // Another source user of the pool holding this row's identifier as an alias
                // gives it up if the row lands: a record's own identifier wins (R6), so the
                // store is the same whichever of the two rows comes first.
                let yielding: Option<User> = match &aliased {
                    Some(id) => user_where(&tx, "id = ?1", id)
                        .map_err(&err)?
                        .filter(|u| pools_core::import::yields_alias(u, row, pool)),
                    None => None,
                };
                let keyed: Option<String> = match &row.external_id {
                    Some(x) => keyed
                        .query_row([pool, x.as_str()], |r| r.get(0))
                        .optional()
                        .map_err(&err)?,
                    None => None,
                };
                let inserted = (aliased.is_none() || yielding.is_some()) && keyed.is_none() && {
                    let id = &pools_core::user::new_user_id();
                    // Given up first: one name, one user, is the schema's rule too (R6). The
                    // insert below then cannot meet the name (nobody else holds an alias
                    // key as identifier).
                    if yielding.is_some() {
                        give_up_alias.execute([&row.key]).map_err(&err)?;
                    }
                    let n = insert
                        .execute(params![
                            id,
                            row.identifier,
                            row.key,
                            pool,
                            row.external_id,
                            row.tenant_id,
                            row.tenant_resolution,
                            row.profile_json,
                            row.password_hash.as_ref().map(Secret::expose),
                            now,
                            row.line as i64,
                            import_id,
                            run as i64
                        ])
                        .map_err(&err)?;
                    if n == 1 {
                        new_rows.add(tx.last_insert_rowid(), row.external_id.is_some());
                        if let Some(holder) = &yielding {
                            alias_notes
                                .push((i, AliasNote::moved(&row.identifier, &holder.describe())));
                        }
                        any_alias |= !row.aliases.is_empty();
                        let notes = add_row_aliases(&tx, row, pool, id).map_err(&err)?;
                        alias_notes.extend(notes.into_iter().map(|n| (i, n)));
                        if row.new_tenant {
                            add_tenant
                                .execute(params![row.tenant_id, pool, now])
                                .map_err(&err)?;
                        }
                    }
                    n == 1
                };
                if !row.shared_aliases.is_empty() {
                    let notes = release_shared_aliases(&tx, row, pool).map_err(&err)?;
                    alias_notes.extend(notes.into_iter().map(|n| (i, n)));
                }
                if inserted {
                    outcomes.push(RowOutcome::Imported);
                    continue;
                }
                // Users an earlier run of this import wrote (a re-run, a resume, a file fixed
                // or grown since): recognised from a few columns, without reading the whole
                // user, and stamped with this run, so a second record of the same user in
                // this run is a duplicate (R6).
                let legacy = row
                    .external_id
                    .as_deref()
                    .and_then(pools_core::source_id::legacy_auth0);
                let mine = same_row
                    .execute(params![
                        row.key,
                        pool,
                        import_id,
                        run as i64,
                        row.external_id,
                        legacy
                    ])
                    .map_err(&err)?
                    == 1;
                if mine {
                    outcomes.push(RowOutcome::AlreadyImported);
                    continue;
                }
                // The row meets the user holding its identifier, else (renamed at the source)
                // the pool's user with its source user ID (R17).
                let by_name = match &yielding {
                    Some(_) => None,
                    None => user_where(&tx, BY_KEY, &row.key).map_err(&err)?,
                };
                let existing = match by_name {
                    Some(u) => u,
                    None => match &keyed {
                        Some(id) => user_where(&tx, "id = ?1", id).map_err(&err)?,
                        None => None,
                    }
                    .ok_or_else(|| user_not_found(&row.key))?,
                };
                let outcome =
                    pools_core::import::classify(&existing, row, pool, source, run, policy);
                if existing.import_source.as_deref() == Some(source)
                    && existing.pool.as_deref() == Some(pool)
                    && existing.import_run != Some(run)
                    && existing.is_source_user(pool, row.external_id.as_deref(), &row.key)
                {
                    // Met in this run: its next record in this run is a duplicate (R6). Only
                    // by its own record: another person's row meeting it (a collision) leaves
                    // its own record, later in the file, already imported.
                    stamp
                        .execute(params![existing.id, run as i64])
                        .map_err(&err)?;
                }
                if let RowOutcome::Renamed { .. } = outcome {
                    if let Some(holder) = &yielding {
                        give_up_alias.execute([&row.key]).map_err(&err)?;
                        alias_notes
                            .push((i, AliasNote::moved(&row.identifier, &holder.describe())));
                    }
                    drop_aliases.execute([&existing.id]).map_err(&err)?;
                    race_point(&tx);
                    let swapped = rename
                        .execute(params![
                            existing.id,
                            row.identifier,
                            row.key,
                            import_id,
                            row.line as i64,
                            run as i64,
                            existing.version as i64
                        ])
                        .map_err(&err)?;
                    if swapped == 0 {
                        return Err(user_cas_failed(&tx, &existing.id, existing.version, &err));
                    }
                    any_alias |= !row.aliases.is_empty();
                    let notes = add_row_aliases(&tx, row, pool, &existing.id).map_err(&err)?;
                    alias_notes.extend(notes.into_iter().map(|n| (i, n)));
                }
                if matches!(outcome, RowOutcome::Merged { .. })
                    || (policy == OnConflict::Merge
                        && matches!(outcome, RowOutcome::Renamed { .. }))
                {
                    let profile = pools_core::import::merge_profile(&existing.profile, row);
                    // A rename just counted a version of its own.
                    let read =
                        existing.version + u64::from(matches!(outcome, RowOutcome::Renamed { .. }));
                    race_point(&tx);
                    let swapped = merge
                        .execute(params![
                            existing.id,
                            serde_json::to_string(&profile).expect("a JSON map always serialises"),
                            row.password_hash.as_ref().map(Secret::expose),
                            read as i64
                        ])
                        .map_err(&err)?;
                    if swapped == 0 {
                        return Err(user_cas_failed(&tx, &existing.id, read, &err));
                    }
                }
                outcomes.push(outcome);
            }
            new_rows.name_pending(&tx, pool).map_err(&err)?;
            if let Some(last) = rows.last() {
                tx.execute(
                    "UPDATE imports SET last_line = max(last_line, ?2) WHERE id = ?1",
                    params![import_id, last.line as i64],
                )
                .map_err(&err)?;
            }
        }
        let outcome = BatchOutcome {
            rows: outcomes,
            aliases: alias_notes,
        };
        record_batch(&tx, import_id, run, seq, &outcome).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(outcome)
    }

    fn import_settle(
        &mut self,
        pool: &str,
        source: &str,
        run: u64,
        policy: OnConflict,
    ) -> Result<Vec<(User, User)>> {
        let err = self.err_owned();
        let todo: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM unsettled)", [], |r| r.get(0))
            .map_err(&err)?;
        if !todo {
            return Ok(Vec::new());
        }
        // A smaller page cache while settling: the sorter's in-memory runs are as large as
        // the cache, and a sorted insert needs few pages (peak RSS stays flat).
        self.conn
            .pragma_update(None, "cache_size", -SETTLE_CACHE_KIB)
            .map_err(&err)?;
        self.conn
            .pragma_update(None, "threads", SETTLE_SORT_THREADS)
            .map_err(&err)?;
        let settled = self.settle(pool, source, run, policy);
        self.conn.pragma_update(None, "threads", 0).map_err(&err)?;
        self.conn
            .pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(&err)?;
        settled
    }

    fn import_pending(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare_cached(&match pending_rows(&self.conn).map_err(self.err_owned())? {
                (_, true) => "SELECT pool, SUM(with_source_id) FROM unsettled
                              GROUP BY pool ORDER BY pool"
                    .to_owned(),
                (pending, false) => {
                    format!(
                        "SELECT u.pool, count(*) FROM {pending} GROUP BY u.pool ORDER BY u.pool"
                    )
                }
            })
            .map_err(self.err_owned())?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .and_then(|rows| rows.collect())
            .map_err(self.err_owned())
    }
    fn user_status(&self) -> Result<Vec<UserStatus>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT pool,
                        SUM(imported_at IS NOT NULL),
                        SUM(imported_at IS NOT NULL AND last_login_at IS NOT NULL),
                        SUM(imported_at IS NOT NULL AND last_login_at IS NULL),
                        SUM(origin = 'migrated' AND imported_at IS NULL),
                        SUM(origin = 'shadow'),
                        SUM(origin = 'shadow' OR (origin = 'migrated' AND password_hash IS NULL)),
                        SUM(origin = 'native'),
                        MAX(last_login_at)
                 FROM users GROUP BY pool ORDER BY pool",
            )
            .map_err(self.err_owned())?;
        let n = |r: &rusqlite::Row<'_>, i: usize| {
            r.get::<_, Option<i64>>(i).map(|v| v.unwrap_or(0) as u64)
        };
        stmt.query_map([], |r| {
            Ok(UserStatus {
                pool: r.get(0)?,
                imported: n(r, 1)?,
                imported_logged_in: n(r, 2)?,
                never_seen_since_import: n(r, 3)?,
                migrated_by_login: n(r, 4)?,
                shadow: n(r, 5)?,
                need_source: n(r, 6)?,
                native: n(r, 7)?,
                last_login_at: r.get(8)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.err_owned())
    }

    fn import_finished(&mut self) -> Result<()> {
        if self.checkpointer.take().is_some() {
            self.conn
                .pragma_update(None, "wal_autocheckpoint", 1000)
                .map_err(self.err_owned())?;
        }
        Ok(())
    }

    fn settings(&self, prefix: &str) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings WHERE substr(key, 1, length(?1)) = ?1")
            .map_err(self.err_owned())?;
        stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(self.err_owned())
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let before: Option<String> = tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(&err)?;
        if before.as_deref() == Some(value) {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
        .map_err(&err)?;
        let json = |v: &str| serde_json::json!({ "value": v }).to_string();
        audit(
            &tx,
            &actor,
            pools_core::audit::Action::SettingSet,
            None,
            key,
            before.as_deref().map(json).as_deref(),
            Some(&json(value)),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    fn one_look(&self, on: bool) {
        self.kept.borrow_mut().one_look = on.then_some(None);
    }

    fn api_tokens(&self) -> Result<Vec<pools_core::api_token::ApiToken>> {
        let stamp = self.stamp()?;
        if let Some((at, tokens)) = &self.kept.borrow().tokens
            && *at == stamp
        {
            return Ok(tokens.clone());
        }
        let tokens = self.read_api_tokens()?;
        self.kept.borrow_mut().tokens = Some((stamp, tokens.clone()));
        Ok(tokens)
    }

    fn add_api_token(&mut self, token: &pools_core::api_token::ApiToken) -> Result<()> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let taken: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE name = ?1 AND revoked_at IS NULL)",
                [&token.name],
                |r| r.get(0),
            )
            .map_err(&err)?;
        if taken {
            return Err(Error::Conflict {
                message: format!("a token named '{}' exists already", token.name),
                hint: Some(format!(
                    "choose another name, or revoke it first: `pools serve token revoke {}`",
                    token.name
                )),
            });
        }
        tx.execute(
            "INSERT INTO api_tokens (name, role, digest, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                token.name,
                token.role.to_string(),
                token.digest,
                token.created_at
            ],
        )
        .map_err(&err)?;
        let after = serde_json::json!({ "name": token.name, "role": token.role }).to_string();
        audit(
            &tx,
            &actor,
            pools_core::audit::Action::TokenCreate,
            None,
            &token.name,
            None,
            Some(&after),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    fn audit_refusal(&mut self, actor: &str, target: &str, detail: &str) -> Result<()> {
        let err = self.err_owned();
        let op = pools_core::audit::Op {
            actor: actor.to_owned(),
            request_id: self.actor.request_id.clone(),
        };
        let tx = self.write_txn()?;
        audit(
            &tx,
            &op,
            pools_core::audit::Action::AccessDenied,
            None,
            target,
            None,
            Some(detail),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    fn revoke_api_token(&mut self, name: &str) -> Result<pools_core::api_token::ApiToken> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let at = now();
        let tx = self.write_txn()?;
        let changed = tx
            .execute(
                "UPDATE api_tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
                params![name, at],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(Error::NotFound {
                what: format!("token '{name}'"),
                hint: Some("`pools serve token list` shows the tokens".into()),
            });
        }
        let (role, digest, created_at): (String, String, String) = tx
            .query_row(
                "SELECT role, digest, created_at FROM api_tokens WHERE name = ?1 AND revoked_at = ?2",
                params![name, at],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(&err)?;
        let before = serde_json::json!({ "name": name, "role": role }).to_string();
        audit(
            &tx,
            &actor,
            pools_core::audit::Action::TokenRevoke,
            None,
            name,
            Some(&before),
            None,
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(pools_core::api_token::ApiToken {
            name: name.to_owned(),
            role: <pools_core::api_token::Role as pools_core::terms::Choice>::from_name(&role)
                .unwrap_or(pools_core::api_token::Role::Read),
            created_at,
            revoked_at: Some(at),
            digest,
        })
    }

    fn apply(&mut self, plan: &Plan, force: bool) -> Result<Vec<DeleteOutcome>> {
        let err = self.err_owned();
        let actor = self.actor.clone();
        let tx = self.write_txn()?;
        let read = order_version(&tx).map_err(&err)?;
        let current = current_order(&tx).map_err(&err)?;
        if current
            .iter()
            .map(String::as_str)
            .ne(plan.order_before.iter().map(PoolName::as_str))
        {
            return Err(Error::Conflict {
                message: "the store changed while the plan was made; nothing was written (R12)"
                    .into(),
                hint: Some("run apply again".into()),
            });
        }
        if let Some(document) = plan.order_read
            && document != read
        {
            return Err(pools_core::config::stale_order(plan, document, read));
        }
        let mut deleted = Vec::new();
        for change in &plan.changes {
            match change {
                Change::Create { pool } => {
                    if version_of(&tx, pool.name.as_str()).map_err(&err)?.is_some() {
                        return Err(Error::Conflict {
                            message: format!(
                                "pool '{}' was created meanwhile; nothing was written (R12)",
                                pool.name
                            ),
                            hint: Some("run apply again".into()),
                        });
                    }
                    let spec = spec_json(pool)?;
                    let inserted = tx.execute(
                        &format!("INSERT INTO pools (name, position, version, spec, created_at, updated_at) VALUES (?1, 0, {FIRST_VERSION}, ?2, ?3, ?3) ON CONFLICT (name) DO NOTHING"),
                        params![pool.name.as_str(), spec, now()],
                    )
                    .map_err(&err)?;
                    if inserted == 0 {
                        return Err(Error::Conflict {
                            message: format!(
                                "pool '{}' was created meanwhile; nothing was written (R12)",
                                pool.name
                            ),
                            hint: Some("run apply again".into()),
                        });
                    }
                    audit(
                        &tx,
                        &actor,
                        Action::PoolCreate,
                        Some(pool.name.as_str()),
                        pool.name.as_str(),
                        None,
                        Some(&spec),
                    )
                    .map_err(&err)?;
                }
                Change::Update { pool, version, .. } => {
                    check_source_change(&tx, pool, force, &err)?;
                    let before = stored_spec(&tx, pool.name.as_str()).map_err(&err)?;
                    let after = spec_json(pool)?;
                    race_point(&tx);
                    let n = tx
                        .execute(
                            "UPDATE pools SET spec = ?2, version = version + 1, updated_at = ?4 WHERE name = ?1 AND version = ?3",
                            params![pool.name.as_str(), after, *version as i64, now()],
                        )
                        .map_err(&err)?;
                    if n == 0 {
                        // Gone or changed since the plan was made: either way the plan is
                        // stale (R12), and apply again decides anew.
                        let actual = version_of(&tx, pool.name.as_str())
                            .map_err(&err)?
                            .unwrap_or(0);
                        return Err(stale(pool.name.as_str(), *version, actual));
                    }
                    audit(
                        &tx,
                        &actor,
                        Action::PoolUpdate,
                        Some(pool.name.as_str()),
                        pool.name.as_str(),
                        before.as_deref(),
                        Some(&after),
                    )
                    .map_err(&err)?;
                }
                Change::Delete { name, version } => {
                    deleted.push(delete_in(
                        &tx,
                        name.as_str(),
                        *version,
                        force,
                        &actor,
                        &err,
                    )?);
                }
            }
        }
        let order: Vec<String> = plan.order_after.iter().map(|n| n.to_string()).collect();
        let added_or_removed = plan
            .changes
            .iter()
            .any(|c| !matches!(c, Change::Update { .. }));
        renumber(&tx, &order, added_or_removed, read, &err)?;
        audit_order(&tx, &actor, &current, &order).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(deleted)
    }
}

impl SqliteStore {
    fn err_owned(&self) -> impl Fn(rusqlite::Error) -> Error + use<> {
        let path = self.path.display().to_string();
        move |source| store_error(path.clone(), source)
    }

    /// Moves WAL checkpoints to a background thread for the rest of an import (see
    /// [`checkpoint`]); the writer keeps a backstop. Not for in-memory stores.
    fn start_checkpointer(&mut self) {
        if self.checkpointer.is_some() || self.conn.path().is_none_or(str::is_empty) {
            return;
        }
        if let Some(c) = Checkpointer::start(&self.path)
            && self
                .conn
                .pragma_update(None, "wal_autocheckpoint", checkpoint::BACKSTOP_PAGES)
                .is_ok()
        {
            self.checkpointer = Some(c);
        }
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An import's ID, as `--import-id` gives it.
    fn id(s: &str) -> ImportId {
        ImportId::given(s, s).unwrap()
    }

    /// A new batch number: each call of a test a batch of its own.
    fn next_seq() -> u64 {
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// R17: a schema-5 store holding two users of one source user (and a third) migrates
    /// without failing: the newer pair member is marked a duplicate of the oldest, lookups by
    /// source user ID find the oldest, and a new duplicate is refused.
    #[test]
    fn schema_5_store_with_duplicate_source_ids_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 5).unwrap();
            conn.execute_batch(
                "INSERT INTO users (id, identifier, ident_key, origin, pool, external_id, created_at)
                 VALUES ('usr_b', 'new@x', 'new@x', 'migrated', 'p', 'ext1', '2026-02-01T00:00:00Z'),
                        ('usr_a', 'old@x', 'old@x', 'shadow', 'p', 'ext1', '2026-01-01T00:00:00Z'),
                        ('usr_c', 'c@x', 'c@x', 'migrated', 'p', 'ext1', '2026-03-01T00:00:00Z'),
                        ('usr_d', 'd@x', 'd@x', 'migrated', 'q', 'ext1', '2026-01-01T00:00:00Z'),
                        ('usr_e', 'e@x', 'e@x', 'native', NULL, NULL, '2026-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(schema_version(&store.conn).unwrap(), SCHEMA_VERSION);
        let dups: Vec<(String, String)> = store
            .source_id_duplicates()
            .unwrap()
            .into_iter()
            .map(|(u, first)| (u.id, first))
            .collect();
        assert_eq!(
            dups,
            [
                ("usr_b".into(), "usr_a".into()),
                ("usr_c".into(), "usr_a".into())
            ]
        );
        assert_eq!(
            store.user_by_source_id("p", "ext1").unwrap().unwrap().id,
            "usr_a"
        );
        assert_eq!(
            store.user_by_source_id("q", "ext1").unwrap().unwrap().id,
            "usr_d"
        );
        assert!(
            store
                .conn
                .execute(
                    "INSERT INTO source_keys (pool, external_id, user_id)
                     VALUES ('p', 'ext1', 'usr_f')",
                    [],
                )
                .is_err(),
            "a new duplicate is refused"
        );
    }

    /// Identifier keys of one page, and its next cursor.
    fn page(
        store: &SqliteStore,
        filter: &UserFilter,
        after: Option<&str>,
        limit: Option<u64>,
    ) -> (Vec<String>, Option<Cursor>) {
        let mut keys = Vec::new();
        let next = store
            .users_page(
                filter,
                &Page {
                    after: after.map(str::to_owned),
                    limit,
                },
                &mut |u| {
                    keys.push(u.key);
                    Ok(())
                },
            )
            .unwrap();
        (keys, next)
    }

    /// Issue 8: a page is the users after the cursor's key, in key order (R6), at most
    /// `limit`; a next cursor only when users are left; filters apply to every page; the
    /// query is one range of the identifier index (no sort of the whole table).
    #[test]
    fn users_page_is_a_keyset_range_of_the_identifier_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let run = store.import_start("p", &id("f")).unwrap();
        let rows: Vec<ImportRow> = ["e@x", "B@x", "d@x", "a@x", "c@x"]
            .iter()
            .enumerate()
            .map(|(i, e)| row(i as u64 + 1, e, &format!("ext-{i}")))
            .collect();
        store
            .import_batch("p", "f", run, next_seq(), &rows, OnConflict::Skip)
            .unwrap();
        let all = UserFilter::default();
        let cursor = |k: &str| Some(Cursor(k.to_owned()));
        assert_eq!(
            page(&store, &all, None, None),
            (
                vec!["a@x", "b@x", "c@x", "d@x", "e@x"]
                    .into_iter()
                    .map(String::from)
                    .collect(),
                None
            )
        );
        assert_eq!(
            page(&store, &all, None, Some(2)),
            (vec!["a@x".into(), "b@x".into()], cursor("b@x"))
        );
        assert_eq!(
            page(&store, &all, Some("b@x"), Some(2)),
            (vec!["c@x".into(), "d@x".into()], cursor("d@x"))
        );
        // Exactly the limit left: the last page, no cursor.
        assert_eq!(
            page(&store, &all, Some("c@x"), Some(2)),
            (vec!["d@x".into(), "e@x".into()], None)
        );
        // A key between users, or past the last one.
        assert_eq!(
            page(&store, &all, Some("bz"), None).0,
            ["c@x", "d@x", "e@x"]
        );
        assert_eq!(page(&store, &all, Some("zzz"), Some(3)), (vec![], None));
        let other = UserFilter {
            pool: Some("q".into()),
            origin: None,
        };
        assert_eq!(page(&store, &other, None, Some(1)), (vec![], None));
        let migrated = UserFilter {
            pool: Some("p".into()),
            origin: Some(Origin::Migrated),
        };
        assert_eq!(page(&store, &migrated, Some("d@x"), Some(1)).0, ["e@x"]);
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", users_page_sql(true)))
            .unwrap()
            .query_map(params![None::<String>, None::<String>, "b@x", 3], |r| {
                r.get(3)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan[0].starts_with("SEARCH users USING INDEX") && plan[0].ends_with("(ident_key>?)"),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }

    fn row(line: u64, email: &str, external_id: &str) -> ImportRow {
        ImportRow {
            line,
            identifier: email.into(),
            key: pools_core::identifier::key(email),
            aliases: Vec::new(),
            external_id: Some(external_id.into()),
            tenant_id: "t".into(),
            tenant_resolution: "fixed".into(),
            new_tenant: false,
            profile_json: "{}".into(),
            password_hash: None,
            shared_aliases: Vec::new(),
        }
    }

    /// Source user IDs keyed for pool `p`.
    fn indexed(store: &SqliteStore) -> i64 {
        store
            .conn
            .query_row(
                "SELECT count(*) FROM source_keys WHERE pool = 'p'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// R17, bench/import: an import's batches write no source-ID keys (random keys dirtied
    /// most pages of a unique index at every commit); settling keys the run in one sorted
    /// insert, and a second row of one source user among them (another
    /// batch, another email) is removed and returned with the first.
    #[test]
    fn import_rows_are_keyed_when_their_run_is_settled() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let run = store.import_start("p", &id("f")).unwrap();
        let a = [row(1, "a@x", "ext-a"), row(2, "b@x", "ext-b")];
        let b = [row(3, "a2@x", "ext-a"), row(4, "c@x", "ext-c")];
        for batch in [&a[..], &b[..]] {
            let out = store
                .import_batch("p", "f", run, next_seq(), batch, OnConflict::Skip)
                .unwrap();
            assert!(
                out.rows.iter().all(|o| *o == RowOutcome::Imported),
                "{out:?}"
            );
        }
        assert_eq!(indexed(&store), 0, "batches wrote source-ID keys");
        assert_eq!(store.import_pending().unwrap(), [("p".to_owned(), 4)]);
        // Pending rows are still found by source user ID (logins, R17).
        assert_eq!(
            store.user_by_source_id("p", "ext-c").unwrap().unwrap().key,
            "c@x"
        );
        let dups = store
            .import_settle("p", "f", run, OnConflict::Skip)
            .unwrap();
        let dups: Vec<(String, String)> = dups.into_iter().map(|(d, f)| (d.key, f.key)).collect();
        assert_eq!(dups, [("a2@x".to_owned(), "a@x".to_owned())]);
        assert_eq!(indexed(&store), 3);
        assert!(store.import_pending().unwrap().is_empty());
        assert!(store.user_by_key("a2@x").unwrap().is_none());
        // A second import: its row is keyed; the settled first run is not pending again.
        let run = store.import_start("p", &id("g")).unwrap();
        store
            .import_batch(
                "p",
                "g",
                run,
                next_seq(),
                &[row(1, "d@x", "ext-d")],
                OnConflict::Skip,
            )
            .unwrap();
        store
            .import_settle("p", "g", run, OnConflict::Skip)
            .unwrap();
        assert_eq!(indexed(&store), 4);
        assert!(store.import_pending().unwrap().is_empty());
        // A keyed source user's row in a later import is a rename, not a new user (R17).
        let run = store.import_start("p", &id("h")).unwrap();
        let out = store
            .import_batch(
                "p",
                "h",
                run,
                next_seq(),
                &[row(1, "d2@x", "ext-d")],
                OnConflict::Skip,
            )
            .unwrap();
        assert!(
            matches!(out.rows[..], [RowOutcome::Renamed { .. }]),
            "{out:?}"
        );
    }

    /// R17: an import settling while another import into the pool is still writing (another
    /// process) settles what that one wrote so far; the rows it writes afterwards stay pending
    /// (found by source user ID, counted for doctor, keyed by the next settle), also when it
    /// is killed before its own settle.
    #[test]
    fn rows_written_after_another_imports_settle_stay_pending() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let a = store.import_start("p", &id("a")).unwrap();
        let b = store.import_start("p", &id("b")).unwrap();
        let batch = |store: &mut SqliteStore, source, run, r: ImportRow| {
            let out = store
                .import_batch("p", source, run, next_seq(), &[r], OnConflict::Skip)
                .unwrap();
            assert_eq!(out.rows, [RowOutcome::Imported]);
        };
        batch(&mut store, "b", b, row(1, "b1@x", "ext-b1"));
        batch(&mut store, "a", a, row(1, "a1@x", "ext-a1"));
        assert!(
            store
                .import_settle("p", "a", a, OnConflict::Skip)
                .unwrap()
                .is_empty()
        );
        assert_eq!(indexed(&store), 2);
        // b writes on, then is killed before it settles.
        batch(&mut store, "b", b, row(2, "b2@x", "ext-b2"));
        assert_eq!(store.import_pending().unwrap(), [("p".to_owned(), 1)]);
        assert_eq!(
            store.user_by_source_id("p", "ext-b2").unwrap().unwrap().key,
            "b2@x"
        );
        // The next import (of any file) settles it first.
        store.import_settle("p", "c", 0, OnConflict::Skip).unwrap();
        assert_eq!(indexed(&store), 3);
        assert!(store.import_pending().unwrap().is_empty());
    }

    /// R17: one source user ID in two pools is two source users: settling both pools' rows
    /// at once (sorted by source user ID first) keys each pool's, and finds no duplicate.
    #[test]
    fn one_source_id_in_two_pools_settles_as_two_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        for (pool, email) in [("q", "q@x"), ("p", "p@x")] {
            let run = store.import_start(pool, &id("f")).unwrap();
            store
                .import_batch(
                    pool,
                    "f",
                    run,
                    next_seq(),
                    &[row(1, email, "ext-1")],
                    OnConflict::Skip,
                )
                .unwrap();
        }
        assert_eq!(
            store.import_pending().unwrap(),
            [("p".to_owned(), 1), ("q".to_owned(), 1)]
        );
        assert!(
            store
                .import_settle("p", "f", 1, OnConflict::Skip)
                .unwrap()
                .is_empty()
        );
        assert!(store.import_pending().unwrap().is_empty());
        for (pool, email) in [("p", "p@x"), ("q", "q@x")] {
            assert_eq!(
                keyed_user(&store.conn, pool, "ext-1").unwrap(),
                Some(store.user_by_key(email).unwrap().unwrap().id)
            );
        }
    }

    /// R17: pending rows are named by rowid ranges; if their rows were renumbered since (a
    /// VACUUM may do it), they are still found, counted and keyed, through a full scan.
    #[test]
    fn pending_rows_renumbered_since_are_still_settled() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let run = store.import_start("p", &id("f")).unwrap();
        let rows = [row(1, "a@x", "ext-a"), row(2, "b@x", "ext-b")];
        store
            .import_batch("p", "f", run, next_seq(), &rows, OnConflict::Skip)
            .unwrap();
        store
            .conn
            .execute_batch("UPDATE users SET rowid = rowid + 1000")
            .unwrap();
        assert_eq!(store.import_pending().unwrap(), [("p".to_owned(), 2)]);
        assert_eq!(
            store.user_by_source_id("p", "ext-b").unwrap().unwrap().key,
            "b@x"
        );
        store
            .import_settle("p", "f", run, OnConflict::Skip)
            .unwrap();
        assert_eq!(indexed(&store), 2);
        assert!(store.import_pending().unwrap().is_empty());
    }

    /// R17: a schema-6 store left by an import killed before it settled (its run's rows told
    /// apart by run counters, without source keys) migrates with those rows pending: found by
    /// source user ID, counted for doctor, then keyed by the next settle, a second user of
    /// one source user among them marked for doctor. Rows without a source user ID need no
    /// key and are not pending.
    #[test]
    fn schema_6_store_with_an_unsettled_run_migrates_pending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 6).unwrap();
            conn.execute_batch(
                "INSERT INTO imports (id, pool, source, last_line, runs, settled_run)
                 VALUES (1, 'p', 'f', 5, 2, 1);
                 INSERT INTO users (id, identifier, ident_key, origin, pool, external_id,
                                    import_id, import_run, import_line, created_at)
                 VALUES ('usr_a', 'a@x', 'a@x', 'migrated', 'p', 'ext-a', 1, 2, 1, '2026-01-01T00:00:00Z'),
                        ('usr_b', 'b@x', 'b@x', 'migrated', 'p', 'ext-b', 1, 2, 2, '2026-01-02T00:00:00Z'),
                        ('usr_c', 'c@x', 'c@x', 'migrated', 'p', 'ext-c', 1, 2, 3, '2026-01-02T00:00:00Z'),
                        ('usr_d', 'd@x', 'd@x', 'migrated', 'p', 'ext-b', 1, 2, 4, '2026-01-02T00:00:00Z'),
                        ('usr_e', 'e@x', 'e@x', 'migrated', 'p', NULL, 1, 2, 5, '2026-01-02T00:00:00Z');
                 -- usr_a, settled by run 1 and met again by run 2, has its key.
                 INSERT INTO source_keys (pool, external_id, user_id) VALUES ('p', 'ext-a', 'usr_a');",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(schema_version(&store.conn).unwrap(), SCHEMA_VERSION);
        assert_eq!(store.import_pending().unwrap(), [("p".to_owned(), 3)]);
        assert_eq!(
            store.user_by_source_id("p", "ext-b").unwrap().unwrap().id,
            "usr_b"
        );
        assert!(
            store
                .import_settle("p", "g", 0, OnConflict::Skip)
                .unwrap()
                .is_empty()
        );
        assert_eq!(indexed(&store), 3);
        assert!(store.import_pending().unwrap().is_empty());
        let dups: Vec<(String, String)> = store
            .source_id_duplicates()
            .unwrap()
            .into_iter()
            .map(|(u, first)| (u.id, first))
            .collect();
        assert_eq!(dups, [("usr_d".into(), "usr_b".into())]);
    }

    /// A store written by schema 3 (users with aliases and tenants) opens under schema 4 with
    /// every row kept: the table rebuild must not cascade to the aliases (R6).
    #[test]
    fn schema_3_store_migrates_keeping_users_and_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "foreign_keys", "ON").unwrap();
            migrations().to_version(&mut conn, 3).unwrap();
            assert_eq!(schema_version(&conn).unwrap(), 3);
            conn.execute_batch(
                "INSERT INTO users (id, identifier, ident_key, origin, pool, password_hash)
                 VALUES ('u1', 'Kim@Example.com', 'kim@example.com', 'migrated', 'legacy', 'h');
                 INSERT INTO user_aliases (alias_key, user_id) VALUES ('kim', 'u1');
                 INSERT INTO imports (pool, source, last_line) VALUES ('legacy', '/x.ndjson#9#1', 4);
                 INSERT INTO users (id, identifier, ident_key, origin, pool, imported_at, import_line, import_source)
                 VALUES ('u3', 'lee@x', 'lee@x', 'migrated', 'legacy', '2026-01-01T00:00:00Z', 4, '/x.ndjson#9#1');",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(schema_version(&store.conn).unwrap(), SCHEMA_VERSION);
        let by_alias = store.user_by_key("kim").unwrap().expect("alias kept");
        assert_eq!(by_alias.id, "u1");
        assert_eq!(by_alias.identifier, "Kim@Example.com");
        assert_eq!(
            by_alias.password_hash.as_ref().map(Secret::expose),
            Some("h")
        );
        let imported = store
            .user_by_key("lee@x")
            .unwrap()
            .expect("imported user kept");
        assert_eq!(imported.import_source.as_deref(), Some("/x.ndjson#9#1"));
        assert_eq!(imported.import_line, Some(4));
        let last_line: i64 = store
            .conn
            .query_row(
                "SELECT last_line FROM imports WHERE source = '/x.ndjson#9#1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last_line, 4);
        let fk: bool = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are on after the migration");
        // The rebuilt CHECK still refuses an unknown origin.
        assert!(
            store
                .conn
                .execute(
                    "INSERT INTO users (id, identifier, ident_key, origin) VALUES ('u2', 'x', 'x', 'alien')",
                    [],
                )
                .is_err()
        );
    }

    /// Runs `f` with `race` landing at every versioned write's [`race_point`], as a change
    /// another connection commits between the write's reads and its compare-and-swap.
    fn racing<T>(race: impl Fn(&Connection) + 'static, f: impl FnOnce() -> T) -> T {
        RACE.with(|r| *r.borrow_mut() = Some(Box::new(race)));
        let out = f();
        RACE.with(|r| *r.borrow_mut() = None);
        out
    }

    fn export_pool(name: &str) -> Pool {
        let doc = format!(
            "pools:\n  - name: {name}\n    type: external\n    source: export\n    file: /x/{name}.csv\n    mode: jit\n    tenant: fixed:t\n"
        );
        pools_core::config::parse_document(&doc, "t.yaml", Path::new("/"))
            .unwrap()
            .remove(0)
            .pool
    }

    fn native(identifier: &str, aliases: &[&str]) -> NewUser {
        NewUser {
            identifier: identifier.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            origin: Origin::Native,
            pool: None,
            external_id: None,
            tenant_id: None,
            tenant_resolution: None,
            new_tenant: false,
            profile: Map::new(),
            metadata: Map::new(),
            enabled: true,
            password_hash: None,
            logged_in: false,
        }
    }

    /// R12 on any database: a change committed between a write's reads and its write (what
    /// PostgreSQL at READ COMMITTED lets happen, and SQLite's single writer does not) makes
    /// the write a conflict, decided by the compare-and-swap's row count, and nothing of it
    /// is kept: pool settings, a delete, the order, a user's metadata, a login's changes.
    #[test]
    fn r12_a_change_between_read_and_write_is_a_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let v = store.create_pool(&export_pool("p"), None).unwrap().version;
        store.create_pool(&export_pool("q"), None).unwrap();
        let bump_pool = |tx: &Connection| {
            tx.execute(
                "UPDATE pools SET version = version + 1 WHERE name = 'p'",
                [],
            )
            .unwrap();
        };
        let kind = |r: Result<()>| r.unwrap_err().kind();
        let conflict = pools_core::error::ErrorKind::Conflict;
        assert_eq!(
            racing(bump_pool, || kind(
                store.update_pool(&export_pool("p"), v, false).map(|_| ())
            )),
            conflict,
            "update_pool"
        );
        assert_eq!(
            racing(bump_pool, || kind(
                store.delete_pool("p", v, true).map(|_| ())
            )),
            conflict,
            "delete_pool"
        );
        assert_eq!(store.pool("p").unwrap().version, v, "nothing was kept");
        let order: Vec<PoolName> = store
            .pools()
            .unwrap()
            .into_iter()
            .map(|p| p.pool.name)
            .collect();
        let reversed: Vec<PoolName> = order.iter().rev().cloned().collect();
        let bump_order = |tx: &Connection| {
            tx.execute("UPDATE pool_order SET version = version + 1", [])
                .unwrap();
        };
        assert_eq!(
            racing(bump_order, || kind(
                store.set_order(&reversed, &order).map(|_| ())
            )),
            conflict,
            "set_order"
        );
        let now: Vec<PoolName> = store
            .pools()
            .unwrap()
            .into_iter()
            .map(|p| p.pool.name)
            .collect();
        assert_eq!(now, order, "nothing was kept");
        let (u, _) = store.insert_user(&native("a@x", &[])).unwrap();
        let bump_user = |tx: &Connection| {
            tx.execute("UPDATE users SET version = version + 1", [])
                .unwrap();
        };
        let mut doc = Map::new();
        doc.insert("plan".into(), "pro".into());
        assert_eq!(
            racing(bump_user, || kind(
                store.set_user_metadata(&u.id, u.version, &doc).map(|_| ())
            )),
            conflict,
            "set_user_metadata"
        );
        let disable = LoginUpdate {
            enabled: Some(false),
            ..LoginUpdate::default()
        };
        assert_eq!(
            racing(bump_user, || kind(
                store
                    .update_user_login(&u.id, u.version, &disable)
                    .map(|_| ())
            )),
            conflict,
            "update_user_login"
        );
        let kept = store.user_by_key("a@x").unwrap().unwrap();
        assert_eq!((kept.version, kept.enabled), (u.version, true));
        assert!(kept.metadata.is_empty());
    }

    /// R6 as the schema's rule: a store at schema 10 (users with aliases, one alias that is
    /// another user's identifier, as a store written before might hold) opens under schema
    /// 11 with the same users and aliases, the clashing alias recorded as claimed (the
    /// identifier wins); from then on the store itself refuses a name of one kind that
    /// another user holds as the other, even from a write that skips every check.
    #[test]
    fn schema_10_store_migrates_and_r6_is_a_constraint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 10).unwrap();
            conn.execute_batch(
                "INSERT INTO users (id, identifier, ident_key, origin, pool, password_hash)
                 VALUES ('u1', 'Kim@x.org', 'kim@x.org', 'migrated', 'p', 'h1'),
                        ('u2', 'lee@x.org', 'lee@x.org', 'native', NULL, 'h2'),
                        ('u3', 'kimmy', 'kimmy', 'native', NULL, NULL);
                 INSERT INTO user_aliases (alias_key, user_id)
                 VALUES ('kim', 'u1'), ('k1', 'u1'), ('lee', 'u2'), ('kimmy', 'u1');
                 INSERT INTO imports (id, pool, source, last_line, runs) VALUES (1, 'p', '/f.csv', 3, 1);",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(schema_version(&store.conn).unwrap(), SCHEMA_VERSION);
        let keys: Vec<String> = {
            let mut all = Vec::new();
            store
                .for_each_user_with_aliases(&UserFilter::default(), &mut |u, a| {
                    all.push(format!("{} {} {:?}", u.id, u.key, a));
                    Ok(())
                })
                .unwrap();
            all
        };
        assert_eq!(
            keys,
            [
                "u1 kim@x.org [\"k1\", \"kim\"]",
                "u3 kimmy []",
                "u2 lee@x.org [\"lee\"]"
            ]
        );
        assert_eq!(store.user_by_key("kimmy").unwrap().unwrap().id, "u3");
        let claims: Vec<(String, String)> = store
            .alias_claims()
            .unwrap()
            .into_iter()
            .map(|c| (c.key, c.user.id))
            .collect();
        assert_eq!(claims, [("kimmy".to_owned(), "u1".to_owned())]);
        // The constraint holds for writes that check nothing.
        let raw = |sql: &str| store.conn.execute_batch(sql);
        assert!(
            raw("INSERT INTO user_aliases (alias_key, user_id) VALUES ('lee@x.org', 'u1')")
                .is_err()
        );
        assert!(raw("INSERT INTO users (id, identifier, ident_key, origin) VALUES ('u4', 'kim', 'kim', 'native')").is_err());
        assert!(raw("UPDATE users SET ident_key = 'lee' WHERE id = 'u1'").is_err());
        assert!(raw("UPDATE user_aliases SET alias_key = 'kimmy' WHERE alias_key = 'k1'").is_err());
        // A user's own identifier is no clash; a free name is fine.
        raw("INSERT INTO user_aliases (alias_key, user_id) VALUES ('k2', 'u1')").unwrap();
        // Through the store, such a write is an R6 conflict.
        let u = store.user_by_key("lee@x.org").unwrap().unwrap();
        let rename = LoginUpdate {
            identity: Some(pools_core::user::Identity {
                identifier: "kim".into(),
                aliases: Vec::new(),
            }),
            ..LoginUpdate::default()
        };
        let e = store
            .update_user_login(&u.id, u.version, &rename)
            .unwrap_err();
        assert_eq!(e.kind(), pools_core::error::ErrorKind::Conflict, "{e}");
        // The import recorded under its path alone resumes under its new ID.
        let file = ImportId::given("host:/f.csv", "/f.csv").unwrap();
        assert_eq!(file.formerly(), None);
        let of_file = ImportId::of_file(Path::new("/f.csv"));
        assert_eq!(of_file.formerly(), Some("/f.csv"));
        assert_eq!(
            store.import_start("p", &of_file).unwrap(),
            2,
            "the same import's run 2"
        );
    }

    /// Timestamps are made by the program (issue 9): no SQL outside the schema's history asks
    /// the database for the time, so every backend writes the same RFC 3339 text.
    #[test]
    fn no_sql_asks_the_database_for_the_time() {
        let src = include_str!("lib.rs");
        let code = &src[src.find("/// Page cache, KiB").unwrap()..];
        let code = &code[..code.find("#[cfg(test)]\nmod tests").unwrap()];
        let needle = ["strftime", "("].concat();
        assert!(!code.contains(&needle), "the time is asked of SQLite");
        let needle = ["'now", "'"].concat();
        assert!(!code.contains(&needle), "the time is asked of SQLite");
    }

    /// Issue 9 (audit): a schema-10 store's audit entries migrate, without a request ID; the
    /// entries written after name the connection's actor and request ([`Store::set_op`]).
    #[test]
    fn schema_10_audit_entries_migrate_and_new_ones_carry_the_request_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 10).unwrap();
            conn.execute_batch(
                "INSERT INTO audit (at, actor, action, pool, target)
                 VALUES ('2026-01-01T00:00:00.000Z', 'cli:old', 'pool.create', 'p', 'p');",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        assert_eq!(schema_version(&store.conn).unwrap(), SCHEMA_VERSION);
        store.set_op(pools_core::audit::Op {
            actor: "token:ci".into(),
            request_id: "0190b1c2-0000-7000-8000-000000000001".into(),
        });
        store
            .import_start("p", &ImportId::given("/x.ndjson", "/x.ndjson").unwrap())
            .unwrap();
        let mut got = Vec::new();
        store
            .audit_log(&pools_core::audit::Filter::default(), &mut |e| {
                got.push((e.actor, e.request_id));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            got,
            [
                ("cli:old".to_owned(), None),
                (
                    "token:ci".to_owned(),
                    Some("0190b1c2-0000-7000-8000-000000000001".to_owned())
                ),
            ]
        );
    }
}
