"""The packed event timeline on each ticket, emptied by a trigger whenever events change.

``Ticket.timeline`` caches the ticket's events for the clock computation. Whatever adds
or removes an event (the importers, the demo, the ORM, plain SQL) empties it in the same
transaction, so a stored timeline always matches the events; the next clock computation
rebuilds the empty ones from the events.
"""

from django.db import migrations, models

from servicegate.operations.migrations._vendor_sql import runner

SQLITE_UP = [
    """
CREATE TRIGGER IF NOT EXISTS operations_ticketevent_timeline_insert
AFTER INSERT ON operations_ticketevent
BEGIN
    UPDATE operations_ticket SET timeline = NULL
    WHERE id = NEW.ticket_id AND timeline IS NOT NULL;
END;
""",
    """
CREATE TRIGGER IF NOT EXISTS operations_ticketevent_timeline_delete
AFTER DELETE ON operations_ticketevent
BEGIN
    UPDATE operations_ticket SET timeline = NULL
    WHERE id = OLD.ticket_id AND timeline IS NOT NULL;
END;
""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_insert;",
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_delete;",
]
# Statement-level triggers with transition tables: one UPDATE per INSERT or COPY, not
# one per event row.
POSTGRES_UP = [
    """
CREATE OR REPLACE FUNCTION operations_ticketevent_timeline_added() RETURNS trigger AS $$
BEGIN
    UPDATE operations_ticket SET timeline = NULL
    WHERE id IN (SELECT ticket_id FROM changed_events) AND timeline IS NOT NULL;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER operations_ticketevent_timeline_insert
AFTER INSERT ON operations_ticketevent
REFERENCING NEW TABLE AS changed_events
FOR EACH STATEMENT EXECUTE FUNCTION operations_ticketevent_timeline_added();
""",
    """
CREATE TRIGGER operations_ticketevent_timeline_delete
AFTER DELETE ON operations_ticketevent
REFERENCING OLD TABLE AS changed_events
FOR EACH STATEMENT EXECUTE FUNCTION operations_ticketevent_timeline_added();
""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_insert ON operations_ticketevent;",
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_delete ON operations_ticketevent;",
    "DROP FUNCTION IF EXISTS operations_ticketevent_timeline_added();",
]


forwards = runner({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})
backwards = runner({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})


class Migration(migrations.Migration):
    dependencies = [("operations", "0004_ticket_number_idx")]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="timeline",
            field=models.BinaryField(
                editable=False, null=True, verbose_name="packed event timeline"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
