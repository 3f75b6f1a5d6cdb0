"""A call record's (and a refusal count's) tenant equals its restaurant's, enforced by Postgres (17.4).

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
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # see tenants/0005: flush the repair's checks
    schema_editor.execute(
        "UPDATE calls_callrefusalcount c SET tenant_id = r.tenant_id FROM tenants_restaurant r "
        "WHERE c.restaurant_id = r.id AND c.tenant_id <> r.tenant_id"
    )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "ALTER TABLE calls_callrefusalcount ADD CONSTRAINT call_refusal_count_tenant_follows_restaurant "
        "FOREIGN KEY (restaurant_id, tenant_id) REFERENCES tenants_restaurant (id, tenant_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )
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
    schema_editor.execute(
        "ALTER TABLE calls_callrefusalcount DROP CONSTRAINT IF EXISTS call_refusal_count_tenant_follows_restaurant"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("calls", "0002_owner_channel_outcome_refusals"),
        ("tenants", "0005_tenant_follows_parent"),
    ]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
