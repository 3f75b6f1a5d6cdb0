"""An owner alert's tenant equals its restaurant's, enforced by Postgres (issue 17.4; see tenants/0005).

Tenant-wide alerts (no restaurant) are left alone by MATCH SIMPLE.
"""

from django.db import migrations


def add_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE owners_owneralert a SET tenant_id = r.tenant_id FROM tenants_restaurant r "
        "WHERE a.restaurant_id = r.id AND a.tenant_id <> r.tenant_id"
    )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the repair's deferred checks first
    schema_editor.execute(
        "ALTER TABLE owners_owneralert ADD CONSTRAINT owner_alert_tenant_follows_restaurant "
        "FOREIGN KEY (restaurant_id, tenant_id) REFERENCES tenants_restaurant (id, tenant_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE owners_owneralert DROP CONSTRAINT IF EXISTS owner_alert_tenant_follows_restaurant"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("owners", "0001_owner_alerts"),
        ("tenants", "0005_tenant_follows_parent"),
    ]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
