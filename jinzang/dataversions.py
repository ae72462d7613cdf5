"""Data versions: a counter per table, raised by the database itself on every write.

`jinzang_dataversion` holds, for each table, how many times it has been written
to. Triggers keep it, so that no way of writing escapes it: the ORM, `update()`,
`bulk_create()`, imports, the admin, raw SQL, cascades. The page cache
(`jinzang.pagecache`) keeps a page with the versions of the tables it read and
serves it again only while they are unchanged.

- SQLite: an AFTER INSERT, UPDATE and DELETE trigger on every table, row by row
  (SQLite has no statement triggers). Writers take turns on SQLite anyway.
- PostgreSQL: deferred constraint triggers, in two stages, so that a version is
  raised once per table and transaction, when the transaction commits, and its
  lock is the last the transaction takes. Stage 1, on every table, notes the
  table in `jinzang_datachange` (an unlogged queue nothing else locks). Stage 2,
  on that queue, fires after every other deferred trigger of the commit (Django's
  foreign-key checks among them), takes one advisory lock and raises the
  version. A counter locked any earlier could deadlock two writers: one holding
  it while its foreign-key check waits for a row the other has locked, the other
  waiting for the counter to commit.

The triggers are (re)made after every `migrate`, for the tables of every model
installed, so that a new model is covered without a migration of its own.
"""

from django.apps import apps
from django.db import connections, transaction

TABLE = "jinzang_dataversion"
# Tables that change on every request or that no page shows.
UNTRACKED_APPS = {"sessions", "axes"}
UNTRACKED_TABLES = {TABLE}
PG_TRIGGER = "jinzang_changed"
PG_QUEUE = "jinzang_datachange"  # PostgreSQL only: the tables a committing transaction wrote
# pg_advisory_xact_lock's key: "jinzang" in ASCII.
PG_LOCK_KEY = 0x6A696E7A616E67


def model_tables() -> set[str]:
    """The tables of every installed model, unmanaged ones and many-to-many tables
    included: any of them a page may read."""
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True)}


def tracked_tables() -> set[str]:
    """The tables that have versions: those of the models Django manages, but sessions,
    axes' login attempts and the versions themselves."""
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in UNTRACKED_APPS
        and model._meta.db_table not in UNTRACKED_TABLES
    }


def current(using: str = "default") -> dict[str, int]:
    """Every table's version, in one query: {table: version}. A table never written to
    since the counters began has no row, and reads as 0."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, version FROM {connection.ops.quote_name(TABLE)}")
        return dict(cursor.fetchall())


def install_triggers(using: str = "default", **kwargs) -> None:
    """Make the triggers of every tracked table (post_migrate receiver; idempotent)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    tables = sorted(tracked_tables() & existing)
    with transaction.atomic(using=using):
        if connection.vendor == "sqlite":
            _install_sqlite(connection, tables)
        elif connection.vendor == "postgresql":
            _install_postgresql(connection, tables)
        raise_all(using, tables)


def raise_all(using: str = "default", tables=None) -> None:
    """Raise every table's version: pages kept before (a migration that remade tables, a
    restored backup whose counters went back) are not served again."""
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return  # a database from before the counters: `migrate` makes them
    q = connection.ops.quote_name
    tables = sorted(tables if tables is not None else tracked_tables())
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {q(TABLE)} (name, version) VALUES (%s, 1) "
            f"ON CONFLICT (name) DO UPDATE SET version = {q(TABLE)}.version + 1",
            [(table,) for table in tables],
        )


def _sqlite_trigger(table: str, operation: str) -> str:
    return f"jinzang_changed_{table}_{operation.lower()}"


def _install_sqlite(connection, tables: list[str]) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        stale = [name for (name,) in cursor.fetchall() if name.startswith("jinzang_changed_")]
        # Made again every time: a table that Django's schema editor rebuilt lost its own.
        for name in stale:
            cursor.execute(f"DROP TRIGGER {q(name)}")
        for table in tables:
            for operation in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER {q(_sqlite_trigger(table, operation))} "
                    f"AFTER {operation} ON {q(table)} BEGIN "
                    f"INSERT INTO {q(TABLE)} (name, version) VALUES ('{table}', 1) "
                    "ON CONFLICT (name) DO UPDATE SET version = version + 1; END"
                )


def _install_postgresql(connection, tables: list[str]) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Stage 1, on every tracked table: note the table, once per transaction, in a
        # queue table that nothing else locks.
        cursor.execute(f"CREATE UNLOGGED TABLE IF NOT EXISTS {q(PG_QUEUE)} (name text NOT NULL)")
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION jinzang_data_changed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE
                flag text := 'jinzang.changed_' || TG_RELID::text;
            BEGIN
                IF current_setting(flag, true) = 'on' THEN
                    RETURN NULL;
                END IF;
                PERFORM set_config(flag, 'on', true);
                INSERT INTO {q(PG_QUEUE)} (name) VALUES (TG_TABLE_NAME);
                RETURN NULL;
            END
            $$
            """
        )
        # Stage 2, on the queue: its events were queued while the commit fired the
        # others, so they run after every deferred check (foreign keys) of the
        # transaction; the lock taken here is its last.
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION jinzang_data_version_raise() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({PG_LOCK_KEY});
                INSERT INTO {q(TABLE)} (name, version) VALUES (NEW.name, 1)
                ON CONFLICT (name) DO UPDATE SET version = {q(TABLE)}.version + 1;
                DELETE FROM {q(PG_QUEUE)} WHERE name = NEW.name;
                RETURN NULL;
            END
            $$
            """
        )
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [PG_TRIGGER],
        )
        done = {name for (name,) in cursor.fetchall()}
        for table, function in [
            (PG_QUEUE, "jinzang_data_version_raise"),
            *((table, "jinzang_data_changed") for table in tables),
        ]:
            if table not in done:
                cursor.execute(
                    f"CREATE CONSTRAINT TRIGGER {PG_TRIGGER} "
                    f"AFTER INSERT{'' if table == PG_QUEUE else ' OR UPDATE OR DELETE'} "
                    f"ON {q(table)} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                    f"EXECUTE FUNCTION {function}()"
                )
