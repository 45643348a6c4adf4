"""Ticket timelines move to a table of their own and also pack the ticket's clock inputs.

A timeline now holds the ticket's kind, priority, customer, instants, reassignments,
recorded SLA outcome and a digest of its labels besides its events (see
``measurement.timelines``). Written into the ticket row, every rebuild rewrote a wide
row and its six indexes (on PostgreSQL ~30 µs a ticket); a narrow table keyed by the
ticket takes the same data by COPY. Triggers delete a ticket's timeline whenever one of
its events is added or removed, an UPDATE changes one of the packed ticket columns, or
the ticket is deleted, whoever writes; the next clock computation builds the missing
ones. The stored timelines are derived data and are not carried over.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from servicegate.operations.migrations._vendor_sql import runner

PREVIOUS = importlib.import_module("servicegate.operations.migrations.0005_ticket_timeline")
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
_TABLE = "operations_tickettimeline"

SQLITE_UP = [
    f"""
CREATE TRIGGER operations_ticketevent_timeline_insert
AFTER INSERT ON operations_ticketevent
BEGIN
    DELETE FROM {_TABLE} WHERE ticket_id = NEW.ticket_id;
END;
""",
    f"""
CREATE TRIGGER operations_ticketevent_timeline_delete
AFTER DELETE ON operations_ticketevent
BEGIN
    DELETE FROM {_TABLE} WHERE ticket_id = OLD.ticket_id;
END;
""",
    f"""
CREATE TRIGGER operations_ticket_timeline_fields
AFTER UPDATE OF {", ".join(COLUMNS)} ON operations_ticket
WHEN {_CHANGED}
BEGIN
    DELETE FROM {_TABLE} WHERE ticket_id = NEW.id;
END;
""",
    f"""
CREATE TRIGGER operations_ticket_timeline_delete
AFTER DELETE ON operations_ticket
BEGIN
    DELETE FROM {_TABLE} WHERE ticket_id = OLD.id;
END;
""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_insert;",
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_delete;",
    "DROP TRIGGER IF EXISTS operations_ticket_timeline_fields;",
    "DROP TRIGGER IF EXISTS operations_ticket_timeline_delete;",
]
# Events: statement-level triggers with transition tables (one DELETE per INSERT or
# COPY, not one per event row). Tickets: a row trigger only where a packed column changed.
POSTGRES_UP = [
    f"""
CREATE OR REPLACE FUNCTION operations_ticketevent_timeline_gone() RETURNS trigger AS $$
BEGIN
    DELETE FROM {_TABLE} WHERE ticket_id IN (SELECT ticket_id FROM changed_events);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER operations_ticketevent_timeline_insert
AFTER INSERT ON operations_ticketevent
REFERENCING NEW TABLE AS changed_events
FOR EACH STATEMENT EXECUTE FUNCTION operations_ticketevent_timeline_gone();
""",
    """
CREATE TRIGGER operations_ticketevent_timeline_delete
AFTER DELETE ON operations_ticketevent
REFERENCING OLD TABLE AS changed_events
FOR EACH STATEMENT EXECUTE FUNCTION operations_ticketevent_timeline_gone();
""",
    f"""
CREATE OR REPLACE FUNCTION operations_ticket_timeline_gone() RETURNS trigger AS $$
BEGIN
    DELETE FROM {_TABLE} WHERE ticket_id = OLD.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    f"""
CREATE TRIGGER operations_ticket_timeline_fields
AFTER UPDATE ON operations_ticket
FOR EACH ROW
WHEN (({_OLD}) IS DISTINCT FROM ({_NEW}))
EXECUTE FUNCTION operations_ticket_timeline_gone();
""",
    """
CREATE TRIGGER operations_ticket_timeline_delete
AFTER DELETE ON operations_ticket
FOR EACH ROW EXECUTE FUNCTION operations_ticket_timeline_gone();
""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_insert ON operations_ticketevent;",
    "DROP TRIGGER IF EXISTS operations_ticketevent_timeline_delete ON operations_ticketevent;",
    "DROP TRIGGER IF EXISTS operations_ticket_timeline_fields ON operations_ticket;",
    "DROP TRIGGER IF EXISTS operations_ticket_timeline_delete ON operations_ticket;",
    "DROP FUNCTION IF EXISTS operations_ticketevent_timeline_gone();",
    "DROP FUNCTION IF EXISTS operations_ticket_timeline_gone();",
]


class Migration(migrations.Migration):
    dependencies = [("operations", "0005_ticket_timeline")]

    operations = [
        migrations.RunPython(PREVIOUS.backwards, PREVIOUS.forwards),  # its triggers go
        migrations.RemoveField(model_name="ticket", name="timeline"),
        migrations.CreateModel(
            name="TicketTimeline",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="timeline",
                        serialize=False,
                        to="operations.ticket",
                        verbose_name="ticket",
                    ),
                ),
                ("data", models.BinaryField(verbose_name="packed clock inputs")),
            ],
            options={
                "verbose_name": "ticket timeline",
                "verbose_name_plural": "ticket timelines",
            },
        ),
        migrations.RunPython(
            runner({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            runner({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
