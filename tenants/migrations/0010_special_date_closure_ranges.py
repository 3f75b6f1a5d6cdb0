"""A closure can span several dates (SpecialDate.end_date): "closed 24 December to 6 January" is one row.

Two closures of one restaurant never share a day, enforced by Postgres with an exclusion constraint over
(restaurant_id =, daterange(date, last day, '[]') &&) on closures only (btree_gist gives the equality part).
The zero-configuration SQLite run has only the check constraint; there the model's clean() and the services
are the guard, as for bookings.
"""

from django.db import migrations, models


CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE tenants_specialdate ADD CONSTRAINT special_date_closures_no_overlap
    EXCLUDE USING gist (restaurant_id WITH =, daterange(date, COALESCE(end_date, date), '[]') WITH &&)
    WHERE (opens_at IS NULL);
"""
DROP = "ALTER TABLE tenants_specialdate DROP CONSTRAINT IF EXISTS special_date_closures_no_overlap;"


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('tenants', '0009_allowed_origin_is_an_allowed_website'),
    ]

    operations = [
        migrations.AddField(
            model_name='specialdate',
            name='end_date',
            field=models.DateField(blank=True, help_text='Last day of a closure over several days (inclusive). Empty: that date only.', null=True),
        ),
        migrations.AlterField(
            model_name='specialdate',
            name='date',
            field=models.DateField(help_text='The date, or the first day of a closure.'),
        ),
        migrations.AddConstraint(
            model_name='specialdate',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), models.Q(('end_date__gte', models.F('date')), ('opens_at__isnull', True)), _connector='OR'), name='special_date_range_is_closure'),
        ),
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP), elidable=False),
    ]
