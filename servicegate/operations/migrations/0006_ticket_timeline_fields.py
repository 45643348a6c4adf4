"""Ticket timelines also hold the ticket's own clock inputs: a change of one empties it.

Since the timeline packs the ticket's kind, priority, customer, instants, reassignments,
recorded SLA outcome and labels (team, channel) besides its events (see
``measurement.timelines``), a trigger empties it whenever an UPDATE changes one of those
columns, whoever writes it; the next clock computation rebuilds it. Storing a timeline
changes none of them, so it never empties itself.
"""

from django.db import migrations

from servicegate.operations.migrations._vendor_sql import runner

COLUMNS = (
    "kind",
    "priority",
    "customer_id",
    "opened_at",
    "responded_at",
    "reassignment_count",
    "source_made_sla",
    "assignment_group",
    "channel",
)
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COLUMNS)
_OLD = ", ".join(f"OLD.{c}" for c in COLUMNS)
_NEW = ", ".join(f"NEW.{c}" for c in COLUMNS)

SQLITE_UP = [
    f"""
CREATE TRIGGER IF NOT EXISTS operations_ticket_timeline_fields
AFTER UPDATE OF {", ".join(COLUMNS)} ON operations_ticket
WHEN NEW.timeline IS NOT NULL AND ({_CHANGED})
BEGIN
    UPDATE operations_ticket SET timeline = NULL WHERE id = NEW.id;
END;
"""
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS operations_ticket_timeline_fields;"]
POSTGRES_UP = [
    """
CREATE OR REPLACE FUNCTION operations_ticket_timeline_reset() RETURNS trigger AS $$
BEGIN
    NEW.timeline := NULL;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    f"""
CREATE TRIGGER operations_ticket_timeline_fields
BEFORE UPDATE ON operations_ticket
FOR EACH ROW
WHEN (NEW.timeline IS NOT NULL AND ({_OLD}) IS DISTINCT FROM ({_NEW}))
EXECUTE FUNCTION operations_ticket_timeline_reset();
""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS operations_ticket_timeline_fields ON operations_ticket;",
    "DROP FUNCTION IF EXISTS operations_ticket_timeline_reset();",
]


forwards = runner({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})
backwards = runner({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})


class Migration(migrations.Migration):
    dependencies = [("operations", "0005_ticket_timeline")]

    operations = [migrations.RunPython(forwards, backwards)]
