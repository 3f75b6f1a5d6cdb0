"""A call record's tenant equals its restaurant's, enforced by Postgres (issue 17.4).

A record whose restaurant has since been moved to another tenant is detached from it (restaurant_id
NULL, the name is kept): what happened on a call stays with the tenant it happened under. MATCH SIMPLE
lets a record without a restaurant (deleted or detached) keep its tenant.
"""

from django.db import migrations


def add_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE calls_callrecord c SET restaurant_id = NULL FROM tenants_restaurant r "
        "WHERE c.restaurant_id = r.id AND c.tenant_id <> r.tenant_id"
    )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # see tenants/0004: flush the repair's checks
    schema_editor.execute(
        "ALTER TABLE calls_callrecord ADD CONSTRAINT call_record_tenant_follows_restaurant "
        "FOREIGN KEY (restaurant_id, tenant_id) REFERENCES tenants_restaurant (id, tenant_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE calls_callrecord DROP CONSTRAINT IF EXISTS call_record_tenant_follows_restaurant"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0001_call_record"),
        ("tenants", "0004_tenant_follows_parent"),
    ]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
