"""Every booking row's tenant equals its restaurant's, enforced by Postgres (as tenants/0005 does for the
catalog): composite foreign keys (restaurant_id, tenant_id) -> restaurant (id, tenant_id), deferrable so a
restaurant and its bookings move together in one transaction (tenants.services.restaurant_tenant_change).
The zero-configuration SQLite run keeps the models' save() only.
"""

from django.db import migrations

TABLES = [
    ("bookings_bookingsettings", "booking_settings_tenant_follows_restaurant"),
    ("bookings_durationrule", "duration_rule_tenant_follows_restaurant"),
    ("bookings_table", "table_tenant_follows_restaurant"),
    ("bookings_booking", "booking_tenant_follows_restaurant"),
    ("bookings_bookingtable", "booking_table_tenant_follows_restaurant"),
]


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _ in TABLES:  # the restaurant is the truth
        schema_editor.execute(
            f"UPDATE {table} c SET tenant_id = r.tenant_id FROM tenants_restaurant r "
            "WHERE c.restaurant_id = r.id AND c.tenant_id <> r.tenant_id"
        )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the repairs' deferred checks first
    for table, name in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY (restaurant_id, tenant_id) "
            "REFERENCES tenants_restaurant (id, tenant_id) DEFERRABLE INITIALLY DEFERRED"
        )


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0003_bookable_restaurant"),
        ("tenants", "0005_tenant_follows_parent"),
    ]

    operations = [migrations.RunPython(add_keys, drop_keys, elidable=False)]
