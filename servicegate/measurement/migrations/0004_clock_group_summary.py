"""Decided clocks per promise, customer, team and week or month, filled from the clocks.

Attainment by customer or team groups this summary instead of every clock; it is kept
in step by the clock computation from here on.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    starts = {
        "week": "date(decided_at, '-6 days', 'weekday 1')",
        "month": "date(decided_at, 'start of month')",
    }
    if vendor == "postgresql":
        starts = {
            p: f"CAST(date_trunc('{p}', decided_at AT TIME ZONE 'UTC') AS DATE)"
            for p in ("week", "month")
        }
    elif vendor != "sqlite":
        return
    for period, start in starts.items():
        schema_editor.execute(
            "INSERT INTO measurement_clockgroupsummary "
            "(promise_id, period, start, customer_id, team, n, met) "
            f"SELECT promise_id, '{period}', {start}, customer_id, team, COUNT(*), "
            "SUM(CASE WHEN breached THEN 0 ELSE 1 END) FROM measurement_clock "
            f"WHERE decided_at IS NOT NULL GROUP BY promise_id, {start}, customer_id, team"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('measurement', '0003_clock_fingerprint'),
        ('operations', '0006_ticket_timeline_table'),
        ('promises', '0002_default_gates'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClockGroupSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=5, verbose_name='period')),
                ('start', models.DateField(verbose_name='period start')),
                ('team', models.CharField(blank=True, max_length=200, verbose_name='team')),
                ('n', models.PositiveIntegerField(verbose_name='decided clocks')),
                ('met', models.PositiveIntegerField(verbose_name='met')),
                ('customer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='operations.customer', verbose_name='customer')),
                ('promise', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='promises.promise', verbose_name='promise')),
            ],
            options={
                'verbose_name': 'clock group summary',
                'verbose_name_plural': 'clock group summaries',
                'ordering': ['promise_id', 'period', 'start'],
                'indexes': [models.Index(fields=['period', 'promise', 'start'], name='clock_group_summary_idx')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
