"""Numbered schema migrations. Append a step; never edit one that has shipped.

Every synchronised table carries the sync columns (see architecture):
``id`` UUID text made where the row is born, ``version`` (hybrid logical clock),
``base_version`` (the version this edit started from), ``origin`` (node that
wrote it), ``deleted`` (tombstone) and ``seq`` (node-local change counter that
drives incremental export). ``tests/data/schema_v*.sqlite`` keep a database of
each earlier version, and a test opens and upgrades each one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlcipher3 import dbapi2 as sqlite3  # the sqlite3 API over SQLCipher

SYNC_COLUMNS = """
    id TEXT NOT NULL UNIQUE,
    version TEXT NOT NULL,
    base_version TEXT,
    origin TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
"""

# Tables that travel in sync bundles, in the order a bundle applies them
# (parents before children).
RECORD_TABLES = ("producers", "products", "evaluations", "recognitions", "targets", "attachments")
# Council rounds, their members' sheets and the batch decisions that close them.
ROUND_TABLES = ("rounds", "round_products", "member_sheets", "batch_decisions")
SYNCED_TABLES = RECORD_TABLES + ROUND_TABLES


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the open transaction."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        conn.execute(buffer)


def _v1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        f"""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta (key, value) VALUES ('seq', '0');

        CREATE TABLE producers (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            kind TEXT,
            commune_code INTEGER,
            legacy_commune_code INTEGER,
            legacy_district_code INTEGER,
            village TEXT,
            address TEXT,
            representative TEXT,
            representative_female INTEGER NOT NULL DEFAULT 0,
            representative_ethnic INTEGER NOT NULL DEFAULT 0,
            phone TEXT,
            tax_code TEXT,
            founded_year INTEGER,
            workers_total INTEGER,
            workers_women INTEGER,
            notes TEXT,
            incomplete TEXT
        );
        CREATE INDEX producers_name_key ON producers(name_key);
        CREATE INDEX producers_commune ON producers(commune_code);
        CREATE INDEX producers_tax_code ON producers(tax_code);
        CREATE INDEX producers_seq ON producers(seq);

        CREATE TABLE products (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            producer_id TEXT REFERENCES producers(id) DEFERRABLE INITIALLY DEFERRED,
            product_set INTEGER,
            commune_code INTEGER,
            description TEXT,
            raw_material TEXT,
            packaging TEXT,
            standards TEXT,
            traceability TEXT,
            trademark TEXT,
            price REAL,
            unit TEXT,
            sales_channels TEXT,
            ecommerce TEXT,
            export_markets TEXT,
            stage INTEGER,
            notes TEXT,
            incomplete TEXT
        );
        CREATE INDEX products_producer ON products(producer_id);
        CREATE INDEX products_name_key ON products(name_key);
        CREATE INDEX products_commune ON products(commune_code);
        CREATE INDEX products_set ON products(product_set);
        CREATE INDEX products_seq ON products(seq);

        CREATE TABLE evaluations (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            product_id TEXT NOT NULL REFERENCES products(id) DEFERRABLE INITIALLY DEFERRED,
            eval_date TEXT NOT NULL,
            level TEXT NOT NULL,
            points_a REAL NOT NULL,
            points_b REAL NOT NULL,
            points_c REAL NOT NULL,
            points REAL NOT NULL,
            stars INTEGER NOT NULL,
            options TEXT,
            council TEXT,
            notes TEXT
        );
        CREATE INDEX evaluations_product ON evaluations(product_id);
        CREATE INDEX evaluations_seq ON evaluations(seq);

        CREATE TABLE recognitions (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            product_id TEXT NOT NULL REFERENCES products(id) DEFERRABLE INITIALLY DEFERRED,
            decision_no TEXT NOT NULL,
            decision_date TEXT NOT NULL,
            issuer TEXT,
            stars INTEGER NOT NULL,
            potential_5 INTEGER NOT NULL DEFAULT 0,
            points REAL,
            expiry_date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'new',
            revoked_date TEXT,
            revoke_reason TEXT,
            evaluation_id TEXT,
            notes TEXT
        );
        CREATE INDEX recognitions_product ON recognitions(product_id, decision_date);
        CREATE INDEX recognitions_expiry ON recognitions(expiry_date);
        CREATE INDEX recognitions_decision ON recognitions(decision_no);
        CREATE INDEX recognitions_seq ON recognitions(seq);

        CREATE TABLE targets (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            office_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            new_products INTEGER,
            four_star INTEGER,
            potential_five INTEGER,
            upgrades INTEGER,
            renewals INTEGER,
            notes TEXT
        );
        CREATE INDEX targets_seq ON targets(seq);

        CREATE TABLE attachments (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            owner_table TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            filename TEXT NOT NULL,
            mime TEXT,
            size INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'photo'
        );
        CREATE INDEX attachments_owner ON attachments(owner_table, owner_id);
        CREATE INDEX attachments_seq ON attachments(seq);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            officer TEXT,
            node TEXT,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            action TEXT NOT NULL,
            field TEXT,
            old TEXT,
            new TEXT
        );
        CREATE INDEX audit_record ON audit(record_id);

        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            kept_version TEXT NOT NULL,
            lost_version TEXT NOT NULL,
            lost_origin TEXT,
            lost_row TEXT NOT NULL,
            detected_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT
        );

        CREATE TABLE sync_peers (
            node_id TEXT PRIMARY KEY,
            role TEXT,
            office_code TEXT,
            name TEXT,
            public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            trusted_at TEXT NOT NULL,
            received_seq INTEGER NOT NULL DEFAULT 0,
            sent_seq INTEGER NOT NULL DEFAULT 0,
            acked_seq INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE sync_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            direction TEXT NOT NULL,
            peer TEXT,
            file_name TEXT,
            sha256 TEXT,
            rows INTEGER,
            inserted INTEGER,
            updated INTEGER,
            unchanged INTEGER,
            conflicts INTEGER,
            status TEXT NOT NULL,
            message TEXT
        );

        -- Local cache (not synchronised): each product's latest live recognition, so
        -- lists can filter by stars and certificate status without a window query.
        -- Rebuilt by recognitions.refresh_current() after every recognition write
        -- and after a sync bundle is applied.
        CREATE TABLE current_recognition (
            product_id TEXT PRIMARY KEY,
            recognition_id TEXT NOT NULL,
            stars INTEGER NOT NULL,
            potential_5 INTEGER NOT NULL,
            decision_no TEXT NOT NULL,
            decision_date TEXT NOT NULL,
            expiry_date TEXT NOT NULL,
            revoked INTEGER NOT NULL
        );
        CREATE INDEX current_recognition_stars ON current_recognition(stars);
        CREATE INDEX current_recognition_expiry ON current_recognition(expiry_date);

        -- Substring search on the normalised names: trigram FTS5, rowid = rid.
        CREATE VIRTUAL TABLE producers_fts USING fts5(name_key, tokenize='trigram');
        CREATE VIRTUAL TABLE products_fts USING fts5(name_key, tokenize='trigram');
        """,
    )
    for table in ("producers", "products"):
        run_script(
            conn,
            f"""
            CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN
                INSERT INTO {table}_fts (rowid, name_key) VALUES (new.rid, new.name_key);
            END;
            CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN
                DELETE FROM {table}_fts WHERE rowid = old.rid;
            END;
            CREATE TRIGGER {table}_fts_au AFTER UPDATE OF name_key ON {table} BEGIN
                UPDATE {table}_fts SET name_key = new.name_key WHERE rowid = new.rid;
            END;
            """,
        )


def _v2(conn: sqlite3.Connection) -> None:
    """Sync tables in their final shape, and the ancestry of record versions.

    ``conflicts``, ``sync_peers`` and ``sync_log`` of schema 1 were placeholders
    that nothing wrote, so they are replaced rather than altered.

    Ancestry: the versions each record's current version descends from.

    A bundle row carries these, so the receiver can tell "newer and based on
    ours" (take it) from "concurrent" (keep a conflict) even when the sender
    edited a record several times between two bundles. Local edits add the
    replaced version through a trigger, so records.py needs no change.
    """
    run_script(
        conn,
        """
        DROP TABLE IF EXISTS conflicts;
        DROP TABLE IF EXISTS sync_peers;
        DROP TABLE IF EXISTS sync_log;
        -- Sync (see ocop_desktop/sync): concurrent edits kept for review, the
        -- peers this node exchanges bundles with, and every bundle in and out.
        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            mine_version TEXT NOT NULL,
            theirs_version TEXT NOT NULL,
            winner TEXT NOT NULL,
            mine_row TEXT NOT NULL,
            theirs_row TEXT NOT NULL,
            peer TEXT,
            detected_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT,
            UNIQUE (table_name, record_id, mine_version, theirs_version)
        );
        CREATE INDEX conflicts_open ON conflicts(resolved_at);

        CREATE TABLE sync_peers (
            node_id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            office_code TEXT,
            province_code INTEGER,
            name TEXT,
            area TEXT,
            public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            trusted_at TEXT NOT NULL,
            received_seq INTEGER NOT NULL DEFAULT 0,
            sent_seq INTEGER NOT NULL DEFAULT 0,
            acked_seq INTEGER NOT NULL DEFAULT 0,
            last_received_at TEXT,
            last_sent_at TEXT
        );

        CREATE TABLE sync_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            direction TEXT NOT NULL,
            peer TEXT,
            peer_name TEXT,
            file_name TEXT,
            sha256 TEXT,
            since_seq INTEGER,
            max_seq INTEGER,
            rows INTEGER,
            inserted INTEGER,
            updated INTEGER,
            unchanged INTEGER,
            conflicts INTEGER,
            status TEXT NOT NULL,
            message TEXT
        );

        CREATE TABLE sync_ancestry (
            record_id TEXT NOT NULL,
            version TEXT NOT NULL,
            PRIMARY KEY (record_id, version)
        ) WITHOUT ROWID;

        -- Communes a producer or product has left, so the office it left
        -- still receives the move.
        CREATE TABLE sync_moves (
            record_id TEXT NOT NULL,
            from_commune INTEGER NOT NULL,
            PRIMARY KEY (record_id, from_commune)
        ) WITHOUT ROWID;
        CREATE INDEX sync_moves_commune ON sync_moves(from_commune);
        """,
    )
    # A record that moves also brings its children to the area it joins: they get
    # a new change number, so the next bundle to that office carries them.
    bump = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq';"
    seq = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq')"
    children = {
        "producers": f"""
            UPDATE attachments SET seq = {seq} WHERE owner_id = new.id;
        """,
        "products": f"""
            UPDATE evaluations SET seq = {seq} WHERE product_id = new.id;
            UPDATE recognitions SET seq = {seq} WHERE product_id = new.id;
            UPDATE attachments SET seq = {seq} WHERE owner_id = new.id
                OR owner_id IN (SELECT id FROM evaluations WHERE product_id = new.id)
                OR owner_id IN (SELECT id FROM recognitions WHERE product_id = new.id);
        """,
    }
    for table in ("producers", "products"):
        run_script(
            conn,
            f"""
            CREATE TRIGGER {table}_moves AFTER UPDATE OF commune_code ON {table}
            WHEN old.commune_code IS NOT NULL AND new.commune_code IS NOT old.commune_code BEGIN
                INSERT OR IGNORE INTO sync_moves (record_id, from_commune)
                VALUES (old.id, old.commune_code);
                {bump}
                {children[table]}
            END;
            """,
        )
    for table in RECORD_TABLES:  # the tables of this step
        run_script(
            conn,
            f"""
            CREATE TRIGGER {table}_ancestry AFTER UPDATE OF version ON {table}
            WHEN new.base_version IS old.version AND new.version IS NOT old.version BEGIN
                INSERT OR IGNORE INTO sync_ancestry (record_id, version) VALUES (old.id, old.version);
            END;
            """,
        )


def _v3(conn: sqlite3.Connection) -> None:
    """Indexes for the overview's counts (~35 ms instead of ~130 ms at 100,000
    products): certificates by status and class, producers by kind, new
    recognitions by year, and the products in the trash; and evaluations by date,
    the order of their list.

    Each is shaped so the lists' queries do not pick it. Without statistics SQLite
    takes an equality on an index's first column as selective, so an index led by
    ``deleted`` (or partial on ``deleted = 0``) is chosen for every query on live
    rows, which then reads the table row by row through it or sorts every row for
    its first screenful: the producer and certificate lists went from under 1 ms
    and 40 ms to 28 ms and 230 ms that way (tests/test_product_search_plans.py
    checks the plans)."""
    run_script(
        conn,
        """
        CREATE INDEX current_recognition_class
            ON current_recognition(revoked, stars, potential_5, expiry_date);
        CREATE INDEX current_recognition_status
            ON current_recognition(revoked, expiry_date);
        CREATE INDEX producers_kind ON producers(kind, deleted);
        CREATE INDEX products_trashed ON products(deleted) WHERE deleted = 1;
        CREATE INDEX recognitions_new ON recognitions(decision_date, deleted)
            WHERE kind = 'new';
        CREATE INDEX evaluations_date ON evaluations(eval_date);
        CREATE INDEX evaluations_trashed ON evaluations(deleted) WHERE deleted = 1;
        """,
    )


def _v4(conn: sqlite3.Connection) -> None:
    """Sync that survives restores and keeps offices to their own work.

    ``sync_peers`` remembers each peer's database incarnation (an id that changes
    when its database goes back in time) and lineage, so a restore at either end
    is recognised and what the other side lost is sent again (rows of the peer's
    own origin up to ``resend_until`` included). ``sync_proposals`` holds an
    office's changes to records the province owns, for the province to accept or
    reject; ``sync_log.message`` already carries what a restore re-sent."""
    run_script(
        conn,
        """
        ALTER TABLE sync_peers ADD COLUMN incarnation TEXT;
        ALTER TABLE sync_peers ADD COLUMN lineage TEXT;
        ALTER TABLE sync_peers ADD COLUMN resend_until INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sync_peers ADD COLUMN restored_at TEXT;
        CREATE TABLE sync_proposals (
            id TEXT PRIMARY KEY,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            peer TEXT NOT NULL,
            peer_name TEXT,
            stored_version TEXT NOT NULL,
            proposed_version TEXT NOT NULL,
            proposed_row TEXT NOT NULL,
            received_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT,
            UNIQUE (table_name, record_id, proposed_version)
        );
        """,
    )


def _v5(conn: sqlite3.Connection) -> None:
    """Council rounds (đợt đánh giá): the council, the products submitted, each
    member's scoring sheet, and the batch decision that recognises the round's
    products in one step; who stated that a typed total meets the minimum
    requirements; which round an evaluation and which batch a recognition came from."""
    run_script(
        conn,
        f"""
        CREATE TABLE rounds (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            name TEXT NOT NULL,
            round_date TEXT NOT NULL,
            level TEXT NOT NULL,
            chair TEXT NOT NULL,
            members TEXT NOT NULL,
            secretary TEXT,
            place TEXT,
            notes TEXT
        );
        CREATE TABLE round_products (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            round_id TEXT NOT NULL,
            product_id TEXT NOT NULL,
            notes TEXT
        );
        CREATE INDEX round_products_round ON round_products(round_id);
        CREATE INDEX round_products_product ON round_products(product_id);
        CREATE TABLE member_sheets (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            round_id TEXT NOT NULL,
            product_id TEXT NOT NULL,
            member TEXT NOT NULL,
            options TEXT NOT NULL,
            points_a REAL NOT NULL,
            points_b REAL NOT NULL,
            points_c REAL NOT NULL,
            points REAL NOT NULL,
            stars INTEGER NOT NULL
        );
        CREATE INDEX member_sheets_round ON member_sheets(round_id, product_id);
        CREATE TABLE batch_decisions (
            rid INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            round_id TEXT NOT NULL,
            decision_no TEXT NOT NULL,
            decision_date TEXT NOT NULL,
            issuer TEXT NOT NULL,
            signer TEXT,
            signer_title TEXT,
            notes TEXT
        );
        CREATE INDEX batch_decisions_round ON batch_decisions(round_id);
        ALTER TABLE evaluations ADD COLUMN minimums_stated_by TEXT;
        ALTER TABLE evaluations ADD COLUMN round_id TEXT;
        ALTER TABLE recognitions ADD COLUMN batch_id TEXT;
        """,
    )
    for table in ROUND_TABLES:
        run_script(
            conn,
            f"""
            CREATE INDEX {table}_seq ON {table}(seq);
            CREATE TRIGGER {table}_ancestry AFTER UPDATE OF version ON {table}
            WHEN new.base_version IS old.version AND new.version IS NOT old.version BEGIN
                INSERT OR IGNORE INTO sync_ancestry (record_id, version) VALUES (old.id, old.version);
            END;
            """,
        )


def _v6(conn: sqlite3.Connection) -> None:
    """Node-local records of the office's own paperwork (never in a sync bundle):
    the typed narrative sections of a report, kept per report number; the renewal
    notices sent to producers; and the re-evaluation requests received."""
    run_script(
        conn,
        """
        CREATE TABLE report_narratives (
            report_key TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            number TEXT NOT NULL,
            sections TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT
        );
        CREATE INDEX report_narratives_updated ON report_narratives(updated_at);
        CREATE TABLE renewal_notices (
            id INTEGER PRIMARY KEY,
            recognition_id TEXT NOT NULL,
            product_id TEXT NOT NULL,
            producer_id TEXT,
            notice_no TEXT NOT NULL,
            sent_on TEXT NOT NULL,
            expiry_date TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE INDEX renewal_notices_recognition ON renewal_notices(recognition_id);
        CREATE TABLE renewal_requests (
            id INTEGER PRIMARY KEY,
            recognition_id TEXT NOT NULL,
            product_id TEXT NOT NULL,
            received_on TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE INDEX renewal_requests_recognition ON renewal_requests(recognition_id);
        """,
    )


def _v7(conn: sqlite3.Connection) -> None:
    """Certificates taken from provincial lists that lack parts of the decision.

    ``recognitions.incomplete`` says what is still to be added ("cần bổ sung"),
    ``recognitions.date_basis`` how the decision date was known: NULL as written,
    'inferred' from another row of the same decision, 'year' only the year (stored
    as 1 January, expiry unknown), 'unknown' no date at all (stored as the day of
    the import, expiry unknown). ``products.legacy_district_code`` keeps the former
    district an address names when its commune cannot be resolved."""
    run_script(
        conn,
        """
        ALTER TABLE recognitions ADD COLUMN incomplete TEXT;
        ALTER TABLE recognitions ADD COLUMN date_basis TEXT;
        ALTER TABLE products ADD COLUMN legacy_district_code INTEGER;
        """,
    )


def _v8(conn: sqlite3.Connection) -> None:
    """Lists in name order without reading the tables: the live rows' names in an
    index of their own. With only the name indexed, every row's page was read to
    test its trash flag, which on an encrypted file means decrypting most of the
    table (~290 ms for all product ids at 100,000 on a fresh connection; ~40 ms
    with this index). Partial, so that a filtered list (a commune, a set) still
    starts from its filter's index: SQLite uses it only for ``deleted = 0``
    written as a literal."""
    run_script(
        conn,
        """
        CREATE INDEX products_live_name ON products(name_key) WHERE deleted = 0;
        CREATE INDEX producers_live_name ON producers(name_key) WHERE deleted = 0;
        """,
    )


def _v9(conn: sqlite3.Connection) -> None:
    """The year's decisions and revocations, and "is any decision later than this
    date", read from indexes instead of a pass over every decision. The summary
    counts a year's decisions by kind and star class: with these covering indexes
    it reads that year's entries only (~45 ms at 100,000 products, against ~200 ms
    for a scan of all 160,000 decisions on an encrypted file). Revocations are
    rare, so their index holds only the revoked ones.

    The decisions are indexed under their year, an expression no list sorts by:
    indexed by date alone, the certificate list filtered by status walked that
    index for its order and fetched each row in turn (0.4 s -> 2.4 s)."""
    run_script(
        conn,
        """
        CREATE INDEX recognitions_year ON recognitions(
            substr(decision_date, 1, 4), decision_date, deleted, kind, stars, potential_5,
            product_id);
        CREATE INDEX recognitions_revoked
            ON recognitions(revoked_date, deleted, kind, stars, potential_5, product_id)
            WHERE revoked_date IS NOT NULL;
        CREATE INDEX current_recognition_decided ON current_recognition(decision_date);
        """,
    )


def _v10(conn: sqlite3.Connection) -> None:
    """Proofs of the province's authorship, kept by an office with the rows it got.

    The province signs each row it writes in a table where it has authority
    (decisions, its council's evaluations, targets, rounds) with its identity key
    when it sends it; the office keeps that signature with the version it proves
    and sends it back with that version. After a restore the province takes a row
    back as its own only when the signature holds for exactly that row, never on
    the row's word (its ``origin``, its version's node). See docs/sync-format.md,
    "Restores and rollbacks"."""
    run_script(
        conn,
        """
        CREATE TABLE sync_proofs (
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            version TEXT NOT NULL,
            signature TEXT NOT NULL,
            PRIMARY KEY (table_name, record_id)
        );
        """,
    )


def _v11(conn: sqlite3.Connection) -> None:
    """A rank taken from a list without any date is stored under the day of its
    import (``date_basis`` 'unknown'); that day is not a decision, so no year's
    results count it. The year's index leaves those rows out and holds the date
    basis, so that the summary's year query still reads the index alone (a test of
    the basis on each row would fetch every one of the year's decisions: ~20 ms ->
    2 s at 100,000 products; SQLite does not count a column the index's WHERE
    names as one the index holds)."""
    run_script(
        conn,
        """
        DROP INDEX recognitions_year;
        CREATE INDEX recognitions_year ON recognitions(
            substr(decision_date, 1, 4), decision_date, deleted, kind, stars, potential_5,
            product_id, date_basis) WHERE date_basis IS NOT 'unknown';
        """,
    )


MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (1, _v1),
    (2, _v2),
    (3, _v3),
    (4, _v4),
    (5, _v5),
    (6, _v6),
    (7, _v7),
    (8, _v8),
    (9, _v9),
    (10, _v10),
    (11, _v11),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
