"""Tickets get a title (tickets are now created in Servicegate) and an audit trail of writes.

The column is added in place with its database default (``ALTER TABLE … ADD COLUMN …
DEFAULT ''``): on SQLite Django would rebuild the ticket table for a NOT NULL column,
which takes minutes on a million tickets and drops the table's triggers (migrations
0003 and 0006).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TITLE = migrations.AddField(
    model_name='ticket',
    name='title',
    field=models.CharField(blank=True, db_default='', default='', max_length=200, verbose_name='title'),
)


def add_title(apps, schema_editor):
    # the same statement on SQLite and PostgreSQL (which keeps the default in its catalogue)
    schema_editor.execute(
        "ALTER TABLE operations_ticket ADD COLUMN title varchar(200) DEFAULT '' NOT NULL"
    )


def remove_title(apps, schema_editor):
    schema_editor.execute("ALTER TABLE operations_ticket DROP COLUMN title")


class Migration(migrations.Migration):

    dependencies = [
        ('operations', '0007_ticket_due_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[TITLE],
            database_operations=[migrations.RunPython(add_title, remove_title)],
        ),
        migrations.CreateModel(
            name='TicketChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('action', models.CharField(choices=[('created', 'created'), ('updated', 'changed'), ('event', 'status changed'), ('fed', 'fed')], max_length=16, verbose_name='action')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='operations.ticket', verbose_name='ticket')),
            ],
            options={
                'verbose_name': 'ticket change',
                'verbose_name_plural': 'ticket changes',
                'ordering': ['ticket_id', 'at', 'id'],
            },
        ),
    ]
