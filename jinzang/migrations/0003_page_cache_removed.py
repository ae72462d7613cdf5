"""The page cache is gone (issue 22): its tables' write counters, and the triggers that
kept them on every table, go with it."""

from django.db import migrations

# The names the triggers had (jinzang/dataversions.py, removed).
SQLITE_PREFIX = "jinzang_changed_"
PG_TRIGGER = "jinzang_changed"
PG_QUEUE = "jinzang_datachange"


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB %s",
                [SQLITE_PREFIX + "*"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {q(name)}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [PG_TRIGGER],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {q(table)}")
            cursor.execute(f"DROP TABLE IF EXISTS {q(PG_QUEUE)}")
            cursor.execute("DROP FUNCTION IF EXISTS jinzang_data_changed()")
            cursor.execute("DROP FUNCTION IF EXISTS jinzang_data_version_raise()")


class Migration(migrations.Migration):
    dependencies = [("jinzang", "0002_submitted_form_moves_in")]

    operations = [
        # Before the table: a trigger left behind would write to a table that is gone.
        migrations.RunPython(drop_triggers, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="DataVersion"),
    ]
