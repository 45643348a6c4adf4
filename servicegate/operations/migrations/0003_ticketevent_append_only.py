"""Make ticket events append-only in the database: updates are refused by a trigger."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS operations_ticketevent_no_update
BEFORE UPDATE ON operations_ticketevent
BEGIN
    SELECT RAISE(ABORT, 'ticket events are append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS operations_ticketevent_no_update;"
POSTGRES_UP = """
CREATE OR REPLACE FUNCTION operations_ticketevent_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ticket events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER operations_ticketevent_no_update
BEFORE UPDATE ON operations_ticketevent
FOR EACH ROW EXECUTE FUNCTION operations_ticketevent_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS operations_ticketevent_no_update ON operations_ticketevent;
DROP FUNCTION IF EXISTS operations_ticketevent_refuse_update();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_assets_tickets_events")]

    operations = [migrations.RunPython(forwards, backwards)]
