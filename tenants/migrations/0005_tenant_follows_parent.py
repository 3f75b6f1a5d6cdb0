"""Every child row's tenant equals its parent's, enforced by Postgres (issue 17.4).

Composite foreign keys (restaurant_id, tenant_id) -> restaurant (id, tenant_id), and for menu items
(category_id, restaurant_id, tenant_id) -> menu category (id, restaurant_id, tenant_id). Deferrable like
Django's own foreign keys, so a restaurant and its children move together within one transaction
(tenants.services.restaurant_tenant_change). Rows that already disagree are repaired first: the parent is
the truth. The zero-configuration SQLite run keeps only the unique constraints (and the models' save()).
"""

from django.db import migrations, models

# (table, constraint name, columns, referenced table, referenced columns)
COMPOSITE_KEYS = [
    ("tenants_openinghours", "opening_hours_tenant_follows_restaurant", "restaurant_id, tenant_id", "tenants_restaurant", "id, tenant_id"),
    ("tenants_specialdate", "special_date_tenant_follows_restaurant", "restaurant_id, tenant_id", "tenants_restaurant", "id, tenant_id"),
    ("tenants_menucategory", "menu_category_tenant_follows_restaurant", "restaurant_id, tenant_id", "tenants_restaurant", "id, tenant_id"),
    ("tenants_menuitem", "menu_item_tenant_follows_restaurant", "restaurant_id, tenant_id", "tenants_restaurant", "id, tenant_id"),
    ("tenants_menuitem", "menu_item_follows_category", "category_id, restaurant_id, tenant_id", "tenants_menucategory", "id, restaurant_id, tenant_id"),
    ("tenants_menuimport", "menu_import_tenant_follows_restaurant", "restaurant_id, tenant_id", "tenants_restaurant", "id, tenant_id"),
]

REPAIRS = [
    # Categories, hours, dates and imports take their restaurant's tenant; items their category's parents.
    *(
        f"UPDATE {table} c SET tenant_id = r.tenant_id FROM tenants_restaurant r "
        "WHERE c.restaurant_id = r.id AND c.tenant_id <> r.tenant_id"
        for table in ("tenants_menucategory", "tenants_openinghours", "tenants_specialdate", "tenants_menuimport")
    ),
    "UPDATE tenants_menuitem i SET restaurant_id = c.restaurant_id, tenant_id = c.tenant_id "
    "FROM tenants_menucategory c WHERE i.category_id = c.id "
    "AND (i.restaurant_id <> c.restaurant_id OR i.tenant_id <> c.tenant_id)",
]


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in REPAIRS:
        schema_editor.execute(statement)
    # The repairs queue Django's deferred foreign-key checks; run them now, or ALTER TABLE refuses
    # ("pending trigger events") inside the migration's transaction.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, columns, target, target_columns in COMPOSITE_KEYS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) "
            f"REFERENCES {target} ({target_columns}) DEFERRABLE INITIALLY DEFERRED"
        )


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, *_ in COMPOSITE_KEYS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('tenants', '0004_go_live_and_suspension_reason'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='menucategory',
            constraint=models.UniqueConstraint(fields=('id', 'restaurant', 'tenant'), name='menu_category_id_parent_unique'),
        ),
        migrations.AddConstraint(
            model_name='restaurant',
            constraint=models.UniqueConstraint(fields=('id', 'tenant'), name='restaurant_id_tenant_unique'),
        ),
        migrations.RunPython(add_keys, drop_keys, elidable=False),
    ]
