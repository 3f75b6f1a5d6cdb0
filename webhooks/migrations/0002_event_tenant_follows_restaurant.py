"""An outbox event's tenant equals its restaurant's, enforced by Postgres (issue 17.4, as calls/0003).

An event whose restaurant has since moved to another tenant is detached from it (restaurant_id NULL):
what was announced stays with the tenant it was announced to.
"""

from django.db import migrations


def add_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE webhooks_webhookevent e SET restaurant_id = NULL FROM tenants_restaurant r "
        "WHERE e.restaurant_id = r.id AND e.tenant_id <> r.tenant_id"
    )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # see tenants/0005: flush the repair's checks
    schema_editor.execute(
        "ALTER TABLE webhooks_webhookevent ADD CONSTRAINT webhook_event_tenant_follows_restaurant "
        "FOREIGN KEY (restaurant_id, tenant_id) REFERENCES tenants_restaurant (id, tenant_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE webhooks_webhookevent DROP CONSTRAINT IF EXISTS webhook_event_tenant_follows_restaurant"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("tenants", "0005_tenant_follows_parent"),
    ]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
