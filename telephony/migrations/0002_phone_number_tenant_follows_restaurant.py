"""A number's tenant equals its restaurant's, enforced by Postgres (MATCH SIMPLE: a pool number has neither)."""

from django.db import migrations


def add_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE telephony_phonenumber p SET tenant_id = r.tenant_id FROM tenants_restaurant r "
        "WHERE p.restaurant_id = r.id AND p.tenant_id IS DISTINCT FROM r.tenant_id"
    )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "ALTER TABLE telephony_phonenumber ADD CONSTRAINT phone_number_tenant_follows_restaurant "
        "FOREIGN KEY (restaurant_id, tenant_id) REFERENCES tenants_restaurant (id, tenant_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE telephony_phonenumber DROP CONSTRAINT IF EXISTS phone_number_tenant_follows_restaurant"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("telephony", "0001_phone_numbers"),
        ("tenants", "0005_tenant_follows_parent"),
    ]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
