"""The packed ticket timelines and their triggers go.

Every ticket write now computes its ticket's clocks in its own transaction, and a full
recomputation of the million-ticket demo reads the tickets and events directly within
its time budget (docs/measurement.md gives the figures), so the cache, its triggers and
the rebuild after every change cost more than they save.
"""

import importlib

from django.db import migrations

from servicegate.operations.migrations._vendor_sql import runner

PREVIOUS = importlib.import_module("servicegate.operations.migrations.0006_ticket_timeline_table")


class Migration(migrations.Migration):
    dependencies = [("operations", "0008_ticket_title_changes")]

    operations = [
        migrations.RunPython(
            runner({"sqlite": PREVIOUS.SQLITE_DOWN, "postgresql": PREVIOUS.POSTGRES_DOWN}),
            runner({"sqlite": PREVIOUS.SQLITE_UP, "postgresql": PREVIOUS.POSTGRES_UP}),
        ),
        migrations.DeleteModel(name="TicketTimeline"),
    ]
