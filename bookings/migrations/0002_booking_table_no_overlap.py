"""No double booking, enforced by Postgres: two holding rows of one table never overlap in time.

An exclusion constraint over (table_id =, tstzrange(start_at, end_at) &&) needs btree_gist for the
equality part. SQLite (the zero-configuration local run) has no such constraint; there the single writer
serialises bookings and the services' own check is the guard, so this migration does nothing on it.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_bookingtable ADD CONSTRAINT booking_table_no_overlap
    EXCLUDE USING gist (table_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) WHERE (holds);
"""
DROP = "ALTER TABLE bookings_bookingtable DROP CONSTRAINT IF EXISTS booking_table_no_overlap;"


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP), elidable=False)]
